import Foundation

/// A workbook: ordered sheets plus optional document properties.
public struct XLSXWorkbook: Sendable, Hashable {
    /// The sheets in tab order. At least one must be visible to be written.
    public var sheets: [XLSXSheet]
    /// Title, author and the like (docProps/core.xml).
    public var properties: XLSXDocumentProperties
    /// The font of every cell (header rows use its bold variant). Excel's Japanese default is 游ゴシック 11 pt.
    public var font: XLSXFont

    public init(sheets: [XLSXSheet] = [], properties: XLSXDocumentProperties = .init(),
                font: XLSXFont = .init()) {
        self.sheets = sheets
        self.properties = properties
        self.font = font
    }

    /// The first sheet with exactly this name, or, failing that, the first whose name matches ignoring case
    /// (Excel treats sheet names case-insensitively).
    public func sheet(named name: String) -> XLSXSheet? {
        sheets.first { $0.name == name } ?? sheets.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The sheet names in tab order.
    public var sheetNames: [String] { sheets.map(\.name) }
}

/// The font used for cells.
public struct XLSXFont: Sendable, Hashable {
    public var name: String
    /// Size in points.
    public var size: Double

    public init(name: String = "游ゴシック", size: Double = 11) {
        self.name = name
        self.size = size
    }
}

/// Document properties stored in docProps/core.xml; all optional.
public struct XLSXDocumentProperties: Sendable, Hashable {
    public var title: String?
    public var subject: String?
    public var creator: String?
    public var keywords: String?
    public var description: String?
    /// Stored to the second, in UTC. Leave `nil` for byte-identical output on every export of the same data.
    public var created: Date?

    public init(title: String? = nil, subject: String? = nil, creator: String? = nil,
                keywords: String? = nil, description: String? = nil, created: Date? = nil) {
        self.title = title
        self.subject = subject
        self.creator = creator
        self.keywords = keywords
        self.description = description
        self.created = created
    }

    var isEmpty: Bool {
        title == nil && subject == nil && creator == nil && keywords == nil && description == nil && created == nil
    }
}

/// One worksheet: a name, rows of cells and the presentation a spreadsheet user expects
/// (column widths, bold frozen header rows, drop-down lists, an autofilter).
public struct XLSXSheet: Sendable, Hashable {
    /// The tab name: 1–31 characters, none of `[ ] : * ? / \`, not starting or ending with `'`,
    /// and unique in the workbook ignoring case. See ``validateName(_:)``.
    public var name: String
    /// The cells, row by row; `rows[0][0]` is A1. Rows may differ in length.
    public var rows: [[XLSXCell]]
    /// Per-column settings; `columns[0]` is column A. Columns beyond the array use Excel's defaults.
    public var columns: [XLSXColumn]
    /// The number of leading rows styled as header: bold on a light fill with a bottom border.
    public var headerRowCount: Int
    /// The number of leading rows that stay visible while scrolling (a frozen pane).
    public var frozenRows: Int
    /// The number of leading columns that stay visible while scrolling.
    public var frozenColumns: Int
    /// Drop-down lists and the messages Excel shows when a typed value is not in the list.
    public var dataValidations: [XLSXDataValidation]
    /// The range with filter buttons; its first row holds the buttons. See ``autoFilterOnHeader()``.
    public var autoFilter: XLSXRange?
    /// Whether the tab is shown.
    public var visibility: XLSXSheetVisibility

    public init(name: String, rows: [[XLSXCell]] = [], columns: [XLSXColumn] = [],
                headerRowCount: Int = 0, frozenRows: Int = 0, frozenColumns: Int = 0,
                dataValidations: [XLSXDataValidation] = [], autoFilter: XLSXRange? = nil,
                visibility: XLSXSheetVisibility = .visible) {
        self.name = name
        self.rows = rows
        self.columns = columns
        self.headerRowCount = headerRowCount
        self.frozenRows = frozenRows
        self.frozenColumns = frozenColumns
        self.dataValidations = dataValidations
        self.autoFilter = autoFilter
        self.visibility = visibility
    }

    /// The cell at zero-based indices, `.empty` outside the stored rows.
    public func cell(row: Int, column: Int) -> XLSXCell {
        guard row >= 0, row < rows.count, column >= 0, column < rows[row].count else { return .empty }
        return rows[row][column]
    }

    /// The cell at a reference, `.empty` outside the stored rows.
    public func cell(at reference: XLSXCellReference) -> XLSXCell {
        cell(row: reference.row, column: reference.column)
    }

    /// The number of columns of the longest row.
    public var columnCount: Int { rows.reduce(0) { max($0, $1.count) } }

    /// The used range from A1 to the last column of the longest row and the last row; `nil` without rows.
    public var usedRange: XLSXRange? {
        guard !rows.isEmpty else { return nil }
        return XLSXRange(rows: 0...(rows.count - 1), columns: 0...max(0, columnCount - 1))
    }

    /// A filter range whose buttons sit on the last header row and that covers every column and every row below;
    /// `nil` when there is no header row. Assign it to ``autoFilter``.
    public func autoFilterOnHeader() -> XLSXRange? {
        guard headerRowCount > 0 else { return nil }
        let lastRow = max(rows.count - 1, headerRowCount - 1)
        return XLSXRange(rows: (headerRowCount - 1)...lastRow, columns: 0...max(0, columnCount - 1))
    }

    /// Checks a sheet name the way Excel does. Returns the problem, or `nil` when the name is acceptable.
    public static func nameProblem(_ name: String) -> XLSXSheetNameProblem? {
        if name.isEmpty || name.allSatisfy({ $0 == " " }) { return .empty }
        if name.utf16.count > XLSX.maxSheetNameLength { return .tooLong(name.utf16.count) }
        if let bad = name.first(where: { "[]:*?/\\".contains($0) }) { return .forbiddenCharacter(bad) }
        if name.hasPrefix("'") || name.hasSuffix("'") { return .apostropheAtEnds }
        if name.unicodeScalars.contains(where: { !XMLText.isAllowed($0) || $0.value < 0x20 }) {
            return .controlCharacter
        }
        if name.lowercased() == "history" { return .reserved }
        return nil
    }

    /// Throws ``XLSXWriteError/invalidSheetName(_:_:)`` unless Excel would accept `name` as a sheet name.
    public static func validateName(_ name: String) throws(XLSXWriteError) {
        if let problem = nameProblem(name) { throw .invalidSheetName(name, problem) }
    }
}

/// Why a sheet name is not acceptable.
public enum XLSXSheetNameProblem: Sendable, Hashable, CustomStringConvertible {
    case empty
    /// Longer than 31 UTF-16 units; carries the length.
    case tooLong(Int)
    /// Contains one of `[ ] : * ? / \`.
    case forbiddenCharacter(Character)
    /// Starts or ends with an apostrophe.
    case apostropheAtEnds
    /// Contains a control character.
    case controlCharacter
    /// "History" is reserved by Excel.
    case reserved

    public var description: String {
        switch self {
        case .empty: "it is empty"
        case .tooLong(let length): "it has \(length) characters; at most \(XLSX.maxSheetNameLength) are allowed"
        case .forbiddenCharacter(let character): "it contains \"\(character)\"; none of [ ] : * ? / \\ may appear"
        case .apostropheAtEnds: "it starts or ends with an apostrophe"
        case .controlCharacter: "it contains a control character"
        case .reserved: "\"History\" is reserved by Excel"
        }
    }
}

/// Whether a sheet's tab is shown.
public enum XLSXSheetVisibility: String, Sendable, Hashable {
    case visible
    /// Hidden; users can unhide it from Excel's menu.
    case hidden
    /// Hidden; only VBA or the file's XML can unhide it.
    case veryHidden
}

/// Settings of one column.
public struct XLSXColumn: Sendable, Hashable {
    /// Width in Excel's character units (a Latin digit is 1; a Japanese character needs about 2). `nil` = default.
    public var width: Double?
    /// Whether cells in the column wrap long text onto several lines.
    public var wrapsText: Bool
    /// Whether the column is hidden.
    public var isHidden: Bool

    public init(width: Double? = nil, wrapsText: Bool = false, isHidden: Bool = false) {
        self.width = width
        self.wrapsText = wrapsText
        self.isHidden = isHidden
    }

    var isDefault: Bool { width == nil && !wrapsText && !isHidden }
}

/// A data validation: cells in `ranges` accept only values of a list, offered as a drop-down.
public struct XLSXDataValidation: Sendable, Hashable {
    /// Where the rule is, e.g. F3:F178.
    public var ranges: [XLSXRange]
    /// What the cells accept.
    public var rule: Rule
    /// Whether an empty cell is acceptable.
    public var allowsBlank: Bool
    /// Whether the in-cell drop-down arrow is shown.
    public var showsDropDown: Bool
    /// What Excel does when a typed value breaks the rule; `nil` accepts anything typed (the list is a suggestion).
    public var errorAlert: Alert?
    /// A hint shown when a cell of the range is selected.
    public var inputPrompt: Prompt?

    public init(ranges: [XLSXRange], rule: Rule, allowsBlank: Bool = true, showsDropDown: Bool = true,
                errorAlert: Alert? = nil, inputPrompt: Prompt? = nil) {
        self.ranges = ranges
        self.rule = rule
        self.allowsBlank = allowsBlank
        self.showsDropDown = showsDropDown
        self.errorAlert = errorAlert
        self.inputPrompt = inputPrompt
    }

    /// A drop-down list of explicit values over one range, refusing anything else with `error`.
    public static func list(_ values: [String], range: XLSXRange, allowsBlank: Bool = true,
                            errorTitle: String? = nil, error: String? = nil) -> XLSXDataValidation {
        XLSXDataValidation(ranges: [range], rule: .list(values), allowsBlank: allowsBlank,
                           errorAlert: Alert(style: .stop, title: errorTitle, message: error))
    }

    /// What a validation accepts.
    public enum Rule: Sendable, Hashable {
        /// One of these values. Excel limits the list to 255 characters in total and a value may not contain a comma.
        case list([String])
        /// One of the values in a range given as a formula, e.g. `'Lists'!$A$1:$A$4` (no leading "=").
        case listFormula(String)
    }

    /// The message box Excel shows for a value that breaks the rule.
    public struct Alert: Sendable, Hashable {
        public var style: Style
        /// At most 32 characters.
        public var title: String?
        /// At most 255 characters.
        public var message: String?

        public init(style: Style = .stop, title: String? = nil, message: String? = nil) {
            self.style = style
            self.title = title
            self.message = message
        }

        public enum Style: String, Sendable, Hashable {
            /// The value is refused.
            case stop
            /// The user may keep the value after a warning.
            case warning
            /// The user is told and the value is kept.
            case information
        }
    }

    /// The hint Excel shows when a cell of the range is selected.
    public struct Prompt: Sendable, Hashable {
        /// At most 32 characters.
        public var title: String?
        /// At most 255 characters.
        public var message: String?

        public init(title: String? = nil, message: String? = nil) {
            self.title = title
            self.message = message
        }
    }
}
