/// A valid CVSS 4.0 vector.
public struct CVSS4Vector: Sendable, Hashable, CustomStringConvertible {
    let metrics: PackedMetrics

    init(metrics: PackedMetrics) {
        self.metrics = metrics
    }

    /// The metric's value abbreviation, "X" for an optional metric the vector leaves out.
    public func value(of metric: CVSS4Metric) -> String {
        metric.allowedValues[metrics[metric.rawValue]]
    }

    /// Whether the vector gives the metric (a value other than X).
    public func defines(_ metric: CVSS4Metric) -> Bool {
        metric.isBase || metrics[metric.rawValue] != 0
    }

    /// The CVSS 4.0 score of the base, threat and environmental metrics given (see ``nomenclature``).
    public var score: CVSSScore { CVSS4Scoring.score(metrics) }

    /// Which metric groups the score reflects: CVSS-B, CVSS-BT, CVSS-BE or CVSS-BTE.
    public var nomenclature: String {
        let threat = defines(.exploitMaturity)
        let environmental = CVSS4Metric.allCases.contains { $0.isEnvironmental && defines($0) }
        return "CVSS-B" + (threat ? "T" : "") + (environmental ? "E" : "")
    }

    /// The six-digit MacroVector (EQ1…EQ6) whose score the vector is interpolated from.
    public var macroVector: String {
        CVSS4Scoring.macroVector(of: CVSS4Scoring.EffectiveMetrics(metrics)).digits.map(String.init).joined()
    }

    /// The canonical vector: metrics in specification order, Not Defined ones left out.
    public var description: String {
        CVSS4Metric.table.render(metrics, version: .v4_0)
    }
}
