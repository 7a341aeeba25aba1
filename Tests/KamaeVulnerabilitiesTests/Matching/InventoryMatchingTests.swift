import Foundation
import Testing
@testable import KamaeVulnerabilities

@Suite struct InventoryMatchingTests {
    private func index(_ purls: [String]) -> InventoryIndex {
        InventoryIndex(components: purls.enumerated().map { Component(reference: "c\($0)", name: "x", purl: $1) })
    }

    private func advisory(_ ecosystem: String, _ name: String, _ events: [RangeEvent], kind: AffectedRange.Kind = .ecosystem) -> Advisory {
        Advisory(id: "T-1", source: .osv, packages: [
            AffectedPackage(ecosystem: ecosystem, name: name, ranges: [AffectedRange(kind: kind, events: events)]),
        ])
    }

    @Test func namesMeetAfterEachEcosystemsNormalisation() {
        let inventory = index(["pkg:pypi/Django_REST.framework@3.0", "pkg:npm/%40angular/core@15.2.0",
                               "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "pkg:golang/golang.org/x/net@v0.16.0"])
        #expect(inventory.affectedComponents(by: advisory("PyPI", "django-rest-framework", [.introduced("0")])) == [0])
        #expect(inventory.affectedComponents(by: advisory("npm", "@angular/core", [.introduced("0")], kind: .semver)) == [1])
        #expect(inventory.affectedComponents(by: advisory("Maven", "org.apache.logging.log4j:log4j-core",
                                                          [.introduced("2.13.0"), .fixed("2.15.0")])) == [2])
        #expect(inventory.affectedComponents(by: advisory("Go", "golang.org/x/net", [.introduced("0"), .fixed("0.17.0")],
                                                          kind: .semver)) == [3])
        #expect(inventory.affectedComponents(by: advisory("npm", "django-rest-framework", [.introduced("0")])).isEmpty)
    }

    @Test func distributionReleasesMustAgreeWhenBothSayOne() {
        let inventory = index(["pkg:deb/debian/openssl@3.0.11-1~deb12u1?distro=debian-12",
                               "pkg:deb/debian/openssl@3.0.11-1~deb12u1?distro=bookworm",
                               "pkg:deb/debian/openssl@3.0.11-1~deb12u1",
                               "pkg:apk/alpine/openssl@3.1.4-r5?distro=alpine-3.19.1"])
        let events: [RangeEvent] = [.introduced("0"), .fixed("3.0.11-1~deb12u2")]
        #expect(inventory.affectedComponents(by: advisory("Debian:12", "openssl", events)) == [0, 1, 2])
        #expect(inventory.affectedComponents(by: advisory("Debian:11", "openssl", events)) == [2])
        #expect(inventory.affectedComponents(by: advisory("Alpine:v3.19", "openssl", [.introduced("0"), .fixed("3.1.4-r6")])) == [3])
        // Alpine's -r18 is after -r2.
        #expect(inventory.affectedComponents(by: advisory("Alpine:v3.19", "openssl", [.introduced("0"), .fixed("3.1.4-r18")])) == [3])
        #expect(inventory.affectedComponents(by: advisory("Alpine:v3.18", "openssl", [.introduced("0")])).isEmpty)
    }

    @Test func withdrawnAdvisoriesMatchNothing() {
        var withdrawn = advisory("npm", "express", [.introduced("0")], kind: .semver)
        withdrawn.isWithdrawn = true
        #expect(index(["pkg:npm/express@4.17.1"]).affectedComponents(by: withdrawn).isEmpty)
    }

    @Test func componentsThatCannotBeMatchedAreReported() {
        let inventory = InventoryIndex(components: [
            Component(reference: "a", name: "a", purl: "pkg:npm/a"),
            Component(reference: "b", name: "b", purl: "not a purl"),
            Component(reference: "c", name: "c", purl: "pkg:swift/github.com/apple/swift-nio@2.0.0"),
            Component(reference: "d", name: "d"),
            Component(reference: "e", name: "e", version: "1.0", purl: "pkg:npm/e"),
        ])
        #expect(inventory.unmatchable.map(\.reference) == ["a", "b", "c", "d"])
        #expect(inventory.affectedComponents(by: advisory("npm", "e", [.introduced("0"), .fixed("2.0.0")], kind: .semver)) == [4])
    }

    @Test func nvdRecordsMatchComponentsByCPE() throws {
        let advisories = try NVDReader.read(IngestFixtures.data("nvd-cve-2.0.json"), file: "nvd")
        #expect(advisories.map(\.id) == ["CVE-2023-5363", "CVE-2023-99999"])
        #expect(advisories[1].isWithdrawn)
        #expect(advisories[0].platforms.count == 3)
        #expect(advisories[0].preferredSeverity == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N")
        let inventory = InventoryIndex(components: [
            Component(reference: "ossl-3.0.11", name: "openssl", cpes: ["cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*"]),
            Component(reference: "ossl-3.0.12", name: "openssl", cpes: ["cpe:2.3:a:openssl:openssl:3.0.12:*:*:*:*:*:*:*"]),
            Component(reference: "ossl-3.1.2", name: "openssl", cpes: ["cpe:2.3:a:openssl:openssl:3.1.2:*:*:*:*:*:*:*"]),
            Component(reference: "zlib", name: "zlib", cpes: ["cpe:2.3:a:zlib:zlib:1.2.11:*:*:*:*:*:*:*"]),
        ])
        #expect(inventory.affectedComponents(by: advisories[0]) == [0, 2, 3])
        #expect(inventory.affectedComponents(by: advisories[1]).isEmpty)
    }

    @Test func oneAdvisoryAgainstAHundredThousandIndexedComponentsIsFast() throws {
        let components = (0..<100_000).map { index in
            Component(reference: "c\(index)", name: "p\(index % 20_000)", purl: "pkg:npm/p\(index % 20_000)@\(index % 7).\(index % 13).0")
        }
        let inventory = InventoryIndex(components: components)
        let data = Data(#"{"id": "GHSA-x", "affected": [{"package": {"ecosystem": "npm", "name": "p42"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "3.0.0"}]}]}]}"#.utf8)
        let clock = ContinuousClock()
        var hits: [Int] = []
        let elapsed = try clock.measure {
            for advisory in try OSVDatabase.advisories(in: data, file: "new") {
                hits = inventory.affectedComponents(by: advisory)
            }
        }
        #expect(hits.count == 3)
        #expect(elapsed < .milliseconds(10))
    }
}
