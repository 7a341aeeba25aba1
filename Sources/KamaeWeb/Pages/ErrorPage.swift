import KamaeHTML

enum ErrorPage {
    static func render(_ error: WebError, context: PageContext) -> String {
        Layout.page(context, title: context.t(error.title)) {
            section(.class("error-page")) {
                h1 { context.t(error.title) }
                p { context.t(error.detail) }
                p { a(.href("/")) { context.t("トップへ戻る", "Back to the start page") } }
            }
        }.render()
    }
}
