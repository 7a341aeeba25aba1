/// An Alpine (apk) package version: `number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}`.
///
/// Components order numerically, except that a later component with a leading zero compares as text
/// (apk's fractional rule: `1.05 < 1.1`); then the optional letter (none first); then the suffixes
/// `_alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p`, each with its number; then the
/// `-rN` package revision, numerically (`-r18` is after `-r2`). The commit hash is ignored.
///
/// apk orders strings that break this grammar too; such a version keeps what it could read, orders after
/// it in the grammar's terms, and ranks below a valid version with the same reading (two of them then
/// order by their text).
public struct AlpineVersion: EcosystemVersion {
    struct Component: Sendable {
        let value: VersionNumber
        /// The digits as written, used when a later component starts with `0`.
        let digits: String
    }

    struct Suffix: Comparable, Sendable {
        /// Position in alpha, beta, pre, rc, (none), cvs, svn, git, hg, p.
        let rank: UInt8
        let number: VersionNumber
        static let none = Suffix(rank: 4, number: .zero)

        static func < (lhs: Suffix, rhs: Suffix) -> Bool {
            lhs.rank != rhs.rank ? lhs.rank < rhs.rank : lhs.number < rhs.number
        }
    }

    let components: [Component]
    let letter: UInt8?
    let suffixes: [Suffix]
    let revision: VersionNumber
    /// The unread rest of an invalid version, nil for a valid one.
    let invalidText: String?

    public var isValid: Bool { invalidText == nil }

    private static let suffixNames: [(name: StaticString, rank: UInt8)] = [
        ("alpha", 0), ("beta", 1), ("pre", 2), ("rc", 3), ("cvs", 5), ("svn", 6), ("git", 7), ("hg", 8), ("p", 9),
    ]

    public init?(_ text: String) {
        let bytes = VersionBytes.trimmed(text)
        guard !bytes.isEmpty else { return nil }
        var index = 0
        var components: [Component] = []
        components.reserveCapacity(4)
        while true {
            let end = VersionBytes.digitRunEnd(bytes, from: index)
            guard end > index else { break }
            components.append(
                Component(value: VersionNumber(digits: bytes, index..<end), digits: VersionBytes.string(bytes, index..<end)))
            index = end
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "."), bytes[index + 1].isASCIIDigit else { break }
            index += 1
        }
        var letter: UInt8?
        if !components.isEmpty, index < bytes.count, bytes[index] &- 97 < 26 {
            letter = bytes[index]
            index += 1
        }
        var suffixes: [Suffix] = []
        suffixLoop: while !components.isEmpty, index < bytes.count, bytes[index] == UInt8(ascii: "_") {
            for (name, rank) in Self.suffixNames where VersionBytes.hasWord(bytes, at: index + 1, name) {
                let numberStart = index + 1 + name.utf8CodeUnitCount
                let numberEnd = VersionBytes.digitRunEnd(bytes, from: numberStart)
                suffixes.append(Suffix(rank: rank, number: VersionNumber(digits: bytes, numberStart..<numberEnd)))
                index = numberEnd
                continue suffixLoop
            }
            break
        }
        if !components.isEmpty, index < bytes.count, bytes[index] == UInt8(ascii: "~") {
            var end = index + 1
            while end < bytes.count, bytes[end].isASCIIDigit || bytes[end] &- 97 < 6 { end += 1 }
            if end > index + 1 { index = end }
        }
        // `-r` without a number is revision 0, as apk reads it.
        var revision = VersionNumber.zero
        var readRevision = false
        if !components.isEmpty, index + 1 < bytes.count, bytes[index] == UInt8(ascii: "-"),
            bytes[index + 1] == UInt8(ascii: "r")
        {
            let end = VersionBytes.digitRunEnd(bytes, from: index + 2)
            revision = VersionNumber(digits: bytes, (index + 2)..<end)
            index = end
            readRevision = true
        }
        self.components = components
        self.letter = letter
        self.suffixes = suffixes
        self.revision = revision
        if index == bytes.count {
            invalidText = nil
        } else if readRevision || bytes[index] == UInt8(ascii: "-") {
            // apk stops reading at a malformed revision part (`1-r0-1`, `1-ruff`, `1--r1`): what follows is ignored.
            invalidText = ""
        } else {
            invalidText = VersionBytes.string(bytes, 0..<bytes.count)
        }
    }

    public func compare(to other: AlpineVersion) -> Int {
        let componentOrder = Self.compareComponents(components, other.components)
        if componentOrder != 0 { return componentOrder }
        if letter != other.letter {
            guard let letter else { return -1 }
            guard let otherLetter = other.letter else { return 1 }
            return letter < otherLetter ? -1 : 1
        }
        for index in 0..<max(suffixes.count, other.suffixes.count) {
            let left = index < suffixes.count ? suffixes[index] : .none
            let right = index < other.suffixes.count ? other.suffixes[index] : .none
            if left != right { return left < right ? -1 : 1 }
        }
        if revision != other.revision { return revision < other.revision ? -1 : 1 }
        switch (invalidText, other.invalidText) {
        case (nil, nil): return 0
        case (nil, _): return 1
        case (_, nil): return -1
        case let (left?, right?): return threeWay(left, right)
        }
    }

    private static func compareComponents(_ lhs: [Component], _ rhs: [Component]) -> Int {
        for index in 0..<min(lhs.count, rhs.count) {
            let left = lhs[index]
            let right = rhs[index]
            let order: Int
            if index > 0, left.digits.utf8.first == UInt8(ascii: "0") || right.digits.utf8.first == UInt8(ascii: "0") {
                order = threeWay(left.digits, right.digits)
            } else {
                order = threeWay(left.value, right.value)
            }
            if order != 0 { return order }
        }
        return threeWay(lhs.count, rhs.count)
    }
}
