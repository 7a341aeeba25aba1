/// A CVSS score from 0.0 to 10.0, held exactly as a whole number of tenths.
public struct CVSSScore: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The score times ten, 0...100.
    public let tenths: Int

    init(tenths: Int) {
        self.tenths = min(max(tenths, 0), 100)
    }

    public var value: Double { Double(tenths) / 10 }

    public var severity: CVSSSeverity { CVSSSeverity(self) }

    /// The score with one decimal, e.g. `9.8`, `10.0`, `0.0`.
    public var description: String { "\(tenths / 10).\(tenths % 10)" }

    public static func < (lhs: CVSSScore, rhs: CVSSScore) -> Bool { lhs.tenths < rhs.tenths }
}

/// The qualitative severity rating scale shared by CVSS 3.x and 4.0.
public enum CVSSSeverity: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    case none = "None"
    case low = "Low"
    case medium = "Medium"
    case high = "High"
    case critical = "Critical"

    public init(_ score: CVSSScore) {
        self = switch score.tenths {
        case 0: .none
        case 1...39: .low
        case 40...69: .medium
        case 70...89: .high
        default: .critical
        }
    }

    public var description: String { rawValue }

    public static func < (lhs: CVSSSeverity, rhs: CVSSSeverity) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .none: 0
        case .low: 1
        case .medium: 2
        case .high: 3
        case .critical: 4
        }
    }
}
