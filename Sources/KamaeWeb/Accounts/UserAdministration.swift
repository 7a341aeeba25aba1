import Fluent
import Foundation
import KamaeCore
import KamaeHTML
import Vapor

/// An administrator manages the people of their institution: adds them, changes roles, lifts a lock, resets a
/// lost second factor. Every step is recorded in the audit trail; nobody changes their own role.
struct UserAdministrationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let users = routes.grouped("admin", "users")
        users.get(use: list)
        users.post(use: create)
        users.post(":id", "role", use: changeRole)
        users.post(":id", "unlock", use: unlock)
        users.post(":id", "reset-mfa", use: resetSecondFactor)
    }

    struct Person: Sendable {
        var id: UUID
        var login: String
        var displayName: String
        var role: Role
        var hasSecondFactor: Bool
        var lockedUntil: Date?
        var failedLogins: Int
    }

    static func people(of institutionID: UUID, on database: any Database) async throws -> [Person] {
        try await UserRecord.query(on: database).filter(\.$institutionID == institutionID).sort(\.$login).all().compactMap { user in
            guard let id = user.id, let role = Role(rawValue: user.role) else { return nil }
            return Person(
                id: id, login: user.login, displayName: user.displayName, role: role, hasSecondFactor: user.mfaSecret != nil,
                lockedUntil: user.lockedUntil.flatMap { $0 > Date() ? $0 : nil }, failedLogins: user.failedLogins
            )
        }
    }

    @Sendable func list(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.manageUsers)
        return try await page(req, user: user, errors: [:], form: [:], notice: nil, status: .ok)
    }

    private func page(
        _ req: Request, user: CurrentUser, errors: [String: LocalizedText], form: [String: String], notice: LocalizedText?, status: HTTPResponseStatus
    ) async throws -> Response {
        let people = try await Self.people(of: user.institutionID, on: req.db)
        return UserAdministrationPages.list(people, me: user, errors: errors, form: form, notice: notice, context: PageContext(request: req)).response(status: status)
    }

    struct CreateForm: Content {
        var login: String?
        var name: String?
        var role: String?
        var password: String?
    }

    @Sendable func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.manageUsers)
        let form = try req.content.decode(CreateForm.self)
        let login = (form.login ?? "").trimmingCharacters(in: .whitespaces)
        let name = (form.name ?? "").trimmingCharacters(in: .whitespaces)
        var errors: [String: LocalizedText] = [:]
        if login.range(of: #"^[A-Za-z0-9._@-]{1,64}$"#, options: .regularExpression) == nil {
            errors["login"] = LocalizedText(ja: "ログイン ID は 1〜64 文字の英数字と . _ @ - です。", en: "Use 1 to 64 letters, digits or . _ @ -.")
        } else if try await UserRecord.query(on: req.db).filter(\.$login == login).first() != nil {
            errors["login"] = LocalizedText(ja: "このログイン ID は既に使われています。", en: "This login is already taken.")
        }
        if name.isEmpty || name.count > 100 { errors["name"] = LocalizedText(ja: "氏名を 1〜100 文字で入力してください。", en: "Enter a name of 1 to 100 characters.") }
        let role = form.role.flatMap(Role.init(rawValue:)).flatMap { user.organisationKind.roles.contains($0) ? $0 : nil }
        if role == nil { errors["role"] = LocalizedText(ja: "ロールを選んでください。", en: "Choose a role.") }
        if let problem = AccountController.passwordProblem(form.password ?? "", login: login, displayName: name) { errors["password"] = problem }
        guard errors.isEmpty, let role, let password = form.password else {
            return try await page(req, user: user, errors: errors, form: ["login": login, "name": name, "role": form.role ?? ""], notice: nil, status: .unprocessableEntity)
        }
        let hash = try await req.password.async.hash(password)
        try await req.db.transaction { database in
            let created = UserRecord(institutionID: user.institutionID, login: login, displayName: name, role: role.rawValue, passwordHash: hash, createdAt: Date())
            try await created.create(on: database)
            try await AuditTrail.record("user.created", by: req.auditActor, target: ("user", try created.requireID().uuidString), details: ["login": login, "role": role.rawValue], on: database)
        }
        let notice = LocalizedText(
            ja: "\(login) を作成しました。\(Authorization.requiresSecondFactor(role) ? "初回ログイン時に二要素認証を設定します。" : "")",
            en: "Created \(login).\(Authorization.requiresSecondFactor(role) ? " They set up two-factor authentication at their first sign-in." : "")"
        )
        return try await page(req, user: user, errors: [:], form: [:], notice: notice, status: .ok)
    }

    /// The person addressed by `:id`, in the administrator's own institution.
    private func target(_ req: Request, _ user: CurrentUser) async throws -> UserRecord {
        guard let id = req.parameters.get("id", as: UUID.self),
              let person = try await UserRecord.query(on: req.db).filter(\.$id == id).filter(\.$institutionID == user.institutionID).first()
        else { throw WebError.notFound }
        return person
    }

    struct RoleForm: Content {
        var role: String?
    }

    @Sendable func changeRole(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.manageUsers)
        let person = try await target(req, user)
        guard let role = try req.content.decode(RoleForm.self).role.flatMap(Role.init(rawValue:)), user.organisationKind.roles.contains(role) else {
            throw WebError.invalidParameter("role", ja: "ロールが正しくありません。", en: "unknown role.")
        }
        guard person.id != user.id else {
            throw WebError(
                status: .forbidden, title: LocalizedText(ja: "自分のロールは変更できません", en: "Not your own role"),
                detail: LocalizedText(ja: "自分のロールは別の管理者が変更します（職務の分離）。", en: "Another administrator changes your role (separation of duties).")
            )
        }
        let previous = person.role
        guard previous != role.rawValue else { return req.redirect(to: "/admin/users", redirectType: .normal) }
        try await req.db.transaction { database in
            person.role = role.rawValue
            try await person.save(on: database)
            // The person's sessions and API tokens end: the next sign-in gets the new role (and MFA if it needs it).
            try await UserSessionRecord.query(on: database).filter(\.$userID == person.requireID()).delete()
            try await APITokens.revokeAll(of: person.requireID(), on: database)
            try await AuditTrail.record(
                "user.role_changed", by: req.auditActor, target: ("user", try person.requireID().uuidString),
                details: ["login": person.login, "role": "\(previous) → \(role.rawValue)"], on: database
            )
        }
        return req.redirect(to: "/admin/users", redirectType: .normal)
    }

    @Sendable func unlock(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.manageUsers)
        let person = try await target(req, user)
        try await req.db.transaction { database in
            person.failedLogins = 0
            person.lockedUntil = nil
            try await person.save(on: database)
            try await AuditTrail.record("user.unlocked", by: req.auditActor, target: ("user", try person.requireID().uuidString), details: ["login": person.login], on: database)
        }
        return req.redirect(to: "/admin/users", redirectType: .normal)
    }

    /// For a lost phone: the second factor is removed and the person's sessions end; a role that needs MFA sets it
    /// up again at the next sign-in.
    @Sendable func resetSecondFactor(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.manageUsers)
        let person = try await target(req, user)
        guard person.id != user.id else {
            throw WebError(
                status: .forbidden, title: LocalizedText(ja: "自分の二要素認証は初期化できません", en: "Not your own second factor"),
                detail: LocalizedText(ja: "別の管理者に依頼してください。", en: "Ask another administrator.")
            )
        }
        try await req.db.transaction { database in
            person.mfaSecret = nil
            person.mfaPendingSecret = nil
            person.mfaLastStep = nil
            person.mfaEnrolledAt = nil
            person.recoveryCodes = nil
            try await person.save(on: database)
            try await UserSessionRecord.query(on: database).filter(\.$userID == person.requireID()).delete()
            try await APITokens.revokeAll(of: person.requireID(), on: database)
            try await AuditTrail.record("user.mfa_reset", by: req.auditActor, target: ("user", try person.requireID().uuidString), details: ["login": person.login], on: database)
        }
        return req.redirect(to: "/admin/users", redirectType: .normal)
    }
}

enum UserAdministrationPages {
    static func list(
        _ people: [UserAdministrationController.Person], me: CurrentUser, errors: [String: LocalizedText], form: [String: String],
        notice: LocalizedText?, context: PageContext
    ) -> HTML {
        Layout.page(context, title: context.t("利用者の管理", "People")) {
            h1 { context.t("利用者の管理", "People") }
            if let notice { p(.class("form-success"), .role("status"), .id("users-notice")) { context.t(notice) } }
            Tables.table(
                caption: nil,
                headers: [context.t("ログイン ID", "Login"), context.t("氏名", "Name"), context.t("ロール", "Role"), context.t("二要素認証", "2FA"),
                          context.t("状態", "Status"), context.t("操作", "Actions")],
                rows: people.map { person in
                    [
                        code { person.login }, .text(person.displayName),
                        person.id == me.id ? .text(context.t(person.role.name)) : roleForm(person, me: me, context: context),
                        .text(person.hasSecondFactor ? context.t("設定済", "On") : (Authorization.requiresSecondFactor(person.role) ? context.t("未設定（次回ログイン時に必須）", "Off (required at next sign-in)") : context.t("未設定", "Off"))),
                        .text(person.lockedUntil.map { context.t("ロック中（\(DateText.short($0)) まで）", "Locked until \(DateText.short($0))") } ?? (person.failedLogins > 0 ? context.t("失敗 \(person.failedLogins) 回", "\(person.failedLogins) failures") : context.t("有効", "Active"))),
                        actions(person, me: me, context: context),
                    ]
                }
            )
            section(.class("panel narrow")) {
                h2 { context.t("利用者の追加", "Add a person") }
                KamaeHTML.form(.method("post"), .action("/admin/users"), .class("stacked"), .id("add-user")) {
                    Forms.csrf(me)
                    Forms.field(id: "login", label: context.t("ログイン ID", "Login"), error: errors["login"].map(context.t)) {
                        input(.type("text"), .id("login"), .name("login"), .value(form["login"] ?? ""), .flag("required"), .attr("maxlength", "64"))
                    }
                    Forms.field(id: "name", label: context.t("氏名", "Name"), error: errors["name"].map(context.t)) {
                        input(.type("text"), .id("name"), .name("name"), .value(form["name"] ?? ""), .flag("required"), .attr("maxlength", "100"))
                    }
                    Forms.field(id: "role", label: context.t("ロール", "Role"), error: errors["role"].map(context.t)) {
                        select(.id("role"), .name("role")) {
                            for role in context.user?.organisationKind.roles ?? OrganisationKind.institution.roles {
                                option(.value(role.rawValue), form["role"] == role.rawValue ? .flag("selected") : .class("")) { context.t(role.name) }
                            }
                        }
                    }
                    Forms.field(
                        id: "password", label: context.t("初期パスワード", "Initial password"), error: errors["password"].map(context.t),
                        hint: context.t("12 文字以上。本人に安全な方法で伝えてください。", "At least 12 characters; hand it over safely.")
                    ) {
                        input(.type("password"), .id("password"), .name("password"), .attr("autocomplete", "new-password"), .flag("required"))
                    }
                    button(.type("submit")) { context.t("追加する", "Add") }
                }
            }
        }
    }

    private static func roleForm(_ person: UserAdministrationController.Person, me: CurrentUser, context: PageContext) -> HTML {
        KamaeHTML.form(.method("post"), .action("/admin/users/\(person.id)/role"), .class("inline")) {
            Forms.csrf(me)
            select(.name("role"), .aria("label", context.t("\(person.login) のロール", "Role of \(person.login)"))) {
                for role in me.organisationKind.roles {
                    option(.value(role.rawValue), role == person.role ? .flag("selected") : .class("")) { context.t(role.name) }
                }
            }
            button(.type("submit"), .class("small")) { context.t("変更", "Change") }
        }
    }

    private static func actions(_ person: UserAdministrationController.Person, me: CurrentUser, context: PageContext) -> HTML {
        .group {
            if person.lockedUntil != nil || person.failedLogins > 0 {
                KamaeHTML.form(.method("post"), .action("/admin/users/\(person.id)/unlock"), .class("inline")) {
                    Forms.csrf(me)
                    button(.type("submit"), .class("small")) { context.t("ロック解除", "Unlock") }
                }
            }
            if person.hasSecondFactor, person.id != me.id {
                KamaeHTML.form(.method("post"), .action("/admin/users/\(person.id)/reset-mfa"), .class("inline")) {
                    Forms.csrf(me)
                    button(.type("submit"), .class("small")) { context.t("二要素認証を初期化", "Reset 2FA") }
                }
            }
        }
    }
}
