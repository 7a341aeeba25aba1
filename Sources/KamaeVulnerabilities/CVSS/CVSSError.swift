/// Why a vector string is not a valid CVSS 3.0, 3.1 or 4.0 vector. Positions count the metric fields after
/// the `CVSS:x.y` prefix from 1.
public enum CVSSError: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    /// The string does not start with `CVSS:`.
    case missingPrefix
    /// `CVSS:` is followed by a version this module does not score (e.g. 2.0) or by no version.
    case unsupportedVersion(String)
    /// Two slashes in a row, or a slash at the end.
    case emptyField(position: Int)
    /// A field that is not `METRIC:VALUE`.
    case malformedField(String, position: Int)
    case unknownMetric(String, version: CVSSVersion, position: Int)
    case invalidValue(metric: String, value: String, allowed: [String])
    case duplicateMetric(String)
    /// CVSS 4.0 requires the metrics in the specification's order: `metric` came after `follows`.
    case outOfOrder(metric: String, follows: String)
    /// Mandatory (base) metrics that the vector lacks, in specification order.
    case missingMetrics([String], version: CVSSVersion)

    public var description: String {
        switch self {
        case .empty:
            "empty CVSS vector"
        case .missingPrefix:
            "a CVSS vector starts with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/"
        case .unsupportedVersion(let version):
            "unsupported CVSS version \"\(version)\" (supported: 3.0, 3.1, 4.0)"
        case .emptyField(let position):
            "empty metric field at position \(position) (a doubled or trailing \"/\")"
        case .malformedField(let field, let position):
            "field \"\(field)\" at position \(position) is not METRIC:VALUE"
        case .unknownMetric(let metric, let version, let position):
            "unknown CVSS \(version) metric \"\(metric)\" at position \(position)"
        case .invalidValue(let metric, let value, let allowed):
            "metric \(metric) has invalid value \"\(value)\" (allowed: \(allowed.joined(separator: ", ")))"
        case .duplicateMetric(let metric):
            "metric \(metric) appears more than once"
        case .outOfOrder(let metric, let follows):
            "metric \(metric) must come before \(follows) (CVSS 4.0 requires the specification's metric order)"
        case .missingMetrics(let metrics, let version):
            "missing mandatory CVSS \(version) metric\(metrics.count == 1 ? "" : "s") \(metrics.joined(separator: ", "))"
        }
    }
}
