import Foundation
import KamaeCore
@testable import KamaeWeb
import Testing
import Vapor
import VaporTesting

extension WebTests {
    /// Pages and lists are served from memory while the answers' stamp is unchanged: every write must show at once,
    /// whichever way it came in, and a client revalidating an unchanged list gets 304.
    @Suite struct ReadCachingTests {
        var year: Int { FiscalYear.current() }

        func get(_ app: Application, _ path: String, token: String, etag: String? = nil) async throws -> TestingHTTPResponse {
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: token)
            if let etag { headers.replaceOrAdd(name: .ifNoneMatch, value: etag) }
            var result: TestingHTTPResponse?
            try await app.testing().test(.GET, path, headers: headers) { result = $0 }
            return try #require(result)
        }

        struct Listed: Decodable {
            struct Row: Decodable {
                var item_id: String
                var evidence_text: String?
                var revision: Int
            }
            var data: [Row]
        }

        @Test func theAnswersListRevalidatesAndShowsEveryWriteAtOnce() async throws {
            try await withDemoApp { app in
                let token = try await APITokenFixtures.make(app, role: .editor)
                let path = "/api/v1/assessments/\(year)/answers?per_page=200"
                let first = try await get(app, path, token: token)
                #expect(first.status == .ok)
                let etag = try #require(first.headers.first(name: .eTag))
                #expect(first.headers.first(name: .cacheControl) == "no-store")
                #expect(try await get(app, path, token: token, etag: etag).status == .notModified)
                let before = try JSONDecoder().decode(Listed.self, from: Data(buffer: first.body))
                let row = try #require(before.data.first { $0.item_id == "2.1.1-B1" })

                // A write through the API…
                var headers = HTTPHeaders()
                headers.bearerAuthorization = BearerAuthorization(token: token)
                headers.contentType = .json
                let body = #"{"status":"implemented","maturity":3,"evidence_text":"規程 第 3 版","revision":\#(row.revision)}"#
                try await app.testing().test(.PUT, "/api/v1/assessments/\(year)/answers/2.1.1-B1", headers: headers, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .ok)
                }
                let second = try await get(app, path, token: token, etag: etag)
                #expect(second.status == .ok)
                #expect(second.headers.first(name: .eTag) != etag)
                let listed = try JSONDecoder().decode(Listed.self, from: Data(buffer: second.body))
                #expect(listed.data.first { $0.item_id == "2.1.1-B1" }?.evidence_text == "規程 第 3 版")

                // …and one written by another process (an import from the CLI, say) straight into the database.
                let assessment = try await AssessmentStore.load(institutionID: try institutionID(app), year: year, on: app.db)
                var edited = try #require(assessment.answers["2.1.1-B1"])
                edited.evidenceText = "規程 第 4 版"
                let answer = edited
                _ = try await app.db.transaction { database in
                    try await AssessmentStore.writeMany([answer], assessmentID: assessment.id, by: .cli(), on: database, now: Date())
                }
                let third = try await get(app, path, token: token)
                let relisted = try JSONDecoder().decode(Listed.self, from: Data(buffer: third.body))
                #expect(relisted.data.first { $0.item_id == "2.1.1-B1" }?.evidence_text == "規程 第 4 版")
            }
        }

        @Test func theOverviewFollowsAnswersAndWorkflow() async throws {
            try await withDemoApp { app in
                let editor = try await Visitor.signIn(app, as: "demo-editor")
                let before = try await editor.get("/assessments/\(year)")
                #expect(before.status == .ok)
                #expect(before.body.string.contains(#"class="state state-draft""#))
                let assessment = try await AssessmentStore.load(institutionID: try institutionID(app), year: year, on: app.db)
                let unanswered = try #require(Catalog.bundled.items.first { assessment.answers[$0.id]?.status == nil })
                _ = try await app.db.transaction { database in
                    try await AssessmentStore.writeMany(
                        [Answer(itemID: unanswered.id, status: .notImplemented)], assessmentID: assessment.id, by: .cli(), on: database, now: Date()
                    )
                }
                let after = try await editor.get("/assessments/\(year)")
                #expect(after.body.string != before.body.string)
                let user = try #require(try await Sessions.find(tokenHash: Sessions.hash(editor.cookie), on: app.db)?.user)
                let reloaded = try await AssessmentStore.load(institutionID: user.institutionID, year: year, on: app.db)
                _ = try await AssessmentStore.transition(reloaded, action: .submit, actor: user, audit: .cli(), reason: nil, on: app.db)
                let submitted = try await editor.get("/assessments/\(year)")
                #expect(submitted.body.string.contains(#"class="state state-submitted""#))
            }
        }
    }
}
