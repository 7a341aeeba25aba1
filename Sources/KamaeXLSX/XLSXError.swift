import Foundation

/// Why a workbook could not be written. Every case names the sheet (and cell) at fault.
public enum XLSXWriteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The workbook has no sheets.
    case noSheets
    /// Every sheet is hidden; Excel needs one visible sheet.
    case noVisibleSheet
    /// A sheet name Excel would refuse.
    case invalidSheetName(String, XLSXSheetNameProblem)
    /// Two sheets share a name (ignoring case, as Excel does).
    case duplicateSheetName(String)
    /// More rows than ``XLSX/maxRows``.
    case tooManyRows(sheet: String, count: Int)
    /// A row with more cells than ``XLSX/maxColumns``.
    case tooManyColumns(sheet: String, count: Int)
    /// Text longer than ``XLSX/maxTextLength`` UTF-16 units.
    case textTooLong(sheet: String, cell: XLSXCellReference, length: Int)
    /// A NaN or infinite number.
    case nonFiniteNumber(sheet: String, cell: XLSXCellReference)
    /// A date before 1900-01-01, which Excel cannot store.
    case dateOutOfRange(sheet: String, cell: XLSXCellReference, date: XLSXDate)
    /// A column setting Excel would refuse (width outside 0…255).
    case invalidColumn(sheet: String, column: String, reason: String)
    /// Negative header, frozen-row or frozen-column counts, or panes beyond the sheet's limits.
    case invalidLayout(sheet: String, reason: String)
    /// A data validation Excel would refuse; the reason says which limit.
    case invalidDataValidation(sheet: String, range: String, reason: String)
    /// The ZIP container could not be produced (should not happen: everything is in memory).
    case archiveFailed(String)

    public var description: String {
        switch self {
        case .noSheets:
            "The workbook has no sheets; an .xlsx file needs at least one."
        case .noVisibleSheet:
            "Every sheet of the workbook is hidden; Excel needs at least one visible sheet."
        case .invalidSheetName(let name, let problem):
            "The sheet name \"\(name)\" cannot be used: \(problem)."
        case .duplicateSheetName(let name):
            "Two sheets are named \"\(name)\" (Excel ignores case in sheet names)."
        case .tooManyRows(let sheet, let count):
            "Sheet \(sheet) has \(count) rows; Excel allows at most \(XLSX.maxRows)."
        case .tooManyColumns(let sheet, let count):
            "Sheet \(sheet) has a row with \(count) cells; Excel allows at most \(XLSX.maxColumns) columns."
        case .textTooLong(let sheet, let cell, let length):
            "Sheet \(sheet), cell \(cell): the text has \(length) characters; Excel keeps at most \(XLSX.maxTextLength) in a cell."
        case .nonFiniteNumber(let sheet, let cell):
            "Sheet \(sheet), cell \(cell): the number is not finite (NaN or infinity), which Excel cannot store."
        case .dateOutOfRange(let sheet, let cell, let date):
            "Sheet \(sheet), cell \(cell): the date \(date) is before 1900-01-01, which Excel cannot store as a date."
        case .invalidColumn(let sheet, let column, let reason):
            "Sheet \(sheet), column \(column): \(reason)."
        case .invalidLayout(let sheet, let reason):
            "Sheet \(sheet): \(reason)."
        case .invalidDataValidation(let sheet, let range, let reason):
            "Sheet \(sheet), data validation on \(range): \(reason)."
        case .archiveFailed(let reason):
            "The .xlsx archive could not be written: \(reason)."
        }
    }
}

/// Why a file could not be read as a workbook. Every case says where (the file, a part of the ZIP archive,
/// a sheet, a cell) and what is wrong, in words meant for the person who uploaded the file.
public enum XLSXReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The bytes are not a ZIP archive at all (e.g. a CSV, an HTML page, an empty file).
    case notZip(String)
    /// An OLE compound file: a password-protected workbook or an old binary .xls.
    case encryptedOrLegacyWorkbook
    /// The ZIP archive is damaged or truncated; `part` names the entry when one is at fault.
    case corruptArchive(part: String?, reason: String)
    /// The ZIP archive uses something this reader does not support (ZIP64, encryption, a compression method).
    case unsupportedArchive(part: String?, reason: String)
    /// A valid ZIP archive that is not a spreadsheet (e.g. a Word document or an ordinary ZIP).
    case notWorkbook(String)
    /// A part the workbook refers to is missing from the archive.
    case missingPart(String)
    /// The file, one part, or all parts together are larger than the reader accepts.
    case tooLarge(part: String?, limit: Int)
    /// More cells in the workbook than the reader accepts (empty cells inside a sheet's used range count too);
    /// `sheet` is where the limit was reached.
    case tooManyCells(sheet: String, limit: Int)
    /// A part is not well-formed XML.
    case malformedXML(part: String, line: Int, column: Int, reason: String)
    /// A part contains a DTD or entity declaration, which spreadsheets never need (XML bomb protection).
    case forbiddenXML(part: String)
    /// A part is well-formed XML but says something impossible (a bad relationship, style, reference…).
    case invalidPart(part: String, reason: String)
    /// A sheet whose structure is impossible (a bad row number, a cell outside its row…).
    case invalidSheet(sheet: String, reason: String)
    /// A cell whose value cannot be understood; `cell` is its A1 reference, e.g. "F12".
    case invalidCell(sheet: String, cell: String, reason: String)

    public var description: String {
        switch self {
        case .notZip(let reason):
            "The file is not an .xlsx workbook: \(reason)."
        case .encryptedOrLegacyWorkbook:
            "The file is a password-protected workbook or an old .xls file; save it as an .xlsx workbook without a password and try again."
        case .corruptArchive(let part?, let reason):
            "The .xlsx file is damaged (part \(part)): \(reason)."
        case .corruptArchive(nil, let reason):
            "The .xlsx file is damaged or incomplete: \(reason)."
        case .unsupportedArchive(let part?, let reason):
            "The .xlsx file uses a feature this reader does not support (part \(part)): \(reason)."
        case .unsupportedArchive(nil, let reason):
            "The .xlsx file uses a feature this reader does not support: \(reason)."
        case .notWorkbook(let reason):
            "The file is a ZIP archive but not an Excel workbook: \(reason)."
        case .missingPart(let part):
            "The .xlsx file is incomplete: the part \(part) is missing."
        case .tooLarge(let part?, let limit):
            "The part \(part) of the .xlsx file is larger than \(limit) bytes when uncompressed; it is refused."
        case .tooLarge(nil, let limit):
            "The .xlsx file is larger than \(limit) bytes (compressed or uncompressed); it is refused."
        case .tooManyCells(let sheet, let limit):
            "The workbook has more than \(limit) cells, counting empty cells inside each sheet's used range (the limit was reached in sheet \(sheet)); it is refused."
        case .malformedXML(let part, let line, let column, let reason):
            "The part \(part) of the .xlsx file is not well-formed XML (line \(line), column \(column)): \(reason)."
        case .forbiddenXML(let part):
            "The part \(part) of the .xlsx file contains a DTD or entity declaration, which workbooks never need; it is refused."
        case .invalidPart(let part, let reason):
            "The part \(part) of the .xlsx file is invalid: \(reason)."
        case .invalidSheet(let sheet, let reason):
            "Sheet \(sheet): \(reason)."
        case .invalidCell(let sheet, let cell, let reason):
            "Sheet \(sheet), cell \(cell): \(reason)."
        }
    }
}

extension XLSXWriteError: LocalizedError {
    /// The same sentence as ``description``, so that `localizedDescription` shows it.
    public var errorDescription: String? { description }
}

extension XLSXReadError: LocalizedError {
    /// The same sentence as ``description``, so that `localizedDescription` shows it.
    public var errorDescription: String? { description }
}
