import KamaeCore
import KamaeHTML
import Vapor

/// What every page needs to know about the request it answers: the language and where it is.
struct PageContext: Sendable {
    var language: Language
    /// Path and query of the current page, used to come back after switching language.
    var currentURL: String
    /// The signed-in user, if any; the layout shows their menu.
    var user: CurrentUser?

    init(language: Language, currentURL: String, user: CurrentUser? = nil) {
        self.language = language
        self.currentURL = currentURL
        self.user = user
    }

    init(request: Request) {
        self.init(language: request.language, currentURL: request.url.string, user: request.currentUser)
    }

    /// Picks the text for the page language.
    func t(_ ja: String, _ en: String) -> String {
        language == .ja ? ja : en
    }

    func t(_ text: LocalizedText) -> String {
        text.text(in: language)
    }

    /// The text in the page language, with the other language beside it in small type where it helps people
    /// who share pages across languages (e.g. a guideline item title).
    func bilingual(_ text: LocalizedText) -> HTML {
        let other: Language = language == .ja ? .en : .ja
        return .group {
            span(.lang(language.rawValue)) { text.text(in: language) }
            span(.class("other-language"), .lang(other.rawValue)) { text.text(in: other) }
        }
    }
}

extension HTML {
    /// Renders the page as an HTML response.
    func response(status: HTTPResponseStatus = .ok) -> Response {
        let response = Response(status: status, body: .init(string: render()))
        response.headers.contentType = .html
        return response
    }
}
