import Foundation

/// Summary statistics of a list of numbers, for the supervisor's own use.
///
/// Quantiles use **Hyndman & Fan type 7**, the default of R's `quantile()` and NumPy's `percentile()`
/// (`method="linear"`): for sorted values x₀…xₙ₋₁ and probability p, h = (n − 1)·p and the quantile is
/// x⌊h⌋ + (h − ⌊h⌋)·(x⌊h⌋₊₁ − x⌊h⌋). The interpolation is done the way NumPy does it, so results agree with
/// NumPy to the last bit in ordinary cases (tests compare with fixtures NumPy computed).
///
/// `min`, `max` and `mean` are here for the supervisor; they are never published to institutions
/// (see `PeerDistribution`).
public struct Distribution: Sendable, Hashable {
    public let count: Int
    public let min: Double
    public let max: Double
    public let mean: Double
    public let q1: Double
    public let median: Double
    public let q3: Double

    /// nil for an empty list. NaN values are not allowed.
    public init?(_ values: [Double]) {
        self.init(sorted: values.sorted())
    }

    /// From values already sorted ascending.
    public init?(sorted values: [Double]) {
        guard !values.isEmpty else { return nil }
        precondition(!values.contains(where: \.isNaN), "Distribution of NaN")
        count = values.count
        min = values[0]
        max = values[values.count - 1]
        mean = values.reduce(0, +) / Double(values.count)
        q1 = Self.quantile(0.25, sorted: values)
        median = Self.quantile(0.5, sorted: values)
        q3 = Self.quantile(0.75, sorted: values)
    }

    /// The type 7 quantile of sorted values, p in 0…1. The collection must not be empty.
    public static func quantile<C: RandomAccessCollection>(_ p: Double, sorted values: C) -> Double where C.Element == Double, C.Index == Int {
        precondition(!values.isEmpty && (0...1).contains(p))
        let n = values.count
        let h = Double(n - 1) * p
        let lower = Swift.min(Int(h.rounded(.down)), n - 1)
        let upper = Swift.min(lower + 1, n - 1)
        let base = values.startIndex
        return lerp(values[base + lower], values[base + upper], h - Double(lower))
    }

    /// NumPy's `_lerp`: a + (b − a)·t for t < ½, b − (b − a)·(1 − t) otherwise (exact at both ends, monotone).
    static func lerp(_ a: Double, _ b: Double, _ t: Double) -> Double {
        let difference = b - a
        return t >= 0.5 ? b - difference * (1 - t) : a + difference * t
    }

    /// Percentile rank of `value` among `values`, 0…100: the percentage of values strictly below it plus half
    /// the percentage equal to it (the "mean" kind of SciPy's `percentileofscore`). When `value` is one of the
    /// group's own values it counts among the ties. nil for an empty group.
    public static func percentileRank(of value: Double, in values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        var below = 0
        var equal = 0
        for candidate in values {
            if candidate < value { below += 1 } else if candidate == value { equal += 1 }
        }
        return (Double(below) + Double(equal) / 2) / Double(values.count) * 100
    }

    /// The same for values sorted ascending, by binary search.
    public static func percentileRank(of value: Double, sorted values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let below = partitionPoint(values) { $0 < value }
        let notAbove = partitionPoint(values) { $0 <= value }
        return (Double(below) + Double(notAbove - below) / 2) / Double(values.count) * 100
    }

    static func partitionPoint(_ values: [Double], _ isBefore: (Double) -> Bool) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) / 2
            if isBefore(values[middle]) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    public var quartiles: PeerDistribution { PeerDistribution(count: count, q1: q1, median: median, q3: q3) }

    public func quartileBand(of value: Double) -> QuartileBand { quartiles.band(of: value) }
}

/// What a peer group's distribution may show to an institution: how many contributed, the quartiles and the
/// median. Never the minimum, maximum, mean or any single value:
/// - the extremes are the values most easily tied to one known peer (the one large bank of a region, the one
///   that is known to be behind), and in a small group they are exactly one institution's figure;
/// - a mean can be differenced: two published means of groups that differ by one member give that member's value.
///   Order statistics in the middle of the distribution do not have that weakness, and with at least k = 5
///   contributors a quartile is never attributable to a named institution.
public struct PeerDistribution: Sendable, Hashable, Codable {
    public let count: Int
    public let q1: Double
    public let median: Double
    public let q3: Double

    public init(count: Int, q1: Double, median: Double, q3: Double) {
        self.count = count
        self.q1 = q1
        self.median = median
        self.q3 = q3
    }

    /// From a non-empty sorted list, computing only the three quartiles.
    init(sorted values: [Double]) {
        count = values.count
        q1 = Distribution.quantile(0.25, sorted: values)
        median = Distribution.quantile(0.5, sorted: values)
        q3 = Distribution.quantile(0.75, sorted: values)
    }

    /// Where a value lies against the published quartiles: 4 at or above Q3, 3 at or above the median,
    /// 2 at or above Q1, 1 below Q1. An institution can check its band against the figures it is shown.
    public func band(of value: Double) -> QuartileBand {
        if value >= q3 { return .fourth }
        if value >= median { return .third }
        if value >= q1 { return .second }
        return .first
    }
}

/// The quarter of its peer group a value falls in; `.fourth` is the top quarter (highest implementation rates).
public enum QuartileBand: Int, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case first = 1
    case second = 2
    case third = 3
    case fourth = 4

    public static func < (lhs: QuartileBand, rhs: QuartileBand) -> Bool { lhs.rawValue < rhs.rawValue }
}
