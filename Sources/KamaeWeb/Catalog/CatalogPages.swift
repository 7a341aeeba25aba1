import KamaeCore
import KamaeHTML

/// The catalog browser: the section tree, search and filters, and one page per item.
enum CatalogPages {
    struct ListModel: Sendable {
        var catalog: Catalog
        var query: CatalogQuery
        var sort: CatalogSort
        var results: Paged<CatalogItem>
    }

    static func list(_ model: ListModel, context: PageContext) -> HTML {
        let catalog = model.catalog
        let totals = catalog.totals
        let filterQuery: [(String, String)] = [
            ("q", model.query.text ?? ""), ("kind", model.query.kind?.rawValue ?? ""),
            ("section", model.query.section ?? ""), ("tag", model.query.tag ?? ""),
            ("sort", model.sort == .document ? "" : model.sort.rawValue),
        ]
        let heading = model.query.section.flatMap(catalog.section).map { "\($0.number) \(context.t($0.title))" }
        return Layout.page(context, title: context.t("ガイドライン項目", "Guideline catalog")) {
            div(.class("catalog-layout")) {
                aside(.class("section-tree"), .aria("label", context.t("節の一覧", "Sections"))) {
                    h2 { context.t("節", "Sections") }
                    sectionTree(catalog, parent: catalog.root.number, selected: model.query.section, context: context)
                }
                div(.class("catalog-main")) {
                    h1 { context.t("ガイドライン項目", "Guideline catalog") }
                    p(.class("catalog-version")) {
                        context.t(LocalizedText(ja: catalog.version.titleJa, en: catalog.version.titleEn))
                        " — "
                        context.t("\(catalog.version.publisherJa)、\(catalog.version.established) 制定", "\(catalog.version.publisherEn), established \(catalog.version.established)")
                        if let amended = catalog.version.amended {
                            context.t("、\(amended) 改正", ", amended \(amended)")
                        }
                    }
                    p(.class("catalog-totals"), .id("catalog-totals")) {
                        context.t(
                            "基本的な対応事項 \(totals.basic) 項目、対応が望ましい事項 \(totals.desirable) 項目、計 \(totals.total) 項目",
                            "\(totals.basic) basic and \(totals.desirable) desirable measures, \(totals.total) in all"
                        )
                    }
                    searchForm(model, context: context)
                    if let heading {
                        h2(.class("filter-heading")) { heading }
                    }
                    p(.class("result-count"), .id("result-count"), .role("status")) {
                        resultCount(model.results.meta, context: context)
                    }
                    if model.results.data.isEmpty {
                        p(.class("empty")) {
                            context.t("条件に合う項目はありません。検索語や絞り込みを変えてください。", "No item matches. Try other words or fewer filters.")
                        }
                    }
                    div(.class("item-list")) {
                        for item in model.results.data { itemCard(item, catalog: catalog, context: context) }
                    }
                    Components.pager(model.results.meta, path: "/catalog", query: filterQuery, context: context)
                }
            }
        }
    }

    static func resultCount(_ meta: PageMeta, context: PageContext) -> String {
        guard meta.total > 0 else { return context.t("0 件", "0 items") }
        let first = (meta.page - 1) * meta.perPage + 1
        let last = min(meta.page * meta.perPage, meta.total)
        return context.t("\(meta.total) 件中 \(first)–\(last) 件を表示", "Showing \(first)–\(last) of \(meta.total) items")
    }

    static func searchForm(_ model: ListModel, context: PageContext) -> HTML {
        form(.class("search-form"), .method("get"), .action("/catalog"), .role("search")) {
            div(.class("field field-wide")) {
                label(.for("q")) { context.t("キーワード（日本語・英語）", "Keywords (Japanese or English)") }
                input(.type("search"), .id("q"), .name("q"), .value(model.query.text ?? ""),
                      .placeholder(context.t("例: SBOM、多要素認証、backup", "e.g. SBOM, 多要素認証, backup")))
            }
            div(.class("field")) {
                label(.for("kind")) { context.t("区分", "Kind") }
                select(.id("kind"), .name("kind")) {
                    option(.value("")) { context.t("すべて", "All") }
                    for kind in ItemKind.allCases {
                        selectableOption(kind.rawValue, context.t(kind.name), selected: model.query.kind == kind)
                    }
                }
            }
            div(.class("field")) {
                label(.for("tag")) { context.t("テーマ", "Theme") }
                select(.id("tag"), .name("tag")) {
                    option(.value("")) { context.t("すべて", "All") }
                    for tag in model.catalog.tags {
                        selectableOption(tag.id, context.t(tag.name), selected: model.query.tag == tag.id)
                    }
                }
            }
            div(.class("field")) {
                label(.for("sort")) { context.t("並び順", "Order") }
                select(.id("sort"), .name("sort")) {
                    for sort in CatalogSort.allCases {
                        selectableOption(sort.rawValue, context.t(sort.name), selected: model.sort == sort)
                    }
                }
            }
            if let section = model.query.section {
                input(.type("hidden"), .name("section"), .value(section))
            }
            div(.class("actions")) {
                button(.type("submit"), .id("search-submit")) { context.t("検索", "Search") }
                a(.href("/catalog"), .class("reset")) { context.t("条件をクリア", "Clear") }
            }
        }
    }

    static func selectableOption(_ value: String, _ text: String, selected: Bool) -> HTML {
        selected ? option(.value(value), .flag("selected")) { text } : option(.value(value)) { text }
    }

    static func sectionTree(_ catalog: Catalog, parent: String, selected: String?, context: PageContext) -> HTML {
        let children = catalog.children(of: parent)
        guard !children.isEmpty else { return .empty }
        return ul {
            for child in children {
                let counts = catalog.counts(under: child.number)
                li {
                    a(.href("/catalog?section=\(child.number)"), .class(child.number == selected ? "selected" : ""), .data("section", child.number)) {
                        span(.class("number")) { child.number }
                        " "
                        context.t(child.title)
                        span(.class("counts"), .title(context.t("基本 / 望ましい", "basic / desirable"))) { " \(counts.basic)/\(counts.desirable)" }
                    }
                    sectionTree(catalog, parent: child.number, selected: selected, context: context)
                }
            }
        }
    }

    static func itemCard(_ item: CatalogItem, catalog: Catalog, context: PageContext) -> HTML {
        article(.class("item-card item-\(item.kind.rawValue)"), .id("item-\(item.id)"), .data("item-id", item.id)) {
            div(.class("item-head")) {
                a(.class("citation"), .href("/catalog/items/\(item.id)")) { item.citation }
                Components.kindBadge(item.kind, context: context)
                h3 { a(.href("/catalog/items/\(item.id)")) { context.t(item.title) } }
            }
            p(.class("summary")) { context.t(item.summary) }
            if !item.subpoints.isEmpty {
                ul(.class("subpoints compact")) {
                    for point in item.subpoints { li { context.t(point) } }
                }
            }
            div(.class("item-meta")) {
                span(.class("csf"), .title("NIST CSF 2.0")) { item.csf.joined(separator: " · ") }
                for tag in item.tags {
                    a(.class("tag"), .href("/catalog?tag=\(tag)")) { catalog.tag(tag).map { context.t($0.name) } ?? tag }
                }
            }
        }
    }

    static func detail(_ item: CatalogItem, catalog: Catalog, context: PageContext) -> HTML {
        let path = catalog.path(to: item.section)
        let index = catalog.items.firstIndex { $0.id == item.id }
        let previous = index.flatMap { $0 > 0 ? catalog.items[$0 - 1] : nil }
        let next = index.flatMap { $0 + 1 < catalog.items.count ? catalog.items[$0 + 1] : nil }
        let other: Language = context.language == .ja ? .en : .ja
        var trail: [(title: String, href: String?)] = [(context.t("ガイドライン項目", "Guideline catalog"), "/catalog")]
        trail += path.map { ("\($0.number) \(context.t($0.title))", "/catalog?section=\($0.number)") }
        trail.append((item.citation, nil))
        return Layout.page(context, title: "\(item.citation) \(context.t(item.title))") {
            Components.breadcrumbs(trail, context: context)
            article(.class("item-detail"), .data("item-id", item.id)) {
                div(.class("item-head")) {
                    span(.class("citation")) { item.citation }
                    Components.kindBadge(item.kind, context: context)
                }
                h1 { context.t(item.title) }
                p(.class("other-language"), .lang(other.rawValue)) { item.title.text(in: other) }
                for section in path.suffix(1) {
                    if let note = section.note {
                        p(.class("section-note")) { context.t(note) }
                    }
                }
                h2 { context.t("要旨", "Summary") }
                p(.class("summary")) { context.t(item.summary) }
                p(.class("summary other-language"), .lang(other.rawValue)) { item.summary.text(in: other) }
                if !item.subpoints.isEmpty {
                    h2 { context.t("挙げられている観点", "Points the item lists") }
                    ul(.class("subpoints")) {
                        for point in item.subpoints {
                            li { context.bilingual(point) }
                        }
                    }
                }
                dl(.class("facts")) {
                    dt { context.t("ID", "ID") }
                    dd { code { item.id } }
                    dt { context.t("区分", "Kind") }
                    dd { context.t(item.kind.name) }
                    dt { "NIST CSF 2.0" }
                    dd {
                        ul(.class("plain")) {
                            for category in item.csf {
                                li { code { category }; " "; catalog.csfCategory(category).map { context.t($0.name) } ?? "" }
                            }
                        }
                    }
                    dt { context.t("テーマ", "Themes") }
                    dd {
                        for tag in item.tags {
                            a(.class("tag"), .href("/catalog?tag=\(tag)")) { catalog.tag(tag).map { context.t($0.name) } ?? tag }
                        }
                    }
                    dt { context.t("出典", "Source") }
                    dd {
                        context.t("\(catalog.version.titleJa)（\(catalog.version.publisherJa)）\(item.section) ", "\(catalog.version.titleEn) (\(catalog.version.publisherEn)), \(item.section) ")
                        item.label
                    }
                }
            }
            nav(.class("prev-next"), .aria("label", context.t("前後の項目", "Adjacent items"))) {
                if let previous {
                    a(.href("/catalog/items/\(previous.id)"), .rel("prev")) { "← \(previous.citation) \(context.t(previous.title))" }
                }
                if let next {
                    a(.href("/catalog/items/\(next.id)"), .rel("next")) { "\(next.citation) \(context.t(next.title)) →" }
                }
            }
        }
    }
}
