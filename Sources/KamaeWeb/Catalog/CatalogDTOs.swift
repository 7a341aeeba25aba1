import KamaeCore
import Vapor

// What the API and the CLI print for the catalog. Field names are part of the contract scripts rely on.

struct ItemDTO: Content, Equatable {
    var id: String
    var section: String
    var label: String
    var kind: String
    var titleJa: String
    var titleEn: String
    var summaryJa: String
    var summaryEn: String
    var subpoints: [SubpointDTO]
    var csf: [String]
    var tags: [String]
    var citation: String

    init(_ item: CatalogItem) {
        id = item.id
        section = item.section
        label = item.label
        kind = item.kind.rawValue
        titleJa = item.titleJa
        titleEn = item.titleEn
        summaryJa = item.summaryJa
        summaryEn = item.summaryEn
        subpoints = item.subpoints.map { SubpointDTO(ja: $0.ja, en: $0.en) }
        csf = item.csf
        tags = item.tags
        citation = item.citation
    }

    enum CodingKeys: String, CodingKey {
        case id, section, label, kind, subpoints, csf, tags, citation
        case titleJa = "title_ja", titleEn = "title_en"
        case summaryJa = "summary_ja", summaryEn = "summary_en"
    }
}

struct SubpointDTO: Content, Equatable {
    var ja: String
    var en: String
}

struct SectionDTO: Content, Equatable {
    var number: String
    var parent: String?
    var titleJa: String
    var titleEn: String
    var depth: Int
    /// Items this section numbers itself.
    var basicItems: Int
    var desirableItems: Int
    /// Items in this section and all its subsections.
    var basicItemsTotal: Int
    var desirableItemsTotal: Int

    init(section: CatalogSection, catalog: Catalog) {
        number = section.number
        parent = section.parent
        titleJa = section.titleJa
        titleEn = section.titleEn
        depth = section.depth
        let own = catalog.ownCounts(of: section.number)
        let all = catalog.counts(under: section.number)
        basicItems = own.basic
        desirableItems = own.desirable
        basicItemsTotal = all.basic
        desirableItemsTotal = all.desirable
    }

    enum CodingKeys: String, CodingKey {
        case number, parent, depth
        case titleJa = "title_ja", titleEn = "title_en"
        case basicItems = "basic_items", desirableItems = "desirable_items"
        case basicItemsTotal = "basic_items_total", desirableItemsTotal = "desirable_items_total"
    }
}

struct CatalogSummaryDTO: Content, Equatable {
    var version: String
    var titleJa: String
    var titleEn: String
    var established: String
    var amended: String?
    var basicItems: Int
    var desirableItems: Int
    var totalItems: Int
    var sections: Int

    init(catalog: Catalog) {
        version = catalog.version.id
        titleJa = catalog.version.titleJa
        titleEn = catalog.version.titleEn
        established = catalog.version.established
        amended = catalog.version.amended
        let totals = catalog.totals
        basicItems = totals.basic
        desirableItems = totals.desirable
        totalItems = totals.total
        sections = catalog.sections.count
    }

    enum CodingKeys: String, CodingKey {
        case version, established, amended, sections
        case titleJa = "title_ja", titleEn = "title_en"
        case basicItems = "basic_items", desirableItems = "desirable_items", totalItems = "total_items"
    }
}

struct InstitutionTypeDTO: Content, Equatable {
    var id: String
    var nameJa: String
    var nameEn: String

    enum CodingKeys: String, CodingKey {
        case id
        case nameJa = "name_ja", nameEn = "name_en"
    }
}
