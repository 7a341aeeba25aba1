import Testing
@testable import KamaeVulnerabilities

/// Published example vectors (FIRST's CVSS v3.1 and v4.0 examples and specification) and the rules around them.
@Suite struct CVSSScoreTests {
    @Test(arguments: [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", "7.5", CVSSSeverity.high),      // CVE-2014-0160 Heartbleed
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "9.8", .critical),              // CVE-2014-6271 Shellshock
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", "6.1", .medium),                // CVE-2013-1937 phpMyAdmin XSS
        ("CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", "6.1", .medium),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", "10.0", .critical),
        ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", "7.8", .high),
        ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:N", "0.0", .none),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", "10.0", .critical),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "9.3", .critical),
        ("CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "8.5", .high),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", "6.9", .medium),
        ("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", "1.0", .low),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", "0.0", .none),
    ])
    func baseScores(vector: String, score: String, severity: CVSSSeverity) throws {
        let scored = try CVSS.score(vector)
        #expect(scored.description == score)
        #expect(scored.severity == severity)
    }

    @Test func threatMetricLowersACVSS4Score() throws {
        let base = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
        #expect(try CVSS.score(base + "/E:A").description == "9.3")
        #expect(try CVSS.score(base + "/E:P").description == "8.9")
        #expect(try CVSS.score(base + "/E:U").description == "8.1")
        #expect(try CVSS.score(base + "/E:X") == CVSS.score(base))
    }

    @Test func environmentalAndSupplementalMetricsOfCVSS4() throws {
        // Safety (MSI:S) alone makes a vector with no other impact High; supplemental metrics never change a score.
        #expect(try CVSS.score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/MSI:S").description == "8.9")
        let vector = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/CR:L/IR:L/AR:L/MAV:L/MSA:S"
        #expect(try CVSS.score(vector).description == "9.3")
        #expect(try CVSS.score(vector + "/S:P/AU:Y/R:I/V:C/RE:H/U:Red") == CVSS.score(vector))
    }

    @Test func cvss3ScoreIsTheMostSpecificGroupGiven() throws {
        let temporal = try Self.cvss3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U")
        #expect(temporal.baseScore.description == "9.8")
        #expect(temporal.temporalScore.description == "7.8")
        #expect(temporal.score.description == "7.8")
        let environmental = try Self.cvss3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/CR:H/MS:U/MC:L")
        #expect(environmental.baseScore.description == "10.0")
        #expect(environmental.environmentalScore.description == "9.5")
        #expect(environmental.score.description == "9.5")
        // Explicit Not Defined values do not count as given.
        let base = try Self.cvss3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/MAV:X")
        #expect(base.score == base.baseScore)
    }

    @Test func cvss30And31DifferInTheModifiedImpactOfAChangedScope() throws {
        let metrics = "/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/CR:L/MC:H/MI:H/MA:N"
        let v30 = try Self.cvss3("CVSS:3.0" + metrics)
        let v31 = try Self.cvss3("CVSS:3.1" + metrics)
        #expect(v30.environmentalScore.description == "9.6")
        #expect(v31.environmentalScore.description == "9.5")
        #expect(try CVSS.score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/CR:H/MC:L").description == "10.0")
    }

    @Test func roundupOfCVSS31IgnoresFloatingPointDust() {
        // Specification Appendix A: inputs within 0.00001 of a tenth stay on it; 3.0 rounds every excess up.
        let dusty = ExactDecimal(4_000_001, scale: 6)
        #expect(dusty.roundedUpTenthsCVSS31 == 40)
        #expect(dusty.roundedUpTenths == 41)
        #expect(ExactDecimal(402, scale: 2).roundedUpTenthsCVSS31 == 41)
        #expect(ExactDecimal(400, scale: 2).roundedUpTenthsCVSS31 == 40)
        #expect(ExactDecimal(400, scale: 2).roundedUpTenths == 40)
        #expect(ExactDecimal(40_001, scale: 4).roundedUpTenthsCVSS31 == 41)
    }

    @Test func severityBoundaries() {
        let rating = { (tenths: Int) in CVSSScore(tenths: tenths).severity }
        #expect([0, 1, 39, 40, 69, 70, 89, 90, 100].map(rating)
            == [.none, .low, .low, .medium, .medium, .high, .high, .critical, .critical])
        #expect(CVSSSeverity.low < .critical)
        #expect(CVSSScore(tenths: 100).description == "10.0")
        #expect(CVSSScore(tenths: 5).description == "0.5")
        #expect(CVSSScore(tenths: 93).value == 9.3)
    }

    @Test func parsedVectorsDescribeThemselves() throws {
        let v4 = try CVSS.parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/CR:H/U:Amber")
        #expect(v4.version == .v4_0)
        #expect(v4.description == "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/CR:H/U:Amber")
        guard case .v4(let vector) = v4 else { Issue.record("expected a CVSS 4.0 vector"); return }
        #expect(vector.macroVector == "000200")
        #expect(vector.nomenclature == "CVSS-BE")
        #expect(vector.value(of: .providerUrgency) == "Amber")
        #expect(vector.value(of: .exploitMaturity) == "X")
        #expect(!vector.defines(.exploitMaturity))

        // CVSS 3.x allows any metric order; the canonical form uses the specification's.
        let v3 = try CVSS.parse("CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N/RC:C")
        #expect(v3.description == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/RC:C")
        #expect(v3.score.description == "9.8")
        #expect(try CVSS.parse(v3.description) == v3)
    }

    private static func cvss3(_ text: String) throws -> CVSS3Vector {
        guard case .v3(let vector) = try CVSS.parse(text) else { throw CVSSError.unsupportedVersion("4.0") }
        return vector
    }
}
