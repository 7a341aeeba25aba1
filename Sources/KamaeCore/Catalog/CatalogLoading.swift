import Foundation

/// Why a catalog could not be loaded; each case names the file or the record at fault.
public enum CatalogError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case invalid(String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason): "\(file): \(reason)"
        case let .invalid(reason): reason
        }
    }
}

extension Catalog {
    /// Loads `catalog.json` (version, root, vocabularies) and every `items-*.json` part in a directory.
    public static func load(from directory: URL) throws -> Catalog {
        let decoder = JSONDecoder()
        let metaURL = directory.appendingPathComponent("catalog.json")
        let meta: CatalogMetadata = try decode(metaURL, with: decoder)
        let partNames = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("items-") && $0.hasSuffix(".json") }
            .sorted()
        guard !partNames.isEmpty else {
            throw CatalogError.invalid("\(directory.path): no items-*.json files")
        }
        var sections: [CatalogSection] = []
        var items: [CatalogItem] = []
        for name in partNames {
            let part: CatalogPart = try decode(directory.appendingPathComponent(name), with: decoder)
            sections += part.sections
            items += part.items
        }
        return try Catalog(
            version: meta.version, root: meta.root, sections: sections, items: items,
            institutionTypes: meta.institutionTypes, indicators: meta.indicators, tags: meta.tags,
            csfCategories: meta.csfCategories
        )
    }

    private static func decode<T: Decodable>(_ url: URL, with decoder: JSONDecoder) throws -> T {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CatalogError.unreadable(file: url.lastPathComponent, reason: "cannot be read")
        }
        do {
            return try decoder.decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw CatalogError.unreadable(file: url.lastPathComponent, reason: "missing \(codingPath(context.codingPath + [key]))")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw CatalogError.unreadable(file: url.lastPathComponent, reason: "wrong value at \(codingPath(context.codingPath))")
        } catch let DecodingError.dataCorrupted(context) {
            throw CatalogError.unreadable(file: url.lastPathComponent, reason: "\(context.debugDescription) at \(codingPath(context.codingPath))")
        }
    }

    private static func codingPath(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}

private struct CatalogMetadata: Decodable {
    var version: CatalogVersion
    var root: CatalogSection
    var institutionTypes: [InstitutionType]
    var indicators: [IndicatorExample]
    var tags: [NamedTerm]
    var csfCategories: [NamedTerm]

    enum CodingKeys: String, CodingKey {
        case version, root, indicators, tags
        case institutionTypes = "institution_types"
        case csfCategories = "csf_categories"
    }
}

private struct CatalogPart: Decodable {
    var sections: [CatalogSection]
    var items: [CatalogItem]
}

/// The rules every catalog obeys; checked whenever one is built.
struct CatalogValidator {
    let catalog: Catalog
    let rawSections: [CatalogSection]
    let rawItems: [CatalogItem]

    func validate() throws {
        var problems: [String] = []
        let numbers = Set([catalog.root.number] + rawSections.map(\.number))
        if numbers.count != rawSections.count + 1 { problems.append("duplicate section numbers") }
        for section in rawSections {
            if !SectionNumber.isValid(section.number) { problems.append("section \(section.number): malformed number") }
            guard let parent = section.parent, numbers.contains(parent) else {
                problems.append("section \(section.number): parent \(section.parent ?? "null") is not a section")
                continue
            }
            if !SectionNumber(section.number).isWithin(parent) || SectionNumber(parent).components.count + 1 != SectionNumber(section.number).components.count {
                problems.append("section \(section.number): parent \(parent) is not its direct parent")
            }
            if section.titleJa.isBlank || section.titleEn.isBlank { problems.append("section \(section.number): title missing in a language") }
            if (section.noteJa == nil) != (section.noteEn == nil) { problems.append("section \(section.number): note must be in both languages") }
        }
        let tagIDs = Set(catalog.tags.map(\.id))
        let csfIDs = Set(catalog.csfCategories.map(\.id))
        var seen = Set<String>()
        var seenLabels = Set<String>()
        for item in rawItems {
            let name = "item \(item.id)"
            if !seen.insert(item.id).inserted { problems.append("\(name): duplicate id") }
            if !seenLabels.insert("\(item.section)|\(item.kind)|\(item.label)").inserted { problems.append("\(name): duplicate label \(item.label) in \(item.section)") }
            if !numbers.contains(item.section) || item.section == catalog.root.number { problems.append("\(name): section \(item.section) does not exist") }
            if let suffix = LabelOrder.idSuffix(kind: item.kind, label: item.label) {
                if item.id != "\(item.section)-\(suffix)" { problems.append("\(name): id should be \(item.section)-\(suffix)") }
            } else {
                problems.append("\(name): label \(item.label) is not a \(item.kind.rawValue) label")
            }
            for (field, value) in [("title_ja", item.titleJa), ("title_en", item.titleEn), ("summary_ja", item.summaryJa), ("summary_en", item.summaryEn)] where value.isBlank {
                problems.append("\(name): \(field) is empty")
            }
            for (index, point) in item.subpoints.enumerated() where point.ja.isBlank || point.en.isBlank {
                problems.append("\(name): subpoint \(index + 1) is missing a language")
            }
            if item.csf.isEmpty { problems.append("\(name): no CSF category") }
            for category in item.csf where !csfIDs.contains(category) { problems.append("\(name): unknown CSF category \(category)") }
            if item.tags.isEmpty { problems.append("\(name): no tag") }
            for tag in item.tags where !tagIDs.contains(tag) { problems.append("\(name): unknown tag \(tag)") }
        }
        // Labels run without gaps: ①②③… and a b c… in every section.
        let groups = Dictionary(grouping: rawItems) { "\($0.section)|\($0.kind.rawValue)" }
        for (key, group) in groups {
            let ranks = group.map { LabelOrder.rank($0.label) }.sorted()
            if ranks != Array(1...group.count) { problems.append("section \(key.replacingOccurrences(of: "|", with: " ")): labels have gaps") }
        }
        if !problems.isEmpty {
            throw CatalogError.invalid(problems.sorted().joined(separator: "; "))
        }
    }
}

extension String {
    var isBlank: Bool { trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
}
