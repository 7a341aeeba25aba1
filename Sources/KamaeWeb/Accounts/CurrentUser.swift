import Fluent
import SQLKit
import KamaeCore
import Vapor

/// The signed-in person, as every page and API handler sees them. Built once per request from the session.
struct CurrentUser: Sendable {
    var id: UUID
    var login: String
    var displayName: String
    var role: Role
    var institutionID: UUID
    var institutionName: String
    /// A financial institution or a supervisor: decides which roles its people can hold.
    var organisationKind: OrganisationKind = .institution
    var sessionID: UUID?
    var csrfToken: String?
    /// True when the request came with an API token rather than a browser session.
    var viaAPI = false
    /// The token, for the audit trail (whose issuer is recorded with the token).
    var apiTokenID: UUID?

    var changeSource: ChangeSource { viaAPI ? .api : .web }

    /// The one authorisation check for activities inside the user's own organisation.
    func require(_ activity: Activity) throws {
        guard may(activity) else { throw WebError.forbidden(role: role) }
    }

    /// The same for a workflow step, asked before anything is looked up (the state rules come after).
    func require(_ action: WorkflowAction) throws {
        guard may(action) else { throw WebError.workflow(.notAllowedForRole(role, action)) }
    }
}

extension CurrentUser {
    /// What pages ask to decide which links and buttons to show; `require` asks the same.
    func may(_ activity: Activity) -> Bool { Authorization.allows(role, activity, in: organisationKind) }
    func may(_ action: WorkflowAction) -> Bool { Authorization.allows(role, workflow: action, in: organisationKind) }

    /// The person from a row with the columns user_id, login, display_name, role, institution_id, institution_name
    /// and institution_kind (the credential lookups join them in one query); nil for a role this version does not
    /// know or one their kind of organisation cannot hold.
    init?(row: any SQLRow) throws {
        guard let role = Role(rawValue: try row.decode(column: "role", as: String.self)),
              let kind = OrganisationKind(rawValue: try row.decode(column: "institution_kind", as: String.self)), kind.roles.contains(role)
        else { return nil }
        self.init(
            id: try row.decode(column: "user_id", as: UUID.self), login: try row.decode(column: "login", as: String.self),
            displayName: try row.decode(column: "display_name", as: String.self), role: role,
            institutionID: try row.decode(column: "institution_id", as: UUID.self),
            institutionName: try row.decode(column: "institution_name", as: String.self), organisationKind: kind, sessionID: nil, csrfToken: nil
        )
    }
}

extension Request {
    private struct CurrentUserKey: StorageKey { typealias Value = CurrentUser }

    var currentUser: CurrentUser? {
        get { storage[CurrentUserKey.self] }
        set { storage[CurrentUserKey.self] = newValue }
    }

    /// The signed-in user, or a redirect to the login page (pages) / 401 (API).
    func requireUser() throws -> CurrentUser {
        guard let user = currentUser else { throw WebError.unauthenticated }
        return user
    }
}

extension WebError {
    static let unauthenticated = WebError(
        status: .unauthorized,
        title: LocalizedText(ja: "ログインが必要です", en: "Sign-in required"),
        detail: LocalizedText(ja: "このページを見るにはログインしてください。", en: "Sign in to see this page.")
    )

    static func forbidden(role: Role) -> WebError {
        WebError(
            status: .forbidden,
            title: LocalizedText(ja: "権限がありません", en: "Not allowed"),
            detail: LocalizedText(ja: "\(role.name.ja)の権限ではこの操作を行えません。", en: "Your role (\(role.name.en)) does not allow this.")
        )
    }

    static let csrfRejected = WebError(
        status: .forbidden,
        title: LocalizedText(ja: "フォームの有効期限切れ", en: "Form expired"),
        detail: LocalizedText(
            ja: "フォームの確認トークンが一致しません。ページを再読み込みしてからもう一度送信してください。入力内容は保存されていません。",
            en: "The form's security token did not match. Reload the page and submit again; nothing was saved."
        )
    )
}
