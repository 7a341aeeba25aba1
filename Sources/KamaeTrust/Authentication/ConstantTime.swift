/// Comparisons whose running time does not depend on where two secrets first differ,
/// so an attacker timing our responses learns nothing about how close a guess was.
enum ConstantTime {
    /// Compares two byte sequences. Only the lengths leak, and those are public
    /// (a TOTP code's digit count, a SHA-256 digest's size).
    static func equals(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) {
            difference |= left ^ right
        }
        return difference == 0
    }

    static func equals(_ lhs: String, _ rhs: String) -> Bool {
        equals(Array(lhs.utf8), Array(rhs.utf8))
    }
}
