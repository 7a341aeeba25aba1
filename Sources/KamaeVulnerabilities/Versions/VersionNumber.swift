/// A run of decimal digits of any length, ordered by numeric value.
///
/// Version strings in the wild carry numbers longer than any machine integer (dates with times, build
/// stamps, test vectors with 30 digits); those keep their significant digits and still order correctly.
struct VersionNumber: Comparable, Hashable, Sendable {
    /// The value when it has at most 19 significant digits (always fits in UInt64).
    private let small: UInt64
    /// The significant digits (no leading zeros) when there are more than 19 of them.
    private let large: [UInt8]?

    static let zero = VersionNumber(small: 0, large: nil)

    private init(small: UInt64, large: [UInt8]?) {
        self.small = small
        self.large = large
    }

    /// Reads `bytes[range]`, which the caller has checked are all ASCII digits.
    init(digits bytes: [UInt8], _ range: Range<Int>) {
        var start = range.lowerBound
        while start < range.upperBound, bytes[start] == UInt8(ascii: "0") { start += 1 }
        if range.upperBound - start <= 19 {
            var value: UInt64 = 0
            for index in start..<range.upperBound { value = value &* 10 &+ UInt64(bytes[index] &- 48) }
            self.init(small: value, large: nil)
        } else {
            self.init(small: 0, large: Array(bytes[start..<range.upperBound]))
        }
    }

    var isZero: Bool { large == nil && small == 0 }

    static func < (lhs: VersionNumber, rhs: VersionNumber) -> Bool {
        switch (lhs.large, rhs.large) {
        case (nil, nil): return lhs.small < rhs.small
        case (nil, _): return true
        case (_, nil): return false
        case let (left?, right?):
            if left.count != right.count { return left.count < right.count }
            return left.lexicographicallyPrecedes(right)
        }
    }
}

extension UInt8 {
    var isASCIIDigit: Bool { self &- 48 < 10 }
    var isASCIILetter: Bool { (self | 0x20) &- 97 < 26 }
    var isASCIIAlphanumeric: Bool { isASCIIDigit || isASCIILetter }
    var isASCIIWhitespace: Bool { self == 32 || (self >= 9 && self <= 13) }
    var lowercasedASCII: UInt8 { self &- 65 < 26 ? self | 0x20 : self }
}

/// Byte-level helpers shared by the version parsers: they work on UTF-8 bytes, without regex or Scanner.
enum VersionBytes {
    /// The UTF-8 bytes of `text` without leading and trailing ASCII whitespace.
    static func trimmed(_ text: String, lowercased: Bool = false) -> [UInt8] {
        var bytes = Array(text.utf8)
        while let last = bytes.last, last.isASCIIWhitespace { bytes.removeLast() }
        var start = 0
        while start < bytes.count, bytes[start].isASCIIWhitespace { start += 1 }
        if start > 0 { bytes.removeFirst(start) }
        if lowercased {
            for index in bytes.indices { bytes[index] = bytes[index].lowercasedASCII }
        }
        return bytes
    }

    /// The end of the run of ASCII digits starting at `start`.
    static func digitRunEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var end = start
        while end < bytes.count, bytes[end].isASCIIDigit { end += 1 }
        return end
    }

    /// The end of the run of ASCII letters starting at `start`.
    static func letterRunEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var end = start
        while end < bytes.count, bytes[end].isASCIILetter { end += 1 }
        return end
    }

    /// Whether `bytes` continues with `word` (ASCII, already lower case) at `index`.
    static func hasWord(_ bytes: [UInt8], at index: Int, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return word.withUTF8Buffer { wordBytes in
            for offset in 0..<count where bytes[index + offset] != wordBytes[offset] { return false }
            return true
        }
    }

    static func string(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}

/// Compares two Comparable values as -1, 0 or 1.
@inline(__always)
func threeWay<T: Comparable>(_ lhs: T, _ rhs: T) -> Int {
    lhs < rhs ? -1 : (rhs < lhs ? 1 : 0)
}
