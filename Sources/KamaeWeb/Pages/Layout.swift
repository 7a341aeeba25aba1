import Foundation
import KamaeCore
import KamaeHTML

/// The frame around every page: header with navigation and language switch, main content, footer.
enum Layout {
    static func page(_ context: PageContext, title: String, @HTMLBuilder content: () -> [HTML]) -> HTML {
        let body = content()
        let user = context.user
        return HTML.document(lang: context.language.rawValue) {
            meta(.attr("charset", "utf-8"))
            meta(.name("viewport"), .attr("content", "width=device-width, initial-scale=1"))
            HTML.element("title") { "\(title) | Kamae 構え" }
            link(.rel("stylesheet"), .href("/assets/kamae.css"))
        } body: {
            a(.class("skip-link"), .href("#main")) { context.t("本文へ移動", "Skip to content") }
            header(.class("site-header")) {
                a(.class("brand"), .href("/")) {
                    span(.class("brand-mark"), .aria("hidden", "true")) { "構" }
                    span { "Kamae" }
                }
                nav(.aria("label", context.t("メインメニュー", "Main menu"))) {
                    ul {
                        if let user, user.may(.supervise) {
                            li { a(.href("/supervision")) { context.t("提出状況", "Submissions") } }
                            li { a(.href("/supervision/analysis")) { context.t("セクター分析", "Sector analysis") } }
                            li { a(.href("/supervision/questionnaires")) { context.t("調査票", "Questionnaires") } }
                        } else if let user, user.may(.readAssessment) {
                            li { a(.href("/assessments")) { context.t("自己評価", "Self-assessment") } }
                            li { a(.href("/remediation")) { context.t("改善計画", "Roadmap") } }
                            li { a(.href("/registers"), .id("nav-registers")) { context.t("台帳", "Registers") } }
                            li { a(.href("/vulnerabilities"), .id("nav-vulnerabilities")) { context.t("脆弱性", "Vulnerabilities") } }
                            li { a(.href("/submission")) { context.t("提出と還元", "Submission") } }
                        }
                        if user != nil {
                            if let user, user.may(.manageUsers) {
                                li { a(.href("/admin/users")) { context.t("利用者", "People") } }
                            }
                            if let user, user.may(.issueAPITokens) {
                                li { a(.href("/account/tokens")) { context.t("API トークン", "API tokens") } }
                            }
                            if let user, user.may(.readAuditTrail) {
                                li { a(.href("/audit")) { context.t("監査ログ", "Audit trail") } }
                            }
                        }
                        li { a(.href("/catalog")) { context.t("ガイドライン項目", "Guideline catalog") } }
                        li { a(.href("/api/openapi.json")) { "API" } }
                    }
                }
                languageSwitch(context)
                if let user {
                    div(.class("user-menu")) {
                        span(.class("user-name"), .id("current-user")) { "\(user.displayName)（\(context.t(user.role.name))）" }
                        span(.class("institution-name")) { user.institutionName }
                        a(.href("/account/password")) { context.t("パスワード変更", "Password") }
                        a(.href("/account/mfa")) { context.t("二要素認証", "2FA") }
                        form(.method("post"), .action("/logout"), .class("inline")) {
                            Forms.csrf(user)
                            button(.type("submit"), .class("link-button"), .id("logout")) { context.t("ログアウト", "Sign out") }
                        }
                    }
                } else {
                    a(.href("/login"), .class("login-link"), .id("login-link")) { context.t("ログイン", "Sign in") }
                }
            }
            KamaeHTML.main(.id("main")) { HTML.fragment(body) }
            footer(.class("site-footer")) {
                p {
                    context.t(
                        "Kamae はオープンソースのサイバーセキュリティ管理態勢ツールです。ガイドライン項目の要約は Kamae 独自の表現であり、原文は金融庁の公表資料を参照してください。",
                        "Kamae is open-source software for cyber-security management. Item summaries are Kamae's own words; for the authoritative text see the FSA's publication."
                    )
                }
            }
        }
    }

    static func languageSwitch(_ context: PageContext) -> HTML {
        let returnTo = context.currentURL.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "/"
        return div(.class("language-switch"), .role("group"), .aria("label", context.t("表示言語", "Language"))) {
            for language in Language.allCases {
                if language == context.language {
                    span(.class("current"), .aria("current", "true"), .lang(language.rawValue)) { language.displayName }
                } else {
                    a(.href("/language/\(language.rawValue)?return=\(returnTo)"), .lang(language.rawValue), .attr("hreflang", language.rawValue), .id("lang-\(language.rawValue)")) {
                        language.displayName
                    }
                }
            }
        }
    }
}

extension Language {
    var displayName: String {
        switch self {
        case .ja: "日本語"
        case .en: "English"
        }
    }
}

extension CharacterSet {
    /// Characters that may stand unescaped inside one query value.
    static let urlQueryValueAllowed: CharacterSet = {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return allowed
    }()
}
