import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Where an XML reader stopped and why.
struct XMLReadFailure {
    let line: Int
    let reason: String
}

/// A streaming collector of one XML document (a CycloneDX BOM or VEX, a JVN VULDEF document).
protocol XMLDocumentCollector: XMLParserDelegate {
    var failure: XMLReadFailure? { get }
    /// The root element was the one the reader expects …
    var sawRoot: Bool { get }
    /// … and it was closed: the document is whole.
    var closedRoot: Bool { get }
}

/// What every XML reader does around its collector: UTF-8 only, no external entities, a failure named by line, and
/// the expected root element opened and closed.
enum XMLDocumentParsing {
    /// - Parameter root: how to name the expected root in an error, e.g. "a CycloneDX <bom>".
    static func parse(_ data: Data, file: String, with collector: some XMLDocumentCollector, root: String = "a CycloneDX <bom>") throws(IngestError) {
        // Foundation's XMLParser on Linux traps on names that are not UTF-8, so such input never reaches it.
        if let offset = firstInvalidUTF8(in: data) {
            throw .malformed(file: file, location: "byte \(offset)", reason: "not UTF-8 (CycloneDX XML is read as UTF-8)")
        }
        // None of these formats uses a DTD; one could only serve entity expansion ("billion laughs").
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!ENTITY".utf8)) != nil {
            throw .unsupportedFormat(file: file, reason: "a document type declaration (DTD) is not accepted")
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
        guard collector.sawRoot else { throw .unsupportedFormat(file: file, reason: "the XML root is not \(root)") }
        // libxml2 may report a document cut off mid-way as parsed; only a closed root element proves it is whole.
        guard collector.closedRoot else {
            throw .malformed(file: file, location: "line \(parser.lineNumber)", reason: "the document ends before its root element is closed")
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

/// The bookkeeping every collector needs: the open elements, each element's text, and whether the expected root was
/// opened and closed. Subclasses handle `start` and `end`; during both, `elements` ends with the element itself.
class XMLTreeCollector: NSObject, XMLDocumentCollector {
    var sawRoot = false
    var closedRoot = false
    var failure: XMLReadFailure?
    /// Names of the open elements, outermost first.
    private(set) var elements: [String] = []
    private var text = ""
    private let rootName: String

    init(rootName: String) {
        self.rootName = rootName
    }

    /// The element `generations` levels above the current one (1: its parent).
    func ancestor(_ generations: Int) -> String? {
        elements.count > generations ? elements[elements.count - 1 - generations] : nil
    }

    /// `namespace` is the element's namespace URI; the root element's decides `sawRoot`.
    func start(_ name: String, namespace: String?, attributes: [String: String], parser: XMLParser) {}

    /// `text` is the element's own text, trimmed.
    func end(_ name: String, text: String, parser: XMLParser) {}

    final func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                      qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append(elementName)
        text = ""
        start(elementName, namespace: namespaceURI, attributes: attributes, parser: parser)
    }

    final func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    final func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        text = ""
        if elements.count == 1, elementName == rootName, sawRoot { closedRoot = true }
        end(elementName, text: value, parser: parser)
        elements.removeLast()
    }
}
