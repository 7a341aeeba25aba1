import Fluent
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
        let user = try await UserRecord.query(on: req.db).filter(\.$login == loginName).first()
        // Verify against a dummy hash when the login is unknown, so timing does not reveal which logins exist.
        let hash = user?.passwordHash ?? AccountController.dummyHash
        let valid = (try? req.password.verify(form.password ?? "", created: hash)) ?? false
        guard let user, valid else {
            req.logger.notice("Failed sign-in for login \(loginName.prefix(64))")
            let message = LocalizedText(ja: "ログイン ID またはパスワードが正しくありません。", en: "The login or the password is not correct.")
            return AccountPages.login(context: context, login: loginName, returnTo: returnTo, error: message).response(status: .unauthorized)
        }
        let token = try await Sessions.start(for: try user.requireID(), on: req.db)
        let response = req.redirect(to: returnTo, redirectType: .normal)
        response.cookies[Sessions.cookieName] = Sessions.cookie(token, secure: req.isSecureTransport)
        return response
    }

    @Sendable func logout(req: Request) async throws -> Response {
        if let sessionID = req.currentUser?.sessionID {
            try await UserSessionRecord.query(on: req.db).filter(\.$id == sessionID).delete()
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
        if let problem = PasswordPolicy.problem(with: form.new ?? "", login: user.login) {
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
        }
        return AccountPages.password(context: context, user: user, errors: [:], done: true).response()
    }

    /// A bcrypt hash of a random string, computed once.
    static let dummyHash: String = (try? Bcrypt.hash(Sessions.randomToken())) ?? ""
}

/// What a password must be. (A breached-password list comes with the trust work.)
enum PasswordPolicy {
    static func problem(with password: String, login: String) -> LocalizedText? {
        if password.count < AccountController.minimumPasswordLength {
            return LocalizedText(ja: "\(AccountController.minimumPasswordLength) 文字以上にしてください。", en: "Use at least \(AccountController.minimumPasswordLength) characters.")
        }
        if password.count > 128 {
            return LocalizedText(ja: "128 文字以内にしてください。", en: "Use at most 128 characters.")
        }
        if password.lowercased().contains(login.lowercased()) {
            return LocalizedText(ja: "ログイン ID を含めないでください。", en: "Do not include your login.")
        }
        return nil
    }
}
