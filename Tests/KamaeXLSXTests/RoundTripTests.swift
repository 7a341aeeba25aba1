import Foundation
import Testing
@testable import KamaeXLSX

@Suite("Writer → reader round trip")
struct RoundTripTests {
    @Test("the assessment-shaped workbook reads back exactly as written")
    func assessment() throws {
        let workbook = Support.assessmentWorkbook(rows: 8)
        let data = try XLSXWriter().write(workbook)
        let read = try XLSXReader().read(data)
        #expect(read == workbook)
        #expect(read.sheetNames == ["回答", "Summary 集計", "_kamae"])
        #expect(read.sheet(named: "_kamae")?.visibility == .hidden)
        #expect(read.sheet(named: "summary 集計")?.name == "Summary 集計", "names match ignoring case")
        #expect(read.properties.title == "自己評価 2026")
    }

    @Test("text survives: Japanese, XML specials, white space, newlines, emoji, look-alike escapes", arguments: [
        "実施済", "経営陣の関与（ガバナンス）①②③", "<tag attr=\"v\">&amp; 'q'</tag>", "]]>", "a & b < c > d",
        "  leading", "trailing  ", "  both  ", " ", "\t tab", "line1\nline2", "line1\r\nline2\r\n", "\r", "\n\n",
        "emoji 🏦🔐 and 𠮷野家", "ｶﾀｶﾅ 半角", "_x0041_ looks like an escape", "_x005F_", "_x_", "100%", "=SUM(A1:A2)",
        "+81-3-0000-0000", "0123", "1e5", "TRUE", String(repeating: "長", count: XLSX.maxTextLength),
    ])
    func text(_ value: String) throws {
        let workbook = XLSXWorkbook(sheets: [XLSXSheet(name: "S", rows: [[.text(value)]])])
        let read = try XLSXReader().read(XLSXWriter().write(workbook))
        #expect(read.sheets[0].cell(row: 0, column: 0) == .text(value))
    }

    @Test("characters XML forbids are dropped; vertical tab and form feed become line breaks")
    func controlCharacters() throws {
        let value = "a\u{0}b\u{1}c\u{8}d\u{B}e\u{C}f\u{1F}g\u{FFFE}h\u{FFFF}i\u{7F}j"
        let workbook = XLSXWorkbook(sheets: [XLSXSheet(name: "S", rows: [[.text(value)]])])
        let read = try XLSXReader().read(XLSXWriter().write(workbook))
        #expect(read.sheets[0].rows[0][0] == .text("abcd\ne\nfghi\u{7F}j"))
    }

    @Test("numbers, integers, booleans, dates, errors and empties", arguments: [
        XLSXCell.number(0.1), .number(-2.5), .number(1.0), .number(1e-5), .number(1.7976931348623157e308),
        .number(.leastNonzeroMagnitude), .number(-0.0), .number(123456.789), .number(0.30000000000000004),
        .integer(0), .integer(-1), .integer(Int.max), .integer(Int.min), .integer(1_234_567_890_123),
        .bool(true), .bool(false), .date(XLSXDate(year: 2026, month: 3, day: 31)!),
        .date(XLSXDate(year: 1900, month: 1, day: 1)!), .date(XLSXDate(year: 9999, month: 12, day: 31)!),
        .error("#N/A"), .error("#DIV/0!"), .text(""),
    ])
    func values(_ value: XLSXCell) throws {
        let workbook = XLSXWorkbook(sheets: [XLSXSheet(name: "S", rows: [[value, "after"]])])
        let read = try XLSXReader().read(XLSXWriter().write(workbook))
        let cell = read.sheets[0].rows[0][0]
        if case .number(let expected) = value, case .number(let actual) = cell {
            #expect(actual.bitPattern == expected.bitPattern)
        } else {
            #expect(cell == value)
        }
        #expect(read.sheets[0].rows[0][1] == "after")
    }

    @Test("sparse rows: empty cells and rows inside, trailing empties dropped")
    func sparse() throws {
        let rows: [[XLSXCell]] = [
            ["A1", .empty, "C1"],
            [],
            [.empty, .empty, .empty],
            [.empty, 42, .empty, .empty],
            [.empty],
        ]
        let workbook = XLSXWorkbook(sheets: [XLSXSheet(name: "S", rows: rows)])
        let read = try XLSXReader().read(XLSXWriter().write(workbook)).sheets[0]
        #expect(read.rows == [["A1", .empty, "C1"], [], [], [.empty, 42]])
        #expect(read.cell(at: XLSXCellReference("B4")!) == 42)
        #expect(read.cell(row: 100, column: 100) == .empty)
    }

    @Test("empty sheets and a workbook with only a hidden sheet besides a visible one")
    func emptySheets() throws {
        let workbook = XLSXWorkbook(sheets: [
            XLSXSheet(name: "hidden", rows: [["x"]], visibility: .hidden),
            XLSXSheet(name: "empty"),
            XLSXSheet(name: "very", visibility: .veryHidden),
        ])
        let data = try XLSXWriter().write(workbook)
        let read = try XLSXReader().read(data)
        #expect(read == workbook)
    }

    @Test("a far-away cell: column XFD, row 1,048,576")
    func farCell() throws {
        var rows = [[XLSXCell]](repeating: [], count: 3)
        rows[2] = Array(repeating: .empty, count: XLSX.maxColumns - 1) + ["far"]
        let workbook = XLSXWorkbook(sheets: [XLSXSheet(name: "S", rows: rows)])
        let read = try XLSXReader().read(XLSXWriter().write(workbook))
        #expect(read.sheets[0].cell(at: XLSXCellReference("XFD3")!) == "far")
    }

    @Test("the same workbook always gives the same bytes")
    func deterministic() throws {
        let workbook = Support.assessmentWorkbook(rows: 20)
        #expect(try XLSXWriter().write(workbook) == XLSXWriter().write(workbook))
    }

    @Test("document properties, including the creation time to the second")
    func properties() throws {
        let created = Date(timeIntervalSince1970: 1_775_000_000)
        let properties = XLSXDocumentProperties(title: "題 <&>", subject: "件名", creator: "作成者",
                                                keywords: "a, b", description: "説明\n二行目", created: created)
        let workbook = XLSXWorkbook(sheets: [XLSXSheet(name: "S")], properties: properties)
        let read = try XLSXReader().read(XLSXWriter().write(workbook))
        #expect(read.properties == properties)
    }

    @Test("list validations with quotes, blanks refused, warnings, prompts and hidden arrows")
    func validations() throws {
        let validations = [
            XLSXDataValidation(ranges: [XLSXRange("A1:A10")!, XLSXRange("C1:C10")!], rule: .list(["はい", "say \"yes\"", "いいえ"]),
                               allowsBlank: false, showsDropDown: false,
                               errorAlert: .init(style: .warning, title: "注意", message: "a\nb <&>")),
            XLSXDataValidation(ranges: [XLSXRange("B1")!], rule: .listFormula("'Lists'!$A$1:$A$4"),
                               errorAlert: nil, inputPrompt: .init(title: nil, message: "選択")),
            .list(Support.statuses, range: XLSXRange("D2:D9")!, errorTitle: "入力エラー", error: "一覧から選んでください"),
        ]
        let workbook = XLSXWorkbook(sheets: [
            XLSXSheet(name: "S", rows: [["x"]], dataValidations: validations),
            XLSXSheet(name: "Lists", rows: Support.statuses.map { [.text($0)] }),
        ])
        let read = try XLSXReader().read(XLSXWriter().write(workbook))
        #expect(read.sheets[0].dataValidations == validations)
    }

    @Test("fonts: a Latin font and a fractional size")
    func font() throws {
        let workbook = XLSXWorkbook(sheets: [XLSXSheet(name: "S", rows: [["x"]], headerRowCount: 1)],
                                    font: XLSXFont(name: "Calibri", size: 10.5))
        let read = try XLSXReader().read(XLSXWriter().write(workbook))
        #expect(read.sheets[0].headerRowCount == 1)
    }

    @Test("a workbook with many sheets keeps their order")
    func manySheets() throws {
        let sheets = (1...40).map { XLSXSheet(name: "シート\($0)", rows: [[.integer($0)]]) }
        let read = try XLSXReader().read(XLSXWriter().write(XLSXWorkbook(sheets: sheets)))
        #expect(read.sheets == sheets)
    }

    @Test("cell accessors")
    func accessors() {
        #expect(XLSXCell.number(3).intValue == 3)
        #expect(XLSXCell.number(3.5).intValue == nil)
        #expect(XLSXCell.integer(3).doubleValue == 3)
        #expect(XLSXCell.text(" 2026-03-31 ").dateValue == XLSXDate(year: 2026, month: 3, day: 31))
        #expect(XLSXCell.number(0.5).displayText == "0.5")
        #expect(XLSXCell.number(3).displayText == "3")
        #expect(XLSXCell.bool(true).displayText == "TRUE")
        #expect(XLSXCell.decimal(Decimal(string: "0.1")!) == .number(0.1))
        #expect(XLSXCell.empty.isEmpty && !XLSXCell.text("").isEmpty)
        let literal: [XLSXCell] = ["a", 1, 2.5, true, nil]
        #expect(literal == [.text("a"), .integer(1), .number(2.5), .bool(true), .empty])
    }
}
