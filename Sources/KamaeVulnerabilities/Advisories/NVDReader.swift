import Foundation

/// Reads NVD CVE JSON 2.0 (an API answer or a feed file: `{"vulnerabilities": [{"cve": {...}}]}`) into advisories
/// whose applicability is the CPE matches of their configurations.
///
/// Every `cpeMatch` marked vulnerable counts, whatever node operator joins it: an AND configuration ("this
/// application running on that platform") is read as its vulnerable part alone, which can over-report but never
/// hides an exposure. Negated nodes are left out. Rejected CVEs are marked withdrawn.
public enum NVDReader {
    public static func read(_ data: Data, file: String) throws(IngestError) -> [Advisory] {
        let feed = try JSONDocument.decode(Feed.self, from: data, file: file)
        var advisories: [Advisory] = []
        for (index, item) in feed.vulnerabilities.enumerated() {
            let cve = item.cve
            var platforms: [CPEApplicability] = []
            for (configurationIndex, configuration) in (cve.configurations ?? []).enumerated() {
                for (nodeIndex, node) in configuration.nodes.enumerated() where node.negate != true {
                    for (matchIndex, match) in node.cpeMatch.enumerated() where match.vulnerable {
                        let criteria: CPEName
                        do {
                            criteria = try CPEName(parsing: match.criteria)
                        } catch {
                            throw .malformed(
                                file: file,
                                location: "$.vulnerabilities[\(index)].cve.configurations[\(configurationIndex)].nodes[\(nodeIndex)].cpeMatch[\(matchIndex)].criteria",
                                reason: error.description
                            )
                        }
                        platforms.append(CPEApplicability(
                            criteria: criteria, versionStartIncluding: match.versionStartIncluding,
                            versionStartExcluding: match.versionStartExcluding, versionEndIncluding: match.versionEndIncluding,
                            versionEndExcluding: match.versionEndExcluding
                        ))
                    }
                }
            }
            advisories.append(Advisory(
                id: cve.id, source: .nvd,
                summary: cve.descriptions?.first { $0.lang == "en" }?.value,
                severity: cve.metrics?.scores ?? [],
                isWithdrawn: cve.vulnStatus?.caseInsensitiveCompare("Rejected") == .orderedSame,
                platforms: platforms
            ))
        }
        return advisories
    }

    private struct Feed: Decodable {
        var vulnerabilities: [Item]
    }

    private struct Item: Decodable {
        var cve: CVE
    }

    private struct CVE: Decodable {
        var id: String
        var vulnStatus: String?
        var descriptions: [Description]?
        var metrics: Metrics?
        var configurations: [Configuration]?
    }

    private struct Description: Decodable {
        var lang: String
        var value: String
    }

    private struct Metrics: Decodable {
        struct Metric: Decodable {
            struct Data: Decodable { var vectorString: String }
            var cvssData: Data
        }

        var cvssMetricV40: [Metric]?
        var cvssMetricV31: [Metric]?
        var cvssMetricV30: [Metric]?
        var cvssMetricV2: [Metric]?

        var scores: [SeverityScore] {
            (cvssMetricV40 ?? []).map { SeverityScore(type: "CVSS_V4", score: $0.cvssData.vectorString) }
                + ((cvssMetricV31 ?? []) + (cvssMetricV30 ?? [])).map { SeverityScore(type: "CVSS_V3", score: $0.cvssData.vectorString) }
                + (cvssMetricV2 ?? []).map { SeverityScore(type: "CVSS_V2", score: $0.cvssData.vectorString) }
        }
    }

    private struct Configuration: Decodable {
        var nodes: [Node]
    }

    private struct Node: Decodable {
        var negate: Bool?
        var cpeMatch: [Match]
    }

    private struct Match: Decodable {
        var vulnerable: Bool
        var criteria: String
        var versionStartIncluding: String?
        var versionStartExcluding: String?
        var versionEndIncluding: String?
        var versionEndExcluding: String?
    }
}
