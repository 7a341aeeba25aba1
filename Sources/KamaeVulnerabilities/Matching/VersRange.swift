/// A package-url `vers:` range (purl VERSION-RANGE-SPEC), e.g. `vers:npm/>1.0.0|!=1.2.0|<2.0.0`, with every
/// comparator of the specification: `=`, `!=`, `<`, `<=`, `>`, `>=` and `*`. CSAF product trees and VEX statements
/// name affected versions this way; OSV events cannot say "after" or "except", so the range is kept as written and
/// evaluated in the component's ecosystem order.
public struct VersRange: Sendable, Hashable, CustomStringConvertible {
    public enum Comparator: String, Sendable, Hashable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
    }

    public struct Constraint: Sendable, Hashable {
        public var comparator: Comparator
        public var version: String
    }

    /// The versioning scheme after `vers:` (a purl type such as `npm`, or `generic`).
    public let scheme: String
    public let constraints: [Constraint]
    /// `vers:<scheme>/*`: every version.
    public let matchesEveryVersion: Bool

    /// nil for text that is not a `vers:` range or holds an unknown comparator or an empty version: such a range
    /// cannot be evaluated safely and affects nothing.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("vers:"), let slash = trimmed.firstIndex(of: "/") else { return nil }
        let scheme = trimmed[trimmed.index(trimmed.startIndex, offsetBy: 5)..<slash].lowercased()
        guard !scheme.isEmpty else { return nil }
        let parts = trimmed[trimmed.index(after: slash)...].split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        self.scheme = scheme
        if parts == ["*"] {
            constraints = []
            matchesEveryVersion = true
            return
        }
        var constraints: [Constraint] = []
        for part in parts {
            // Longest comparator first: "<=" before "<", "!=" before a bare version.
            let comparator = [Comparator.notEqual, .lessOrEqual, .greaterOrEqual, .less, .greater, .equal].first { part.hasPrefix($0.rawValue) }
            let version = String(part.dropFirst(comparator?.rawValue.count ?? 0)).trimmingCharacters(in: .whitespaces)
            guard !version.isEmpty, let first = version.first, !"<>=!~^*".contains(first) else { return nil }
            constraints.append(Constraint(comparator: comparator ?? .equal, version: version))
        }
        self.constraints = constraints
        matchesEveryVersion = false
    }

    /// The range as `vers:` text, which `init?(_:)` reads back to an equal value: `=` is left implicit.
    public var description: String {
        let body = matchesEveryVersion ? "*" : constraints.map { constraint in
            constraint.comparator == .equal ? constraint.version : constraint.comparator.rawValue + constraint.version
        }.joined(separator: "|")
        return "vers:\(scheme)/\(body)"
    }

    /// Whether `version` is in the range, comparing in `ecosystem`'s order; nil when a version of the range cannot
    /// be read in that order. The specification's evaluation: equal to an `=` version → in; equal to a `!=` version
    /// → out; then the remaining bounds, sorted, are read as intervals (a leading `<`/`<=`, pairs of a lower then an
    /// upper bound, a trailing `>`/`>=`); with only `!=` constraints every other version is in.
    func contains(_ version: AnyVersion, in ecosystem: Ecosystem) -> Bool? {
        if matchesEveryVersion { return true }
        var bounds: [(comparator: Comparator, version: AnyVersion)] = []
        var excluded = false
        for constraint in constraints {
            guard let bound = ecosystem.parse(constraint.version) else { return nil }
            switch constraint.comparator {
            case .equal: if version == bound { return true }
            case .notEqual: excluded = excluded || version == bound
            default: bounds.append((constraint.comparator, bound))
            }
        }
        if excluded { return false }
        if bounds.isEmpty { return constraints.contains { $0.comparator == .notEqual } }
        bounds.sort { $0.version < $1.version }
        func satisfies(_ bound: (comparator: Comparator, version: AnyVersion)) -> Bool {
            switch bound.comparator {
            case .less: version < bound.version
            case .lessOrEqual: version <= bound.version
            case .greater: version > bound.version
            case .greaterOrEqual: version >= bound.version
            case .equal, .notEqual: false
            }
        }
        let isUpper: (Comparator) -> Bool = { $0 == .less || $0 == .lessOrEqual }
        if let first = bounds.first, isUpper(first.comparator), satisfies(first) { return true }
        if let last = bounds.last, !isUpper(last.comparator), satisfies(last) { return true }
        for index in bounds.indices.dropLast() {
            let (lower, upper) = (bounds[index], bounds[index + 1])
            if !isUpper(lower.comparator), isUpper(upper.comparator), satisfies(lower), satisfies(upper) { return true }
        }
        return false
    }
}
