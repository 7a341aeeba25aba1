/// One dot-separated pre-release identifier: numbers order numerically and before text.
enum PrereleaseIdentifier: Comparable, Sendable {
    case numeric(VersionNumber)
    case text(String)
}

/// The shared body of SemVer-shaped versions (npm, crates.io, Go, NuGet, generic): numeric release
/// components, then pre-release identifiers; build metadata is read and ignored.
struct SemanticVersionParts: Sendable {
    /// Release components without trailing zeros, so `1.2` and `1.2.0` are the same release.
    let release: [VersionNumber]
    /// Empty for a release; a version with identifiers orders before the same release without them.
    let prerelease: [PrereleaseIdentifier]

    struct Rules {
        /// Accepts a leading `v` (and npm's `=`), as tags and lock files often write it.
        var acceptsPrefix: Bool
        var maximumReleaseComponents: Int
        /// NuGet compares pre-release labels without regard to case.
        var caseInsensitivePrerelease: Bool
    }

    /// Parses `text`; nil unless it is release components, an optional `-pre.release` and optional `+build`.
    init?(_ text: String, rules: Rules) {
        let bytes = VersionBytes.trimmed(text)
        var index = 0
        if rules.acceptsPrefix {
            if index < bytes.count, bytes[index] == UInt8(ascii: "=") { index += 1 }
            if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "v") { index += 1 }
        }
        var release: [VersionNumber] = []
        release.reserveCapacity(4)
        while true {
            let end = VersionBytes.digitRunEnd(bytes, from: index)
            guard end > index, release.count < rules.maximumReleaseComponents else { return nil }
            release.append(VersionNumber(digits: bytes, index..<end))
            index = end
            guard index < bytes.count, bytes[index] == UInt8(ascii: ".") else { break }
            index += 1
        }
        while let last = release.last, last.isZero { release.removeLast() }

        var prerelease: [PrereleaseIdentifier] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            index += 1
            while true {
                var end = index
                var allDigits = true
                while end < bytes.count, bytes[end].isASCIIAlphanumeric || bytes[end] == UInt8(ascii: "-") {
                    if !bytes[end].isASCIIDigit { allDigits = false }
                    end += 1
                }
                guard end > index else { return nil }
                if allDigits {
                    prerelease.append(.numeric(VersionNumber(digits: bytes, index..<end)))
                } else {
                    let label = VersionBytes.string(bytes, index..<end)
                    prerelease.append(.text(rules.caseInsensitivePrerelease ? label.lowercased() : label))
                }
                index = end
                guard index < bytes.count, bytes[index] == UInt8(ascii: ".") else { break }
                index += 1
            }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") {
            index += 1
            guard index < bytes.count else { return nil }
            while index < bytes.count {
                let byte = bytes[index]
                guard byte.isASCIIAlphanumeric || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") else {
                    return nil
                }
                index += 1
            }
        }
        guard index == bytes.count else { return nil }
        self.release = release
        self.prerelease = prerelease
    }

    func compare(to other: SemanticVersionParts) -> Int {
        for (left, right) in zip(release, other.release) where left != right {
            return left < right ? -1 : 1
        }
        if release.count != other.release.count { return release.count < other.release.count ? -1 : 1 }
        switch (prerelease.isEmpty, other.prerelease.isEmpty) {
        case (true, true): return 0
        case (true, false): return 1
        case (false, true): return -1
        case (false, false):
            for (left, right) in zip(prerelease, other.prerelease) where left != right {
                return left < right ? -1 : 1
            }
            return threeWay(prerelease.count, other.prerelease.count)
        }
    }
}
