import Foundation
import KamaeCore
import KamaeHTML
import KamaeTrust

enum SecondFactorPages {
    static func code(context: PageContext, csrf: String, returnTo: String, error: LocalizedText?, demoCode: String?) -> HTML {
        Layout.page(context, title: context.t("確認コード", "Verification code")) {
            section(.class("narrow panel")) {
                h1 { context.t("確認コードの入力", "Enter your verification code") }
                p { context.t("認証アプリに表示されている 6 桁のコード、またはリカバリーコードを入力してください。", "Enter the 6-digit code from your authenticator app, or one of your recovery codes.") }
                if let error {
                    p(.class("form-error"), .role("alert"), .id("mfa-error")) { context.t(error) }
                }
                if let demoCode {
                    p(.class("notice"), .id("demo-code")) {
                        context.t("デモ用アカウントです（シークレットは公開されています）。現在のコード: ", "A demo account (its secret is public). Current code: ")
                        strong { demoCode }
                    }
                }
                form(.method("post"), .action("/login/mfa"), .class("stacked")) {
                    input(.type("hidden"), .name("_csrf"), .value(csrf))
                    input(.type("hidden"), .name("return"), .value(returnTo))
                    Forms.field(id: "code", label: context.t("確認コード", "Code"), error: nil) {
                        input(
                            .type("text"), .id("code"), .name("code"), .attr("autocomplete", "one-time-code"), .attr("inputmode", "numeric"),
                            .attr("maxlength", "20"), .flag("required"), .flag("autofocus")
                        )
                    }
                    button(.type("submit"), .id("mfa-submit")) { context.t("確認", "Verify") }
                }
                form(.method("post"), .action("/logout")) {
                    input(.type("hidden"), .name("_csrf"), .value(csrf))
                    button(.type("submit"), .class("link-button")) { context.t("中止してログアウト", "Cancel and sign out") }
                }
            }
        }
    }

    static func setup(context: PageContext, csrf: String, user: UserRecord, pendingSecret: String?, role: Role, returnTo: String, error: LocalizedText?) throws -> HTML {
        let required = Authorization.requiresSecondFactor(role)
        return Layout.page(context, title: context.t("二要素認証", "Two-factor authentication")) {
            section(.class("narrow panel")) {
                h1 { context.t("二要素認証（TOTP）", "Two-factor authentication (TOTP)") }
                if let enrolled = user.mfaEnrolledAt, user.mfaSecret != nil {
                    p(.class("form-success"), .id("mfa-status")) {
                        context.t("設定済みです（\(DateText.short(enrolled))）。", "Set up on \(DateText.short(enrolled)).")
                    }
                    p {
                        context.t(
                            "未使用のリカバリーコード: \(user.recoveryCodes?.split(separator: " ").count ?? 0) 個",
                            "Unused recovery codes: \(user.recoveryCodes?.split(separator: " ").count ?? 0)"
                        )
                    }
                    form(.method("post"), .action("/account/mfa/recovery-codes")) {
                        input(.type("hidden"), .name("_csrf"), .value(csrf))
                        button(.type("submit")) { context.t("リカバリーコードを再発行（古いコードは無効）", "New recovery codes (the old ones stop working)") }
                    }
                } else if let pending = pendingSecret {
                    if required {
                        p(.class("notice"), .id("mfa-required")) {
                            context.t("\(role.name.ja)の権限では二要素認証が必須です。設定が終わるとログインが完了します。", "Your role (\(role.name.en)) requires two-factor authentication. Signing in finishes once it is set up.")
                        }
                    }
                    ol {
                        li { context.t("認証アプリ（Google Authenticator、Microsoft Authenticator など）で QR コードを読み取ります。", "Scan the QR code with an authenticator app (Google Authenticator, Microsoft Authenticator, …).") }
                        li { context.t("読み取れない場合は次のキーを手入力します。", "If you cannot scan it, type this key:") }
                    }
                    qrCode(secret: pending, account: user.login, context: context)
                    p { KamaeHTML.code(.id("mfa-secret")) { grouped(pending) } }
                    if let error {
                        p(.class("form-error"), .role("alert"), .id("mfa-error")) { context.t(error) }
                    }
                    form(.method("post"), .action("/account/mfa/enable"), .class("stacked")) {
                        input(.type("hidden"), .name("_csrf"), .value(csrf))
                        input(.type("hidden"), .name("return"), .value(returnTo))
                        Forms.field(id: "code", label: context.t("アプリに表示された 6 桁のコード", "The 6-digit code the app shows"), error: nil) {
                            input(.type("text"), .id("code"), .name("code"), .attr("autocomplete", "one-time-code"), .attr("inputmode", "numeric"), .attr("maxlength", "8"), .flag("required"))
                        }
                        button(.type("submit"), .id("mfa-enable")) { context.t("有効にする", "Turn on") }
                    }
                }
            }
        }
    }

    static func recoveryCodes(context: PageContext, codes: [String], continueTo: String) -> HTML {
        Layout.page(context, title: context.t("リカバリーコード", "Recovery codes")) {
            section(.class("narrow panel")) {
                h1 { context.t("リカバリーコード", "Recovery codes") }
                p(.class("notice")) {
                    context.t(
                        "認証アプリが使えないときに 1 回ずつ使えます。今だけ表示されます。印刷するか安全な場所に保管してください。",
                        "Each works once when your authenticator app is not at hand. They are shown only now: print them or keep them somewhere safe."
                    )
                }
                ul(.class("recovery-codes"), .id("recovery-codes")) {
                    for code in codes { li { KamaeHTML.code { code } } }
                }
                a(.href(continueTo), .class("button"), .id("continue")) { context.t("続ける", "Continue") }
            }
        }
    }

    static func sessionsEnded(context: PageContext, count: Int) -> HTML {
        Layout.page(context, title: context.t("セッションの終了", "Sessions ended")) {
            section(.class("narrow panel")) {
                h1 { context.t("ほかのセッションを終了しました", "Your other sessions were ended") }
                p(.id("sessions-ended")) { context.t("終了したセッション: \(count) 件", "Sessions ended: \(count)") }
                a(.href("/account/password")) { context.t("アカウントに戻る", "Back to your account") }
            }
        }
    }

    /// The otpauth URI as a QR code, drawn from the code's modules (no image file, nothing inline to execute).
    private static func qrCode(secret: String, account: String, context: PageContext) -> HTML {
        let uri = TOTP(secret: (try? Base32.decode(secret)) ?? []).provisioningURI(issuer: "Kamae", account: account)
        guard let qr = try? QRCode(text: uri) else { return .group {} }
        let size = qr.modules.count + 8
        return HTML.element("svg", [
            Attribute("xmlns", "http://www.w3.org/2000/svg"), Attribute("viewBox", "0 0 \(size) \(size)"), Attribute("width", "200"),
            Attribute("height", "200"), Attribute("shape-rendering", "crispEdges"), .role("img"), .id("mfa-qr"),
            .aria("label", context.t("認証アプリ用の QR コード", "QR code for the authenticator app")),
        ]) {
            HTML.element("rect", [Attribute("width", "\(size)"), Attribute("height", "\(size)"), Attribute("fill", "#fff")])
            HTML.element("path", [Attribute("fill", "#000"), Attribute("d", qr.pathData(quietZone: 4))])
        }
    }

    private static func grouped(_ secret: String) -> String {
        stride(from: 0, to: secret.count, by: 4).map { start in
            let from = secret.index(secret.startIndex, offsetBy: start)
            return String(secret[from..<(secret.index(from, offsetBy: 4, limitedBy: secret.endIndex) ?? secret.endIndex)])
        }.joined(separator: " ")
    }
}
