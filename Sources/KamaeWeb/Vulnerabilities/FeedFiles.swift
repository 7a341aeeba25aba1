import Foundation
import KamaeCore
import KamaeVulnerabilities

/// An advisory feed dropped in by an administrator (no internet needed): recognised by its content, not its name.
enum FeedFile: Sendable {
    case advisories(kind: String, [Advisory])
    case knownExploited(KnownExploitedCatalog)
    case epss(EPSSScores)

    var kind: String {
        switch self {
        case let .advisories(kind, _): kind
        case .knownExploited: "kev"
        case .epss: "epss"
        }
    }

    /// Reads OSV (one record, an array, `{"vulns": …}` or a zip of records), CSAF 2.0, NVD CVE API 2.0 JSON,
    /// JVN iPedia VULDEF XML, the CISA KEV catalog (JSON) or an EPSS score file (CSV).
    static func read(_ data: Data, file: String) throws(IngestError) -> FeedFile {
        guard let first = data.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) }) else {
            throw .unsupportedFormat(file: file, reason: "the file is empty")
        }
        if data.starts(with: [0x50, 0x4B]) { return .advisories(kind: "osv", try readZip(data, file: file)) }
        if data.starts(with: [0x1F, 0x8B]) { return .epss(try EPSSScores.read(data, file: file)) }
        if first == UInt8(ascii: "<") { return .advisories(kind: "jvn", try JVNReader.read(data, file: file)) }
        if first == UInt8(ascii: "#") || data.prefix(64).starts(with: Array("cve,".utf8)) { return .epss(try EPSSScores.read(data, file: file)) }
        guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else {
            throw .unsupportedFormat(file: file, reason: "not OSV, CSAF, NVD or KEV JSON, JVN XML or EPSS CSV")
        }
        // A cheap look at the top-level keys decides the reader; each reader then checks the whole document.
        let head = String(decoding: data.prefix(4096), as: UTF8.self)
        if head.contains("\"catalogVersion\"") || head.contains("\"cveID\"") { return .knownExploited(try KnownExploitedCatalog.read(data, file: file)) }
        if head.contains("\"csaf_version\"") || head.contains("\"product_tree\"") { return .advisories(kind: "csaf", try CSAFReader.read(data, file: file).advisories) }
        if head.contains("\"vulnerabilities\"") && (head.contains("\"NVD_CVE\"") || head.contains("\"cve\"")) {
            return .advisories(kind: "nvd", try NVDReader.read(data, file: file))
        }
        return .advisories(kind: "osv", try OSVDatabase.advisories(in: data, file: file))
    }

    /// Parsing a large feed (a zip is read on every core) is kept off Swift's cooperative threads, which serve
    /// the other requests meanwhile.
    static func readInBackground(_ data: Data, file: String) async throws(IngestError) -> FeedFile {
        let result: Result<FeedFile, IngestError> = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(returning: Result { () throws(IngestError) in try read(data, file: file) })
            }
        }
        return try result.get()
    }

    private static func readZip(_ data: Data, file: String) throws(IngestError) -> [Advisory] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kamae-feed-\(UUID().uuidString).zip")
        do { try data.write(to: url, options: .atomic) } catch { throw .unreadable(file: file, reason: "cannot stage the archive: \(error.localizedDescription)") }
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            return try OSVDatabase.read(at: url)
        } catch {
            throw IngestError.malformed(file: file, location: error.file.replacingOccurrences(of: url.path, with: file), reason: error.description.replacingOccurrences(of: url.path, with: file))
        }
    }
}
