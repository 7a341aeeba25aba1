import Foundation
import Testing
@testable import KamaeVulnerabilities

@Suite struct OSVIngestTests {
    @Test func decodesTheFieldsMatchingNeeds() throws {
        let advisories = try OSVDatabase.advisories(in: IngestFixtures.data("osv/GHSA-jfh8-c2jp-5v3q.json"), file: "log4shell")
        let advisory = try #require(advisories.first)
        #expect(advisories.count == 1)
        #expect(advisory.id == "GHSA-jfh8-c2jp-5v3q")
        #expect(advisory.aliases == ["CVE-2021-44228"])
        #expect(advisory.databaseSeverity == "CRITICAL")
        #expect(advisory.preferredSeverity == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H")
        #expect(!advisory.isWithdrawn)
        let package = try #require(advisory.packages.first)
        #expect(package.ecosystem == "Maven")
        #expect(package.name == "org.apache.logging.log4j:log4j-core")
        #expect(package.ranges.first?.kind == .ecosystem)
        #expect(package.ranges.first?.events.first == .introduced("2.13.0"))
        #expect(package.ranges.first?.events.count == 6)
    }

    @Test func acceptsArraysAndAPIAnswersAndEscapes() throws {
        let json = #"{"vulns": [{"id": "A-1", "summary": "caf\u00e9 \ud83d\ude00 \"q\"", "affected": []}, {"id": "A-2"}]}"#
        let advisories = try OSVDatabase.advisories(in: Data(json.utf8), file: "api")
        #expect(advisories.map(\.id) == ["A-1", "A-2"])
        #expect(advisories.first?.summary == "café 😀 \"q\"")
        let array = try OSVDatabase.advisories(in: Data(#"[{"id": "B-1"}, {"id": "B-2", "withdrawn": "2024-01-01T00:00:00Z"}]"#.utf8), file: "array")
        #expect(array.map(\.isWithdrawn) == [false, true])
    }

    @Test func errorsNameTheFileAndTheJSONPath() {
        let wrongType = #"{"id": "X", "affected": [{"package": {"ecosystem": "PyPI", "name": "x"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": 1}]}]}]}"#
        #expect(throws: IngestError.malformed(file: "x.json", location: "$.affected[0].ranges[0].events[1].fixed",
                                              reason: "expected a string")) {
            try OSVDatabase.advisories(in: Data(wrongType.utf8), file: "x.json")
        }
        #expect(throws: IngestError.malformed(file: "y.json", location: "$", reason: "the record has no \"id\"")) {
            try OSVDatabase.advisories(in: Data(#"{"summary": "no id"}"#.utf8), file: "y.json")
        }
        do {
            _ = try OSVDatabase.advisories(in: Data(#"{"id": "X", "aliases": ["A", "#.utf8), file: "cut.json")
            Issue.record("a truncated document must not decode")
        } catch {
            #expect(error.description.hasPrefix("cut.json: $.aliases[1]: unexpected end of input"))
        }
    }

    @Test func truncatedAndMutatedDocumentsThrowAndNeverCrash() throws {
        var generator = FuzzGenerator(seed: 42)
        for name in ["osv/GHSA-jfh8-c2jp-5v3q.json", "osv/DSA-5532-1.json", "osv/PYSEC-2024-4.json"] {
            let data = try IngestFixtures.data(name)
            // Every prefix that stops before the closing brace.
            let closingBrace = try #require(data.lastIndex(of: UInt8(ascii: "}")))
            for length in 0...closingBrace {
                #expect(throws: IngestError.self) { try OSVDatabase.advisories(in: data.prefix(length), file: name) }
            }
            for _ in 0..<2000 {
                _ = try? OSVDatabase.advisories(in: generator.mutated(data), file: name)
            }
        }
        let deep = Data((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
        #expect(throws: IngestError.self) { try OSVDatabase.advisories(in: deep, file: "deep") }
        let deepSkipped = Data((#"{"id": "D", "x": "# + String(repeating: "{\"a\":", count: 100_000)).utf8)
        #expect(throws: IngestError.self) { try OSVDatabase.advisories(in: deepSkipped, file: "deep") }
    }

    @Test func readsADirectoryAZipAndOneFileAlike() throws {
        let directory = try OSVDatabase.collect(at: IngestFixtures.url("osv")) { $0.id }
        let zip = try OSVDatabase.collect(at: IngestFixtures.url("osv-all.zip")) { $0.id }
        let single = try OSVDatabase.read(at: IngestFixtures.url("osv/GO-2023-2102.json"))
        #expect(directory.statistics.documents == 10)
        #expect(directory.statistics.withdrawn == 1)
        #expect(directory.values.count == 9)
        #expect(!directory.values.contains("GHSA-w1th-draw-n000"))
        #expect(Set(zip.values) == Set(directory.values))
        #expect(zip.statistics == directory.statistics)
        #expect(single.map(\.id) == ["GO-2023-2102"])
    }

    @Test func aBrokenZipEntryIsNamedInsideTheArchive() throws {
        let url = try IngestFixtures.url("osv-broken-entry.zip")
        #expect(throws: IngestError.malformed(file: url.path + "#PYSEC-broken.json",
                                              location: "$.affected[0].ranges[0].events[0].introduced", reason: "expected a string")) {
            try OSVDatabase.read(at: url)
        }
    }

    @Test func damagedArchivesAreErrorsNotCrashes() throws {
        let original = try IngestFixtures.data("osv-all.zip")
        let directory = try IngestFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var generator = FuzzGenerator(seed: 3)
        let cuts = stride(from: 0, to: original.count, by: 97).map { original.prefix($0) }
        let flips = (0..<150).map { _ in generator.mutated(original) }
        for (index, damaged) in (cuts + flips).enumerated() {
            let url = directory.appendingPathComponent("damaged-\(index).zip")
            try damaged.write(to: url)
            // Either an error naming the archive, or (when the damage missed everything that matters) a result.
            do {
                _ = try OSVDatabase.read(at: url)
            } catch {
                #expect(error.file.hasPrefix(url.path))
            }
        }
    }

    @Test func missingPathsAreReported() {
        #expect(throws: IngestError.unreadable(file: "/nonexistent/osv", reason: "no such file or directory")) {
            try OSVDatabase.read(at: URL(fileURLWithPath: "/nonexistent/osv"))
        }
    }
}
