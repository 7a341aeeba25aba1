import Fluent
import SQLKit
import KamaeCore
import KamaeHTML
import Vapor

/// API tokens: `Authorization: Bearer kamae_…`. An administrator issues a token for one person of the institution;
/// it acts as that person, with their role (so separation of duties holds for scripts too). Only the SHA-256 is stored.
enum APITokens {
    static let prefix = "kamae_"

    /// Who is calling the API, or nil when the header carries no valid token.
    static func authenticate(_ request: Request) async throws -> CurrentUser? {
        guard let bearer = request.headers.bearerAuthorization?.token, bearer.hasPrefix(prefix) else { return nil }
        let now = Date()
        guard let row = try await (request.db as! any SQLDatabase).raw("""
            SELECT t.id AS token_id, t.name AS token_name, t.expires_at, t.revoked_at, t.last_used_at,
                   u.id AS user_id, u.login, u.display_name, u.role, u.institution_id, i.name AS institution_name, i.kind AS institution_kind
            FROM api_tokens t JOIN users u ON u.id = t.user_id AND u.institution_id = t.institution_id
            JOIN institutions i ON i.id = t.institution_id
            WHERE t.token_hash = \(bind: Sessions.hash(bearer))
            """).first(),
            try row.decodeNil(column: "revoked_at"), try row.decode(column: "expires_at", as: Date.self) > now,
            var user = try CurrentUser(row: row)
        else { throw WebError.invalidToken }
        let tokenID = try row.decode(column: "token_id", as: UUID.self)
        if try row.decode(column: "last_used_at", as: Date?.self).map({ now.timeIntervalSince($0) > Sessions.touchInterval }) ?? true {
            try await APITokenRecord.query(on: request.db).filter(\.$id == tokenID).set(\.$lastUsedAt, to: now).update()
        }
        user.displayName = "\(user.displayName) (API: \(try row.decode(column: "token_name", as: String.self)))"
        user.viaAPI = true
        user.apiTokenID = tokenID
        return user
    }
}

extension APITokens {
    /// A password change, a role change or an MFA reset ends every token the person holds.
    static func revokeAll(of userID: UUID, on database: any Database, now: Date = Date()) async throws {
        try await APITokenRecord.query(on: database).filter(\.$userID == userID).filter(\.$revokedAt == nil).set(\.$revokedAt, to: now).update()
    }
}

extension WebError {
    static let invalidToken = WebError(
        status: .unauthorized,
        title: LocalizedText(ja: "トークンが無効です", en: "Invalid token"),
        detail: LocalizedText(ja: "API トークンが存在しないか、失効または期限切れです。", en: "The API token does not exist, was revoked, or has expired.")
    )
}

/// Administrators create and revoke their institution's API tokens.
struct APITokenController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("account", "tokens", use: list)
        routes.post("account", "tokens", use: create)
        routes.post("account", "tokens", ":id", "revoke", use: revoke)
    }

    struct TokenView: Sendable {
        var id: UUID
        var name: String
        var userName: String
        var role: Role
        var createdAt: Date
        var expiresAt: Date
        var lastUsedAt: Date?
        var revoked: Bool
    }

    @Sendable func list(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.issueAPITokens)
        return try await page(req, user: user, created: nil, errors: [:])
    }

    struct CreateForm: Content {
        var name: String?
        var user: String?
        var days: Int?
    }

    @Sendable func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.issueAPITokens)
        let form = try req.content.decode(CreateForm.self)
        var errors: [String: LocalizedText] = [:]
        let name = (form.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 100 { errors["name"] = LocalizedText(ja: "名前を 1〜100 文字で入力してください。", en: "Enter a name of 1 to 100 characters.") }
        let holder = try await form.user.flatMap(UUID.init(uuidString:)).asyncMap { id in
            try await UserRecord.query(on: req.db).filter(\.$id == id).filter(\.$institutionID == user.institutionID).first()
        } ?? nil
        // Roles that need MFA to sign in get no token: an approval always takes the approver's own second factor, and
        // an administrator cannot approve in someone else's name through the API.
        if holder == nil || !(holder.flatMap { Role(rawValue: $0.role) }.map { Authorization.mayIssueToken(issuer: user.role, forThemselves: holder?.id == user.id, holder: $0) } ?? false) {
            errors["user"] = LocalizedText(
                ja: "トークンを使う利用者を選んでください（管理者には発行できません。承認者のトークンは本人だけが発行できます）。",
                en: "Choose the person the token acts as (never an administrator; an approver's token only by the approver)."
            )
        }
        let days = form.days ?? 90
        if !(1...365).contains(days) { errors["days"] = LocalizedText(ja: "有効期間は 1〜365 日です。", en: "Validity must be 1 to 365 days.") }
        guard errors.isEmpty, let holder else { return try await page(req, user: user, created: nil, errors: errors, status: .unprocessableEntity) }
        let token = APITokens.prefix + Sessions.randomToken()
        let record = APITokenRecord()
        record.institutionID = user.institutionID
        record.userID = try holder.requireID()
        record.createdBy = user.id
        record.name = name
        record.tokenHash = Sessions.hash(token)
        record.createdAt = Date()
        record.expiresAt = Date().addingTimeInterval(Double(days) * 86400)
        try await req.db.transaction { database in
            try await record.create(on: database)
            try await AuditTrail.record(
                "api_token.created", by: req.auditActor, target: ("api_token", try record.requireID().uuidString),
                details: ["name": name, "acts_as": holder.login, "role": holder.role, "days": String(days)], on: database
            )
        }
        return try await page(req, user: user, created: token, errors: [:])
    }

    @Sendable func revoke(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.issueAPITokens)
        guard let id = req.parameters.get("id", as: UUID.self),
              let token = try await APITokenRecord.query(on: req.db).filter(\.$id == id).filter(\.$institutionID == user.institutionID).first(),
              user.may(.manageUsers) || token.userID == user.id
        else { throw WebError.notFound }
        token.revokedAt = Date()
        try await req.db.transaction { database in
            try await token.save(on: database)
            try await AuditTrail.record("api_token.revoked", by: req.auditActor, target: ("api_token", id.uuidString), details: ["name": token.name], on: database)
        }
        return req.redirect(to: "/account/tokens", redirectType: .normal)
    }

    private func page(_ req: Request, user: CurrentUser, created: String?, errors: [String: LocalizedText], status: HTTPResponseStatus = .ok) async throws -> Response {
        var query = APITokenRecord.query(on: req.db).filter(\.$institutionID == user.institutionID)
        // Administrators see every token of the institution; an approver sees their own.
        if !user.may(.manageUsers) { query = query.filter(\.$userID == user.id) }
        let tokens = try await query.sort(\.$createdAt, .descending).all()
        let people = try await UserRecord.query(on: req.db).filter(\.$institutionID == user.institutionID).sort(\.$login).all()
        let byID = Dictionary(people.compactMap { person in person.id.map { ($0, person) } }, uniquingKeysWith: { first, _ in first })
        let views = tokens.compactMap { token -> TokenView? in
            guard let id = token.id, let holder = byID[token.userID], let role = Role(rawValue: holder.role) else { return nil }
            return TokenView(id: id, name: token.name, userName: holder.displayName, role: role, createdAt: token.createdAt, expiresAt: token.expiresAt, lastUsedAt: token.lastUsedAt, revoked: token.revokedAt != nil)
        }
        let holders = people.filter { person in
            Role(rawValue: person.role).map { Authorization.mayIssueToken(issuer: user.role, forThemselves: person.id == user.id, holder: $0) } ?? false
        }.compactMap { person in
            person.id.map { (id: $0, name: "\(person.displayName)（\(person.login)）") }
        }
        return APITokenPages.list(views, holders: holders, created: created, errors: errors, context: PageContext(request: req)).response(status: status)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

enum APITokenPages {
    static func list(_ tokens: [APITokenController.TokenView], holders: [(id: UUID, name: String)], created: String?, errors: [String: LocalizedText], context: PageContext) -> HTML {
        Layout.page(context, title: context.t("API トークン", "API tokens")) {
            h1 { context.t("API トークン", "API tokens") }
            if let created {
                div(.class("form-success"), .role("status")) {
                    p { context.t("トークンを作成しました。この画面を離れると二度と表示されません。安全な場所に保管してください。", "Token created. It will not be shown again: store it safely now.") }
                    p { code(.id("new-token")) { created } }
                }
            }
            Tables.table(
                caption: nil,
                headers: [context.t("名前", "Name"), context.t("利用者", "Acts as"), context.t("ロール", "Role"), context.t("作成", "Created"), context.t("期限", "Expires"), context.t("最終利用", "Last used"), ""],
                rows: tokens.map { token in
                    [
                        .text(token.name), .text(token.userName), .text(context.t(token.role.name)), .text(DateText.short(token.createdAt)), .text(DateText.short(token.expiresAt)),
                        .text(token.lastUsedAt.map(DateText.long) ?? "—"),
                        token.revoked ? .text(context.t("失効済", "Revoked")) : revokeForm(token, context: context),
                    ]
                }
            )
            if let user = context.user {
                section(.class("panel")) {
                    h2 { context.t("トークンを作成", "Create a token") }
                    form(.method("post"), .action("/account/tokens"), .class("stacked")) {
                        Forms.csrf(user)
                        Forms.field(id: "token-name", label: context.t("名前（用途）", "Name (purpose)"), error: errors["name"].map(context.t)) {
                            input(.type("text"), .id("token-name"), .name("name"), .flag("required"), .attr("maxlength", "100"))
                        }
                        Forms.field(id: "token-user", label: context.t("利用者（トークンはこの人の権限で動作します）", "Acts as (the token has this person's role)"), error: errors["user"].map(context.t)) {
                            select(.id("token-user"), .name("user")) {
                                for holder in holders {
                                    option(.value(holder.id.uuidString)) { holder.name }
                                }
                            }
                        }
                        Forms.field(id: "token-days", label: context.t("有効期間（日）", "Valid for (days)"), error: errors["days"].map(context.t)) {
                            input(.type("number"), .id("token-days"), .name("days"), .value("90"), .attr("min", "1"), .attr("max", "365"))
                        }
                        button(.type("submit"), .id("create-token")) { context.t("作成", "Create") }
                    }
                }
            }
        }
    }

    static func revokeForm(_ token: APITokenController.TokenView, context: PageContext) -> HTML {
        guard let user = context.user else { return .empty }
        return form(.method("post"), .action("/account/tokens/\(token.id.uuidString)/revoke"), .class("inline")) {
            Forms.csrf(user)
            button(.type("submit"), .class("small secondary")) { context.t("失効させる", "Revoke") }
        }
    }
}
