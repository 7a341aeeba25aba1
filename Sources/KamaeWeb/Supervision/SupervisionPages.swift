import Foundation
import KamaeCore
import KamaeHTML
import KamaeSupervision
import KamaeTrust
import KamaeXLSX
import Vapor

/// The tables of the sector analysis, defined once: the page shows them and the CSV export writes them.
enum SupervisionTables {
    struct Table {
        var header: [String]
        var rows: [[String]]
        var numeric: Set<Int>
    }

    static let names = ["sections", "heatmap", "lowest", "movement", "below"]

    /// Every table as one sheet; figures in numeric columns are numbers, suppressed cells the text "<5".
    static func workbook(analysis: SectorAnalysis, query: SupervisionController.AnalysisQuery, catalog: Catalog) throws -> Data {
        let sheets = names.compactMap { name -> XLSXSheet? in
            guard let table = table(name, analysis: analysis, query: query, catalog: catalog) else { return nil }
            let rows: [[XLSXCell]] = [table.header.map { .text($0) }] + table.rows.map { row in
                row.enumerated().map { index, value in
                    guard table.numeric.contains(index) else { return .text(value) }
                    return Int(value).map { .integer($0) } ?? Double(value).map { .number($0) } ?? .text(value)
                }
            }
            return XLSXSheet(
                name: name, rows: rows, columns: table.header.map { _ in XLSXColumn(width: 18) }, headerRowCount: 1, frozenRows: 1,
                autoFilter: XLSXRange(rows: 1...max(rows.count, 1), columns: 1...max(table.header.count, 1))
            )
        }
        let workbook = XLSXWorkbook(
            sheets: sheets,
            properties: XLSXDocumentProperties(title: "\(query.year) 年度 セクター分析 (\(query.grouping.rawValue))", creator: "Kamae")
        )
        return try XLSXWriter().write(workbook)
    }

    static func table(_ name: String, analysis: SectorAnalysis, query: SupervisionController.AnalysisQuery, catalog: Catalog) -> Table? {
        let context = PageContext(language: .ja, currentURL: "/")
        func percent(_ value: Double) -> String { String(format: "%.1f", value * 100) }
        func groupName(_ group: PeerGroup) -> String { FeedbackReports.peerGroupName(group, catalog: catalog, context: context) }
        switch name {
        case "sections":
            let table = analysis.sectionDistributions(year: query.year, grouping: query.grouping)
            var rows: [[String]] = []
            for (g, group) in table.groups.enumerated() {
                for (s, section) in table.sections.enumerated() {
                    let cell = table.cells[g][s]
                    let values = cell.value.map { [String($0.count), percent($0.q1), percent($0.median), percent($0.q3)] } ?? ["<5", "", "", ""]
                    rows.append([groupName(group), section] + values)
                }
            }
            return Table(header: ["group", "section", "institutions", "q1_percent", "median_percent", "q3_percent"], rows: rows, numeric: [2, 3, 4, 5])
        case "heatmap":
            let map = analysis.heatMap(year: query.year, grouping: query.grouping)
            let rows = map.itemIDs.enumerated().map { i, item in
                [item] + map.cells[i].map { $0.value.map(percent) ?? "<5" }
            }
            return Table(header: ["item"] + map.groups.map(groupName), rows: rows, numeric: Set(1...max(map.groups.count, 1)))
        case "lowest":
            let items = analysis.lowestItems(year: query.year, count: 20)
            return Table(
                header: ["item", "kind", "title", "implemented_percent", "institutions"],
                rows: items.map { [$0.itemID, $0.kind.rawValue, catalog.item(id: $0.itemID)?.titleJa ?? "", percent($0.share), String($0.contributors)] },
                numeric: [3, 4]
            )
        case "movement":
            guard let previous = analysis.dataset.years.last(where: { $0 < query.year }) else {
                return Table(header: ["group", "section", "previous_median_percent", "median_percent", "change_points"], rows: [], numeric: [2, 3, 4])
            }
            let table = analysis.medianMovement(from: previous, to: query.year, grouping: query.grouping)
            var rows: [[String]] = []
            for (g, group) in table.groups.enumerated() {
                for (s, section) in table.sections.enumerated() {
                    let values = table.cells[g][s].value.map { [percent($0.previous), percent($0.current), String(format: "%+.1f", $0.change * 100)] } ?? ["<5", "", ""]
                    rows.append([groupName(group), section] + values)
                }
            }
            return Table(header: ["group", "section", "previous_median_percent", "median_percent", "change_points"], rows: rows, numeric: [2, 3, 4])
        case "below":
            let flags = analysis.institutionsBelow(basicCoverage: query.threshold, year: query.year)
            return Table(
                header: ["institution_id", "institution", "basic_coverage_percent", "basic_items_not_implemented"],
                rows: flags.map { [$0.institution.id.uuidString.lowercased(), $0.institution.name, percent($0.basicCoverage), String($0.basicItemsNotImplemented)] },
                numeric: [2, 3]
            )
        default:
            return nil
        }
    }
}

enum SupervisionPages {
    static func navigation(_ context: PageContext, current: String) -> HTML {
        nav(.class("tabs"), .aria("label", context.t("監督メニュー", "Supervision menu"))) {
            for (path, ja, en) in [
                ("/supervision", "提出状況", "Submissions"), ("/supervision/analysis", "セクター分析", "Sector analysis"),
                ("/supervision/questionnaires", "調査票", "Questionnaires"), ("/supervision/institutions", "金融機関と公開鍵", "Institutions and keys"),
            ] {
                a(.href(path), .class(path == current ? "tab current" : "tab")) { context.t(ja, en) }
            }
        }
    }

    static func calendar(
        year: Int, rounds: [SupervisionStore.Round], institutions: [SupervisionStore.InstitutionEntry], submissions: [SupervisionStore.SubmissionEntry],
        page: PageRequest, catalog: Catalog, context: PageContext
    ) -> HTML {
        let round = rounds.first { $0.fiscalYear == year }
        let byInstitution = Dictionary(submissions.filter { $0.fiscalYear == year }.map { ($0.institutionID, $0) }, uniquingKeysWith: { a, _ in a })
        let now = Date()
        let missing = institutions.filter { byInstitution[$0.profile.id] == nil }
        let listed = page.slice(missing + institutions.filter { byInstitution[$0.profile.id] != nil })
        return Layout.page(context, title: context.t("提出状況", "Submissions")) {
            h1 { context.t("\(year) 年度 自己評価の提出状況", "Fiscal year \(year) submissions") }
            navigation(context, current: "/supervision")
            form(.method("get"), .action("/supervision"), .class("filters")) {
                Forms.field(id: "year", label: context.t("年度", "Fiscal year"), error: nil) {
                    select(.id("year"), .name("year")) {
                        for candidate in Set(rounds.map(\.fiscalYear) + [year]).sorted(by: >) {
                            option(.value(String(candidate)), candidate == year ? .attr("selected", "selected") : .attr("data-year", String(candidate))) { String(candidate) }
                        }
                    }
                }
                button(.type("submit")) { context.t("表示", "Show") }
            }
            div(.class("stats"), .id("calendar-summary")) {
                p {
                    context.t("提出期限", "Deadline"); ": "
                    round.map { SubmissionTimestamp.string(from: $0.deadline) } ?? context.t("未設定", "not set")
                    " · "
                    context.t("提出済 \(byInstitution.count) / \(institutions.count) 先", "\(byInstitution.count) of \(institutions.count) submitted")
                    if let round, round.deadline < now, !missing.isEmpty {
                        " · "; span(.class("overdue")) { context.t("期限超過 \(missing.count) 先", "\(missing.count) late") }
                    }
                }
            }
            p(.class("no-print")) {
                a(.href("/supervision/reminders.csv?year=\(year)"), .id("reminders-csv")) { context.t("督促リスト（未提出・未回答、CSV）", "Reminder list (not yet submitted or answered, CSV)") }
            }
            Tables.table(
                caption: context.t("金融機関別（未提出を先頭に）", "By institution (not yet submitted first)"),
                headers: [context.t("金融機関", "Institution"), context.t("業態", "Type"), context.t("規模", "Size"), context.t("地域", "Region"), context.t("提出日時", "Submitted"), context.t("状況", "Status"), ""],
                rows: listed.data.map { entry in
                    let profile = entry.profile
                    let submission = byInstitution[profile.id]
                    let status: String = if submission != nil {
                        context.t("提出済", "Submitted")
                    } else if let round, round.deadline < now {
                        context.t("期限超過（督促対象）", "Late — remind")
                    } else {
                        context.t("未提出", "Not yet")
                    }
                    return [
                        HTML.text(profile.name), HTML.text(catalog.institutionType(profile.typeID).map { context.t($0.name) } ?? profile.typeID),
                        HTML.text(context.t(profile.sizeBand.name)), HTML.text(context.t(profile.region.name)),
                        HTML.text(submission.map { SubmissionTimestamp.string(from: $0.submittedAt) } ?? "—"),
                        span(.class(submission == nil ? "status-missing" : "status-ok"), .attr("data-institution", profile.id.uuidString)) { status },
                        submission == nil ? HTML.empty : a(.href("/supervision/feedback/\(profile.id.uuidString)?year=\(year)")) { context.t("還元資料", "Feedback") },
                    ]
                }
            )
            Components.pager(listed.meta, path: "/supervision", query: [("year", String(year))], context: context)
            if let user = context.user {
                section(.class("panel no-print")) {
                    h2 { context.t("提出ファイルの受付", "Receive submission files") }
                    p(.class("hint")) { context.t("金融機関から届いた署名付き提出ファイル（kamae-submission/1）を選んでください。署名・形式・期限・重複を確認してから登録します。", "Choose signed submission files (kamae-submission/1). Signature, format, deadline and duplicates are checked before anything is stored.") }
                    form(.method("post"), .action("/supervision/submissions"), .attr("enctype", "multipart/form-data")) {
                        Forms.csrf(user)
                        input(.type("file"), .name("files[]"), .id("submission-files"), .attr("multiple", "multiple"), .attr("accept", ".json,application/json"))
                        button(.type("submit"), .id("submission-upload")) { context.t("受け付ける", "Receive") }
                    }
                    h2 { context.t("提出期限の設定", "Set a deadline") }
                    form(.method("post"), .action("/supervision/rounds"), .class("inline-form")) {
                        Forms.csrf(user)
                        Forms.field(id: "round-year", label: context.t("年度", "Fiscal year"), error: nil) {
                            input(.type("number"), .name("year"), .id("round-year"), .value(String(year)), .attr("min", "2000"), .attr("max", "2100"))
                        }
                        Forms.field(id: "round-deadline", label: context.t("提出期限", "Deadline"), error: nil, hint: context.t("その日の 24 時（日本時間）まで受け付けます。", "Accepted until the end of that day, Japan time.")) {
                            input(.type("date"), .name("deadline"), .id("round-deadline"), .value(round.map { ISODate.today(now: $0.deadline.addingTimeInterval(9 * 3600)).description } ?? ""))
                        }
                        button(.type("submit")) { context.t("保存", "Save") }
                    }
                }
            }
        }
    }

    static func receipts(_ results: [(String, Result<SupervisionStore.Receipt, SubmissionRejection>)], context: PageContext) -> HTML {
        Layout.page(context, title: context.t("受付結果", "Receipts")) {
            h1 { context.t("提出ファイルの受付結果", "Submission receipts") }
            navigation(context, current: "/supervision")
            Tables.table(
                caption: nil,
                headers: [context.t("ファイル", "File"), context.t("結果", "Result"), context.t("内容", "Details")],
                rows: results.map { file, result in
                    switch result {
                    case let .success(receipt):
                        [HTML.text(file), span(.class("status-ok receipt")) { context.t("受付", "Accepted") },
                         HTML.text("\(receipt.institutionName) · \(receipt.fiscalYear)\(receipt.supersedes ? context.t("（前回の提出を置き換え）", " (replaces the earlier one)") : "")")]
                    case let .failure(rejection):
                        [HTML.text(file), span(.class("status-missing receipt"), .attr("data-code", rejection.code)) { context.t("不受理", "Refused") },
                         HTML.text(context.language == .ja ? rejection.japanese : rejection.english)]
                    }
                }
            )
            p { a(.href("/supervision")) { context.t("提出状況に戻る", "Back to submissions") } }
        }
    }

    /// The registry: searchable by name or id, 50 per page; each active key can be retired.
    static func institutions(
        _ entries: [SupervisionStore.InstitutionEntry], errors: [String: String], form registration: SupervisionController.RegisterForm?, catalog: Catalog,
        context: PageContext, request: Request
    ) throws -> HTML {
        let q = (request.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
        let matching = q.isEmpty ? entries : entries.filter {
            $0.profile.name.localizedCaseInsensitiveContains(q) || $0.profile.id.uuidString.lowercased().hasPrefix(q.lowercased())
        }
        let paged = try PageRequest.from(request).slice(matching)
        return Layout.page(context, title: context.t("金融機関と公開鍵", "Institutions and keys")) {
            h1 { context.t("金融機関と公開鍵", "Institutions and keys") }
            navigation(context, current: "/supervision/institutions")
            if let user = context.user {
                p(.class("hint"), .id("submission-endpoint")) {
                    context.t("金融機関からの API 提出先", "Where institutions post submissions"); ": "
                    span(.class("mono")) { "POST /api/v1/supervision/\(user.institutionID.uuidString)/submissions" }
                }
            }
            form(.method("get"), .action("/supervision/institutions"), .class("filters")) {
                Forms.field(id: "q", label: context.t("名称または ID で検索", "Search by name or id"), error: nil) {
                    input(.type("search"), .id("q"), .name("q"), .value(q))
                }
                button(.type("submit"), .id("institution-search")) { context.t("検索", "Search") }
            }
            Tables.table(
                caption: context.t("登録済み \(entries.count) 先中 \(matching.count) 先", "\(matching.count) of \(entries.count) registered"),
                headers: [context.t("金融機関", "Institution"), "ID", context.t("業態", "Type"), context.t("規模", "Size"), context.t("地域", "Region"), context.t("有効な鍵", "Active keys")],
                rows: paged.data.map { entry in
                    [HTML.text(entry.profile.name), span(.class("mono")) { entry.profile.id.uuidString },
                     HTML.text(catalog.institutionType(entry.profile.typeID).map { context.t($0.name) } ?? entry.profile.typeID),
                     HTML.text(context.t(entry.profile.sizeBand.name)), HTML.text(context.t(entry.profile.region.name)),
                     ul(.class("keys")) {
                         for key in entry.keys where key.retiredAt == nil {
                             li {
                                 span(.class("mono"), .attr("title", key.keyID)) { String(key.keyID.prefix(16)) + "…" }
                                 if let user = context.user {
                                     form(.method("post"), .action("/supervision/keys/\(key.keyID)/retire"), .class("inline")) {
                                         Forms.csrf(user)
                                         button(.type("submit"), .class("small secondary")) { context.t("失効", "Retire") }
                                     }
                                 }
                             }
                         }
                     }]
                }
            )
            Components.pager(paged.meta, path: "/supervision/institutions", query: [("q", q)], context: context)
            if let user = context.user {
                section(.class("panel")) {
                    h2 { context.t("金融機関・公開鍵の登録", "Register an institution or a new key") }
                    p(.class("hint")) { context.t("金融機関が kamae keys show で出力した ID と公開鍵を入力します。登録済みの金融機関に新しい鍵を追加すると鍵の更新になります。登録は監査ログに記録されます。", "Enter the id and public key the institution printed with `kamae keys show`. A new key for a registered institution is a rotation. Registrations are recorded in the audit trail.") }
                    form(.method("post"), .action("/supervision/institutions"), .id("register-form")) {
                        Forms.csrf(user)
                        Forms.field(id: "institution_id", label: "ID (UUID)", error: errors["institution_id"]) {
                            input(.type("text"), .name("institution_id"), .id("institution_id"), .value(registration?.institutionID ?? ""), .attr("required", "required"))
                        }
                        Forms.field(id: "name", label: context.t("名称", "Name"), error: errors["name"]) {
                            input(.type("text"), .name("name"), .id("name"), .value(registration?.name ?? ""), .attr("maxlength", "200"), .attr("required", "required"))
                        }
                        Forms.field(id: "type", label: context.t("業態", "Type"), error: errors["type"]) {
                            select(.name("type"), .id("type")) {
                                for type in catalog.institutionTypes {
                                    option(.value(type.id), registration?.type == type.id ? .attr("selected", "selected") : .attr("data-type", type.id)) { context.t(type.name) }
                                }
                            }
                        }
                        Forms.field(id: "size", label: context.t("規模", "Size"), error: errors["size"]) {
                            select(.name("size"), .id("size")) {
                                for size in SizeBand.allCases { option(.value(size.rawValue), registration?.size == size.rawValue ? .attr("selected", "selected") : .attr("data-size", size.rawValue)) { context.t(size.name) } }
                            }
                        }
                        Forms.field(id: "region", label: context.t("地域", "Region"), error: errors["region"]) {
                            select(.name("region"), .id("region")) {
                                for region in Region.allCases { option(.value(region.rawValue), registration?.region == region.rawValue ? .attr("selected", "selected") : .attr("data-region", region.rawValue)) { context.t(region.name) } }
                            }
                        }
                        Forms.field(id: "public_key", label: context.t("公開鍵（PEM）", "Public key (PEM)"), error: errors["public_key"]) {
                            HTML.element("textarea", [.name("public_key"), .id("public_key"), .attr("rows", "4")]) { registration?.publicKey ?? "" }
                        }
                        label {
                            input(.type("checkbox"), .name("retire_others"), .value("1"), .flag("checked"))
                            " "; context.t("この金融機関の他の鍵を失効させる（鍵の更新）", "Retire the institution's other keys (rotation)")
                        }
                        button(.type("submit"), .id("register-submit")) { context.t("登録", "Register") }
                    }
                }
            }
        }
    }

    static func analysis(_ analysis: SectorAnalysis, query: SupervisionController.AnalysisQuery, catalog: Catalog, context: PageContext) -> HTML {
        let suppressed = context.t("n<5 非表示", "n<5 hidden")
        let distributions = analysis.sectionDistributions(year: query.year, grouping: query.grouping)
        let groupNames = distributions.groups.map { FeedbackReports.peerGroupName($0, catalog: catalog, context: context) }
        let topSections = distributions.sections.enumerated().filter { $0.element.split(separator: ".").count <= 2 }
        let heat = analysis.heatMap(year: query.year, grouping: query.grouping)
        let submitted = analysis.dataset.rowsByYear[query.year]?.count ?? 0
        func csvLink(_ table: String) -> HTML {
            p(.class("downloads no-print")) {
                a(.href(URLBuilder.url("/supervision/analysis.csv", query.query + [("table", table)])), .class("csv-link"), .id("csv-\(table)")) { "CSV" }
                " · "
                a(.href(URLBuilder.url("/supervision/analysis.xlsx", query.query)), .class("xlsx-link")) { context.t("全表を Excel で", "All tables as Excel") }
            }
        }
        func table(_ name: String, caption: String) -> HTML {
            guard let table = SupervisionTables.table(name, analysis: analysis, query: query, catalog: catalog) else { return .empty }
            return .group {
                Tables.table(caption: caption, headers: table.header, numeric: table.numeric, rows: table.rows.map { $0.map { HTML.text($0) } })
                csvLink(name)
            }
        }
        return Layout.page(context, title: context.t("セクター分析", "Sector analysis")) {
            h1 { context.t("\(query.year) 年度 セクター分析", "Fiscal year \(query.year) sector analysis") }
            navigation(context, current: "/supervision/analysis")
            form(.method("get"), .action("/supervision/analysis"), .class("filters no-print"), .id("analysis-filters")) {
                Forms.field(id: "year", label: context.t("年度", "Fiscal year"), error: nil) {
                    select(.id("year"), .name("year")) {
                        for year in analysis.dataset.years.reversed() { option(.value(String(year)), year == query.year ? .attr("selected", "selected") : .attr("data-year", String(year))) { String(year) } }
                    }
                }
                Forms.field(id: "grouping", label: context.t("比較グループ", "Peer grouping"), error: nil) {
                    select(.id("grouping"), .name("grouping")) {
                        for grouping in PeerGrouping.allCases {
                            option(.value(grouping.rawValue), grouping == query.grouping ? .attr("selected", "selected") : .attr("data-grouping", grouping.rawValue)) { context.t(grouping.name) }
                        }
                    }
                }
                Forms.field(id: "threshold", label: context.t("基本的な対応事項の実施率のしきい値（%）", "Threshold on basic items (%)"), error: nil) {
                    input(.type("number"), .id("threshold"), .name("threshold"), .value(String(Int(query.threshold * 100))), .attr("min", "0"), .attr("max", "100"))
                }
                button(.type("submit"), .id("analysis-submit")) { context.t("表示", "Show") }
            }
            p(.class("lead"), .id("analysis-summary")) {
                context.t(
                    "提出 \(submitted) 先。統計は 5 先以上のグループだけ表示します（k-匿名性）。比率は 実施済 = 1、一部実施 = 0.5、対象外を除く。",
                    "\(submitted) submissions. Statistics are shown only for groups of 5 or more (k-anonymity). Rates count 実施済 as 1 and 一部実施 as 0.5, leaving out 対象外."
                )
            }
            section(.class("chart-box")) {
                h2 { context.t("章別の実施率の分布（箱：四分位、線：中央値）", "Implementation by section (box: quartiles, line: median)") }
                Charts.sectionBoxPlots(
                    rows: topSections.map { index, number in
                        (label: FeedbackReports.sectionLabel(number, catalog: catalog, context: context), boxes: distributions.cells.map { $0[index] })
                    },
                    groupNames: groupNames, marker: nil, title: context.t("章別の実施率の分布", "Implementation by section"), id: "section-boxplots", suppressedLabel: suppressed
                )
                Charts.boxPlotLegend(groupNames: groupNames)
            }
            table("sections", caption: context.t("章・節ごとの分布（%）", "Distribution by section (%)"))
            section(.class("chart-box")) {
                h2 { context.t("項目 × グループの実施率（ヒートマップ）", "Implementation share, items × groups (heat map)") }
                Charts.heatMap(
                    rowLabels: heat.itemIDs, rowLinks: heat.itemIDs.map { "/catalog/items/\($0)" }, columnNames: groupNames, cells: heat.cells,
                    title: context.t("項目ごとの実施済の割合", "Share of institutions with the item implemented"), id: "item-heatmap", suppressedLabel: "n<5"
                )
                Charts.heatLegend(suppressedLabel: suppressed)
                csvLink("heatmap")
            }
            table("lowest", caption: context.t("セクター全体で実施率の低い項目", "Items least implemented across the sector"))
            table("movement", caption: context.t("前年度からの中央値の変化（ポイント）", "Change of the median since the previous year (points)"))
            table("below", caption: context.t("基本的な対応事項の実施率がしきい値未満の金融機関", "Institutions below the threshold on basic items"))
        }
    }
}
