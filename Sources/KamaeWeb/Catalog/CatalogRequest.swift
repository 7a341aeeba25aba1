import KamaeCore
import Vapor

/// How catalog results are ordered.
enum CatalogSort: String, CaseIterable, Sendable {
    /// The guideline's own order.
    case document
    /// Basic items first, then desirable, each in document order.
    case kind
    /// By NIST CSF 2.0 category.
    case csf

    var name: LocalizedText {
        switch self {
        case .document: LocalizedText(ja: "ガイドラインの順", en: "Guideline order")
        case .kind: LocalizedText(ja: "基本的な対応事項を先に", en: "Basic measures first")
        case .csf: LocalizedText(ja: "NIST CSF 2.0 カテゴリ順", en: "NIST CSF 2.0 category")
        }
    }

    func apply(_ items: [CatalogItem]) -> [CatalogItem] {
        switch self {
        case .document:
            return items
        case .kind:
            return items.filter { $0.kind == .basic } + items.filter { $0.kind == .desirable }
        case .csf:
            // Stable: ties keep document order.
            return items.enumerated()
                .sorted { ($0.element.csf.first ?? "", $0.offset) < ($1.element.csf.first ?? "", $1.offset) }
                .map(\.element)
        }
    }
}

extension CatalogQuery {
    /// Reads `q`, `kind`, `section` and `tag` from the query string, refusing values the catalog does not know.
    static func from(_ request: Request, catalog: Catalog) throws -> CatalogQuery {
        var query = CatalogQuery()
        if let text = request.query[String.self, at: "q"]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            guard text.count <= 200 else {
                throw WebError.invalidParameter("q", ja: "検索語は 200 文字以内にしてください。", en: "search text must be at most 200 characters.")
            }
            query.text = text
        }
        if let kind = nonEmpty(request, "kind") {
            guard let parsed = ItemKind(rawValue: kind) else {
                throw WebError.invalidParameter("kind", ja: "basic または desirable を指定してください。", en: "must be basic or desirable.")
            }
            query.kind = parsed
        }
        if let section = nonEmpty(request, "section") {
            guard catalog.section(section) != nil else {
                throw WebError.invalidParameter("section", ja: "ガイドラインにない節番号です（\(section.prefix(20))）。", en: "no such section in the guideline (\(section.prefix(20))).")
            }
            query.section = section
        }
        if let tag = nonEmpty(request, "tag") {
            guard catalog.tag(tag) != nil else {
                throw WebError.invalidParameter("tag", ja: "未定義のタグです（\(tag.prefix(40))）。", en: "unknown tag (\(tag.prefix(40))).")
            }
            query.tag = tag
        }
        return query
    }

    private static func nonEmpty(_ request: Request, _ name: String) -> String? {
        guard let value = request.query[String.self, at: name], !value.isEmpty else { return nil }
        return value
    }
}

extension CatalogSort {
    static func from(_ request: Request) throws -> CatalogSort {
        guard let raw = request.query[String.self, at: "sort"], !raw.isEmpty else { return .document }
        guard let sort = CatalogSort(rawValue: raw) else {
            throw WebError.invalidParameter("sort", ja: "document, kind, csf のいずれかを指定してください。", en: "must be one of document, kind, csf.")
        }
        return sort
    }
}
