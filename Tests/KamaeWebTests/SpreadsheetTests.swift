import Foundation
import KamaeCore
import KamaeXLSX
@testable import KamaeWeb
import Testing
import Vapor
import VaporTesting

/// python3 with openpyxl, the independent reader the XLSX round trip is checked with. Required in CI.
enum OpenPyXL {
    static let available: Bool = {
        if ProcessInfo.processInfo.environment["CI"] == "true" { return true }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import openpyxl"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/edit_assessment_xlsx.py")
}

extension WebTests {
    @Suite struct SpreadsheetTests {
        var year: Int { FiscalYear.current() }

        func exportXLSX(_ visitor: Visitor) async throws -> Data {
            let response = try await visitor.get("/assessments/\(year)/export/xlsx")
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.subType == "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            return Data(buffer: response.body)
        }

        func importFile(_ visitor: Visitor, _ data: Data, name: String) async throws -> TestingHTTPResponse {
            let boundary = "kamae-xlsx-boundary"
            var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(visitor.csrf)\r\n".utf8)
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
            body += data + Data("\r\n--\(boundary)--\r\n".utf8)
            var result: TestingHTTPResponse?
            let headers: HTTPHeaders = ["Cookie": "\(Sessions.cookieName)=\(visitor.cookie)", "Content-Type": "multipart/form-data; boundary=\(boundary)"]
            try await visitor.app.testing().test(.POST, "/assessments/\(year)/import", headers: headers, body: ByteBuffer(data: body)) { result = $0 }
            return result!
        }

        @Test(.enabled(if: OpenPyXL.available, "python3 with openpyxl not found (pip install openpyxl): the independent XLSX check is skipped"))
        func excelRoundTripThroughAnIndependentReader() async throws {
            try await withDemoApp { app in
                let editor = try await Visitor.signIn(app, as: "demo-editor")
                let exported = try await exportXLSX(editor)
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kamae-xlsx-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: directory) }
                let source = directory.appendingPathComponent("exported.xlsx")
                let edited = directory.appendingPathComponent("edited.xlsx")
                try exported.write(to: source)

                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = ["python3", OpenPyXL.script.path, source.path, edited.path, "2.2.3-B3", "一部実施"]
                let output = Pipe()
                process.standardOutput = output
                try process.run()
                let json = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                #expect(process.terminationStatus == 0)
                let report = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
                #expect(report["sheets"] as? [String] == ["回答", "集計", "kamae"])
                #expect(report["hidden"] as? [String] == ["kamae"])
                #expect((report["header_ja"] as? [String])?.prefix(3) == ["項目ID", "節", "番号"])
                #expect((report["header_en"] as? [String])?.prefix(3) == ["Item ID", "Section", "Label"])
                #expect(report["header_bold"] as? Bool == true)
                #expect(report["freeze_panes"] as? String == "B3")
                #expect(report["rows"] as? Int == 176)
                let validations = try #require(report["validations"] as? [[String]])
                #expect(validations.contains(["\"実施済,一部実施,未実施,対象外\"", "G3:G178"]))

                let response = try await importFile(editor, try Data(contentsOf: edited), name: "edited.xlsx")
                #expect(response.status == .ok, "\(response.body.string.prefix(500))")
                let after = try await AssessmentStore.load(institutionID: try institutionID(app), year: year, on: app.db)
                #expect(after.answers["2.2.3-B3"]?.status == .partial)
                #expect(after.answers["2.2.3-B3"]?.evidenceText == "openpyxl で編集")
            }
        }

        @Test func spreadsheetErrorsNameTheSheetRowAndColumnAndChangeNothing() async throws {
            try await withDemoApp { app in
                let editor = try await Visitor.signIn(app, as: "demo-editor")
                var workbook = try XLSXReader().read(try await exportXLSX(editor))
                let index = try #require(workbook.sheets.firstIndex { $0.name == "回答" })
                workbook.sheets[index].rows[2][6] = .text("だいたい")       // G3: unknown status
                workbook.sheets[index].rows[4][7] = .integer(8)             // H5: maturity out of range
                workbook.sheets[index].rows[5][0] = .text("9.9-B9")         // A6: unknown item
                let before = try await AssessmentStore.load(institutionID: try institutionID(app), year: year, on: app.db)
                let response = try await importFile(editor, try XLSXWriter().write(workbook), name: "broken.xlsx")
                #expect(response.status == .unprocessableEntity)
                let html = response.body.string
                #expect(html.contains("回答 sheet, row 3, column G (実施状況 / Status)"))
                #expect(html.contains("回答 sheet, row 5, column H (成熟度 / Maturity)"))
                #expect(html.contains("回答 sheet, row 6 (9.9-B9)"))
                let after = try await AssessmentStore.load(institutionID: try institutionID(app), year: year, on: app.db)
                #expect(after.answers == before.answers)
            }
        }

        @Test func workbooksFromElsewhereAreRefused() async throws {
            try await withDemoApp { app in
                let editor = try await Visitor.signIn(app, as: "demo-editor")
                var workbook = try XLSXReader().read(try await exportXLSX(editor))
                let meta = try #require(workbook.sheets.firstIndex { $0.name == "kamae" })
                let yearRow = try #require(workbook.sheets[meta].rows.firstIndex { $0.first?.text == "fiscal_year" })
                workbook.sheets[meta].rows[yearRow][1] = .integer(year - 1)
                let response = try await importFile(editor, try XLSXWriter().write(workbook), name: "last-year.xlsx")
                #expect(response.status == .unprocessableEntity)
                #expect(response.body.string.contains("年度のファイルです"))
                let notKamae = try await importFile(editor, try XLSXWriter().write(XLSXWorkbook(sheets: [XLSXSheet(name: "Sheet1", rows: [["a"]])])), name: "other.xlsx")
                #expect(notKamae.status == .unprocessableEntity)
                #expect(notKamae.body.string.contains("Kamae が出力したブックではありません"))
                let garbage = try await importFile(editor, Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]), name: "truncated.xlsx")
                #expect(garbage.status == .unprocessableEntity)
                #expect(garbage.body.string.contains("Excel ファイルとして読めません"))
            }
        }
    }
}
