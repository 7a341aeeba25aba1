/// The address of one cell, zero-based inside, printed in A1 form ("F12").
public struct XLSXCellReference: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Zero-based row index: 0 is row 1.
    public var row: Int
    /// Zero-based column index: 0 is column A.
    public var column: Int

    /// A reference from zero-based indices.
    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    /// Parses "F12", "f12" or "$F$12". Returns `nil` for anything else or for a cell outside an Excel sheet.
    public init?(_ a1: some StringProtocol) {
        var column = 0, letters = 0, row = 0, digits = 0
        var index = a1.utf8.startIndex
        let utf8 = a1.utf8
        if index < utf8.endIndex, utf8[index] == 36 { index = utf8.index(after: index) } // "$"
        while index < utf8.endIndex {
            let upper = utf8[index] & ~0x20
            guard upper >= 65, upper <= 90, utf8[index] >= 65 else { break }
            letters += 1
            guard letters <= 3 else { return nil }
            column = column * 26 + Int(upper - 64)
            index = utf8.index(after: index)
        }
        if index < utf8.endIndex, utf8[index] == 36 { index = utf8.index(after: index) }
        while index < utf8.endIndex {
            let byte = utf8[index]
            guard byte >= 48, byte <= 57, digits < 7 else { return nil }
            digits += 1
            row = row * 10 + Int(byte - 48)
            index = utf8.index(after: index)
        }
        guard letters > 0, digits > 0, column <= XLSX.maxColumns, row >= 1, row <= XLSX.maxRows else { return nil }
        self.init(row: row - 1, column: column - 1)
    }

    /// The one-based row number users see (row index 0 → 1).
    public var rowNumber: Int { row + 1 }
    /// The column letters users see (column index 0 → "A"; "" for a negative index).
    public var columnLetters: String { column >= 0 ? XLSX.columnLetters(column) : "" }
    /// The A1 form, e.g. "F12" (for negative indices, which name no cell, "(row r, column c)").
    public var description: String {
        guard row >= 0, column >= 0 else { return "(row \(row), column \(column))" }
        return columnLetters + String(rowNumber)
    }
    /// The absolute form used in formulas, e.g. "$F$12".
    public var absoluteDescription: String {
        guard row >= 0, column >= 0 else { return description }
        return "$" + columnLetters + "$" + String(rowNumber)
    }

    /// Row-major order: A1 < B1 < A2.
    public static func < (lhs: XLSXCellReference, rhs: XLSXCellReference) -> Bool {
        (lhs.row, lhs.column) < (rhs.row, rhs.column)
    }
}

/// A rectangular block of cells, e.g. "F3:F178"; a single cell prints as "F3".
public struct XLSXRange: Sendable, Hashable, CustomStringConvertible {
    /// The top-left cell.
    public var start: XLSXCellReference
    /// The bottom-right cell.
    public var end: XLSXCellReference

    /// A range between two corners, given in any order.
    public init(_ first: XLSXCellReference, _ second: XLSXCellReference) {
        start = XLSXCellReference(row: min(first.row, second.row), column: min(first.column, second.column))
        end = XLSXCellReference(row: max(first.row, second.row), column: max(first.column, second.column))
    }

    /// A range from zero-based, inclusive row and column indices.
    public init(rows: ClosedRange<Int>, columns: ClosedRange<Int>) {
        self.init(XLSXCellReference(row: rows.lowerBound, column: columns.lowerBound),
                  XLSXCellReference(row: rows.upperBound, column: columns.upperBound))
    }

    /// Parses "A1:B2", "$A$1:$B$2" or a single cell "C3".
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            guard let cell = XLSXCellReference(parts[0]) else { return nil }
            self.init(cell, cell)
        case 2:
            guard let a = XLSXCellReference(parts[0]), let b = XLSXCellReference(parts[1]) else { return nil }
            self.init(a, b)
        default:
            return nil
        }
    }

    /// Zero-based row indices covered.
    public var rows: ClosedRange<Int> { start.row...end.row }
    /// Zero-based column indices covered.
    public var columns: ClosedRange<Int> { start.column...end.column }
    /// Whether the range covers the cell.
    public func contains(_ cell: XLSXCellReference) -> Bool { rows.contains(cell.row) && columns.contains(cell.column) }

    /// "F3:F178", or "F3" when the range is one cell.
    public var description: String { start == end ? start.description : "\(start):\(end)" }
    /// "$F$3:$F$178", the form used in defined names.
    public var absoluteDescription: String {
        start == end ? start.absoluteDescription : "\(start.absoluteDescription):\(end.absoluteDescription)"
    }
}
