import Foundation

/// The value of one cell.
///
/// The writer stores each case as Excel expects it (`.date` as a real date serial with a `yyyy-mm-dd` format);
/// the reader maps what it finds back to these cases: shared, inline and formula strings → `.text`,
/// numbers written without a fraction or exponent → `.integer`, other numbers → `.number`,
/// numbers styled with a date format → `.date`, `TRUE`/`FALSE` → `.bool`, `#N/A` and friends → `.error`,
/// and cells with no value → `.empty`.
public enum XLSXCell: Sendable, Hashable {
    /// No value. Trailing empty cells of a row are not kept by the reader.
    case empty
    /// Text (at most ``XLSX/maxTextLength`` UTF-16 units when written).
    case text(String)
    /// A floating-point number; it must be finite to be written.
    case number(Double)
    /// A whole number. Excel keeps 15 significant digits; larger values lose precision there.
    case integer(Int)
    /// A boolean, shown by Excel as TRUE/FALSE.
    case bool(Bool)
    /// A calendar date without time, written as a real Excel date.
    case date(XLSXDate)
    /// An error value such as `#N/A` or `#DIV/0!`, as found in a formula's cached result.
    case error(String)

    /// A number from a `Decimal` (stored by Excel as a double).
    public static func decimal(_ value: Decimal) -> XLSXCell {
        .number(NSDecimalNumber(decimal: value).doubleValue)
    }

    /// Whether the cell holds no value.
    public var isEmpty: Bool { self == .empty }

    /// The text of a `.text` cell; `nil` for every other case.
    public var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// The number of a `.number` or `.integer` cell; `nil` for every other case.
    public var doubleValue: Double? {
        switch self {
        case .number(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    /// The whole number of an `.integer` cell, or of a `.number` cell whose value is whole; otherwise `nil`.
    public var intValue: Int? {
        switch self {
        case .integer(let value): return value
        case .number(let value):
            guard value.rounded() == value, let exact = Int(exactly: value) else { return nil }
            return exact
        default: return nil
        }
    }

    /// The date of a `.date` cell, or of a `.text` cell holding an ISO 8601 date ("2026-03-31"); otherwise `nil`.
    public var dateValue: XLSXDate? {
        switch self {
        case .date(let value): value
        case .text(let value): XLSXDate(iso8601: XMLText.trimmed(value))
        default: nil
        }
    }

    /// The boolean of a `.bool` cell; otherwise `nil`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The value as a user would read it: text as is, numbers in their shortest form ("3", "0.5"),
    /// dates in ISO 8601, booleans as TRUE/FALSE, errors as written, empty as "".
    public var displayText: String {
        switch self {
        case .empty: ""
        case .text(let value): value
        case .number(let value): XLSXNumberFormatting.string(value, wholeAsInteger: true)
        case .integer(let value): String(value)
        case .bool(let value): value ? "TRUE" : "FALSE"
        case .date(let value): value.iso8601
        case .error(let value): value
        }
    }
}

extension XLSXCell: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `nil` is `.empty`.
    public init(nilLiteral: ()) { self = .empty }
}

enum XLSXNumberFormatting {
    /// The shortest text that reads back as the same double ("0.1", "1e-05"); whole values
    /// print as "3.0" unless `wholeAsInteger`, in which case "3".
    static func string(_ value: Double, wholeAsInteger: Bool) -> String {
        if wholeAsInteger, value.rounded() == value, abs(value) < 1e15, let exact = Int(exactly: value) {
            return String(exact)
        }
        return String(value)
    }
}

/// A calendar date (proleptic Gregorian, no time, no time zone), e.g. 2026-03-31.
public struct XLSXDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A date; `nil` unless it exists and its year is 1…9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= XLSXDate.daysInMonth(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly "YYYY-MM-DD" (ISO 8601 calendar date, extended format).
    public init?(iso8601 text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == 45, bytes[7] == 45 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The calendar day of `date` in `timeZone`.
    public init(_ date: Date, in timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let days = XLSXDate.daysFromCivil(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
        self.init(daysSince1970Unchecked: days)
    }

    /// Midnight at the start of this day in `timeZone`.
    public func date(in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: year, month: month, day: day)
        return calendar.date(from: components) ?? Date(timeIntervalSince1970: Double(daysSince1970) * 86_400)
    }

    /// "YYYY-MM-DD".
    public var iso8601: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public var description: String { iso8601 }

    public static func < (lhs: XLSXDate, rhs: XLSXDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Days since 1970-01-01 (negative before).
    public var daysSince1970: Int { XLSXDate.daysFromCivil(year: year, month: month, day: day) }

    /// The date `days` after 1970-01-01; `nil` outside years 1…9999.
    public init?(daysSince1970 days: Int) {
        guard days >= XLSXDate.minDays, days <= XLSXDate.maxDays else { return nil }
        self.init(daysSince1970Unchecked: days)
    }

    // MARK: Excel serial numbers

    /// The Excel serial number of this date in the 1900 date system (1900-01-01 → 1, 2026-03-31 → 46112),
    /// including Excel's phantom 1900-02-29 (serial 60). `nil` before 1900-01-01.
    public var excelSerial: Int? {
        let days = daysSince1970
        guard days >= XLSXDate.excel1900Start else { return nil }
        // 1900-03-01 and later count from 1899-12-30; earlier days from 1899-12-31 (Excel's leap-year bug).
        return days >= XLSXDate.excel1900March1 ? days - XLSXDate.excel1899Dec30 : days - XLSXDate.excel1899Dec30 - 1
    }

    /// The date of an Excel serial number. `date1904` selects the 1904 date system of old Mac workbooks.
    /// Fractions (times of day) are dropped. `nil` for serials that are no date: below 1 (1900 system) or 0
    /// (1904 system), Excel's phantom 1900-02-29, beyond 9999-12-31, or not finite.
    public init?(excelSerial serial: Double, date1904: Bool = false) {
        guard serial.isFinite, serial < 3_000_000 else { return nil }
        let whole = Int(serial.rounded(.down))
        if date1904 {
            guard whole >= 0 else { return nil }
            self.init(daysSince1970: XLSXDate.excel1904Start + whole)
        } else {
            guard whole >= 1, whole != 60 else { return nil }
            self.init(daysSince1970: whole < 60 ? XLSXDate.excel1899Dec30 + 1 + whole : XLSXDate.excel1899Dec30 + whole)
        }
    }

    // MARK: Civil-day arithmetic (Howard Hinnant's algorithms)

    private init(daysSince1970Unchecked days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = day
    }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static let minDays = daysFromCivil(year: 1, month: 1, day: 1)
    private static let maxDays = daysFromCivil(year: 9999, month: 12, day: 31)
    private static let excel1899Dec30 = daysFromCivil(year: 1899, month: 12, day: 30)
    private static let excel1900Start = daysFromCivil(year: 1900, month: 1, day: 1)
    private static let excel1900March1 = daysFromCivil(year: 1900, month: 3, day: 1)
    private static let excel1904Start = daysFromCivil(year: 1904, month: 1, day: 1)
}
