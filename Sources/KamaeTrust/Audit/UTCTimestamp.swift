import Foundation

/// Formats and parses `YYYY-MM-DDTHH:MM:SS.fffZ` (UTC, a fixed number of fraction digits) by integer arithmetic.
///
/// Why not `ISO8601DateFormatter`: the audit export and the backup format need exactly these bytes on every platform
/// and locale, with no silent rounding, and a verifier formats millions of them. Shared by the audit trail
/// (milliseconds) and the backup container (microseconds).
enum UTCTimestamp {
    /// Seconds from 1970-01-01 to 0001-01-01 and to 10000-01-01: four-digit years only, as ISO 8601 without extensions.
    private static let earliestSecond: Int64 = -62_135_596_800
    private static let endSecond: Int64 = 253_402_300_800

    /// Seconds from 1970-01-01 to 2001-01-01, the epoch `Date` counts from.
    private static let referenceDateOffset: Int64 = 978_307_200

    /// Whole `1 / 10^fractionDigits` seconds since 1970, rounded to the nearest, preferring a neighbour that reads
    /// back (`date(ticks:)`) as exactly this `Date`: then a date made from ticks, written and read again, is unchanged
    /// even where a `Double` is coarser than a tick. Clamped to Int64 (±292,000 years at microseconds), and NaN
    /// counts as 0, so that no `Date` can trap here.
    static func ticks(of date: Date, fractionDigits: Int) -> Int64 {
        let unitsPerSecond = Int64(scale(fractionDigits))
        // Date stores seconds since 2001. Whole seconds and the fraction are scaled apart: scaling the whole value
        // at once would round it to a multiple of 0.5 µs for dates a century away.
        let seconds = date.timeIntervalSinceReferenceDate
        if seconds.isNaN { return 0 }
        let wholeSeconds = seconds.rounded(.down)
        let limit = 9.2e18 / Double(unitsPerSecond)
        if wholeSeconds >= limit { return .max }
        if wholeSeconds <= -limit { return .min }
        let sinceReference =
            Int64(wholeSeconds) * unitsPerSecond + Int64(((seconds - wholeSeconds) * Double(unitsPerSecond)).rounded())
        let nearest =
            [sinceReference, sinceReference - 1, sinceReference + 1].first {
                Date(timeIntervalSinceReferenceDate: Double($0) / Double(unitsPerSecond)) == date
            } ?? sinceReference
        return nearest + referenceDateOffset * unitsPerSecond
    }

    static func date(ticks: Int64, fractionDigits: Int) -> Date {
        let unitsPerSecond = scale(fractionDigits)
        let (sinceReference, overflow) = ticks.subtractingReportingOverflow(referenceDateOffset * Int64(unitsPerSecond))
        return Date(timeIntervalSinceReferenceDate: overflow ? -.infinity : Double(sinceReference) / unitsPerSecond)
    }

    /// The text for `ticks`, or nil when the year falls outside 0001...9999.
    static func format(ticks: Int64, fractionDigits: Int) -> String? {
        let unitsPerSecond = Int64(scale(fractionDigits))
        let (second, fraction) = floorDivision(ticks, unitsPerSecond)
        guard second >= earliestSecond, second < endSecond else { return nil }
        let (day, secondOfDay) = floorDivision(second, 86_400)
        let (year, month, dayOfMonth) = civilDate(daysSinceEpoch: day)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(21 + fractionDigits)
        appendDigits(year, count: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(month, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(dayOfMonth, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, count: 2, to: &bytes)
        if fractionDigits > 0 {
            bytes.append(UInt8(ascii: "."))
            appendDigits(fraction, count: fractionDigits, to: &bytes)
        }
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses exactly the form `format` writes (no offsets, no leap seconds, exactly `fractionDigits` digits).
    static func parseTicks(_ text: String, fractionDigits: Int) -> Int64? {
        let bytes = Array(text.utf8)
        let expectedCount = 20 + (fractionDigits > 0 ? fractionDigits + 1 : 0)
        guard bytes.count == expectedCount,
            bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[expectedCount - 1] == UInt8(ascii: "Z"),
            let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
            let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]), let second = number(bytes[17..<19])
        else { return nil }
        var fraction: Int64 = 0
        if fractionDigits > 0 {
            guard bytes[19] == UInt8(ascii: "."), let digits = number(bytes[20..<(20 + fractionDigits)]) else { return nil }
            fraction = digits
        }
        guard year >= 1, (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
            hour < 24, minute < 60, second < 60
        else { return nil }
        let seconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
        return seconds * Int64(scale(fractionDigits)) + fraction
    }

    private static func scale(_ fractionDigits: Int) -> Double {
        var result = 1.0
        for _ in 0..<fractionDigits { result *= 10 }
        return result
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = value / divisor
        let remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int64? {
        var value: Int64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func appendDigits(_ value: Int64, count: Int, to bytes: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 1..<count { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    private static func isLeapYear(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    private static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Proleptic Gregorian calendar through 400-year eras that start on March 1st, so that the leap day is
    // the last day of an era-year and month lengths follow a fixed pattern (the classic "days from civil" method).
    private static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let marchYear = month <= 2 ? year - 1 : year
        let era = floorDivision(marchYear, 400).quotient
        let yearOfEra = marchYear - era * 400
        let marchMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * marchMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civilDate(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let (era, dayOfEra) = floorDivision(days + 719_468, 146_097)
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let marchMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * marchMonth + 2) / 5 + 1
        let month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
