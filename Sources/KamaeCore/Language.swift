import Foundation

/// The languages Kamae speaks. Japanese is the default everywhere.
public enum Language: String, Sendable, Hashable, CaseIterable, Codable {
    case ja
    case en

    /// Picks the first supported language from an Accept-Language header value, honouring q-values.
    public static func preferred(fromAcceptLanguage header: String?) -> Language? {
        guard let header, !header.isEmpty else { return nil }
        let ranked = header.split(separator: ",").compactMap { part -> (tag: String, q: Double)? in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased(), !tag.isEmpty else { return nil }
            var q = 1.0
            for parameter in pieces.dropFirst() where parameter.hasPrefix("q=") {
                q = Double(parameter.dropFirst(2)) ?? 0
            }
            return (tag, q)
        }
        .filter { $0.q > 0 }
        .enumerated()
        .sorted { ($0.element.q, -$0.offset) > ($1.element.q, -$1.offset) }
        .map(\.element)
        for entry in ranked {
            let primary = entry.tag.split(separator: "-").first.map(String.init) ?? entry.tag
            if let language = Language(rawValue: primary) { return language }
        }
        return nil
    }
}

/// A text held in both languages; Kamae keeps every text for people in Japanese and English.
public struct LocalizedText: Sendable, Hashable, Codable {
    public var ja: String
    public var en: String

    public init(ja: String, en: String) {
        self.ja = ja
        self.en = en
    }

    public func text(in language: Language) -> String {
        switch language {
        case .ja: ja
        case .en: en
        }
    }
}
