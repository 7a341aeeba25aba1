/// A Python package version in PEP 440 order (as `packaging` orders them).
///
/// Parsing follows PEP 440's normalisation: case-insensitive, optional `v`, epochs (`1!2.0`), the spellings
/// of pre-releases (`a`/`alpha`, `b`/`beta`, `c`/`rc`/`pre`/`preview`), post-releases (`.post1`, `-1`,
/// `rev`, `r`), dev releases and local versions (`+ubuntu.1`), with `-`, `_` or `.` as separators.
/// Trailing zeros do not count (`1.0 == 1.0.0`).
///
/// Strings that are not PEP 440 are ordered as `packaging` ordered "legacy" versions before it dropped
/// them: before every PEP 440 version, by setuptools' old component rules. `isLegacy` tells them apart.
public struct PyPIVersion: EcosystemVersion {
    enum PreReleaseKind: UInt8, Comparable, Sendable {
        case alpha, beta, candidate
        static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    struct PreRelease: Comparable, Sendable {
        let kind: PreReleaseKind
        let number: VersionNumber

        static func < (lhs: PreRelease, rhs: PreRelease) -> Bool {
            lhs.kind != rhs.kind ? lhs.kind < rhs.kind : lhs.number < rhs.number
        }
    }

    /// A local version segment: numbers order after text, text orders by ASCII.
    enum LocalSegment: Comparable, Sendable {
        case text(String)
        case numeric(VersionNumber)
    }

    let epoch: VersionNumber
    let release: [VersionNumber]
    let pre: PreRelease?
    let post: VersionNumber?
    let dev: VersionNumber?
    let local: [LocalSegment]
    /// Set only for non-PEP 440 strings: setuptools' legacy comparison key.
    let legacyKey: [String]?

    /// Whether the string was not PEP 440 and is ordered by the legacy rules.
    public var isLegacy: Bool { legacyKey != nil }

    /// Whether this is a pre-release or development release in PEP 440's sense.
    public var isPrerelease: Bool { legacyKey == nil && (pre != nil || dev != nil) }

    public init?(_ text: String) {
        let bytes = VersionBytes.trimmed(text, lowercased: true)
        guard !bytes.isEmpty else { return nil }
        var parser = PEP440Parser(bytes: bytes)
        if let parsed = parser.parse() {
            self = parsed
        } else {
            self.init(legacyKey: Self.legacyKey(bytes))
        }
    }

    init(
        epoch: VersionNumber, release: [VersionNumber], pre: PreRelease?, post: VersionNumber?,
        dev: VersionNumber?, local: [LocalSegment]
    ) {
        var release = release
        while let last = release.last, last.isZero { release.removeLast() }
        self.epoch = epoch
        self.release = release
        self.pre = pre
        self.post = post
        self.dev = dev
        self.local = local
        self.legacyKey = nil
    }

    private init(legacyKey: [String]) {
        epoch = .zero
        release = []
        pre = nil
        post = nil
        dev = nil
        local = []
        self.legacyKey = legacyKey
    }

    public func compare(to other: PyPIVersion) -> Int {
        switch (legacyKey, other.legacyKey) {
        case let (left?, right?): return Self.compareSequences(left, right)
        case (_?, nil): return -1
        case (nil, _?): return 1
        case (nil, nil): break
        }
        if epoch != other.epoch { return epoch < other.epoch ? -1 : 1 }
        let releaseOrder = Self.compareSequences(release, other.release)
        if releaseOrder != 0 { return releaseOrder }
        let preOrder = threeWay(preKey, other.preKey)
        if preOrder != 0 { return preOrder }
        // A missing post-release orders before any post-release.
        let postOrder = threeWay(
            post.map { Bound.value($0) } ?? .lowest, other.post.map { Bound.value($0) } ?? .lowest)
        if postOrder != 0 { return postOrder }
        // A missing dev-release orders after any dev-release.
        let devOrder = threeWay(
            dev.map { Bound.value($0) } ?? .highest, other.dev.map { Bound.value($0) } ?? .highest)
        if devOrder != 0 { return devOrder }
        // A missing local version orders before any local version.
        return Self.compareSequences(local, other.local)
    }

    /// A value with explicit lowest and highest stand-ins for "absent", as PEP 440's ordering needs.
    enum Bound<Value: Comparable>: Comparable {
        case lowest
        case value(Value)
        case highest
    }

    /// A dev release of a final version (`1.0.dev1`) orders before its pre-releases; a final version after.
    private var preKey: Bound<PreRelease> {
        if let pre { return .value(pre) }
        return post == nil && dev != nil ? .lowest : .highest
    }

    private static func compareSequences<T: Comparable>(_ lhs: [T], _ rhs: [T]) -> Int {
        for (left, right) in zip(lhs, rhs) where left != right { return left < right ? -1 : 1 }
        return threeWay(lhs.count, rhs.count)
    }
}
