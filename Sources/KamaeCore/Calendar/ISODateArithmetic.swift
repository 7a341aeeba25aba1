/// Calendar arithmetic on ``ISODate`` in the proleptic Gregorian calendar. Dates carry no time or zone, so a day is
/// always one day: deadlines and monthly counts never shift with daylight saving or the server's zone.
extension ISODate {
    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> ISODate {
        ISODate(dayNumber: dayNumber + days)
    }

    /// Days from this date to `other`: positive when `other` is later, zero on the same day.
    public func days(until other: ISODate) -> Int {
        other.dayNumber - dayNumber
    }

    /// The first day of this date's month.
    public var monthStart: ISODate {
        ISODate(year: year, month: month, day: 1)
    }

    /// The last day of this date's month.
    public var monthEnd: ISODate {
        ISODate(year: year, month: month, day: ISODate.daysIn(month: month, year: year))
    }

    /// The first day of the month `months` months after this date's month (before it when negative).
    public func addingMonths(_ months: Int) -> ISODate {
        let monthIndex = year * 12 + (month - 1) + months
        let newYear = monthIndex >= 0 ? monthIndex / 12 : (monthIndex - 11) / 12
        return ISODate(year: newYear, month: monthIndex - newYear * 12 + 1, day: 1)
    }

    /// The month as `YYYY-MM`, e.g. `2026-11`.
    public var monthLabel: String {
        String(description.prefix(7))
    }

    /// Days since 1970-01-01 (negative before it), by Howard Hinnant's days-from-civil algorithm, which
    /// counts in 400-year eras so it needs no tables and no loops.
    var dayNumber: Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `dayNumber` days after 1970-01-01: the inverse of ``dayNumber``.
    init(dayNumber: Int) {
        let shifted = dayNumber + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }
}
