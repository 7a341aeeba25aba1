/// A Composer (Packagist) version in PHP's `version_compare` order, which Composer applies to versions.
///
/// A leading `v`/`V` is dropped (`v1.2.3 == 1.2.3`). The rest splits into runs of digits and runs of
/// letters (anything else separates). Numbers order numerically; words by stability, matched as prefixes
/// and case-sensitively as PHP does: other words < dev < alpha/a < beta/b < RC/rc < (number) < pl/p (patch).
/// When one version runs out, it orders as if followed by a marker between rc and any number:
/// `1.0-dev < 1.0 < 1.0.0 < 1.0pl1`. Every non-empty string parses.
public struct PackagistVersion: EcosystemVersion {
    enum Token: Comparable, Sendable {
        /// A word ranked below a number (dev, alpha, beta, rc, or unknown).
        case preRelease(Int8)
        /// The end of the shorter version, compared against the next token of the longer one.
        case end
        case number(VersionNumber)
        /// `p`, `pl`, `patch`…
        case patch
    }

    let tokens: [Token]

    public init?(_ text: String) {
        var bytes = VersionBytes.trimmed(text)
        if let first = bytes.first, first | 0x20 == UInt8(ascii: "v") { bytes.removeFirst() }
        guard !bytes.isEmpty else { return nil }
        var tokens: [Token] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte.isASCIIDigit {
                let end = VersionBytes.digitRunEnd(bytes, from: index)
                tokens.append(.number(VersionNumber(digits: bytes, index..<end)))
                index = end
            } else if byte.isASCIILetter {
                let end = VersionBytes.letterRunEnd(bytes, from: index)
                tokens.append(Self.word(bytes, index))
                index = end
            } else {
                index += 1
            }
        }
        self.tokens = tokens
    }

    private static func word(_ bytes: [UInt8], _ index: Int) -> Token {
        if VersionBytes.hasWord(bytes, at: index, "dev") { return .preRelease(0) }
        if VersionBytes.hasWord(bytes, at: index, "RC") || VersionBytes.hasWord(bytes, at: index, "rc") {
            return .preRelease(3)
        }
        switch bytes[index] {
        case UInt8(ascii: "a"): return .preRelease(1)
        case UInt8(ascii: "b"): return .preRelease(2)
        case UInt8(ascii: "p"): return .patch
        default: return .preRelease(-1)
        }
    }

    public func compare(to other: PackagistVersion) -> Int {
        for index in 0..<max(tokens.count, other.tokens.count) {
            let left = index < tokens.count ? tokens[index] : .end
            let right = index < other.tokens.count ? other.tokens[index] : .end
            if left != right { return left < right ? -1 : 1 }
        }
        return 0
    }
}
