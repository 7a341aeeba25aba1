import Fluent
import KamaeCore
import Vapor

/// The self-assessment pages: list of years, one year's overview and dashboard, one item's answer, workflow.
/// Every route works inside the signed-in user's own institution; there is no institution id in any URL.
struct AssessmentController: RouteCollection {
    let catalog: Catalog

    func boot(routes: any RoutesBuilder) throws {
        let assessments = routes.grouped("assessments")
        assessments.get(use: list)
        assessments.post(use: create)
        assessments.get(":year", use: overview)
        assessments.get(":year", "items", ":item", use: itemPage)
        assessments.post(":year", "items", ":item", use: saveAnswer)
        assessments.post(":year", "items", ":item", "comments", use: addComment)
        assessments.post(":year", "workflow", use: workflow)
        assessments.get(":year", "gaps", use: gaps)
        assessments.get(":year", "print", use: printView)
        assessments.get(":year", "export", ":format", use: export)
        assessments.on(.POST, ":year", "import", body: .collect(maxSize: "10mb"), use: importFile)
    }

    // MARK: Exchange

    @Sendable func export(req: Request) async throws -> Response {
        try await AssessmentExchange.exportResponse(req, catalog: catalog)
    }

    struct ImportUpload: Content {
        var file: File?
    }

    @Sendable func importFile(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.importAnswers)
        let assessment = try await req.assessmentOfUserInstitution(user)
        let context = PageContext(request: req)
        guard let file = try req.content.decode(ImportUpload.self).file, file.data.readableBytes > 0 else {
            throw WebError.invalidParameter("file", ja: "取り込むファイルを選んでください。", en: "choose a file to import.")
        }
        let name = file.filename
        do {
            let decoded = try AssessmentExchange.decodeWithLocations(Data(buffer: file.data), file: name)
            let answers = try AssessmentExchange.validate(decoded.document, file: name, into: assessment, catalog: catalog, locate: decoded.locate)
            let changed = try await AssessmentExchange.apply(answers, to: assessment, by: req.auditActor, on: req.db)
            return AssessmentPages.importResult(year: assessment.year, file: name, changed: changed, problems: [], context: context).response()
        } catch let refused as AssessmentExchange.ImportRefused {
            return AssessmentPages.importResult(year: assessment.year, file: name, changed: 0, problems: refused.problems, context: context).response(status: .unprocessableEntity)
        } catch let problem as AssessmentExchange.ImportError {
            return AssessmentPages.importResult(year: assessment.year, file: name, changed: 0, problems: [problem], context: context).response(status: .unprocessableEntity)
        }
    }

    // MARK: Years

    @Sendable func list(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.readAssessment)
        let summaries = try await AssessmentStore.list(institutionID: user.institutionID, catalog: catalog, on: req.db)
        return AssessmentPages.list(summaries, context: PageContext(request: req), suggestedYear: FiscalYear.current(), error: nil).response()
    }

    struct CreateForm: Content {
        var year: String?
    }

    @Sendable func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.createAssessment)
        let form = try req.content.decode(CreateForm.self)
        guard let year = form.year.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else {
            throw WebError.invalidParameter("year", ja: "年度を数字で入力してください。", en: "enter the fiscal year as a number.")
        }
        _ = try await AssessmentStore.create(institutionID: user.institutionID, year: year, catalog: catalog, by: req.auditActor, on: req.db)
        return req.redirect(to: "/assessments/\(year)", redirectType: .normal)
    }

    // MARK: One year

    @Sendable func overview(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.readAssessment)
        guard let year = req.parameters.get("year", as: Int.self) else { throw WebError.notFound }
        let filter = try AssessmentFilter.from(req)
        // One small query tells whether anything this page shows has changed: answers (stamp), state and workflow
        // events (updated_at moves with every transition), other years (trend, year-over-year).
        let records = try await AssessmentStore.records(institutionID: user.institutionID, on: req.db)
        guard let record = records.first(where: { $0.fiscalYear == year }) else { throw WebError.notFound }
        let versions = records.map { "\($0.id):\($0.answersStamp):\($0.state.rawValue):\($0.updatedAt.timeIntervalSince1970)" }
        // The session fixes the person, role and form token; the day matters for overdue marks.
        let key = "overview|\(user.sessionID?.uuidString ?? user.id.uuidString)|\(req.language.rawValue)|\(req.url.string)|\(ISODate.today())|\(versions.joined(separator: ","))"
        return try await RenderedResponses.shared.respond(to: req, key: key, contentType: .html) {
            let assessment = try await AssessmentStore.load(record, on: req.db)
            let previous = try await records.first { $0.fiscalYear < year }.asyncMap { try await AssessmentStore.load($0, on: req.db).answers }
            let history = try await AssessmentStore.summaries(of: records, catalog: catalog, on: req.db)
            let events = try await AssessmentEventRecord.query(on: req.db).filter(\.$assessmentID == assessment.id).sort(\.$occurredAt, .descending).all()
            let model = AssessmentPages.OverviewModel(
                catalog: catalog, assessment: assessment, previous: previous, history: history.reversed(), filter: filter,
                events: try await EventView.build(events, on: req.db)
            )
            return ByteBuffer(string: AssessmentPages.overview(model, context: PageContext(request: req)).render())
        }
    }

    @Sendable func itemPage(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.readAssessment)
        let assessment = try await req.assessmentOfUserInstitution(user)
        let item = try findItem(req)
        let model = try await itemModel(assessment: assessment, item: item, on: req.db)
        let saved = req.query[String.self, at: "saved"] == "1"
        return AssessmentPages.item(model, context: PageContext(request: req), notice: saved ? .saved : nil).response()
    }

    struct AnswerForm: Content {
        var status: String?
        var maturity: String?
        var notApplicableReason: String?
        var evidenceText: String?
        var owner: String?
        var targetDate: String?
        var revision: Int?

        enum CodingKeys: String, CodingKey {
            case status, maturity, owner, revision
            case notApplicableReason = "not_applicable_reason"
            case evidenceText = "evidence_text"
            case targetDate = "target_date"
        }

        func answer(itemID: String) throws -> Answer {
            let status = try status?.nilIfEmpty.map { raw in
                guard let status = AnswerStatus(rawValue: raw) else {
                    throw WebError.invalidParameter("status", ja: "実施状況の値が正しくありません。", en: "unknown status \(raw.prefix(30)).")
                }
                return status
            }
            let maturity = try maturity?.nilIfEmpty.map { raw in
                guard let level = Int(raw).flatMap(MaturityLevel.init(rawValue:)) else {
                    throw WebError.invalidParameter("maturity", ja: "成熟度は 0〜5 で選んでください。", en: "maturity must be 0 to 5.")
                }
                return level
            }
            return Answer(
                itemID: itemID, status: status, maturity: maturity, notApplicableReason: notApplicableReason,
                evidenceText: evidenceText, owner: owner, targetDate: targetDate
            )
        }
    }

    @Sendable func saveAnswer(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.editAnswers)
        let assessment = try await req.assessmentOfUserInstitution(user)
        let item = try findItem(req)
        let form = try req.content.decode(AnswerForm.self)
        let context = PageContext(request: req)
        let answer: Answer
        do {
            answer = try form.answer(itemID: item.id)
            _ = try await AssessmentStore.save(
                answer, expectedRevision: form.revision ?? 0, in: assessment, by: req.auditActor, catalog: catalog, on: req.db
            )
        } catch let conflict as AnswerConflict {
            var model = try await itemModel(assessment: assessment, item: item, on: req.db)
            model.draft = (try? form.answer(itemID: item.id))
            return AssessmentPages.item(model, context: context, notice: .conflict(conflict)).response(status: .conflict)
        } catch let error as WebError where error.status == .unprocessableEntity || error.status == .badRequest {
            // Show the form again with what the user typed and the reason, so nothing is lost.
            var model = try await itemModel(assessment: assessment, item: item, on: req.db)
            model.draft = (try? form.answer(itemID: item.id)) ?? Answer(itemID: item.id, notApplicableReason: form.notApplicableReason, evidenceText: form.evidenceText, owner: form.owner, targetDate: form.targetDate)
            model.draftRevision = form.revision
            return AssessmentPages.item(model, context: context, notice: .invalid(error)).response(status: error.status)
        }
        return req.redirect(to: "/assessments/\(assessment.year)/items/\(item.id)?saved=1", redirectType: .normal)
    }

    struct CommentForm: Content {
        var body: String?
    }

    @Sendable func addComment(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.comment)
        let assessment = try await req.assessmentOfUserInstitution(user)
        let item = try findItem(req)
        _ = try await CommentStore.add(
            try req.content.decode(CommentForm.self).body, itemID: item.id, assessment: assessment, author: user.id, actor: req.auditActor, on: req.db
        )
        return req.redirect(to: "/assessments/\(assessment.year)/items/\(item.id)#comments", redirectType: .normal)
    }

    struct WorkflowForm: Content {
        var action: String?
        var reason: String?
    }

    @Sendable func workflow(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(WorkflowForm.self)
        guard let action = form.action.flatMap(WorkflowAction.init(rawValue:)) else {
            throw WebError.invalidParameter("action", ja: "操作が正しくありません。", en: "unknown workflow action.")
        }
        try user.require(action)
        let assessment = try await req.assessmentOfUserInstitution(user)
        _ = try await AssessmentStore.transition(assessment, action: action, actor: user, audit: req.auditActor, reason: form.reason, on: req.db)
        return req.redirect(to: "/assessments/\(assessment.year)", redirectType: .normal)
    }

    @Sendable func gaps(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.readAssessment)
        let assessment = try await req.assessmentOfUserInstitution(user)
        let gaps = GapAnalysis.gaps(catalog: catalog, answers: assessment.answers)
        let actions = try await RemediationStore.list(institutionID: user.institutionID, on: req.db)
        return AssessmentPages.gaps(gaps, assessment: assessment, actions: actions, context: PageContext(request: req)).response()
    }

    @Sendable func printView(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.readAssessment)
        let assessment = try await req.assessmentOfUserInstitution(user)
        return AssessmentPages.print(catalog: catalog, assessment: assessment, institutionName: user.institutionName, context: PageContext(request: req)).response()
    }

    // MARK: Helpers

    private func findItem(_ req: Request) throws -> CatalogItem {
        guard let id = req.parameters.get("item"), let item = catalog.item(id: id) else { throw WebError.notFound }
        return item
    }

    private func previousAnswers(for assessment: LoadedAssessment, on database: any Database) async throws -> [String: Answer]? {
        guard let previous = try await AssessmentStore.previous(institutionID: assessment.institutionID, before: assessment.year, on: database) else { return nil }
        return try await AssessmentStore.load(previous, on: database).answers
    }

    private func itemModel(assessment: LoadedAssessment, item: CatalogItem, on database: any Database) async throws -> AssessmentPages.ItemModel {
        let comments = try await CommentRecord.query(on: database)
            .filter(\.$assessmentID == assessment.id).filter(\.$itemID == item.id).sort(\.$createdAt).all()
        let changes = try await AnswerChangeRecord.query(on: database)
            .filter(\.$assessmentID == assessment.id).filter(\.$itemID == item.id).sort(\.$changedAt, .descending).all()
        let names = try await UserNames.lookup(Set(comments.map(\.authorID) + changes.compactMap(\.changedBy)), on: database)
        let previous = try await previousAnswers(for: assessment, on: database)
        return AssessmentPages.ItemModel(
            catalog: catalog, assessment: assessment, item: item,
            evidence: try await EvidenceView.list(assessmentID: assessment.id, itemID: item.id, on: database),
            comments: comments.map { .init(author: names[$0.authorID] ?? "?", body: $0.body, at: $0.createdAt) },
            changes: changes.map { .init(field: $0.field, old: $0.oldValue, new: $0.newValue, by: $0.changedBy.flatMap { names[$0] } ?? ChangeSource.label($0.via), at: $0.changedAt) },
            previousAnswer: previous?[item.id], hadPreviousYear: previous != nil,
            registerFacts: try await RegisterFacts.facts(for: item.id, institutionID: assessment.institutionID, on: database),
            registerLinks: try await EvidenceLinks.list(itemID: item.id, assessment: assessment, on: database)
        )
    }
}

/// Which items the overview shows.
enum AssessmentFilter: String, CaseIterable, Sendable {
    case all
    case unanswered
    case mine
    case notImplemented = "not_implemented"
    case changed

    var name: LocalizedText {
        switch self {
        case .all: LocalizedText(ja: "すべて", en: "All")
        case .unanswered: LocalizedText(ja: "未回答", en: "Unanswered")
        case .mine: LocalizedText(ja: "自分の担当", en: "Mine")
        case .notImplemented: LocalizedText(ja: "未実施", en: "Not implemented")
        case .changed: LocalizedText(ja: "前年から変更", en: "Changed since last year")
        }
    }

    static func from(_ req: Request) throws -> AssessmentFilter {
        guard let raw = req.query[String.self, at: "filter"], !raw.isEmpty else { return .all }
        guard let filter = AssessmentFilter(rawValue: raw) else {
            throw WebError.invalidParameter("filter", ja: "絞り込み条件が正しくありません。", en: "unknown filter \(raw.prefix(30)).")
        }
        return filter
    }

    func includes(_ item: CatalogItem, answer: Answer?, previous: Answer?, user: CurrentUser?) -> Bool {
        switch self {
        case .all: true
        case .unanswered: answer?.status == nil
        case .mine: user.map { answer?.owner == $0.displayName || answer?.owner == $0.login } ?? false
        case .notImplemented: answer?.status == .notImplemented
        case .changed: answer?.status != previous?.status || answer?.maturity != previous?.maturity
        }
    }
}

/// Japan's fiscal year (年度) starts in April.
enum FiscalYear {
    static func current(today: ISODate = .today()) -> Int {
        today.month >= 4 ? today.year : today.year - 1
    }
}

enum UserNames {
    static func lookup(_ ids: Set<UUID>, on database: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let users = try await UserRecord.query(on: database).filter(\.$id ~~ Array(ids)).all()
        return Dictionary(users.compactMap { user in user.id.map { ($0, user.displayName) } }, uniquingKeysWith: { first, _ in first })
    }
}

/// A workflow event as the overview lists it.
struct EventView: Sendable {
    var action: WorkflowAction?
    var from: AssessmentState?
    var to: AssessmentState?
    var actor: String
    var reason: String?
    var at: Date

    static func build(_ events: [AssessmentEventRecord], on database: any Database) async throws -> [EventView] {
        let names = try await UserNames.lookup(Set(events.map(\.actorID)), on: database)
        return events.map {
            EventView(
                action: WorkflowAction(rawValue: $0.action), from: AssessmentState(rawValue: $0.fromState), to: AssessmentState(rawValue: $0.toState),
                actor: names[$0.actorID] ?? "?", reason: $0.reason, at: $0.occurredAt
            )
        }
    }
}
