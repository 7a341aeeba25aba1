import Vapor

/// The one way Kamae pages a list, in the API and on pages: `page` (from 1) and `per_page` (1–200).
struct PageRequest: Sendable, Equatable {
    var page: Int
    var perPage: Int

    static let maximumPerPage = 200
    /// Far beyond any list Kamae holds; a bound keeps page × per_page from overflowing.
    static let maximumPage = 1_000_000

    static func from(_ request: Request, defaultPerPage: Int = 50) throws -> PageRequest {
        let page = try request.integerQuery("page") ?? 1
        let perPage = try request.integerQuery("per_page") ?? defaultPerPage
        guard (1...maximumPage).contains(page) else {
            throw WebError.invalidParameter("page", ja: "1 から \(maximumPage) の整数を指定してください。", en: "must be an integer from 1 to \(maximumPage).")
        }
        guard (1...maximumPerPage).contains(perPage) else {
            throw WebError.invalidParameter(
                "per_page", ja: "1 から \(maximumPerPage) の整数を指定してください。", en: "must be an integer from 1 to \(maximumPerPage)."
            )
        }
        return PageRequest(page: page, perPage: perPage)
    }


    func slice<T>(_ all: [T]) -> Paged<T> {
        let start = min((page - 1) * perPage, all.count)
        let end = min(start + perPage, all.count)
        return Paged(data: Array(all[start..<end]), meta: PageMeta(page: page, perPage: perPage, total: all.count))
    }
}

extension Request {
    /// An integer query parameter, or a refusal naming it in both languages.
    func integerQuery(_ name: String) throws -> Int? {
        guard let raw = query[String.self, at: name] else { return nil }
        // A page's links never send an empty value; for the API "page=" is not an integer (the document says so).
        if raw.isEmpty, !url.path.hasPrefix("/api/") { return nil }
        guard let value = Int(raw) else {
            throw WebError.invalidParameter(name, ja: "整数を指定してください（\(raw.prefix(40))）。", en: "must be an integer (got \(raw.prefix(40))).")
        }
        return value
    }

    /// Free-text search, at most 200 characters like every search in Kamae.
    func searchQuery(_ name: String = "q") throws -> String {
        let text = query[String.self, at: name] ?? ""
        guard text.count <= 200 else {
            throw WebError.invalidParameter(name, ja: "検索語は 200 文字以内です。", en: "at most 200 characters.")
        }
        return text
    }
}

struct PageMeta: Content, Equatable {
    var page: Int
    var perPage: Int
    var total: Int
    var totalPages: Int

    init(page: Int, perPage: Int, total: Int) {
        self.page = page
        self.perPage = perPage
        self.total = total
        self.totalPages = max(1, (total + perPage - 1) / perPage)
    }

    enum CodingKeys: String, CodingKey {
        case page, total
        case perPage = "per_page"
        case totalPages = "total_pages"
    }
}

/// A page of results and where it sits in the whole list.
struct Paged<T>: Sendable where T: Sendable {
    var data: [T]
    var meta: PageMeta
}

extension Paged: Content, Encodable, Decodable, RequestDecodable, ResponseEncodable, AsyncRequestDecodable, AsyncResponseEncodable where T: Codable {}
