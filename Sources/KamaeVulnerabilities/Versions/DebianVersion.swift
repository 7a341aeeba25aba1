/// A Debian or Ubuntu package version in dpkg's order: `[epoch:]upstream[-revision]`.
///
/// The epoch orders numerically first; upstream and revision then compare by dpkg's rule: alternating
/// non-digit and digit runs, where `~` sorts before everything (even the end, so `1.0~rc1 < 1.0`),
/// letters before other characters, and digit runs numerically. A missing revision equals `0`.
/// dpkg orders any string, so every non-empty string parses; one without a numeric epoch before its first
/// `:` is read as having epoch 0.
public struct DebianVersion: EcosystemVersion {
    let epoch: VersionNumber
    let upstream: [UInt8]
    let revision: [UInt8]

    public init?(_ text: String) {
        let bytes = VersionBytes.trimmed(text)
        guard !bytes.isEmpty else { return nil }
        var start = 0
        var epoch = VersionNumber.zero
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0,
            bytes[..<colon].allSatisfy(\.isASCIIDigit)
        {
            epoch = VersionNumber(digits: bytes, 0..<colon)
            start = colon + 1
        }
        self.epoch = epoch
        if let hyphen = bytes[start...].lastIndex(of: UInt8(ascii: "-")) {
            upstream = Array(bytes[start..<hyphen])
            revision = Array(bytes[(hyphen + 1)...])
        } else {
            upstream = Array(bytes[start...])
            revision = []
        }
    }

    public func compare(to other: DebianVersion) -> Int {
        if epoch != other.epoch { return epoch < other.epoch ? -1 : 1 }
        let upstreamOrder = Self.compareParts(upstream, other.upstream)
        if upstreamOrder != 0 { return upstreamOrder }
        return Self.compareParts(revision, other.revision)
    }

    /// dpkg's weight of a non-digit byte: `~` lowest, then the end of the run, letters, everything else.
    @inline(__always)
    private static func weight(_ byte: UInt8?) -> Int {
        guard let byte, !byte.isASCIIDigit else { return 0 }
        if byte == UInt8(ascii: "~") { return -1 }
        return byte.isASCIILetter ? Int(byte) : Int(byte) + 256
    }

    static func compareParts(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
        var left = 0
        var right = 0
        while left < lhs.count || right < rhs.count {
            // Non-digit runs, byte by byte.
            while (left < lhs.count && !lhs[left].isASCIIDigit) || (right < rhs.count && !rhs[right].isASCIIDigit) {
                let leftWeight = weight(left < lhs.count ? lhs[left] : nil)
                let rightWeight = weight(right < rhs.count ? rhs[right] : nil)
                if leftWeight != rightWeight { return leftWeight < rightWeight ? -1 : 1 }
                left += 1
                right += 1
            }
            // Digit runs, numerically: skip leading zeros, then the longer run is larger, else the first difference.
            while left < lhs.count, lhs[left] == UInt8(ascii: "0") { left += 1 }
            while right < rhs.count, rhs[right] == UInt8(ascii: "0") { right += 1 }
            var firstDifference = 0
            while left < lhs.count, lhs[left].isASCIIDigit, right < rhs.count, rhs[right].isASCIIDigit {
                if firstDifference == 0 { firstDifference = threeWay(lhs[left], rhs[right]) }
                left += 1
                right += 1
            }
            if left < lhs.count, lhs[left].isASCIIDigit { return 1 }
            if right < rhs.count, rhs[right].isASCIIDigit { return -1 }
            if firstDifference != 0 { return firstDifference }
        }
        return 0
    }
}
