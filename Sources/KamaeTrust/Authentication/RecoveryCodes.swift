import Crypto
import Foundation

/// One-time recovery codes for when a user's authenticator is lost, e.g. `k7m2-q9xa-3fhd`.
///
/// Codes use Crockford's Base32 alphabet in lowercase: it leaves out i, l, o and u,
/// and input maps i/l to 1 and o to 0, so a code misread from paper still works.
/// Each code is 12 symbols × 5 bits = 60 random bits. Only SHA-256 digests are
/// stored: with that much entropy a fast unsalted hash is enough, and it lets a
/// code be found by digest without trying a slow hash per stored code.
public struct RecoveryCodes: Sendable, Hashable {
    public static let defaultCount = 10
    static let symbolsPerCode = 12
    static let symbolsPerGroup = 4
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")

    /// Shown to the user once, then discarded.
    public let codes: [String]
    /// Lowercase hex SHA-256 of each normalised code, in the same order: what to store.
    public let digests: [String]

    public static func generate(count: Int = defaultCount) -> RecoveryCodes {
        var generator = SystemRandomNumberGenerator()
        let raw = (0..<count).map { _ in
            String((0..<symbolsPerCode).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
        }
        return RecoveryCodes(codes: raw.map(formatted), digests: raw.map(digest(ofNormalised:)))
    }

    /// The index of the stored digest that `input` matches, or nil.
    ///
    /// The caller must delete that digest once used: each code works only once.
    /// Every digest is compared in constant time and the loop never exits early,
    /// so timing reveals neither whether nor where a code matched.
    public static func matchIndex(of input: String, in digests: [String]) -> Int? {
        guard let normalised = normalised(input) else { return nil }
        let candidate = Array(digest(ofNormalised: normalised).utf8)
        var match: Int?
        for (index, stored) in digests.enumerated() {
            if ConstantTime.equals(candidate, Array(stored.lowercased().utf8)), match == nil {
                match = index
            }
        }
        return match
    }

    /// Folds what a person might type into the canonical 12 symbols: NFKC (full-width
    /// input), lowercase, no spaces or dashes, Crockford's look-alike substitutions.
    /// Nil when the result cannot be a code, so garbage is never hashed and compared.
    static func normalised(_ input: String) -> String? {
        var symbols: [Character] = []
        for character in input.precomposedStringWithCompatibilityMapping.lowercased() {
            switch character {
            case " ", "-", "\t": continue
            case "o": symbols.append("0")
            case "i", "l": symbols.append("1")
            default:
                guard alphabet.contains(character) else { return nil }
                symbols.append(character)
            }
        }
        return symbols.count == symbolsPerCode ? String(symbols) : nil
    }

    private static func formatted(_ raw: String) -> String {
        let symbols = Array(raw)
        return stride(from: 0, to: symbols.count, by: symbolsPerGroup)
            .map { String(symbols[$0..<min($0 + symbolsPerGroup, symbols.count)]) }
            .joined(separator: "-")
    }

    private static func digest(ofNormalised code: String) -> String {
        SHA256.hash(data: Array(code.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 0x10 ? "0" + hex : hex
        }.joined()
    }
}
