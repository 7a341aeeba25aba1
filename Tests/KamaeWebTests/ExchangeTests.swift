import Fluent
import Foundation
import KamaeCore
@testable import KamaeWeb
import Testing
import Vapor
import VaporTesting

extension WebTests {
    @Suite struct ExchangeTests {
        var year: Int { FiscalYear.current() }

        func exportedDocument(_ app: Application) async throws -> AssessmentDocument {
            let viewer = try await Visitor.signIn(app, as: "demo-viewer")
            let response = try await viewer.get("/assessments/\(year)/export/json")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .contentDisposition)?.contains("kamae-assessment-FY\(year).json") == true)
            return try JSONDecoder().decode(AssessmentDocument.self, from: Data(buffer: response.body))
        }

        func upload(_ visitor: Visitor, _ document: AssessmentDocument) async throws -> TestingHTTPResponse {
            let data = try JSONEncoder().encode(document)
            let boundary = "kamae-test-boundary"
            var body = ""
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(visitor.csrf)\r\n"
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"answers.json\"\r\nContent-Type: application/json\r\n\r\n"
            var bytes = Data(body.utf8) + data + Data("\r\n--\(boundary)--\r\n".utf8)
            var result: TestingHTTPResponse?
            let headers: HTTPHeaders = ["Cookie": "\(Sessions.cookieName)=\(visitor.cookie)", "Content-Type": "multipart/form-data; boundary=\(boundary)"]
            try await visitor.app.testing().test(.POST, "/assessments/\(year)/import", headers: headers, body: ByteBuffer(data: bytes)) { result = $0 }
            bytes.removeAll()
            return result!
        }

        @Test func exportThenImportRoundTripsAndRecordsChanges() async throws {
            try await withDemoApp { app in
                var document = try await exportedDocument(app)
                #expect(document.answers.count == 176)
                #expect(document.catalogVersion == Catalog.bundled.version.id)
                let index = try #require(document.answers.firstIndex { $0.itemID == "2.2.3-B3" })
                document.answers[index].status = "partial"
                document.answers[index].evidenceText = "パッチ適用基準（2026 年改定）"
                let editor = try await Visitor.signIn(app, as: "demo-editor")
                let response = try await upload(editor, document)
                #expect(response.status == .ok)
                #expect(response.body.string.contains("1 項目が更新されました"))
                let after = try await AssessmentStore.load(institutionID: try institutionID(app), year: year, on: app.db)
                #expect(after.answers["2.2.3-B3"]?.evidenceText == "パッチ適用基準（2026 年改定）")
                let changes = try await AnswerChangeRecord.query(on: app.db).filter(\.$itemID == "2.2.3-B3").all()
                #expect(!changes.isEmpty)
                #expect(changes.allSatisfy { $0.via == "web" })
            }
        }

        @Test func oneBadRowRefusesTheWholeFileAndNamesEveryProblem() async throws {
            try await withDemoApp { app in
                var document = try await exportedDocument(app)
                let before = try await AssessmentStore.load(institutionID: try institutionID(app), year: year, on: app.db)
                document.answers[0].status = "implemented"
                document.answers[0].evidenceText = "changed"
                document.answers[5].maturity = 7
                document.answers[9].status = "not_applicable"
                document.answers[9].notApplicableReason = nil
                document.answers[12].status = "済"
                let editor = try await Visitor.signIn(app, as: "demo-editor")
                let response = try await upload(editor, document)
                #expect(response.status == .unprocessableEntity)
                let html = response.body.string
                #expect(html.contains("何も変更されていません"))
                #expect(html.contains("answers[5] (\(document.answers[5].itemID)).maturity"))
                #expect(html.contains("answers[9] (\(document.answers[9].itemID)).not_applicable_reason"))
                #expect(html.contains("answers[12] (\(document.answers[12].itemID)).status"))
                let after = try await AssessmentStore.load(institutionID: try institutionID(app), year: year, on: app.db)
                #expect(after.answers == before.answers)
            }
        }

        @Test(arguments: ["institution", "year", "catalog"])
        func filesForAnotherInstitutionYearOrEditionAreRefused(_ mismatch: String) async throws {
            try await withDemoApp { app in
                var document = try await exportedDocument(app)
                switch mismatch {
                case "institution": document.institutionID = UUID()
                case "year": document.fiscalYear = year - 1
                default: document.catalogVersion = "fsa-cyber-2099-01-01"
                }
                let editor = try await Visitor.signIn(app, as: "demo-editor")
                let response = try await upload(editor, document)
                #expect(response.status == .unprocessableEntity)
                let expected = ["institution": "別の金融機関のファイルです", "year": "年度のファイルです", "catalog": "ガイドラインの版が異なります"][mismatch]!
                #expect(response.body.string.contains(expected))
            }
        }

        @Test func csvExportIsExcelFriendlyAndNeutralisesFormulas() async throws {
            try await withDemoApp { app in
                let editor = try await Visitor.signIn(app, as: "demo-editor")
                _ = try await editor.post("/assessments/\(year)/items/2.1.1-B5", ["status": "partial", "evidence_text": "=HYPERLINK(\"http://evil\",\"x\"), 続き", "revision": "0"])
                let response = try await editor.get("/assessments/\(year)/export/csv")
                let bytes = Array(Data(buffer: response.body))
                #expect(bytes.prefix(3) == [0xEF, 0xBB, 0xBF])
                let text = response.body.string
                #expect(text.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\"), 続き\""))
                #expect(text.components(separatedBy: "\r\n").count == 178)
            }
        }

        @Test func viewersCannotImport() async throws {
            try await withDemoApp { app in
                let document = try await exportedDocument(app)
                let viewer = try await Visitor.signIn(app, as: "demo-viewer")
                #expect(try await upload(viewer, document).status == .forbidden)
            }
        }
    }

    @Suite struct RemediationTests {
        @Test func actionsAreValidatedListedAndMarkedOverdue() async throws {
            try await withDemoApp { app in
                let editor = try await Visitor.signIn(app, as: "demo-editor")
                let bad = try await editor.post("/remediation", ["title": "", "owner": "IT", "due_date": "2026-13-01", "items": "2.2.1.2-B1, 9.9-B9"])
                #expect(bad.status == .unprocessableEntity)
                #expect(bad.body.string.contains("ガイドラインにない項目 ID です: 9.9-B9"))
                #expect(bad.body.string.contains("期限を YYYY-MM-DD で入力してください。"))
                let good = try await editor.post("/remediation", ["title": "SBOM 整備", "owner": "開発部", "due_date": "2020-01-31", "items": "2.2.1.2-De"])
                #expect(good.status == .seeOther)
                let page = try await editor.get("/remediation").body.string
                #expect(page.contains("SBOM 整備"))
                #expect(page.contains("期限超過 2 件"))  // the demo's overdue action and this one
                let viewer = try await Visitor.signIn(app, as: "demo-viewer")
                #expect(try await viewer.post("/remediation", ["title": "x", "owner": "y", "due_date": "2030-01-01", "items": "2.6-B1"]).status == .forbidden)
            }
        }
    }
}
