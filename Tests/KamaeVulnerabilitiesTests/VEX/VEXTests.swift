import Foundation
import Testing
@testable import KamaeVulnerabilities

@Suite struct VEXTests {
    private let jinja = Component(reference: "jinja2", name: "Jinja2", version: "2.10.1", purl: "pkg:pypi/Jinja2@2.10.1")
    private let angular = Component(reference: "angular-core", name: "core", purl: "pkg:npm/%40angular/core@15.2.0")
    private let log4j = Component(reference: "log4j-core", name: "log4j-core",
                                  purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar")

    @Test func inTriageNeverBecomesNotAffectedEvenWithAJustification() throws {
        let statements = try VEXReader.read(contentsOf: IngestFixtures.url("cyclonedx-vex.json"))
        let triage = try #require(statements.first)
        #expect(triage.status == .underInvestigation)
        #expect(triage.justification == nil)
        let status = VEXApplication(statements: statements).status(of: jinja, vulnerabilityIDs: ["GHSA-h5c8-rqwp-cp95", "PYSEC-2024-4"])
        #expect(status.status == .underInvestigation)
    }

    @Test func cycloneDXStatesAndBOMLinks() throws {
        let statements = try VEXReader.read(contentsOf: IngestFixtures.url("cyclonedx-vex.json"))
        #expect(statements.map(\.status) == [.underInvestigation, .notAffected, .affected])
        let application = VEXApplication(statements: statements)
        let angularStatus = application.status(of: angular, vulnerabilityIDs: ["GHSA-angl-last-aff1", "CVE-2024-90001"])
        #expect(angularStatus == MatchStatus(status: .notAffected, justification: "requires_configuration",
                                             impactStatement: "Server-side rendering is off.", source: angularStatus.source))
        #expect(application.status(of: log4j, vulnerabilityIDs: ["CVE-2021-44228"]).status == .affected)
    }

    @Test func cycloneDXXMLSaysWhatTheJSONSays() throws {
        let json = try VEXReader.read(contentsOf: IngestFixtures.url("cyclonedx-vex.json"))
        let xml = try VEXReader.read(contentsOf: IngestFixtures.url("cyclonedx-vex.xml"))
        #expect(xml.map { [$0.vulnerabilityIDs, $0.products.map { "\($0)" }, [$0.status.rawValue, $0.justification ?? "", $0.impactStatement ?? ""]] }
            == json.map { [$0.vulnerabilityIDs, $0.products.map { "\($0)" }, [$0.status.rawValue, $0.justification ?? "", $0.impactStatement ?? ""]] })
        #expect(xml.map(\.timestamp) == json.map(\.timestamp))
        let unknown = #"<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><vulnerabilities><vulnerability><id>CVE-1</id><analysis><state>meh</state></analysis></vulnerability></vulnerabilities></bom>"#
        #expect(throws: IngestError.malformed(file: "c.xml", location: "vulnerability #1 <analysis.state>", reason: "unknown state \"meh\"")) {
            try VEXReader.read(Data(unknown.utf8), file: "c.xml")
        }
        #expect(throws: IngestError.self) { try VEXReader.read(Data("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"><vulnerabilities>".utf8), file: "cut.xml") }
        #expect(throws: IngestError.unsupportedFormat(file: "x.xml", reason: "the XML root is not a CycloneDX <bom>")) {
            try VEXReader.read(Data("<html></html>".utf8), file: "x.xml")
        }
    }

    /// Truncated and mutated VEX documents of every format are refused with an ingest error or read; never a crash.
    @Test func damagedVEXNeverCrashes() throws {
        var generator = FuzzGenerator(seed: 23)
        for name in ["cyclonedx-vex.json", "cyclonedx-vex.xml"] {
            let data = try IngestFixtures.data(name)
            let lastByte = try #require(data.lastIndex { $0 == UInt8(ascii: "}") || $0 == UInt8(ascii: ">") })
            for length in stride(from: 1, through: lastByte, by: 5) {
                #expect(throws: IngestError.self) { try VEXReader.read(data.prefix(length), file: name) }
            }
            for _ in 0..<300 {
                _ = try? VEXReader.read(generator.mutated(data), file: name)
            }
        }
    }

    @Test func openVEXSubcomponentsAndVersionlessPurls() throws {
        let statements = try VEXReader.read(contentsOf: IngestFixtures.url("openvex.json"))
        let application = VEXApplication(statements: statements)
        let log4jStatus = application.status(of: log4j, vulnerabilityIDs: ["GHSA-jfh8-c2jp-5v3q"])
        #expect(log4jStatus.status == .notAffected)
        #expect(log4jStatus.justification == "vulnerable_code_not_in_execute_path")
        let express = Component(reference: "e", name: "express", purl: "pkg:npm/express@4.17.1")
        #expect(application.status(of: express, vulnerabilityIDs: ["CVE-2024-29041"]).status == .underInvestigation)
        let net = Component(reference: "n", name: "net", purl: "pkg:golang/golang.org/x/net@v0.16.0")
        #expect(application.status(of: net, vulnerabilityIDs: ["GO-2023-2102", "CVE-2023-39325"]).status == .fixed)
        #expect(application.status(of: net, vulnerabilityIDs: ["GO-2024-2687"]) == .affectedWithoutStatement)
    }

    @Test func laterStatementsWinAndTiesGoToTheCautiousOne() {
        let day1 = Date(timeIntervalSince1970: 1_700_000_000), day2 = day1.addingTimeInterval(86400)
        let product = [VEXProduct.purl("pkg:pypi/jinja2")]
        func statement(_ status: VEXStatus, _ date: Date?) -> VEXStatement {
            VEXStatement(vulnerabilityIDs: ["CVE-1"], products: product, status: status,
                         justification: status == .notAffected ? "component_not_present" : nil, timestamp: date, source: "t")
        }
        func resolve(_ statements: [VEXStatement]) -> VEXStatus {
            VEXApplication(statements: statements).status(of: jinja, vulnerabilityIDs: ["cve-1"]).status
        }
        #expect(resolve([statement(.underInvestigation, day1), statement(.notAffected, day2)]) == .notAffected)
        #expect(resolve([statement(.notAffected, day2), statement(.underInvestigation, day1)]) == .notAffected)
        #expect(resolve([statement(.notAffected, day1), statement(.underInvestigation, day2)]) == .underInvestigation)
        #expect(resolve([statement(.notAffected, nil), statement(.underInvestigation, nil)]) == .underInvestigation)
        #expect(resolve([statement(.underInvestigation, nil), statement(.notAffected, nil)]) == .underInvestigation)
        #expect(resolve([statement(.notAffected, day1), statement(.underInvestigation, day1)]) == .underInvestigation)
    }

    @Test func productsMustMatchVersionAndQualifiersWhenGiven() {
        func covers(_ purl: String) -> Bool {
            VEXApplication.product(.purl(purl), covers: log4j)
        }
        #expect(covers("pkg:maven/org.apache.logging.log4j/log4j-core"))
        #expect(covers("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"))
        #expect(covers("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar"))
        #expect(!covers("pkg:maven/org.apache.logging.log4j/log4j-core@2.15.0"))
        #expect(!covers("pkg:maven/org.apache.logging.log4j/log4j-core?type=pom"))
        #expect(!covers("pkg:maven/org.apache.logging.log4j/log4j-api"))
        #expect(VEXApplication.product(.purl("pkg:pypi/JINJA2"), covers: jinja))
    }

    @Test func unknownStatusesAreErrorsWithTheirPath() {
        let openVEX = #"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [{"vulnerability": "CVE-1", "products": ["pkg:npm/a"], "status": "probably_fine"}]}"#
        #expect(throws: IngestError.malformed(file: "v.json", location: "$.statements[0].status", reason: "unknown status \"probably_fine\"")) {
            try VEXReader.read(Data(openVEX.utf8), file: "v.json")
        }
        let cycloneDX = #"{"bomFormat": "CycloneDX", "vulnerabilities": [{"id": "CVE-1", "analysis": {"state": "meh"}, "affects": [{"ref": "a"}]}]}"#
        #expect(throws: IngestError.malformed(file: "c.json", location: "$.vulnerabilities[0].analysis.state", reason: "unknown state \"meh\"")) {
            try VEXReader.read(Data(cycloneDX.utf8), file: "c.json")
        }
    }
}

@Suite struct CSAFTests {
    @Test func jvnStyleCSAFGivesAdvisoriesWithJVNDBAliases() throws {
        let result = try CSAFReader.read(IngestFixtures.data("csaf-jvn-vex.json"), file: "jvn")
        #expect(result.advisories.map(\.id) == ["CVE-2024-12345", "CVE-2024-12346"])
        let first = result.advisories[0]
        #expect(first.aliases == ["JVN#12345678", "JVNDB-2024-000123"])
        #expect(first.preferredSeverity == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
        #expect(first.platforms.map(\.criteria.description) == ["cpe:2.3:a:example:net_banking_gateway:5.1.0:*:*:*:*:*:*:*"])
        #expect(first.packages.map(\.name) == ["nbg-client"])

        let inventory = InventoryIndex(components: [
            Component(reference: "gw51", name: "gw", cpes: ["cpe:2.3:a:example:net_banking_gateway:5.1.0:*:*:*:*:*:*:*"]),
            Component(reference: "gw52", name: "gw", cpes: ["cpe:2.3:a:example:net_banking_gateway:5.2.0:*:*:*:*:*:*:*"]),
            Component(reference: "client23", name: "nbg-client", purl: "pkg:npm/nbg-client@2.3.9"),
            Component(reference: "client241", name: "nbg-client", purl: "pkg:npm/nbg-client@2.4.1"),
            Component(reference: "client193", name: "nbg-client", purl: "pkg:npm/nbg-client@1.9.3"),
        ])
        #expect(inventory.affectedComponents(by: first) == [0, 2])
    }

    @Test func productStatusesBecomeVEXStatements() throws {
        let statements = try VEXReader.read(IngestFixtures.data("csaf-jvn-vex.json"), file: "jvn")
        let application = VEXApplication(statements: statements)
        let legacy = Component(reference: "c", name: "nbg-client", purl: "pkg:npm/nbg-client@1.9.3")
        let notAffected = application.status(of: legacy, vulnerabilityIDs: ["JVNDB-2024-000123"])
        #expect(notAffected.status == .notAffected)
        #expect(notAffected.justification == "vulnerable_code_not_present")
        #expect(notAffected.impactStatement == "The 1.x client has no administration console.")
        #expect(application.status(of: legacy, vulnerabilityIDs: ["CVE-2024-12346"]).status == .underInvestigation)
        let fixedGateway = Component(reference: "g", name: "gw", cpes: ["cpe:2.3:a:example:net_banking_gateway:5.2.0:*:*:*:*:*:*:*"])
        #expect(application.status(of: fixedGateway, vulnerabilityIDs: ["CVE-2024-12345"]).status == .fixed)
    }

    /// Every comparator of the purl VERSION-RANGE-SPEC, evaluated in the ecosystem's order.
    @Test(arguments: [
        ("vers:npm/>=1.0.0|<1.2.3|>=2.0.0|<=2.0.4|3.0.0", ["1.0.0", "1.2.2", "2.0.0", "2.0.4", "3.0.0"], ["0.9.9", "1.2.3", "1.5.0", "2.0.5", "3.0.1"]),
        ("vers:npm/>1.0.0", ["1.0.1", "1.0.1-rc.1", "9.0.0"], ["1.0.0", "1.0.0-rc.1", "0.1.0"]),
        ("vers:npm/>=1.0.0|!=1.2.0|<2.0.0", ["1.0.0", "1.1.9", "1.2.1"], ["1.2.0", "2.0.0", "0.9.0"]),
        ("vers:pypi/!=1.0", ["0.9", "1.0.post1", "2.0"], ["1.0", "1.0.0"]),
        ("vers:npm/<1.0.0|>=2.0.0", ["0.9.0", "2.0.0", "3.1.0"], ["1.0.0", "1.5.0"]),
        ("vers:deb/>1:1.0-1|<=1:2.0-1", ["1:1.0-2", "1:2.0-1"], ["1:1.0-1", "2.5-1", "1:2.0-2"]),
        ("vers:npm/*", ["0.0.1", "99.0.0"], []),
    ])
    func versRangesFollowTheSpecification(_ range: String, inside: [String], outside: [String]) throws {
        let vers = try #require(VersRange(range))
        let ecosystem = Ecosystem(purlType: vers.scheme) ?? .generic
        for version in inside { #expect(try #require(ecosystem.parse(version)).matches(vers, ecosystem), "\(version) ∈ \(range)") }
        for version in outside { #expect(!(try #require(ecosystem.parse(version)).matches(vers, ecosystem)), "\(version) ∉ \(range)") }
    }

    @Test func unreadableVersRangesAffectNothing() throws {
        #expect(VersRange("<2.0") == nil)
        #expect(VersRange("vers:npm/~>1.0") == nil)
        #expect(VersRange("vers:npm/>=") == nil)
        #expect(VersRange("vers:npm/>=1.0||<2.0") == nil)
        // A bound its ecosystem cannot read: the range is not evaluated.
        let vers = try #require(VersRange("vers:npm/>=one|<2.0.0"))
        #expect(vers.contains(try #require(Ecosystem.npm.parse("1.0.0")), in: .npm) == nil)
    }
}

private extension AnyVersion {
    func matches(_ range: VersRange, _ ecosystem: Ecosystem) -> Bool { range.contains(self, in: ecosystem) == true }
}
