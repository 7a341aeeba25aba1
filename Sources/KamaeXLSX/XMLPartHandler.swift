import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A SAX handler for one part of the package. Subclasses override `start`, `end` and `text`;
/// element names arrive without namespace prefixes ("x:c" → "c"), so transitional, strict and prefixed
/// documents read alike.
class XMLPartHandler: NSObject, XMLParserDelegate {
    let part: String
    /// Set by subclasses to receive character data; off by default so that layout white space costs nothing.
    var collectsText = false
    private(set) var failure: XLSXReadError?
    private var parseError: (line: Int, column: Int, code: Int)?
    private weak var parser: XMLParser?

    init(part: String) {
        self.part = part
    }

    func start(_ name: String, _ attributes: [String: String]) {}
    func end(_ name: String) {}
    func text(_ string: String) {}

    /// Records the first error and stops parsing.
    func fail(_ error: XLSXReadError) {
        if failure == nil { failure = error }
        parser?.abortParsing()
    }

    /// Parses `data` with this handler. Documents with a DTD are refused before parsing (no entity expansion).
    func run(_ data: Data) throws(XLSXReadError) {
        if Self.containsDTD(data) { throw .forbiddenXML(part: part) }
        let parser = XMLParser(data: data)
        // Names are matched without their prefixes (see `localName`), so the parser need not resolve
        // namespaces, which makes it about a tenth faster.
        parser.shouldProcessNamespaces = false
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = self
        self.parser = parser
        _ = parser.parse()
        parser.delegate = nil
        if let failure { throw failure }
        // XMLParser may report success after an error, so the delegate's record is what counts.
        if let error = parseError ?? (parser.parserError as NSError?).map({ (parser.lineNumber, parser.columnNumber, $0.code) }) {
            throw .malformedXML(part: part, line: error.line, column: error.column, reason: Self.describe(code: error.code))
        }
    }

    // MARK: XMLParserDelegate

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        guard failure == nil else { return }
        start(Self.localName(elementName), attributeDict)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        guard failure == nil else { return }
        end(Self.localName(elementName))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if collectsText, failure == nil { text(string) }
    }

    func parser(_ parser: XMLParser, foundIgnorableWhitespace whitespaceString: String) {
        if collectsText, failure == nil { text(whitespaceString) }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if collectsText, failure == nil { text(String(decoding: CDATABlock, as: UTF8.self)) }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if self.parseError == nil {
            self.parseError = (parser.lineNumber, parser.columnNumber, (parseError as NSError).code)
        }
    }

    func parser(_ parser: XMLParser, validationErrorOccurred validationError: any Error) {
        self.parser(parser, parseErrorOccurred: validationError)
    }

    // MARK: Helpers

    private static func localName(_ name: String) -> String {
        // With namespace processing the parser already passes local names; a prefix is the rare case.
        guard name.utf8.contains(58), let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    /// The value of an attribute given by local name, whatever its prefix ("r:id", "id").
    static func attribute(_ attributes: [String: String], _ name: String) -> String? {
        if let value = attributes[name] { return value }
        for (key, value) in attributes where key.hasSuffix(":" + name) { return value }
        return nil
    }

    /// An OOXML boolean attribute: "1"/"true" are true, "0"/"false" false.
    static func flag(_ value: String?, default defaultValue: Bool = false) -> Bool {
        guard let value else { return defaultValue }
        switch XMLText.trimmed(value).lowercased() {
        case "1", "true", "on": return true
        case "0", "false", "off": return false
        default: return defaultValue
        }
    }

    /// Whether the document has a DTD: "<!D" or "<!E" (DOCTYPE, ENTITY), in UTF-8 or UTF-16 of either
    /// byte order. Comments ("<!--") and CDATA ("<![") are fine.
    static func containsDTD(_ data: Data) -> Bool {
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Bool in
            let count = buffer.count
            var index = 0
            while index < count {
                guard buffer[index] == 0x3C else { index += 1; continue } // "<"
                // UTF-8 "<!D"; UTF-16 puts a NUL byte before or after each of these characters.
                var next = index + 1
                if next < count, buffer[next] == 0 { next += 1 }
                if next < count, buffer[next] == 0 { next += 1 }
                if next < count, buffer[next] == 0x21 { // "!"
                    next += 1
                    if next < count, buffer[next] == 0 { next += 1 }
                    if next < count, buffer[next] == 0 { next += 1 }
                    if next < count, buffer[next] == 0x44 || buffer[next] == 0x45 { return true } // "D", "E"
                }
                index += 1
            }
            return false
        }
    }

    private static func describe(code: Int) -> String {
        switch code {
        case 4: "the document is empty"
        case 5: "the document ends before its elements are closed (truncated?)"
        case 9: "it contains a character that is not allowed in XML"
        case 26: "it refers to an undeclared entity"
        case 38, 39, 40, 41: "an attribute is malformed"
        case 64: "the XML declaration is malformed"
        case 73, 76: "an element is not closed properly"
        case 512: "parsing was aborted"
        default: "XML parser error \(code)"
        }
    }
}

// MARK: - Relationships

struct Relationship {
    let id: String
    let type: String
    let target: String
    let isExternal: Bool

    /// Whether the type ends in `/suffix` (transitional and strict OOXML use different prefixes).
    func hasType(_ suffix: String) -> Bool { type.hasSuffix("/" + suffix) }
}

final class RelationshipsHandler: XMLPartHandler {
    private(set) var relationships: [Relationship] = []

    override func start(_ name: String, _ attributes: [String: String]) {
        guard name == "Relationship" else { return }
        guard let id = attributes["Id"], let type = attributes["Type"], let target = attributes["Target"] else {
            fail(.invalidPart(part: part, reason: "a relationship lacks its Id, Type or Target"))
            return
        }
        relationships.append(Relationship(id: id, type: type, target: target,
                                          isExternal: attributes["TargetMode"] == "External"))
    }
}

// MARK: - Workbook

struct SheetEntry {
    let name: String
    let relationshipID: String
    let visibility: XLSXSheetVisibility
}

final class WorkbookHandler: XMLPartHandler {
    private(set) var sheets: [SheetEntry] = []
    private(set) var date1904 = false

    override func start(_ name: String, _ attributes: [String: String]) {
        switch name {
        case "workbookPr":
            date1904 = Self.flag(attributes["date1904"])
        case "sheet":
            guard let sheetName = attributes["name"], let id = Self.attribute(attributes, "id") else {
                fail(.invalidPart(part: part, reason: "a sheet lacks its name or relationship id"))
                return
            }
            let visibility = attributes["state"].flatMap(XLSXSheetVisibility.init(rawValue:)) ?? .visible
            sheets.append(SheetEntry(name: sheetName, relationshipID: id, visibility: visibility))
        default:
            break
        }
    }
}

// MARK: - Styles

/// What the reader needs to know about each cell format.
struct CellFormat: Sendable {
    var isDate = false
    var isBold = false
    var wrapsText = false
}

final class StylesHandler: XMLPartHandler {
    private var numberFormats: [Int: String] = [:]
    private var fontBold: [Bool] = []
    private var rawFormats: [(numberFormat: Int, font: Int, wrap: Bool)] = []
    private var stack: [String] = []

    var formats: [CellFormat] {
        rawFormats.map { raw in
            CellFormat(isDate: NumberFormat.isDate(id: raw.numberFormat, code: numberFormats[raw.numberFormat]),
                       isBold: raw.font >= 0 && raw.font < fontBold.count && fontBold[raw.font],
                       wrapsText: raw.wrap)
        }
    }

    override func start(_ name: String, _ attributes: [String: String]) {
        let parent = stack.last
        stack.append(name)
        switch (parent, name) {
        case ("numFmts", "numFmt"):
            if let id = attributes["numFmtId"].flatMap({ Int($0) }), let code = attributes["formatCode"] {
                numberFormats[id] = code
            }
        case ("fonts", "font"):
            fontBold.append(false)
        case ("font", "b") where stack.count >= 3 && stack[stack.count - 3] == "fonts":
            if !fontBold.isEmpty { fontBold[fontBold.count - 1] = Self.flag(attributes["val"], default: true) }
        case ("cellXfs", "xf"):
            rawFormats.append((Int(attributes["numFmtId"] ?? "0") ?? 0, Int(attributes["fontId"] ?? "0") ?? 0, false))
        case ("xf", "alignment") where stack.count >= 3 && stack[stack.count - 3] == "cellXfs":
            if !rawFormats.isEmpty { rawFormats[rawFormats.count - 1].wrap = Self.flag(attributes["wrapText"]) }
        default:
            break
        }
    }

    override func end(_ name: String) {
        if !stack.isEmpty { stack.removeLast() }
    }
}

enum NumberFormat {
    /// Built-in formats that show dates (including the Japanese-locale ones 27–31, 34–36, 50–58);
    /// the time-only ones (18–21, 32, 33, 45–47) are left as numbers.
    private static let builtInDateIDs: Set<Int> = [14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 34, 35, 36,
                                                   50, 51, 52, 53, 54, 55, 56, 57, 58]

    static func isDate(id: Int, code: String?) -> Bool {
        if let code { return isDate(code: code) }
        return builtInDateIDs.contains(id)
    }

    /// Whether a format code shows a date: it has a year, day or era part, or a month without hours or seconds.
    static func isDate(code: String) -> Bool {
        let firstSection = code.split(separator: ";", omittingEmptySubsequences: false).first.map(String.init) ?? code
        var letters: [Character] = []
        var inQuotes = false
        var inBrackets = false
        var escaped = false
        for character in firstSection {
            if escaped { escaped = false; continue }
            if inQuotes { if character == "\"" { inQuotes = false }; continue }
            if inBrackets { if character == "]" { inBrackets = false }; continue }
            switch character {
            case "\\", "_", "*": escaped = true // the next character is literal (or padding)
            case "\"": inQuotes = true
            case "[": inBrackets = true
            default: letters.append(Character(character.lowercased()))
            }
        }
        let text = String(letters)
        if text.contains("general") { return false }
        if text.contains("e+") || text.contains("e-") { return false } // scientific notation
        let hasDate = text.contains("y") || text.contains("d") || text.contains("g") || text.contains("e")
        let hasTime = text.contains("h") || text.contains("s")
        return hasDate || (text.contains("m") && !hasTime)
    }
}

// MARK: - Shared strings

final class SharedStringsHandler: XMLPartHandler {
    private(set) var strings: [String] = []
    private var current = ""
    private var inItem = false
    private var phoneticDepth = 0
    private let limit: Int

    init(part: String, limit: Int) {
        self.limit = limit
        super.init(part: part)
    }

    override func start(_ name: String, _ attributes: [String: String]) {
        switch name {
        case "si":
            inItem = true
            current = ""
        case "rPh":
            phoneticDepth += 1 // furigana runs: not part of the cell's text
        case "t":
            collectsText = inItem && phoneticDepth == 0
        default:
            break
        }
    }

    override func end(_ name: String) {
        switch name {
        case "si":
            guard strings.count < limit else {
                fail(.invalidPart(part: part, reason: "it has more than \(limit) strings"))
                return
            }
            strings.append(XMLText.unescapeExcel(current))
            inItem = false
        case "rPh":
            phoneticDepth = max(0, phoneticDepth - 1)
        case "t":
            collectsText = false
        default:
            break
        }
    }

    override func text(_ string: String) { current += string }
}

// MARK: - Document properties

final class CorePropertiesHandler: XMLPartHandler {
    private(set) var properties = XLSXDocumentProperties()
    private var current = ""
    private var field: String?

    override func start(_ name: String, _ attributes: [String: String]) {
        if ["title", "subject", "creator", "keywords", "description", "created"].contains(name) {
            field = name
            current = ""
            collectsText = true
        }
    }

    override func end(_ name: String) {
        guard name == field else { return }
        switch name {
        case "title": properties.title = current
        case "subject": properties.subject = current
        case "creator": properties.creator = current
        case "keywords": properties.keywords = current
        case "description": properties.description = current
        case "created": properties.created = W3CDateTime.date(current)
        default: break
        }
        field = nil
        collectsText = false
    }

    override func text(_ string: String) { current += string }
}
