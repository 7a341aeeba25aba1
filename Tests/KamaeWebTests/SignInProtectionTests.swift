import Fluent
import SQLKit
import Foundation
import KamaeCore
import KamaeTrust
@testable import KamaeWeb
import Testing
import Vapor
import VaporTesting

extension WebTests {
    /// Lockout after failed sign-ins, the second factor for privileged roles, and the password rules.
    @Suite struct SignInProtectionTests {
        func postLogin(_ app: Application, _ login: String, _ password: String) async throws -> TestingHTTPResponse {
            var result: TestingHTTPResponse?
            try await app.testing().test(.POST, "/login", beforeRequest: { request in
                try request.content.encode(["login": login, "password": password], as: .urlEncodedForm)
            }, afterResponse: { result = $0 })
            return try #require(result)
        }

        func post(_ app: Application, _ path: String, cookie: String, _ form: [String: String]) async throws -> TestingHTTPResponse {
            var result: TestingHTTPResponse?
            try await app.testing().test(.POST, path, headers: ["Cookie": "\(Sessions.cookieName)=\(cookie)"], beforeRequest: { request in
                try request.content.encode(form, as: .urlEncodedForm)
            }, afterResponse: { result = $0 })
            return try #require(result)
        }

        func get(_ app: Application, _ path: String, cookie: String) async throws -> TestingHTTPResponse {
            var result: TestingHTTPResponse?
            try await app.testing().test(.GET, path, headers: ["Cookie": "\(Sessions.cookieName)=\(cookie)"]) { result = $0 }
            return try #require(result)
        }

        @Test func fiveFailuresLockTheAccountAndUnknownLoginsLookTheSame() async throws {
            try await withDemoApp { app in
                for _ in 1...4 { #expect(try await postLogin(app, "demo-viewer", "wrong-password-1").status == .unauthorized) }
                let fifth = try await postLogin(app, "demo-viewer", "wrong-password-1")
                #expect(fifth.status == .tooManyRequests)
                // Locked: even the right password is refused, with the time to wait.
                let locked = try await postLogin(app, "demo-viewer", DemoData.password)
                #expect(locked.status == .tooManyRequests)
                #expect(locked.body.string.contains("一時的にロック"))
                for _ in 1...5 { _ = try await postLogin(app, "no-such-login", "wrong-password-1") }
                let unknown = try await postLogin(app, "no-such-login", "wrong-password-1")
                #expect(unknown.status == locked.status)
                let actions = try await (app.db as! any SQLDatabase).raw("SELECT action FROM audit_log").all().map { try $0.decode(column: "action", as: String.self) }
                #expect(actions.contains("account.locked"))
                #expect(actions.contains("session.login.refused"))
                // Another person is not affected.
                #expect(try await postLogin(app, "demo-editor", DemoData.password).status == .seeOther)
            }
        }

        @Test func privilegedRolesMustSetUpMFABeforeTheySeeAnything() async throws {
            try await withDemoApp { app in
                let institution = try await institutionID(app)
                let admin = UserRecord(
                    institutionID: institution, login: "new-admin", displayName: "新任 管理者", role: Role.admin.rawValue,
                    passwordHash: try app.password.hash("long enough passphrase 2026"), createdAt: Date()
                )
                try await admin.create(on: app.db)
                let first = try await postLogin(app, "new-admin", "long enough passphrase 2026")
                #expect(first.status == .seeOther)
                #expect(first.headers.first(name: .location)?.hasPrefix("/account/mfa") == true)
                let pending = try #require(first.headers.setCookie?[Sessions.cookieName]?.string)
                // Half signed-in: nothing else opens.
                let elsewhere = try await get(app, "/assessments", cookie: pending)
                #expect(elsewhere.status == .seeOther && elsewhere.headers.first(name: .location) == "/account/mfa")
                let setup = try await get(app, "/account/mfa", cookie: pending)
                #expect(setup.body.string.contains("id=\"mfa-qr\""))
                let csrf = try #require(Visitor.csrfToken(in: setup.body.string))
                let sealed = try #require(try await UserRecord.query(on: app.db).filter(\.$login == "new-admin").first()?.mfaPendingSecret)
                #expect(!setup.body.string.contains(sealed))
                // Stored sealed: the database alone does not give the secret away.
                let secret = try app.sealedSecrets.open(sealed, purpose: SecondFactorController.purpose)
                #expect(setup.body.string.contains(String(secret.prefix(4))))
                #expect(sealed.hasPrefix("v1.") && !sealed.contains(secret))
                #expect(try await post(app, "/account/mfa/enable", cookie: pending, ["_csrf": csrf, "code": "123456"]).status == .unprocessableEntity)
                let code = TOTP(secret: try Base32.decode(secret)).code(at: Date())
                let enabled = try await post(app, "/account/mfa/enable", cookie: pending, ["_csrf": csrf, "code": code])
                #expect(enabled.status == .ok)
                #expect(enabled.body.string.contains("id=\"recovery-codes\""))
                let full = try #require(enabled.headers.setCookie?[Sessions.cookieName]?.string)
                #expect(full != pending)
                #expect(try await get(app, "/assessments", cookie: full).status == .ok)
                #expect(try await get(app, "/assessments", cookie: pending).status == .seeOther, "the half-way session ends")
            }
        }

        @Test func aCodeWorksOnceAndARecoveryCodeWorksOnce() async throws {
            try await withDemoApp { app in
                let codes = RecoveryCodes.generate(count: 2)
                try await UserRecord.query(on: app.db).filter(\.$login == "demo-approver").set(\.$recoveryCodes, to: codes.digests.joined(separator: " ")).update()
                func signInHalfway() async throws -> (cookie: String, csrf: String) {
                    let response = try await postLogin(app, "demo-approver", DemoData.password)
                    #expect(response.headers.first(name: .location)?.hasPrefix("/login/mfa") == true)
                    let cookie = try #require(response.headers.setCookie?[Sessions.cookieName]?.string)
                    let page = try await get(app, "/login/mfa", cookie: cookie)
                    return (cookie, try #require(Visitor.csrfToken(in: page.body.string)))
                }
                let code = TOTP(secret: try Base32.decode(DemoData.mfaSecret)).code(at: Date())
                let first = try await signInHalfway()
                #expect(try await post(app, "/login/mfa", cookie: first.cookie, ["_csrf": first.csrf, "code": code]).status == .seeOther)
                let second = try await signInHalfway()
                #expect(try await post(app, "/login/mfa", cookie: second.cookie, ["_csrf": second.csrf, "code": code]).status == .unauthorized, "a replayed code")
                #expect(try await post(app, "/login/mfa", cookie: second.cookie, ["_csrf": second.csrf, "code": codes.codes[0].uppercased()]).status == .seeOther)
                let third = try await signInHalfway()
                #expect(try await post(app, "/login/mfa", cookie: third.cookie, ["_csrf": third.csrf, "code": codes.codes[0]]).status == .unauthorized, "a used recovery code")
            }
        }

        @Test func administratorsManagePeopleButNotThemselves() async throws {
            try await withDemoApp { app in
                let admin = try await Visitor.signIn(app, as: "demo-admin")
                let weak = try await admin.post("/admin/users", ["login": "risk-2", "name": "リスク 次郎", "role": "editor", "password": "password1234"])
                #expect(weak.status == .unprocessableEntity)
                #expect(try await admin.post("/admin/users", ["login": "risk-2", "name": "リスク 次郎", "role": "editor", "password": "spring tide 2026 ledger"]).status == .ok)
                let created = try #require(try await UserRecord.query(on: app.db).filter(\.$login == "risk-2").first())
                #expect(try await admin.post("/admin/users/\(try created.requireID())/role", ["role": "approver"]).status == .seeOther)
                let me = try #require(try await UserRecord.query(on: app.db).filter(\.$login == "demo-admin").first())
                #expect(try await admin.post("/admin/users/\(try me.requireID())/role", ["role": "editor"]).status == .forbidden)
                // The new approver must set up MFA at the first sign-in.
                let first = try await postLogin(app, "risk-2", "spring tide 2026 ledger")
                #expect(first.headers.first(name: .location)?.hasPrefix("/account/mfa") == true)
                let approver = try #require(try await UserRecord.query(on: app.db).filter(\.$login == "demo-approver").first())
                #expect(try await admin.post("/admin/users/\(try approver.requireID())/reset-mfa", [:]).status == .seeOther)
                #expect(try await postLogin(app, "demo-approver", DemoData.password).headers.first(name: .location)?.hasPrefix("/account/mfa") == true)
                let actions = try await (app.db as! any SQLDatabase).raw("SELECT action, details FROM audit_log").all().map { try $0.decode(column: "action", as: String.self) }
                #expect(actions.contains("user.created") && actions.contains("user.role_changed") && actions.contains("user.mfa_reset"))
            }
        }

        @Test func approversIssueTheirOwnTokensAndNobodyElseCan() async throws {
            try await withDemoApp { app in
                let approverID = try #require(try await UserRecord.query(on: app.db).filter(\.$login == "demo-approver").first()?.requireID())
                let editorID = try #require(try await UserRecord.query(on: app.db).filter(\.$login == "demo-editor").first()?.requireID())
                let admin = try await Visitor.signIn(app, as: "demo-admin")
                #expect(try await admin.post("/account/tokens", ["name": "x", "user": approverID.uuidString, "days": "30"]).status == .unprocessableEntity)
                let forEditor = try await admin.post("/account/tokens", ["name": "nightly import", "user": editorID.uuidString, "days": "30"])
                #expect(forEditor.body.string.contains("id=\"new-token\""))
                let approver = try await Visitor.signIn(app, as: "demo-approver")
                #expect(try await approver.post("/account/tokens", ["name": "x", "user": editorID.uuidString, "days": "30"]).status == .unprocessableEntity)
                let own = try await approver.post("/account/tokens", ["name": "承認用", "user": approverID.uuidString, "days": "30"])
                #expect(own.body.string.contains("id=\"new-token\""))
                #expect(!own.body.string.contains("nightly import"), "an approver sees only their own tokens")
                #expect(try await Visitor.signIn(app, as: "demo-editor").get("/account/tokens").status == .forbidden)
            }
        }

        @Test func signInFormsFromOtherSitesAreRefused() async throws {
            try await withDemoApp { app in
                for header in [("Origin", "https://evil.example"), ("Sec-Fetch-Site", "cross-site")] {
                    try await app.testing().test(.POST, "/login", headers: [header.0: header.1], beforeRequest: { request in
                        try request.content.encode(["login": "demo-viewer", "password": DemoData.password], as: .urlEncodedForm)
                    }, afterResponse: { response in
                        #expect(response.status == .forbidden, "\(header)")
                        #expect(response.headers.setCookie?[Sessions.cookieName] == nil)
                    })
                }
            }
        }

        @Test func demoLoginsNeverGoIntoAnInstallationWithRealInstitutions() async throws {
            try await withKamaeApp { app in
                try await InstitutionRecord(name: "本物銀行", institutionType: "regional-banks", sizeBand: "large", createdAt: Date()).create(on: app.db)
                await #expect(throws: WebError.self) { _ = try await DemoData.seed(on: app.db, secrets: app.sealedSecrets) }
                #expect(try await UserRecord.query(on: app.db).count() == 0)
            }
        }

        @Test func commonPasswordsAreRefused() async throws {
            try await withDemoApp { app in
                let viewer = try await Visitor.signIn(app, as: "demo-viewer")
                let response = try await viewer.post("/account/password", ["current": DemoData.password, "new": "password1234", "confirm": "password1234"])
                #expect(response.status == .unprocessableEntity)
                #expect(response.body.string.contains("よく使われる") || response.body.string.contains("漏えい"))
            }
        }
    }
}
