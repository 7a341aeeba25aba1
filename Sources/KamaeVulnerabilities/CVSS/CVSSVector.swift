/// A valid CVSS vector of any supported version.
public enum CVSSVector: Sendable, Hashable, CustomStringConvertible {
    case v3(CVSS3Vector)
    case v4(CVSS4Vector)

    public var version: CVSSVersion {
        switch self {
        case .v3(let vector): vector.version
        case .v4: .v4_0
        }
    }

    /// The score the vector stands for: for CVSS 4.0 the one score of its base, threat and environmental
    /// metrics; for CVSS 3.x the environmental score when it gives environmental metrics, else the temporal
    /// score when it gives temporal metrics, else the base score.
    public var score: CVSSScore {
        switch self {
        case .v3(let vector): vector.score
        case .v4(let vector): vector.score
        }
    }

    /// The canonical vector string: metrics in specification order, Not Defined ones left out.
    public var description: String {
        switch self {
        case .v3(let vector): vector.description
        case .v4(let vector): vector.description
        }
    }
}
