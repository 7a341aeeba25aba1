import Fluent
import Foundation
import KamaeCore
import KamaeTrust
@testable import KamaeWeb
import Testing
import Vapor
import VaporTesting

/// A signed-in visitor for request-level tests: carries the session cookie and the CSRF token like a browser.
struct Visitor {
    let app: Application
    var cookie: String
    var csrf: String

    /// Signs in with the password and, for a person with MFA, the TOTP code of `totpSecret` (the demo secret unless
    /// told otherwise), as a person with an authenticator app would.
    static func signIn(_ app: Application, as login: String, password: String = DemoData.password, totpSecret: String = DemoData.mfaSecret) async throws -> Visitor {
        var cookie = ""
        var location = ""
        try await app.testing().test(.POST, "/login", beforeRequest: { request in
            try request.content.encode(["login": login, "password": password, "return": "/assessments"], as: .urlEncodedForm)
        }, afterResponse: { response in
            #expect(response.status == .seeOther, "sign-in as \(login)")
            cookie = response.headers.setCookie?[Sessions.cookieName]?.string ?? ""
            location = response.headers.first(name: .location) ?? ""
        })
        var visitor = Visitor(app: app, cookie: cookie, csrf: "")
        if location.hasPrefix("/login/mfa") {
            // Each TOTP step is accepted once; a test signs in many times a minute, as many phones would.
            try await UserRecord.query(on: app.db).filter(\.$login == login).set(\.$mfaLastStep, to: nil).update()
            let page = try await visitor.get(location)
            let code = TOTP(secret: try Base32.decode(totpSecret)).code(at: Date())
            let form = ["_csrf": Visitor.csrfToken(in: page.body.string) ?? "", "code": code, "return": "/assessments"]
            try await app.testing().test(.POST, "/login/mfa", headers: ["Cookie": "\(Sessions.cookieName)=\(cookie)"], beforeRequest: { request in
                try request.content.encode(form, as: .urlEncodedForm)
            }, afterResponse: { response in
                #expect(response.status == .seeOther, "second factor for \(login)")
                visitor.cookie = response.headers.setCookie?[Sessions.cookieName]?.string ?? ""
            })
        }
        let page = try await visitor.get("/account/password")
        visitor.csrf = Visitor.csrfToken(in: page.body.string) ?? ""
        #expect(!visitor.csrf.isEmpty)
        return visitor
    }

    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    func get(_ path: String) async throws -> TestingHTTPResponse {
        var result: TestingHTTPResponse?
        try await app.testing().test(.GET, path, headers: ["Cookie": "\(Sessions.cookieName)=\(cookie)"]) { result = $0 }
        return result!
    }

    /// Posts a form; the CSRF token is added unless `csrf` is false.
    func post(_ path: String, _ fields: [String: String], csrf includeToken: Bool = true) async throws -> TestingHTTPResponse {
        var form = fields
        if includeToken { form["_csrf"] = csrf }
        var result: TestingHTTPResponse?
        try await app.testing().test(.POST, path, headers: ["Cookie": "\(Sessions.cookieName)=\(cookie)"], beforeRequest: { request in
            try request.content.encode(form, as: .urlEncodedForm)
        }, afterResponse: { result = $0 })
        return result!
    }
}

/// A migrated app with the demo institution and its users.
func withDemoApp(_ body: (Application) async throws -> Void) async throws {
    try await withKamaeApp { app in
        _ = try await DemoData.seed(on: app.db, secrets: app.sealedSecrets)
        try await body(app)
    }
}
