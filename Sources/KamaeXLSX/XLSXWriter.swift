import Foundation
import ZIPFoundation

/// Writes an ``XLSXWorkbook`` as the bytes of an .xlsx file (Office Open XML, transitional).
///
/// The output opens in Excel, LibreOffice and openpyxl. Text goes into a shared-strings table; dates are
/// real Excel dates formatted `yyyy-mm-dd`; header rows are bold on a light fill with a bottom border.
/// The same workbook always produces the same bytes (unless ``XLSXDocumentProperties/created`` changes).
///
/// ```swift
/// let data = try XLSXWriter().write(workbook)
/// ```
public struct XLSXWriter: Sendable {
    public init() {}

    /// The .xlsx bytes of `workbook`, or an error naming the sheet and cell Excel would not accept.
    public func write(_ workbook: XLSXWorkbook) throws(XLSXWriteError) -> Data {
        try Self.validate(workbook)
        var strings = SharedStrings()
        var sheetParts: [[UInt8]] = []
        sheetParts.reserveCapacity(workbook.sheets.count)
        let activeSheet = workbook.sheets.firstIndex { $0.visibility == .visible } ?? 0
        for (index, sheet) in workbook.sheets.enumerated() {
            sheetParts.append(try Self.worksheetXML(sheet, isActive: index == activeSheet, strings: &strings))
        }
        var parts: [(path: String, bytes: [UInt8])] = [
            ("[Content_Types].xml", Self.contentTypesXML(workbook)),
            ("_rels/.rels", Self.rootRelationshipsXML(workbook)),
        ]
        if !workbook.properties.isEmpty {
            parts.append(("docProps/core.xml", Self.corePropertiesXML(workbook.properties)))
        }
        parts.append(("xl/workbook.xml", Self.workbookXML(workbook, activeSheet: activeSheet)))
        parts.append(("xl/_rels/workbook.xml.rels", Self.workbookRelationshipsXML(workbook)))
        parts.append(("xl/styles.xml", Self.stylesXML(workbook.font)))
        parts.append(("xl/sharedStrings.xml", strings.xml()))
        for (index, bytes) in sheetParts.enumerated() {
            parts.append(("xl/worksheets/sheet\(index + 1).xml", bytes))
        }
        return try Self.zip(parts)
    }

    /// Shorthand for `XLSXWriter().write(workbook)`.
    public static func write(_ workbook: XLSXWorkbook) throws(XLSXWriteError) -> Data {
        try XLSXWriter().write(workbook)
    }

    // MARK: - Validation

    static func validate(_ workbook: XLSXWorkbook) throws(XLSXWriteError) {
        guard !workbook.sheets.isEmpty else { throw .noSheets }
        guard workbook.sheets.contains(where: { $0.visibility == .visible }) else { throw .noVisibleSheet }
        var seen = Set<String>()
        for sheet in workbook.sheets {
            try XLSXSheet.validateName(sheet.name)
            guard seen.insert(sheet.name.lowercased()).inserted else { throw .duplicateSheetName(sheet.name) }
            try validateLayout(sheet)
            for validation in sheet.dataValidations { try validate(validation, in: sheet.name) }
        }
    }

    private static func validateLayout(_ sheet: XLSXSheet) throws(XLSXWriteError) {
        let name = sheet.name
        guard sheet.rows.count <= XLSX.maxRows else { throw .tooManyRows(sheet: name, count: sheet.rows.count) }
        for row in sheet.rows where row.count > XLSX.maxColumns {
            throw .tooManyColumns(sheet: name, count: row.count)
        }
        guard sheet.columns.count <= XLSX.maxColumns else {
            throw .tooManyColumns(sheet: name, count: sheet.columns.count)
        }
        for (index, column) in sheet.columns.enumerated() {
            if let width = column.width, !(width.isFinite && width >= 0 && width <= 255) {
                throw .invalidColumn(sheet: name, column: XLSX.columnLetters(index),
                                     reason: "the width \(width) is outside 0…255")
            }
        }
        guard sheet.headerRowCount >= 0, sheet.headerRowCount <= XLSX.maxRows else {
            throw .invalidLayout(sheet: name, reason: "the header row count \(sheet.headerRowCount) is outside 0…\(XLSX.maxRows)")
        }
        guard sheet.frozenRows >= 0, sheet.frozenRows < XLSX.maxRows else {
            throw .invalidLayout(sheet: name, reason: "the frozen row count \(sheet.frozenRows) is outside 0…\(XLSX.maxRows - 1)")
        }
        guard sheet.frozenColumns >= 0, sheet.frozenColumns < XLSX.maxColumns else {
            throw .invalidLayout(sheet: name, reason: "the frozen column count \(sheet.frozenColumns) is outside 0…\(XLSX.maxColumns - 1)")
        }
        if let filter = sheet.autoFilter, !isInsideSheet(filter) {
            throw .invalidLayout(sheet: name, reason: "the autofilter range \(filter) is outside the sheet")
        }
    }

    private static func isInsideSheet(_ range: XLSXRange) -> Bool {
        range.start.row >= 0 && range.start.column >= 0
            && range.end.row < XLSX.maxRows && range.end.column < XLSX.maxColumns
    }

    private static func validate(_ validation: XLSXDataValidation, in sheet: String) throws(XLSXWriteError) {
        let where_ = validation.ranges.map(\.description).joined(separator: " ")
        func fail(_ reason: String) -> XLSXWriteError {
            .invalidDataValidation(sheet: sheet, range: where_.isEmpty ? "(no range)" : where_, reason: reason)
        }
        guard !validation.ranges.isEmpty else { throw fail("it applies to no cells") }
        for range in validation.ranges where !isInsideSheet(range) {
            throw fail("the range \(range) is outside the sheet")
        }
        switch validation.rule {
        case .list(let values):
            guard !values.isEmpty else { throw fail("the list of allowed values is empty") }
            if let bad = values.first(where: { $0.contains(",") }) {
                throw fail("the value \"\(bad)\" contains a comma, which Excel reads as a separator")
            }
            if let bad = values.first(where: { $0.unicodeScalars.contains { !XMLText.isAllowed($0) } }) {
                throw fail("the value \"\(bad)\" contains a control character")
            }
            let length = values.joined(separator: ",").utf16.count
            guard length <= 255 else {
                throw fail("the allowed values take \(length) characters together; Excel allows at most 255 (use listFormula with a range instead)")
            }
        case .listFormula(let formula):
            guard !formula.isEmpty, formula.utf16.count <= 255 else {
                throw fail("the list formula must have 1…255 characters")
            }
        }
        for (label, text, limit) in [
            ("error title", validation.errorAlert?.title, 32), ("error message", validation.errorAlert?.message, 255),
            ("prompt title", validation.inputPrompt?.title, 32), ("prompt message", validation.inputPrompt?.message, 255),
        ] {
            if let text, text.utf16.count > limit {
                throw fail("the \(label) has \(text.utf16.count) characters; Excel allows at most \(limit)")
            }
        }
    }

    // MARK: - Styles

    /// Cell formats: the index is `bold * 1 + date * 2 + wrap * 4`; 0 is the default.
    static func styleIndex(bold: Bool, date: Bool, wrap: Bool) -> Int {
        (bold ? 1 : 0) + (date ? 2 : 0) + (wrap ? 4 : 0)
    }

    static let dateFormatID = 164
    static let dateFormatCode = "yyyy-mm-dd"

    static func stylesXML(_ font: XLSXFont) -> [UInt8] {
        var xml = XMLWriter()
        xml.raw(#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#)
        xml.rawString(#"<numFmts count="1"><numFmt numFmtId="\#(dateFormatID)" formatCode="\#(dateFormatCode)"/></numFmts>"#)
        var fontXML = XMLWriter(capacity: 128, declaration: false)
        fontXML.rawString("<sz val=\"\(XLSXNumberFormatting.string(font.size, wholeAsInteger: true))\"/>")
        fontXML.raw("<name")
        fontXML.attribute("val", font.name)
        fontXML.raw("/><family val=\"2\"/>")
        if font.name.unicodeScalars.contains(where: { $0.value > 0x2E80 }) { fontXML.raw("<charset val=\"128\"/>") }
        let fontBody = fontXML.text
        xml.rawString("<fonts count=\"2\"><font>\(fontBody)</font><font><b/>\(fontBody)</font></fonts>")
        xml.raw(#"<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>"#)
        xml.raw(#"<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill></fills>"#)
        xml.raw(#"<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>"#)
        xml.raw(#"<border><left/><right/><top/><bottom style="thin"><color rgb="FF8EA9DB"/></bottom><diagonal/></border></borders>"#)
        xml.raw(#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#)
        xml.raw(#"<cellXfs count="8">"#)
        for index in 0..<8 {
            let bold = index & 1 != 0, date = index & 2 != 0, wrap = index & 4 != 0
            xml.rawString("<xf numFmtId=\"\(date ? dateFormatID : 0)\" fontId=\"\(bold ? 1 : 0)\" fillId=\"\(bold ? 2 : 0)\"")
            xml.rawString(" borderId=\"\(bold ? 1 : 0)\" xfId=\"0\"")
            if date { xml.raw(#" applyNumberFormat="1""#) }
            if bold { xml.raw(#" applyFont="1" applyFill="1" applyBorder="1""#) }
            if wrap {
                xml.raw(#" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>"#)
            } else {
                xml.raw("/>")
            }
        }
        xml.raw("</cellXfs>")
        xml.raw(#"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#)
        xml.raw(#"<dxfs count="0"/><tableStyles count="0"/></styleSheet>"#)
        return xml.data
    }

    // MARK: - Worksheets

    static func worksheetXML(_ sheet: XLSXSheet, isActive: Bool,
                             strings: inout SharedStrings) throws(XLSXWriteError) -> [UInt8] {
        let columnCount = max(sheet.columnCount, sheet.headerRowCount > 0 ? sheet.columns.count : 0)
        var xml = XMLWriter(capacity: 256 + sheet.rows.count * max(columnCount, 1) * 40)
        xml.raw(#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#)
        xml.raw(#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#)
        xml.rawString("<dimension ref=\"\(sheet.usedRange?.description ?? "A1")\"/>")
        xml.rawString("<sheetViews><sheetView\(isActive ? #" tabSelected="1""# : "") workbookViewId=\"0\"")
        if sheet.frozenRows > 0 || sheet.frozenColumns > 0 {
            let topLeft = XLSXCellReference(row: sheet.frozenRows, column: sheet.frozenColumns)
            let pane = sheet.frozenRows > 0
                ? (sheet.frozenColumns > 0 ? "bottomRight" : "bottomLeft")
                : "topRight"
            xml.raw("><pane")
            if sheet.frozenColumns > 0 { xml.rawString(" xSplit=\"\(sheet.frozenColumns)\"") }
            if sheet.frozenRows > 0 { xml.rawString(" ySplit=\"\(sheet.frozenRows)\"") }
            xml.rawString(" topLeftCell=\"\(topLeft)\" activePane=\"\(pane)\" state=\"frozen\"/>")
            xml.rawString("<selection pane=\"\(pane)\" activeCell=\"\(topLeft)\" sqref=\"\(topLeft)\"/></sheetView>")
        } else {
            xml.raw("/>")
        }
        xml.raw("</sheetViews>")

        let columns = sheet.columns
        if columns.contains(where: { !$0.isDefault }) {
            xml.raw("<cols>")
            for (index, column) in columns.enumerated() where !column.isDefault {
                xml.rawString("<col min=\"\(index + 1)\" max=\"\(index + 1)\"")
                // Excel requires a width on every <col>; 8.43 is its default column width.
                xml.rawString(" width=\"\(XLSXNumberFormatting.string(column.width ?? 8.43, wholeAsInteger: true))\"")
                if column.wrapsText { xml.rawString(" style=\"\(styleIndex(bold: false, date: false, wrap: true))\"") }
                if column.isHidden { xml.raw(#" hidden="1""#) }
                if column.width != nil { xml.raw(#" customWidth="1""#) }
                xml.raw("/>")
            }
            xml.raw("</cols>")
        }

        xml.raw("<sheetData>")
        var letters: [[UInt8]] = (0..<max(columnCount, 1)).map { Array(XLSX.columnLetters($0).utf8) }
        for (rowIndex, row) in sheet.rows.enumerated() {
            let isHeader = rowIndex < sheet.headerRowCount
            let width = isHeader ? max(row.count, columnCount) : row.count
            guard isHeader || row.contains(where: { !$0.isEmpty }) else { continue }
            let rowNumber = Array(String(rowIndex + 1).utf8)
            xml.raw("<row r=\"")
            xml.bytes(rowNumber)
            xml.raw("\">")
            for columnIndex in 0..<width {
                let cell = columnIndex < row.count ? row[columnIndex] : .empty
                if cell.isEmpty && !isHeader { continue }
                while letters.count <= columnIndex { letters.append(Array(XLSX.columnLetters(letters.count).utf8)) }
                let wrap = !isHeader && columnIndex < columns.count && columns[columnIndex].wrapsText
                var isDate = false
                if case .date = cell { isDate = true }
                let style = styleIndex(bold: isHeader, date: isDate, wrap: wrap)
                xml.raw("<c r=\"")
                xml.bytes(letters[columnIndex])
                xml.bytes(rowNumber)
                if style == 0 {
                    xml.raw("\"")
                } else {
                    xml.raw("\" s=\"")
                    xml.number(style)
                    xml.raw("\"")
                }
                func reference() -> XLSXCellReference { XLSXCellReference(row: rowIndex, column: columnIndex) }
                switch cell {
                case .empty:
                    xml.raw("/>")
                case .text(let text):
                    let length = text.utf16.count
                    guard length <= XLSX.maxTextLength else {
                        throw .textTooLong(sheet: sheet.name, cell: reference(), length: length)
                    }
                    xml.raw(" t=\"s\"><v>")
                    xml.number(strings.index(of: text))
                    xml.raw("</v></c>")
                case .number(let value):
                    guard value.isFinite else { throw .nonFiniteNumber(sheet: sheet.name, cell: reference()) }
                    xml.raw("><v>")
                    xml.rawString(XLSXNumberFormatting.string(value, wholeAsInteger: false))
                    xml.raw("</v></c>")
                case .integer(let value):
                    xml.raw("><v>")
                    xml.number(value)
                    xml.raw("</v></c>")
                case .bool(let value):
                    xml.raw(value ? " t=\"b\"><v>1</v></c>" : " t=\"b\"><v>0</v></c>")
                case .date(let date):
                    guard let serial = date.excelSerial else {
                        throw .dateOutOfRange(sheet: sheet.name, cell: reference(), date: date)
                    }
                    xml.raw("><v>")
                    xml.number(serial)
                    xml.raw("</v></c>")
                case .error(let code):
                    xml.raw(" t=\"e\"><v>")
                    xml.content(code)
                    xml.raw("</v></c>")
                }
            }
            xml.raw("</row>")
        }
        xml.raw("</sheetData>")

        if let filter = sheet.autoFilter { xml.rawString("<autoFilter ref=\"\(filter)\"/>") }
        if !sheet.dataValidations.isEmpty {
            xml.rawString("<dataValidations count=\"\(sheet.dataValidations.count)\">")
            for validation in sheet.dataValidations { dataValidationXML(validation, into: &xml) }
            xml.raw("</dataValidations>")
        }
        xml.raw(#"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>"#)
        xml.raw("</worksheet>")
        return xml.data
    }

    private static func dataValidationXML(_ validation: XLSXDataValidation, into xml: inout XMLWriter) {
        xml.raw(#"<dataValidation type="list""#)
        if let alert = validation.errorAlert, alert.style != .stop { xml.attribute("errorStyle", alert.style.rawValue) }
        if validation.allowsBlank { xml.raw(#" allowBlank="1""#) }
        // In OOXML, showDropDown="1" *hides* the in-cell drop-down arrow.
        if !validation.showsDropDown { xml.raw(#" showDropDown="1""#) }
        if validation.inputPrompt != nil { xml.raw(#" showInputMessage="1""#) }
        if validation.errorAlert != nil { xml.raw(#" showErrorMessage="1""#) }
        if let title = validation.errorAlert?.title { xml.attribute("errorTitle", title) }
        if let message = validation.errorAlert?.message { xml.attribute("error", message) }
        if let title = validation.inputPrompt?.title { xml.attribute("promptTitle", title) }
        if let message = validation.inputPrompt?.message { xml.attribute("prompt", message) }
        xml.attribute("sqref", validation.ranges.map(\.description).joined(separator: " "))
        xml.raw("><formula1>")
        switch validation.rule {
        case .list(let values):
            xml.content("\"" + values.map { $0.replacingOccurrences(of: "\"", with: "\"\"") }.joined(separator: ",") + "\"")
        case .listFormula(let formula):
            xml.content(formula.hasPrefix("=") ? String(formula.dropFirst()) : formula)
        }
        xml.raw("</formula1></dataValidation>")
    }

    // MARK: - Package parts

    static func contentTypesXML(_ workbook: XLSXWorkbook) -> [UInt8] {
        var xml = XMLWriter()
        xml.raw(#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#)
        xml.raw(#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#)
        xml.raw(#"<Default Extension="xml" ContentType="application/xml"/>"#)
        xml.raw(#"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#)
        for index in workbook.sheets.indices {
            xml.rawString(#"<Override PartName="/xl/worksheets/sheet\#(index + 1).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#)
        }
        xml.raw(#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#)
        xml.raw(#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#)
        if !workbook.properties.isEmpty {
            xml.raw(#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#)
        }
        xml.raw("</Types>")
        return xml.data
    }

    static func rootRelationshipsXML(_ workbook: XLSXWorkbook) -> [UInt8] {
        var xml = XMLWriter()
        xml.raw(#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#)
        xml.raw(#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#)
        if !workbook.properties.isEmpty {
            xml.raw(#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#)
        }
        xml.raw("</Relationships>")
        return xml.data
    }

    static func workbookRelationshipsXML(_ workbook: XLSXWorkbook) -> [UInt8] {
        var xml = XMLWriter()
        let base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        xml.raw(#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#)
        for index in workbook.sheets.indices {
            xml.rawString(#"<Relationship Id="rId\#(index + 1)" Type="\#(base)worksheet" Target="worksheets/sheet\#(index + 1).xml"/>"#)
        }
        let count = workbook.sheets.count
        xml.rawString(#"<Relationship Id="rId\#(count + 1)" Type="\#(base)styles" Target="styles.xml"/>"#)
        xml.rawString(#"<Relationship Id="rId\#(count + 2)" Type="\#(base)sharedStrings" Target="sharedStrings.xml"/>"#)
        xml.raw("</Relationships>")
        return xml.data
    }

    static func workbookXML(_ workbook: XLSXWorkbook, activeSheet: Int) -> [UInt8] {
        var xml = XMLWriter()
        xml.raw(#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#)
        xml.raw(#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#)
        xml.rawString("<bookViews><workbookView activeTab=\"\(activeSheet)\"/></bookViews><sheets>")
        for (index, sheet) in workbook.sheets.enumerated() {
            xml.raw("<sheet")
            xml.attribute("name", sheet.name)
            xml.rawString(" sheetId=\"\(index + 1)\"")
            if sheet.visibility != .visible { xml.attribute("state", sheet.visibility.rawValue) }
            xml.rawString(" r:id=\"rId\(index + 1)\"/>")
        }
        xml.raw("</sheets>")
        let filters = workbook.sheets.enumerated().compactMap { index, sheet in
            sheet.autoFilter.map { (index, sheet.name, $0) }
        }
        if !filters.isEmpty {
            xml.raw("<definedNames>")
            for (index, name, range) in filters {
                xml.rawString("<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"\(index)\" hidden=\"1\">")
                xml.content("'" + name.replacingOccurrences(of: "'", with: "''") + "'!" + range.absoluteDescription)
                xml.raw("</definedName>")
            }
            xml.raw("</definedNames>")
        }
        xml.raw("</workbook>")
        return xml.data
    }

    static func corePropertiesXML(_ properties: XLSXDocumentProperties) -> [UInt8] {
        var xml = XMLWriter()
        xml.raw(#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#)
        xml.raw(#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#)
        xml.raw(#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#)
        if let title = properties.title { xml.element("dc:title", title) }
        if let subject = properties.subject { xml.element("dc:subject", subject) }
        if let creator = properties.creator { xml.element("dc:creator", creator) }
        if let keywords = properties.keywords { xml.element("cp:keywords", keywords) }
        if let description = properties.description { xml.element("dc:description", description) }
        if let created = properties.created {
            xml.raw(#"<dcterms:created xsi:type="dcterms:W3CDTF">"#)
            xml.rawString(W3CDateTime.string(created))
            xml.raw("</dcterms:created>")
        }
        xml.raw("</cp:coreProperties>")
        return xml.data
    }

    // MARK: - ZIP

    /// A fixed timestamp for every entry, so that equal workbooks give equal bytes.
    private static let entryDate = Date(timeIntervalSince1970: 946_728_000) // 2000-01-01 12:00 UTC

    static func zip(_ parts: [(path: String, bytes: [UInt8])]) throws(XLSXWriteError) -> Data {
        do {
            let archive = try Archive(accessMode: .create)
            for part in parts {
                let data = Data(part.bytes)
                try archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(data.count),
                                     modificationDate: entryDate, compressionMethod: .deflate,
                                     bufferSize: max(data.count, 1)) { position, size in
                    let start = Int(position)
                    return data.subdata(in: start..<min(start + size, data.count))
                }
            }
            guard let data = archive.data else { throw XLSXWriteError.archiveFailed("no archive data") }
            return data
        } catch let error as XLSXWriteError {
            throw error
        } catch {
            throw .archiveFailed(String(describing: error))
        }
    }
}

/// The shared-strings table: each distinct text once, referred to by index.
///
/// Texts are told apart by their UTF-8 bytes, which is faster than `String` equality (it normalises
/// Unicode) and keeps canonically equivalent but differently encoded texts exactly as given.
struct SharedStrings {
    private var indices: [Key: Int] = [:]
    private var ordered: [String] = []
    private var references = 0

    mutating func index(of text: String) -> Int {
        references += 1
        let key = Key(bytes: Array(text.utf8))
        if let index = indices[key] { return index }
        let index = ordered.count
        indices[key] = index
        ordered.append(text)
        return index
    }

    /// UTF-8 bytes, hashed as one block rather than byte by byte as `[UInt8]` would be.
    private struct Key: Hashable {
        let bytes: [UInt8]
        func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    func xml() -> [UInt8] {
        var xml = XMLWriter(capacity: 128 + ordered.reduce(0) { $0 + $1.utf8.count + 20 })
        xml.raw(#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#)
        xml.rawString(" count=\"\(references)\" uniqueCount=\"\(ordered.count)\">")
        for text in ordered {
            if XMLText.needsSpacePreserve(text) {
                xml.raw(#"<si><t xml:space="preserve">"#)
            } else {
                xml.raw("<si><t>")
            }
            xml.content(text, excelEscapes: true)
            xml.raw("</t></si>")
        }
        xml.raw("</sst>")
        return xml.data
    }
}

/// W3C date-times ("2026-04-01T09:30:00Z") for document properties, without a formatter object.
enum W3CDateTime {
    static func string(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let day = XLSXDate(daysSince1970: days)?.iso8601 ?? "1970-01-01"
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(day)T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))Z"
    }

    static func date(_ text: String) -> Date? {
        let trimmed = XMLText.trimmed(text)
        guard trimmed.utf8.count >= 10, let day = XLSXDate(iso8601: trimmed.prefix(10)) else { return nil }
        var seconds = day.daysSince1970 * 86_400
        let rest = Array(trimmed.dropFirst(10).utf8)
        if rest.count >= 9, rest[0] == 84 /* T */ {
            let digits = rest[1...8].filter { $0 != 58 }.map { Int($0) - 48 }
            if digits.count == 6, digits.allSatisfy({ (0...9).contains($0) }) {
                seconds += (digits[0] * 10 + digits[1]) * 3600 + (digits[2] * 10 + digits[3]) * 60 + digits[4] * 10 + digits[5]
            }
        }
        return Date(timeIntervalSince1970: Double(seconds))
    }
}
