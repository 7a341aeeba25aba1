/// A version parsed once for one ecosystem's order, then compared many times.
///
/// Equality means "the ecosystem orders them the same" (PyPI's `1.0 == 1.0.0`, Maven's `1 == 1.0-ga`), not
/// that the strings are equal, which is why == is derived from `compare(to:)` rather than synthesised.
public protocol EcosystemVersion: Comparable, Sendable {
    /// Parses `text` as a version of this ecosystem; nil when the ecosystem cannot order it.
    init?(_ text: String)

    /// Negative when `self` orders before `other`, zero when they are equal, positive when after.
    func compare(to other: Self) -> Int
}

extension EcosystemVersion {
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.compare(to: rhs) < 0 }
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.compare(to: rhs) == 0 }
}
