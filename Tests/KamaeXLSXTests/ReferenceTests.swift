import Foundation
import Testing
@testable import KamaeXLSX

@Suite("Column letters, cell references and ranges")
struct ReferenceTests {
    @Test("column letters of well-known indices", arguments: [
        (0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (51, "AZ"), (52, "BA"),
        (701, "ZZ"), (702, "AAA"), (16383, "XFD"),
    ])
    func letters(index: Int, letters: String) {
        #expect(XLSX.columnLetters(index) == letters)
        #expect(XLSX.columnIndex(letters) == index)
        #expect(XLSX.columnIndex(letters.lowercased()) == index)
    }

    @Test("every column round-trips through its letters")
    func allColumns() {
        for index in 0..<XLSX.maxColumns {
            #expect(XLSX.columnIndex(XLSX.columnLetters(index)) == index)
        }
    }

    @Test("invalid column letters", arguments: ["", "A1", "XFE", "ZZZZ", "AAAA", "Ä", "@", "[", "`", "{", " A", "-"])
    func invalidLetters(text: String) {
        #expect(XLSX.columnIndex(text) == nil)
    }

    @Test("cell references parse and print")
    func references() throws {
        let f12 = try #require(XLSXCellReference("F12"))
        #expect(f12.row == 11 && f12.column == 5)
        #expect(f12.description == "F12")
        #expect(f12.rowNumber == 12 && f12.columnLetters == "F")
        #expect(f12.absoluteDescription == "$F$12")
        #expect(XLSXCellReference("$F$12") == f12)
        #expect(XLSXCellReference("f12") == f12)
        #expect(XLSXCellReference("XFD1048576") == XLSXCellReference(row: 1_048_575, column: 16383))
        for bad in ["", "F", "12", "F0", "F-1", "XFE1", "F1048577", "F 12", "F12 ", "$$F12", "F$", "1F", "F1.5", "Ｆ１２"] {
            #expect(XLSXCellReference(bad) == nil, "\(bad) should not parse")
        }
        #expect(XLSXCellReference(row: -1, column: 2).description == "(row -1, column 2)")
        #expect(XLSXCellReference("A1")! < XLSXCellReference("B1")!)
        #expect(XLSXCellReference("B1")! < XLSXCellReference("A2")!)
    }

    @Test("ranges parse, normalise and print")
    func ranges() throws {
        let range = try #require(XLSXRange("F3:F178"))
        #expect(range.rows == 2...177 && range.columns == 5...5)
        #expect(range.description == "F3:F178")
        #expect(range.absoluteDescription == "$F$3:$F$178")
        #expect(XLSXRange("B2:A1")?.description == "A1:B2")
        #expect(XLSXRange("C3")?.description == "C3")
        #expect(XLSXRange("$A$1:$B$2")?.description == "A1:B2")
        #expect(XLSXRange("A1:B2:C3") == nil)
        #expect(XLSXRange("A1:") == nil)
        #expect(range.contains(XLSXCellReference("F100")!))
        #expect(!range.contains(XLSXCellReference("G100")!))
    }
}

@Suite("Dates")
struct DateTests {
    @Test("Excel serials of known dates", arguments: [
        ("1900-01-01", 1), ("1900-02-28", 59), ("1900-03-01", 61), ("1970-01-01", 25569),
        ("2000-01-01", 36526), ("2026-03-31", 46112), ("9999-12-31", 2_958_465),
    ])
    func serials(iso: String, serial: Int) throws {
        let date = try #require(XLSXDate(iso8601: iso))
        #expect(date.excelSerial == serial)
        #expect(XLSXDate(excelSerial: Double(serial)) == date)
        #expect(XLSXDate(excelSerial: Double(serial) + 0.75) == date, "the time of day is dropped")
        #expect(date.iso8601 == iso)
    }

    @Test("serials that are no date")
    func notDates() {
        #expect(XLSXDate(excelSerial: 0) == nil)
        #expect(XLSXDate(excelSerial: 60) == nil, "Excel's phantom 1900-02-29")
        #expect(XLSXDate(excelSerial: -1) == nil)
        #expect(XLSXDate(excelSerial: .nan) == nil)
        #expect(XLSXDate(excelSerial: 2_958_466) == nil)
        #expect(XLSXDate(year: 1899, month: 12, day: 31)?.excelSerial == nil)
    }

    @Test("the 1904 date system")
    func date1904() {
        #expect(XLSXDate(excelSerial: 0, date1904: true) == XLSXDate(year: 1904, month: 1, day: 1))
        #expect(XLSXDate(excelSerial: 44650, date1904: true) == XLSXDate(year: 2026, month: 3, day: 31))
    }

    @Test("ISO 8601 parsing is strict")
    func iso() {
        #expect(XLSXDate(iso8601: "2024-02-29") != nil)
        for bad in ["2023-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "26-01-01", "2026/01/01", "2026-01-01T00:00", "０２６-01-01", ""] {
            #expect(XLSXDate(iso8601: bad) == nil, "\(bad) should not parse")
        }
    }

    @Test("every day from 1900 to 2100 round-trips through its serial")
    func everyDay() throws {
        var date = try #require(XLSXDate(year: 1900, month: 1, day: 1))
        var previous = 0
        while date.year < 2100 {
            let serial = try #require(date.excelSerial)
            #expect(serial > previous)
            #expect(XLSXDate(excelSerial: Double(serial)) == date)
            #expect(XLSXDate(iso8601: date.iso8601) == date)
            previous = serial
            date = try #require(XLSXDate(daysSince1970: date.daysSince1970 + 1))
        }
    }

    @Test("conversion from and to Foundation dates in a time zone")
    func foundation() throws {
        let tokyo = try #require(TimeZone(identifier: "Asia/Tokyo"))
        let instant = Date(timeIntervalSince1970: 1_774_969_200) // 2026-03-31T15:00:00Z = 2026-04-01 00:00 JST
        #expect(XLSXDate(instant, in: tokyo).iso8601 == "2026-04-01")
        #expect(XLSXDate(instant, in: TimeZone(secondsFromGMT: 0)!).iso8601 == "2026-03-31")
        #expect(XLSXDate(year: 2026, month: 4, day: 1)!.date(in: tokyo) == instant)
    }
}
