import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads JVN iPedia advisories in VULDEF XML (3.x, as MyJVN's getVulnDetailInfo returns them): one advisory per
/// `<Vulinfo>`, with its JVNDB id, the CVE and JVN ids of `<Related>` as aliases, CVSS vectors of `<Impact>`, and
/// each `<AffectedItem>`'s CPE with the versions `<VersionNumber>` gives.
///
/// JVN writes versions for people ("8.1", "2.0 およびそれ以前", "3.1 未満", "1.0 から 1.2"); the common forms become CPE
/// version bounds. An item with no version, or one whose wording is not recognised, affects every version of its
/// CPE: an advisory is flagged for review rather than missed.
public enum JVNReader {
    public static func read(_ data: Data, file: String) throws(IngestError) -> [Advisory] {
        let collector = Collector()
        try XMLDocumentParsing.parse(data, file: file, with: collector, root: "a JVN <VULDEF-Document>")
        if let failure = collector.failure { throw .malformed(file: file, location: "line \(failure.line)", reason: failure.reason) }
        return collector.advisories
    }

    /// The CPE applicabilities of one affected product: one per version statement, or the whole product.
    static func applicabilities(cpe: CPEName, versions: [String]) -> [CPEApplicability] {
        let bounds = versions.compactMap(VersionStatement.init)
        guard !bounds.isEmpty, bounds.count == versions.count else { return [CPEApplicability(criteria: cpe)] }
        return bounds.map { $0.applicability(for: cpe) }
    }

    /// The wordings of `<VersionNumber>` that name versions precisely enough to compare.
    enum VersionStatement: Equatable {
        case exactly(String)
        case through(String)
        case before(String)
        case from(String)
        case between(String, String)

        init?(_ text: String) {
            let normalised = text.replacingOccurrences(of: "\u{3000}", with: " ").trimmingCharacters(in: .whitespacesAndNewlines)
            func version(_ token: Substring) -> String? {
                var value = token.trimmingCharacters(in: .whitespaces)
                for prefix in ["version ", "Version ", "Ver.", "ver.", "バージョン"] where value.hasPrefix(prefix) {
                    value = String(value.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
                }
                guard let first = value.first, first.isNumber || ((first == "v" || first == "V") && value.dropFirst().first?.isNumber == true),
                      value.allSatisfy({ $0.isLetter || $0.isNumber || ".-_+".contains($0) }) else { return nil }
                return value
            }
            func split(_ separators: [String]) -> (Substring, Substring)? {
                for separator in separators {
                    if let range = normalised.range(of: separator) {
                        return (normalised[..<range.lowerBound], normalised[range.upperBound...])
                    }
                }
                return nil
            }
            func suffixed(_ suffixes: [String]) -> String? {
                for suffix in suffixes where normalised.hasSuffix(suffix) {
                    return version(normalised.dropLast(suffix.count))
                }
                return nil
            }
            func prefixed(_ prefixes: [String]) -> String? {
                for prefix in prefixes where normalised.lowercased().hasPrefix(prefix) {
                    return version(normalised.dropFirst(prefix.count))
                }
                return nil
            }
            if let exact = version(normalised[...]) {
                self = .exactly(exact)
            } else if let last = suffixed(["およびそれ以前のバージョン", "およびそれ以前", "以前のバージョン", "以前", " and earlier", " or earlier", " and prior"]) {
                self = .through(last)
            } else if let limit = suffixed(["より前のバージョン", "より前", "未満"]) ?? prefixed(["prior to ", "before ", "earlier than "]) {
                self = .before(limit)
            } else if let first = suffixed(["およびそれ以降", "以降", " and later", " or later"]) {
                self = .from(first)
            } else if let (low, high) = split([" から ", "から", " to ", " - ", "〜", "～"]).flatMap({ pair -> (String, String)? in
                let upper = pair.1.replacingOccurrences(of: "まで", with: "")
                guard let low = version(pair.0), let high = version(upper[...]) else { return nil }
                return (low, high)
            }) {
                self = .between(low, high)
            } else {
                return nil
            }
        }

        func applicability(for cpe: CPEName) -> CPEApplicability {
            switch self {
            case let .exactly(version):
                var exact = cpe
                exact.attributes[3] = .value(CPEValue(text: version.lowercased()))
                return CPEApplicability(criteria: exact)
            case let .through(version): return CPEApplicability(criteria: cpe, versionEndIncluding: version)
            case let .before(version): return CPEApplicability(criteria: cpe, versionEndExcluding: version)
            case let .from(version): return CPEApplicability(criteria: cpe, versionStartIncluding: version)
            case let .between(low, high): return CPEApplicability(criteria: cpe, versionStartIncluding: low, versionEndIncluding: high)
            }
        }
    }

    private final class Collector: XMLTreeCollector {
        var advisories: [Advisory] = []

        private var current: Advisory?
        private var cpe: CPEName?
        private var versions: [String] = []
        private var cvssVersion: String?
        private var relatedType: String?

        init() { super.init(rootName: "VULDEF-Document") }

        override func start(_ elementName: String, namespace namespaceURI: String?, attributes: [String: String], parser: XMLParser) {
            let parent = ancestor(1)
            switch elementName {
            case "VULDEF-Document" where parent == nil:
                sawRoot = namespaceURI.map { $0.hasSuffix("://jvn.jp/vuldef/") } ?? false
            case "Vulinfo" where parent == "VULDEF-Document":
                current = Advisory(id: "", source: .jvn)
            case "AffectedItem":
                cpe = nil
                versions = []
            case "Cvss":
                cvssVersion = attributes["version"]
            case "RelatedItem":
                relatedType = attributes["type"]
            default:
                break
            }
        }

        override func end(_ elementName: String, text value: String, parser: XMLParser) {
            let parent = ancestor(1)
            guard var advisory = current else { return }
            if elementName == "Vulinfo" {
                if advisory.id.isEmpty {
                    failure = failure ?? XMLReadFailure(line: parser.lineNumber, reason: "a <Vulinfo> has no <VulinfoID>")
                } else {
                    advisories.append(advisory)
                }
                current = nil
                return
            }
            defer { current = advisory }
            switch (elementName, parent) {
            case ("VulinfoID", "Vulinfo"):
                advisory.id = value
            case ("Title", "VulinfoData"):
                advisory.summary = value
            case ("Cpe", "AffectedItem"):
                do {
                    cpe = try CPEName(parsing: value)
                } catch {
                    failure = failure ?? XMLReadFailure(line: parser.lineNumber, reason: "\(advisory.id): \(error)")
                }
            case ("VersionNumber", "AffectedItem") where !value.isEmpty:
                versions.append(value)
            case ("AffectedItem", _):
                if let cpe { advisory.platforms += JVNReader.applicabilities(cpe: cpe, versions: versions) }
            case ("Vector", "Cvss") where !value.isEmpty:
                let type = switch cvssVersion?.first {
                case "4": "CVSS_V4"
                case "3": "CVSS_V3"
                default: "CVSS_V2"
                }
                advisory.severity.append(SeverityScore(type: type, score: value))
            case ("VulinfoID", "RelatedItem") where relatedType == "advisory":
                let id = value.replacingOccurrences(of: " ", with: "")
                if (id.hasPrefix("CVE-") || id.hasPrefix("JVN#") || id.hasPrefix("JVNVU#")), !advisory.aliases.contains(id) { advisory.aliases.append(id) }
            default:
                break
            }
        }
    }
}
