import Fluent
import Foundation
import KamaeCore
import KamaeHTML
import KamaeSupervision
import KamaeTrust
import Vapor

/// The supervisor's questionnaires (調査票): author, version, distribute to chosen institutions with a deadline,
/// follow who has answered, and read the answers per peer group.
struct QuestionnaireController: RouteCollection {
    let catalog: Catalog

    func boot(routes: any RoutesBuilder) throws {
        let questionnaires = routes.grouped("supervision", "questionnaires")
        questionnaires.get(use: list)
        questionnaires.get("new", use: new)
        questionnaires.post(use: create)
        questionnaires.get(":id", use: show)
        questionnaires.post(":id", use: update)
        questionnaires.post(":id", "publish", use: publish)
        questionnaires.post(":id", "version", use: newVersion)
        questionnaires.get(":id", "distribution.json", use: distribution)
        questionnaires.get(":id", "results.csv", use: resultsCSV)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let supervisorID = try SupervisionController.supervisorID(req)
        let entries = try await QuestionnaireStore.list(supervisorID: supervisorID, on: req.db)
        var answered: [UUID: Int] = [:]
        for entry in entries where entry.publishedAt != nil {
            answered[entry.id] = try await QuestionnaireStore.responses(to: entry, supervisorID: supervisorID, on: req.db).count
        }
        return QuestionnairePages.list(entries, answered: answered, context: PageContext(request: req)).response()
    }

    @Sendable func new(req: Request) async throws -> Response {
        _ = try SupervisionController.supervisorID(req)
        return QuestionnairePages.editor(nil, form: QuestionnaireForm.blank, errors: [], catalog: catalog, context: PageContext(request: req)).response()
    }

    @Sendable func create(req: Request) async throws -> Response {
        let supervisorID = try SupervisionController.supervisorID(req)
        let form = QuestionnaireForm(fields: try req.content.decode([String: String].self))
        return try await save(form, replacing: nil, supervisorID: supervisorID, req: req)
    }

    @Sendable func update(req: Request) async throws -> Response {
        let supervisorID = try SupervisionController.supervisorID(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw WebError.notFound }
        let entry = try await QuestionnaireStore.find(id, supervisorID: supervisorID, on: req.db)
        var form = QuestionnaireForm(fields: try req.content.decode([String: String].self))
        form.code = entry.questionnaire.id
        form.version = entry.questionnaire.version
        return try await save(form, replacing: entry, supervisorID: supervisorID, req: req)
    }

    private func save(_ form: QuestionnaireForm, replacing entry: QuestionnaireStore.Entry?, supervisorID: UUID, req: Request) async throws -> Response {
        let context = PageContext(request: req)
        var errors = form.problems.map { context.t($0) }
        if errors.isEmpty, let questionnaire = form.questionnaire, let year = form.fiscalYear, let deadline = form.deadlineDate {
            do {
                let id = try await QuestionnaireStore.saveDraft(
                    questionnaire, fiscalYear: year, deadline: deadline, replacing: entry?.id, supervisorID: supervisorID, catalog: catalog, by: req.auditActor, on: req.db
                )
                return req.redirect(to: "/supervision/questionnaires/\(id)", redirectType: .normal)
            } catch let refusal as QuestionnaireInputError {
                errors = refusal.lines.map { context.t($0) }
            }
        }
        return QuestionnairePages.editor(entry, form: form, errors: errors, catalog: catalog, context: context).response(status: .unprocessableEntity)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let supervisorID = try SupervisionController.supervisorID(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw WebError.notFound }
        let entry = try await QuestionnaireStore.find(id, supervisorID: supervisorID, on: req.db)
        let context = PageContext(request: req)
        let institutions = try await SupervisionStore.institutions(supervisorID: supervisorID, on: req.db)
        guard entry.publishedAt != nil else {
            return QuestionnairePages.editor(entry, form: QuestionnaireForm(entry), errors: [], catalog: catalog, context: context, institutions: institutions).response()
        }
        let grouping = try Self.grouping(req)
        let responses = try await QuestionnaireStore.responses(to: entry, supervisorID: supervisorID, on: req.db)
        let recipients = institutions.filter { entry.recipients.contains($0.profile.id) }
        let distributions = QuestionnaireAnalysis.distribution(
            of: entry.questionnaire, responses: responses.mapValues(\.response), institutions: recipients.map(\.profile), grouping: grouping
        )
        // Remarks are each institution's own words: the supervisor reads them with the name, as it reads the signed file.
        let names = Dictionary(uniqueKeysWithValues: recipients.map { ($0.profile.id, $0.profile.name) })
        var remarks: [String: [(institution: String, text: String)]] = [:]
        for (institution, answer) in responses.sorted(by: { (names[$0.key] ?? "") < (names[$1.key] ?? "") }) {
            for (questionID, response) in answer.response.answers {
                if let text = response.freeText, !text.isEmpty { remarks[questionID, default: []].append((names[institution] ?? institution.uuidString, text)) }
            }
        }
        return QuestionnairePages.results(
            entry, recipients: recipients, responses: responses.mapValues(\.submittedAt), distributions: distributions, remarks: remarks, grouping: grouping,
            catalog: catalog, context: context
        ).response()
    }

    struct PublishForm: Content {
        var recipients: [String]?
    }

    static func grouping(_ req: Request) throws -> PeerGrouping {
        guard let grouping = PeerGrouping(rawValue: req.query[String.self, at: "grouping"] ?? PeerGrouping.all.rawValue) else {
            throw WebError.invalidParameter("grouping", ja: "all, institution_type, size_band, region のいずれかです。", en: "one of all, institution_type, size_band, region.")
        }
        return grouping
    }

    @Sendable func publish(req: Request) async throws -> Response {
        let supervisorID = try SupervisionController.supervisorID(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw WebError.notFound }
        let chosen = Set((try req.content.decode(PublishForm.self).recipients ?? []).compactMap(UUID.init(uuidString:)))
        do {
            try await QuestionnaireStore.publish(id, to: chosen, supervisorID: supervisorID, by: req.auditActor, on: req.db)
        } catch let refusal as QuestionnaireInputError {
            let context = PageContext(request: req)
            let entry = try await QuestionnaireStore.find(id, supervisorID: supervisorID, on: req.db)
            let institutions = try await SupervisionStore.institutions(supervisorID: supervisorID, on: req.db)
            return QuestionnairePages.editor(entry, form: QuestionnaireForm(entry), errors: refusal.lines.map { context.t($0) }, catalog: catalog, context: context, institutions: institutions)
                .response(status: .unprocessableEntity)
        }
        return req.redirect(to: "/supervision/questionnaires/\(id)", redirectType: .normal)
    }

    @Sendable func newVersion(req: Request) async throws -> Response {
        let supervisorID = try SupervisionController.supervisorID(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw WebError.notFound }
        do {
            let copy = try await QuestionnaireStore.newVersion(of: id, supervisorID: supervisorID, catalog: catalog, by: req.auditActor, on: req.db)
            return req.redirect(to: "/supervision/questionnaires/\(copy)", redirectType: .normal)
        } catch let refusal as QuestionnaireInputError {
            throw WebError(
                status: .unprocessableEntity, title: LocalizedText(ja: "新しい版を作成できません", en: "No new version"),
                detail: LocalizedText(ja: refusal.lines.map(\.ja).joined(separator: " "), en: refusal.lines.map(\.en).joined(separator: " "))
            )
        }
    }

    @Sendable func distribution(req: Request) async throws -> Response {
        let supervisorID = try SupervisionController.supervisorID(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw WebError.notFound }
        let entry = try await QuestionnaireStore.find(id, supervisorID: supervisorID, on: req.db)
        guard entry.publishedAt != nil else { throw QuestionnairePages.notPublished }
        let file = QuestionnaireDistribution(
            supervisorName: req.currentUser?.institutionName ?? "", fiscalYear: entry.fiscalYear, deadline: entry.deadline, questionnaire: entry.questionnaire
        )
        let response = Response(status: .ok, body: .init(data: try file.encoded()))
        response.headers.contentType = .json
        response.headers.contentDisposition = .init(.attachment, filename: "kamae-questionnaire-\(entry.questionnaire.id)-v\(entry.questionnaire.version).json")
        return response
    }

    @Sendable func resultsCSV(req: Request) async throws -> Response {
        let supervisorID = try SupervisionController.supervisorID(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw WebError.notFound }
        let entry = try await QuestionnaireStore.find(id, supervisorID: supervisorID, on: req.db)
        guard entry.publishedAt != nil else { throw QuestionnairePages.notPublished }
        let grouping = try Self.grouping(req)
        let responses = try await QuestionnaireStore.responses(to: entry, supervisorID: supervisorID, on: req.db)
        let institutions = try await SupervisionStore.institutions(supervisorID: supervisorID, on: req.db).filter { entry.recipients.contains($0.profile.id) }
        let distributions = QuestionnaireAnalysis.distribution(of: entry.questionnaire, responses: responses.mapValues(\.response), institutions: institutions.map(\.profile), grouping: grouping)
        let context = PageContext(language: .ja, currentURL: "/")
        var rows: [[String]] = []
        for distribution in distributions {
            guard let question = entry.questionnaire.question(id: distribution.questionID) else { continue }
            for (g, group) in distribution.groups.enumerated() {
                let name = FeedbackReports.peerGroupName(group, catalog: catalog, context: context)
                switch distribution.breakdowns[g] {
                case let .published(breakdown):
                    for share in breakdown.options {
                        rows.append([question.id, name, share.optionID, question.options.first { $0.id == share.optionID }?.label.ja ?? "", String(breakdown.respondents), String(share.count), String(format: "%.1f", share.percent)])
                    }
                case .suppressed:
                    rows.append([question.id, name, "", "", "<5", "", ""])
                }
            }
        }
        try await AuditTrail.event("questionnaire.results_exported", by: req.auditActor, target: ("questionnaire", id.uuidString), on: req.db)
        let response = Response(status: .ok, body: .init(data: CSV.document(header: ["question", "group", "option", "label", "respondents", "count", "percent"], rows: rows)))
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        response.headers.contentDisposition = .init(.attachment, filename: "kamae-questionnaire-\(entry.questionnaire.id)-v\(entry.questionnaire.version)-\(grouping.rawValue).csv")
        return response
    }
}

/// The authoring form: a title, a year and deadline, and question blocks; blank blocks are left out.
struct QuestionnaireForm: Sendable {
    struct QuestionBlock: Sendable {
        var ja = ""
        var en = ""
        var kind = QuestionKind.singleChoice
        /// One option per line, "日本語 / English".
        var options = ""
        var allowsFreeText = false
        var items = ""
        var required = true

        var isBlank: Bool { ja.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && options.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }

    static let maximumQuestions = 30
    var code = ""
    var version = 1
    var titleJa = ""
    var titleEn = ""
    var fiscalYear: Int?
    var deadline = ""
    var blocks: [QuestionBlock] = []

    static var blank: QuestionnaireForm { QuestionnaireForm(fiscalYear: FiscalYear.current(), blocks: Array(repeating: QuestionBlock(), count: 5)) }

    init(code: String = "", version: Int = 1, titleJa: String = "", titleEn: String = "", fiscalYear: Int? = nil, deadline: String = "", blocks: [QuestionBlock] = []) {
        self.code = code
        self.version = version
        self.titleJa = titleJa
        self.titleEn = titleEn
        self.fiscalYear = fiscalYear
        self.deadline = deadline
        self.blocks = blocks
    }

    init(fields: [String: String]) {
        code = fields["code", default: ""].trimmingCharacters(in: .whitespaces)
        titleJa = fields["title_ja", default: ""].trimmingCharacters(in: .whitespacesAndNewlines)
        titleEn = fields["title_en", default: ""].trimmingCharacters(in: .whitespacesAndNewlines)
        fiscalYear = fields["fiscal_year"].flatMap { Int($0) }
        deadline = fields["deadline", default: ""]
        blocks = (1...Self.maximumQuestions).map { n in
            QuestionBlock(
                ja: fields["q\(n)_ja", default: ""], en: fields["q\(n)_en", default: ""],
                kind: QuestionKind(rawValue: fields["q\(n)_kind", default: "single"]) ?? .singleChoice, options: fields["q\(n)_options", default: ""],
                allowsFreeText: fields["q\(n)_free"] != nil, items: fields["q\(n)_items", default: ""], required: fields["q\(n)_required"] != nil
            )
        }
        while blocks.count > 5, blocks.last?.isBlank == true { blocks.removeLast() }
    }

    init(_ entry: QuestionnaireStore.Entry) {
        code = entry.questionnaire.id
        version = entry.questionnaire.version
        titleJa = entry.questionnaire.title.ja
        titleEn = entry.questionnaire.title.en
        fiscalYear = entry.fiscalYear
        deadline = ISODate.today(now: entry.deadline.addingTimeInterval(9 * 3600)).description
        blocks = entry.questionnaire.questions.map { question in
            QuestionBlock(
                ja: question.text.ja, en: question.text.en, kind: question.kind,
                options: question.options.map { $0.label.ja == $0.label.en ? $0.label.ja : "\($0.label.ja) / \($0.label.en)" }.joined(separator: "\n"),
                allowsFreeText: question.allowsFreeText, items: question.linkedItemIDs.joined(separator: ", "), required: question.required
            )
        } + [QuestionBlock(), QuestionBlock()]
    }

    var deadlineDate: Date? { SupervisionDeadline.endOfDay(deadline) }

    /// What the form lacks before it can be a questionnaire at all (the questionnaire's own rules come after).
    var problems: [LocalizedText] {
        var problems: [LocalizedText] = []
        if !(2000...2100).contains(fiscalYear ?? 0) { problems.append(LocalizedText(ja: "年度を入力してください。", en: "Enter the fiscal year.")) }
        if deadlineDate == nil { problems.append(LocalizedText(ja: "回答期限を YYYY-MM-DD で入力してください。", en: "Enter the deadline as YYYY-MM-DD.")) }
        return problems
    }

    var questionnaire: Questionnaire? {
        guard problems.isEmpty else { return nil }
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let questions = blocks.filter { !$0.isBlank }.enumerated().map { index, block in
            let lines = block.options.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            // Option ids are letters; beyond 26 options the id is numbered and the rules refuse the question by name.
            let options = lines.enumerated().map { position, line -> QuestionOption in
                let parts = line.components(separatedBy: " / ")
                let ja = parts[0].trimmingCharacters(in: .whitespaces)
                let en = parts.count > 1 ? parts[1...].joined(separator: " / ").trimmingCharacters(in: .whitespaces) : ja
                return QuestionOption(id: position < letters.count ? String(letters[position]) : "o\(position + 1)", label: LocalizedText(ja: ja, en: en))
            }
            let items = block.items.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "、" }).map(String.init)
            return Question(
                id: "q\(index + 1)", text: Self.bilingual(block.ja, block.en),
                kind: block.kind, options: options, allowsFreeText: block.allowsFreeText, linkedItemIDs: items, required: block.required
            )
        }
        return Questionnaire(id: code, version: version, title: Self.bilingual(titleJa, titleEn), questions: questions)
    }

    /// Supervisors often write in Japanese only; the English text then repeats the Japanese rather than being empty.
    static func bilingual(_ ja: String, _ en: String) -> LocalizedText {
        let ja = ja.trimmingCharacters(in: .whitespacesAndNewlines)
        let en = en.trimmingCharacters(in: .whitespacesAndNewlines)
        return LocalizedText(ja: ja, en: en.isEmpty ? ja : en)
    }
}
