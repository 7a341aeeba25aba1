import KamaeCore
import KamaeHTML

enum AccountPages {
    static func login(context: PageContext, login: String, returnTo: String, error: LocalizedText?) -> HTML {
        Layout.page(context, title: context.t("ログイン", "Sign in")) {
            section(.class("narrow panel")) {
                h1 { context.t("ログイン", "Sign in") }
                if let error {
                    p(.class("form-error"), .role("alert"), .id("login-error")) { context.t(error) }
                }
                form(.method("post"), .action("/login"), .class("stacked")) {
                    input(.type("hidden"), .name("return"), .value(returnTo))
                    Forms.field(id: "login", label: context.t("ログイン ID", "Login"), error: nil) {
                        input(.type("text"), .id("login"), .name("login"), .value(login), .attr("autocomplete", "username"), .flag("required"), .flag("autofocus"))
                    }
                    Forms.field(id: "password", label: context.t("パスワード", "Password"), error: nil) {
                        input(.type("password"), .id("password"), .name("password"), .attr("autocomplete", "current-password"), .flag("required"))
                    }
                    button(.type("submit"), .id("login-submit")) { context.t("ログイン", "Sign in") }
                }
            }
        }
    }

    static func password(context: PageContext, user: CurrentUser, errors: [String: LocalizedText], done: Bool) -> HTML {
        Layout.page(context, title: context.t("パスワード変更", "Change password")) {
            section(.class("narrow panel")) {
                h1 { context.t("パスワード変更", "Change password") }
                if done {
                    p(.class("form-success"), .role("status")) {
                        context.t("パスワードを変更しました。ほかの端末のセッションは終了しました。", "Your password was changed. Your other sessions were ended.")
                    }
                }
                form(.method("post"), .action("/account/password"), .class("stacked")) {
                    Forms.csrf(user)
                    Forms.field(id: "current", label: context.t("現在のパスワード", "Current password"), error: errors["current"].map(context.t)) {
                        input(.type("password"), .id("current"), .name("current"), .attr("autocomplete", "current-password"), .flag("required"))
                    }
                    Forms.field(
                        id: "new", label: context.t("新しいパスワード", "New password"), error: errors["new"].map(context.t),
                        hint: context.t("\(AccountController.minimumPasswordLength) 文字以上。ログイン ID を含めないでください。", "At least \(AccountController.minimumPasswordLength) characters, without your login.")
                    ) {
                        input(.type("password"), .id("new"), .name("new"), .attr("autocomplete", "new-password"), .flag("required"), .attr("minlength", String(AccountController.minimumPasswordLength)))
                    }
                    Forms.field(id: "confirm", label: context.t("新しいパスワード（確認）", "Confirm new password"), error: errors["confirm"].map(context.t)) {
                        input(.type("password"), .id("confirm"), .name("confirm"), .attr("autocomplete", "new-password"), .flag("required"))
                    }
                    button(.type("submit")) { context.t("変更する", "Change password") }
                }
            }
        }
    }
}
