import Fluent
import Foundation
import KamaeCore
@testable import KamaeWeb
import Testing
import Vapor
import VaporTesting

extension WebTests {
    @Suite struct SignInTests {
        @Test func pagesNeedASignedInUser() async throws {
            try await withDemoApp { app in
                try await app.testing().test(.GET, "/assessments/2026") { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers.first(name: .location) == "/login?return=/assessments/2026")
                }
            }
        }

        @Test func wrongPasswordIsRefusedWithoutSayingWhichPartWasWrong() async throws {
            try await withDemoApp { app in
                for (login, password) in [("demo-editor", "wrong-password"), ("nobody", DemoData.password)] {
                    try await app.testing().test(.POST, "/login", beforeRequest: { request in
                        try request.content.encode(["login": login, "password": password], as: .urlEncodedForm)
                    }, afterResponse: { response in
                        #expect(response.status == .unauthorized)
                        #expect(response.body.string.contains("ログイン ID またはパスワードが正しくありません。"))
                        #expect(response.headers.setCookie?[Sessions.cookieName] == nil)
                    })
                }
            }
        }

        @Test func sessionsAreStoredHashedAndEndAtLogout() async throws {
            try await withDemoApp { app in
                let visitor = try await Visitor.signIn(app, as: "demo-editor")
                let stored = try await UserSessionRecord.query(on: app.db).all()
                #expect(stored.count == 1)
                #expect(stored.first?.tokenHash == Sessions.hash(visitor.cookie))
                #expect(stored.first?.tokenHash != visitor.cookie)
                #expect(try await visitor.get("/assessments").status == .ok)
                let logout = try await visitor.post("/logout", [:])
                #expect(logout.status == .seeOther)
                let remaining = try await UserSessionRecord.query(on: app.db).count()
                #expect(remaining == 0)
                #expect(try await visitor.get("/assessments").status == .seeOther)
            }
        }

        @Test func idleSessionsExpire() async throws {
            try await withDemoApp { app in
                let visitor = try await Visitor.signIn(app, as: "demo-viewer")
                let session = try #require(try await UserSessionRecord.query(on: app.db).first())
                session.lastSeenAt = Date().addingTimeInterval(-(Sessions.idleTimeout + 60))
                try await session.save(on: app.db)
                let response = try await visitor.get("/assessments")
                #expect(response.status == .seeOther)
                let remaining = try await UserSessionRecord.query(on: app.db).count()
                #expect(remaining == 0)
            }
        }

        @Test func formsWithoutTheCSRFTokenChangeNothing() async throws {
            try await withDemoApp { app in
                let visitor = try await Visitor.signIn(app, as: "demo-editor")
                let response = try await visitor.post("/assessments/2026/items/2.1.1-B5", ["status": "implemented", "revision": "0"], csrf: false)
                #expect(response.status == .forbidden)
                #expect(response.body.string.contains("フォームの有効期限切れ"))
                let assessment = try await AssessmentStore.load(institutionID: try institutionID(app), year: FiscalYear.current(), on: app.db)
                #expect(assessment.answers["2.1.1-B5"] == nil)
            }
        }

        @Test func changingThePasswordEndsOtherSessions() async throws {
            try await withDemoApp { app in
                let first = try await Visitor.signIn(app, as: "demo-auditor")
                let second = try await Visitor.signIn(app, as: "demo-auditor")
                let weak = try await second.post("/account/password", ["current": DemoData.password, "new": "short", "confirm": "short"])
                #expect(weak.status == .unprocessableEntity)
                let changed = try await second.post("/account/password", ["current": DemoData.password, "new": "a-much-longer-passphrase", "confirm": "a-much-longer-passphrase"])
                #expect(changed.status == .ok)
                #expect(try await first.get("/assessments").status == .seeOther)
                #expect(try await second.get("/assessments").status == .ok)
                _ = try await Visitor.signIn(app, as: "demo-auditor", password: "a-much-longer-passphrase")
            }
        }
    }

    @Suite struct AnsweringTests {
        var year: Int { FiscalYear.current() }

        @Test func anEditorAnswersAndTheHistoryRecordsIt() async throws {
            try await withDemoApp { app in
                let editor = try await Visitor.signIn(app, as: "demo-editor")
                let path = "/assessments/\(year)/items/2.1.1-B5"
                let saved = try await editor.post(path, ["status": "partial", "maturity": "2", "evidence_text": "DX 推進規程 第 5 条", "owner": "システム部", "target_date": "2027-03-31", "revision": "0"])
                #expect(saved.status == .seeOther)
                let location = try #require(saved.headers.first(name: .location))
                #expect(location == "\(path)?saved=1")
                let page = try await editor.get(location)
                #expect(page.body.string.contains("保存しました。"))
                #expect(page.body.string.contains("DX 推進規程 第 5 条"))
                let changes = try await AnswerChangeRecord.query(on: app.db).filter(\.$itemID == "2.1.1-B5").all()
                #expect(Set(changes.map(\.field)) == ["status", "maturity", "evidence_text", "owner", "target_date"])
                #expect(changes.first { $0.field == "status" }?.newValue == "partial")
            }
        }

        @Test func aStaleFormIsAConflictAndOverwritesNothing() async throws {
            try await withDemoApp { app in
                let editor = try await Visitor.signIn(app, as: "demo-editor")
                let path = "/assessments/\(year)/items/2.1.1-B1"
                let assessment = try await AssessmentStore.load(institutionID: try institutionID(app), year: year, on: app.db)
                let revision = try #require(assessment.revisions["2.1.1-B1"])
                #expect(try await editor.post(path, ["status": "implemented", "maturity": "5", "revision": String(revision)]).status == .seeOther)
                // A second person still holds the form at the old revision.
                let stale = try await editor.post(path, ["status": "not_implemented", "revision": String(revision)])
                #expect(stale.status == .conflict)
                #expect(stale.body.string.contains("別の人が更新しました"))
                let after = try await AssessmentStore.load(institutionID: try institutionID(app), year: year, on: app.db)
                #expect(after.answers["2.1.1-B1"]?.status == .implemented)
                #expect(after.answers["2.1.1-B1"]?.maturity == .optimised)
            }
        }

        @Test func notApplicableNeedsAReasonAndKeepsWhatWasTyped() async throws {
            try await withDemoApp { app in
                let editor = try await Visitor.signIn(app, as: "demo-editor")
                let response = try await editor.post("/assessments/\(year)/items/2.1.1-B5", ["status": "not_applicable", "evidence_text": "入力途中のメモ", "revision": "0"])
                #expect(response.status == .unprocessableEntity)
                #expect(response.body.string.contains("対象外とする理由を記入してください。"))
                #expect(response.body.string.contains("入力途中のメモ"))
            }
        }

        @Test func rolesThatDoNotEnterCannotSave() async throws {
            try await withDemoApp { app in
                for login in ["demo-viewer", "demo-auditor", "demo-approver", "demo-admin"] {
                    let visitor = try await Visitor.signIn(app, as: login)
                    let response = try await visitor.post("/assessments/\(year)/items/2.1.1-B5", ["status": "implemented", "revision": "0"])
                    #expect(response.status == .forbidden, "\(login)")
                }
                let auditor = try await Visitor.signIn(app, as: "demo-auditor")
                #expect(try await auditor.post("/assessments/\(year)/items/2.1.1-B5/comments", ["body": "根拠資料を添付してください"]).status == .seeOther)
                let viewer = try await Visitor.signIn(app, as: "demo-viewer")
                #expect(try await viewer.post("/assessments/\(year)/items/2.1.1-B5/comments", ["body": "x"]).status == .forbidden)
            }
        }

        @Test func theYearlyWorkflowWithSeparatedDuties() async throws {
            try await withDemoApp { app in
                let editor = try await Visitor.signIn(app, as: "demo-editor")
                let approver = try await Visitor.signIn(app, as: "demo-approver")
                let admin = try await Visitor.signIn(app, as: "demo-admin")
                let base = "/assessments/\(year)"
                #expect(try await approver.post("\(base)/workflow", ["action": "approve"]).status == .conflict)   // nothing submitted yet
                #expect(try await editor.post("\(base)/workflow", ["action": "submit"]).status == .seeOther)
                #expect(try await editor.post("\(base)/workflow", ["action": "approve"]).status == .forbidden)
                // Submitted: nobody can change answers until the approver decides.
                #expect(try await editor.post("\(base)/items/2.1.1-B5", ["status": "implemented", "revision": "0"]).status == .conflict)
                #expect(try await approver.post("\(base)/workflow", ["action": "return"]).status == .unprocessableEntity)
                #expect(try await approver.post("\(base)/workflow", ["action": "return", "reason": "2.6 の根拠が不足"]).status == .seeOther)
                #expect(try await editor.post("\(base)/workflow", ["action": "submit"]).status == .seeOther)
                #expect(try await approver.post("\(base)/workflow", ["action": "approve"]).status == .seeOther)
                // Approved is locked, and only an administrator reopens it, with a reason.
                let locked = try await editor.post("\(base)/items/2.1.1-B5", ["status": "implemented", "revision": "0"])
                #expect(locked.status == .conflict)
                #expect(locked.body.string.contains("管理者による再オープンが必要です"))
                #expect(try await approver.post("\(base)/workflow", ["action": "reopen", "reason": "x"]).status == .forbidden)
                #expect(try await admin.post("\(base)/workflow", ["action": "reopen", "reason": "監査指摘への対応"]).status == .seeOther)
                let events = try await AssessmentEventRecord.query(on: app.db).sort(\.$occurredAt).all()
                #expect(events.map(\.action) == ["submit", "return", "submit", "approve", "reopen"])
                #expect(events.last?.reason == "監査指摘への対応")
                let overview = try await editor.get(base)
                #expect(overview.body.string.contains("監査指摘への対応"))
            }
        }

        @Test func aNewYearCarriesLastYearForward() async throws {
            try await withDemoApp { app in
                let editor = try await Visitor.signIn(app, as: "demo-editor")
                let created = try await editor.post("/assessments", ["year": String(year + 1)])
                #expect(created.status == .seeOther)
                let previous = try await AssessmentStore.load(institutionID: try institutionID(app), year: year, on: app.db)
                let next = try await AssessmentStore.load(institutionID: try institutionID(app), year: year + 1, on: app.db)
                #expect(next.state == .draft)
                #expect(next.answers == previous.answers)
                #expect(try await editor.post("/assessments", ["year": String(year + 1)]).status == .conflict)
                #expect(try await editor.post("/assessments", ["year": "abc"]).status == .badRequest)
            }
        }

        @Test func dashboardShowsHeadlineChartsAndFilters() async throws {
            try await withDemoApp { app in
                let viewer = try await Visitor.signIn(app, as: "demo-viewer")
                let page = try await viewer.get("/assessments/\(year)").body.string
                let score = Scoring.score(catalog: .bundled, answers: try await AssessmentStore.load(institutionID: try institutionID(app), year: year, on: app.db).answers)
                #expect(page.contains(String(format: "%.1f%%", score.basicCoverage.percent ?? 0)))
                #expect(page.contains("id=\"chart-sections\""))
                #expect(page.contains("id=\"chart-trend\""))
                #expect(!page.contains("id=\"workflow-submit\""))   // a viewer gets no buttons
                let unanswered = try await viewer.get("/assessments/\(year)?filter=unanswered").body.string
                #expect(!unanswered.contains("status-implemented\">"))
                #expect(try await viewer.get("/assessments/\(year)?filter=bogus").status == .badRequest)
                let gaps = try await viewer.get("/assessments/\(year)/gaps")
                #expect(gaps.status == .ok)
                #expect(gaps.body.string.contains("action overdue"))
                #expect(try await viewer.get("/assessments/\(year)/print").status == .ok)
            }
        }
    }

    @Suite struct TenantIsolationTests {
        @Test func anotherInstitutionSeesNothingOfTheDemoBank() async throws {
            try await withDemoApp { app in
                let other = InstitutionRecord(name: "他行", institutionType: "regional-banks", sizeBand: "small", createdAt: Date())
                try await other.create(on: app.db)
                let user = UserRecord(institutionID: try other.requireID(), login: "other-editor", displayName: "他行 担当", role: "editor", passwordHash: try app.password.hash("other-password-123"), createdAt: Date())
                try await user.create(on: app.db)
                let visitor = try await Visitor.signIn(app, as: "other-editor", password: "other-password-123")
                let year = FiscalYear.current()
                #expect(try await visitor.get("/assessments/\(year)").status == .notFound)
                #expect(try await visitor.post("/assessments/\(year)/items/2.1.1-B1", ["status": "not_implemented", "revision": "1"]).status == .notFound)
                let list = try await visitor.get("/assessments").body.string
                #expect(!list.contains("year-link"))
                #expect(try await visitor.post("/assessments", ["year": String(year)]).status == .seeOther)
                let own = try await visitor.get("/assessments/\(year)").body.string
                #expect(own.contains("0 / 176"))
                #expect(!own.contains("デモ銀行"))
            }
        }
    }
}

func institutionID(_ app: Application) async throws -> UUID {
    try #require(try await InstitutionRecord.query(on: app.db).filter(\.$name == DemoData.institutionName).first()?.requireID())
}
