/// A non-negative decimal number held exactly: `digits × 10^-scale`, with an unbounded integer `digits`.
///
/// CVSS 3.x raises impact sub-scores to the 13th and 15th power; the specification's Roundup must see the
/// exact result to land on the same tenth as FIRST's calculator, which binary floating point cannot promise.
struct ExactDecimal: Sendable, Comparable {
    /// Little-endian base-2^32 limbs without leading zero limbs (zero has none).
    private var limbs: [UInt32]
    private var scale: Int

    init(_ units: UInt64, scale: Int) {
        limbs = [UInt32(truncatingIfNeeded: units), UInt32(truncatingIfNeeded: units >> 32)]
        self.scale = scale
        trim()
    }

    private init(limbs: [UInt32], scale: Int) {
        self.limbs = limbs
        self.scale = scale
        trim()
    }

    static let zero = ExactDecimal(0, scale: 0)

    var isZero: Bool { limbs.isEmpty }

    static func + (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        let (left, right, scale) = aligned(lhs, rhs)
        return ExactDecimal(limbs: add(left, right), scale: scale)
    }

    static func * (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        ExactDecimal(limbs: multiply(lhs.limbs, rhs.limbs), scale: lhs.scale + rhs.scale)
    }

    /// `self − other`, or nil when that would be negative.
    func minus(_ other: ExactDecimal) -> ExactDecimal? {
        let (left, right, scale) = Self.aligned(self, other)
        guard Self.compare(left, right) >= 0 else { return nil }
        return ExactDecimal(limbs: Self.subtract(left, right), scale: scale)
    }

    func power(_ exponent: Int) -> ExactDecimal {
        var result = ExactDecimal(1, scale: 0)
        for _ in 0..<exponent { result = result * self }
        return result
    }

    static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let (left, right, _) = aligned(lhs, rhs)
        return compare(left, right) < 0
    }

    static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let (left, right, _) = aligned(lhs, rhs)
        return compare(left, right) == 0
    }

    /// CVSS 3.0 Roundup: the smallest number with one decimal that is equal to or higher than the input, in tenths.
    var roundedUpTenths: Int {
        let (quotient, exact) = dividedByPowerOfTen(scale - 1)
        return quotient + (exact ? 0 : 1)
    }

    /// CVSS 3.1 Roundup (specification Appendix A): round to five decimals, half up; keep an exact tenth,
    /// otherwise go up to the next tenth. Returns tenths.
    var roundedUpTenthsCVSS31: Int {
        // Rounding half up to five decimals is flooring after adding 0.000005; the sum has a scale of at least 6.
        let shifted = self + ExactDecimal(5, scale: 6)
        let hundredThousandths = shifted.dividedByPowerOfTen(shifted.scale - 5).quotient
        return hundredThousandths % 10_000 == 0 ? hundredThousandths / 10_000 : hundredThousandths / 10_000 + 1
    }

    /// `digits / 10^exponent` rounded down, and whether nothing was dropped; `exponent` may be negative.
    /// The quotient is a small score quantity and must fit an Int.
    private func dividedByPowerOfTen(_ exponent: Int) -> (quotient: Int, exact: Bool) {
        var remaining = limbs
        var exact = true
        var left = exponent
        while left > 0 {
            let step = min(left, 9)
            let remainder = Self.divide(&remaining, by: UInt32(Self.pow10(step)))
            if remainder != 0 { exact = false }
            left -= step
        }
        var quotient = 0
        for limb in remaining.reversed() { quotient = quotient << 32 | Int(limb) }
        return (quotient * Self.pow10(max(-exponent, 0)), exact)
    }

    private static func pow10(_ exponent: Int) -> Int {
        var value = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    private mutating func trim() {
        while limbs.last == 0 { limbs.removeLast() }
    }

    private static func aligned(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> ([UInt32], [UInt32], Int) {
        let scale = max(lhs.scale, rhs.scale)
        return (lhs.scaledLimbs(to: scale), rhs.scaledLimbs(to: scale), scale)
    }

    private func scaledLimbs(to target: Int) -> [UInt32] {
        var result = limbs
        var left = target - scale
        while left > 0 {
            let step = min(left, 9)
            result = Self.multiply(result, [UInt32(Self.pow10(step))])
            left -= step
        }
        return result
    }

    private static func add(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var result = [UInt32](repeating: 0, count: max(a.count, b.count) + 1)
        var carry: UInt64 = 0
        for index in 0..<(result.count - 1) {
            let sum = UInt64(index < a.count ? a[index] : 0) + UInt64(index < b.count ? b[index] : 0) + carry
            result[index] = UInt32(truncatingIfNeeded: sum)
            carry = sum >> 32
        }
        result[result.count - 1] = UInt32(carry)
        return result
    }

    /// `a − b` for `a ≥ b`.
    private static func subtract(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var result = a
        var borrow: Int64 = 0
        for index in 0..<a.count {
            var difference = Int64(a[index]) - Int64(index < b.count ? b[index] : 0) - borrow
            borrow = difference < 0 ? 1 : 0
            if difference < 0 { difference += 1 << 32 }
            result[index] = UInt32(difference)
        }
        return result
    }

    private static func multiply(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        guard !a.isEmpty, !b.isEmpty else { return [] }
        var result = [UInt32](repeating: 0, count: a.count + b.count)
        for i in 0..<a.count {
            var carry: UInt64 = 0
            for j in 0..<b.count {
                let product = UInt64(a[i]) * UInt64(b[j]) + UInt64(result[i + j]) + carry
                result[i + j] = UInt32(truncatingIfNeeded: product)
                carry = product >> 32
            }
            result[i + b.count] = UInt32(carry)
        }
        while result.last == 0 { result.removeLast() }
        return result
    }

    /// Divides in place by a small divisor and returns the remainder.
    private static func divide(_ limbs: inout [UInt32], by divisor: UInt32) -> UInt32 {
        var remainder: UInt64 = 0
        for index in limbs.indices.reversed() {
            let current = remainder << 32 | UInt64(limbs[index])
            limbs[index] = UInt32(current / UInt64(divisor))
            remainder = current % UInt64(divisor)
        }
        while limbs.last == 0 { limbs.removeLast() }
        return UInt32(remainder)
    }

    private static func compare(_ a: [UInt32], _ b: [UInt32]) -> Int {
        let a = a.reversed().drop { $0 == 0 }, b = b.reversed().drop { $0 == 0 }
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return 0
    }
}
