import Foundation
import Testing
import KamaeVulnerabilities

/// Scores must equal the pinned reference (Red Hat's `cvss` package, which implements FIRST's calculators)
/// for every vector listed by scripts/cvss-reference.py.
@Suite struct CVSSReferenceTests {
    static let referencePath = ProcessInfo.processInfo.environment["KAMAE_CVSS_REFERENCE"]

    @Test func committedSampleMatchesTheReference() throws {
        let url = try #require(Bundle.module.url(forResource: "reference-sample", withExtension: "tsv",
                                                 subdirectory: "Fixtures/cvss"))
        let checked = try Self.compare(contentsOf: url)
        #expect(checked >= 4_800)
    }

    @Test(.enabled(if: referencePath != nil,
                   "set KAMAE_CVSS_REFERENCE to a file written by `python3 scripts/cvss-reference.py FILE` (cvss==3.6)"))
    func fullReferenceMatches() throws {
        let url = URL(fileURLWithPath: try #require(Self.referencePath))
        let checked = try Self.compare(contentsOf: url)
        // All 104,976 CVSS 4.0 base vectors and the 2 × 2,592 CVSS 3.x base vectors at the least.
        #expect(checked >= 110_160)
    }

    /// Compares every `vector<TAB>score` line and returns how many were checked; records each mismatch.
    private static func compare(contentsOf url: URL) throws -> Int {
        let text = try String(contentsOf: url, encoding: .utf8)
        var checked = 0
        var mismatches = 0
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated()
        where !line.hasPrefix("#") {
            let columns = line.split(separator: "\t")
            guard columns.count == 2 else {
                Issue.record("\(url.lastPathComponent):\(offset + 1): expected vector<TAB>score")
                continue
            }
            checked += 1
            let expected = String(columns[1])
            do {
                let actual = try CVSS.score(String(columns[0])).description
                if actual != expected {
                    mismatches += 1
                    if mismatches <= 20 {
                        Issue.record("\(url.lastPathComponent):\(offset + 1): \(columns[0]) scored \(actual), reference \(expected)")
                    }
                }
            } catch {
                mismatches += 1
                Issue.record("\(url.lastPathComponent):\(offset + 1): \(columns[0]) rejected: \(error)")
            }
        }
        print("CVSS reference \(url.lastPathComponent): \(checked) vectors checked, \(mismatches) mismatches")
        #expect(mismatches == 0)
        return checked
    }
}
