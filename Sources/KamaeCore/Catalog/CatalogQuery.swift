import Foundation

/// A filter over the catalog: free text in either language, kind, section (with its subsections) and tag.
public struct CatalogQuery: Sendable, Hashable {
    public var text: String?
    public var kind: ItemKind?
    public var section: String?
    public var tag: String?

    public init(text: String? = nil, kind: ItemKind? = nil, section: String? = nil, tag: String? = nil) {
        self.text = text
        self.kind = kind
        self.section = section
        self.tag = tag
    }

    /// Search terms: the text split on ASCII and ideographic spaces, normalised (NFKC, lower case), all required.
    public var terms: [String] {
        guard let text else { return [] }
        return SearchNormalizer.normalize(text)
            .split(whereSeparator: { $0 == " " || $0 == "\u{3000}" || $0 == "\t" })
            .map(String.init)
    }

    public func matches(_ item: CatalogItem) -> Bool {
        if let kind, item.kind != kind { return false }
        if let section, !SectionNumber(item.section).isWithin(section) { return false }
        if let tag, !item.tags.contains(tag) { return false }
        let terms = terms
        if terms.isEmpty { return true }
        let haystack = SearchNormalizer.haystack(for: item)
        return terms.allSatisfy { haystack.contains($0) }
    }
}

extension Catalog {
    public func items(matching query: CatalogQuery) -> [CatalogItem] {
        items.filter(query.matches)
    }
}

/// Makes 'ＳＢＯＭ', 'sbom' and 'SBOM' find the same items, and half-width kana match full-width.
enum SearchNormalizer {
    static func normalize(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.lowercased()
    }

    static func haystack(for item: CatalogItem) -> String {
        var parts = [item.id, item.section, item.citation, item.titleJa, item.titleEn, item.summaryJa, item.summaryEn]
        parts += item.subpoints.flatMap { [$0.ja, $0.en] }
        parts += item.csf + item.tags
        return normalize(parts.joined(separator: "\n"))
    }
}
