import Testing
import KamaeVulnerabilities

/// The line processing behind `kamae cvss`.
@Suite struct CVSSBatchTests {
    @Test func scoresEveryLineAndReportsBadOnesByLineNumber() {
        let outcomes = CVSSBatch.process(lines: [
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "",
            "   ",
            "  CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\r",
            "CVSS:4.0/AV:N",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N",
        ])
        #expect(outcomes.map(\.text) == [
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\t9.8\tCritical",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\t9.3\tCritical",
            "line 5: \"CVSS:4.0/AV:N\": missing mandatory CVSS 4.0 metrics AC, AT, PR, UI, VC, VI, VA, SC, SI, SA",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N\t0.0\tNone",
        ])
        #expect(outcomes.map(\.isFailure) == [false, false, true, false])
    }

    @Test func argumentsAreNumberedAndAnEmptyOneIsAnError() {
        let outcomes = CVSSBatch.process(arguments: ["CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", "", "CVSS:3.1/AV:Q"])
        #expect(outcomes.map(\.text) == [
            "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N\t6.1\tMedium",
            "argument 2: \"\": empty CVSS vector",
            "argument 3: \"CVSS:3.1/AV:Q\": metric AV has invalid value \"Q\" (allowed: N, A, L, P)",
        ])
    }

    @Test func theVectorIsEchoedAsGiven() {
        let outcome = CVSSBatch.outcome(line: "CVSS:3.1/A:N/I:N/C:L/S:U/UI:N/PR:N/AC:L/AV:N/E:X", number: 1)
        #expect(outcome?.text == "CVSS:3.1/A:N/I:N/C:L/S:U/UI:N/PR:N/AC:L/AV:N/E:X\t5.3\tMedium")
        #expect(CVSSBatch.outcome(line: "\t", number: 2) == nil)
    }
}
