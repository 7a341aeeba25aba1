import Foundation
import KamaeCore
import Testing
import KamaeVulnerabilities

@Suite struct DeadlinePolicyTests {
    private let day = ISODate(year: 2026, month: 1, day: 10)

    @Test func standardTable() {
        let policy = DeadlinePolicy.standard
        let expected: [(Severity, [Int])] = [
            (.critical, [7, 14, 30]), (.high, [14, 30, 60]), (.medium, [30, 90, 180]), (.low, [90, 180, 365]),
            (.none, [90, 180, 365]), (.unknown, [14, 30, 60]),
        ]
        for (severity, days) in expected {
            #expect(Criticality.allCases.map { policy.days(for: severity, criticality: $0) } == days, "\(severity)")
        }
        #expect(policy.kevMaximumDays == 7)
        #expect(policy.epssThreshold == 0.1)
        #expect(policy.epssMaximumDays == 14)
        #expect(policy.problems().isEmpty)
    }

    @Test func settingOneCellChangesOnlyThatCell() {
        var policy = DeadlinePolicy.standard
        policy.setDays(45, for: .medium, criticality: .high)
        #expect(policy.days(for: .medium, criticality: .high) == 45)
        #expect(policy.days(for: .medium, criticality: .medium) == 90)
        #expect(policy.days(for: .high, criticality: .high) == 14)
        policy.setDays(100, for: .none, criticality: .low)
        #expect(policy.days(for: .low, criticality: .low) == 100)
    }

    @Test func problemsNameTheField() {
        var policy = DeadlinePolicy.standard
        policy.setDays(0, for: .unknown, criticality: .medium)
        policy.setDays(3651, for: .low, criticality: .low)
        policy.kevMaximumDays = -1
        policy.epssMaximumDays = 0
        policy.epssThreshold = 1.5
        #expect(Set(policy.problems().map(\.field)) == ["unknown.medium", "low.low", "kev_maximum_days", "epss_maximum_days", "epss_threshold"])
        policy = .standard
        policy.epssThreshold = .nan
        #expect(policy.problems().map(\.field) == ["epss_threshold"])
    }

    @Test func aMoreSevereRowMayNotAllowMoreDays() throws {
        var policy = DeadlinePolicy.standard
        policy.setDays(70, for: .critical, criticality: .low)
        policy.setDays(100, for: .medium, criticality: .high)
        let problems = policy.problems()
        #expect(problems.map(\.field) == ["critical.low", "medium.high"])
        let first = try #require(problems.first)
        #expect(first.message.en == "for Low criticality, Critical allows 70 days, more than High (60).")
        #expect(first.message.ja.contains("緊急"))
        policy = .standard
        policy.setDays(30, for: .high, criticality: .high)
        #expect(policy.problems().isEmpty)
        policy.setDays(31, for: .high, criticality: .high)
        #expect(policy.problems().map(\.field) == ["high.high"])
    }

    @Test func encodesStableReadableJSON() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try String(decoding: encoder.encode(DeadlinePolicy.standard), as: UTF8.self)
        #expect(json == #"{"days":{"critical":{"high":7,"low":30,"medium":14},"high":{"high":14,"low":60,"medium":30},"# +
            #""low":{"high":90,"low":365,"medium":180},"medium":{"high":30,"low":180,"medium":90},"# +
            #""unknown":{"high":14,"low":60,"medium":30}},"epss_maximum_days":14,"epss_threshold":0.1,"kev_maximum_days":7}"#)
        var custom = DeadlinePolicy.standard
        custom.setDays(3, for: .critical, criticality: .high)
        custom.epssThreshold = 0.25
        #expect(try JSONDecoder().decode(DeadlinePolicy.self, from: encoder.encode(custom)) == custom)
    }

    @Test func decodingRejectsMissingCells() throws {
        let encoder = JSONEncoder()
        var object = try #require(JSONSerialization.jsonObject(with: encoder.encode(DeadlinePolicy.standard)) as? [String: Any])
        var days = try #require(object["days"] as? [String: [String: Int]])
        days["medium"]?["low"] = nil
        object["days"] = days
        let data = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(DeadlinePolicy.self, from: data) }
        var withoutRow = try #require(JSONSerialization.jsonObject(with: encoder.encode(DeadlinePolicy.standard)) as? [String: Any])
        withoutRow["days"] = ["critical": ["high": 1, "medium": 1, "low": 1]]
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(DeadlinePolicy.self, from: JSONSerialization.data(withJSONObject: withoutRow))
        }
    }

    @Test func theShortestApplicableLimitWinsAndEveryRuleIsListed() {
        let policy = DeadlinePolicy.standard
        let plain = policy.deadline(discovered: day, severity: .medium, criticality: .low, knownExploited: false, epss: 0.05)
        #expect(plain.days == 180)
        #expect(plain.date == ISODate(year: 2026, month: 7, day: 9))
        #expect(plain.reasons == [.policy(.medium, .low, days: 180)])

        let exploited = policy.deadline(discovered: day, severity: .medium, criticality: .low, knownExploited: true, epss: 0.5)
        #expect(exploited.days == 7)
        #expect(exploited.date == ISODate(year: 2026, month: 1, day: 17))
        #expect(exploited.reasons == [.policy(.medium, .low, days: 180), .knownExploited(days: 7), .epss(score: 0.5, days: 14)])

        let likely = policy.deadline(discovered: day, severity: .low, criticality: .medium, knownExploited: false, epss: 0.1)
        #expect(likely.days == 14)
        #expect(likely.reasons.count == 2)

        // The policy row can be shorter than the KEV limit; it still wins.
        let critical = policy.deadline(discovered: day, severity: .critical, criticality: .high, knownExploited: true, epss: nil)
        #expect(critical.days == 7)
        var strict = policy
        strict.setDays(3, for: .critical, criticality: .high)
        #expect(strict.deadline(discovered: day, severity: .critical, criticality: .high, knownExploited: true, epss: nil).days == 3)
    }

    @Test func reasonsReadInBothLanguages() {
        let reasons: [DeadlineReason] = [.policy(.critical, .high, days: 7), .knownExploited(days: 7), .epss(score: 0.42, days: 14)]
        #expect(reasons.map(\.text.en) == [
            "Critical severity on a high-criticality system: 7 days",
            "known to be exploited (CISA KEV): within 7 days",
            "likely to be exploited (EPSS 0.420): within 14 days",
        ])
        #expect(reasons.allSatisfy { !$0.text.ja.isEmpty })
    }

    @Test func priority() {
        let policy = DeadlinePolicy.standard
        #expect(policy.priority(severity: .low, knownExploited: true, epss: nil) == .urgent)
        #expect(policy.priority(severity: .critical, knownExploited: false, epss: nil) == .high)
        #expect(policy.priority(severity: .low, knownExploited: false, epss: 0.1) == .high)
        #expect(policy.priority(severity: .high, knownExploited: false, epss: 0.09) == .normal)
        #expect(policy.priority(severity: .medium, knownExploited: false, epss: nil) == .normal)
        #expect(policy.priority(severity: .unknown, knownExploited: false, epss: nil) == .normal)
        #expect(policy.priority(severity: .low, knownExploited: false, epss: nil) == .low)
        #expect(policy.priority(severity: .none, knownExploited: false, epss: 0) == .low)
        #expect(FindingPriority.allCases.sorted(by: >) == [.urgent, .high, .normal, .low])
    }
}
