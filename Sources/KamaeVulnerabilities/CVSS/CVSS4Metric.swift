/// The metrics of CVSS 4.0 in the specification's vector order: base, threat, environmental, supplemental.
public enum CVSS4Metric: Int, Sendable, Hashable, CaseIterable {
    case attackVector, attackComplexity, attackRequirements, privilegesRequired, userInteraction
    case vulnerableConfidentiality, vulnerableIntegrity, vulnerableAvailability
    case subsequentConfidentiality, subsequentIntegrity, subsequentAvailability
    case exploitMaturity
    case confidentialityRequirement, integrityRequirement, availabilityRequirement
    case modifiedAttackVector, modifiedAttackComplexity, modifiedAttackRequirements
    case modifiedPrivilegesRequired, modifiedUserInteraction
    case modifiedVulnerableConfidentiality, modifiedVulnerableIntegrity, modifiedVulnerableAvailability
    case modifiedSubsequentConfidentiality, modifiedSubsequentIntegrity, modifiedSubsequentAvailability
    case safety, automatable, recovery, valueDensity, vulnerabilityResponseEffort, providerUrgency

    public var abbreviation: String { Self.table.definitions[rawValue].abbreviation }

    /// The values the metric accepts; for optional metrics the first is "X" (Not Defined).
    public var allowedValues: [String] { Self.table.definitions[rawValue].values }

    public var isBase: Bool { rawValue <= Self.subsequentAvailability.rawValue }

    public var isThreat: Bool { self == .exploitMaturity }

    public var isEnvironmental: Bool {
        (Self.confidentialityRequirement.rawValue...Self.modifiedSubsequentAvailability.rawValue).contains(rawValue)
    }

    /// Supplemental metrics describe a vulnerability further but never change its score.
    public var isSupplemental: Bool { rawValue >= Self.safety.rawValue }

    /// The order of each value list matters: scoring reads severity levels from the positions.
    static let table = MetricTable(definitions: [
        MetricDefinition(abbreviation: "AV", values: ["N", "A", "L", "P"], isMandatory: true),
        MetricDefinition(abbreviation: "AC", values: ["L", "H"], isMandatory: true),
        MetricDefinition(abbreviation: "AT", values: ["N", "P"], isMandatory: true),
        MetricDefinition(abbreviation: "PR", values: ["N", "L", "H"], isMandatory: true),
        MetricDefinition(abbreviation: "UI", values: ["N", "P", "A"], isMandatory: true),
        MetricDefinition(abbreviation: "VC", values: ["H", "L", "N"], isMandatory: true),
        MetricDefinition(abbreviation: "VI", values: ["H", "L", "N"], isMandatory: true),
        MetricDefinition(abbreviation: "VA", values: ["H", "L", "N"], isMandatory: true),
        MetricDefinition(abbreviation: "SC", values: ["H", "L", "N"], isMandatory: true),
        MetricDefinition(abbreviation: "SI", values: ["H", "L", "N"], isMandatory: true),
        MetricDefinition(abbreviation: "SA", values: ["H", "L", "N"], isMandatory: true),
        MetricDefinition(abbreviation: "E", values: ["X", "A", "P", "U"], isMandatory: false),
        MetricDefinition(abbreviation: "CR", values: ["X", "H", "M", "L"], isMandatory: false),
        MetricDefinition(abbreviation: "IR", values: ["X", "H", "M", "L"], isMandatory: false),
        MetricDefinition(abbreviation: "AR", values: ["X", "H", "M", "L"], isMandatory: false),
        MetricDefinition(abbreviation: "MAV", values: ["X", "N", "A", "L", "P"], isMandatory: false),
        MetricDefinition(abbreviation: "MAC", values: ["X", "L", "H"], isMandatory: false),
        MetricDefinition(abbreviation: "MAT", values: ["X", "N", "P"], isMandatory: false),
        MetricDefinition(abbreviation: "MPR", values: ["X", "N", "L", "H"], isMandatory: false),
        MetricDefinition(abbreviation: "MUI", values: ["X", "N", "P", "A"], isMandatory: false),
        MetricDefinition(abbreviation: "MVC", values: ["X", "H", "L", "N"], isMandatory: false),
        MetricDefinition(abbreviation: "MVI", values: ["X", "H", "L", "N"], isMandatory: false),
        MetricDefinition(abbreviation: "MVA", values: ["X", "H", "L", "N"], isMandatory: false),
        MetricDefinition(abbreviation: "MSC", values: ["X", "H", "L", "N"], isMandatory: false),
        // Only the modified subsequent integrity and availability can be Safety (S).
        MetricDefinition(abbreviation: "MSI", values: ["X", "S", "H", "L", "N"], isMandatory: false),
        MetricDefinition(abbreviation: "MSA", values: ["X", "S", "H", "L", "N"], isMandatory: false),
        MetricDefinition(abbreviation: "S", values: ["X", "N", "P"], isMandatory: false),
        MetricDefinition(abbreviation: "AU", values: ["X", "N", "Y"], isMandatory: false),
        MetricDefinition(abbreviation: "R", values: ["X", "A", "U", "I"], isMandatory: false),
        MetricDefinition(abbreviation: "V", values: ["X", "D", "C"], isMandatory: false),
        MetricDefinition(abbreviation: "RE", values: ["X", "L", "M", "H"], isMandatory: false),
        MetricDefinition(abbreviation: "U", values: ["X", "Clear", "Green", "Amber", "Red"], isMandatory: false),
    ], requiresOrder: true)
}
