import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads a CycloneDX 1.4–1.6 XML BOM with Foundation's streaming `XMLParser`.
/// Only components of the BOM itself count: tools listed as components in `metadata/tools` and pedigree
/// ancestors are not part of the software and are skipped.
enum CycloneDXXMLReader {
    static func read(_ data: Data, file: String) throws(IngestError) -> SBOM {
        let collector = Collector()
        try CycloneDXXMLParsing.parse(data, file: file, with: collector)
        return SBOM(format: .cycloneDXXML(specVersion: collector.specVersion), subject: collector.subject,
                    components: collector.components, dependencies: collector.dependencies)
    }

    private final class Collector: NSObject, CycloneDXXMLCollector {
        var sawBOM = false
        var closedBOM = false
        var specVersion = "unknown"
        var subject: String?
        var components: [Component] = []
        var dependencies: [String: [String]] = [:]
        var failure: CycloneDXXMLFailure?

        private var elements: [String] = []
        /// Indexes into `components` of the counted components now open, innermost last.
        private var openComponents: [Int] = []
        /// Element depth at which each open component started, to know which child elements are its fields.
        private var componentDepths: [Int] = []
        private var text = ""
        private var dependencyRef: String?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            let parent = elements.last
            let grandparent = elements.count >= 2 ? elements[elements.count - 2] : nil
            elements.append(elementName)
            text = ""
            switch elementName {
            case "bom" where parent == nil:
                let prefix = "http://cyclonedx.org/schema/bom/"
                guard let namespace = namespaceURI, namespace.hasPrefix(prefix) else { return }
                sawBOM = true
                specVersion = String(namespace.dropFirst(prefix.count))
            case "component" where isCountedComponent(parent: parent, grandparent: grandparent):
                let path = "line \(parser.lineNumber)"
                let reference = attributes["bom-ref"] ?? path
                let isSubject = parent == "metadata"
                if isSubject { subject = reference }
                components.append(Component(reference: reference, name: "", parent: openComponents.last.map { components[$0].reference },
                                            kind: attributes["type"]?.lowercased()))
                openComponents.append(components.count - 1)
                componentDepths.append(elements.count)
            case "dependency" where parent == "dependencies" && grandparent == "bom":
                dependencyRef = attributes["ref"]
                if let ref = dependencyRef { dependencies[ref, default: []] = dependencies[ref] ?? [] }
            case "dependency" where parent == "dependency":
                if let from = dependencyRef, let to = attributes["ref"] { dependencies[from, default: []].append(to) }
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            defer { elements.removeLast() }
            if elements.count == 1, elementName == "bom", sawBOM { closedBOM = true }
            guard let current = openComponents.last, let depth = componentDepths.last else { return }
            if elements.count == depth {
                if components[current].name.isEmpty {
                    failure = failure ?? CycloneDXXMLFailure(line: parser.lineNumber, reason: "a <component> has no <name>")
                    parser.abortParsing()
                }
                openComponents.removeLast()
                componentDepths.removeLast()
                return
            }
            guard elements.count == depth + 1 else { return }
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            switch elementName {
            case "name": components[current].name = value
            case "version": components[current].version = value
            case "group": components[current].group = value
            case "purl": components[current].purl = value
            case "cpe": components[current].cpes.append(value)
            default: break
            }
        }

        /// `bom/metadata/component`, `bom/components/component` and `component/components/component` count.
        private func isCountedComponent(parent: String?, grandparent: String?) -> Bool {
            if parent == "metadata" { return grandparent == "bom" }
            guard parent == "components" else { return false }
            if grandparent == "bom" { return true }
            return grandparent == "component" && componentDepths.last == elements.count - 2
        }
    }
}

/// Where an XML reader stopped and why.
struct CycloneDXXMLFailure {
    let line: Int
    let reason: String
}

/// A streaming collector of one CycloneDX XML document (a BOM, or a VEX BOM).
protocol CycloneDXXMLCollector: XMLParserDelegate {
    var failure: CycloneDXXMLFailure? { get }
    /// The root element was a CycloneDX `<bom>` …
    var sawBOM: Bool { get }
    /// … and it was closed: the document is whole.
    var closedBOM: Bool { get }
}

/// What every CycloneDX XML reader does around its collector: UTF-8 only, no external entities, a failure named by
/// line, and a `<bom>` root opened and closed.
enum CycloneDXXMLParsing {
    static func parse(_ data: Data, file: String, with collector: some CycloneDXXMLCollector) throws(IngestError) {
        // Foundation's XMLParser on Linux traps on names that are not UTF-8, so such input never reaches it.
        if let offset = firstInvalidUTF8(in: data) {
            throw .malformed(file: file, location: "byte \(offset)", reason: "not UTF-8 (CycloneDX XML is read as UTF-8)")
        }
        let parser = XMLParser(data: data)
        parser.delegate = collector
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        let succeeded = parser.parse()
        if let failure = collector.failure {
            throw .malformed(file: file, location: "line \(failure.line)", reason: failure.reason)
        }
        guard succeeded else {
            let code = (parser.parserError as NSError?)?.code
            let reason = "not well-formed XML" + (code.map { " (XMLParser error \($0))" } ?? "")
            throw .malformed(file: file, location: "line \(parser.lineNumber)", reason: reason)
        }
        guard collector.sawBOM else { throw .unsupportedFormat(file: file, reason: "the XML root is not a CycloneDX <bom>") }
        // libxml2 may report a document cut off mid-way as parsed; only a closed root element proves it is whole.
        guard collector.closedBOM else {
            throw .malformed(file: file, location: "line \(parser.lineNumber)", reason: "the document ends before </bom>")
        }
    }

    static func firstInvalidUTF8(in data: Data) -> Int? {
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case let .scalarValue(scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
