import KamaeHTML

/// One way to lay out form fields: label, control, hint and the error that names what is wrong.
enum Forms {
    static func field(id: String, label text: String, error: String?, hint: String? = nil, @HTMLBuilder control: () -> [HTML]) -> HTML {
        div(.class(error == nil ? "field" : "field has-error")) {
            label(.for(id)) { text }
            HTML.fragment(control())
            if let hint {
                small(.class("hint"), .id("\(id)-hint")) { hint }
            }
            if let error {
                p(.class("field-error"), .id("\(id)-error"), .role("alert")) { error }
            }
        }
    }

    /// The session's CSRF token; every state-changing form includes it.
    static func csrf(_ user: CurrentUser) -> HTML {
        input(.type("hidden"), .name("_csrf"), .value(user.csrfToken ?? ""))
    }
}
