import Foundation
import KamaeCore
import KamaeHTML

enum AssessmentPages {
    // MARK: List of years

    static func list(_ summaries: [AssessmentSummary], context: PageContext, suggestedYear: Int, error: LocalizedText?) -> HTML {
        let canCreate = context.user.map { $0.may(.createAssessment) } ?? false
        let nextYear = max(suggestedYear, (summaries.map(\.year).max() ?? suggestedYear - 1) + 1)
        return Layout.page(context, title: context.t("自己評価", "Self-assessment")) {
            h1 { context.t("自己評価", "Self-assessment") }
            if summaries.isEmpty {
                p(.class("empty")) { context.t("まだ自己評価がありません。", "There is no self-assessment yet.") }
            } else {
                Tables.table(
                    caption: context.t("年度別の自己評価", "Self-assessments by fiscal year"),
                    headers: [context.t("年度", "Fiscal year"), context.t("状態", "State"), context.t("基本的な対応事項の実施率", "Basic measures implemented"),
                              context.t("全体の実施率", "Overall rate"), context.t("回答済", "Answered"), context.t("平均成熟度", "Average maturity"), context.t("更新", "Updated")],
                    numeric: [2, 3, 4, 5],
                    rows: summaries.map { summary in
                        [
                            a(.href("/assessments/\(summary.year)"), .class("year-link")) { context.t("\(summary.year) 年度", "FY\(summary.year)") },
                            stateBadge(summary.state, context: context),
                            .text(percentText(summary.score.basicCoverage)),
                            .text(percentText(summary.score.overall)),
                            .text("\(summary.score.overall.answered) / \(summary.score.overall.answered + summary.score.overall.unanswered)"),
                            .text(summary.score.averageMaturity.map { String(format: "%.1f", $0) } ?? "—"),
                            .text(DateText.short(summary.updatedAt)),
                        ]
                    }
                )
            }
            if canCreate {
                section(.class("panel")) {
                    h2 { context.t("新しい年度を始める", "Start a new fiscal year") }
                    p(.class("hint")) {
                        context.t("前年度の回答を引き継いだ作成中の自己評価を作ります。前年度との差分は一覧で確認できます。", "Creates a draft that carries forward last year's answers; differences from last year are shown.")
                    }
                    form(.method("post"), .action("/assessments"), .class("inline-form")) {
                        Forms.csrf(context.user!)
                        Forms.field(id: "year", label: context.t("年度", "Fiscal year"), error: error.map(context.t)) {
                            input(.type("number"), .id("year"), .name("year"), .value(String(nextYear)), .attr("min", "2000"), .attr("max", "2100"), .flag("required"))
                        }
                        button(.type("submit"), .id("create-assessment")) { context.t("作成", "Create") }
                    }
                }
            }
        }
    }

    // MARK: Overview and dashboard

    struct OverviewModel: Sendable {
        var catalog: Catalog
        var assessment: LoadedAssessment
        var previous: [String: Answer]?
        var history: [AssessmentSummary]
        var filter: AssessmentFilter
        var events: [EventView]
    }

    static func overview(_ model: OverviewModel, context: PageContext) -> HTML {
        let catalog = model.catalog
        let assessment = model.assessment
        let score = Scoring.score(catalog: catalog, answers: assessment.answers)
        let topSections = catalog.children(of: catalog.root.number)
        let base = "/assessments/\(assessment.year)"
        return Layout.page(context, title: context.t("\(assessment.year) 年度 自己評価", "FY\(assessment.year) self-assessment")) {
            div(.class("page-head")) {
                h1 { context.t("\(assessment.year) 年度 自己評価", "FY\(assessment.year) self-assessment") }
                stateBadge(assessment.state, context: context)
                nav(.class("page-actions")) {
                    a(.href("\(base)/gaps")) { context.t("ギャップと改善計画", "Gaps and roadmap") }
                    a(.href("\(base)/print")) { context.t("印刷用表示", "Print view") }
                    for format in ExportFormat.allCases {
                        a(.href("\(base)/export/\(format.rawValue)"), .id("export-\(format.rawValue)"), .attr("download", "")) { format.rawValue.uppercased() }
                    }
                }
            }
            workflowPanel(assessment, context: context)
            if let user = context.user, user.may(.importAnswers), assessment.state.acceptsAnswers {
                details(.class("panel import-panel")) {
                    summary { context.t("ファイルから取り込む", "Import from a file") }
                    form(.method("post"), .action("\(base)/import"), .attr("enctype", "multipart/form-data"), .class("inline-form")) {
                        Forms.csrf(user)
                        Forms.field(id: "import-file", label: context.t("Kamae が出力したファイル", "A file exported by Kamae"), error: nil,
                                    hint: context.t("すべての行を検査し、問題が 1 つでもあれば何も変更しません。", "Every row is checked; if anything is wrong, nothing is changed.")) {
                            input(.type("file"), .id("import-file"), .name("file"), .flag("required"))
                        }
                        button(.type("submit"), .id("import-submit")) { context.t("取込", "Import") }
                    }
                }
            }
            section(.class("tiles"), .aria("label", context.t("主要指標", "Headline figures"))) {
                tile(context.t("基本的な対応事項の実施率", "Basic measures implemented"), percentText(score.basicCoverage), id: "tile-basic", emphasis: true)
                tile(context.t("全体の実施率", "Overall implementation rate"), percentText(score.overall), id: "tile-overall")
                tile(context.t("平均成熟度（0〜5）", "Average maturity (0–5)"), score.averageMaturity.map { String(format: "%.1f", $0) } ?? "—", id: "tile-maturity")
                tile(context.t("回答の進捗", "Answered"), "\(score.overall.answered) / \(catalog.items.count)", id: "tile-progress")
            }
            p(.class("formula")) {
                context.t("実施率 = (実施済 × 1 + 一部実施 × 0.5) ÷ 対象項目数（対象外は除外、未回答は 0 として計上）",
                          "Rate = (implemented × 1 + partial × 0.5) ÷ applicable items (not applicable excluded; unanswered counts as 0)")
            }
            section(.class("charts")) {
                div(.class("chart-box")) {
                    h2 { context.t("節別の実施率", "Implementation by section") }
                    Charts.groupedBars(
                        topSections.map { section in
                            Charts.Bar(label: "\(section.number) \(context.t(section.title))", values: [
                                score.section(section.number, kind: .basic).percent, score.section(section.number, kind: .desirable).percent,
                            ])
                        },
                        series: [context.t("基本的な対応事項", "Basic"), context.t("対応が望ましい事項", "Desirable")],
                        title: context.t("節別の実施率（基本・望ましい）", "Implementation rate by section, basic and desirable"), id: "chart-sections"
                    )
                    Charts.legend([context.t("基本的な対応事項", "Basic measures"), context.t("対応が望ましい事項", "Desirable measures")])
                }
                if model.history.count > 0 {
                    div(.class("chart-box")) {
                        h2 { context.t("年度推移", "Trend over years") }
                        Charts.trend(
                            years: model.history.map(\.year),
                            series: [
                                (context.t("基本的な対応事項", "Basic"), model.history.map { $0.score.basicCoverage.percent }),
                                (context.t("全体", "Overall"), model.history.map { $0.score.overall.percent }),
                            ],
                            title: context.t("実施率の年度推移", "Implementation rate over the years"), id: "chart-trend"
                        )
                        Charts.legend([context.t("基本的な対応事項", "Basic measures"), context.t("全体", "Overall")])
                    }
                }
            }
            section(.class("answers")) {
                h2 { context.t("項目別の回答", "Answers by item") }
                nav(.class("filters"), .aria("label", context.t("絞り込み", "Filter"))) {
                    for filter in AssessmentFilter.allCases where filter != .changed || model.previous != nil {
                        if filter == model.filter {
                            span(.class("current"), .aria("current", "true")) { context.t(filter.name) }
                        } else {
                            a(.href(filter == .all ? base : "\(base)?filter=\(filter.rawValue)"), .id("filter-\(filter.rawValue)")) { context.t(filter.name) }
                        }
                    }
                }
                for top in topSections {
                    sectionBlock(top, model: model, score: score, context: context)
                }
            }
            if !model.events.isEmpty {
                section(.class("events")) {
                    h2 { context.t("承認の履歴", "Workflow history") }
                    Tables.table(
                        caption: nil,
                        headers: [context.t("日時", "When"), context.t("操作", "Action"), context.t("実施者", "By"), context.t("理由", "Reason")],
                        rows: model.events.map { event in
                            [.text(DateText.long(event.at)), .text(event.action.map { context.t($0.name) } ?? "?"), .text(event.actor), .text(event.reason ?? "")]
                        }
                    )
                }
            }
        }
    }

    static func sectionBlock(_ top: CatalogSection, model: OverviewModel, score: AssessmentScore, context: PageContext) -> HTML {
        let catalog = model.catalog
        let items = catalog.items.filter {
            SectionNumber($0.section).isWithin(top.number)
                && model.filter.includes($0, answer: model.assessment.answers[$0.id], previous: model.previous?[$0.id], user: context.user)
        }
        let rate = score.section(top.number)
        return KamaeHTML.section(.class("section-block"), .id("section-\(top.number)")) {
            div(.class("section-head")) {
                h3 { "\(top.number) \(context.t(top.title))" }
                progress(rate, context: context)
            }
            if items.isEmpty {
                p(.class("empty")) { context.t("該当する項目はありません。", "No item matches.") }
            } else {
                Tables.table(
                    caption: nil,
                    headers: [context.t("項目", "Item"), context.t("区分", "Kind"), context.t("内容", "Title"), context.t("実施状況", "Status"),
                              context.t("成熟度", "Maturity"), context.t("担当", "Owner"), context.t("目標日", "Target")],
                    rows: items.map { item in
                        let answer = model.assessment.answers[item.id]
                        return [
                            a(.href("/assessments/\(model.assessment.year)/items/\(item.id)"), .class("citation"), .data("item-id", item.id)) { item.citation },
                            Components.kindBadge(item.kind, context: context),
                            .text(context.t(item.title)),
                            statusBadge(answer?.status, context: context),
                            .text(answer?.maturity.map { String($0.rawValue) } ?? "—"),
                            .text(answer?.owner ?? ""),
                            .text(answer?.targetDate ?? ""),
                        ]
                    },
                    rowClass: { index in items[index].kind == .basic ? "row-basic" : "row-desirable" }
                )
            }
        }
    }

    static func progress(_ rate: ImplementationRate, context: PageContext) -> HTML {
        let total = rate.answered + rate.unanswered
        return div(.class("progress-line")) {
            HTML.element("progress", [.attr("max", String(max(total, 1))), .value(String(rate.answered)), .aria("label", context.t("回答済の割合", "Share answered"))])
            span { context.t("回答 \(rate.answered)/\(total)・実施率 \(percentText(rate))", "answered \(rate.answered)/\(total) · rate \(percentText(rate))") }
        }
    }

    static func workflowPanel(_ assessment: LoadedAssessment, context: PageContext) -> HTML {
        guard let user = context.user else { return .empty }
        let possible = WorkflowAction.allCases.filter { action in
            if case .success = Workflow.next(from: assessment.state, action: action, role: user.role, actor: user.id.uuidString, submittedBy: assessment.submittedBy?.uuidString, reason: "x") {
                return true
            }
            return false
        }
        let waitingForOther = assessment.state == .submitted && user.role == .approver && assessment.submittedBy == user.id
        return section(.class("workflow panel"), .id("workflow")) {
            p {
                context.t("状態: ", "State: ")
                strong { context.t(assessment.state.name) }
                " — "
                context.t(stateExplanation(assessment.state))
            }
            if waitingForOther {
                p(.class("hint")) { context.t(WorkflowRefusal.approverIsSubmitter.message) }
            }
            for action in possible {
                form(.method("post"), .action("/assessments/\(assessment.year)/workflow"), .class("workflow-form")) {
                    Forms.csrf(user)
                    input(.type("hidden"), .name("action"), .value(action.rawValue))
                    if action == .returnForRevision || action == .reopen {
                        Forms.field(id: "reason-\(action.rawValue)", label: context.t("理由（必須）", "Reason (required)"), error: nil) {
                            input(.type("text"), .id("reason-\(action.rawValue)"), .name("reason"), .flag("required"), .attr("maxlength", "2000"))
                        }
                    }
                    button(.type("submit"), .id("workflow-\(action.rawValue)"), .class(action == .reopen ? "secondary" : "")) { context.t(action.name) }
                }
            }
        }
    }

    static func stateExplanation(_ state: AssessmentState) -> LocalizedText {
        switch state {
        case .draft: LocalizedText(ja: "担当者が回答を入力し、提出します。", en: "Editors enter the answers and submit.")
        case .submitted: LocalizedText(ja: "提出者以外の承認者が承認または差戻しします。", en: "An approver other than the submitter approves or returns it.")
        case .returned: LocalizedText(ja: "差し戻されました。担当者が修正して再提出します。", en: "Returned: editors revise and submit again.")
        case .approved: LocalizedText(ja: "承認済みでロックされています。変更には管理者の再オープン（理由の記録）が必要です。", en: "Approved and locked; changes need an administrator to reopen it with a recorded reason.")
        }
    }

    static func tile(_ label: String, _ value: String, id: String, emphasis: Bool = false) -> HTML {
        div(.class(emphasis ? "tile tile-headline" : "tile"), .id(id)) {
            span(.class("tile-value")) { value }
            span(.class("tile-label")) { label }
        }
    }

    // MARK: One item

    struct CommentView: Sendable {
        var author: String
        var body: String
        var at: Date
    }

    struct ChangeView: Sendable {
        var field: String
        var old: String?
        var new: String?
        var by: String
        var at: Date
    }

    struct ItemModel: Sendable {
        var catalog: Catalog
        var assessment: LoadedAssessment
        var item: CatalogItem
        var evidence: [EvidenceView]
        var comments: [CommentView]
        var changes: [ChangeView]
        var previousAnswer: Answer?
        var hadPreviousYear: Bool
        /// What the user typed, shown again after a refused save.
        var draft: Answer?
        var draftRevision: Int?
        /// Live facts from the registers this item concerns, and the records linked as its evidence.
        var registerFacts: [RegisterFacts.Fact] = []
        var registerLinks: [EvidenceLinks.Link] = []
    }

    enum Notice {
        case saved
        case invalid(WebError)
        case conflict(AnswerConflict)
    }

    static func item(_ model: ItemModel, context: PageContext, notice: Notice?) -> HTML {
        let item = model.item
        let stored = model.assessment.answers[item.id]
        let answer = model.draft ?? stored ?? Answer(itemID: item.id)
        let revision = model.assessment.revisions[item.id] ?? 0
        let canEdit = context.user.map { $0.may(.editAnswers) } ?? false
        let editable = canEdit && model.assessment.state.acceptsAnswers
        let canComment = context.user.map { $0.may(.comment) } ?? false
        let base = "/assessments/\(model.assessment.year)"
        let index = model.catalog.items.firstIndex { $0.id == item.id } ?? 0
        let next = model.catalog.items[safe: index + 1]
        let previous = index > 0 ? model.catalog.items[safe: index - 1] : nil
        return Layout.page(context, title: "\(item.citation) \(context.t(item.title))") {
            Components.breadcrumbs([
                (context.t("自己評価", "Self-assessment"), "/assessments"),
                (context.t("\(model.assessment.year) 年度", "FY\(model.assessment.year)"), "\(base)#section-\(item.section.split(separator: ".").prefix(2).joined(separator: "."))"),
                (item.citation, nil),
            ], context: context)
            div(.class("answer-layout")) {
                article(.class("item-detail"), .data("item-id", item.id)) {
                    div(.class("item-head")) {
                        span(.class("citation")) { item.citation }
                        Components.kindBadge(item.kind, context: context)
                    }
                    h1 { context.t(item.title) }
                    p(.class("summary")) { context.t(item.summary) }
                    if !item.subpoints.isEmpty {
                        ul(.class("subpoints")) {
                            for point in item.subpoints { li { context.t(point) } }
                        }
                    }
                    p { a(.href("/catalog/items/\(item.id)")) { context.t("ガイドライン項目の詳細", "Catalog entry") } }
                    if model.hadPreviousYear {
                        div(.class("previous-year"), .id("previous-year")) {
                            h2 { context.t("前年度の回答", "Last year's answer") }
                            p {
                                statusBadge(model.previousAnswer?.status, context: context)
                                " "
                                context.t("成熟度 ", "Maturity ")
                                model.previousAnswer?.maturity.map { String($0.rawValue) } ?? "—"
                            }
                        }
                    }
                    // Next to the item's text: what the registers say about it now.
                    EvidenceLinks.section(model.registerFacts, links: model.registerLinks, base: "/assessments/\(model.assessment.year)/items/\(item.id)",
                                          editable: editable, context: context)
                }
                section(.class("answer-panel panel")) {
                    h2 { context.t("回答", "Answer") }
                    switch notice {
                    case .saved:
                        p(.class("form-success"), .role("status"), .id("notice")) { context.t("保存しました。", "Saved.") }
                    case let .invalid(error):
                        p(.class("form-error"), .role("alert"), .id("notice")) { context.t(error.detail) }
                    case let .conflict(conflict):
                        div(.class("form-error"), .role("alert"), .id("notice")) {
                            p {
                                context.t("この項目は、あなたが画面を開いた後に別の人が更新しました。入力内容はまだ保存されていません。最新の内容を確認してから、もう一度保存してください。",
                                          "Someone else saved this item after you opened it. Your input has not been saved yet. Check the latest answer below, then save again.")
                            }
                            p {
                                context.t("最新の実施状況: ", "Latest status: ")
                                statusBadge(conflict.current.status, context: context)
                                context.t("、成熟度 ", ", maturity ")
                                conflict.current.maturity.map { String($0.rawValue) } ?? "—"
                            }
                        }
                    case nil:
                        HTML.empty
                    }
                    if !model.assessment.state.acceptsAnswers {
                        p(.class("hint")) { context.t(stateExplanation(model.assessment.state)) }
                    }
                    answerForm(answer, revision: model.draftRevision ?? revision, conflictRevision: { if case let .conflict(c) = notice { return c.currentRevision } else { return nil } }(),
                               editable: editable, action: "\(base)/items/\(item.id)", context: context)
                    nav(.class("prev-next")) {
                        if let previous { a(.href("\(base)/items/\(previous.id)"), .rel("prev")) { "← \(previous.citation)" } }
                        if let next { a(.href("\(base)/items/\(next.id)"), .rel("next"), .id("next-item")) { "\(next.citation) →" } }
                    }
                }
            }
            evidenceSection(model, editable: editable, context: context)
            section(.class("comments"), .id("comments")) {
                h2 { context.t("コメント", "Comments") }
                if model.comments.isEmpty {
                    p(.class("empty")) { context.t("コメントはまだありません。", "No comments yet.") }
                }
                ol(.class("comment-list")) {
                    for comment in model.comments {
                        li {
                            p(.class("comment-meta")) { "\(comment.author) · \(DateText.long(comment.at))" }
                            p(.class("comment-body")) { comment.body }
                        }
                    }
                }
                if canComment, let user = context.user {
                    form(.method("post"), .action("/assessments/\(model.assessment.year)/items/\(item.id)/comments"), .class("stacked")) {
                        Forms.csrf(user)
                        Forms.field(id: "comment-body", label: context.t("コメントを追加", "Add a comment"), error: nil) {
                            HTML.element("textarea", [.id("comment-body"), .name("body"), .attr("rows", "3"), .flag("required"), .attr("maxlength", String(AnswerRules.maximumTextLength))])
                        }
                        button(.type("submit"), .id("comment-submit")) { context.t("投稿", "Post") }
                    }
                }
            }
            section(.class("history"), .id("history")) {
                h2 { context.t("変更履歴", "History") }
                if model.changes.isEmpty {
                    p(.class("empty")) { context.t("変更はまだありません。", "No changes yet.") }
                } else {
                    Tables.table(
                        caption: nil,
                        headers: [context.t("日時", "When"), context.t("変更者", "By"), context.t("項目", "Field"), context.t("変更前", "Before"), context.t("変更後", "After")],
                        rows: model.changes.map { change in
                            [.text(DateText.long(change.at)), .text(change.by), .text(fieldName(change.field, context: context)),
                             .text(displayValue(change.field, change.old, context: context)), .text(displayValue(change.field, change.new, context: context))]
                        }
                    )
                }
            }
        }
    }

    static func evidenceSection(_ model: ItemModel, editable: Bool, context: PageContext) -> HTML {
        let today = ISODate.today()
        let base = "/assessments/\(model.assessment.year)"
        return section(.class("evidence"), .id("evidence")) {
            h2 { context.t("エビデンス（添付ファイル）", "Evidence files") }
            if model.evidence.isEmpty {
                p(.class("empty")) { context.t("添付ファイルはありません。", "No files attached.") }
            } else {
                Tables.table(
                    caption: nil,
                    headers: [context.t("ファイル", "File"), context.t("サイズ", "Size"), "SHA-256", context.t("有効期間", "Valid"), context.t("登録", "Added"), ""],
                    numeric: [1],
                    rows: model.evidence.map { file in
                        let expired = file.isExpired(today: today)
                        return [
                            a(.href("\(base)/evidence/\(file.id.uuidString)"), .class("evidence-link")) { file.filename },
                            .text(ByteCountText.format(file.size)),
                            code(.title(file.sha256)) { String(file.sha256.prefix(16)) + "…" },
                            span(.class(expired ? "expired" : "")) {
                                "\(file.effectiveDate) – \(file.expiryDate ?? context.t("無期限", "open-ended"))"
                                if expired { strong { context.t("（期限切れ）", " (expired)") } }
                            },
                            .text("\(file.uploadedBy) · \(DateText.short(file.uploadedAt))"),
                            editable ? deleteEvidenceForm(file, base: base, context: context) : .empty,
                        ]
                    }
                )
            }
            if editable, let user = context.user {
                form(.method("post"), .action("\(base)/items/\(model.item.id)/evidence"), .attr("enctype", "multipart/form-data"), .class("inline-form")) {
                    Forms.csrf(user)
                    Forms.field(id: "evidence-file", label: context.t("ファイル（10 MB まで: PDF・画像・Office・テキスト）", "File (up to 10 MB: PDF, image, Office, text)"), error: nil) {
                        input(.type("file"), .id("evidence-file"), .name("file"), .flag("required"), .attr("accept", ".pdf,.png,.jpg,.jpeg,.xlsx,.docx,.pptx,.txt,.csv"))
                    }
                    Forms.field(id: "effective_date", label: context.t("有効開始日", "Effective from"), error: nil) {
                        input(.type("date"), .id("effective_date"), .name("effective_date"), .value(ISODate.today().description))
                    }
                    Forms.field(id: "expiry_date", label: context.t("有効期限（任意）", "Expires (optional)"), error: nil) {
                        input(.type("date"), .id("expiry_date"), .name("expiry_date"))
                    }
                    button(.type("submit"), .id("evidence-upload")) { context.t("添付", "Attach") }
                }
            }
        }
    }

    static func deleteEvidenceForm(_ file: EvidenceView, base: String, context: PageContext) -> HTML {
        guard let user = context.user else { return .empty }
        return form(.method("post"), .action("\(base)/evidence/\(file.id.uuidString)/delete"), .class("inline")) {
            Forms.csrf(user)
            button(.type("submit"), .class("small secondary")) { context.t("削除", "Remove") }
        }
    }

    static func answerForm(_ answer: Answer, revision: Int, conflictRevision: Int?, editable: Bool, action: String, context: PageContext) -> HTML {
        form(.method("post"), .action(action), .class("stacked answer-form"), .id("answer-form")) {
            if let user = context.user { Forms.csrf(user) }
            // After a conflict the form carries the latest revision: saving again is a conscious overwrite.
            input(.type("hidden"), .name("revision"), .value(String(conflictRevision ?? revision)))
            HTML.element("fieldset", editable ? [] : [.flag("disabled")]) {
                HTML.element("legend") { context.t("実施状況", "Status") }
                for status in AnswerStatus.allCases {
                    label(.class("choice")) {
                        if answer.status == status {
                            input(.type("radio"), .name("status"), .value(status.rawValue), .id("status-\(status.rawValue)"), .flag("checked"))
                        } else {
                            input(.type("radio"), .name("status"), .value(status.rawValue), .id("status-\(status.rawValue)"))
                        }
                        " "
                        context.t(status.name)
                    }
                }
                Forms.field(id: "not_applicable_reason", label: context.t("対象外の理由（対象外の場合は必須）", "Reason it does not apply (required for not applicable)"), error: nil) {
                    input(.type("text"), .id("not_applicable_reason"), .name("not_applicable_reason"), .value(answer.notApplicableReason ?? ""), .attr("maxlength", "2000"))
                }
                Forms.field(id: "maturity", label: context.t("成熟度", "Maturity"), error: nil) {
                    select(.id("maturity"), .name("maturity")) {
                        option(.value("")) { context.t("未選択", "Not set") }
                        for level in MaturityLevel.allCases {
                            CatalogPages.selectableOption(String(level.rawValue), "\(level.rawValue) \(context.t(level.name)) — \(context.t(level.meaning))", selected: answer.maturity == level)
                        }
                    }
                }
                details(.class("maturity-help")) {
                    summary { context.t("成熟度の各レベルの意味", "What each maturity level means") }
                    dl {
                        for level in MaturityLevel.allCases {
                            dt { "\(level.rawValue) \(context.t(level.name))" }
                            dd { context.t(level.meaning) }
                        }
                    }
                }
                Forms.field(id: "evidence_text", label: context.t("根拠・エビデンス（規程名、記録、URL など）", "Evidence (policy names, records, links)"), error: nil) {
                    HTML.element("textarea", [.id("evidence_text"), .name("evidence_text"), .attr("rows", "5"), .attr("maxlength", String(AnswerRules.maximumTextLength))]) { answer.evidenceText ?? "" }
                }
                div(.class("field-row")) {
                    Forms.field(id: "owner", label: context.t("担当（部署・氏名）", "Owner (department or person)"), error: nil) {
                        input(.type("text"), .id("owner"), .name("owner"), .value(answer.owner ?? ""), .attr("maxlength", "200"))
                    }
                    Forms.field(id: "target_date", label: context.t("目標日", "Target date"), error: nil) {
                        input(.type("date"), .id("target_date"), .name("target_date"), .value(answer.targetDate ?? ""))
                    }
                }
                if editable {
                    button(.type("submit"), .id("save-answer")) { context.t("保存", "Save") }
                }
            }
        }
    }

    static func fieldName(_ field: String, context: PageContext) -> String {
        switch field {
        case "status": context.t("実施状況", "Status")
        case "maturity": context.t("成熟度", "Maturity")
        case "not_applicable_reason": context.t("対象外の理由", "Reason not applicable")
        case "evidence_text": context.t("根拠", "Evidence")
        case "owner": context.t("担当", "Owner")
        case "target_date": context.t("目標日", "Target date")
        default: field
        }
    }

    static func displayValue(_ field: String, _ value: String?, context: PageContext) -> String {
        guard let value else { return "—" }
        if field == "status", let status = AnswerStatus(rawValue: value) { return context.t(status.name) }
        return value
    }

    // MARK: Gaps

    static func gaps(_ gaps: [Gap], assessment: LoadedAssessment, actions: [StoredRemediationAction], context: PageContext) -> HTML {
        let today = ISODate.today()
        let basicCount = gaps.filter { $0.item.kind == .basic }.count
        return Layout.page(context, title: context.t("ギャップと改善計画", "Gaps and roadmap")) {
            Components.breadcrumbs([
                (context.t("自己評価", "Self-assessment"), "/assessments"),
                (context.t("\(assessment.year) 年度", "FY\(assessment.year)"), "/assessments/\(assessment.year)"),
                (context.t("ギャップ", "Gaps"), nil),
            ], context: context)
            h1 { context.t("ギャップと改善計画", "Gaps and roadmap") }
            p(.id("gap-count")) {
                context.t("十分に実施されていない項目 \(gaps.count) 件（うち基本的な対応事項 \(basicCount) 件）",
                          "\(gaps.count) items not fully implemented (\(basicCount) of them basic measures)")
            }
            Tables.table(
                caption: context.t("ギャップ一覧（基本的な対応事項を優先）", "Gaps, basic measures first"),
                headers: [context.t("項目", "Item"), context.t("区分", "Kind"), context.t("内容", "Title"), context.t("実施状況", "Status"), context.t("改善計画", "Actions"), ""],
                rows: gaps.map { gap in
                    let linked = actions.filter { $0.action.itemIDs.contains(gap.item.id) }
                    return [
                        a(.href("/assessments/\(assessment.year)/items/\(gap.item.id)"), .class("citation")) { gap.item.citation },
                        Components.kindBadge(gap.item.kind, context: context),
                        .text(context.t(gap.item.title)),
                        statusBadge(gap.status, context: context),
                        .group {
                            for stored in linked {
                                span(.class(stored.action.isOverdue(today: today) ? "action overdue" : "action")) { "\(stored.action.title)（\(stored.action.dueDate)）" }
                            }
                        },
                        a(.href("/remediation?items=\(gap.item.id)#new-action")) { context.t("計画を作成", "Plan an action") },
                    ]
                }
            )
        }
    }

    // MARK: Import

    static func importResult(year: Int, file: String, changed: Int, problems: [AssessmentExchange.ImportError], context: PageContext) -> HTML {
        Layout.page(context, title: context.t("取込結果", "Import result")) {
            h1 { context.t("取込結果", "Import result") }
            if problems.isEmpty {
                p(.class("form-success"), .role("status"), .id("import-result")) {
                    context.t("\(file) を取り込みました。\(changed) 項目が更新されました。", "Imported \(file): \(changed) items changed.")
                }
            } else {
                div(.class("form-error"), .role("alert"), .id("import-result")) {
                    p { context.t("\(file) は取り込めませんでした。何も変更されていません。次の点を直してから再度取り込んでください。", "\(file) was not imported; nothing was changed. Fix the following and import again.") }
                    ul {
                        for problem in problems.prefix(200) {
                            li { code { problem.location }; " — "; context.t(problem.message) }
                        }
                    }
                    if problems.count > 200 { p { context.t("ほか \(problems.count - 200) 件", "and \(problems.count - 200) more") } }
                }
            }
            p { a(.href("/assessments/\(year)")) { context.t("自己評価に戻る", "Back to the self-assessment") } }
        }
    }

    // MARK: Print

    static func print(catalog: Catalog, assessment: LoadedAssessment, institutionName: String, context: PageContext) -> HTML {
        let score = Scoring.score(catalog: catalog, answers: assessment.answers)
        return Layout.page(context, title: context.t("\(assessment.year) 年度 自己評価（印刷用）", "FY\(assessment.year) self-assessment (print)")) {
            article(.class("print-view")) {
                h1 { context.t("\(institutionName) \(assessment.year) 年度 サイバーセキュリティ自己評価", "\(institutionName) FY\(assessment.year) cyber-security self-assessment") }
                p {
                    context.t("状態: ", "State: "); context.t(assessment.state.name)
                    context.t("　ガイドライン版: ", " · Guideline edition: "); assessment.catalogVersion
                    context.t("　出力日: ", " · Printed: "); ISODate.today().description
                }
                section(.class("tiles")) {
                    tile(context.t("基本的な対応事項の実施率", "Basic measures implemented"), percentText(score.basicCoverage), id: "print-basic", emphasis: true)
                    tile(context.t("全体の実施率", "Overall rate"), percentText(score.overall), id: "print-overall")
                    tile(context.t("平均成熟度", "Average maturity"), score.averageMaturity.map { String(format: "%.1f", $0) } ?? "—", id: "print-maturity")
                }
                Charts.groupedBars(
                    catalog.children(of: catalog.root.number).map { section in
                        Charts.Bar(label: "\(section.number) \(context.t(section.title))", values: [
                            score.section(section.number, kind: .basic).percent, score.section(section.number, kind: .desirable).percent,
                        ])
                    },
                    series: [context.t("基本", "Basic"), context.t("望ましい", "Desirable")],
                    title: context.t("節別の実施率", "Implementation by section"), id: "print-chart"
                )
                Tables.table(
                    caption: context.t("全項目の回答", "All answers"),
                    headers: [context.t("項目", "Item"), context.t("区分", "Kind"), context.t("内容", "Title"), context.t("実施状況", "Status"), context.t("成熟度", "Maturity"), context.t("根拠", "Evidence")],
                    rows: catalog.items.map { item in
                        let answer = assessment.answers[item.id]
                        return [.text(item.citation), .text(context.t(item.kind.shortName)), .text(context.t(item.title)), .text(answer?.status.map { context.t($0.name) } ?? "—"),
                                .text(answer?.maturity.map { String($0.rawValue) } ?? "—"), .text(answer?.evidenceText ?? "")]
                    }
                )
            }
        }
    }

    // MARK: Small pieces

    static func stateBadge(_ state: AssessmentState, context: PageContext) -> HTML {
        span(.class("state state-\(state.rawValue)"), .id("assessment-state")) { context.t(state.name) }
    }

    static func statusBadge(_ status: AnswerStatus?, context: PageContext) -> HTML {
        guard let status else { return span(.class("status status-none")) { context.t("未回答", "Unanswered") } }
        return span(.class("status status-\(status.rawValue)")) { context.t(status.name) }
    }

    static func percentText(_ rate: ImplementationRate) -> String {
        rate.percent.map { String(format: "%.1f%%", $0) } ?? "—"
    }
}

enum ByteCountText {
    static func format(_ bytes: Int) -> String {
        bytes < 1024 ? "\(bytes) B" : (bytes < 1024 * 1024 ? String(format: "%.1f KB", Double(bytes) / 1024) : String(format: "%.1f MB", Double(bytes) / 1024 / 1024))
    }
}

enum DateText {
    static func short(_ date: Date) -> String { ISODate.today(now: date).description }

    static func long(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date) + " JST"
    }
}
