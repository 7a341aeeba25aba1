import Foundation
import PropertyBased
import Testing
@testable import KamaeTrust

struct TOTPTests {
    // RFC 6238 Appendix B uses the ASCII string "1234567890" repeated to each hash's output size.
    static let sha1Secret = Array("12345678901234567890".utf8)
    static let sha256Secret = Array("12345678901234567890123456789012".utf8)
    static let sha512Secret = Array("1234567890123456789012345678901234567890123456789012345678901234".utf8)

    struct RFC6238Vector: Sendable, CustomTestStringConvertible {
        let unixTime: TimeInterval
        let algorithm: TOTP.Algorithm
        let code: String
        var testDescription: String { "\(algorithm.rawValue) at \(Int64(unixTime))" }
    }

    /// RFC 6238 Appendix B, all 18 rows (8 digits).
    static let rfc6238Vectors: [RFC6238Vector] = [
        (59, "94287082", "46119246", "90693936"),
        (1_111_111_109, "07081804", "68084774", "25091201"),
        (1_111_111_111, "14050471", "67062674", "99943326"),
        (1_234_567_890, "89005924", "91819424", "93441116"),
        (2_000_000_000, "69279037", "90698825", "38618901"),
        (20_000_000_000, "65353130", "77737706", "47863826"),
    ].flatMap { time, sha1, sha256, sha512 in
        [
            RFC6238Vector(unixTime: time, algorithm: .sha1, code: sha1),
            RFC6238Vector(unixTime: time, algorithm: .sha256, code: sha256),
            RFC6238Vector(unixTime: time, algorithm: .sha512, code: sha512),
        ]
    }

    static func rfcTOTP(_ algorithm: TOTP.Algorithm, digits: TOTP.Digits = .eight) -> TOTP {
        let secret = switch algorithm {
        case .sha1: sha1Secret
        case .sha256: sha256Secret
        case .sha512: sha512Secret
        }
        return TOTP(secret: secret, algorithm: algorithm, digits: digits)
    }

    @Test(arguments: rfc6238Vectors)
    func matchesRFC6238AppendixB(vector: RFC6238Vector) {
        let totp = Self.rfcTOTP(vector.algorithm)
        let date = Date(timeIntervalSince1970: vector.unixTime)
        #expect(totp.code(at: date) == vector.code)
        #expect(totp.verify(vector.code, at: date, window: 0) == TOTP.timeStep(at: date))
    }

    /// RFC 4226 Appendix D: HOTP with counter 0…9 is TOTP's code for step 0…9.
    @Test(arguments: zip(0..<10, [
        "755224", "287082", "359152", "969429", "338314",
        "254676", "287922", "162583", "399871", "520489",
    ]))
    func matchesRFC4226AppendixD(counter: Int, expected: String) {
        let hotp = TOTP(secret: Self.sha1Secret)
        #expect(hotp.code(forStep: Int64(counter)) == expected)
    }

    @Test func defaultsToSHA1AndSixDigits() {
        let totp = TOTP(secret: Self.sha1Secret)
        #expect(totp.algorithm == .sha1)
        #expect(totp.digits == .six)
        // The last six digits of the RFC 6238 SHA-1 value at T = 59.
        #expect(totp.code(at: Date(timeIntervalSince1970: 59)) == "287082")
    }

    @Test func timeStepsAreThirtySecondsFromTheEpoch() {
        #expect(TOTP.timeStep(at: Date(timeIntervalSince1970: 0)) == 0)
        #expect(TOTP.timeStep(at: Date(timeIntervalSince1970: 29.999)) == 0)
        #expect(TOTP.timeStep(at: Date(timeIntervalSince1970: 30)) == 1)
        #expect(TOTP.timeStep(at: Date(timeIntervalSince1970: 1_111_111_109)) == 0x23523EC)
    }

    // MARK: Verification window

    static let now = Date(timeIntervalSince1970: 1_700_000_015)
    static let totp = TOTP(secret: sha1Secret)
    static var nowStep: Int64 { TOTP.timeStep(at: now) }

    @Test(arguments: [-1, 0, 1] as [Int64])
    func acceptsAdjacentStepsWithinTheDefaultWindow(offset: Int64) {
        let code = Self.totp.code(forStep: Self.nowStep + offset)
        #expect(Self.totp.verify(code, at: Self.now) == Self.nowStep + offset)
    }

    @Test(arguments: [-3, -2, 2, 3] as [Int64])
    func rejectsStepsOutsideTheWindow(offset: Int64) {
        let code = Self.totp.code(forStep: Self.nowStep + offset)
        #expect(Self.totp.verify(code, at: Self.now) == nil)
    }

    @Test func windowZeroAcceptsOnlyTheCurrentStep() {
        #expect(Self.totp.verify(Self.totp.code(forStep: Self.nowStep), at: Self.now, window: 0) == Self.nowStep)
        #expect(Self.totp.verify(Self.totp.code(forStep: Self.nowStep - 1), at: Self.now, window: 0) == nil)
    }

    @Test func widerWindowReachesFurther() {
        let code = Self.totp.code(forStep: Self.nowStep - 2)
        #expect(Self.totp.verify(code, at: Self.now, window: 2) == Self.nowStep - 2)
    }

    // MARK: Replay

    @Test func refusesTheSameStepTwice() {
        let code = Self.totp.code(at: Self.now)
        let usedStep = Self.totp.verify(code, at: Self.now)
        #expect(usedStep == Self.nowStep)
        #expect(Self.totp.verify(code, at: Self.now, notAtOrBefore: usedStep) == nil)
        // Still refused a few seconds later, while the step is inside the window.
        #expect(Self.totp.verify(code, at: Self.now.addingTimeInterval(20), notAtOrBefore: usedStep) == nil)
    }

    @Test func refusesAnEarlierStepAfterALaterOneWasUsed() {
        let previousCode = Self.totp.code(forStep: Self.nowStep - 1)
        #expect(Self.totp.verify(previousCode, at: Self.now, notAtOrBefore: Self.nowStep) == nil)
    }

    @Test func acceptsTheNextStepAfterOneWasUsed() {
        let nextCode = Self.totp.code(forStep: Self.nowStep + 1)
        #expect(Self.totp.verify(nextCode, at: Self.now, notAtOrBefore: Self.nowStep) == Self.nowStep + 1)
    }

    // MARK: Input handling

    @Test func ignoresSpacesAndAcceptsFullWidthDigits() {
        let code = Self.totp.code(at: Self.now)
        let spaced = "\(code.prefix(3)) \(code.suffix(3))"
        let fullWidth = String(code.unicodeScalars.map { Character(Unicode.Scalar($0.value - 0x30 + 0xFF10)!) })
        #expect(Self.totp.verify(spaced, at: Self.now) == Self.nowStep)
        #expect(Self.totp.verify(" \(code) ", at: Self.now) == Self.nowStep)
        #expect(Self.totp.verify(fullWidth, at: Self.now) == Self.nowStep)
        #expect(Self.totp.verify(code.prefix(3) + "\u{3000}" + code.suffix(3), at: Self.now) == Self.nowStep)
    }

    enum Malformation: CaseIterable, Sendable {
        case empty, oneDigitShort, oneDigitLong, letterAppended, signPrefix, arabicIndicDigits, tabInside

        func apply(to code: String) -> String {
            switch self {
            case .empty: ""
            case .oneDigitShort: String(code.dropLast())
            case .oneDigitLong: code + "0"
            case .letterAppended: code.dropLast() + "a"
            case .signPrefix: "+" + code.dropFirst()
            case .arabicIndicDigits: String(code.unicodeScalars.map { Character(Unicode.Scalar($0.value - 0x30 + 0x660)!) })
            case .tabInside: code.prefix(3) + "\t" + code.suffix(3)
            }
        }
    }

    /// Each malformation is applied to the code that is valid right now, so a nil
    /// result can only come from the format check.
    @Test(arguments: Malformation.allCases)
    func rejectsMalformedCodes(malformation: Malformation) {
        let valid = Self.totp.code(at: Self.now)
        #expect(Self.totp.verify(valid, at: Self.now) == Self.nowStep)
        #expect(Self.totp.verify(malformation.apply(to: valid), at: Self.now) == nil)
    }

    @Test func rejectsASixDigitCodeForAnEightDigitSecret() {
        let eightDigits = TOTP(secret: Self.sha1Secret, digits: .eight)
        let eight = eightDigits.code(at: Self.now)
        #expect(eightDigits.verify(String(eight.suffix(6)), at: Self.now) == nil)
        #expect(eightDigits.verify(eight, at: Self.now) == Self.nowStep)
    }

    @Test func codesVerifyAtTheirOwnTime() async {
        await propertyCheck(
            input: Gen<UInt8>.value(in: 0...255).array(of: 10...64),
            Gen.int64(in: 0...4_102_444_800),
            Gen<TOTP.Algorithm>.case,
            Gen<TOTP.Digits>.case
        ) { secret, seconds, algorithm, digits in
            let totp = TOTP(secret: secret, algorithm: algorithm, digits: digits)
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            let code = totp.code(at: date)
            #expect(code.count == digits.rawValue)
            #expect(code.allSatisfy(\.isASCII) && code.allSatisfy(\.isNumber))
            #expect(totp.verify(code, at: date, window: 0) == TOTP.timeStep(at: date))
        }
    }

    // MARK: Secrets and provisioning

    @Test func generatesTwentyRandomBytes() {
        let first = TOTP.generateSecret()
        let second = TOTP.generateSecret()
        #expect(first.count == 20)
        #expect(second.count == 20)
        #expect(first != second)
    }

    @Test func provisioningURIHasTheKeyURIFormat() {
        let uri = TOTP(secret: Self.sha1Secret).provisioningURI(account: "alice@example.com")
        #expect(uri == "otpauth://totp/Kamae:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            + "&issuer=Kamae&algorithm=SHA1&digits=6&period=30")
    }

    @Test func provisioningURIPercentEncodesJapaneseAsUTF8() {
        let totp = TOTP(secret: Self.sha256Secret, algorithm: .sha256, digits: .eight)
        let uri = totp.provisioningURI(issuer: "Kamae 監査", account: "山田太郎@みずほ銀行.example.jp")
        #expect(uri == "otpauth://totp/Kamae%20%E7%9B%A3%E6%9F%BB:"
            + "%E5%B1%B1%E7%94%B0%E5%A4%AA%E9%83%8E%40%E3%81%BF%E3%81%9A%E3%81%BB%E9%8A%80%E8%A1%8C.example.jp"
            + "?secret=\(Base32.encode(Self.sha256Secret))&issuer=Kamae%20%E7%9B%A3%E6%9F%BB"
            + "&algorithm=SHA256&digits=8&period=30")

        // A standard URL parser gets the original values back.
        let components = URLComponents(string: uri)
        #expect(components?.scheme == "otpauth")
        #expect(components?.host == "totp")
        #expect(components?.path == "/Kamae 監査:山田太郎@みずほ銀行.example.jp")
        let query = Dictionary(uniqueKeysWithValues: (components?.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(query["issuer"] == "Kamae 監査")
        #expect(query["secret"].flatMap { try? Base32.decode($0) } == Self.sha256Secret)
    }

    @Test func percentEncodingEscapesReservedCharacters() {
        #expect(TOTP.percentEncoded("a:b/c?d&e=f#g%h+i j") == "a%3Ab%2Fc%3Fd%26e%3Df%23g%25h%2Bi%20j")
        #expect(TOTP.percentEncoded("AZaz09-._~") == "AZaz09-._~")
    }
}
