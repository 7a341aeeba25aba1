import Testing
import KamaeVulnerabilities

/// Every way a vector can be invalid is reported precisely, never accepted and never a crash.
@Suite struct CVSSErrorTests {
    static let v31 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    static let v40 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"

    static let invalidVectors: [(String, CVSSError)] = [
        ("", .empty),
        ("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", .missingPrefix),
        ("cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", .missingPrefix),
        ("CVSS:2.0/AV:N/AC:L/Au:N/C:C/I:C/A:C", .unsupportedVersion("2.0")),
        ("CVSS:/AV:N", .unsupportedVersion("")),
        ("CVSS:3.10/AV:N", .unsupportedVersion("3.10")),
        ("CVSS:3.1/", .emptyField(position: 1)),
        ("CVSS:3.1/AV:N//AC:L", .emptyField(position: 2)),
        (v31 + "/", .emptyField(position: 9)),
        ("CVSS:3.1/AVN/AC:L", .malformedField("AVN", position: 1)),
        ("CVSS:3.1/AV:N/:L", .malformedField(":L", position: 2)),
        (v31 + "/XX:N", .unknownMetric("XX", version: .v3_1, position: 9)),
        ("CVSS:3.0/av:n", .unknownMetric("av", version: .v3_0, position: 1)),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/C:H", .unknownMetric("C", version: .v4_0, position: 6)),
        ("CVSS:3.1/AV:X/AC:L", .invalidValue(metric: "AV", value: "X", allowed: ["N", "A", "L", "P"])),
        ("CVSS:3.1/AV:", .invalidValue(metric: "AV", value: "", allowed: ["N", "A", "L", "P"])),
        ("CVSS:3.1/AV:N:L", .invalidValue(metric: "AV", value: "N:L", allowed: ["N", "A", "L", "P"])),
        ("CVSS:4.0/AV:Ｎ", .invalidValue(metric: "AV", value: "Ｎ", allowed: ["N", "A", "L", "P"])),
        (v40 + "/U:ClearClearClear", .invalidValue(metric: "U", value: "ClearClearClear",
                                                   allowed: ["X", "Clear", "Green", "Amber", "Red"])),
        (v40 + "/MSC:S", .invalidValue(metric: "MSC", value: "S", allowed: ["X", "H", "L", "N"])),
        ("CVSS:3.1/AV:N/AC:L/AV:N", .duplicateMetric("AV")),
        (v40 + "/AV:N", .duplicateMetric("AV")),
        (v31 + "/E:X/E:X", .duplicateMetric("E")),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VA:H/VI:H/SC:N/SI:N/SA:N", .outOfOrder(metric: "VI", follows: "VA")),
        ("CVSS:4.0/E:A/AV:N", .outOfOrder(metric: "AV", follows: "E")),
        (v40 + "/U:Red/S:P", .outOfOrder(metric: "S", follows: "U")),
        ("CVSS:3.1", .missingMetrics(["AV", "AC", "PR", "UI", "S", "C", "I", "A"], version: .v3_1)),
        ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H", .missingMetrics(["S"], version: .v3_0)),
        ("CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N", .missingMetrics(["AT", "SA"], version: .v4_0)),
    ]

    @Test(arguments: invalidVectors)
    func rejects(vector: String, error: CVSSError) {
        #expect(throws: error) { try CVSS.parse(vector) }
    }

    @Test func descriptionsNameTheMetricAndTheProblem() {
        #expect(CVSSError.invalidValue(metric: "AV", value: "X", allowed: ["N", "A", "L", "P"]).description
            == "metric AV has invalid value \"X\" (allowed: N, A, L, P)")
        #expect(CVSSError.missingMetrics(["AT", "SA"], version: .v4_0).description
            == "missing mandatory CVSS 4.0 metrics AT, SA")
        #expect(CVSSError.missingMetrics(["S"], version: .v3_1).description == "missing mandatory CVSS 3.1 metric S")
        #expect(CVSSError.outOfOrder(metric: "VI", follows: "VA").description
            == "metric VI must come before VA (CVSS 4.0 requires the specification's metric order)")
        #expect(CVSSError.unknownMetric("XX", version: .v3_1, position: 9).description
            == "unknown CVSS 3.1 metric \"XX\" at position 9")
        #expect(CVSSError.unsupportedVersion("2.0").description == "unsupported CVSS version \"2.0\" (supported: 3.0, 3.1, 4.0)")
    }

    @Test func optionalMetricsMayBeNotDefinedButBaseMetricsMayNot() throws {
        #expect(try CVSS.score(Self.v40 + "/E:X/CR:X/MAV:X/S:X/U:X") == CVSS.score(Self.v40))
        #expect(throws: CVSSError.invalidValue(metric: "SA", value: "X", allowed: ["H", "L", "N"])) {
            try CVSS.parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:X")
        }
    }

    /// Every string of up to four characters from an alphabet of vector fragments, after several prefixes.
    @Test func arbitraryInputNeverCrashesTheParser() {
        let alphabet = ["A", "V", ":", "/", "N", "X", "4", ".", "0", "C", "S", "Ｎ"]
        var texts = [""]
        var strings = [""]
        for _ in 0..<4 {
            texts = texts.flatMap { text in alphabet.map { text + $0 } }
            strings += texts
        }
        var rejected = 0
        for prefix in ["", "CVSS:", "CVSS:4.0/", "CVSS:3.1/AV:N/", Self.v40 + "/"] {
            for text in strings where (try? CVSS.parse(prefix + text)) == nil {
                rejected += 1
            }
        }
        #expect(rejected > 100_000)
    }
}
