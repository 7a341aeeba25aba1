import Foundation
import Testing
@testable import KamaeVulnerabilities

/// Advisories from every fixture: OSV, CSAF, NVD and JVN.
enum FixtureAdvisories {
    static func all() throws -> [Advisory] {
        var advisories = try OSVDatabase.collect(at: IngestFixtures.url("osv")) { $0 }.values
        advisories += try CSAFReader.read(IngestFixtures.data("csaf-jvn-vex.json"), file: "csaf").advisories
        advisories += try NVDReader.read(IngestFixtures.data("nvd-cve-2.0.json"), file: "nvd")
        advisories += try JVNReader.read(IngestFixtures.data("jvn-vuldef.xml"), file: "jvn")
        return advisories
    }
}

@Suite struct AdvisoryStorageTests {
    @Test func everyFixtureAdvisoryRoundTrips() throws {
        let advisories = try FixtureAdvisories.all()
        #expect(Set(advisories.map(\.source)) == [.osv, .csaf, .nvd, .jvn])
        #expect(advisories.contains { !$0.platforms.isEmpty })
        #expect(advisories.contains { $0.packages.contains { $0.vers != nil } })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for advisory in advisories {
            let data = try encoder.encode(advisory)
            #expect(try JSONDecoder().decode(Advisory.self, from: data) == advisory, "\(advisory.id)")
            #expect(try encoder.encode(JSONDecoder().decode(Advisory.self, from: data)) == data)
        }
    }

    @Test func compactForm() throws {
        let advisory = Advisory(id: "GHSA-1", aliases: ["CVE-2024-1"], source: .osv, packages: [
            AffectedPackage(ecosystem: "npm", name: "x", ranges: [AffectedRange(kind: .semver, events: [.introduced("0"), .fixed("1.2.3"), .lastAffected("1.2.2")])],
                            vers: VersRange("vers:npm/>=1.0.0|!=1.1.0|<2.0.0|3.0.0")),
        ], platforms: [CPEApplicability(criteria: try CPEName(parsing: "cpe:2.3:a:acme:web\\-\\:x:*:*:*:*:*:*:*:*"), versionEndExcluding: "2.0")])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(String(decoding: try encoder.encode(advisory), as: UTF8.self) == #"{"aliases":["CVE-2024-1"],"id":"GHSA-1","# +
            #""packages":[{"ecosystem":"npm","name":"x","ranges":[{"events":[{"introduced":"0"},{"fixed":"1.2.3"},{"last_affected":"1.2.2"}],"type":"SEMVER"}],"# +
            #""vers":"vers:npm\/>=1.0.0|!=1.1.0|<2.0.0|3.0.0"}],"# +
            #""platforms":[{"criteria":"cpe:2.3:a:acme:web-\\:x:*:*:*:*:*:*:*:*","end_excluding":"2.0"}],"source":"osv"}"#)
        #expect(try JSONDecoder().decode(Advisory.self, from: encoder.encode(advisory)) == advisory)
        let badRange = Data(#"{"id":"X","source":"osv","packages":[{"ecosystem":"npm","name":"x","ranges":[{"type":"SEMVER","events":[{"introduced":"0","fixed":"1"}]}]}]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Advisory.self, from: badRange) }
        let badCPE = Data(#"{"id":"X","source":"nvd","platforms":[{"criteria":"cpe:2.3:a:b"}]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Advisory.self, from: badCPE) }
    }

    @Test func canonicalStringsReadBackEqual() throws {
        for text in ["cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*", "cpe:2.3:a:*:prod*:?.1:-:*:*:*:*:*:*", "cpe:2.3:a:v:\\-:*:*:*:*:*:*:*:*",
                     "cpe:/a:vendor:pro%2a:1.0", "cpe:2.3:o:micro\\$oft:win\\*dows:*:*:*:*:*:*:*:*"] {
            let name = try CPEName(parsing: text)
            #expect(try CPEName(parsing: name.description) == name, "\(text)")
        }
        for text in ["vers:npm/*", "vers:pypi/>=1.0|<2.0", "vers:generic/1.0|!=2.0|<=3.0|>4.0", "VERS:Deb/ = 1.0 "] {
            let range = try #require(VersRange(text))
            #expect(VersRange(range.description) == range, "\(text)")
        }
    }

    @Test func vulnerabilityIDIsTheLowestCVE() {
        #expect(Advisory(id: "GHSA-x", aliases: ["CVE-2021-10000", "cve-2021-9999", "CVE-2022-0001"], source: .osv).vulnerabilityID == "CVE-2021-9999")
        #expect(Advisory(id: "CVE-2024-1234", aliases: ["GHSA-y"], source: .nvd).vulnerabilityID == "CVE-2024-1234")
        #expect(Advisory(id: "JVNDB-2024-000001", aliases: ["JVN#1"], source: .jvn).vulnerabilityID == "JVNDB-2024-000001")
        #expect(Advisory(id: "GHSA-z", aliases: ["CVE-2024-12", "CVE-2024-ABCD"], source: .osv).vulnerabilityID == "GHSA-z")
    }
}

@Suite struct MatchKeyTests {
    /// Components built to hit the fixture advisories: each package at each version the advisory names, and each
    /// CPE criterion at each bound, plus the fixture SBOMs' own components and some wildcard CPEs.
    private static let purlTypes: [Ecosystem: String] = [
        .pypi: "pypi", .npm: "npm", .go: "golang", .maven: "maven", .debian: "deb", .ubuntu: "deb", .alpine: "apk",
        .rubygems: "gem", .nuget: "nuget", .packagist: "composer", .cargo: "cargo",
    ]

    private static func candidateComponents(for advisories: [Advisory]) throws -> [Component] {
        var components: [Component] = []
        for name in ["cyclonedx-1.5.json", "cyclonedx-1.6.xml", "spdx-2.3.json"] {
            components += try SBOMReader.read(IngestFixtures.data(name), file: name).components
        }
        for advisory in advisories {
            for package in advisory.packages {
                let versions = package.versions + package.ranges.flatMap(\.events).map(\.version)
                    + (package.vers?.constraints.map(\.version) ?? []) + ["0.0.1", "999"]
                for version in versions where version != "0" {
                    if let purl = package.purl, var parsed = try? PackageURL(parsing: purl) {
                        parsed.version = version
                        components.append(Component(reference: "p", name: package.name, purl: parsed.description))
                    }
                    if let ecosystem = Ecosystem(osvEcosystem: package.ecosystem), let type = Self.purlTypes[ecosystem] {
                        let path = ecosystem == .maven ? package.name.replacingOccurrences(of: ":", with: "/") : package.name
                        components.append(Component(reference: "o", name: package.name, purl: "pkg:\(type)/\(path)@\(version)"))
                    }
                }
            }
            for platform in advisory.platforms {
                let bounds = [platform.versionStartIncluding, platform.versionStartExcluding, platform.versionEndIncluding,
                              platform.versionEndExcluding, "0.1", "999"].compactMap { $0 }
                for bound in bounds {
                    var name = platform.criteria
                    name.attributes[3] = .value(CPEValue(text: bound.lowercased()))
                    components.append(Component(reference: "c", name: "x", cpes: [name.description, "cpe:2.3:a:*:*:*:*:*:*:*:*:*:*"]))
                }
                components.append(Component(reference: "c", name: "x", cpes: [platform.criteria.description]))
            }
        }
        return components
    }

    @Test func anAdvisoryAffectsAComponentOnlyWhenTheirKeysMeet() throws {
        let advisories = try FixtureAdvisories.all()
        let components = try Self.candidateComponents(for: advisories)
        var hits = 0
        for component in components {
            let index = InventoryIndex(components: [component])
            let componentKeys = InventoryIndex.matchKeys(for: component)
            for advisory in advisories where !index.affectedComponents(by: advisory).isEmpty {
                hits += 1
                #expect(!advisory.matchKeys.isDisjoint(with: componentKeys), "\(advisory.id) vs \(component.purl ?? component.cpes.description)")
            }
        }
        #expect(hits > 20, "the candidates must exercise package and CPE matches")
    }

    @Test func keysForPackagesAndPlatforms() throws {
        let advisory = Advisory(id: "A", source: .nvd, packages: [AffectedPackage(ecosystem: "PyPI", name: "Django_REST")], platforms: [
            CPEApplicability(criteria: try CPEName(parsing: "cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*")),
            CPEApplicability(criteria: try CPEName(parsing: "cpe:2.3:o:*:linux_kernel:*:*:*:*:*:*:*:*")),
        ])
        #expect(advisory.matchKeys == ["package:PyPI/django-rest", "cpe:apache:log4j", "*"])
        let component = Component(reference: "c", name: "d", purl: "pkg:pypi/django-rest@1.0", cpes: ["cpe:2.3:a:apache:log4j:2.14:*:*:*:*:*:*:*", "bad"])
        #expect(InventoryIndex.matchKeys(for: component) == ["package:PyPI/django-rest", "cpe:apache:log4j", "*"])
        #expect(InventoryIndex.matchKeys(for: Component(reference: "c", name: "n")).isEmpty)
    }
}
