import Foundation

/// The guideline as data: every section of chapter 2 and every numbered item, in document order.
public struct Catalog: Sendable {
    public let version: CatalogVersion
    public let root: CatalogSection
    /// Sections below the root in document order (2.1, 2.1.1, …, 2.6).
    public let sections: [CatalogSection]
    /// Items in document order: by section, basic before desirable, then by label.
    public let items: [CatalogItem]
    public let institutionTypes: [InstitutionType]
    public let indicators: [IndicatorExample]
    public let tags: [NamedTerm]
    public let csfCategories: [NamedTerm]

    private let itemsByID: [String: Int]
    private let sectionsByNumber: [String: CatalogSection]

    /// The catalog shipped inside the binary. Loading it validates it; a broken resource is a build defect.
    public static let bundled: Catalog = {
        do {
            return try Catalog.load(from: Bundle.module.url(forResource: "Data", withExtension: nil)!)
        } catch {
            fatalError("The bundled guideline catalog is invalid: \(error)")
        }
    }()

    public init(
        version: CatalogVersion, root: CatalogSection, sections: [CatalogSection], items: [CatalogItem],
        institutionTypes: [InstitutionType], indicators: [IndicatorExample], tags: [NamedTerm],
        csfCategories: [NamedTerm]
    ) throws {
        let orderedSections = sections.sorted { SectionNumber($0.number) < SectionNumber($1.number) }
        let sectionIndex = Dictionary(orderedSections.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        let orderedItems = items.sorted { a, b in
            let (sa, sb) = (SectionNumber(a.section), SectionNumber(b.section))
            if sa != sb { return sa < sb }
            if a.kind != b.kind { return a.kind == .basic }
            return LabelOrder.rank(a.label) < LabelOrder.rank(b.label)
        }
        self.version = version
        self.root = root
        self.sections = orderedSections
        self.items = orderedItems
        self.institutionTypes = institutionTypes
        self.indicators = indicators
        self.tags = tags
        self.csfCategories = csfCategories
        self.sectionsByNumber = sectionIndex
        self.itemsByID = Dictionary(orderedItems.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        try CatalogValidator(catalog: self, rawSections: sections, rawItems: items).validate()
    }

    public func item(id: String) -> CatalogItem? {
        itemsByID[id].map { items[$0] }
    }

    public func section(_ number: String) -> CatalogSection? {
        number == root.number ? root : sectionsByNumber[number]
    }

    /// The chain of sections from the top (2.x) down to `number`, without the root.
    public func path(to number: String) -> [CatalogSection] {
        var chain: [CatalogSection] = []
        var current = sectionsByNumber[number]
        while let section = current {
            chain.insert(section, at: 0)
            current = section.parent.flatMap { sectionsByNumber[$0] }
        }
        return chain
    }

    public func children(of number: String) -> [CatalogSection] {
        sections.filter { $0.parent == number }
    }

    /// Items of exactly this section (not its subsections).
    public func items(inSection number: String) -> [CatalogItem] {
        items.filter { $0.section == number }
    }

    public func tag(_ id: String) -> NamedTerm? { tags.first { $0.id == id } }
    public func csfCategory(_ id: String) -> NamedTerm? { csfCategories.first { $0.id == id } }
    public func institutionType(_ id: String) -> InstitutionType? { institutionTypes.first { $0.id == id } }

    /// Item counts per kind for a section and everything below it ("2" counts the whole chapter).
    public func counts(under number: String) -> KindCounts {
        var counts = KindCounts()
        for item in items where SectionNumber(item.section).isWithin(number) {
            counts.add(item.kind)
        }
        return counts
    }

    /// Item counts per kind for exactly the items a section numbers itself.
    public func ownCounts(of number: String) -> KindCounts {
        var counts = KindCounts()
        for item in items where item.section == number { counts.add(item.kind) }
        return counts
    }

    public var totals: KindCounts { counts(under: root.number) }
}

/// How many basic and desirable items there are.
public struct KindCounts: Sendable, Hashable, Codable {
    public var basic = 0
    public var desirable = 0
    public var total: Int { basic + desirable }

    public init(basic: Int = 0, desirable: Int = 0) {
        self.basic = basic
        self.desirable = desirable
    }

    mutating func add(_ kind: ItemKind) {
        switch kind {
        case .basic: basic += 1
        case .desirable: desirable += 1
        }
    }
}

/// A section number compared component by component, so that 2.2.10 sorts after 2.2.9.
public struct SectionNumber: Comparable, Hashable, Sendable {
    public let components: [Int]

    public init(_ text: String) {
        components = text.split(separator: ".").map { Int($0) ?? 0 }
    }

    public static func < (lhs: SectionNumber, rhs: SectionNumber) -> Bool {
        lhs.components.lexicographicallyPrecedes(rhs.components)
    }

    /// True when this number is `ancestor` or lies below it ("2.2.1.2" is within "2.2" but not within "2.2.2").
    public func isWithin(_ ancestor: String) -> Bool {
        let prefix = SectionNumber(ancestor).components
        return components.count >= prefix.count && Array(components.prefix(prefix.count)) == prefix
    }

    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return !parts.isEmpty && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && Int($0) != nil }
    }
}

/// The guideline labels basic items ①…⑳ and desirable items a, b, c…
public enum LabelOrder {
    public static let circledNumbers: [String] = (0..<20).map { String(UnicodeScalar(0x2460 + $0)!) }
    public static let letters: [String] = (UInt8(ascii: "a")...UInt8(ascii: "z")).map { String(UnicodeScalar($0)) }

    /// Position of a label within its kind, or nil if it is not a guideline label.
    public static func rank(_ label: String) -> Int {
        if let index = circledNumbers.firstIndex(of: label) { return index + 1 }
        if let index = letters.firstIndex(of: label) { return index + 1 }
        return Int.max
    }

    /// The id suffix for a label: "B3" for ③, "Dc" for c.
    public static func idSuffix(kind: ItemKind, label: String) -> String? {
        switch kind {
        case .basic: circledNumbers.firstIndex(of: label).map { "B\($0 + 1)" }
        case .desirable: letters.contains(label) ? "D\(label)" : nil
        }
    }
}
