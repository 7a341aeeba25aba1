import Testing
@testable import KamaeVulnerabilities

@Suite struct CPENameTests {
    @Test func parsesFormattedStringsWithEscapesAndSpecialValues() throws {
        let name = try CPEName(parsing: #"cpe:2.3:a:Microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*"#)
        #expect(name.vendor == .value(CPEValue(text: "microsoft")))
        #expect(name.concreteVersion == "8.0.6001")
        let escaped = try CPEName(parsing: #"cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*"#)
        #expect(escaped.attributes[4] == .notApplicable)
        let colon = try CPEName(parsing: #"cpe:2.3:a:foo\:bar:baz:1.0:*:*:*:*:*:*:*"#)
        #expect(colon.vendor == .value(CPEValue(text: "foo:bar")))
        #expect(try CPEName(parsing: colon.description) == colon)
    }

    @Test func readsTheOldURIForm() throws {
        let name = try CPEName(parsing: "cpe:/a:openssl:openssl:1.0.2k")
        #expect(name.product == .value(CPEValue(text: "openssl")))
        #expect(name.concreteVersion == "1.0.2k")
        #expect(name.attributes[4] == .any)
    }

    @Test func rejectsMalformedNames() {
        #expect(throws: CPEError.self) { try CPEName(parsing: "cpe:2.3:a:openssl:openssl:1.0") }
        #expect(throws: CPEError.self) { try CPEName(parsing: "cpe:2.3:x:openssl:openssl:1.0:*:*:*:*:*:*:*") }
        #expect(throws: CPEError.self) { try CPEName(parsing: "cpe:2.3:a:open*ssl:openssl:1.0:*:*:*:*:*:*:*") }
        #expect(throws: CPEError.self) { try CPEName(parsing: "cpe:2.3:a::openssl:1.0:*:*:*:*:*:*:*") }
        #expect(throws: CPEError.self) { try CPEName(parsing: "openssl 1.0") }
    }

    @Test func anyAndNotApplicableFollowTheNameMatchingRules() throws {
        let target = try CPEName(parsing: "cpe:2.3:a:openssl:openssl:3.0.11:-:*:*:*:*:*:*")
        #expect(try CPEName(parsing: "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*").matches(target))
        #expect(try CPEName(parsing: "cpe:2.3:a:openssl:openssl:3.0.11:-:*:*:*:*:*:*").matches(target))
        #expect(try !CPEName(parsing: "cpe:2.3:a:openssl:openssl:3.0.12:*:*:*:*:*:*:*").matches(target))
        // NA only matches NA; a value does not match an unknown (ANY) target.
        #expect(try !CPEName(parsing: "cpe:2.3:a:openssl:openssl:-:*:*:*:*:*:*:*").matches(target))
        let unknownVersion = try CPEName(parsing: "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*")
        #expect(try !CPEName(parsing: "cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*").matches(unknownVersion))
        #expect(try CPEName(parsing: "cpe:2.3:a:openssl:openssl:3.0.*:*:*:*:*:*:*:*").matches(target))
        #expect(try CPEName(parsing: "cpe:2.3:a:openssl:openssl:3.0.1?:*:*:*:*:*:*:*").matches(target))
        #expect(try !CPEName(parsing: "cpe:2.3:a:openssl:openssl:3.0.1?:*:*:*:*:*:*:*").matches(
            CPEName(parsing: "cpe:2.3:a:openssl:openssl:3.0.1:*:*:*:*:*:*:*")))
    }

    @Test func nvdVersionRanges() throws {
        let criterion = try CPEName(parsing: "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*")
        let range = CPEApplicability(criteria: criterion, versionStartIncluding: "3.0.0", versionEndExcluding: "3.0.12")
        #expect(try range.applies(to: CPEName(parsing: "cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*")))
        #expect(try range.applies(to: CPEName(parsing: "cpe:2.3:a:openssl:openssl:3.0.0:*:*:*:*:*:*:*")))
        #expect(try !range.applies(to: CPEName(parsing: "cpe:2.3:a:openssl:openssl:3.0.12:*:*:*:*:*:*:*")))
        #expect(try !range.applies(to: CPEName(parsing: "cpe:2.3:a:openssl:openssl:2.9.9:*:*:*:*:*:*:*")))
        #expect(try !range.applies(to: CPEName(parsing: "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*")))
        #expect(try !range.applies(to: CPEName(parsing: "cpe:2.3:a:other:openssl:3.0.11:*:*:*:*:*:*:*")))
        let inclusive = CPEApplicability(criteria: criterion, versionStartExcluding: "1.0", versionEndIncluding: "1.1")
        #expect(try inclusive.applies(to: CPEName(parsing: "cpe:2.3:a:openssl:openssl:1.1:*:*:*:*:*:*:*")))
        #expect(try !inclusive.applies(to: CPEName(parsing: "cpe:2.3:a:openssl:openssl:1.0:*:*:*:*:*:*:*")))
    }
}
