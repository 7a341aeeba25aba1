/// One NVD `cpeMatch` (or a CSAF/JVN CPE product): a CPE criterion plus an optional version range.
public struct CPEApplicability: Sendable, Hashable {
    public var criteria: CPEName
    public var versionStartIncluding: String?
    public var versionStartExcluding: String?
    public var versionEndIncluding: String?
    public var versionEndExcluding: String?

    public init(criteria: CPEName, versionStartIncluding: String? = nil, versionStartExcluding: String? = nil,
                versionEndIncluding: String? = nil, versionEndExcluding: String? = nil) {
        self.criteria = criteria
        self.versionStartIncluding = versionStartIncluding
        self.versionStartExcluding = versionStartExcluding
        self.versionEndIncluding = versionEndIncluding
        self.versionEndExcluding = versionEndExcluding
    }

    var hasVersionRange: Bool {
        versionStartIncluding != nil || versionStartExcluding != nil || versionEndIncluding != nil || versionEndExcluding != nil
    }

    /// Whether a component's CPE is covered. With a version range, the criterion's own version must be ANY and the
    /// component's version must be concrete and inside the range in `ecosystem`'s order (generic SemVer when the
    /// component has no ecosystem); a version that cannot be ordered does not match.
    public func applies(to target: CPEName, ecosystem: Ecosystem = .generic) -> Bool {
        guard hasVersionRange else { return criteria.matches(target) }
        var anyVersion = criteria
        anyVersion.attributes[3] = .any
        guard anyVersion.matches(target), let version = target.concreteVersion else { return false }
        if case let .value(pattern) = criteria.version, !pattern.matches(version) { return false }
        let order = MatchVersionOrder(ecosystem: ecosystem)
        func holds(_ bound: String?, _ test: (Int) -> Bool) -> Bool {
            guard let bound else { return true }
            return order.compare(version, bound.lowercased()).map(test) ?? false
        }
        return holds(versionStartIncluding) { $0 >= 0 } && holds(versionStartExcluding) { $0 > 0 }
            && holds(versionEndIncluding) { $0 <= 0 } && holds(versionEndExcluding) { $0 < 0 }
    }
}
