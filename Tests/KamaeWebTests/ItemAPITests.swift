import Foundation
import KamaeCore
@testable import KamaeWeb
import Testing
import Vapor
import VaporTesting

extension WebTests {
    /// What the pages do for one item — comments, evidence, history — plus imports and the roadmap, through the API.
    @Suite struct ItemAPITests {
        var year: Int { FiscalYear.current() }

        func call(_ app: Application, _ method: HTTPMethod, _ path: String, token: String, body: ByteBuffer? = nil, type: HTTPMediaType = .json) async throws -> TestingHTTPResponse {
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: token)
            if body != nil { headers.contentType = type }
            var result: TestingHTTPResponse?
            try await app.testing().test(method, path, headers: headers, body: body) { result = $0 }
            return try #require(result)
        }

        func json(_ response: TestingHTTPResponse) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
        }

        @Test func commentsEvidenceAndHistoryOfOneItem() async throws {
            try await withDemoApp { app in
                let editor = try await APITokenFixtures.make(app, role: .editor)
                let auditor = try await APITokenFixtures.make(app, role: .auditor)
                let item = "/api/v1/assessments/\(year)/items/2.2.3-B1"
                #expect(try await call(app, .POST, item + "/comments", token: auditor, body: ByteBuffer(string: #"{"body":"脆弱性の対応期限を確認"}"#)).status == .created)
                let bytes = Array("パッチ適用基準 2026".utf8)
                let uploaded = try await call(app, .POST, item + "/evidence?filename=基準.txt&effective_date=2026-04-01&expiry_date=2026-05-01", token: editor, body: ByteBuffer(bytes: bytes), type: .binary)
                #expect(uploaded.status == .created)
                let evidence = try json(uploaded)
                #expect(evidence["sha256"] as? String == SHA256.hash(data: bytes).hexString)
                let id = try #require(evidence["id"] as? String)
                let download = try await call(app, .GET, "/api/v1/assessments/\(year)/evidence/\(id)", token: auditor)
                #expect(Array(download.body.readableBytesView) == bytes)
                #expect(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment") == true)
                var detail = try json(try await call(app, .GET, item, token: auditor))
                #expect((detail["comments"] as? [[String: Any]])?.first?["body"] as? String == "脆弱性の対応期限を確認")
                #expect((detail["evidence"] as? [[String: Any]])?.first?["expired"] as? Bool == (ISODate.today() > ISODate("2026-05-01")!))
                #expect(try await call(app, .DELETE, "/api/v1/assessments/\(year)/evidence/\(id)", token: auditor).status == .forbidden)
                #expect(try await call(app, .DELETE, "/api/v1/assessments/\(year)/evidence/\(id)", token: editor).status == .noContent)
                detail = try json(try await call(app, .GET, item, token: auditor))
                #expect((detail["evidence"] as? [Any])?.isEmpty == true)
                let revision = try #require((detail["answer"] as? [String: Any])?["revision"] as? Int)
                #expect(try await call(app, .PUT, "/api/v1/assessments/\(year)/answers/2.2.3-B1", token: editor, body: ByteBuffer(string: #"{"status":"partial","evidence_text":"API 履歴","revision":\#(revision)}"#)).status == .ok)
                detail = try json(try await call(app, .GET, item, token: auditor))
                #expect((detail["history"] as? [[String: Any]])?.contains { $0["field"] as? String == "evidence_text" && $0["new_value"] as? String == "API 履歴" } == true)
            }
        }

        @Test func importsAreAllOrNothingThroughTheAPI() async throws {
            try await withDemoApp { app in
                let editor = try await APITokenFixtures.make(app, role: .editor)
                let exported = try await call(app, .GET, "/api/v1/assessments/\(year)/export/json", token: editor)
                var document = try JSONDecoder().decode(AssessmentDocument.self, from: Data(buffer: exported.body))
                document.answers[0].evidenceText = "API から取込"
                let good = try JSONEncoder().encode(document)
                let imported = try await call(app, .POST, "/api/v1/assessments/\(year)/import", token: editor, body: ByteBuffer(data: good))
                #expect(imported.status == .ok)
                #expect(try json(imported)["changed"] as? Int == 1)
                document.answers[1].status = "maybe"
                document.answers[2].maturity = 9
                let refused = try await call(app, .POST, "/api/v1/assessments/\(year)/import", token: editor, body: ByteBuffer(data: try JSONEncoder().encode(document)))
                #expect(refused.status == .unprocessableEntity)
                let detail = try #require(try json(refused)["detail"] as? String)
                #expect(detail.contains("2 件") || detail.contains("2 problem"), "\(detail)")
                let after = try await AssessmentStore.load(institutionID: try institutionID(app), year: year, on: app.db)
                #expect(after.answers[document.answers[1].itemID]?.status?.rawValue != "maybe")
            }
        }

        @Test func theRoadmapThroughTheAPI() async throws {
            try await withDemoApp { app in
                let editor = try await APITokenFixtures.make(app, role: .editor)
                let created = try await call(app, .POST, "/api/v1/remediation", token: editor,
                                             body: ByteBuffer(string: #"{"title":"SBOM の整備","owner":"システム部","due_date":"2020-01-31","item_ids":["2.2.1.2-Da"]}"#))
                #expect(created.status == .created)
                let action = try json(created)
                #expect(action["overdue"] as? Bool == true)
                let id = try #require(action["id"] as? String)
                let done = try await call(app, .PATCH, "/api/v1/remediation/\(id)", token: editor, body: ByteBuffer(string: #"{"status":"done"}"#))
                #expect(try json(done)["overdue"] as? Bool == false)
                let listed = try JSONSerialization.jsonObject(with: Data(buffer: try await call(app, .GET, "/api/v1/remediation", token: editor).body)) as? [[String: Any]]
                #expect(listed?.contains { $0["id"] as? String == id && $0["status"] as? String == "done" } == true)
                let bad = try await call(app, .POST, "/api/v1/remediation", token: editor, body: ByteBuffer(string: #"{"title":"x","owner":"y","due_date":"31/01/2027","item_ids":["2.1.1-B1"]}"#))
                #expect(bad.status == .unprocessableEntity)
                #expect((try json(bad)["parameter"] as? String) == "due_date")
            }
        }
    }
}
