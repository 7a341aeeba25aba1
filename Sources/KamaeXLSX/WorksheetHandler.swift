import Foundation

/// Reads one worksheet part into an ``XLSXSheet``.
final class WorksheetHandler: XMLPartHandler {
    struct Context {
        let sheetName: String
        let sharedStrings: [String]
        let formats: [CellFormat]
        let date1904: Bool
    }

    /// Cells counted so far in the whole workbook (shared between sheets), and the limit.
    struct Budget {
        var used = 0
        let limit: Int
    }

    private let context: Context
    private(set) var budget: Budget
    private(set) var sheet: XLSXSheet

    // Position.
    private var inSheetData = false
    private var currentRow = -1
    private var nextColumn = 0
    private var rowHasCells: [Int: Bool] = [:] // row → every cell so far bold
    // The cell being read.
    private var cellReference: XLSXCellReference?
    private var cellType = "n"
    private var cellFormat = CellFormat()
    private var valueText: String?
    private var inlineText: String?
    private var inValue = false
    private var inInlineString = false
    private var phoneticDepth = 0
    // Columns, read before the cells; resolved once the used width is known.
    private var columnRanges: [(first: Int, last: Int, column: XLSXColumn)] = []
    // The data validation being read.
    private var validation: (attributes: [String: String], formula: String, sqref: String)?
    private var inFormula1 = false
    private var inSqref = false
    private var sawSheetView = false

    init(part: String, context: Context, budget: Budget) {
        self.context = context
        self.budget = budget
        sheet = XLSXSheet(name: context.sheetName)
        super.init(part: part)
    }

    private var sheetName: String { context.sheetName }

    // MARK: Elements

    override func start(_ name: String, _ attributes: [String: String]) {
        switch name {
        case "sheetData":
            inSheetData = true
        case "row" where inSheetData:
            startRow(attributes)
        case "c" where inSheetData:
            startCell(attributes)
        case "v" where cellReference != nil:
            inValue = true
            valueText = ""
            collectsText = true
        case "is" where cellReference != nil:
            inInlineString = true
            inlineText = ""
        case "rPh" where inInlineString:
            phoneticDepth += 1
        case "t" where inInlineString:
            collectsText = phoneticDepth == 0
        case "sheetView":
            sawSheetView = true
        case "pane" where sawSheetView && sheet.frozenRows == 0 && sheet.frozenColumns == 0:
            let state = attributes["state"] ?? "split"
            if state == "frozen" || state == "frozenSplit" {
                sheet.frozenRows = Self.count(attributes["ySplit"])
                sheet.frozenColumns = Self.count(attributes["xSplit"])
            }
        case "col":
            readColumn(attributes)
        case "autoFilter":
            sheet.autoFilter = attributes["ref"].flatMap { XLSXRange($0) }
        case "dataValidation":
            validation = (attributes, "", "")
        case "formula1" where validation != nil:
            inFormula1 = true
            collectsText = true
        case "sqref" where validation != nil:
            // Excel 2010+ keeps lists that refer to other sheets in an x14 extension, with the cells in <xm:sqref>.
            inSqref = true
            collectsText = true
        default:
            break
        }
    }

    override func end(_ name: String) {
        switch name {
        case "sheetData":
            inSheetData = false
        case "c" where cellReference != nil:
            finishCell()
        case "v" where inValue:
            inValue = false
            collectsText = false
        case "is" where inInlineString:
            inInlineString = false
        case "rPh" where inInlineString:
            phoneticDepth = max(0, phoneticDepth - 1)
        case "t" where inInlineString:
            collectsText = false
        case "formula1" where inFormula1:
            inFormula1 = false
            collectsText = false
        case "sqref" where inSqref:
            inSqref = false
            collectsText = false
        case "dataValidation":
            finishValidation()
        default:
            break
        }
    }

    override func text(_ string: String) {
        if inValue {
            valueText? += string
        } else if inInlineString {
            inlineText? += string
        } else if inFormula1 {
            validation?.formula += string // also the text of x14's <xm:f> inside <x14:formula1>
        } else if inSqref {
            validation?.sqref += string
        }
    }

    // MARK: Rows and cells

    private func startRow(_ attributes: [String: String]) {
        if let text = attributes["r"] {
            guard let number = Int(XMLText.trimmed(text)), number >= 1, number <= XLSX.maxRows else {
                fail(.invalidSheet(sheet: sheetName, reason: "the row number \"\(text)\" is not between 1 and \(XLSX.maxRows)"))
                return
            }
            currentRow = number - 1
        } else {
            currentRow += 1
            guard currentRow < XLSX.maxRows else {
                fail(.invalidSheet(sheet: sheetName, reason: "it has more than \(XLSX.maxRows) rows"))
                return
            }
        }
        nextColumn = 0
    }

    private func startCell(_ attributes: [String: String]) {
        if currentRow < 0 { currentRow = 0 } // a cell outside any <row>: tolerate as row 1
        let reference: XLSXCellReference
        if let text = attributes["r"] {
            guard let parsed = XLSXCellReference(XMLText.trimmed(text)) else {
                fail(.invalidCell(sheet: sheetName, cell: text, reason: "\"\(text)\" is not a valid cell reference"))
                return
            }
            guard parsed.row == currentRow else {
                fail(.invalidCell(sheet: sheetName, cell: parsed.description,
                                  reason: "the cell is stored inside row \(currentRow + 1)"))
                return
            }
            reference = parsed
        } else {
            guard nextColumn < XLSX.maxColumns else {
                fail(.invalidSheet(sheet: sheetName, reason: "row \(currentRow + 1) has more than \(XLSX.maxColumns) cells"))
                return
            }
            reference = XLSXCellReference(row: currentRow, column: nextColumn)
        }
        budget.used += 1
        guard budget.used <= budget.limit else {
            fail(.tooManyCells(sheet: sheetName, limit: budget.limit))
            return
        }
        nextColumn = reference.column + 1
        cellReference = reference
        cellType = attributes["t"] ?? "n"
        // An unknown format only affects presentation, so it reads as the default rather than failing.
        let style = attributes["s"].flatMap { Int($0) } ?? 0
        cellFormat = style >= 0 && style < context.formats.count ? context.formats[style] : CellFormat()
        valueText = nil
        inlineText = nil
        rowHasCells[reference.row] = (rowHasCells[reference.row] ?? true) && cellFormat.isBold
    }

    private func finishCell() {
        guard let reference = cellReference else { return }
        cellReference = nil
        let value: XLSXCell
        do {
            value = try cellValue()
        } catch {
            fail(.invalidCell(sheet: sheetName, cell: reference.description, reason: error.reason))
            return
        }
        guard value != .empty else { return }
        store(value, at: reference)
    }

    private struct CellProblem: Error { let reason: String }

    private func cellValue() throws(CellProblem) -> XLSXCell {
        let raw = valueText
        switch cellType {
        case "s":
            guard let raw else { return .empty }
            guard let index = Int(XMLText.trimmed(raw)) else {
                throw CellProblem(reason: "the shared-string index \"\(raw)\" is not a number")
            }
            guard index >= 0, index < context.sharedStrings.count else {
                throw CellProblem(reason: "it refers to shared string \(index), but the workbook has \(context.sharedStrings.count)")
            }
            return .text(context.sharedStrings[index])
        case "inlineStr":
            if let inlineText { return .text(XMLText.unescapeExcel(inlineText)) }
            return raw.map { .text(XMLText.unescapeExcel($0)) } ?? .empty
        case "str":
            return raw.map { .text(XMLText.unescapeExcel($0)) } ?? .empty
        case "b":
            guard let raw else { return .empty }
            switch XMLText.trimmed(raw).lowercased() {
            case "1", "true": return .bool(true)
            case "0", "false": return .bool(false)
            default: throw CellProblem(reason: "\"\(raw)\" is not a boolean (expected 1 or 0)")
            }
        case "e":
            guard let raw else { return .empty }
            return .error(XMLText.trimmed(raw))
        case "d":
            guard let raw else { return .empty }
            let trimmed = XMLText.trimmed(raw)
            guard trimmed.utf8.count >= 10, let date = XLSXDate(iso8601: trimmed.prefix(10)),
                  trimmed.utf8.count == 10 || trimmed.dropFirst(10).first == "T"
            else { throw CellProblem(reason: "\"\(raw)\" is not an ISO 8601 date") }
            return .date(date)
        case "n":
            guard let raw else { return .empty }
            let trimmed = XMLText.trimmed(raw)
            if trimmed.isEmpty { return .empty }
            guard let double = Double(trimmed), double.isFinite else {
                throw CellProblem(reason: "\"\(raw)\" is not a number")
            }
            if cellFormat.isDate, let date = XLSXDate(excelSerial: double, date1904: context.date1904) {
                return .date(date)
            }
            if Self.isIntegerLiteral(trimmed), let integer = Int(trimmed) { return .integer(integer) }
            return .number(double)
        default:
            throw CellProblem(reason: "it has the unknown cell type \"\(cellType)\"")
        }
    }

    private static func isIntegerLiteral(_ text: String) -> Bool {
        var bytes = text.utf8[...]
        if bytes.first == 45 || bytes.first == 43 { bytes = bytes.dropFirst() }
        return !bytes.isEmpty && bytes.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    private func store(_ value: XLSXCell, at reference: XLSXCellReference) {
        var added = 0
        if reference.row >= sheet.rows.count { added += reference.row + 1 - sheet.rows.count }
        let rowLength = reference.row < sheet.rows.count ? sheet.rows[reference.row].count : 0
        if reference.column >= rowLength { added += reference.column + 1 - rowLength }
        if added > 1 { // the cell itself was counted when its <c> started; padding counts too
            budget.used += added - 1
            guard budget.used <= budget.limit else {
                fail(.tooManyCells(sheet: sheetName, limit: budget.limit))
                return
            }
        }
        if reference.row >= sheet.rows.count {
            sheet.rows.append(contentsOf: repeatElement([], count: reference.row + 1 - sheet.rows.count))
        }
        if reference.column >= sheet.rows[reference.row].count {
            sheet.rows[reference.row].append(contentsOf: repeatElement(.empty, count: reference.column + 1 - sheet.rows[reference.row].count))
        } else if sheet.rows[reference.row][reference.column] != .empty {
            fail(.invalidCell(sheet: sheetName, cell: reference.description, reason: "the cell is stored twice"))
            return
        }
        sheet.rows[reference.row][reference.column] = value
    }

    // MARK: Columns, validations, finishing

    private func readColumn(_ attributes: [String: String]) {
        guard let first = attributes["min"].flatMap({ Int($0) }), let last = attributes["max"].flatMap({ Int($0) }),
              first >= 1, last >= first, last <= XLSX.maxColumns else { return }
        var column = XLSXColumn()
        if Self.flag(attributes["customWidth"]), let width = attributes["width"].flatMap({ Double($0) }), width.isFinite {
            column.width = width
        }
        column.isHidden = Self.flag(attributes["hidden"])
        if let style = attributes["style"].flatMap({ Int($0) }), style >= 0, style < context.formats.count {
            column.wrapsText = context.formats[style].wrapsText
        }
        if !column.isDefault { columnRanges.append((first - 1, last - 1, column)) }
    }

    private func finishValidation() {
        guard let (attributes, formula, sqref) = validation else { return }
        validation = nil
        guard attributes["type"] == "list" else { return }
        let ranges = (attributes["sqref"] ?? sqref).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
            .compactMap { XLSXRange($0) }
        guard !ranges.isEmpty else { return }
        let trimmed = XMLText.trimmed(formula)
        let rule: XLSXDataValidation.Rule
        if trimmed.count >= 2, trimmed.hasPrefix("\""), trimmed.hasSuffix("\"") {
            let inner = trimmed.dropFirst().dropLast().replacingOccurrences(of: "\"\"", with: "\"")
            rule = .list(inner.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
        } else if !trimmed.isEmpty {
            rule = .listFormula(trimmed)
        } else {
            return
        }
        let style = attributes["errorStyle"].flatMap(XLSXDataValidation.Alert.Style.init(rawValue:)) ?? .stop
        let alert = Self.flag(attributes["showErrorMessage"])
            ? XLSXDataValidation.Alert(style: style, title: attributes["errorTitle"], message: attributes["error"])
            : nil
        let prompt = Self.flag(attributes["showInputMessage"])
            ? XLSXDataValidation.Prompt(title: attributes["promptTitle"], message: attributes["prompt"])
            : nil
        sheet.dataValidations.append(XLSXDataValidation(
            ranges: ranges, rule: rule, allowsBlank: Self.flag(attributes["allowBlank"]),
            showsDropDown: !Self.flag(attributes["showDropDown"]), errorAlert: alert, inputPrompt: prompt))
    }

    /// Tidies the sheet once the whole part is read.
    func finishSheet() {
        // Drop trailing empty cells and rows (a styled but empty cell is no value).
        for index in sheet.rows.indices {
            while sheet.rows[index].last == .empty { sheet.rows[index].removeLast() }
        }
        while sheet.rows.last?.isEmpty == true { sheet.rows.removeLast() }
        // Header rows: the leading rows whose every cell is bold.
        var headerRows = 0
        while rowHasCells[headerRows] == true { headerRows += 1 }
        sheet.headerRowCount = headerRows
        // Columns: wide ranges ("all columns", 1…16384) are cut at the used width; narrow ones are kept.
        let usedWidth = sheet.columnCount
        var columns: [XLSXColumn] = []
        for (first, last, column) in columnRanges {
            let end = last - first >= 64 ? min(last, max(usedWidth - 1, first)) : last
            guard first <= end else { continue }
            if columns.count <= end { columns.append(contentsOf: repeatElement(XLSXColumn(), count: end + 1 - columns.count)) }
            for index in first...end { columns[index] = column }
        }
        while columns.last?.isDefault == true { columns.removeLast() }
        sheet.columns = columns
    }

    private static func count(_ text: String?) -> Int {
        guard let text, let value = Double(text), value.isFinite, value >= 0, value < Double(XLSX.maxRows) else { return 0 }
        return Int(value)
    }
}
