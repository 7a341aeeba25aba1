/// Office Open XML spreadsheets (.xlsx), written and read without third-party XLSX libraries.
///
/// - ``XLSXWriter`` turns an ``XLSXWorkbook`` into the bytes of an .xlsx file.
/// - ``XLSXReader`` reads .xlsx files written by Kamae, Excel, LibreOffice or openpyxl back into an ``XLSXWorkbook``.
///
/// Indices in this module are zero-based (`rows[0][0]` is cell A1); ``XLSXCellReference`` prints the
/// one-based A1 form that spreadsheet users know ("F12").
public enum XLSX {
    /// The number of rows an Excel worksheet can hold (1,048,576).
    public static let maxRows = 1_048_576
    /// The number of columns an Excel worksheet can hold (16,384, column XFD).
    public static let maxColumns = 16_384
    /// The longest text Excel keeps in one cell, in UTF-16 code units.
    public static let maxTextLength = 32_767
    /// The longest sheet name Excel accepts, in UTF-16 code units.
    public static let maxSheetNameLength = 31

    /// The column letters of a zero-based column index: 0 → "A", 25 → "Z", 26 → "AA", 16383 → "XFD".
    ///
    /// - Precondition: `index >= 0`. Indices beyond XFD still produce letters (e.g. 16384 → "XFE").
    public static func columnLetters(_ index: Int) -> String {
        precondition(index >= 0, "column index must not be negative")
        var n = index + 1
        var scalars: [Unicode.Scalar] = []
        while n > 0 {
            let remainder = (n - 1) % 26
            scalars.append(Unicode.Scalar(UInt8(65 + remainder)))
            n = (n - 1) / 26
        }
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars.reversed())
        return result
    }

    /// The zero-based column index of column letters: "A" → 0, "z" → 25, "AA" → 26, "XFD" → 16383.
    ///
    /// Returns `nil` for an empty string, anything but the letters A–Z (either case), or a column beyond XFD.
    public static func columnIndex(_ letters: some StringProtocol) -> Int? {
        guard !letters.isEmpty, letters.utf8.count <= 3 else { return nil }
        var value = 0
        for byte in letters.utf8 {
            let upper = byte & ~0x20
            guard upper >= 65, upper <= 90, byte >= 65 else { return nil }
            value = value * 26 + Int(upper - 64)
        }
        let index = value - 1
        return index < maxColumns ? index : nil
    }
}
