/// The CVSS 3.0 and 3.1 equations (specification section 7), evaluated in exact decimals.
enum CVSS3Scoring {
    // Metric weights in hundredths, indexed like the value lists in `CVSS3Metric.table`.
    private static let attackVector: [UInt64] = [85, 62, 55, 20]
    private static let attackComplexity: [UInt64] = [77, 44]
    private static let privilegesScopeUnchanged: [UInt64] = [85, 62, 27]
    private static let privilegesScopeChanged: [UInt64] = [85, 68, 50]
    private static let userInteraction: [UInt64] = [85, 62]
    private static let impact: [UInt64] = [56, 22, 0]
    private static let exploitCodeMaturity: [UInt64] = [100, 100, 97, 94, 91]
    private static let remediationLevel: [UInt64] = [100, 100, 97, 96, 95]
    private static let reportConfidence: [UInt64] = [100, 100, 96, 92]
    private static let requirement: [UInt64] = [100, 150, 100, 50]

    private static func hundredths(_ value: UInt64) -> ExactDecimal { ExactDecimal(value, scale: 2) }

    private static let one = ExactDecimal(1, scale: 0)
    private static let ten = ExactDecimal(10, scale: 0)

    /// How many values each base metric (AV, AC, PR, UI, S, C, I, A) has.
    private static let baseValueCounts = [4, 2, 3, 2, 2, 3, 3, 3]

    /// Base scores depend on the eight base metrics only (2,592 combinations), so they are computed once per version.
    private static let baseTables: [[UInt8]] = [CVSSVersion.v3_0, .v3_1].map { version in
        (0..<baseValueCounts.reduce(1, *)).map { index in
            var metrics = PackedMetrics()
            var rest = index
            for metric in baseValueCounts.indices.reversed() {
                metrics[metric] = rest % baseValueCounts[metric]
                rest /= baseValueCounts[metric]
            }
            return UInt8(computeBase(metrics, version: version))
        }
    }

    static func baseScore(_ metrics: PackedMetrics, version: CVSSVersion) -> CVSSScore {
        var index = 0
        for metric in baseValueCounts.indices {
            index = index * baseValueCounts[metric] + metrics[metric]
        }
        return CVSSScore(tenths: Int(baseTables[version == .v3_0 ? 0 : 1][index]))
    }

    /// Roundup(BaseScore × ExploitCodeMaturity × RemediationLevel × ReportConfidence).
    static func temporalScore(_ metrics: PackedMetrics, version: CVSSVersion) -> CVSSScore {
        let base = ExactDecimal(UInt64(baseScore(metrics, version: version).tenths), scale: 1)
        return CVSSScore(tenths: roundUp(base * temporalFactor(metrics), version: version))
    }

    static func environmentalScore(_ metrics: PackedMetrics, version: CVSSVersion) -> CVSSScore {
        let modified = { (metric: CVSS3Metric, base: CVSS3Metric) -> Int in
            let value = metrics[metric.rawValue]
            return value == 0 ? metrics[base.rawValue] : value - 1
        }
        let scopeChanged = modified(.modifiedScope, .scope) == 1
        let weighted = { (impactMetric: CVSS3Metric, base: CVSS3Metric, requirementMetric: CVSS3Metric) in
            hundredths(impact[modified(impactMetric, base)]) * hundredths(requirement[metrics[requirementMetric.rawValue]])
        }
        // MISS = Minimum(1 − [(1 − CR × MC) × (1 − IR × MI) × (1 − AR × MA)], 0.915)
        let untouched = complement(weighted(.modifiedConfidentiality, .confidentiality, .confidentialityRequirement))
            * complement(weighted(.modifiedIntegrity, .integrity, .integrityRequirement))
            * complement(weighted(.modifiedAvailability, .availability, .availabilityRequirement))
        let subscore = min(complement(untouched), ExactDecimal(915, scale: 3))
        let privileges = scopeChanged ? privilegesScopeChanged : privilegesScopeUnchanged
        let exploitability = ExactDecimal(822, scale: 2)
            * hundredths(attackVector[modified(.modifiedAttackVector, .attackVector)])
            * hundredths(attackComplexity[modified(.modifiedAttackComplexity, .attackComplexity)])
            * hundredths(privileges[modified(.modifiedPrivilegesRequired, .privilegesRequired)])
            * hundredths(userInteraction[modified(.modifiedUserInteraction, .userInteraction)])
        // 3.1 changed the modified impact of a changed scope to (MISS × 0.9731 − 0.02)^13; 3.0 keeps the base form.
        let powerBase = version == .v3_0 ? subscore : subscore * ExactDecimal(9731, scale: 4)
        let exponent = version == .v3_0 ? 15 : 13
        guard let impact = impactSubscore(subscore, scopeChanged: scopeChanged, powerBase: powerBase, exponent: exponent)
        else { return CVSSScore(tenths: 0) }
        let modifiedBase = cappedSum(impact, exploitability, scopeChanged: scopeChanged, version: version)
        let base = ExactDecimal(UInt64(modifiedBase), scale: 1)
        return CVSSScore(tenths: roundUp(base * temporalFactor(metrics), version: version))
    }

    private static func computeBase(_ metrics: PackedMetrics, version: CVSSVersion) -> Int {
        let value = { (metric: CVSS3Metric) in metrics[metric.rawValue] }
        let scopeChanged = value(.scope) == 1
        // ISS = 1 − [(1 − C) × (1 − I) × (1 − A)]
        let untouched = complement(hundredths(impact[value(.confidentiality)]))
            * complement(hundredths(impact[value(.integrity)]))
            * complement(hundredths(impact[value(.availability)]))
        let subscore = complement(untouched)
        let privileges = scopeChanged ? privilegesScopeChanged : privilegesScopeUnchanged
        let exploitability = ExactDecimal(822, scale: 2)
            * hundredths(attackVector[value(.attackVector)])
            * hundredths(attackComplexity[value(.attackComplexity)])
            * hundredths(privileges[value(.privilegesRequired)])
            * hundredths(userInteraction[value(.userInteraction)])
        guard let impact = impactSubscore(subscore, scopeChanged: scopeChanged, powerBase: subscore, exponent: 15)
        else { return 0 }
        return cappedSum(impact, exploitability, scopeChanged: scopeChanged, version: version)
    }

    /// Unchanged scope: 6.42 × ISS. Changed: 7.52 × (ISS − 0.029) − 3.25 × (powerBase − 0.02)^exponent.
    /// Nil when the impact is not positive, which makes the score 0.
    private static func impactSubscore(
        _ subscore: ExactDecimal, scopeChanged: Bool, powerBase: ExactDecimal, exponent: Int
    ) -> ExactDecimal? {
        // Every non-zero sub-score is at least 0.11, so only a zero one gives a non-positive impact
        // (for a changed scope 7.52 × (0 − 0.029) < 0); the subtractions below then stay non-negative.
        guard !subscore.isZero,
              let shifted = subscore.minus(ExactDecimal(29, scale: 3)),
              let powered = powerBase.minus(ExactDecimal(2, scale: 2))
        else { return nil }
        guard scopeChanged else { return ExactDecimal(642, scale: 2) * subscore }
        let impact = (ExactDecimal(752, scale: 2) * shifted).minus(ExactDecimal(325, scale: 2) * powered.power(exponent))
        return impact.flatMap { $0.isZero ? nil : $0 }
    }

    /// Roundup(Minimum(Impact + Exploitability, 10)), with the sum times 1.08 for a changed scope; in tenths.
    private static func cappedSum(_ impact: ExactDecimal, _ exploitability: ExactDecimal, scopeChanged: Bool,
                                  version: CVSSVersion) -> Int {
        let sum = scopeChanged ? ExactDecimal(108, scale: 2) * (impact + exploitability) : impact + exploitability
        return roundUp(min(sum, ten), version: version)
    }

    private static func temporalFactor(_ metrics: PackedMetrics) -> ExactDecimal {
        hundredths(exploitCodeMaturity[metrics[CVSS3Metric.exploitCodeMaturity.rawValue]])
            * hundredths(remediationLevel[metrics[CVSS3Metric.remediationLevel.rawValue]])
            * hundredths(reportConfidence[metrics[CVSS3Metric.reportConfidence.rawValue]])
    }

    private static func complement(_ value: ExactDecimal) -> ExactDecimal {
        one.minus(value) ?? .zero
    }

    private static func roundUp(_ value: ExactDecimal, version: CVSSVersion) -> Int {
        version == .v3_0 ? value.roundedUpTenths : value.roundedUpTenthsCVSS31
    }
}
