import Foundation
import KamaeCore

/// CISA's Known Exploited Vulnerabilities catalog (JSON), as dropped in by an administrator.
public struct KnownExploitedCatalog: Sendable {
    public struct Entry: Sendable, Hashable {
        public var cveID: String
        public var dateAdded: ISODate?
        public var dueDate: ISODate?
        public var knownRansomware: Bool
        public var name: String?
    }

    public var catalogVersion: String?
    /// By upper-case CVE id.
    public var entries: [String: Entry]

    private struct File: Decodable {
        var catalogVersion: String?
        var vulnerabilities: [Item]
    }

    private struct Item: Decodable {
        var cveID: String
        var dateAdded: String?
        var dueDate: String?
        var knownRansomwareCampaignUse: String?
        var vulnerabilityName: String?
    }

    public static func read(_ data: Data, file: String) throws(IngestError) -> KnownExploitedCatalog {
        let decoded: File
        do { decoded = try JSONDecoder().decode(File.self, from: data) } catch let DecodingError.keyNotFound(key, context) {
            let path = (context.codingPath + [key]).map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            if context.codingPath.isEmpty { throw .unsupportedFormat(file: file, reason: "not a CISA KEV catalog (no vulnerabilities list)") }
            throw .malformed(file: file, location: "$" + path, reason: "required field missing")
        } catch let DecodingError.typeMismatch(_, context) {
            throw .malformed(file: file, location: "$" + context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined(), reason: "wrong type of value")
        } catch {
            throw .unsupportedFormat(file: file, reason: "not readable JSON")
        }
        var entries: [String: Entry] = [:]
        for (index, item) in decoded.vulnerabilities.enumerated() {
            let id = item.cveID.trimmingCharacters(in: .whitespaces).uppercased()
            guard id.hasPrefix("CVE-"), id.split(separator: "-").count == 3 else {
                throw .malformed(file: file, location: "$.vulnerabilities[\(index)].cveID", reason: "not a CVE id: \(item.cveID.prefix(40))")
            }
            entries[id] = Entry(cveID: id, dateAdded: item.dateAdded.flatMap(ISODate.init), dueDate: item.dueDate.flatMap(ISODate.init),
                                knownRansomware: item.knownRansomwareCampaignUse?.lowercased() == "known", name: item.vulnerabilityName)
        }
        return KnownExploitedCatalog(catalogVersion: decoded.catalogVersion, entries: entries)
    }
}

/// FIRST's EPSS scores (CSV: an optional `#model_version:…,score_date:…` line, then `cve,epss,percentile`).
public struct EPSSScores: Sendable {
    public struct Score: Sendable, Hashable {
        public var epss: Double
        public var percentile: Double
    }

    public var modelVersion: String?
    public var scoreDate: ISODate?
    /// By upper-case CVE id.
    public var scores: [String: Score]

    public static func read(_ data: Data, file: String) throws(IngestError) -> EPSSScores {
        if data.starts(with: [0x1F, 0x8B]) { throw .unsupportedFormat(file: file, reason: "a gzip file: decompress it first (gunzip)") }
        guard let text = String(data: data, encoding: .utf8) else { throw .unsupportedFormat(file: file, reason: "not UTF-8 text") }
        var result = EPSSScores(modelVersion: nil, scoreDate: nil, scores: [:])
        var sawHeader = false
        var columns = (cve: 0, epss: 1, percentile: 2)
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let number = offset + 1
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                for part in line.dropFirst().split(separator: ",") {
                    let pair = part.split(separator: ":", maxSplits: 1).map(String.init)
                    guard pair.count == 2 else { continue }
                    if pair[0] == "model_version" { result.modelVersion = pair[1] }
                    if pair[0] == "score_date" { result.scoreDate = ISODate(String(pair[1].prefix(10))) }
                }
                continue
            }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if !sawHeader {
                let names = cells.map { $0.lowercased() }
                guard let cve = names.firstIndex(of: "cve"), let epss = names.firstIndex(of: "epss") else {
                    throw .unsupportedFormat(file: file, reason: "line \(number): no cve,epss header")
                }
                columns = (cve, epss, names.firstIndex(of: "percentile") ?? -1)
                sawHeader = true
                continue
            }
            guard cells.count > max(columns.cve, columns.epss, columns.percentile) else {
                throw .malformed(file: file, location: "line \(number)", reason: "missing column")
            }
            let id = cells[columns.cve].uppercased()
            guard id.hasPrefix("CVE-"), id.split(separator: "-").count == 3 else { throw .malformed(file: file, location: "line \(number)", reason: "not a CVE id: \(id.prefix(40))") }
            guard let epss = Double(cells[columns.epss]), (0...1).contains(epss) else {
                throw .malformed(file: file, location: "line \(number)", reason: "epss must be a number from 0 to 1 (got \(cells[columns.epss].prefix(20)))")
            }
            var percentile = 0.0
            if columns.percentile >= 0 {
                guard let value = Double(cells[columns.percentile]), (0...1).contains(value) else {
                    throw .malformed(file: file, location: "line \(number)", reason: "percentile must be a number from 0 to 1 (got \(cells[columns.percentile].prefix(20)))")
                }
                percentile = value
            }
            result.scores[id] = Score(epss: epss, percentile: percentile)
        }
        guard sawHeader else { throw .unsupportedFormat(file: file, reason: "no cve,epss header") }
        return result
    }
}
