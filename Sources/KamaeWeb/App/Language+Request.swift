import KamaeCore
import Vapor

extension Request {
    static let languageCookie = "kamae_lang"

    /// The page language: the visitor's explicit choice (cookie), else Accept-Language, else Japanese.
    var language: Language {
        if let chosen = cookies[Request.languageCookie]?.string, let language = Language(rawValue: chosen) {
            return language
        }
        return Language.preferred(fromAcceptLanguage: headers.first(name: .acceptLanguage)) ?? .ja
    }
}

/// Remembers a language choice and returns the visitor to the page they were on.
struct LanguageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("language", ":code", use: choose)
    }

    @Sendable func choose(req: Request) throws -> Response {
        guard let code = req.parameters.get("code"), let language = Language(rawValue: code) else {
            throw WebError.notFound
        }
        let target = SafeRedirect.localPath(req.query[String.self, at: "return"]) ?? "/"
        let response = req.redirect(to: target, redirectType: .normal)
        response.cookies[Request.languageCookie] = HTTPCookies.Value(
            string: language.rawValue, maxAge: 60 * 60 * 24 * 365, path: "/", isSecure: false, isHTTPOnly: true, sameSite: .lax
        )
        return response
    }
}

/// Redirect targets must stay on this site: a path starting with a single '/'.
enum SafeRedirect {
    static func localPath(_ candidate: String?) -> String? {
        // Browsers drop tabs and line breaks and read "\\" as "/": refuse every control character and backslash,
        // then require a path with neither scheme nor host.
        guard let candidate, candidate.hasPrefix("/"), !candidate.hasPrefix("//"),
              !candidate.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || $0 == "\\" }),
              let components = URLComponents(string: candidate), components.scheme == nil, components.host == nil
        else { return nil }
        return candidate
    }
}
