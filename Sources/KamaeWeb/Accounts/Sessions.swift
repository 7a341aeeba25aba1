import Fluent
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
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Starts a fresh session (a new token every sign-in, so a planted cookie is useless) and returns the cookie value.
    static func start(for userID: UUID, on database: any Database, now: Date = Date()) async throws -> String {
        let token = randomToken()
        let record = UserSessionRecord()
        record.tokenHash = hash(token)
        record.userID = userID
        record.csrfToken = randomToken()
        record.createdAt = now
        record.lastSeenAt = now
        try await record.create(on: database)
        return token
    }

    static func cookie(_ token: String, secure: Bool) -> HTTPCookies.Value {
        HTTPCookies.Value(string: token, expires: nil, maxAge: nil, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }

    static func expiredCookie(secure: Bool) -> HTTPCookies.Value {
        HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }

    static func isExpired(_ session: UserSessionRecord, now: Date) -> Bool {
        now.timeIntervalSince(session.lastSeenAt) > idleTimeout || now.timeIntervalSince(session.createdAt) > absoluteTimeout
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
            // The API authenticates with bearer tokens only; cookies are ignored there, so CSRF cannot reach it.
            request.currentUser = try await APITokens.authenticate(request)
            return try await next.respond(to: request)
        }
        if let token = request.cookies[Sessions.cookieName]?.string, !token.isEmpty {
            let now = Date()
            if let session = try await UserSessionRecord.query(on: request.db).filter(\.$tokenHash == Sessions.hash(token)).first() {
                if Sessions.isExpired(session, now: now) {
                    try await session.delete(on: request.db)
                    clearCookie = true
                } else if let user = try await loadUser(session.userID, on: request.db) {
                    var current = user
                    current.sessionID = session.id
                    current.csrfToken = session.csrfToken
                    request.currentUser = current
                    if now.timeIntervalSince(session.lastSeenAt) > Sessions.touchInterval {
                        session.lastSeenAt = now
                        try await session.save(on: request.db)
                    }
                }
            } else {
                clearCookie = true
            }
        }
        if request.method == .POST, !request.url.path.hasPrefix("/api/"), request.url.path != "/login" {
            // Every state-changing form carries the session's CSRF token. Large (multipart) bodies arrive as a
            // stream; collect them first so that the token can be read (uploads are capped at 10 MB).
            if request.body.data == nil {
                _ = try await request.body.collect(max: 10 * 1024 * 1024).get()
            }
            guard let expected = request.currentUser?.csrfToken,
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

    func loadUser(_ id: UUID, on database: any Database) async throws -> CurrentUser? {
        guard let user = try await UserRecord.find(id, on: database),
              let role = Role(rawValue: user.role),
              let institution = try await InstitutionRecord.find(user.institutionID, on: database)
        else { return nil }
        return CurrentUser(
            id: try user.requireID(), login: user.login, displayName: user.displayName, role: role,
            institutionID: user.institutionID, institutionName: institution.name, sessionID: nil, csrfToken: nil
        )
    }
}

func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
    let (a, b) = (Array(lhs.utf8), Array(rhs.utf8))
    guard a.count == b.count else { return false }
    return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
}
