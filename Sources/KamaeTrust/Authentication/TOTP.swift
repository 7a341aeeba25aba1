import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238), built on HOTP (RFC 4226).
///
/// The time step is fixed at 30 seconds because that is the only period every
/// mainstream authenticator app honours; other periods are silently ignored by some.
public struct TOTP: Sendable, Hashable {
    public enum Algorithm: String, Sendable, Hashable, CaseIterable {
        case sha1 = "SHA1"
        case sha256 = "SHA256"
        case sha512 = "SHA512"
    }

    public enum Digits: Int, Sendable, Hashable, CaseIterable {
        case six = 6
        case eight = 8
    }

    /// Length of one time step, in seconds.
    public static let period: Int64 = 30

    /// RFC 4226 §4 recommends at least 160 bits; that is also SHA-1's block-friendly key size.
    public static let generatedSecretByteCount = 20

    public let secret: [UInt8]
    public let algorithm: Algorithm
    public let digits: Digits

    public init(secret: [UInt8], algorithm: Algorithm = .sha1, digits: Digits = .six) {
        self.secret = secret
        self.algorithm = algorithm
        self.digits = digits
    }

    public static func generateSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<generatedSecretByteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// The RFC 6238 time step containing `date`: whole periods since the Unix epoch.
    public static func timeStep(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / Double(period)).rounded(.down))
    }

    public func code(at date: Date) -> String {
        code(forStep: Self.timeStep(at: date))
    }

    /// The HOTP value for counter `step`; with a time step as counter this is TOTP.
    public func code(forStep step: Int64) -> String {
        let counter = withUnsafeBytes(of: UInt64(bitPattern: step).bigEndian) { Array($0) }
        let key = SymmetricKey(data: secret)
        let mac: [UInt8] = switch algorithm {
        case .sha1: Array(HMAC<Insecure.SHA1>.authenticationCode(for: counter, using: key))
        case .sha256: Array(HMAC<SHA256>.authenticationCode(for: counter, using: key))
        case .sha512: Array(HMAC<SHA512>.authenticationCode(for: counter, using: key))
        }
        // RFC 4226 §5.3 dynamic truncation: the low nibble of the last byte picks 4 bytes,
        // whose top bit is dropped so the number is the same signed or unsigned.
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let truncated = (UInt32(mac[offset] & 0x7F) << 24)
            | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        let modulus: UInt32 = digits == .six ? 1_000_000 : 100_000_000
        let value = String(truncated % modulus)
        return String(repeating: "0", count: digits.rawValue - value.count) + value
    }

    /// Checks `code` against the steps within `window` of the step at `date`.
    ///
    /// Returns the matched step so the caller can store it and pass it back as
    /// `lastUsedStep`: steps at or before it are never accepted again, which stops
    /// a code seen over someone's shoulder (or phished) from being replayed.
    /// Spaces are ignored because apps display codes as "123 456", and input is
    /// NFKC-normalised first so full-width digits typed with a Japanese IME count.
    public func verify(
        _ code: String,
        at date: Date,
        window: Int = 1,
        notAtOrBefore lastUsedStep: Int64? = nil
    ) -> Int64? {
        precondition(window >= 0, "A TOTP window is a count of steps either side and cannot be negative")
        let normalised = code.precomposedStringWithCompatibilityMapping
        let candidate = Array(normalised.utf8.filter { $0 != UInt8(ascii: " ") })
        guard candidate.count == digits.rawValue,
              candidate.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }

        let currentStep = Self.timeStep(at: date)
        var matchedStep: Int64?
        // Every step in the window is computed and compared, so the time taken
        // does not reveal which step (if any) matched.
        for step in (currentStep - Int64(window))...(currentStep + Int64(window)) {
            let isFresh = lastUsedStep.map { step > $0 } ?? true
            let matches = ConstantTime.equals(candidate, Array(self.code(forStep: step).utf8))
            if matches, isFresh, matchedStep == nil {
                matchedStep = step
            }
        }
        return matchedStep
    }

    /// The Key URI understood by authenticator apps, usually shown as a QR code:
    /// `otpauth://totp/Issuer:account?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30`.
    ///
    /// Issuer and account are percent-encoded byte by byte (UTF-8), leaving only
    /// RFC 3986 unreserved characters as they are, so a Japanese name or an
    /// e-mail address survives every app's parser.
    public func provisioningURI(issuer: String = "Kamae", account: String) -> String {
        let label = "\(Self.percentEncoded(issuer)):\(Self.percentEncoded(account))"
        let query = [
            "secret=\(Base32.encode(secret))",
            "issuer=\(Self.percentEncoded(issuer))",
            "algorithm=\(algorithm.rawValue)",
            "digits=\(digits.rawValue)",
            "period=\(Self.period)",
        ].joined(separator: "&")
        return "otpauth://totp/\(label)?\(query)"
    }

    static func percentEncoded(_ text: String) -> String {
        let hexDigits = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        for byte in text.utf8 {
            if isUnreserved(byte) {
                output.append(byte)
            } else {
                output.append(contentsOf: [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
