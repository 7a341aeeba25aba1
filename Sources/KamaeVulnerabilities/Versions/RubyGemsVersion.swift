/// A RubyGems version in `Gem::Version` order.
///
/// The version is digits followed by `.`-separated alphanumerics, optionally a `-` part (each `-` read as `.pre.`).
/// Segments are runs of digits (numbers) or letters (text); any text segment makes it a pre-release, and
/// text orders before numbers (`1.0.a < 1.0 < 1.0.1`). Trailing zeros before the first text segment and at
/// the end do not count (`1.0.a2 == 1.a.2`, `1.0 == 1`).
public struct RubyGemsVersion: EcosystemVersion {
    enum Segment: Sendable, Equatable {
        case number(VersionNumber)
        case text(String)
    }

    let segments: [Segment]

    public var isPrerelease: Bool {
        segments.contains { if case .text = $0 { true } else { false } }
    }

    public init?(_ text: String) {
        let bytes = VersionBytes.trimmed(text)
        guard let first = bytes.first, first.isASCIIDigit, Self.isWellFormed(bytes) else { return nil }
        var segments: [Segment] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte.isASCIIDigit {
                let end = VersionBytes.digitRunEnd(bytes, from: index)
                segments.append(.number(VersionNumber(digits: bytes, index..<end)))
                index = end
            } else if byte.isASCIILetter {
                let end = VersionBytes.letterRunEnd(bytes, from: index)
                segments.append(.text(VersionBytes.string(bytes, index..<end)))
                index = end
            } else {
                // RubyGems reads every `-` as `.pre.`.
                if byte == UInt8(ascii: "-") { segments.append(.text("pre")) }
                index += 1
            }
        }
        self.segments = Self.canonical(segments)
    }

    /// RubyGems' grammar: `N(.[0-9A-Za-z]+)*(-[0-9A-Za-z-]+(.[0-9A-Za-z-]+)*)?`.
    private static func isWellFormed(_ bytes: [UInt8]) -> Bool {
        var inPrerelease = false
        var previousWasSeparator = false
        for byte in bytes {
            if byte.isASCIIAlphanumeric {
                previousWasSeparator = false
            } else if byte == UInt8(ascii: ".") {
                if previousWasSeparator { return false }
                previousWasSeparator = true
            } else if byte == UInt8(ascii: "-") {
                if inPrerelease {
                    previousWasSeparator = false
                } else {
                    if previousWasSeparator { return false }
                    inPrerelease = true
                    previousWasSeparator = true
                }
            } else {
                return false
            }
        }
        return !previousWasSeparator
    }

    /// Drops trailing zeros from the release part and from the pre-release part, as `canonical_segments` does.
    private static func canonical(_ segments: [Segment]) -> [Segment] {
        let textStart = segments.firstIndex { if case .text = $0 { true } else { false } } ?? segments.count
        var release = Array(segments[..<textStart])
        var prerelease = Array(segments[textStart...])
        while case .number(let number)? = release.last, number.isZero { release.removeLast() }
        while case .number(let number)? = prerelease.last, number.isZero { prerelease.removeLast() }
        return release + prerelease
    }

    public func compare(to other: RubyGemsVersion) -> Int {
        for index in 0..<max(segments.count, other.segments.count) {
            let left = index < segments.count ? segments[index] : .number(.zero)
            let right = index < other.segments.count ? other.segments[index] : .number(.zero)
            switch (left, right) {
            case let (.number(a), .number(b)) where a != b: return a < b ? -1 : 1
            case let (.text(a), .text(b)) where a != b: return a < b ? -1 : 1
            case (.text, .number): return -1
            case (.number, .text): return 1
            default: continue
            }
        }
        return 0
    }
}
