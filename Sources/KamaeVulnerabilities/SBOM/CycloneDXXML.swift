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
        try XMLDocumentParsing.parse(data, file: file, with: collector)
        return SBOM(format: .cycloneDXXML(specVersion: collector.specVersion), subject: collector.subject,
                    components: collector.components, dependencies: collector.dependencies)
    }

    private final class Collector: XMLTreeCollector {
        var specVersion = "unknown"
        var subject: String?
        var components: [Component] = []
        var dependencies: [String: [String]] = [:]

        /// Indexes into `components` of the counted components now open, innermost last.
        private var openComponents: [Int] = []
        /// Element depth at which each open component started, to know which child elements are its fields.
        private var componentDepths: [Int] = []
        private var dependencyRef: String?

        init() { super.init(rootName: "bom") }

        override func start(_ elementName: String, namespace namespaceURI: String?, attributes: [String: String], parser: XMLParser) {
            let parent = ancestor(1)
            let grandparent = ancestor(2)
            switch elementName {
            case "bom" where parent == nil:
                let prefix = "http://cyclonedx.org/schema/bom/"
                guard let namespace = namespaceURI, namespace.hasPrefix(prefix) else { return }
                sawRoot = true
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

        override func end(_ elementName: String, text value: String, parser: XMLParser) {
            guard let current = openComponents.last, let depth = componentDepths.last else { return }
            if elements.count == depth {
                if components[current].name.isEmpty {
                    failure = failure ?? XMLReadFailure(line: parser.lineNumber, reason: "a <component> has no <name>")
                    parser.abortParsing()
                }
                openComponents.removeLast()
                componentDepths.removeLast()
                return
            }
            guard elements.count == depth + 1 else { return }
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
