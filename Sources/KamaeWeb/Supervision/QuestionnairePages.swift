import Foundation
import KamaeCore
import KamaeHTML
import KamaeSupervision
import KamaeTrust

enum QuestionnairePages {
    static let notPublished = WebError(
        status: .conflict, title: LocalizedText(ja: "未配布の調査票です", en: "Not distributed yet"),
        detail: LocalizedText(ja: "配布先を選んで配布すると、配布ファイルと回答の集計が使えます。", en: "Distribute the questionnaire first; then its file and the results are available.")
    )

    static func list(_ entries: [QuestionnaireStore.Entry], answered: [UUID: Int], context: PageContext) -> HTML {
        Layout.page(context, title: context.t("調査票", "Questionnaires")) {
            h1 { context.t("調査票", "Questionnaires") }
            SupervisionPages.navigation(context, current: "/supervision/questionnaires")
            p { a(.href("/supervision/questionnaires/new"), .class("button"), .id("new-questionnaire")) { context.t("新しい調査票", "New questionnaire") } }
            if entries.isEmpty {
                p(.class("empty")) { context.t("調査票はまだありません。", "No questionnaires yet.") }
            } else {
                Tables.table(
                    caption: nil,
                    headers: [context.t("調査票", "Questionnaire"), "ID", context.t("版", "Version"), context.t("年度", "Year"), context.t("回答期限", "Deadline"), context.t("状況", "State"), context.t("回答", "Answers")],
                    numeric: [2, 3],
                    rows: entries.map { entry in
                        [a(.href("/supervision/questionnaires/\(entry.id)")) { context.t(entry.questionnaire.title) }, HTML.text(entry.questionnaire.id),
                         HTML.text(String(entry.questionnaire.version)), HTML.text(String(entry.fiscalYear)), HTML.text(SubmissionTimestamp.string(from: entry.deadline)),
                         HTML.text(entry.publishedAt == nil ? context.t("下書き", "Draft") : context.t("配布済", "Distributed")),
                         HTML.text(entry.publishedAt == nil ? "—" : "\(answered[entry.id] ?? 0) / \(entry.recipients.count)")]
                    }
                )
            }
        }
    }

    static func editor(
        _ entry: QuestionnaireStore.Entry?, form draft: QuestionnaireForm, errors: [String], catalog: Catalog, context: PageContext,
        institutions: [SupervisionStore.InstitutionEntry] = []
    ) -> HTML {
        let action = entry.map { "/supervision/questionnaires/\($0.id)" } ?? "/supervision/questionnaires"
        return Layout.page(context, title: context.t("調査票の作成", "Write a questionnaire")) {
            h1 { entry == nil ? context.t("新しい調査票", "New questionnaire") : context.t("調査票（下書き）", "Questionnaire (draft)") }
            SupervisionPages.navigation(context, current: "/supervision/questionnaires")
            if !errors.isEmpty {
                div(.class("form-error"), .role("alert"), .id("questionnaire-errors")) { ul { for error in errors { li { error } } } }
            }
            if let user = context.user {
                form(.method("post"), .action(action), .id("questionnaire-form")) {
                    Forms.csrf(user)
                    Forms.field(id: "code", label: context.t("調査票 ID（半角英数字）", "Questionnaire id"), error: nil, hint: entry == nil ? nil : context.t("第 \(draft.version) 版", "Version \(draft.version)")) {
                        input(.type("text"), .name("code"), .id("code"), .value(draft.code), .attr("maxlength", "64"), entry == nil ? .attr("required", "required") : .flag("readonly"))
                    }
                    Forms.field(id: "title_ja", label: context.t("題名（日本語）", "Title (Japanese)"), error: nil) {
                        input(.type("text"), .name("title_ja"), .id("title_ja"), .value(draft.titleJa), .attr("required", "required"))
                    }
                    Forms.field(id: "title_en", label: context.t("題名（英語、省略時は日本語）", "Title (English; Japanese if empty)"), error: nil) {
                        input(.type("text"), .name("title_en"), .id("title_en"), .value(draft.titleEn))
                    }
                    Forms.field(id: "fiscal_year", label: context.t("年度", "Fiscal year"), error: nil) {
                        input(.type("number"), .name("fiscal_year"), .id("fiscal_year"), .value(draft.fiscalYear.map(String.init) ?? ""), .attr("min", "2000"), .attr("max", "2100"))
                    }
                    Forms.field(id: "deadline", label: context.t("回答期限", "Deadline"), error: nil, hint: context.t("その日の 24 時（日本時間）まで受け付けます。", "Accepted until the end of that day, Japan time.")) {
                        input(.type("date"), .name("deadline"), .id("deadline"), .value(draft.deadline))
                    }
                    for (index, block) in draft.blocks.enumerated() {
                        let n = index + 1
                        HTML.element("fieldset", [.class("question-block"), .id("q\(n)")]) {
                            HTML.element("legend") { context.t("質問 \(n)", "Question \(n)") }
                            Forms.field(id: "q\(n)_ja", label: context.t("質問文（日本語）", "Text (Japanese)"), error: nil) {
                                HTML.element("textarea", [.name("q\(n)_ja"), .id("q\(n)_ja"), .attr("rows", "2")]) { block.ja }
                            }
                            Forms.field(id: "q\(n)_en", label: context.t("質問文（英語、省略可）", "Text (English, optional)"), error: nil) {
                                HTML.element("textarea", [.name("q\(n)_en"), .id("q\(n)_en"), .attr("rows", "2")]) { block.en }
                            }
                            Forms.field(id: "q\(n)_kind", label: context.t("回答の形式", "Answer"), error: nil) {
                                select(.name("q\(n)_kind"), .id("q\(n)_kind")) {
                                    option(.value("single"), block.kind == .singleChoice ? .flag("selected") : .attr("data-kind", "single")) { context.t("単一選択", "Single choice") }
                                    option(.value("multiple"), block.kind == .multipleChoice ? .flag("selected") : .attr("data-kind", "multiple")) { context.t("複数選択", "Multiple choice") }
                                }
                            }
                            Forms.field(id: "q\(n)_options", label: context.t("選択肢（1 行に 1 つ、「日本語 / English」）", "Options (one per line, \"日本語 / English\")"), error: nil) {
                                HTML.element("textarea", [.name("q\(n)_options"), .id("q\(n)_options"), .attr("rows", "4")]) { block.options }
                            }
                            Forms.field(id: "q\(n)_items", label: context.t("関連するガイドライン項目（例 2.2.3-B1, 2.5.1-B2）", "Related guideline items (e.g. 2.2.3-B1, 2.5.1-B2)"), error: nil) {
                                input(.type("text"), .name("q\(n)_items"), .id("q\(n)_items"), .value(block.items))
                            }
                            label { input(.type("checkbox"), .name("q\(n)_required"), .value("1"), block.required ? .flag("checked") : .attr("data-required", "0")); " "; context.t("回答必須", "Required") }
                            " "
                            label { input(.type("checkbox"), .name("q\(n)_free"), .value("1"), block.allowsFreeText ? .flag("checked") : .attr("data-free", "0")); " "; context.t("自由記述欄あり", "Free-text remark") }
                        }
                    }
                    p(.class("hint")) { context.t("空欄の質問は保存されません。質問を増やすには保存すると空欄が 2 つ追加されます（最大 \(QuestionnaireForm.maximumQuestions) 問）。", "Empty question blocks are left out; saving adds two more (up to \(QuestionnaireForm.maximumQuestions)).") }
                    button(.type("submit"), .id("questionnaire-save")) { context.t("下書きを保存", "Save draft") }
                }
                if let entry {
                    section(.class("panel")) {
                        h2 { context.t("配布", "Distribute") }
                        p(.class("hint")) { context.t("配布すると調査票は変更できなくなります（変更は新しい版で行います）。配布先ごとに回答状況を追跡します。", "Once distributed the questionnaire is frozen (changes go into a new version); each recipient's answer is tracked.") }
                        form(.method("post"), .action("/supervision/questionnaires/\(entry.id)/publish"), .id("publish-form")) {
                            Forms.csrf(user)
                            ul(.class("checklist")) {
                                for institution in institutions {
                                    li {
                                        label {
                                            input(.type("checkbox"), .name("recipients[]"), .value(institution.profile.id.uuidString), .flag("checked"))
                                            " \(institution.profile.name)（\(catalog.institutionType(institution.profile.typeID).map { context.t($0.name) } ?? institution.profile.typeID)）"
                                        }
                                    }
                                }
                            }
                            button(.type("submit"), .id("publish-submit")) { context.t("選んだ金融機関に配布", "Distribute to the chosen institutions") }
                        }
                    }
                }
            }
        }
    }

    static func results(
        _ entry: QuestionnaireStore.Entry, recipients: [SupervisionStore.InstitutionEntry], responses: [UUID: Date], distributions: [QuestionDistribution],
        remarks: [String: [(institution: String, text: String)]], grouping: PeerGrouping, catalog: Catalog, context: PageContext
    ) -> HTML {
        let suppressed = context.t("n<5 非表示", "n<5 hidden")
        let late = entry.deadline < Date()
        return Layout.page(context, title: context.t(entry.questionnaire.title)) {
            h1(.id("questionnaire-title")) { "\(context.t(entry.questionnaire.title))（\(context.t("第 \(entry.questionnaire.version) 版", "version \(entry.questionnaire.version)"))）" }
            SupervisionPages.navigation(context, current: "/supervision/questionnaires")
            p(.id("questionnaire-summary")) {
                context.t("回答期限", "Deadline"); ": \(SubmissionTimestamp.string(from: entry.deadline)) · "
                context.t("回答 \(responses.count) / \(recipients.count) 先", "\(responses.count) of \(recipients.count) answered")
            }
            p(.class("actions no-print")) {
                a(.href("/supervision/questionnaires/\(entry.id)/distribution.json"), .class("button"), .id("distribution-download")) { context.t("配布ファイル（JSON）", "Distribution file (JSON)") }
                " "
                a(.href(URLBuilder.url("/supervision/questionnaires/\(entry.id)/results.csv", [("grouping", grouping.rawValue)])), .class("button secondary"), .id("results-csv")) { context.t("集計 CSV", "Results CSV") }
                if let user = context.user {
                    form(.method("post"), .action("/supervision/questionnaires/\(entry.id)/version"), .class("inline")) {
                        Forms.csrf(user)
                        button(.type("submit"), .class("secondary"), .id("new-version")) { context.t("新しい版を作成", "Make a new version") }
                    }
                }
            }
            form(.method("get"), .action("/supervision/questionnaires/\(entry.id)"), .class("filters no-print")) {
                Forms.field(id: "grouping", label: context.t("比較グループ", "Peer grouping"), error: nil) {
                    select(.id("grouping"), .name("grouping")) {
                        for candidate in PeerGrouping.allCases {
                            option(.value(candidate.rawValue), candidate == grouping ? .flag("selected") : .attr("data-grouping", candidate.rawValue)) { context.t(candidate.name) }
                        }
                    }
                }
                button(.type("submit"), .id("grouping-submit")) { context.t("表示", "Show") }
            }
            for distribution in distributions {
                if let question = entry.questionnaire.question(id: distribution.questionID) {
                    let groupNames = distribution.groups.map { FeedbackReports.peerGroupName($0, catalog: catalog, context: context) }
                    section(.class("question-result"), .id("result-\(question.id)")) {
                        h2 { "\(question.id.uppercased()). \(context.t(question.text))" }
                        p(.class("hint")) {
                            question.kind == .singleChoice ? context.t("単一選択", "Single choice") : context.t("複数選択（合計は 100% を超えることがあります）", "Multiple choice (shares can add up to more than 100%)")
                            if !question.linkedItemIDs.isEmpty { " · \(context.t("関連項目", "Items")): \(question.linkedItemIDs.joined(separator: ", "))" }
                        }
                        Charts.groupedBars(
                            question.options.map { option in
                                Charts.Bar(label: context.t(option.label), values: distribution.breakdowns.map { statistic in
                                    statistic.value?.options.first { $0.optionID == option.id }?.percent
                                })
                            },
                            series: groupNames, title: context.t(question.text), id: "chart-\(question.id)"
                        )
                        Charts.legend(groupNames)
                        Tables.table(
                            caption: nil,
                            headers: [context.t("選択肢", "Option")] + groupNames,
                            numeric: Set(1...max(groupNames.count, 1)),
                            rows: question.options.map { option in
                                [HTML.text(context.t(option.label))] + distribution.breakdowns.map { statistic in
                                    HTML.text(statistic.value.flatMap { breakdown in
                                        breakdown.options.first { $0.optionID == option.id }.map { String(format: "%.1f%% (%d/%d)", $0.percent, $0.count, breakdown.respondents) }
                                    } ?? suppressed)
                                }
                            }
                        )
                        if let texts = remarks[question.id], !texts.isEmpty {
                            HTML.element("details", [.class("remarks")]) {
                                HTML.element("summary") { context.t("自由記述 \(texts.count) 件", "\(texts.count) remark(s)") }
                                ul { for remark in texts { li { strong { remark.institution }; ": "; remark.text } } }
                            }
                        }
                    }
                }
            }
            Tables.table(
                caption: context.t("配布先の回答状況", "Recipients"),
                headers: [context.t("金融機関", "Institution"), context.t("回答日時", "Answered"), context.t("状況", "Status")],
                rows: recipients.sorted { (responses[$0.profile.id] == nil ? 0 : 1, $0.profile.name) < (responses[$1.profile.id] == nil ? 0 : 1, $1.profile.name) }.map { institution in
                    let answered = responses[institution.profile.id]
                    return [HTML.text(institution.profile.name), HTML.text(answered.map { SubmissionTimestamp.string(from: $0) } ?? "—"),
                            span(.class(answered == nil ? "status-missing" : "status-ok")) {
                                answered != nil ? context.t("回答済", "Answered") : (late ? context.t("期限超過（督促対象）", "Late — remind") : context.t("未回答", "Not yet"))
                            }]
                }
            )
        }
    }
}
