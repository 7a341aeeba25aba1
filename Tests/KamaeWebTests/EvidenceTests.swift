import Fluent
import Foundation
import KamaeCore
@testable import KamaeWeb
import Testing
import Vapor
import VaporTesting

extension WebTests {
    @Suite struct EvidenceTests {
        var year: Int { FiscalYear.current() }

        func upload(_ visitor: Visitor, item: String, name: String, bytes: Data, effective: String = "", expiry: String = "") async throws -> TestingHTTPResponse {
            let boundary = "kamae-evidence-boundary"
            var body = Data()
            for (field, value) in [("_csrf", visitor.csrf), ("effective_date", effective), ("expiry_date", expiry)] {
                body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"\r\n\r\n\(value)\r\n".utf8)
            }
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
            body += bytes + Data("\r\n--\(boundary)--\r\n".utf8)
            var result: TestingHTTPResponse?
            let headers: HTTPHeaders = ["Cookie": "\(Sessions.cookieName)=\(visitor.cookie)", "Content-Type": "multipart/form-data; boundary=\(boundary)"]
            try await visitor.app.testing().test(.POST, "/assessments/\(year)/items/\(item)/evidence", headers: headers, body: ByteBuffer(data: body)) { result = $0 }
            return result!
        }

        static let pdf = Data("%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".utf8)

        @Test func anAttachedFileKeepsItsHashAndComesBackAsADownload() async throws {
            try await withDemoApp { app in
                let editor = try await Visitor.signIn(app, as: "demo-editor")
                let response = try await upload(editor, item: "2.1.2-B1", name: "../../規程/情報セキュリティ規程.pdf", bytes: Self.pdf, effective: "2026-04-01", expiry: "2020-03-31")
                #expect(response.status == .unprocessableEntity)   // expiry before the effective date
                #expect(try await upload(editor, item: "2.1.2-B1", name: "../../規程/情報セキュリティ規程.pdf", bytes: Self.pdf, effective: "2025-04-01", expiry: "2026-03-31").status == .seeOther)
                let stored = try #require(try await EvidenceFileRecord.query(on: app.db).first())
                #expect(stored.filename == "情報セキュリティ規程.pdf")
                #expect(stored.sha256 == SHA256.hash(data: Self.pdf).map { String(format: "%02x", $0) }.joined())
                #expect(stored.size == Self.pdf.count)
                let page = try await editor.get("/assessments/\(year)/items/2.1.2-B1").body.string
                #expect(page.contains("情報セキュリティ規程.pdf"))
                #expect(page.contains("（期限切れ）"))
                let download = try await editor.get("/assessments/\(year)/evidence/\(try stored.requireID())")
                #expect(download.status == .ok)
                #expect(Data(buffer: download.body) == Self.pdf)
                #expect(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment") == true)
                #expect(download.headers.contentType?.description == "application/pdf")
            }
        }

        @Test(arguments: [
            ("report.pdf", Data("<html><script>alert(1)</script></html>".utf8)),   // not what the name says
            ("image.svg", Data("<svg xmlns='http://www.w3.org/2000/svg'/>".utf8)),  // not an accepted type
            ("empty.txt", Data()),
            ("binary.txt", Data([0x41, 0x00, 0x42])),
        ])
        func contentDecidesWhatIsAccepted(name: String, bytes: Data) async throws {
            try await withDemoApp { app in
                let editor = try await Visitor.signIn(app, as: "demo-editor")
                let response = try await upload(editor, item: "2.1.2-B1", name: name, bytes: bytes)
                #expect(response.status == .unprocessableEntity, "\(name)")
                let count = try await EvidenceFileRecord.query(on: app.db).count()
                #expect(count == 0)
            }
        }

        @Test func oversizedFilesAreRefused() async throws {
            try await withDemoApp { app in
                let editor = try await Visitor.signIn(app, as: "demo-editor")
                var big = Self.pdf
                big.append(Data(repeating: 0x20, count: EvidenceRules.maximumSize))
                let response = try await upload(editor, item: "2.1.2-B1", name: "big.pdf", bytes: big)
                #expect(response.status == .unprocessableEntity || response.status == .payloadTooLarge)
                let count = try await EvidenceFileRecord.query(on: app.db).count()
                #expect(count == 0)
            }
        }

        @Test func onlyEditorsAttachAndOtherInstitutionsNeverSeeFiles() async throws {
            try await withDemoApp { app in
                let editor = try await Visitor.signIn(app, as: "demo-editor")
                _ = try await upload(editor, item: "2.1.2-B1", name: "policy.pdf", bytes: Self.pdf)
                let id = try #require(try await EvidenceFileRecord.query(on: app.db).first()?.requireID())
                let viewer = try await Visitor.signIn(app, as: "demo-viewer")
                #expect(try await upload(viewer, item: "2.1.2-B1", name: "x.pdf", bytes: Self.pdf).status == .forbidden)
                #expect(try await viewer.get("/assessments/\(year)/evidence/\(id)").status == .ok)
                let other = InstitutionRecord(name: "他行", institutionType: "regional-banks", sizeBand: "small", createdAt: Date())
                try await other.create(on: app.db)
                try await UserRecord(institutionID: try other.requireID(), login: "other-viewer", displayName: "他行", role: "viewer", passwordHash: try app.password.hash("other-password-123"), createdAt: Date()).create(on: app.db)
                let outsider = try await Visitor.signIn(app, as: "other-viewer", password: "other-password-123")
                #expect(try await outsider.get("/assessments/\(year)/evidence/\(id)").status == .notFound)
            }
        }
    }
}
