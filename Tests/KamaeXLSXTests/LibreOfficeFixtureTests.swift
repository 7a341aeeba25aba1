import Foundation
import Testing
@testable import KamaeXLSX

/// Fixtures/libreoffice-7.4.xlsx was made by writing `source` with XLSXWriter and converting it with
/// LibreOffice 7.4.7 (`soffice --headless --convert-to xlsx:"Calc MS Excel 2007 XML"`), so LibreOffice's way of
/// writing a workbook is checked without LibreOffice installed. Headless conversion drops view settings, so
/// the frozen panes do not survive; everything else must.
@Suite("Reader: a workbook saved by LibreOffice")
struct LibreOfficeFixtureTests {
    static let source: XLSXWorkbook = {
        var answers = XLSXSheet(
            name: "回答",
            rows: [
                ["ID", "状況", "成熟度", "期限", "証跡", "基本", "率"],
                ["ID", "Status", "Maturity", "Target date", "Evidence", "Basic", "Rate"],
                ["2.1.1-B1", "実施済", 3, .date(XLSXDate(year: 2026, month: 3, day: 31)!), "規程 v2.1\n議事録 <&> \"引用\"", true, 0.25],
                ["2.1.1-B2", "一部実施", 0, .empty, "  前後の空白  ", false, 1.5],
                ["2.1.1-Da", .empty, .empty, .date(XLSXDate(year: 2027, month: 1, day: 5)!), "経営陣の関与（ガバナンス）①②", .empty, -0.1],
            ],
            columns: [XLSXColumn(width: 12), XLSXColumn(width: 10), XLSXColumn(width: 8), XLSXColumn(width: 12),
                      XLSXColumn(width: 40, wrapsText: true), XLSXColumn(width: 6, isHidden: true)],
            headerRowCount: 2, frozenRows: 2, frozenColumns: 1,
            dataValidations: [.list(Support.statuses, range: XLSXRange("B3:B5")!, errorTitle: "入力エラー", error: "一覧から選んでください")])
        answers.autoFilter = answers.autoFilterOnHeader()
        return XLSXWorkbook(sheets: [
            answers,
            XLSXSheet(name: "集計", rows: [["区分", "実施率"], ["基本", 0.8125], ["望ましい", 0.5]], headerRowCount: 1),
            XLSXSheet(name: "_kamae", rows: [["fiscalYear", 2026], ["institution", "demo-bank"]], visibility: .hidden),
        ])
    }()

    @Test("values, header rows, columns, validations, the autofilter and hidden sheets survive LibreOffice")
    func libreOffice() throws {
        let url = try #require(Bundle.module.url(forResource: "libreoffice-7.4", withExtension: "xlsx", subdirectory: "Fixtures"))
        let workbook = try XLSXReader().read(Data(contentsOf: url))
        #expect(workbook.sheetNames == Self.source.sheetNames)
        for (expected, actual) in zip(Self.source.sheets, workbook.sheets) {
            var expected = expected
            expected.frozenRows = 0
            expected.frozenColumns = 0
            #expect(actual == expected, "sheet \(expected.name)")
        }
    }
}
