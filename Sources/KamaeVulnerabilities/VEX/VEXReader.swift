import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads VEX statements from CycloneDX VEX (JSON or XML), OpenVEX or CSAF VEX, recognised by content.
public enum VEXReader {
    public static func read(contentsOf url: URL) throws(IngestError) -> [VEXStatement] {
        try read(Data(FileSystem.read(url.path)), file: url.path)
    }

    public static func read(_ data: Data, file: String) throws(IngestError) -> [VEXStatement] {
        if data.first(where: { !$0.isXMLSpace }) == UInt8(ascii: "<") {
            return try CycloneDXVEXDocument.statements(try CycloneDXVEXXML.read(data, file: file), file: file, location: { "vulnerability #\($0 + 1)" + ($1.isEmpty ? "" : " <\($1)>") })
        }
        let probe = try JSONDocument.decode(Probe.self, from: data, file: file)
        if probe.context?.lowercased().contains("openvex") == true {
            return try OpenVEXDocument.statements(data, file: file)
        }
        if probe.bomFormat == "CycloneDX" {
            return try CycloneDXVEXDocument.statements(
                try JSONDocument.decode(CycloneDXVEXDocument.self, from: data, file: file), file: file,
                location: { "$.vulnerabilities[\($0)]" + ($1.isEmpty ? "" : "." + $1) }
            )
        }
        if probe.document != nil {
            return try CSAFReader.read(data, file: file).statements
        }
        throw .unsupportedFormat(file: file, reason: "expected CycloneDX VEX (JSON or XML), OpenVEX or CSAF VEX")
    }

    private struct Probe: Decodable {
        struct Empty: Decodable {}
        var context: String?
        var bomFormat: String?
        var document: Empty?
        enum CodingKeys: String, CodingKey {
            case bomFormat, document
            case context = "@context"
        }
    }

    static func date(_ text: String?) -> Date? {
        text.flatMap { try? Date($0, strategy: .iso8601) }
    }
}

/// CycloneDX VEX: `vulnerabilities[]` with `analysis.state` / `justification` and `affects[].ref`; the XML form
/// (`<vulnerability>`, `<affects><target><ref>`) is read into the same shape by `CycloneDXVEXXML`.
struct CycloneDXVEXDocument: Decodable {
    struct Component: Decodable {
        var bomRef: String?
        var purl: String?
        var components: [Component]?
        enum CodingKeys: String, CodingKey {
            case purl, components
            case bomRef = "bom-ref"
        }
    }

    struct Vulnerability: Decodable {
        struct Reference: Decodable { var id: String }
        struct Analysis: Decodable {
            var state: String?
            var justification: String?
            var detail: String?
        }
        struct Affect: Decodable { var ref: String }

        var id: String?
        var references: [Reference]?
        var analysis: Analysis?
        var affects: [Affect]?
        var updated: String?
        var published: String?
    }

    var components: [Component]?
    var metadata: Metadata?
    var vulnerabilities: [Vulnerability]?

    struct Metadata: Decodable {
        var timestamp: String?
        var component: Component?
    }

    /// `location(index, field)` names a vulnerability (and a field of it) the way the source format does.
    static func statements(_ document: CycloneDXVEXDocument, file: String, location: (Int, String) -> String) throws(IngestError) -> [VEXStatement] {
        // A ref names a component of this BOM; when that component has a purl, the statement follows the purl so it
        // also applies to the same package in another SBOM.
        var purls: [String: String] = [:]
        func collect(_ components: [Component]) {
            for component in components {
                if let reference = component.bomRef, let purl = component.purl { purls[reference] = purl }
                collect(component.components ?? [])
            }
        }
        collect((document.metadata?.component.map { [$0] } ?? []) + (document.components ?? []))
        var statements: [VEXStatement] = []
        for (index, vulnerability) in (document.vulnerabilities ?? []).enumerated() {
            guard let id = vulnerability.id else {
                throw .malformed(file: file, location: location(index, ""), reason: "missing \"id\"")
            }
            let status: VEXStatus
            switch vulnerability.analysis?.state {
            // No analysis: the BOM only lists the vulnerability (a VDR), which says it affects the component.
            case nil, "exploitable": status = .affected
            case "in_triage": status = .underInvestigation
            case "resolved", "resolved_with_pedigree": status = .fixed
            case "not_affected", "false_positive": status = .notAffected
            case let other?:
                throw .malformed(file: file, location: location(index, "analysis.state"), reason: "unknown state \"\(other)\"")
            }
            let products = (vulnerability.affects ?? []).map { affect -> VEXProduct in
                let fragment = affect.ref.split(separator: "#", maxSplits: 1).last.map(String.init) ?? affect.ref
                if let purl = purls[affect.ref] ?? purls[fragment] { return .purl(purl) }
                return affect.ref.hasPrefix("pkg:") ? .purl(affect.ref) : .reference(affect.ref)
            }
            let justification = vulnerability.analysis?.state == "false_positive" ? "false_positive" : vulnerability.analysis?.justification
            statements.append(VEXStatement(
                vulnerabilityIDs: [id] + (vulnerability.references ?? []).map(\.id), products: products, status: status,
                justification: status == .notAffected ? justification : nil,
                impactStatement: status == .notAffected ? vulnerability.analysis?.detail : nil,
                timestamp: VEXReader.date(vulnerability.updated ?? vulnerability.published ?? document.metadata?.timestamp),
                source: file
            ))
        }
        return statements
    }
}

/// OpenVEX 0.2: `statements[]` with `vulnerability`, `products` (and their `subcomponents`), `status`.
struct OpenVEXDocument: Decodable {
    struct Vulnerability: Decodable {
        var name: String?
        var id: String?
        var aliases: [String]?

        init(from decoder: any Decoder) throws {
            // OpenVEX 0.0.x wrote the vulnerability as a plain string.
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                name = text
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            id = try container.decodeIfPresent(String.self, forKey: .id)
            aliases = try container.decodeIfPresent([String].self, forKey: .aliases)
        }

        enum CodingKeys: String, CodingKey {
            case name, aliases
            case id = "@id"
        }
    }

    struct Product: Decodable {
        struct Identifiers: Decodable {
            var purl: String?
            var cpe23: String?
            var cpe22: String?
        }

        var id: String?
        var identifiers: Identifiers?
        var subcomponents: [Product]?

        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                id = text
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decodeIfPresent(String.self, forKey: .id)
            identifiers = try container.decodeIfPresent(Identifiers.self, forKey: .identifiers)
            subcomponents = try container.decodeIfPresent([Product].self, forKey: .subcomponents)
        }

        enum CodingKeys: String, CodingKey {
            case identifiers, subcomponents
            case id = "@id"
        }

        var names: [VEXProduct] {
            var names: [VEXProduct] = []
            if let purl = identifiers?.purl { names.append(.purl(purl)) }
            if let cpe = identifiers?.cpe23 ?? identifiers?.cpe22 { names.append(.cpe(cpe)) }
            if let id {
                if id.hasPrefix("pkg:") {
                    names.append(.purl(id))
                } else if id.hasPrefix("cpe:") {
                    names.append(.cpe(id))
                } else {
                    names.append(.reference(id))
                }
            }
            return names
        }
    }

    struct Statement: Decodable {
        var vulnerability: Vulnerability
        var products: [Product]?
        var status: String
        var justification: String?
        var impactStatement: String?
        var timestamp: String?
        enum CodingKeys: String, CodingKey {
            case vulnerability, products, status, justification, timestamp
            case impactStatement = "impact_statement"
        }
    }

    var timestamp: String?
    var statements: [Statement]

    static func statements(_ data: Data, file: String) throws(IngestError) -> [VEXStatement] {
        let document = try JSONDocument.decode(Self.self, from: data, file: file)
        return try document.statements.enumerated().map { index, statement throws(IngestError) -> VEXStatement in
            guard let status = VEXStatus(rawValue: statement.status) else {
                throw .malformed(file: file, location: "$.statements[\(index)].status", reason: "unknown status \"\(statement.status)\"")
            }
            // A statement about subcomponents speaks of them inside the product, and the SBOM lists them.
            let products = (statement.products ?? []).flatMap { product in
                product.subcomponents.map { $0.flatMap(\.names) }.flatMap { $0.isEmpty ? nil : $0 } ?? product.names
            }
            let vulnerability = statement.vulnerability
            return VEXStatement(
                vulnerabilityIDs: [vulnerability.name, vulnerability.id].compactMap { $0 } + (vulnerability.aliases ?? []),
                products: products, status: status,
                justification: status == .notAffected ? statement.justification : nil,
                impactStatement: status == .notAffected ? statement.impactStatement : nil,
                timestamp: VEXReader.date(statement.timestamp ?? document.timestamp), source: file
            )
        }
    }
}

/// CycloneDX VEX in XML (1.4–1.6): components' `bom-ref` and `<purl>`, and each `<vulnerability>` with its `<id>`,
/// `<references>`, `<analysis>`, dates and `<affects><target><ref>`, collected into `CycloneDXVEXDocument`.
enum CycloneDXVEXXML {
    static func read(_ data: Data, file: String) throws(IngestError) -> CycloneDXVEXDocument {
        let collector = Collector()
        try XMLDocumentParsing.parse(data, file: file, with: collector)
        return CycloneDXVEXDocument(
            components: collector.components, metadata: CycloneDXVEXDocument.Metadata(timestamp: collector.timestamp, component: nil),
            vulnerabilities: collector.vulnerabilities
        )
    }

    private final class Collector: XMLTreeCollector {
        var components: [CycloneDXVEXDocument.Component] = []
        var vulnerabilities: [CycloneDXVEXDocument.Vulnerability] = []
        var timestamp: String?

        /// Open components (nested ones stay open inside their parent), innermost last.
        private var openComponents: [CycloneDXVEXDocument.Component] = []

        init() { super.init(rootName: "bom") }

        override func start(_ elementName: String, namespace namespaceURI: String?, attributes: [String: String], parser: XMLParser) {
            let parent = ancestor(1)
            switch elementName {
            case "bom" where parent == nil:
                sawRoot = namespaceURI?.hasPrefix("http://cyclonedx.org/schema/bom/") == true
            case "component":
                openComponents.append(CycloneDXVEXDocument.Component(bomRef: attributes["bom-ref"], purl: nil, components: nil))
            case "vulnerability" where parent == "vulnerabilities":
                vulnerabilities.append(CycloneDXVEXDocument.Vulnerability())
            case "analysis" where parent == "vulnerability" && !vulnerabilities.isEmpty:
                vulnerabilities[vulnerabilities.count - 1].analysis = CycloneDXVEXDocument.Vulnerability.Analysis()
            default:
                break
            }
        }

        override func end(_ elementName: String, text value: String, parser: XMLParser) {
            let (parent, grandparent) = (ancestor(1), ancestor(2))
            // Fields count only inside a <vulnerability> of <vulnerabilities> (a stray one elsewhere opened no record).
            let inVulnerability = !vulnerabilities.isEmpty && elements.contains("vulnerabilities") && elements.contains("vulnerability")
            let last = vulnerabilities.count - 1
            switch (elementName, parent, grandparent) {
            case ("component", _, _):
                if let component = openComponents.popLast() { components.append(component) }
            case ("purl", "component", _):
                if !openComponents.isEmpty { openComponents[openComponents.count - 1].purl = value }
            case ("timestamp", "metadata", _):
                timestamp = value
            case ("id", "vulnerability", _) where inVulnerability:
                vulnerabilities[last].id = value
            case ("id", "reference", "references") where inVulnerability:
                vulnerabilities[last].references = (vulnerabilities[last].references ?? []) + [.init(id: value)]
            case ("state", "analysis", _) where inVulnerability:
                vulnerabilities[last].analysis?.state = value
            case ("justification", "analysis", _) where inVulnerability:
                vulnerabilities[last].analysis?.justification = value
            case ("detail", "analysis", _) where inVulnerability:
                vulnerabilities[last].analysis?.detail = value
            case ("published", "vulnerability", _) where inVulnerability:
                vulnerabilities[last].published = value
            case ("updated", "vulnerability", _) where inVulnerability:
                vulnerabilities[last].updated = value
            case ("ref", "target", "affects") where inVulnerability:
                vulnerabilities[last].affects = (vulnerabilities[last].affects ?? []) + [.init(ref: value)]
            default:
                break
            }
        }
    }
}

private extension UInt8 {
    var isXMLSpace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D || self == 0xEF || self == 0xBB || self == 0xBF }
}
