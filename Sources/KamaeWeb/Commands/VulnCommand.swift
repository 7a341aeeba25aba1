import ArgumentParser
import Foundation
import KamaeVulnerabilities

/// `kamae vuln …`: the vulnerability engine on the command line. Scripts call these; keep the output stable.
struct VulnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vuln",
        abstract: "Match SBOMs against vulnerability advisories; import advisory feeds into an institution's findings.",
        subcommands: [Match.self, Import.self]
    )

    struct Match: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the components of an SBOM that OSV advisories affect.",
            discussion: """
            The SBOM may be CycloneDX (JSON or XML) or SPDX 2.3 JSON. Advisories that share an alias (CVE, GHSA …) \
            count once per component; withdrawn advisories are skipped. Exits 0 whether or not anything matched.
            """
        )

        @Option(help: "The SBOM file.")
        var sbom: String

        @Option(help: "A directory of OSV JSON files, or a zip of them such as osv.dev's all.zip.")
        var osv: String

        @Flag(help: "Print a JSON array (purl, advisory, aliases, severity) instead of a table.")
        var json = false

        func run() throws {
            let report: ScanReport
            do throws(IngestError) {
                report = try VulnerabilityScan.run(sbom: URL(fileURLWithPath: sbom), osv: URL(fileURLWithPath: osv))
            } catch {
                throw CommandFailure(error.description)
            }
            if json {
                print(try CLIOutput.json(report.findings.map(FindingDTO.init)))
                return
            }
            let rows = report.findings.map { [$0.purl ?? $0.component, $0.advisory, $0.severity ?? "", $0.aliases.joined(separator: ", ")] }
            if !rows.isEmpty {
                print(CLIOutput.table(header: ["PURL", "ADVISORY", "SEVERITY", "ALIASES"], rows: rows))
            }
            let affected = Set(report.findings.map(\.component)).count
            print("\(report.findings.count) findings in \(affected) of \(report.componentCount) components; "
                + "\(report.statistics.records) advisories read, \(report.statistics.withdrawn) withdrawn skipped"
                + (report.unmatchable.isEmpty ? "" : "; not matchable (no purl, CPE or version): \(report.unmatchable.count)"))
        }
    }
}

/// One line of `kamae vuln match --json`. `severity` is the advisory's newest CVSS vector (v4, v3, then v2) or,
/// without one, the database's own rating such as GHSA's "HIGH"; it is left out when the advisory has neither.
struct FindingDTO: Encodable {
    var purl: String
    var advisory: String
    var aliases: [String]
    var severity: String?

    init(_ finding: ScanFinding) {
        purl = finding.purl ?? ""
        advisory = finding.advisory
        aliases = finding.aliases
        severity = finding.severity
    }
}
