/// Common Vulnerability Scoring System: parsing and scoring of CVSS 3.0, 3.1 and 4.0 vector strings.
///
/// Scores follow FIRST's specifications exactly, with decimal arithmetic rather than binary floating
/// point, so that a vector scores the same here as in FIRST's calculators.
public enum CVSS {
    /// Parses and validates a vector string such as `CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N`.
    public static func parse(_ vector: String) throws(CVSSError) -> CVSSVector {
        let result = vector.utf8.withContiguousStorageIfAvailable(VectorParser.parse)
            ?? Array(vector.utf8).withUnsafeBufferPointer(VectorParser.parse)
        return try result.get()
    }

    /// The score of a vector string: see ``CVSSVector/score``.
    public static func score(_ vector: String) throws(CVSSError) -> CVSSScore {
        try parse(vector).score
    }
}

/// The CVSS versions this module reads.
public enum CVSSVersion: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case v3_0 = "3.0"
    case v3_1 = "3.1"
    case v4_0 = "4.0"

    public var description: String { rawValue }
}
