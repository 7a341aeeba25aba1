import Foundation

/// Which edition of the guideline a catalog holds, so that an assessment can say what it answered.
public struct CatalogVersion: Sendable, Hashable, Codable {
    public var id: String
    public var titleJa: String
    public var titleEn: String
    public var publisherJa: String
    public var publisherEn: String
    /// ISO 8601 dates.
    public var established: String
    public var amended: String?
    public var source: String

    enum CodingKeys: String, CodingKey {
        case id, established, amended, source
        case titleJa = "title_ja", titleEn = "title_en"
        case publisherJa = "publisher_ja", publisherEn = "publisher_en"
    }
}

/// A numbered section of chapter 2 (e.g. 2.2.1.2), with its parent in the tree.
public struct CatalogSection: Sendable, Hashable, Codable, Identifiable {
    public var number: String
    public var parent: String?
    public var titleJa: String
    public var titleEn: String
    /// A lead sentence that applies to the section's items, in our words.
    public var noteJa: String?
    public var noteEn: String?

    public var id: String { number }
    public var title: LocalizedText { LocalizedText(ja: titleJa, en: titleEn) }
    public var note: LocalizedText? {
        guard let noteJa, let noteEn else { return nil }
        return LocalizedText(ja: noteJa, en: noteEn)
    }
    /// Depth below chapter 2: "2.1" is 1, "2.2.1.2" is 3.
    public var depth: Int { number.split(separator: ".").count - 1 }

    enum CodingKeys: String, CodingKey {
        case number, parent
        case titleJa = "title_ja", titleEn = "title_en"
        case noteJa = "note_ja", noteEn = "note_en"
    }
}

/// 基本的な対応事項 (basic, numbered ①②…) or 対応が望ましい事項 (desirable, lettered a b …).
public enum ItemKind: String, Sendable, Hashable, Codable, CaseIterable {
    case basic
    case desirable

    public var name: LocalizedText {
        switch self {
        case .basic: LocalizedText(ja: "基本的な対応事項", en: "Basic measure")
        case .desirable: LocalizedText(ja: "対応が望ましい事項", en: "Desirable measure")
        }
    }

    public var shortName: LocalizedText {
        switch self {
        case .basic: LocalizedText(ja: "基本", en: "Basic")
        case .desirable: LocalizedText(ja: "望ましい", en: "Desirable")
        }
    }
}

/// One numbered item of the guideline. Summaries and sub-points are Kamae's own words; the section,
/// label and kind are the guideline's facts.
public struct CatalogItem: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var section: String
    public var label: String
    public var kind: ItemKind
    public var titleJa: String
    public var titleEn: String
    public var summaryJa: String
    public var summaryEn: String
    public var subpoints: [LocalizedText]
    /// NIST CSF 2.0 categories, most relevant first.
    public var csf: [String]
    public var tags: [String]

    public var title: LocalizedText { LocalizedText(ja: titleJa, en: titleEn) }
    public var summary: LocalizedText { LocalizedText(ja: summaryJa, en: summaryEn) }
    /// The CSF 2.0 function of the primary category (e.g. "GV" for "GV.PO").
    public var csfFunction: String? { csf.first.flatMap { $0.split(separator: ".").first.map(String.init) } }
    /// How the guideline cites the item, e.g. "2.2.1.2①" or "2.1.1 d".
    public var citation: String {
        kind == .basic ? "\(section)\(label)" : "\(section) \(label)"
    }

    enum CodingKeys: String, CodingKey {
        case id, section, label, kind, subpoints, csf, tags
        case titleJa = "title_ja", titleEn = "title_en"
        case summaryJa = "summary_ja", summaryEn = "summary_en"
    }
}

/// One of the institution types the guideline applies to (§1.4).
public struct InstitutionType: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var ja: String
    public var en: String
    public var name: LocalizedText { LocalizedText(ja: ja, en: en) }
}

/// A KPI or KRI example the guideline gives for reporting to management (§2.1.1 d).
public struct IndicatorExample: Sendable, Hashable, Codable, Identifiable {
    public enum Kind: String, Sendable, Hashable, Codable { case kpi, kri }
    public var id: String
    public var kind: Kind
    public var ja: String
    public var en: String
    public var unit: String
    public var section: String
    public var name: LocalizedText { LocalizedText(ja: ja, en: en) }
}

/// A named label in both languages (tags, CSF categories).
public struct NamedTerm: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var ja: String
    public var en: String
    public var name: LocalizedText { LocalizedText(ja: ja, en: en) }
}
