import Fluent
import Foundation
import KamaeCore
import KamaeHTML
import KamaeSupervision

/// Feedback reports (還元資料): made by the supervisor from the sector analysis, written as files, delivered into
/// each institution's Kamae, and rendered the same way everywhere (supervisor page, institution page, printable file).
enum FeedbackReports {
    static func generate(
        supervisorID: UUID, year: Int, grouping: PeerGrouping, catalog: Catalog, on database: any Database, now: Date = Date()
    ) async throws -> [FeedbackDocument] {
        let analysis = try await SupervisionStore.analysis(supervisorID: supervisorID, catalog: catalog, on: database)
        let supervisorName = try await InstitutionRecord.find(supervisorID, on: database)?.name ?? ""
        let rows = analysis.dataset.rowsByYear[year] ?? []
        return rows.compactMap { row in
            let institution = analysis.dataset.institutions[analysis.dataset.rowInstitution[row]]
            return analysis.feedback(for: institution.id, year: year, grouping: grouping).map {
                FeedbackDocument(
                    supervisorName: supervisorName, institutionName: institution.name, catalogVersion: catalog.version.id, generatedAt: now, feedback: $0
                )
            }
        }
    }

    /// `<institution id>.json` (the file the institution imports), `<institution id>.html` (printable, Japanese) and
    /// `index.csv` listing them.
    static func write(_ documents: [FeedbackDocument], to directory: URL, catalog: Catalog) throws {
        var index: [[String]] = []
        for document in documents {
            let id = document.feedback.institutionID.uuidString.lowercased()
            let context = PageContext(language: .ja, currentURL: "/")
            do {
                try document.encoded().write(to: directory.appendingPathComponent("\(id).json"), options: .atomic)
                try Data(standalone(document, catalog: catalog, context: context).render().utf8)
                    .write(to: directory.appendingPathComponent("\(id).html"), options: .atomic)
            } catch {
                throw CommandFailure("cannot write to \(directory.path): \(error.localizedDescription)")
            }
            index.append([id, document.institutionName, String(document.feedback.fiscalYear), document.feedback.peerGroup.description,
                          document.feedback.peerCount.value.map(String.init) ?? "<5", "\(id).json", "\(id).html"])
        }
        do {
            try CSV.document(header: ["institution_id", "institution_name", "fiscal_year", "peer_group", "peer_count", "json", "html"], rows: index).write(to: directory.appendingPathComponent("index.csv"), options: .atomic)
        } catch {
            throw CommandFailure("cannot write to \(directory.path): \(error.localizedDescription)")
        }
    }

    /// A complete page that prints well on its own (no stylesheet or script to fetch).
    static func standalone(_ document: FeedbackDocument, catalog: Catalog, context: PageContext) -> HTML {
        HTML.document(lang: context.language.rawValue) {
            meta(.attr("charset", "utf-8"))
            HTML.element("title") { "\(context.t("還元資料", "Feedback report")) \(document.feedback.fiscalYear) — \(document.institutionName)" }
            HTML.element("style") { printStyle }
        } body: {
            KamaeHTML.main(.class("feedback-report")) { body(document, catalog: catalog, context: context) }
        }
    }

    /// The report itself, inside a page of the web layout or the standalone file.
    static func body(_ document: FeedbackDocument, catalog: Catalog, context: PageContext) -> HTML {
        let feedback = document.feedback
        let suppressed = context.t("n<5 非表示", "n<5 hidden")
        let groupName = peerGroupName(feedback.peerGroup, catalog: catalog, context: context)
        let submissions = feedback.peerCount.value.map { context.t("提出 \($0) 先", "\($0) submissions") } ?? context.t("提出 5 先未満", "fewer than 5 submissions")
        let topSections = feedback.sections.filter { $0.section.split(separator: ".").count <= 2 }
        let detailSections = feedback.sections.filter { $0.section.split(separator: ".").count <= 3 }
        return .group {
            h1(.id("feedback-title")) { "\(document.institutionName) — \(context.t("\(feedback.fiscalYear) 年度 自己評価 還元資料", "Fiscal year \(feedback.fiscalYear) self-assessment feedback"))" }
            p(.class("lead")) {
                context.t(
                    "\(document.supervisorName)が、同じ比較グループ（\(groupName)、\(submissions)）の分布と比べた貴機関の位置をお知らせします。比較グループの統計は 5 先以上のときだけ表示し、他の金融機関を特定できる情報は含みません。",
                    "\(document.supervisorName) shows where your institution stands against its peer group (\(groupName), \(submissions)). Peer statistics are shown only for groups of 5 or more, and nothing identifies another institution."
                )
            }
            p(.class("meta")) { "\(context.t("作成", "Generated")): \(document.generatedAt) · \(context.t("ガイドライン", "Guideline")): \(document.catalogVersion)" }
            section(.class("chart-box")) {
                h2 { context.t("章別の実施率と比較グループの分布", "Implementation by section against the peer group") }
                Charts.sectionBoxPlots(
                    rows: topSections.map { (label: sectionLabel($0.section, catalog: catalog, context: context), boxes: [$0.peers]) },
                    groupNames: [groupName], marker: topSections.map(\.rate),
                    title: context.t("箱は比較グループの第1四分位〜第3四分位、線は中央値、◆は貴機関", "Boxes span the peer group's quartiles, the line is the median, ◆ is your institution"),
                    id: "feedback-sections", suppressedLabel: suppressed
                )
                Charts.boxPlotLegend(groupNames: [groupName], ownLabel: context.t("貴機関", "Your institution"))
            }
            Tables.table(
                caption: context.t("章・節ごとの位置", "Position by section"),
                headers: [context.t("章・節", "Section"), context.t("貴機関", "Yours"), context.t("第1四分位", "Q1"), context.t("中央値", "Median"),
                          context.t("第3四分位", "Q3"), context.t("パーセンタイル", "Percentile"), context.t("位置", "Quartile band")],
                numeric: [1, 2, 3, 4, 5],
                rows: detailSections.map { position in
                    let peers = position.peers.value
                    return [
                        HTML.text(sectionLabel(position.section, catalog: catalog, context: context)),
                        HTML.text(position.rate.map(percent) ?? "—"),
                        HTML.text(peers.map { percent($0.q1) } ?? suppressed),
                        HTML.text(peers.map { percent($0.median) } ?? suppressed),
                        HTML.text(peers.map { percent($0.q3) } ?? suppressed),
                        HTML.text(position.percentileRank.map { String(format: "%.0f", $0) } ?? "—"),
                        HTML.text(position.band.map { bandName($0, context: context) } ?? "—"),
                    ]
                }
            )
            h2 { context.t("同業の多くが実施している未実施項目", "Items most peers have implemented and you have not") }
            if feedback.weakItems.isEmpty {
                p(.class("empty")) { context.t("該当する項目はありません。", "None.") }
            } else {
                Tables.table(
                    caption: nil,
                    headers: [context.t("項目", "Item"), context.t("区分", "Kind"), context.t("貴機関の回答", "Your answer"), context.t("同業の実施状況", "Peers")],
                    rows: feedback.weakItems.map { item in
                        [itemCell(item.itemID, catalog: catalog, context: context), HTML.text(context.t(item.kind.shortName)),
                         HTML.text(item.status.map { context.t($0.name) } ?? context.t("未回答", "Unanswered")), HTML.text(context.t(item.peerAdoption.name))]
                    }
                )
            }
            h2 { context.t("優先して取り組むことが望まれる基本的な対応事項", "Basic items to work on first") }
            if feedback.priorities.isEmpty {
                p(.class("empty")) { context.t("基本的な対応事項はすべて実施済です。", "Every basic item is implemented.") }
            } else {
                ol(.class("priorities")) {
                    for item in feedback.priorities {
                        li {
                            itemCell(item.itemID, catalog: catalog, context: context)
                            " — "
                            item.status.map { context.t($0.name) } ?? context.t("未回答", "Unanswered")
                            if let adoption = item.peerAdoption { "（\(context.t(adoption.name))）" }
                        }
                    }
                }
            }
        }
    }

    static func peerGroupName(_ group: PeerGroup, catalog: Catalog, context: PageContext) -> String {
        switch group.grouping {
        case .all: context.t("全体", "All institutions")
        case .institutionType: catalog.institutionType(group.value).map { context.t($0.name) } ?? group.value
        case .sizeBand: SizeBand(rawValue: group.value).map { context.t($0.name) } ?? group.value
        case .region: Region(rawValue: group.value).map { context.t($0.name) } ?? group.value
        }
    }

    static func sectionLabel(_ number: String, catalog: Catalog, context: PageContext) -> String {
        if number == catalog.root.number { return context.t("全体", "Overall") }
        return "\(number) \(catalog.section(number).map { context.t($0.title) } ?? "")"
    }

    static func bandName(_ band: QuartileBand, context: PageContext) -> String {
        switch band {
        case .fourth: context.t("上位 25%", "Top quarter")
        case .third: context.t("中央値以上", "Above median")
        case .second: context.t("中央値未満", "Below median")
        case .first: context.t("下位 25%", "Bottom quarter")
        }
    }

    static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }

    private static func itemCell(_ itemID: String, catalog: Catalog, context: PageContext) -> HTML {
        guard let item = catalog.item(id: itemID) else { return HTML.text(itemID) }
        return span { span(.class("item-id")) { item.citation }; " "; context.t(item.title) }
    }

    /// For the standalone file only; the web pages use the stylesheet. No characters that HTML text escaping changes.
    private static let printStyle = """
    body { font-family: 'Noto Sans CJK JP', 'Hiragino Sans', sans-serif; color: #1d2733; margin: 2rem; line-height: 1.55; }
    h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 1.6rem; border-bottom: 1px solid #ccd3db; }
    table { border-collapse: collapse; width: 100%; font-size: .9rem; } th, td { border-bottom: 1px solid #e3e7ec; padding: .25rem .5rem; text-align: left; }
    td.num, th.num { text-align: right; } .meta, .other-language { color: #5b6776; font-size: .85rem; }
    svg.chart { width: 100%; height: auto; font-size: 11px; } svg.chart .grid { stroke: #e3e7ec; } svg.chart .axis { fill: #5b6776; }
    svg.chart .group-0 { fill: #9ecae1; stroke: #2171b5; } svg.chart .median { stroke: #08306b; stroke-width: 2; }
    svg.chart .own { fill: #d94801; stroke: #7f2704; } svg.chart .suppressed { fill: #f0f0f0; stroke: #bdbdbd; }
    svg.chart .suppressed-label { fill: #5b6776; stroke: none; font-size: 8px; } svg.chart .suppressed .slot { stroke-dasharray: 2 2; }
    @media print { body { margin: 0; } section, table { break-inside: avoid; } }
    """
}
