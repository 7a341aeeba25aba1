import Testing
import KamaeVulnerabilities

@Suite struct SeverityTests {
    @Test func readsCVSSVectorsOfEveryVersion() {
        #expect(Severity(published: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H") == .critical)
        #expect(Severity.score(published: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H") == 9.8)
        #expect(Severity(published: "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N") == .medium)
        #expect(Severity(published: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N") == .critical)
        #expect(Severity(published: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N") == Severity.none)
        // CVSS 2.0 base scores: 7.5 and 10.0 are NVD's published scores for these vectors.
        #expect(Severity.score(published: "AV:N/AC:L/Au:N/C:P/I:P/A:P") == 7.5)
        #expect(Severity.score(published: "(AV:N/AC:L/Au:N/C:C/I:C/A:C)") == 10.0)
        #expect(Severity.score(published: "AV:N/AC:M/Au:N/C:N/I:P/A:N/E:POC/RL:OF/RC:C") == 4.3)
        #expect(Severity(published: "AV:L/AC:H/Au:M/C:N/I:N/A:N") == Severity.none)
        #expect(Severity(published: "AV:N/AC:M/Au:N/C:N/I:P/A:N") == .medium)
    }

    @Test func readsRatingWordsInAnyCase() {
        #expect(Severity(published: "CRITICAL") == .critical)
        #expect(Severity(published: "Important") == .high)
        #expect(Severity(published: "HIGH") == .high)
        #expect(Severity(published: "moderate") == .medium)
        #expect(Severity(published: " Medium ") == .medium)
        #expect(Severity(published: "LOW") == .low)
        #expect(Severity(published: "negligible") == .low)
        #expect(Severity(published: "7.5") == .high)
        #expect(Severity.score(published: "HIGH") == nil)
    }

    @Test func unreadableTextIsUnknown() {
        for text in [nil, "", "   ", "severe", "CVSS:3.1/AV:X", "CVSS:9.9/AV:N", "AV:N/AC:L", "11", "-1", "nan", "AV:Q/AC:L/Au:N/C:P/I:P/A:P"] {
            #expect(Severity(published: text) == .unknown, "\(text ?? "nil")")
        }
    }

    @Test func qualitativeScaleBoundaries() {
        let expected: [(Double, Severity)] = [
            (0, .none), (0.1, .low), (3.9, .low), (4.0, .medium), (6.9, .medium), (7.0, .high), (8.9, .high),
            (9.0, .critical), (10, .critical), (10.1, .unknown), (-0.1, .unknown), (.nan, .unknown),
        ]
        for (score, severity) in expected {
            #expect(Severity.from(score: score) == severity, "\(score)")
        }
    }

    @Test func orderAndNames() {
        #expect([Severity.low, .critical, .unknown, .none, .high, .medium].sorted() == [.unknown, .none, .low, .medium, .high, .critical])
        #expect(Severity.critical.name.ja == "緊急")
        #expect(Severity.unknown.name.en == "Unknown")
        #expect(Set(Severity.allCases.map(\.name.ja)).count == Severity.allCases.count)
    }
}
