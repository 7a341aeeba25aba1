import Foundation
import Testing
@testable import KamaeXLSX

@Suite("Writer validation")
struct WriterValidationTests {
    @Test("acceptable sheet names", arguments: [
        "回答", "Summary", "a", String(repeating: "あ", count: 31), "It's fine", "年度 2026 (FY)", "#1 & <2>", "Histories",
    ])
    func goodNames(name: String) throws {
        #expect(XLSXSheet.nameProblem(name) == nil)
        let read = try XLSXReader().read(XLSXWriter().write(XLSXWorkbook(sheets: [XLSXSheet(name: name, rows: [["x"]])])))
        #expect(read.sheets[0].name == name)
    }

    @Test("refused sheet names", arguments: [
        ("", XLSXSheetNameProblem.empty), ("   ", .empty), (String(repeating: "あ", count: 32), .tooLong(32)),
        (String(repeating: "🏦", count: 16), .tooLong(32)), ("a[b", .forbiddenCharacter("[")), ("a]b", .forbiddenCharacter("]")),
        ("a:b", .forbiddenCharacter(":")), ("a*b", .forbiddenCharacter("*")), ("a?b", .forbiddenCharacter("?")),
        ("a/b", .forbiddenCharacter("/")), ("a\\b", .forbiddenCharacter("\\")), ("'quoted", .apostropheAtEnds),
        ("quoted'", .apostropheAtEnds), ("tab\there", .controlCharacter), ("History", .reserved), ("history", .reserved),
    ])
    func badNames(name: String, problem: XLSXSheetNameProblem) {
        #expect(XLSXSheet.nameProblem(name) == problem)
        let error = Support.writeError(XLSXWorkbook(sheets: [XLSXSheet(name: name)]))
        #expect(error == .invalidSheetName(name, problem))
        #expect(error?.description.contains("cannot be used") == true)
        #expect(throws: XLSXWriteError.invalidSheetName(name, problem)) { try XLSXSheet.validateName(name) }
    }

    @Test("duplicate names, ignoring case")
    func duplicates() {
        let workbook = XLSXWorkbook(sheets: [XLSXSheet(name: "Answers"), XLSXSheet(name: "ANSWERS")])
        #expect(Support.writeError(workbook) == .duplicateSheetName("ANSWERS"))
    }

    @Test("workbooks Excel cannot open are refused")
    func workbookLevel() {
        #expect(Support.writeError(XLSXWorkbook()) == .noSheets)
        #expect(Support.writeError(XLSXWorkbook(sheets: [XLSXSheet(name: "a", visibility: .hidden)])) == .noVisibleSheet)
    }

    @Test("cells Excel cannot store name the sheet and cell")
    func cells() throws {
        let long = String(repeating: "x", count: XLSX.maxTextLength + 1)
        let error = Support.writeError(XLSXWorkbook(sheets: [XLSXSheet(name: "回答", rows: [["ok"], ["ok", .text(long)]])]))
        #expect(error == .textTooLong(sheet: "回答", cell: XLSXCellReference("B2")!, length: XLSX.maxTextLength + 1))
        #expect(error?.description.hasPrefix("Sheet 回答, cell B2:") == true)
        #expect(Support.writeError(XLSXWorkbook(sheets: [XLSXSheet(name: "S", rows: [[.number(.nan)]])]))
            == .nonFiniteNumber(sheet: "S", cell: XLSXCellReference("A1")!))
        #expect(Support.writeError(XLSXWorkbook(sheets: [XLSXSheet(name: "S", rows: [[.empty, .number(-.infinity)]])]))
            == .nonFiniteNumber(sheet: "S", cell: XLSXCellReference("B1")!))
        let old = XLSXDate(year: 1899, month: 12, day: 31)!
        #expect(Support.writeError(XLSXWorkbook(sheets: [XLSXSheet(name: "S", rows: [[.date(old)]])]))
            == .dateOutOfRange(sheet: "S", cell: XLSXCellReference("A1")!, date: old))
    }

    @Test("too many columns, bad widths and layouts")
    func layout() {
        let wide = XLSXSheet(name: "S", rows: [Array(repeating: .integer(1), count: XLSX.maxColumns + 1)])
        #expect(Support.writeError(XLSXWorkbook(sheets: [wide])) == .tooManyColumns(sheet: "S", count: XLSX.maxColumns + 1))
        for width in [-1, 256, Double.nan, .infinity] {
            let sheet = XLSXSheet(name: "S", columns: [XLSXColumn(), XLSXColumn(width: width)])
            guard case .invalidColumn(sheet: "S", column: "B", _)? = Support.writeError(XLSXWorkbook(sheets: [sheet])) else {
                Issue.record("width \(width) should be refused")
                continue
            }
        }
        for sheet in [XLSXSheet(name: "S", frozenRows: -1), XLSXSheet(name: "S", frozenColumns: XLSX.maxColumns),
                      XLSXSheet(name: "S", headerRowCount: -2),
                      XLSXSheet(name: "S", autoFilter: XLSXRange(rows: 0...XLSX.maxRows, columns: 0...1)),
                      XLSXSheet(name: "S", autoFilter: XLSXRange(rows: -5...2, columns: -1...1))] {
            guard case .invalidLayout(sheet: "S", _)? = Support.writeError(XLSXWorkbook(sheets: [sheet])) else {
                Issue.record("\(sheet) should be refused")
                continue
            }
        }
    }

    @Test("data validations Excel would refuse")
    func validations() {
        let range = XLSXRange("F3:F10")!
        let cases: [(XLSXDataValidation, String)] = [
            (XLSXDataValidation(ranges: [], rule: .list(["a"])), "applies to no cells"),
            (XLSXDataValidation(ranges: [XLSXRange(rows: -1...3, columns: 0...0)], rule: .list(["a"])), "outside the sheet"),
            (XLSXDataValidation(ranges: [XLSXRange(rows: 0...3, columns: 0...XLSX.maxColumns)], rule: .list(["a"])), "outside the sheet"),
            (XLSXDataValidation(ranges: [range], rule: .list([])), "empty"),
            (XLSXDataValidation(ranges: [range], rule: .list(["a,b"])), "comma"),
            (XLSXDataValidation(ranges: [range], rule: .list(["a\u{1}"])), "control character"),
            (XLSXDataValidation(ranges: [range], rule: .list(Array(repeating: "一部実施です", count: 40))), "at most 255"),
            (XLSXDataValidation(ranges: [range], rule: .listFormula("")), "1…255"),
            (.list(["a"], range: range, errorTitle: String(repeating: "題", count: 33)), "error title"),
            (.list(["a"], range: range, error: String(repeating: "x", count: 256)), "error message"),
            (XLSXDataValidation(ranges: [range], rule: .list(["a"]), inputPrompt: .init(title: String(repeating: "x", count: 33))), "prompt title"),
        ]
        for (validation, reason) in cases {
            let error = Support.writeError(XLSXWorkbook(sheets: [XLSXSheet(name: "回答", dataValidations: [validation])]))
            guard case .invalidDataValidation(sheet: "回答", _, let actual)? = error else {
                Issue.record("\(validation) should be refused, got \(String(describing: error))")
                continue
            }
            #expect(actual.contains(reason), "\(actual)")
            #expect(error?.description.hasPrefix("Sheet 回答, data validation on") == true)
        }
    }

    @Test("the autofilter helper covers the last header row and every row and column below")
    func autoFilterHelper() {
        var sheet = XLSXSheet(name: "S", rows: [["a", "b", "c"], ["A", "B", "C"], [1, 2, 3], [4]], headerRowCount: 2)
        #expect(sheet.autoFilterOnHeader()?.description == "A2:C4")
        sheet.headerRowCount = 0
        #expect(sheet.autoFilterOnHeader() == nil)
        #expect(XLSXSheet(name: "S", headerRowCount: 1).autoFilterOnHeader()?.description == "A1")
    }
}
