import KamaeCore
import Testing
import KamaeVulnerabilities

@Suite struct FindingStatusTests {
    @Test func manualChanges() {
        let allowed: Set<[FindingStatus]> = [[.open, .inProgress], [.inProgress, .open], [.open, .fixed], [.inProgress, .fixed], [.fixed, .open]]
        for from in FindingStatus.allCases {
            for to in FindingStatus.allCases {
                #expect(FindingStatus.canMove(from: from, to: to) == allowed.contains([from, to]), "\(from) → \(to)")
            }
        }
        #expect(FindingStatus.allCases.filter(\.isClosed) == [.fixed, .accepted])
        #expect(FindingStatus.inProgress.rawValue == "in_progress")
        #expect(FindingStatus.accepted.name.ja == "リスク受容")
    }

    @Test func riskExceptionRequestProblems() {
        let today = ISODate(year: 2026, month: 3, day: 1)
        let good = RiskExceptionRequest(reason: "Vendor patch not yet released", compensatingControls: "WAF rule", expiry: today.adding(days: 90))
        #expect(good.problems(today: today).isEmpty)

        let blank = RiskExceptionRequest(reason: " \n ", compensatingControls: "", expiry: today)
        #expect(blank.problems(today: today).map(\.field) == ["reason", "compensating_controls", "expiry"])

        let long = RiskExceptionRequest(reason: String(repeating: "あ", count: 2001), compensatingControls: "  " + String(repeating: "x", count: 2000) + "  ",
                                        expiry: today.adding(days: 1097))
        #expect(long.problems(today: today).map(\.field) == ["reason", "expiry"])
        #expect(RiskExceptionRequest(reason: "r", compensatingControls: "c", expiry: today.adding(days: 1096)).problems(today: today).isEmpty)
        #expect(RiskExceptionRequest(reason: "r", compensatingControls: "c", expiry: today.adding(days: 1)).problems(today: today).isEmpty)
    }

    @Test func anExceptionExpiresAfterItsLastDay() {
        let expiry = ISODate(year: 2026, month: 3, day: 31)
        #expect(!RiskExceptionRequest.isExpired(expiry: expiry, today: ISODate(year: 2026, month: 3, day: 30)))
        #expect(!RiskExceptionRequest.isExpired(expiry: expiry, today: expiry))
        #expect(RiskExceptionRequest.isExpired(expiry: expiry, today: ISODate(year: 2026, month: 4, day: 1)))
    }
}
