import Foundation
import Testing
@testable import KamaeCore

/// Items per section as numbered in the guideline text (2024-10-04, amended 2025-07-04), counted by hand from
/// chapter 2: ①… under 【基本的な対応事項】 and a. … under 【対応が望ましい事項】.
let itemsPerSectionInTheText: [String: (basic: Int, desirable: Int)] = [
    "2.1.1": (9, 5), "2.1.2": (2, 0), "2.1.3": (4, 0), "2.1.4": (2, 1), "2.1.5": (2, 1),
    "2.2.1": (2, 0), "2.2.1.1": (1, 0), "2.2.1.2": (1, 5), "2.2.1.3": (1, 0), "2.2.1.4": (1, 0),
    "2.2.2.1": (3, 3), "2.2.2.2": (3, 2), "2.2.2.3": (3, 0), "2.2.2.4": (3, 2),
    "2.2.3": (6, 1), "2.2.4": (1, 4), "2.2.5": (5, 4),
    "2.3": (1, 0), "2.3.1": (8, 0), "2.3.2": (5, 2), "2.3.3": (5, 2),
    "2.3.4.1": (4, 4), "2.3.4.2": (2, 0), "2.3.4.3": (2, 1), "2.3.4.4": (5, 3), "2.3.4.5": (6, 0),
    "2.4": (2, 0), "2.4.1": (7, 3),
    "2.5.1": (1, 1), "2.5.2.1": (3, 0), "2.5.2.2": (2, 0), "2.5.2.3": (5, 0), "2.5.2.4": (2, 1), "2.5.2.5": (1, 0), "2.5.2.6": (6, 0),
    "2.6": (10, 5),
]

/// Headings of chapter 2 that number no items of their own.
let headingOnlySections: Set<String> = ["2.1", "2.2", "2.2.2", "2.3.4", "2.5", "2.5.2"]

@Suite struct CatalogContentTests {
    let catalog = Catalog.bundled

    @Test func totalsAreTheTextsCounts() {
        #expect(catalog.totals.basic == 126)
        #expect(catalog.totals.desirable == 50)
        #expect(catalog.totals.total == 176)
    }

    @Test func everySectionHoldsTheItemsTheTextNumbers() {
        for section in catalog.sections {
            let counts = catalog.ownCounts(of: section.number)
            let expected = itemsPerSectionInTheText[section.number] ?? (0, 0)
            #expect(counts.basic == expected.basic, "basic items in \(section.number)")
            #expect(counts.desirable == expected.desirable, "desirable items in \(section.number)")
        }
    }

    @Test func theSectionTreeIsComplete() {
        let numbers = Set(catalog.sections.map(\.number))
        #expect(numbers == Set(itemsPerSectionInTheText.keys).union(headingOnlySections))
        #expect(catalog.sections.count == 42)
        #expect(catalog.children(of: "2").map(\.number) == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6"])
        #expect(catalog.path(to: "2.2.1.2").map(\.number) == ["2.2", "2.2.1", "2.2.1.2"])
    }

    @Test func idsAreUniqueAndFollowTheLabels() {
        #expect(Set(catalog.items.map(\.id)).count == catalog.items.count)
        for item in catalog.items {
            let suffix = LabelOrder.idSuffix(kind: item.kind, label: item.label)
            #expect(suffix != nil && item.id == "\(item.section)-\(suffix!)", "\(item.id)")
        }
        #expect(catalog.item(id: "2.2.1.2-B1")?.label == "①")
        #expect(catalog.item(id: "2.1.1-Dd")?.kind == .desirable)
    }

    @Test func everyTextExistsInBothLanguages() {
        for section in catalog.sections {
            #expect(!section.titleJa.isEmpty && !section.titleEn.isEmpty, "\(section.number)")
        }
        for item in catalog.items {
            for text in [item.titleJa, item.titleEn, item.summaryJa, item.summaryEn] {
                #expect(!text.trimmingCharacters(in: .whitespaces).isEmpty, "\(item.id)")
            }
            // Japanese texts are Japanese, English texts are not.
            #expect(item.summaryJa.unicodeScalars.contains { $0.value >= 0x3040 && $0.value <= 0x9FFF }, "\(item.id) summary_ja")
            #expect(!item.summaryEn.unicodeScalars.contains { $0.value >= 0x3040 && $0.value <= 0x9FFF }, "\(item.id) summary_en")
            for point in item.subpoints {
                #expect(!point.ja.isEmpty && !point.en.isEmpty, "\(item.id) subpoint")
            }
        }
    }

    @Test func itemsAreInDocumentOrder() {
        let ids = catalog.items.prefix(3).map(\.id)
        #expect(ids == ["2.1.1-B1", "2.1.1-B2", "2.1.1-B3"])
        #expect(catalog.items.last?.id == "2.6-De")
        // ⑩ sorts after ⑨ (a string sort would not).
        let thirdParty = catalog.items(inSection: "2.6").filter { $0.kind == .basic }.map(\.label)
        #expect(thirdParty == Array(LabelOrder.circledNumbers.prefix(10)))
    }

    @Test func subPointsCarryTheListsTheTextGives() {
        // The HW/SW ledger (§2.2.1.2①) must record the support period and, for software, the version.
        #expect(catalog.item(id: "2.2.1.2-B1")?.subpoints.count == 2)
        #expect(catalog.item(id: "2.1.2-B1")?.subpoints.count == 13)
        #expect(catalog.item(id: "2.6-B8")?.subpoints.count == 12)
        #expect(catalog.item(id: "2.3.4.2-B1")?.subpoints.count == 7)
    }

    @Test func mappingsUseKnownVocabularies() {
        let functions = Set(["GV", "ID", "PR", "DE", "RS", "RC"])
        for item in catalog.items {
            #expect(functions.contains(item.csfFunction ?? ""), "\(item.id)")
            #expect(!item.tags.isEmpty)
        }
        // Governance lives in GV, third-party risk in the supply-chain category.
        #expect(catalog.item(id: "2.1.1-B1")?.csfFunction == "GV")
        #expect(catalog.items(inSection: "2.6").allSatisfy { $0.csf.contains("GV.SC") || $0.tags.contains("third-parties") })
    }

    @Test func versionAndReferenceDataArePresent() {
        #expect(catalog.version.established == "2024-10-04")
        #expect(catalog.version.amended == "2025-07-04")
        #expect(catalog.institutionTypes.count == 21)
        #expect(Set(catalog.institutionTypes.map(\.id)).count == 21)
        #expect(catalog.indicators.filter { $0.kind == .kpi }.count == 4)
        #expect(catalog.indicators.filter { $0.kind == .kri }.count == 4)
    }
}

@Suite struct CatalogSearchTests {
    let catalog = Catalog.bundled

    @Test func findsTermsInEitherLanguageAndWidth() {
        let ascii = catalog.items(matching: CatalogQuery(text: "sbom")).map(\.id)
        let fullWidth = catalog.items(matching: CatalogQuery(text: "ＳＢＯＭ")).map(\.id)
        #expect(ascii.contains("2.2.1.2-De"))
        #expect(ascii == fullWidth)
        #expect(catalog.items(matching: CatalogQuery(text: "多要素認証")).contains { $0.id == "2.3.1-B5" })
        #expect(catalog.items(matching: CatalogQuery(text: "multi-factor")).contains { $0.id == "2.3.1-B5" })
    }

    @Test func allWordsMustMatch() {
        let both = catalog.items(matching: CatalogQuery(text: "バックアップ　ランサムウェア"))
        let one = catalog.items(matching: CatalogQuery(text: "バックアップ"))
        #expect(!both.isEmpty)
        #expect(both.count <= one.count)
        #expect(catalog.items(matching: CatalogQuery(text: "バックアップ zzzz-nothing")).isEmpty)
    }

    @Test func sectionFilterIncludesSubsections() {
        let identify = catalog.items(matching: CatalogQuery(section: "2.2"))
        #expect(identify.count == 51)
        #expect(identify.allSatisfy { $0.section.hasPrefix("2.2.") })
        // 2.2 does not swallow 2.2x-like siblings, and 2.2.1 does not include 2.2.1x.
        #expect(catalog.items(matching: CatalogQuery(section: "2.2.1")).count == 11)
    }

    @Test func filtersCombine() {
        let items = catalog.items(matching: CatalogQuery(kind: .basic, section: "2.2.3", tag: "vulnerabilities"))
        #expect(items.count == 6)
        #expect(catalog.items(matching: CatalogQuery(kind: .desirable, section: "2.3.1")).isEmpty)
    }
}

@Suite struct CatalogValidationTests {
    let good = Catalog.bundled

    func rebuild(sections: [CatalogSection]? = nil, items: [CatalogItem]) throws -> Catalog {
        try Catalog(
            version: good.version, root: good.root, sections: sections ?? good.sections, items: items,
            institutionTypes: good.institutionTypes, indicators: good.indicators, tags: good.tags, csfCategories: good.csfCategories
        )
    }

    @Test func rejectsDuplicateIDs() {
        var items = good.items
        items.append(items[0])
        #expect(throws: CatalogError.self) { try rebuild(items: items) }
    }

    @Test func rejectsGapsInLabels() {
        let items = good.items.filter { $0.id != "2.1.1-B3" }
        #expect(throws: CatalogError.self) { try rebuild(items: items) }
    }

    @Test func rejectsUnknownTagsAndCategories() {
        var items = good.items
        items[0].tags = ["no-such-tag"]
        #expect(throws: CatalogError.self) { try rebuild(items: items) }
        items = good.items
        items[0].csf = ["XX.YY"]
        #expect(throws: CatalogError.self) { try rebuild(items: items) }
    }

    @Test func rejectsMissingTranslations() {
        var items = good.items
        items[5].summaryEn = "  "
        #expect(throws: CatalogError.self) { try rebuild(items: items) }
    }

    @Test func rejectsItemsInUnknownSectionsAndOrphanSections() {
        var items = good.items
        items[0].section = "2.9"
        items[0].id = "2.9-B1"
        #expect(throws: CatalogError.self) { try rebuild(items: items) }
        var sections = good.sections
        sections[3].parent = "7.7"
        #expect(throws: CatalogError.self) { try rebuild(sections: sections, items: good.items) }
    }

    @Test func reportsWhichFileIsBroken() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kamae-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("{\"version\": 1}".utf8).write(to: directory.appendingPathComponent("catalog.json"))
        #expect {
            try Catalog.load(from: directory)
        } throws: { error in
            (error as? CatalogError).map { "\($0)".hasPrefix("catalog.json:") } ?? false
        }
    }
}

@Suite struct LanguageTests {
    @Test(arguments: [
        ("ja,en-US;q=0.9", Language.ja), ("en-US,en;q=0.9,ja;q=0.8", .en), ("fr-FR, en;q=0.5", .en),
        ("de, fr", nil), ("ja;q=0.2, en;q=0.8", .en), ("", nil), ("EN", .en), ("en;q=0, ja", .ja),
    ] as [(String, Language?)])
    func picksTheBestSupportedLanguage(header: String, expected: Language?) {
        #expect(Language.preferred(fromAcceptLanguage: header) == expected)
    }
}
