import Fluent
import Foundation
import KamaeCore
import KamaeHTML
import KamaeTrust
import KamaeVulnerabilities
import SQLKit

enum RegisterPages {
    static func path(_ id: RegisterID) -> String { "/registers/\(id.rawValue)" }

    static func overview(counts: [RegisterID: Int], support: [SupportWindow: Int], context: PageContext) -> HTML {
        Layout.page(context, title: context.t("台帳", "Registers")) {
            h1 { context.t("台帳（§2.2.1）", "Registers (§2.2.1)") }
            p(.class("hint")) {
                context.t("情報資産を網羅的に把握し、相互に関連付けて最新に保つための台帳です。脆弱性の照合は HW/SW 台帳に対して行われます。",
                          "Complete, current and cross-referenced inventories. Vulnerabilities are matched against the hardware and software register.")
            }
            Tables.table(
                caption: nil, headers: [context.t("台帳", "Register"), context.t("ガイドライン", "Guideline"), context.t("件数", "Records"), ""], numeric: [2],
                rows: RegisterSchema.all.map { schema in
                    [a(.href(path(schema.id)), .id("register-\(schema.id.rawValue)")) { context.t(schema.title) }, .text("§\(schema.section)"),
                     .text(String(counts[schema.id] ?? 0)),
                     a(.href(path(schema.id) + "/export.csv")) { "CSV" }]
                }
            )
            section(.class("panel"), .id("eol-dashboard")) {
                h2 { context.t("サポート終了（EOL）の状況", "End of support") }
                ul(.class("stat-list")) {
                    for window in SupportWindow.allCases {
                        li(.class(window == .ended && (support[window] ?? 0) > 0 ? "stat alert" : "stat")) {
                            a(.href(URLBuilder.url(path(.components), [("support", window.rawValue)])), .id("eol-\(window.rawValue)")) {
                                strong { String(support[window] ?? 0) }
                                " "
                                context.t(window.name)
                            }
                        }
                    }
                }
            }
            p { a(.href("/registers/network"), .class("button"), .id("network-diagram-link")) { context.t("ネットワーク・データフロー図", "Network and data-flow diagram") } }
        }
    }

    static func list(_ schema: RegisterSchema, page: Paged<RegisterRecord>, query: RegisterQuery, context: PageContext) -> HTML {
        let canEdit = context.user?.may(.editRegisters) ?? false
        let columns = ["code"] + schema.listed
        var parameters: [(String, String)] = [("q", query.search), ("sort", query.sort == "code" ? "" : query.sort), ("direction", query.descending ? "desc" : ""),
                                              ("support", query.support?.rawValue ?? "")]
        parameters += query.filters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return Layout.page(context, title: context.t(schema.title)) {
            Components.breadcrumbs([(context.t("台帳", "Registers"), "/registers"), (context.t(schema.title), nil)], context: context)
            h1 { context.t(schema.title); small(.class("hint")) { " §\(schema.section)" } }
            if let support = query.support { p(.class("notice")) { context.t("絞り込み: ", "Showing: "); context.t(support.name) } }
            KamaeHTML.form(.method("get"), .action(path(schema.id)), .class("filters"), .id("register-filters")) {
                Forms.field(id: "q", label: context.t("検索", "Search"), error: nil) {
                    input(.type("search"), .id("q"), .name("q"), .value(query.search), .attr("maxlength", "200"))
                }
                for field in schema.fields {
                    switch field.kind {
                    case let .choice(options):
                        Forms.field(id: "filter-\(field.key)", label: context.t(field.label), error: nil) {
                            select(.id("filter-\(field.key)"), .name(field.key)) {
                                option(.value("")) { context.t("すべて", "All") }
                                for choice in options { CatalogPages.selectableOption(choice.value, context.t(choice.name), selected: query.filters[field.key] == choice.value) }
                            }
                        }
                    case .flag:
                        Forms.field(id: "filter-\(field.key)", label: context.t(field.label), error: nil) {
                            select(.id("filter-\(field.key)"), .name(field.key)) {
                                option(.value("")) { context.t("すべて", "All") }
                                CatalogPages.selectableOption("true", context.t("はい", "Yes"), selected: query.filters[field.key] == "true")
                                CatalogPages.selectableOption("false", context.t("いいえ", "No"), selected: query.filters[field.key] == "false")
                            }
                        }
                    default: HTML.empty
                    }
                }
                if schema.id == .components {
                    Forms.field(id: "support", label: context.t("サポート終了", "End of support"), error: nil) {
                        select(.id("support"), .name("support")) {
                            option(.value("")) { context.t("すべて", "All") }
                            for window in SupportWindow.allCases { CatalogPages.selectableOption(window.rawValue, context.t(window.name), selected: query.support == window) }
                        }
                    }
                }
                Forms.field(id: "sort", label: context.t("並べ替え", "Sort by"), error: nil) {
                    select(.id("sort"), .name("sort")) {
                        for key in RegisterStore.sortable(schema) {
                            CatalogPages.selectableOption(key, key == "updated_at" ? context.t("更新日時", "Updated") : context.t(schema.field(key)?.label ?? LocalizedText(ja: key, en: key)), selected: query.sort == key)
                        }
                    }
                }
                Forms.field(id: "direction", label: context.t("順序", "Order"), error: nil) {
                    select(.id("direction"), .name("direction")) {
                        CatalogPages.selectableOption("asc", context.t("昇順", "Ascending"), selected: !query.descending)
                        CatalogPages.selectableOption("desc", context.t("降順", "Descending"), selected: query.descending)
                    }
                }
                button(.type("submit"), .id("apply-filters")) { context.t("表示", "Apply") }
            }
            p(.class("actions")) {
                if canEdit { a(.href(path(schema.id) + "/new"), .class("button"), .id("new-record")) { context.t("新規登録", "Add a record") } }
                a(.href(path(schema.id) + "/export.csv"), .class("button secondary"), .id("export-csv")) { context.t("CSV 出力", "Export CSV") }
                a(.href(path(schema.id) + "/export.xlsx"), .class("button secondary"), .id("export-xlsx")) { context.t("Excel 出力", "Export Excel") }
            }
            p(.id("record-count"), .class("hint")) { context.t("\(page.meta.total) 件", "\(page.meta.total) records") }
            Tables.table(
                caption: nil,
                headers: columns.map { key in key == "code" ? context.t("管理番号", "Code") : context.t(schema.field(key)?.label ?? LocalizedText(ja: key, en: key)) },
                rows: page.data.map { record in
                    columns.map { key in
                        key == "code"
                            ? a(.href("\(path(schema.id))/\(record.id.uuidString)"), .class("record-link")) { record.code }
                            : cell(schema, key: key, record: record, context: context)
                    }
                },
                rowClass: { index in
                    guard schema.id == .components, case let .date(date)? = page.data[index].values["end_of_support"] else { return "" }
                    return date < ISODate.today() ? "row-overdue" : ""
                }
            )
            Components.pager(page.meta, path: path(schema.id), query: parameters, context: context)
            if canEdit { importForm(schema, context: context) }
        }
    }

    /// A value as a list or detail page shows it: choices by name, references as links to the record list.
    static func cell(_ schema: RegisterSchema, key: String, record: RegisterRecord, context: PageContext) -> HTML {
        guard let field = schema.field(key), let value = record.values[key] else { return .text("—") }
        switch (field.kind, value) {
        case let (.choice(options), .text(raw)): return .text(options.first { $0.value == raw }.map { context.t($0.name) } ?? raw)
        case let (.flag, .flag(flag)): return .text(flag ? context.t("はい", "Yes") : context.t("いいえ", "No"))
        case let (.reference(target), .code(code)): return a(.href(URLBuilder.url(path(target), [("q", code)]))) { code }
        case let (.references(target), .codes(codes)):
            return .group { for code in codes { a(.href(URLBuilder.url(path(target), [("q", code)])), .class("tag")) { code } } }
        case let (.date, .date(date)):
            let ended = schema.id == .components && key == "end_of_support" && date < ISODate.today()
            return span(.class(ended ? "overdue-date" : "")) { date.description; ended ? context.t("（終了）", " (ended)") : "" }
        default: return .text(value.plain)
        }
    }

    static func importForm(_ schema: RegisterSchema, context: PageContext) -> HTML {
        guard let user = context.user else { return .empty }
        return section(.class("panel"), .id("import")) {
            h2 { context.t("CSV・Excel から取り込む", "Import from CSV or Excel") }
            p(.class("hint")) {
                context.t("1 行目は列名（\(schema.fields.map(\.key).joined(separator: ", "))）。管理番号が既にあれば更新、なければ追加します。1 件でも誤りがあれば何も変更しません。",
                          "The first row names the columns (\(schema.fields.map(\.key).joined(separator: ", "))). A row whose code exists updates that record; others are added. One error and nothing changes.")
            }
            KamaeHTML.form(.method("post"), .action(path(schema.id) + "/import"), .attr("enctype", "multipart/form-data"), .class("stacked")) {
                Forms.csrf(user)
                Forms.field(id: "file", label: context.t("ファイル（.csv / .xlsx）", "File (.csv / .xlsx)"), error: nil) {
                    input(.type("file"), .id("file"), .name("file"), .attr("accept", ".csv,.xlsx,text/csv"), .flag("required"))
                }
                button(.type("submit"), .id("import-submit")) { context.t("取り込む", "Import") }
            }
        }
    }

    /// Codes offered for reference fields (a datalist, so a person can also type).
    static func referenceChoices(_ schema: RegisterSchema, institutionID: UUID, on database: any Database) async throws -> [RegisterID: [(String, String)]] {
        var choices: [RegisterID: [(String, String)]] = [:]
        for field in schema.fields {
            let target: RegisterID
            switch field.kind {
            case let .reference(kind), let .references(kind): target = kind
            default: continue
            }
            guard choices[target] == nil else { continue }
            let nameColumn = target == .connections || target == .flows ? "code" : "name"
            let rows = try await (database as! any SQLDatabase).raw("""
                SELECT code, \(unsafeRaw: nameColumn) AS label FROM \(unsafeRaw: RegisterTables.table(target)) WHERE institution_id = \(bind: institutionID) ORDER BY code LIMIT 1000
                """).all()
            choices[target] = try rows.map { (try $0.decode(column: "code", as: String.self), try $0.decode(column: "label", as: String.self)) }
        }
        return choices
    }

    static func form(
        _ schema: RegisterSchema, record: RegisterRecord?, raw: [String: String], problems: [FieldProblem], choices: [RegisterID: [(String, String)]],
        related: RegisterRelations = RegisterRelations(), context: PageContext
    ) -> HTML {
        let canEdit = context.user?.may(.editRegisters) ?? false
        let errors = Dictionary(problems.map { ($0.field, context.t($0.message)) }, uniquingKeysWith: { $0 + " " + $1 })
        func value(_ key: String) -> String { raw[key] ?? record?.text(key) ?? "" }
        let title = record.map { "\($0.code) — \(context.t(schema.title))" } ?? context.t("新規登録: ", "New: ") + context.t(schema.title)
        return Layout.page(context, title: title) {
            Components.breadcrumbs([(context.t("台帳", "Registers"), "/registers"), (context.t(schema.title), path(schema.id)), (record?.code ?? context.t("新規", "New"), nil)], context: context)
            h1 { title }
            if context.currentURL.contains("saved=1") { p(.class("notice"), .id("saved-notice"), .role("status")) { context.t("保存しました。", "Saved.") } }
            if !problems.isEmpty {
                div(.class("error-summary"), .role("alert"), .id("form-errors")) {
                    p { context.t("\(problems.count) 件の問題があるため保存していません。", "Not saved: \(problems.count) problem(s).") }
                    ul { for problem in problems { li { context.t(problem.message) } } }
                }
            }
            if record?.sbomUploadID != nil {
                p(.class("hint")) { context.t("この項目は SBOM から登録されました。次の SBOM で更新されます。", "This entry came from an SBOM; the next upload updates it.") }
            }
            KamaeHTML.form(.method("post"), .action(record.map { "\(path(schema.id))/\($0.id.uuidString)" } ?? path(schema.id)), .class("stacked"), .id("record-form")) {
                if let user = context.user { Forms.csrf(user) }
                if let record { input(.type("hidden"), .name("revision"), .value(String(record.revision))) }
                for field in schema.fields {
                    Forms.field(id: field.key, label: context.t(field.label) + (field.required ? context.t("（必須）", " (required)") : ""), error: errors[field.key], hint: field.hint.map(context.t)) {
                        control(field, value: value(field.key), choices: choices, disabled: !canEdit, context: context)
                    }
                }
                if canEdit { button(.type("submit"), .id("save-record")) { context.t("保存", "Save") } }
            }
            for target in Set(schema.fields.compactMap { field -> RegisterID? in
                switch field.kind { case let .reference(id), let .references(id): id; default: nil }
            }).sorted(by: { $0.rawValue < $1.rawValue }) {
                HTML.element("datalist", [.id("codes-\(target.rawValue)")]) {
                    for (code, label) in choices[target] ?? [] { option(.value(code)) { label } }
                }
            }
            if let record, schema.id == .systems { systemRelations(record, related: related, context: context) }
            if let record, canEdit, let user = context.user {
                KamaeHTML.form(.method("post"), .action("\(path(schema.id))/\(record.id.uuidString)/delete"), .class("inline-form danger-zone")) {
                    Forms.csrf(user)
                    button(.type("submit"), .class("danger"), .id("delete-record")) { context.t("この記録を削除", "Delete this record") }
                }
            }
        }
    }

    static func control(_ field: RegisterField, value: String, choices: [RegisterID: [(String, String)]], disabled: Bool, context: PageContext) -> HTML {
        let common: [Attribute] = (field.required ? [.flag("required")] : []) + (disabled ? [.flag("disabled")] : []) + (field.hint != nil ? [.aria("describedby", "\(field.key)-hint")] : [])
        switch field.kind {
        case let .text(maxLength) where maxLength > 300:
            return HTML.element("textarea", [.id(field.key), .name(field.key), .attr("maxlength", String(maxLength)), .attr("rows", "3")] + common) { value }
        case let .text(maxLength):
            return HTML.void("input", [.type("text"), .id(field.key), .name(field.key), .value(value), .attr("maxlength", String(maxLength))] + common)
        case let .choice(options):
            return HTML.element("select", [.id(field.key), .name(field.key)] + common) {
                option(.value("")) { "—" }
                for choice in options { CatalogPages.selectableOption(choice.value, context.t(choice.name), selected: value == choice.value || value == choice.name.ja) }
            }
        case .date:
            return HTML.void("input", [.type("date"), .id(field.key), .name(field.key), .value(value)] + common)
        case .flag:
            return HTML.element("select", [.id(field.key), .name(field.key)] + common) {
                option(.value("")) { "—" }
                CatalogPages.selectableOption("true", context.t("はい", "Yes"), selected: value == "true")
                CatalogPages.selectableOption("false", context.t("いいえ", "No"), selected: value == "false")
            }
        case let .reference(target), let .references(target):
            return HTML.void("input", [.type("text"), .id(field.key), .name(field.key), .value(value), .attr("list", "codes-\(target.rawValue)"), .attr("autocomplete", "off")] + common)
        }
    }

    static func systemRelations(_ system: RegisterRecord, related: RegisterRelations, context: PageContext) -> HTML {
        .group {
            section(.class("panel"), .id("system-components")) {
                h2 { context.t("HW/SW（\(related.componentTotal) 件）", "Hardware and software (\(related.componentTotal))") }
                Tables.table(caption: nil, headers: [context.t("管理番号", "Code"), context.t("製品名", "Product"), context.t("バージョン", "Version"), context.t("サポート終了日", "End of support")],
                             rows: related.components.map { component in
                                 [a(.href("/registers/components/\(component.id.uuidString)")) { component.code }, .text(component.text("product")), .text(component.text("version")),
                                  cell(.components, key: "end_of_support", record: component, context: context)]
                             })
                if related.componentTotal > related.components.count {
                    p { a(.href(URLBuilder.url("/registers/components", [("system", system.code)]))) { context.t("すべて表示", "Show all") } }
                }
            }
            section(.class("panel"), .id("system-findings")) {
                h2 { context.t("未対応の脆弱性（\(related.findingTotal) 件）", "Open vulnerabilities (\(related.findingTotal))") }
                FindingPages.table(related.findings, context: context)
                p { a(.href(URLBuilder.url("/vulnerabilities/findings", [("system", system.id.uuidString)]))) { context.t("このシステムの指摘をすべて表示", "All findings of this system") } }
            }
            section(.class("panel"), .id("system-sbom")) {
                h2 { "SBOM" }
                Tables.table(caption: nil, headers: [context.t("版", "Version"), context.t("ファイル", "File"), context.t("形式", "Format"), context.t("部品数", "Components"), context.t("登録", "Uploaded"), ""], numeric: [0, 3],
                             rows: related.sbomUploads.map { upload in
                                 [.text(String(upload.version)), .text(upload.filename), .text(upload.format), .text(String(upload.componentCount)),
                                  .text("\(SubmissionTimestamp.string(from: upload.uploadedAt)) \(upload.uploadedBy ?? "")"),
                                  upload.version > 1 ? a(.href("/registers/systems/\(system.id.uuidString)/sbom/\(upload.version)/diff")) { context.t("前版との差分", "Diff with previous") } : .empty]
                             })
                if let user = context.user, user.may(.editRegisters) {
                    KamaeHTML.form(.method("post"), .action("/registers/systems/\(system.id.uuidString)/sbom"), .attr("enctype", "multipart/form-data"), .class("stacked"), .id("sbom-upload")) {
                        Forms.csrf(user)
                        Forms.field(id: "sbom-file", label: context.t("SBOM（CycloneDX JSON/XML・SPDX JSON）", "SBOM (CycloneDX JSON/XML, SPDX JSON)"), error: nil) {
                            input(.type("file"), .id("sbom-file"), .name("file"), .flag("required"))
                        }
                        button(.type("submit"), .id("sbom-submit")) { context.t("アップロード", "Upload") }
                    }
                }
            }
            section(.class("panel"), .id("system-data")) {
                h2 { context.t("処理するデータ・データフロー", "Data and flows") }
                ul {
                    for data in related.data { li { a(.href("/registers/data/\(data.id.uuidString)")) { "\(data.code) \(data.text("name"))" } } }
                    for flow in related.flows {
                        li { a(.href("/registers/flows/\(flow.id.uuidString)")) { "\(flow.code): \(flow.text("from_system")) → \(flow.text("to_system"))" } }
                    }
                }
            }
        }
    }

    static func importResult(_ schema: RegisterSchema, file: String, created: Int, updated: Int, problems: [FieldProblem], context: PageContext) -> HTML {
        Layout.page(context, title: context.t("取込結果", "Import result")) {
            Components.breadcrumbs([(context.t("台帳", "Registers"), "/registers"), (context.t(schema.title), path(schema.id)), (context.t("取込結果", "Import result"), nil)], context: context)
            h1 { context.t("取込結果: ", "Import: ") + file }
            if problems.isEmpty {
                p(.class("notice"), .id("import-summary"), .role("status")) { context.t("追加 \(created) 件、更新 \(updated) 件。", "\(created) added, \(updated) updated.") }
            } else {
                div(.class("error-summary"), .role("alert"), .id("import-problems")) {
                    p { context.t("\(problems.count) 件の問題があるため、何も変更していません。", "\(problems.count) problem(s); nothing was changed.") }
                    ul { for problem in problems.prefix(500) { li { "\(problem.field): \(context.t(problem.message))" } } }
                }
            }
            p { a(.href(path(schema.id))) { context.t("一覧へ戻る", "Back to the list") } }
        }
    }
}
