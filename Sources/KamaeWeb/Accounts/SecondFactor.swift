import Fluent
import KamaeCore
import KamaeHTML
import KamaeTrust
import SQLKit
import Vapor

/// The second factor: TOTP (RFC 6238) with one-time recovery codes. Required for administrators and approvers,
/// available to everyone. Every step rotates the session token and is recorded in the audit trail.
struct SecondFactorController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("login", "mfa", use: codePage)
        routes.post("login", "mfa", use: verifyCode)
        routes.get("account", "mfa", use: setupPage)
        routes.post("account", "mfa", "enable", use: enable)
        routes.post("account", "mfa", "recovery-codes", use: regenerateRecoveryCodes)
        routes.post("account", "sessions", "end-others", use: endOtherSessions)
    }

    // MARK: Signing in with the second factor

    @Sendable func codePage(req: Request) async throws -> Response {
        guard let pending = req.signInInProgress, pending.stage == .mfa else { return req.redirect(to: "/login", redirectType: .normal) }
        let user = try await record(pending.user.id, on: req.db)
        return SecondFactorPages.code(
            context: PageContext(request: req), csrf: pending.user.csrfToken ?? "", returnTo: returnPath(req.query[String.self, at: "return"]),
            error: nil, demoCode: demoCode(for: user, req)
        ).response()
    }

    struct CodeForm: Content {
        var code: String?
        var returnTo: String?

        enum CodingKeys: String, CodingKey {
            case code
            case returnTo = "return"
        }
    }

    @Sendable func verifyCode(req: Request) async throws -> Response {
        guard let pending = req.signInInProgress, pending.stage == .mfa else { return req.redirect(to: "/login", redirectType: .normal) }
        let form = try req.content.decode(CodeForm.self)
        let user = try await record(pending.user.id, on: req.db)
        let now = Date()
        let address = req.clientAddress
        let actor = AuditActor(id: pending.user.id, login: pending.user.login, institutionID: pending.user.institutionID, sourceAddress: address, via: .web)
        let input = form.code ?? ""
        // A locked account gets no guesses, however many half-finished sign-ins it has.
        if let lock = SignInThrottle.shared.lock(address: address, login: user.login, user: user, now: now) {
            try await UserSessionRecord.query(on: req.db).filter(\.$id == pending.sessionID).delete()
            try await AuditTrail.event("session.login.refused", by: actor, details: ["reason": "locked", "step": "second factor"], on: req.db)
            return SecondFactorPages.code(
                context: PageContext(request: req), csrf: pending.user.csrfToken ?? "", returnTo: returnPath(form.returnTo),
                error: SignInThrottle.lockedMessage(until: lock, now: now), demoCode: nil
            ).response(status: .tooManyRequests)
        }
        var usedRecoveryCode = false
        var acceptedStep: Int64?
        if let secret = secret(user.mfaSecret, req) {
            acceptedStep = TOTP(secret: secret).verify(input, at: now, notAtOrBefore: user.mfaLastStep)
        }
        var digests = (user.recoveryCodes ?? "").split(separator: " ").map(String.init)
        if acceptedStep == nil, let index = RecoveryCodes.matchIndex(of: input, in: digests) {
            digests.remove(at: index)
            usedRecoveryCode = true
        }
        guard acceptedStep != nil || usedRecoveryCode else {
            let lockedUntil = try await SignInThrottle.shared.recordFailure(address: address, login: user.login, user: user, on: req.db, now: now)
            try await AuditTrail.event(lockedUntil == nil ? "session.mfa.failed" : "account.locked", by: actor, details: ["reason": "second factor"], on: req.db)

            let message = lockedUntil.map { SignInThrottle.lockedMessage(until: $0, now: now) }
                ?? LocalizedText(ja: "確認コードが正しくないか、期限切れか、使用済みです。", en: "The code is wrong, expired or already used.")
            return SecondFactorPages.code(
                context: PageContext(request: req), csrf: pending.user.csrfToken ?? "", returnTo: returnPath(form.returnTo), error: message, demoCode: demoCode(for: user, req)
            ).response(status: lockedUntil == nil ? .unauthorized : .tooManyRequests)
        }
        let (step, remaining, viaRecoveryCode, before) = (acceptedStep, digests, usedRecoveryCode, user.recoveryCodes)
        let token: String? = try await req.db.transaction { database in
            // Compare-and-set, so that two requests with the same code (or two recovery codes) cannot both win.
            let sql = database as! any SQLDatabase
            let claimed: (any SQLRow)? = if let step {
                try await sql.raw("""
                    UPDATE users SET mfa_last_step = \(bind: step), failed_logins = 0
                    WHERE id = \(bind: pending.user.id) AND (mfa_last_step IS NULL OR mfa_last_step < \(bind: step)) RETURNING id
                    """).first()
            } else {
                try await sql.raw("""
                    UPDATE users SET recovery_codes = \(bind: remaining.joined(separator: " ")), failed_logins = 0
                    WHERE id = \(bind: pending.user.id) AND recovery_codes = \(bind: before ?? "") RETURNING id
                    """).first()
            }
            guard claimed != nil else { return nil }
            try await UserSessionRecord.query(on: database).filter(\.$id == pending.sessionID).delete()
            try await AuditTrail.record(
                "session.login.succeeded", by: actor,
                details: ["second_factor": viaRecoveryCode ? "recovery code" : "totp", "recovery_codes_left": String(remaining.count)], on: database
            )
            return try await Sessions.start(for: pending.user.id, on: database, now: now)
        }
        guard let token else {
            let message = LocalizedText(ja: "確認コードが正しくないか、期限切れか、使用済みです。", en: "The code is wrong, expired or already used.")
            return SecondFactorPages.code(
                context: PageContext(request: req), csrf: pending.user.csrfToken ?? "", returnTo: returnPath(form.returnTo), error: message, demoCode: nil
            ).response(status: .unauthorized)
        }
        let response = req.redirect(to: returnPath(form.returnTo), redirectType: .normal)
        response.cookies[Sessions.cookieName] = Sessions.cookie(token, secure: req.isSecureTransport)
        return response
    }

    // MARK: Setting it up

    @Sendable func setupPage(req: Request) async throws -> Response {
        let (who, csrf) = try person(req)
        let user = try await record(who.id, on: req.db)
        if user.mfaSecret == nil, user.mfaPendingSecret == nil {
            user.mfaPendingSecret = try req.application.sealedSecrets.seal(Base32.encode(TOTP.generateSecret()), purpose: Self.purpose)
            try await user.save(on: req.db)
        }
        return try SecondFactorPages.setup(
            context: PageContext(request: req), csrf: csrf, user: user, pendingSecret: plain(user.mfaPendingSecret, req), role: who.role,
            returnTo: returnPath(req.query[String.self, at: "return"]), error: nil
        ).response()
    }

    @Sendable func enable(req: Request) async throws -> Response {
        let (who, csrf) = try person(req)
        let user = try await record(who.id, on: req.db)
        let form = try req.content.decode(CodeForm.self)
        let now = Date()
        guard user.mfaSecret == nil, let pending = user.mfaPendingSecret, let secret = secret(pending, req),
              let step = TOTP(secret: secret).verify(form.code ?? "", at: now)
        else {
            let error = LocalizedText(ja: "確認コードが正しくありません。認証アプリの時刻設定も確認してください。", en: "The code is not correct. Check that the authenticator app's clock is right.")
            return try SecondFactorPages.setup(
                context: PageContext(request: req), csrf: csrf, user: user, pendingSecret: plain(user.mfaPendingSecret, req), role: who.role,
                returnTo: returnPath(form.returnTo), error: error
            )
                .response(status: .unprocessableEntity)
        }
        let codes = RecoveryCodes.generate()
        let finishingSignIn = req.signInInProgress
        let token: String? = try await req.db.transaction { database in
            user.mfaSecret = pending
            user.mfaPendingSecret = nil
            user.mfaLastStep = step
            user.mfaEnrolledAt = now
            user.recoveryCodes = codes.digests.joined(separator: " ")
            try await user.save(on: database)
            let actor = AuditActor(id: who.id, login: who.login, institutionID: who.institutionID, sourceAddress: req.clientAddress, via: .web)
            try await AuditTrail.record("account.mfa.enrolled", by: actor, target: ("user", who.id.uuidString), on: database)
            guard let finishingSignIn else { return nil }
            try await UserSessionRecord.query(on: database).filter(\.$id == finishingSignIn.sessionID).delete()
            try await AuditTrail.record("session.login.succeeded", by: actor, details: ["second_factor": "totp (enrolled)"], on: database)
            return try await Sessions.start(for: who.id, on: database, now: now)
        }
        let response = SecondFactorPages.recoveryCodes(context: PageContext(request: req), codes: codes.codes, continueTo: returnPath(form.returnTo)).response()
        if let token { response.cookies[Sessions.cookieName] = Sessions.cookie(token, secure: req.isSecureTransport) }
        return response
    }

    @Sendable func regenerateRecoveryCodes(req: Request) async throws -> Response {
        let who = try req.requireUser()
        let user = try await record(who.id, on: req.db)
        guard user.mfaSecret != nil else { return req.redirect(to: "/account/mfa", redirectType: .normal) }
        let codes = RecoveryCodes.generate()
        try await req.db.transaction { database in
            user.recoveryCodes = codes.digests.joined(separator: " ")
            try await user.save(on: database)
            try await AuditTrail.record("account.mfa.recovery_codes_replaced", by: req.auditActor, target: ("user", who.id.uuidString), on: database)
        }
        return SecondFactorPages.recoveryCodes(context: PageContext(request: req), codes: codes.codes, continueTo: "/account/mfa").response()
    }

    /// "Sign out everywhere else": every other session of this person ends at once.
    @Sendable func endOtherSessions(req: Request) async throws -> Response {
        let who = try req.requireUser()
        let ended = try await req.db.transaction { database in
            var others = UserSessionRecord.query(on: database).filter(\.$userID == who.id)
            if let current = who.sessionID { others = others.filter(\.$id != current) }
            let count = try await others.count()
            try await others.delete()
            try await AuditTrail.record("session.others_ended", by: req.auditActor, details: ["sessions": String(count)], on: database)
            return count
        }
        return SecondFactorPages.sessionsEnded(context: PageContext(request: req), count: ended).response()
    }

    // MARK: Helpers

    /// The person setting up MFA: signed in, or half-way through a sign-in that requires it.
    private func person(_ req: Request) throws -> (CurrentUser, String) {
        if let user = req.currentUser { return (user, user.csrfToken ?? "") }
        if let pending = req.signInInProgress, pending.stage == .enroll { return (pending.user, pending.user.csrfToken ?? "") }
        throw WebError.unauthenticated
    }

    private func record(_ id: UUID, on database: any Database) async throws -> UserRecord {
        guard let user = try await UserRecord.find(id, on: database) else { throw WebError.unauthenticated }
        return user
    }

    private func returnPath(_ raw: String?) -> String {
        SafeRedirect.localPath(raw) ?? "/"
    }

    /// The demo accounts' secret is published with their password; their MFA page shows the current code so that
    /// a newcomer can sign in without an authenticator app. No other secret is ever shown.
    private func demoCode(for user: UserRecord, _ req: Request) -> String? {
        guard plain(user.mfaSecret, req) == DemoData.mfaSecret, let secret = try? Base32.decode(DemoData.mfaSecret) else { return nil }
        return TOTP(secret: secret).code(at: Date())
    }

    /// The field name bound into every sealed TOTP secret.
    static let purpose = "users.mfa_secret"

    /// The base32 text of a sealed secret; nil when absent or sealed under another installation's key (then the
    /// person sets MFA up again, see SECURITY.md).
    private func plain(_ sealed: String?, _ req: Request) -> String? {
        sealed.flatMap { try? req.application.sealedSecrets.open($0, purpose: Self.purpose) }
    }

    private func secret(_ sealed: String?, _ req: Request) -> [UInt8]? {
        plain(sealed, req).flatMap { try? Base32.decode($0) }
    }
}
