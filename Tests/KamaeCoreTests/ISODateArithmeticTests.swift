import Foundation
import Testing
import KamaeCore

@Suite struct ISODateArithmeticTests {
    private func date(_ text: String) throws -> ISODate { try #require(ISODate(text)) }

    @Test func addingDaysCrossesMonthsYearsAndLeapDays() throws {
        #expect(try date("2024-02-28").adding(days: 1) == date("2024-02-29"))
        #expect(try date("2023-02-28").adding(days: 1) == date("2023-03-01"))
        #expect(try date("2025-12-31").adding(days: 1) == date("2026-01-01"))
        #expect(try date("2026-01-01").adding(days: -1) == date("2025-12-31"))
        #expect(try date("2026-03-10").adding(days: 0) == date("2026-03-10"))
        #expect(try date("2000-02-28").adding(days: 1) == date("2000-02-29"))
        #expect(try date("1900-02-28").adding(days: 1) == date("1900-03-01"))
        #expect(try date("2026-01-01").adding(days: 365) == date("2027-01-01"))
    }

    @Test func daysUntilCountsSignedWholeDays() throws {
        #expect(try date("2026-01-01").days(until: date("2026-01-08")) == 7)
        #expect(try date("2026-01-08").days(until: date("2026-01-01")) == -7)
        #expect(try date("2024-01-01").days(until: date("2025-01-01")) == 366)
        #expect(try date("1970-01-01").days(until: date("1970-01-01")) == 0)
    }

    /// Every day over several centuries, against Foundation's Gregorian calendar in UTC.
    @Test func agreesWithFoundationsCalendarDayByDay() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        let origin = try date("1970-01-01")
        let originDate = try #require(calendar.date(from: DateComponents(year: 1970, month: 1, day: 1)))
        for offset in stride(from: -80_000, through: 80_000, by: 7) {
            let expected = try #require(calendar.date(byAdding: .day, value: offset, to: originDate))
            let parts = calendar.dateComponents([.year, .month, .day], from: expected)
            let computed = origin.adding(days: offset)
            #expect(computed == ISODate(year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0))
            #expect(origin.days(until: computed) == offset)
            #expect(computed.adding(days: -offset) == origin)
        }
    }

    @Test func monthBoundsAndLabels() throws {
        #expect(try date("2024-02-10").monthStart == date("2024-02-01"))
        #expect(try date("2024-02-10").monthEnd == date("2024-02-29"))
        #expect(try date("2025-02-10").monthEnd == date("2025-02-28"))
        #expect(try date("2026-11-30").monthEnd == date("2026-11-30"))
        #expect(try date("2026-12-05").monthEnd == date("2026-12-31"))
        #expect(try date("2026-11-05").monthLabel == "2026-11")
        #expect(try date("0987-01-05").monthLabel == "0987-01")
    }

    @Test func addingMonthsLandsOnTheFirstOfTheMonth() throws {
        #expect(try date("2026-01-31").addingMonths(1) == date("2026-02-01"))
        #expect(try date("2026-11-15").addingMonths(2) == date("2027-01-01"))
        #expect(try date("2026-01-15").addingMonths(-1) == date("2025-12-01"))
        #expect(try date("2026-03-15").addingMonths(-27) == date("2023-12-01"))
        #expect(try date("2026-03-15").addingMonths(0) == date("2026-03-01"))
        #expect(try date("2026-03-15").addingMonths(24) == date("2028-03-01"))
        for months in -30...30 {
            let moved = try date("2026-06-20").addingMonths(months)
            #expect(moved.day == 1)
            #expect((moved.year * 12 + moved.month) - (2026 * 12 + 6) == months)
        }
    }
}
