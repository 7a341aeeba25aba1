import Fluent
import KamaeTrust
import KamaeCore
import KamaeHTML
import Vapor

/// Sign-in, sign-out and password change.
struct AccountController: RouteCollection {
    static let minimumPasswordLength = 12

    func boot(routes: any RoutesBuilder) throws {
        routes.get("login", use: loginPage)
        routes.post("login", use: login)
        routes.post("logout", use: logout)
        routes.get("account", "password", use: passwordPage)
        routes.post("account", "password", use: changePassword)
    }

    struct LoginForm: Content {
        var login: String?
        var password: String?
        var returnTo: String?

        enum CodingKeys: String, CodingKey {
            case login, password
            case returnTo = "return"
        }
    }

    @Sendable func loginPage(req: Request) -> Response {
        let returnTo = SafeRedirect.localPath(req.query[String.self, at: "return"]) ?? "/"
        return AccountPages.login(context: PageContext(request: req), login: "", returnTo: returnTo, error: nil).response()
    }

    @Sendable func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let context = PageContext(request: req)
        let loginName = (form.login ?? "").trimmingCharacters(in: .whitespaces)
        let returnTo = SafeRedirect.localPath(form.returnTo) ?? "/"
        let now = Date()
        let address = req.clientAddress
        let user = try await UserRecord.query(on: req.db).filter(\.$login == loginName).first()
        func refuse(_ message: LocalizedText, status: HTTPResponseStatus) -> Response {
            AccountPages.login(context: context, login: loginName, returnTo: returnTo, error: message).response(status: status)
        }
        // Locked accounts and addresses are refused before the password is looked at; unknown logins are tracked
        // the same way, so the answer never tells which logins exist.
        let lock = SignInThrottle.shared.lock(address: address, login: loginName, user: user, now: now)
        if let lock {
            try await AuditTrail.event(
                "session.login.refused", by: AuditActor(id: user?.id, login: loginName.prefix(64).description, institutionID: user?.institutionID, sourceAddress: address, via: .web),
                details: ["reason": "locked", "until": ISO8601DateFormatter().string(from: lock)], on: req.db
            )
            return refuse(SignInThrottle.lockedMessage(until: lock, now: now), status: .tooManyRequests)
        }
        // Verify against a dummy hash when the login is unknown, so timing does not reveal which logins exist.
        let hash = user?.passwordHash ?? AccountController.dummyHash
        let valid = (try? await req.password.async.verify(form.password ?? "", created: hash)) ?? false
        guard let user, valid else {
            let lockedUntil = try await SignInThrottle.shared.recordFailure(address: address, login: loginName, user: user, on: req.db, now: now)
            req.logger.notice("Failed sign-in for login \(loginName.prefix(64))")
            try await AuditTrail.event(
                lockedUntil == nil ? "session.login.failed" : "account.locked",
                by: AuditActor(id: user?.id, login: loginName.prefix(64).description, institutionID: user?.institutionID, sourceAddress: address, via: .web),
                details: ["reason": "password", "failures": String(user?.failedLogins ?? 0)], on: req.db
            )
            if let lockedUntil { return refuse(SignInThrottle.lockedMessage(until: lockedUntil, now: now), status: .tooManyRequests) }
            return refuse(LocalizedText(ja: "ログイン ID またはパスワードが正しくありません。", en: "The login or the password is not correct."), status: .unauthorized)
        }
        let role = Role(rawValue: user.role) ?? .viewer
        let stage: Sessions.Stage = user.mfaSecret != nil ? .mfa : (Authorization.requiresSecondFactor(role) ? .enroll : .full)
        let userID = try user.requireID()
        let token = try await req.db.transaction { database in
            // Failures are forgiven only once the whole sign-in succeeds (after the second factor, if any).
            if stage == .full {
                user.failedLogins = 0
                user.lockedUntil = nil
                try await user.save(on: database)
            }
            try await AuditTrail.record(
                stage == .full ? "session.login.succeeded" : "session.password.accepted",
                by: AuditActor(id: userID, login: user.login, institutionID: user.institutionID, sourceAddress: address, via: .web),
                details: stage == .full ? [:] : ["next": stage.rawValue], on: database
            )
            return try await Sessions.start(for: userID, stage: stage, on: database, now: now)
        }
        let next = stage == .full ? returnTo : "\(SignInSteps.page(for: stage))?return=\(returnTo.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "/")"
        let response = req.redirect(to: next, redirectType: .normal)
        response.cookies[Sessions.cookieName] = Sessions.cookie(token, secure: req.isSecureTransport)
        return response
    }

    @Sendable func logout(req: Request) async throws -> Response {
        if let sessionID = req.currentUser?.sessionID ?? req.signInInProgress?.sessionID {
            try await req.db.transaction { database in
                try await UserSessionRecord.query(on: database).filter(\.$id == sessionID).delete()
                if req.currentUser != nil { try await AuditTrail.record("session.logout", by: req.auditActor, on: database) }
            }
        }
        let response = req.redirect(to: "/login", redirectType: .normal)
        response.cookies[Sessions.cookieName] = Sessions.expiredCookie(secure: req.isSecureTransport)
        return response
    }

    struct PasswordForm: Content {
        var current: String?
        var new: String?
        var confirm: String?
    }

    @Sendable func passwordPage(req: Request) throws -> Response {
        let user = try req.requireUser()
        return AccountPages.password(context: PageContext(request: req), user: user, errors: [:], done: false).response()
    }

    @Sendable func changePassword(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(PasswordForm.self)
        let context = PageContext(request: req)
        guard let record = try await UserRecord.find(user.id, on: req.db) else { throw WebError.unauthenticated }
        var errors: [String: LocalizedText] = [:]
        if !((try? req.password.verify(form.current ?? "", created: record.passwordHash)) ?? false) {
            errors["current"] = LocalizedText(ja: "現在のパスワードが正しくありません。", en: "The current password is not correct.")
        }
        if let problem = AccountController.passwordProblem(form.new ?? "", login: user.login, displayName: user.displayName) {
            errors["new"] = problem
        } else if form.new != form.confirm {
            errors["confirm"] = LocalizedText(ja: "確認用のパスワードが一致しません。", en: "The confirmation does not match.")
        }
        guard errors.isEmpty, let newPassword = form.new else {
            return AccountPages.password(context: context, user: user, errors: errors, done: false).response(status: .unprocessableEntity)
        }
        let newHash = try await req.password.async.hash(newPassword)
        try await req.db.transaction { database in
            record.passwordHash = newHash
            try await record.save(on: database)
            // Every other session of this user ends: a changed password locks out whoever knew the old one.
            var others = UserSessionRecord.query(on: database).filter(\.$userID == user.id)
            if let current = user.sessionID { others = others.filter(\.$id != current) }
            try await others.delete()
            try await APITokens.revokeAll(of: user.id, on: database)
            try await AuditTrail.record("account.password.changed", by: req.auditActor, target: ("user", user.id.uuidString), on: database)
        }
        return AccountPages.password(context: context, user: user, errors: [:], done: true).response()
    }

    /// A bcrypt hash of a random string, computed once.
    static let dummyHash: String = (try? Bcrypt.hash(Sessions.randomToken())) ?? ""
}

extension AccountController {
    /// The first thing wrong with a new password (length, the login or name in it, a common or breached password,
    /// a run like "aaaa…" or "1234…"), or nil.
    static func passwordProblem(_ password: String, login: String, displayName: String?) -> LocalizedText? {
        KamaeTrust.PasswordPolicy(minimumLength: minimumPasswordLength).problems(password: password, login: login, displayName: displayName).first
            .map { LocalizedText(ja: $0.japanese, en: $0.english) }
    }
}
