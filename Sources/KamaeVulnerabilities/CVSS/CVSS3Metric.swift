/// The metrics of CVSS 3.0 and 3.1, in the specification's order (base, temporal, environmental).
public enum CVSS3Metric: Int, Sendable, Hashable, CaseIterable {
    case attackVector, attackComplexity, privilegesRequired, userInteraction, scope
    case confidentiality, integrity, availability
    case exploitCodeMaturity, remediationLevel, reportConfidence
    case confidentialityRequirement, integrityRequirement, availabilityRequirement
    case modifiedAttackVector, modifiedAttackComplexity, modifiedPrivilegesRequired, modifiedUserInteraction
    case modifiedScope, modifiedConfidentiality, modifiedIntegrity, modifiedAvailability

    public var abbreviation: String { Self.table.definitions[rawValue].abbreviation }

    /// The values the metric accepts; for optional metrics the first is "X" (Not Defined).
    public var allowedValues: [String] { Self.table.definitions[rawValue].values }

    /// Base metrics are mandatory; temporal and environmental ones are optional.
    public var isBase: Bool { rawValue <= Self.availability.rawValue }

    public var isTemporal: Bool { (Self.exploitCodeMaturity.rawValue...Self.reportConfidence.rawValue).contains(rawValue) }

    public var isEnvironmental: Bool { rawValue >= Self.confidentialityRequirement.rawValue }

    /// The order of each value list matters: scoring indexes its weight tables by position.
    static let table = MetricTable(definitions: [
        MetricDefinition(abbreviation: "AV", values: ["N", "A", "L", "P"], isMandatory: true),
        MetricDefinition(abbreviation: "AC", values: ["L", "H"], isMandatory: true),
        MetricDefinition(abbreviation: "PR", values: ["N", "L", "H"], isMandatory: true),
        MetricDefinition(abbreviation: "UI", values: ["N", "R"], isMandatory: true),
        MetricDefinition(abbreviation: "S", values: ["U", "C"], isMandatory: true),
        MetricDefinition(abbreviation: "C", values: ["H", "L", "N"], isMandatory: true),
        MetricDefinition(abbreviation: "I", values: ["H", "L", "N"], isMandatory: true),
        MetricDefinition(abbreviation: "A", values: ["H", "L", "N"], isMandatory: true),
        MetricDefinition(abbreviation: "E", values: ["X", "H", "F", "P", "U"], isMandatory: false),
        MetricDefinition(abbreviation: "RL", values: ["X", "U", "W", "T", "O"], isMandatory: false),
        MetricDefinition(abbreviation: "RC", values: ["X", "C", "R", "U"], isMandatory: false),
        MetricDefinition(abbreviation: "CR", values: ["X", "H", "M", "L"], isMandatory: false),
        MetricDefinition(abbreviation: "IR", values: ["X", "H", "M", "L"], isMandatory: false),
        MetricDefinition(abbreviation: "AR", values: ["X", "H", "M", "L"], isMandatory: false),
        MetricDefinition(abbreviation: "MAV", values: ["X", "N", "A", "L", "P"], isMandatory: false),
        MetricDefinition(abbreviation: "MAC", values: ["X", "L", "H"], isMandatory: false),
        MetricDefinition(abbreviation: "MPR", values: ["X", "N", "L", "H"], isMandatory: false),
        MetricDefinition(abbreviation: "MUI", values: ["X", "N", "R"], isMandatory: false),
        MetricDefinition(abbreviation: "MS", values: ["X", "U", "C"], isMandatory: false),
        MetricDefinition(abbreviation: "MC", values: ["X", "H", "L", "N"], isMandatory: false),
        MetricDefinition(abbreviation: "MI", values: ["X", "H", "L", "N"], isMandatory: false),
        MetricDefinition(abbreviation: "MA", values: ["X", "H", "L", "N"], isMandatory: false),
    ], requiresOrder: false)
}
