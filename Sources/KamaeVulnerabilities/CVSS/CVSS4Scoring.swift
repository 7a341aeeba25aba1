/// The CVSS 4.0 score (specification section 8, FIRST's reference calculator): the vector's MacroVector
/// score, lowered by the mean, over the equivalence sets, of how far the vector lies below the set's
/// highest-severity vectors in proportion to the gap to the next lower MacroVector. Evaluated in exact
/// rationals and rounded half up to one decimal.
enum CVSS4Scoring {
    /// The severity levels (see `CVSS4Tables`) of the metrics that scoring reads, after the environmental
    /// Modified metrics replace the base ones and Not Defined threat and requirement metrics take their
    /// defaults (E: Attacked; CR, IR, AR: High).
    struct EffectiveMetrics {
        let attackVector, attackComplexity, attackRequirements, privileges, userInteraction: Int
        let vulnerableConfidentiality, vulnerableIntegrity, vulnerableAvailability: Int
        let subsequentConfidentiality, subsequentIntegrity, subsequentAvailability: Int
        let confidentialityRequirement, integrityRequirement, availabilityRequirement: Int
        let exploitMaturity: Int

        init(_ metrics: PackedMetrics) {
            let given = { (metric: CVSS4Metric) in metrics[metric.rawValue] }
            // A Modified metric's values are the base metric's with "X" in front.
            let modified = { (metric: CVSS4Metric, base: CVSS4Metric) in given(metric) == 0 ? given(base) : given(metric) - 1 }
            let withDefault = { (metric: CVSS4Metric) in max(given(metric) - 1, 0) }
            attackVector = modified(.modifiedAttackVector, .attackVector)
            attackComplexity = modified(.modifiedAttackComplexity, .attackComplexity)
            attackRequirements = modified(.modifiedAttackRequirements, .attackRequirements)
            privileges = modified(.modifiedPrivilegesRequired, .privilegesRequired)
            userInteraction = modified(.modifiedUserInteraction, .userInteraction)
            vulnerableConfidentiality = modified(.modifiedVulnerableConfidentiality, .vulnerableConfidentiality)
            vulnerableIntegrity = modified(.modifiedVulnerableIntegrity, .vulnerableIntegrity)
            vulnerableAvailability = modified(.modifiedVulnerableAvailability, .vulnerableAvailability)
            // Subsequent-system levels start at 1 (High) because Safety, reachable only through MSI and MSA, is 0.
            subsequentConfidentiality = modified(.modifiedSubsequentConfidentiality, .subsequentConfidentiality) + 1
            let integrity = given(.modifiedSubsequentIntegrity), availability = given(.modifiedSubsequentAvailability)
            subsequentIntegrity = integrity == 0 ? given(.subsequentIntegrity) + 1 : integrity - 1
            subsequentAvailability = availability == 0 ? given(.subsequentAvailability) + 1 : availability - 1
            confidentialityRequirement = withDefault(.confidentialityRequirement)
            integrityRequirement = withDefault(.integrityRequirement)
            availabilityRequirement = withDefault(.availabilityRequirement)
            exploitMaturity = withDefault(.exploitMaturity)
        }

        var hasNoImpact: Bool {
            vulnerableConfidentiality == 2 && vulnerableIntegrity == 2 && vulnerableAvailability == 2
                && subsequentConfidentiality == 3 && subsequentIntegrity == 3 && subsequentAvailability == 3
        }
    }

    /// What one equivalence set contributes for one combination of its metrics.
    struct SetOutcome: Sendable {
        /// The set's level in the MacroVector.
        let level: Int
        /// The summed severity distance to the set's first highest-severity vector that is not less severe in
        /// any metric, and whether there is one.
        let distance: Int
        let fits: Bool
        /// The distance to the set's last highest-severity vector, used when some set has no fitting one
        /// (FIRST's calculator then keeps the last candidate it tried).
        let distanceToLast: Int

        init(levels: [Int], level: Int, maxima: [[Int]]) {
            self.level = level
            let distances = maxima.map { maximum in zip(levels, maximum).map { $0 - $1 } }
            let fitting = distances.first { $0.allSatisfy { $0 >= 0 } }
            distance = fitting?.reduce(0, +) ?? 0
            fits = fitting != nil
            distanceToLast = distances.last?.reduce(0, +) ?? 0
        }
    }

    /// EQ1 over (AV, PR, UI), 4 × 3 × 3 combinations.
    static let eq1Outcomes: [SetOutcome] = (0..<36).map { index in
        let (attackVector, privileges, userInteraction) = (index / 9, index / 3 % 3, index % 3)
        let level = if attackVector == 0, privileges == 0, userInteraction == 0 {
            0
        } else if attackVector == 0 || privileges == 0 || userInteraction == 0, attackVector != 3 {
            1
        } else {
            2
        }
        return SetOutcome(levels: [attackVector, privileges, userInteraction], level: level,
                          maxima: CVSS4Tables.eq1Maxima[level])
    }

    /// EQ2 over (AC, AT).
    static let eq2Outcomes: [SetOutcome] = (0..<4).map { index in
        let (attackComplexity, attackRequirements) = (index / 2, index % 2)
        let level = attackComplexity == 0 && attackRequirements == 0 ? 0 : 1
        return SetOutcome(levels: [attackComplexity, attackRequirements], level: level,
                          maxima: CVSS4Tables.eq2Maxima[level])
    }

    /// EQ3 and EQ6 together over (VC, VI, VA, CR, IR, AR), 3^6 combinations; the level is EQ3 × 2 + EQ6.
    static let eq3eq6Outcomes: [SetOutcome] = (0..<729).map { index in
        let levels = (0..<6).reversed().map { index / Int(pow3[$0]) % 3 }
        let (confidentiality, integrity, availability) = (levels[0], levels[1], levels[2])
        let eq3 = if confidentiality == 0, integrity == 0 {
            0
        } else if confidentiality == 0 || integrity == 0 || availability == 0 {
            1
        } else {
            2
        }
        let eq6 = (levels[3] == 0 && confidentiality == 0) || (levels[4] == 0 && integrity == 0)
            || (levels[5] == 0 && availability == 0) ? 0 : 1
        return SetOutcome(levels: levels, level: eq3 * 2 + eq6, maxima: CVSS4Tables.eq3eq6Maxima[eq3][eq6])
    }

    private static let pow3 = [1, 3, 9, 27, 81, 243]

    /// EQ4 over (SC 1...3, SI 0...3, SA 0...3).
    static let eq4Outcomes: [SetOutcome] = (0..<48).map { index in
        let levels = [index / 16 + 1, index / 4 % 4, index % 4]
        let level = if levels[1] == 0 || levels[2] == 0 {
            0
        } else if levels.contains(1) {
            1
        } else {
            2
        }
        return SetOutcome(levels: levels, level: level, maxima: CVSS4Tables.eq4Maxima[level])
    }

    struct MacroVector {
        let eq1, eq2, eq3, eq4, eq5, eq6: Int
        fileprivate let sets: (SetOutcome, SetOutcome, SetOutcome, SetOutcome)

        var digits: [Int] { [eq1, eq2, eq3, eq4, eq5, eq6] }
    }

    static func macroVector(of metrics: EffectiveMetrics) -> MacroVector {
        let set1 = eq1Outcomes[(metrics.attackVector * 3 + metrics.privileges) * 3 + metrics.userInteraction]
        let set2 = eq2Outcomes[metrics.attackComplexity * 2 + metrics.attackRequirements]
        var index = 0
        for level in [metrics.vulnerableConfidentiality, metrics.vulnerableIntegrity, metrics.vulnerableAvailability,
                      metrics.confidentialityRequirement, metrics.integrityRequirement, metrics.availabilityRequirement] {
            index = index * 3 + level
        }
        let set36 = eq3eq6Outcomes[index]
        let set4 = eq4Outcomes[(metrics.subsequentConfidentiality - 1) * 16 + metrics.subsequentIntegrity * 4
                               + metrics.subsequentAvailability]
        return MacroVector(eq1: set1.level, eq2: set2.level, eq3: set36.level / 2, eq4: set4.level,
                           eq5: metrics.exploitMaturity, eq6: set36.level % 2, sets: (set1, set2, set36, set4))
    }

    static func score(_ packed: PackedMetrics) -> CVSSScore {
        let metrics = EffectiveMetrics(packed)
        if metrics.hasNoImpact { return CVSSScore(tenths: 0) }
        let macro = macroVector(of: metrics)
        let (eq1, eq2, eq3, eq4, eq5, eq6) = (macro.eq1, macro.eq2, macro.eq3, macro.eq4, macro.eq5, macro.eq6)
        guard let value = CVSS4Tables.score(eq1, eq2, eq3, eq4, eq5, eq6) else { return CVSSScore(tenths: 0) }

        let lowerEQ3EQ6: Int? = switch (eq3, eq6) {
        case (0, 0): max(CVSS4Tables.score(eq1, eq2, 0, eq4, eq5, 1) ?? 0, CVSS4Tables.score(eq1, eq2, 1, eq4, eq5, 0) ?? 0)
        case (1, 0): CVSS4Tables.score(eq1, eq2, 1, eq4, eq5, 1)
        default: CVSS4Tables.score(eq1, eq2, eq3 + 1, eq4, eq5, eq6)
        }
        let (set1, set2, set36, set4) = macro.sets
        let allFit = set1.fits && set2.fits && set36.fits && set4.fits
        let distance = { (set: SetOutcome) in allFit ? set.distance : set.distanceToLast }
        // Each set: (next lower MacroVector's score, the vector's distance, the depth of the set's level).
        let sets = [
            (CVSS4Tables.score(eq1 + 1, eq2, eq3, eq4, eq5, eq6), distance(set1), CVSS4Tables.eq1Depth[eq1]),
            (CVSS4Tables.score(eq1, eq2 + 1, eq3, eq4, eq5, eq6), distance(set2), CVSS4Tables.eq2Depth[eq2]),
            (lowerEQ3EQ6, distance(set36), CVSS4Tables.eq3eq6Depth[eq3][eq6]),
            (CVSS4Tables.score(eq1, eq2, eq3, eq4 + 1, eq5, eq6), distance(set4), CVSS4Tables.eq4Depth[eq4]),
        ]
        // Mean over the sets with a lower MacroVector of  available × distance / depth,  kept as an exact
        // fraction over the product of the depths. EQ5 counts in the mean but contributes 0.
        let depthProduct = sets.reduce(1) { $0 * $1.2 }
        guard depthProduct > 0 else { return CVSSScore(tenths: value) }
        var counted = 0
        var numerator = 0
        for (lower, distance, depth) in sets {
            guard let lower, value >= lower else { continue }
            counted += 1
            numerator += (value - lower) * distance * (depthProduct / depth)
        }
        if let lower = CVSS4Tables.score(eq1, eq2, eq3, eq4, eq5 + 1, eq6), value >= lower { counted += 1 }
        guard counted > 0 else { return CVSSScore(tenths: value) }
        // score × 10 = value − numerator / (depthProduct × counted), clamped to 0...100, rounded half up.
        let denominator = depthProduct * counted
        let scaled = min(max(value * denominator - numerator, 0), 100 * denominator)
        return CVSSScore(tenths: (2 * scaled + denominator) / (2 * denominator))
    }
}
