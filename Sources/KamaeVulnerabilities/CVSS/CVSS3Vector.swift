/// A valid CVSS 3.0 or 3.1 vector.
public struct CVSS3Vector: Sendable, Hashable, CustomStringConvertible {
    public let version: CVSSVersion
    let metrics: PackedMetrics

    init(version: CVSSVersion, metrics: PackedMetrics) {
        self.version = version
        self.metrics = metrics
    }

    /// The metric's value abbreviation, "X" for an optional metric the vector leaves out.
    public func value(of metric: CVSS3Metric) -> String {
        metric.allowedValues[metrics[metric.rawValue]]
    }

    /// Whether the vector gives the metric (a value other than X).
    public func defines(_ metric: CVSS3Metric) -> Bool {
        metric.isBase || metrics[metric.rawValue] != 0
    }

    public var baseScore: CVSSScore { CVSS3Scoring.baseScore(metrics, version: version) }

    public var temporalScore: CVSSScore { CVSS3Scoring.temporalScore(metrics, version: version) }

    public var environmentalScore: CVSSScore { CVSS3Scoring.environmentalScore(metrics, version: version) }

    /// The most specific score the vector carries: environmental when it gives an environmental metric,
    /// else temporal when it gives a temporal metric, else base.
    public var score: CVSSScore {
        if definesAny(CVSS3Metric.confidentialityRequirement.rawValue...CVSS3Metric.modifiedAvailability.rawValue) {
            return environmentalScore
        }
        if definesAny(CVSS3Metric.exploitCodeMaturity.rawValue...CVSS3Metric.reportConfidence.rawValue) {
            return temporalScore
        }
        return baseScore
    }

    private func definesAny(_ indices: ClosedRange<Int>) -> Bool {
        indices.contains { metrics[$0] != 0 }
    }

    /// The canonical vector: metrics in specification order, Not Defined ones left out.
    public var description: String {
        CVSS3Metric.table.render(metrics, version: version)
    }
}
