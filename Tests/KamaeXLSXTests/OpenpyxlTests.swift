import Foundation
import Testing
@testable import KamaeXLSX

/// openpyxl, run through Tests/KamaeXLSXTests/Scripts/openpyxl_check.py, as an independent reader and writer.
enum Openpyxl {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Scripts/openpyxl_check.py")
    /// On CI (CI=true) the tests must run, and fail when openpyxl is missing.
    static let isRequired = ProcessInfo.processInfo.environment["CI"] == "true"
    static let isAvailable: Bool = (try? run(["-c", "import openpyxl"]).status) == 0
    static let skipReason: Comment = "python3 with openpyxl is not available (pip install openpyxl); set CI=true to require it"

    struct Result {
        let status: Int32
        let output: Data
        let errorOutput: String
    }

    /// Runs python3 with `arguments`; output goes through temporary files, so large output cannot block.
    static func run(_ arguments: [String]) throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kamae-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outURL = directory.appendingPathComponent("out"), errURL = directory.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(status: process.terminationStatus, output: try Data(contentsOf: outURL),
                      errorOutput: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Runs the script and returns its standard output, failing the test with its standard error.
    static func script(_ arguments: [String]) throws -> Data {
        try #require(isAvailable, "openpyxl is required (CI=true) but `python3 -c \"import openpyxl\"` fails; run pip install openpyxl")
        let result = try run([script.path] + arguments)
        try #require(result.status == 0, "openpyxl_check.py \(arguments.joined(separator: " ")) failed: \(result.errorOutput)")
        return result.output
    }

    static func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("kamae-xlsx-\(UUID().uuidString)-\(name)")
    }

    // The JSON printed by `openpyxl_check.py dump`.
    struct Dump: Decodable {
        let title: String?
        let creator: String?
        let sheets: [Sheet]
    }

    struct Sheet: Decodable {
        let name: String
        let state: String
        let cells: [[[String]?]]
        let freeze: String?
        let validations: [Validation]
        let boldRows: [Bool]
        let widths: [String: Double]
        let hiddenColumns: [String]
        let wrapColumns: [String]
        let autoFilter: String?

        enum CodingKeys: String, CodingKey {
            case name, state, cells, freeze, validations, widths
            case boldRows = "bold_rows", hiddenColumns = "hidden_columns", wrapColumns = "wrap_columns", autoFilter = "auto_filter"
        }
    }

    struct Validation: Decodable, Equatable {
        let type: String
        let formula1: String?
        let sqref: String
        let allowBlank: Bool
        let showDropdown: Bool
        let showError: Bool
        let errorStyle: String
        let errorTitle: String?
        let error: String?
        let showPrompt: Bool
        let promptTitle: String?
        let prompt: String?

        enum CodingKeys: String, CodingKey {
            case type, formula1, sqref, error, prompt
            case allowBlank = "allow_blank", showDropdown = "show_dropdown", showError = "show_error"
            case errorStyle = "error_style", errorTitle = "error_title", showPrompt = "show_prompt", promptTitle = "prompt_title"
        }
    }

    static func dump(_ data: Data) throws -> Dump {
        let file = temporaryFile("dump.xlsx")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try JSONDecoder().decode(Dump.self, from: script(["dump", file.path]))
    }

    /// A cell as the dump shows it.
    static func json(_ cell: XLSXCell) -> [String]? {
        switch cell {
        case .empty: nil
        case .text(let text): ["s", text]
        case .integer(let value): ["i", String(value)]
        case .number(let value): ["n", String(value)]
        case .bool(let value): ["b", value ? "true" : "false"]
        case .date(let date): ["d", date.iso8601]
        case .error(let code): ["e", code]
        }
    }
}

@Suite("openpyxl as an independent reader and writer", .serialized,
       .enabled(if: Openpyxl.isAvailable || Openpyxl.isRequired, Openpyxl.skipReason))
struct OpenpyxlTests {
    /// Texts and numbers whose reading by openpyxl is checked cell by cell.
    static let edgeCases: [[XLSXCell]] = [
        ["実施済", "経営陣の関与（ガバナンス）①②③", "<tag attr=\"v\">&amp; 'q'</tag>", "]]>"],
        ["  leading", "trailing  ", "line1\nline2", "line1\r\nline2", "emoji 🏦 𠮷"],
        ["a\u{1}b\u{B}c", "=SUM(A1:A2)", "0123", "TRUE"],
        [0.1, -2.5, 1.0, 1e-5, 1e20, .integer(1_234_567_890_123), .integer(-7)],
        [true, false, .date(XLSXDate(year: 2026, month: 3, day: 31)!), .date(XLSXDate(year: 1900, month: 3, day: 1)!), .error("#N/A")],
        [],
        [.empty, .empty, "sparse"],
    ]

    static func workbook() -> XLSXWorkbook {
        var workbook = Support.assessmentWorkbook(rows: 8)
        workbook.sheets.append(XLSXSheet(name: "Edge ケース", rows: edgeCases))
        return workbook
    }

    /// The rows as openpyxl should show them: trailing empties dropped, control characters cleaned.
    static func expectedCells(_ rows: [[XLSXCell]]) -> [[[String]?]] {
        var result = rows.map { row -> [[String]?] in
            var cells = row.map { cell -> [String]? in
                if case .text(let text) = cell { return ["s", text.replacingOccurrences(of: "\u{1}", with: "").replacingOccurrences(of: "\u{B}", with: "\n")] }
                return Openpyxl.json(cell)
            }
            while cells.last == .some(nil) { cells.removeLast() }
            return cells
        }
        while result.last?.isEmpty == true { result.removeLast() }
        return result
    }

    @Test("openpyxl reads our cells, frozen panes, validations, bold headers, widths, hidden columns and the autofilter")
    func openpyxlReadsOurFile() throws {
        let workbook = Self.workbook()
        let dump = try Openpyxl.dump(XLSXWriter().write(workbook))
        #expect(dump.title == "自己評価 2026")
        #expect(dump.creator == "Kamae")
        #expect(dump.sheets.map(\.name) == workbook.sheetNames)
        #expect(dump.sheets.map(\.state) == ["visible", "visible", "hidden", "visible"])
        for (sheet, read) in zip(workbook.sheets, dump.sheets) {
            let expected = Self.expectedCells(sheet.rows)
            #expect(read.cells.count == expected.count, "sheet \(sheet.name)")
            for (index, (row, expectedRow)) in zip(read.cells, expected).enumerated() {
                #expect(row.count == expectedRow.count, "sheet \(sheet.name) row \(index + 1)")
                for (column, (actual, wanted)) in zip(row, expectedRow).enumerated() {
                    let place = "sheet \(sheet.name), cell \(XLSXCellReference(row: index, column: column))"
                    if let actual, let wanted, actual.first == "n", wanted.first == "n" {
                        #expect(Double(actual[1]) == Double(wanted[1]), "\(place)")
                    } else {
                        #expect(actual == wanted, "\(place)")
                    }
                }
            }
            let boldRows = read.boldRows.enumerated().filter(\.element).map(\.offset)
            #expect(boldRows == Array(0..<sheet.headerRowCount), "bold rows of \(sheet.name)")
        }
        let answers = dump.sheets[0]
        #expect(answers.freeze == "B3")
        #expect(dump.sheets[1].freeze == "A2")
        #expect(dump.sheets[3].freeze == nil)
        #expect(answers.autoFilter == "A2:L10")
        #expect(answers.widths["A"] == 14 && answers.widths["E"] == 50 && answers.widths["L"] == 6)
        #expect(answers.hiddenColumns == ["L"])
        #expect(answers.wrapColumns == ["E", "H", "K"])
        #expect(answers.validations == [Openpyxl.Validation(
            type: "list", formula1: "\"実施済,一部実施,未実施,対象外\"", sqref: "F3:F10", allowBlank: true,
            showDropdown: false, showError: true, errorStyle: "stop", errorTitle: "状況の入力エラー",
            error: "実施済・一部実施・未実施・対象外から選んでください。", showPrompt: true, promptTitle: "状況", prompt: "一覧から選択")])
    }

    @Test("a workbook written by openpyxl reads as openpyxl meant it")
    func weReadOpenpyxlFile() throws {
        let file = Openpyxl.temporaryFile("made.xlsx")
        defer { try? FileManager.default.removeItem(at: file) }
        _ = try Openpyxl.script(["make", file.path])
        let workbook = try XLSXReader().read(Data(contentsOf: file))
        #expect(workbook.sheetNames == ["回答", "メタ", "空"])
        #expect(workbook.properties.title == "openpyxl fixture")
        let answers = try #require(workbook.sheet(named: "回答"))
        let expected: [[XLSXCell]] = [
            ["ID", "状況", "点数", "期限", "完了", "式"],
            ["2.1.1-B1", "実施済", 3, .date(XLSXDate(year: 2026, month: 3, day: 31)!), true],
            ["2.1.1-B2", "太字と普通", 2.5, .date(XLSXDate(year: 2026, month: 4, day: 1)!), false],
            [],
            [.empty, .empty, .empty, .empty, 1.5],
            ["  前後に空白\n改行あり  ", 0.1, 1_234_567_890_123, -2.5, .empty, "<&>\"'"],
        ]
        #expect(answers.rows == expected)
        #expect(answers.headerRowCount == 1)
        #expect(answers.frozenRows == 1 && answers.frozenColumns == 0)
        #expect(answers.columns == [XLSXColumn(width: 14)])
        #expect(answers.autoFilter == XLSXRange("A1:F6"))
        #expect(answers.dataValidations == [XLSXDataValidation(
            ranges: [XLSXRange("B2:B6")!], rule: .list(Support.statuses), allowsBlank: true,
            errorAlert: .init(style: .stop, title: "入力エラー", message: "一覧から選んでください"))])
        let meta = try #require(workbook.sheet(named: "メタ"))
        #expect(meta.visibility == .hidden)
        #expect(meta.rows == [["institution", "demo-bank"], ["year", 2026]])
        #expect(workbook.sheet(named: "空")?.rows == [])
    }

    @Test("our workbook opened and saved again by openpyxl reads back unchanged")
    func openpyxlResave() throws {
        let workbook = Self.workbook()
        let original = Openpyxl.temporaryFile("ours.xlsx"), resaved = Openpyxl.temporaryFile("resaved.xlsx")
        defer {
            try? FileManager.default.removeItem(at: original)
            try? FileManager.default.removeItem(at: resaved)
        }
        try XLSXWriter().write(workbook).write(to: original)
        _ = try Openpyxl.script(["resave", original.path, resaved.path])
        let read = try XLSXReader().read(Data(contentsOf: resaved))
        #expect(read.sheetNames == workbook.sheetNames)
        for (sheet, readSheet) in zip(workbook.sheets, read.sheets) {
            // Control characters are cleaned by our writer; openpyxl's writer turns CR LF into LF (it writes a raw
            // CR, which XML parsers fold), and it writes 1.0 as "1", which reads back as an integer.
            let expectedRows = sheet.rows.map { row in
                row.map { cell -> XLSXCell in
                    guard case .text(let text) = cell else { return cell }
                    return .text(text.replacingOccurrences(of: "\u{1}", with: "").replacingOccurrences(of: "\u{B}", with: "\n")
                        .replacingOccurrences(of: "\r\n", with: "\n"))
                }
            }
            for (rowIndex, row) in expectedRows.enumerated() {
                for (columnIndex, cell) in row.enumerated() {
                    let readCell = readSheet.cell(row: rowIndex, column: columnIndex)
                    if case .number(let value) = cell {
                        #expect(readCell.doubleValue == value, "\(sheet.name) \(XLSXCellReference(row: rowIndex, column: columnIndex))")
                    } else {
                        #expect(readCell == cell, "\(sheet.name) \(XLSXCellReference(row: rowIndex, column: columnIndex))")
                    }
                }
            }
            #expect(readSheet.frozenRows == sheet.frozenRows && readSheet.frozenColumns == sheet.frozenColumns)
            #expect(readSheet.headerRowCount == sheet.headerRowCount, "\(sheet.name)")
            #expect(readSheet.dataValidations == sheet.dataValidations)
            #expect(readSheet.autoFilter == sheet.autoFilter)
            #expect(readSheet.visibility == sheet.visibility)
            #expect(readSheet.columns.map(\.width) == sheet.columns.map(\.width))
        }
    }
}
