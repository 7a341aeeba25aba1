import Fluent
import SQLKit
import Foundation
import KamaeCore
import Vapor

/// Server-side sessions in the database: the cookie holds a random token, the table only its SHA-256.
enum Sessions {
    static let cookieName = "kamae_session"
    /// A session ends after this much inactivity…
    static let idleTimeout: TimeInterval = 30 * 60
    /// …and in any case this long after sign-in.
    static let absoluteTimeout: TimeInterval = 12 * 60 * 60
    /// last_seen_at is written at most this often, to keep reads cheap.
    static let touchInterval: TimeInterval = 60

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexString
    }

    /// How far a sign-in has come. Only a `full` session is a signed-in person; the others can reach nothing but
    /// the next step of signing in.
    enum Stage: String, Sendable {
        case full
        /// The password was right; the TOTP or a recovery code is due.
        case mfa
        /// The password was right, but the role needs MFA and none is set up yet.
        case enroll
    }

    /// Starts a fresh session (a new token every sign-in and every step of it, so a planted cookie is useless) and
    /// returns the cookie value.
    static func start(for userID: UUID, stage: Stage = .full, on database: any Database, now: Date = Date()) async throws -> String {
        let token = randomToken()
        let record = UserSessionRecord()
        record.tokenHash = hash(token)
        record.userID = userID
        record.csrfToken = randomToken()
        record.createdAt = now
        record.lastSeenAt = now
        record.stage = stage.rawValue
        try await record.create(on: database)
        return token
    }

    static func cookie(_ token: String, secure: Bool) -> HTTPCookies.Value {
        HTTPCookies.Value(string: token, expires: nil, maxAge: nil, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }

    static func expiredCookie(secure: Bool) -> HTTPCookies.Value {
        HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }

    struct Found: Sendable {
        var sessionID: UUID
        var stage: Stage
        var user: CurrentUser
        var createdAt: Date
        var lastSeenAt: Date
    }

    /// The session, its person and their institution in one query: this runs before every page.
    static func find(tokenHash: String, on database: any Database) async throws -> Found? {
        guard let row = try await (database as! any SQLDatabase).raw("""
            SELECT s.id AS session_id, s.csrf_token, s.created_at, s.last_seen_at, s.stage,
                   u.id AS user_id, u.login, u.display_name, u.role, u.institution_id, i.name AS institution_name, i.kind AS institution_kind
            FROM user_sessions s JOIN users u ON u.id = s.user_id JOIN institutions i ON i.id = u.institution_id
            WHERE s.token_hash = \(bind: tokenHash)
            """).first()
        else { return nil }
        guard let user = try CurrentUser(row: row) else { return nil }
        var current = user
        let sessionID = try row.decode(column: "session_id", as: UUID.self)
        current.sessionID = sessionID
        current.csrfToken = try row.decode(column: "csrf_token", as: String.self)
        return Found(sessionID: sessionID, stage: Stage(rawValue: try row.decode(column: "stage", as: String.self)) ?? .mfa, user: current, createdAt: try row.decode(column: "created_at", as: Date.self), lastSeenAt: try row.decode(column: "last_seen_at", as: Date.self))
    }
}

extension Request {
    /// Cookies are marked Secure when Kamae is reached over TLS through a proxy.
    var isSecureTransport: Bool {
        headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https" || url.scheme == "https"
    }
}

/// Finds the user behind the session cookie, enforces the timeouts, and checks the CSRF token on every form post.
struct SessionAuthenticationMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var clearCookie = false
        if request.url.path.hasPrefix("/api/") {
            // A query parameter given twice has no single meaning: refused rather than guessed.
            let names = (request.url.query ?? "").split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "" }
            if let repeated = Dictionary(grouping: names, by: { $0 }).first(where: { !$0.key.isEmpty && $0.value.count > 1 })?.key {
                let name = repeated.removingPercentEncoding ?? repeated
                throw WebError.invalidParameter(String(name.prefix(40)), ja: "1 回だけ指定してください。", en: "give it once.")
            }
            // The API authenticates with bearer tokens only; cookies are ignored there, so CSRF cannot reach it.
            request.currentUser = try await APITokens.authenticate(request)
            return try await next.respond(to: request)
        }
        if let token = request.cookies[Sessions.cookieName]?.string, !token.isEmpty {
            let now = Date()
            if let found = try await Sessions.find(tokenHash: Sessions.hash(token), on: request.db) {
                if now.timeIntervalSince(found.lastSeenAt) > Sessions.idleTimeout || now.timeIntervalSince(found.createdAt) > Sessions.absoluteTimeout {
                    try await UserSessionRecord.query(on: request.db).filter(\.$id == found.sessionID).delete()
                    clearCookie = true
                } else {
                    if found.stage == .full {
                        request.currentUser = found.user
                    } else {
                        request.signInInProgress = found
                        if let step = SignInSteps.redirect(for: found.stage, request: request) { return step }
                    }
                    if now.timeIntervalSince(found.lastSeenAt) > Sessions.touchInterval {
                        try await UserSessionRecord.query(on: request.db).filter(\.$id == found.sessionID).set(\.$lastSeenAt, to: now).update()
                    }
                }
            } else {
                clearCookie = true
            }
        }
        // Sign-in forms posted from another site are refused (login CSRF: signing a victim into the attacker's
        // account, where they would type their own institution's weaknesses).
        if request.method == .POST, request.url.path.hasPrefix("/login"), !Self.isSameOrigin(request) {
            throw WebError.csrfRejected
        }
        // A POST to a path without a POST route gets 404/405 from the router, not a form-token error.
        if request.method == .POST, !request.url.path.hasPrefix("/api/"), request.url.path != "/login",
           ErrorMiddleware.methods(servingPath: request.url.path, on: request.application).contains(.POST) {
            // Every state-changing form carries the session's CSRF token. Large (multipart) bodies arrive as a
            // stream; collect them first so that the token can be read (uploads are capped at 10 MB).
            if request.body.data == nil {
                _ = try await request.body.collect(max: 10 * 1024 * 1024).get()
            }
            guard let expected = request.currentUser?.csrfToken ?? request.signInInProgress?.user.csrfToken,
                  let sent = try? request.content.get(String.self, at: "_csrf"),
                  constantTimeEquals(sent, expected)
            else {
                throw request.currentUser == nil ? WebError.unauthenticated : WebError.csrfRejected
            }
        }
        let response = try await next.respond(to: request)
        if clearCookie, response.cookies[Sessions.cookieName] == nil {
            response.cookies[Sessions.cookieName] = Sessions.expiredCookie(secure: request.isSecureTransport)
        }
        return response
    }

    /// False when the browser says the request came from another site (Sec-Fetch-Site, else Origin against Host).
    /// Clients that send neither (scripts, old browsers) are let through: they carry no victim's cookies.
    static func isSameOrigin(_ request: Request) -> Bool {
        if let site = request.headers.first(name: "Sec-Fetch-Site") { return site == "same-origin" || site == "none" }
        guard let origin = request.headers.first(name: .origin) else { return true }
        guard let components = URLComponents(string: origin), let host = components.host else { return false }
        let expected = host + (components.port.map { ":\($0)" } ?? "")
        return request.headers.first(name: .host).map { $0 == expected || $0 == host } ?? false
    }
}

func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
    let (a, b) = (Array(lhs.utf8), Array(rhs.utf8))
    guard a.count == b.count else { return false }
    return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
}

extension Request {
    private struct SignInInProgressKey: StorageKey { typealias Value = Sessions.Found }

    /// A session whose sign-in is not finished (second factor due, or MFA to set up). Such a request has no
    /// `currentUser`: nothing but the next step treats it as signed in.
    var signInInProgress: Sessions.Found? {
        get { storage[SignInInProgressKey.self] }
        set { storage[SignInInProgressKey.self] = newValue }
    }
}

/// Where a sign-in in progress may go, and where it is sent otherwise.
enum SignInSteps {
    static func page(for stage: Sessions.Stage) -> String {
        stage == .enroll ? "/account/mfa" : "/login/mfa"
    }

    /// nil when the request may go on: the step's own pages, signing out, assets and the language switch.
    static func redirect(for stage: Sessions.Stage, request: Request) -> Response? {
        let path = request.url.path
        let open = ["/logout", "/health"] + (stage == .enroll ? ["/account/mfa", "/account/mfa/enable"] : ["/login/mfa"])
        if open.contains(path) || path.hasPrefix("/assets/") || path.hasPrefix("/language/") { return nil }
        if request.method == .GET { return request.redirect(to: page(for: stage), redirectType: .normal) }
        return Response(status: .unauthorized)
    }
}
