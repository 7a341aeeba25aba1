import Foundation

/// Reads .xlsx files written by ``XLSXWriter``, Excel, LibreOffice, openpyxl and other OOXML producers.
///
/// It reads every worksheet's cell values (shared strings including rich text, inline strings, numbers,
/// booleans, errors, the cached values of formulas, dates from date-formatted numbers), and what
/// ``XLSXWriter`` writes about presentation: column widths and wrapping, bold header rows, frozen panes,
/// list validations, the autofilter, hidden sheets and document properties. Charts, comments, merged cells,
/// fonts and colours beyond bold are ignored.
///
/// Damaged, truncated, hostile or simply wrong files give an ``XLSXReadError`` that says what is wrong and
/// where; sizes are limited by ``Limits``.
///
/// ```swift
/// let workbook = try XLSXReader().read(data)
/// guard let answers = workbook.sheet(named: "回答") else { … }
/// let status = answers.cell(at: XLSXCellReference("F12")!).text
/// ```
public struct XLSXReader: Sendable {
    /// How much a file may make the reader do.
    public struct Limits: Sendable, Hashable {
        /// The largest file accepted, in bytes (default 50 MB).
        public var maxFileSize: Int
        /// The largest uncompressed size of one part (a sheet, the shared strings…), in bytes (default 50 MB).
        public var maxPartSize: Int
        /// The largest uncompressed size of all parts read together, in bytes (default 200 MB).
        public var maxTotalSize: Int
        /// The most cells in the whole workbook, counting empty cells inside each sheet's used range
        /// (default 1,000,000).
        public var maxCells: Int

        public init(maxFileSize: Int = 50_000_000, maxPartSize: Int = 50_000_000,
                    maxTotalSize: Int = 200_000_000, maxCells: Int = 1_000_000) {
            self.maxFileSize = maxFileSize
            self.maxPartSize = maxPartSize
            self.maxTotalSize = maxTotalSize
            self.maxCells = maxCells
        }
    }

    public var limits: Limits

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Shorthand for `XLSXReader().read(data)`.
    public static func read(_ data: Data) throws(XLSXReadError) -> XLSXWorkbook {
        try XLSXReader().read(data)
    }

    /// The workbook in `data`, or an error naming the part, sheet or cell at fault.
    public func read(_ data: Data) throws(XLSXReadError) -> XLSXWorkbook {
        try Self.sniff(data, limits: limits)
        var package = try Package(zip: ZipReader(data), limits: limits)
        return try package.readWorkbook()
    }

    private static func sniff(_ data: Data, limits: Limits) throws(XLSXReadError) {
        guard !data.isEmpty else { throw .notZip("the file is empty") }
        guard data.count <= limits.maxFileSize else { throw .tooLarge(part: nil, limit: limits.maxFileSize) }
        let head = Array(data.prefix(8))
        if head == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] { throw .encryptedOrLegacyWorkbook }
        guard head.count >= 4, head[0] == 0x50, head[1] == 0x4B,
              (head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6)
        else {
            let text = String(decoding: data.prefix(64), as: UTF8.self).lowercased()
            if text.contains("<html") || text.contains("<!doctype") {
                throw .notZip("it is an HTML page, not a ZIP archive")
            }
            if text.contains("<?xml") { throw .notZip("it is an XML document, not a ZIP archive (an .xlsx file is a ZIP archive)") }
            throw .notZip("it is not a ZIP archive (an .xlsx file is a ZIP archive; is this a CSV or a different file?)")
        }
    }
}

/// The OPC package: parts found through relationships.
private struct Package {
    let zip: ZipReader
    let limits: XLSXReader.Limits
    var bytesRead = 0

    init(zip: ZipReader, limits: XLSXReader.Limits) {
        self.zip = zip
        self.limits = limits
    }

    /// The bytes of a part, counted against the total limit; `nil` when the archive has no such entry.
    mutating func part(_ path: String) throws(XLSXReadError) -> Data? {
        guard let entry = zip.entry(path) else { return nil }
        let remaining = limits.maxTotalSize - bytesRead
        guard entry.uncompressedSize <= remaining else { throw .tooLarge(part: nil, limit: limits.maxTotalSize) }
        let data = try zip.contents(of: entry, limit: min(limits.maxPartSize, remaining))
        bytesRead += data.count
        return data
    }

    mutating func requiredPart(_ path: String) throws(XLSXReadError) -> Data {
        guard let data = try part(path) else { throw .missingPart(path) }
        return data
    }

    /// The relationships of a part (from `dir/_rels/name.rels`); empty when there are none.
    mutating func relationships(of path: String) throws(XLSXReadError) -> [Relationship] {
        let relsPath = Self.directory(of: path) + "_rels/" + Self.fileName(of: path) + ".rels"
        guard let data = try part(relsPath) else { return [] }
        let handler = RelationshipsHandler(part: relsPath)
        try handler.run(data)
        return handler.relationships
    }

    mutating func readWorkbook() throws(XLSXReadError) -> XLSXWorkbook {
        let rootRelationships = try relationships(of: "")
        let workbookPath: String
        if let office = rootRelationships.first(where: { $0.hasType("officeDocument") && !$0.isExternal }) {
            workbookPath = Self.resolve(office.target, from: "")
        } else if zip.entry("xl/workbook.xml") != nil {
            workbookPath = "xl/workbook.xml"
        } else {
            throw .notWorkbook(describeForeignArchive())
        }
        guard zip.entry(workbookPath) != nil else {
            if rootRelationships.isEmpty { throw .notWorkbook(describeForeignArchive()) }
            throw .missingPart(workbookPath)
        }
        let workbookHandler = WorkbookHandler(part: workbookPath)
        try workbookHandler.run(try requiredPart(workbookPath))
        let workbookRelationships = try relationships(of: workbookPath)
        func target(_ relationship: Relationship) -> String { Self.resolve(relationship.target, from: workbookPath) }

        var formats: [CellFormat] = []
        if let styles = workbookRelationships.first(where: { $0.hasType("styles") }) {
            let path = target(styles)
            if let data = try part(path) {
                let handler = StylesHandler(part: path)
                try handler.run(data)
                formats = handler.formats
            }
        }
        var sharedStrings: [String] = []
        if let strings = workbookRelationships.first(where: { $0.hasType("sharedStrings") }) {
            let path = target(strings)
            if let data = try part(path) {
                let handler = SharedStringsHandler(part: path, limit: limits.maxCells)
                try handler.run(data)
                sharedStrings = handler.strings
            }
        }

        var workbook = XLSXWorkbook()
        if let core = rootRelationships.first(where: { $0.hasType("metadata/core-properties") }) {
            let path = Self.resolve(core.target, from: "")
            if let data = try part(path) {
                let handler = CorePropertiesHandler(part: path)
                try handler.run(data)
                workbook.properties = handler.properties
            }
        }

        var budget = WorksheetHandler.Budget(limit: limits.maxCells)
        for entry in workbookHandler.sheets {
            guard let relationship = workbookRelationships.first(where: { $0.id == entry.relationshipID }) else {
                throw .invalidPart(part: workbookPath,
                                   reason: "sheet \"\(entry.name)\" refers to relationship \(entry.relationshipID), which does not exist")
            }
            guard relationship.hasType("worksheet") else { continue } // chart sheets and dialog sheets hold no cells
            let path = target(relationship)
            let context = WorksheetHandler.Context(sheetName: entry.name, sharedStrings: sharedStrings,
                                                   formats: formats, date1904: workbookHandler.date1904)
            let handler = WorksheetHandler(part: path, context: context, budget: budget)
            try handler.run(try requiredPart(path))
            handler.finishSheet()
            budget = handler.budget
            var sheet = handler.sheet
            sheet.visibility = entry.visibility
            workbook.sheets.append(sheet)
        }
        return workbook
    }

    private func describeForeignArchive() -> String {
        if zip.entry("word/document.xml") != nil { return "it looks like a Word document" }
        if zip.entry("ppt/presentation.xml") != nil { return "it looks like a PowerPoint presentation" }
        if zip.entry("content.xml") != nil, zip.entry("mimetype") != nil {
            return "it looks like an OpenDocument file (.ods); save it as .xlsx"
        }
        if zip.entries.isEmpty { return "the archive is empty" }
        let names = zip.entries.prefix(3).map(\.path).joined(separator: ", ")
        return "it has no workbook part xl/workbook.xml (it contains \(names)\(zip.entries.count > 3 ? ", …" : ""))"
    }

    // MARK: Part names

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    static func fileName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// A relationship target resolved against the part that holds the relationship ("" for the package).
    static func resolve(_ target: String, from source: String) -> String {
        let target = target.replacingOccurrences(of: "\\", with: "/")
        let combined = target.hasPrefix("/") ? target : directory(of: source) + target
        var components: [Substring] = []
        for component in combined.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default: components.append(component)
            }
        }
        return components.joined(separator: "/")
    }
}
