import KamaeCore
import Vapor

/// The one error type at the web boundary. Pages render it as an HTML page in the visitor's language,
/// the API as RFC 9457 problem+json. The texts never contain internals.
struct WebError: AbortError, Sendable {
    var status: HTTPResponseStatus
    var title: LocalizedText
    var detail: LocalizedText
    /// The query parameter or field at fault, when there is one.
    var parameter: String?

    var reason: String { detail.en }

    static let notFound = WebError(
        status: .notFound,
        title: LocalizedText(ja: "見つかりません", en: "Not found"),
        detail: LocalizedText(ja: "指定されたページまたはデータは存在しません。", en: "The page or record you asked for does not exist.")
    )

    /// Well-formed input that breaks a rule (a refused file, an unknown guideline item): 422, naming the field.
    static func refusedParameter(_ name: String, ja: String, en: String) -> WebError {
        WebError(
            status: .unprocessableEntity,
            title: LocalizedText(ja: "入力内容を確認してください", en: "Input refused"),
            detail: LocalizedText(ja: "\(name): \(ja)", en: "\(name): \(en)"),
            parameter: name
        )
    }

    static func invalidParameter(_ name: String, ja: String, en: String) -> WebError {
        WebError(
            status: .badRequest,
            title: LocalizedText(ja: "入力値が正しくありません", en: "Invalid parameter"),
            detail: LocalizedText(ja: "\(name): \(ja)", en: "\(name): \(en)"),
            parameter: name
        )
    }

    static let internalError = WebError(
        status: .internalServerError,
        title: LocalizedText(ja: "内部エラー", en: "Internal error"),
        detail: LocalizedText(
            ja: "処理中に問題が発生しました。データは変更されていません。管理者にお問い合わせください。",
            en: "Something went wrong while handling the request. Nothing was changed. Please contact your administrator."
        )
    )
}

/// RFC 9457 problem details.
struct Problem: Content {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var instance: String?
    var parameter: String?
}

/// Turns every error into a problem document (for /api) or an error page, and logs what the user does not see.
struct ErrorMiddleware: AsyncMiddleware {
    /// The methods with a route at this path (parameters match any segment).
    static func methods(servingPath path: String, on app: Application) -> [HTTPMethod] {
        let segments = path.split(separator: "/").map(String.init)
        let methods = app.routes.all.filter { route in
            route.path.count == segments.count && zip(route.path, segments).allSatisfy { component, segment in
                switch component {
                case let .constant(constant): constant == segment
                case .parameter, .anything: true
                case .catchall: true
                }
            }
        }.map(\.method)
        return Array(Set(methods.map(\.rawValue))).sorted().map { HTTPMethod(rawValue: $0) }
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return render(error, for: request)
        }
    }

    func render(_ error: any Error, for request: Request) -> Response {
        let webError: WebError
        var allowed: [HTTPMethod] = []
        switch error {
        case let known as WebError:
            webError = known
        case is RouteNotFound where !Self.methods(servingPath: request.url.path, on: request.application).isEmpty:
            // The path exists with other methods: 405 with the methods that do work (RFC 9110 §15.5.6).
            allowed = Self.methods(servingPath: request.url.path, on: request.application)
            webError = WebError(
                status: .methodNotAllowed, title: LocalizedText(ja: "このメソッドは使えません", en: "Method not allowed"),
                detail: LocalizedText(
                    ja: "\(request.method.rawValue) はこのアドレスでは使えません。使えるのは \(allowed.map(\.rawValue).joined(separator: ", ")) です。",
                    en: "\(request.method.rawValue) is not allowed here; use \(allowed.map(\.rawValue).joined(separator: ", "))."
                )
            )
        case let abort as any AbortError where abort.status == .notFound:
            webError = .notFound
        case let abort as any AbortError where abort.status.code < 500:
            webError = WebError(
                status: abort.status,
                title: LocalizedText(ja: "リクエストを処理できません", en: abort.status.reasonPhrase),
                detail: LocalizedText(ja: abort.reason, en: abort.reason)
            )
        default:
            request.logger.error("Unhandled error on \(request.method) \(request.url.path): \(String(reflecting: error))")
            webError = .internalError
        }
        let language = request.language
        if webError.status == .unauthorized, !request.url.path.hasPrefix("/api/"), request.method == .GET {
            // A page that needs a signed-in user sends the visitor to sign in and back.
            let back = request.url.string.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "/"
            return request.redirect(to: "/login?return=\(back)", redirectType: .normal)
        }
        let response: Response
        if request.url.path.hasPrefix("/api/") {
            let problem = Problem(
                type: "about:blank", title: webError.title.en, status: Int(webError.status.code),
                detail: webError.detail.text(in: language), instance: request.url.path, parameter: webError.parameter
            )
            response = Response(status: webError.status)
            try? response.content.encode(problem, as: .json)
            response.headers.contentType = HTTPMediaType(type: "application", subType: "problem+json", parameters: ["charset": "utf-8"])
        } else {
            response = Response(status: webError.status)
            let page = ErrorPage.render(webError, context: PageContext(request: request))
            response.body = .init(string: page)
            response.headers.contentType = .html
        }
        if !allowed.isEmpty { response.headers.replaceOrAdd(name: .allow, value: allowed.map(\.rawValue).joined(separator: ", ")) }
        return response
    }
}
