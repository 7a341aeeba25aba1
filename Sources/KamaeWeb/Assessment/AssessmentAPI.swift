import Fluent
import KamaeCore
import Vapor

/// `/api/v1/assessments…`: everything the assessment pages do, for scripts and other systems (bearer tokens).
struct AssessmentAPIController: RouteCollection {
    let catalog: Catalog

    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1", "assessments")
        api.get(use: list)
        api.post(use: create)
        api.get(":year", use: show)
        api.get(":year", "answers", use: answers)
        api.put(":year", "answers", ":item_id", use: saveAnswer)
        api.post(":year", "workflow", use: workflow)
        api.get(":year", "gaps", use: gaps)
        api.get(":year", "export", ":format", use: export)
    }

    @Sendable func list(req: Request) async throws -> [AssessmentSummaryDTO] {
        let user = try req.requireUser()
        try user.require(.readAssessment)
        let records = try await AssessmentStore.records(institutionID: user.institutionID, on: req.db)
        var result: [AssessmentSummaryDTO] = []
        for record in records {
            result.append(AssessmentSummaryDTO(try await AssessmentStore.load(record, on: req.db), catalog: catalog))
        }
        return result
    }

    struct CreateInput: Content {
        var fiscalYear: Int
        enum CodingKeys: String, CodingKey { case fiscalYear = "fiscal_year" }
    }

    @Sendable func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.createAssessment)
        let input = try APIInput.decode(CreateInput.self, from: req)
        _ = try await AssessmentStore.create(institutionID: user.institutionID, year: input.fiscalYear, catalog: catalog, by: req.auditActor, on: req.db)
        let created = try await AssessmentStore.load(institutionID: user.institutionID, year: input.fiscalYear, on: req.db)
        let response = Response(status: .created)
        try response.content.encode(AssessmentSummaryDTO(created, catalog: catalog), as: .json)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/assessments/\(input.fiscalYear)")
        return response
    }

    @Sendable func show(req: Request) async throws -> AssessmentSummaryDTO {
        let user = try req.requireUser()
        try user.require(.readAssessment)
        return AssessmentSummaryDTO(try await req.assessmentOfUserInstitution(user), catalog: catalog)
    }

    @Sendable func answers(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.readAssessment)
        let assessment = try await req.assessmentOfUserInstitution(user)
        let page = try PageRequest.from(req, defaultPerPage: 200)
        var query = CatalogQuery()
        if let section = req.query[String.self, at: "section"], !section.isEmpty {
            guard catalog.section(section) != nil else {
                throw WebError.invalidParameter("section", ja: "ガイドラインにない節番号です。", en: "no such section in the guideline.")
            }
            query.section = section
        }
        let status = req.query[String.self, at: "status"] ?? ""
        guard status.isEmpty || status == "unanswered" || AnswerStatus(rawValue: status) != nil else {
            throw WebError.invalidParameter("status", ja: "implemented, partial, not_implemented, not_applicable, unanswered のいずれかです。", en: "must be implemented, partial, not_implemented, not_applicable or unanswered.")
        }
        // The list depends on the answers (named by their stamp) and the query only.
        let key = "answers|\(assessment.id)|\(assessment.answersStamp)|\(query.section ?? "")|\(status)|\(page.page)|\(page.perPage)"
        return try await RenderedResponses.shared.json(req, key: key) {
            var items = catalog.items(matching: query)
            if status == "unanswered" {
                items = items.filter { assessment.answers[$0.id]?.status == nil }
            } else if let status = AnswerStatus(rawValue: status) {
                items = items.filter { assessment.answers[$0.id]?.status == status }
            }
            let slice = page.slice(items)
            return Paged(data: slice.data.map { AnswerDTO(item: $0, assessment: assessment) }, meta: slice.meta)
        }
    }

    struct AnswerInput: Content {
        var status: AnswerStatus?
        var maturity: Int?
        var notApplicableReason: String?
        var evidenceText: String?
        var owner: String?
        var targetDate: String?
        /// The revision the caller last saw (0 for an item never answered): a save over a newer one is a 409.
        var revision: Int

        enum CodingKeys: String, CodingKey {
            case status, maturity, owner, revision
            case notApplicableReason = "not_applicable_reason", evidenceText = "evidence_text", targetDate = "target_date"
        }
    }

    @Sendable func saveAnswer(req: Request) async throws -> AnswerDTO {
        let user = try req.requireUser()
        try user.require(.editAnswers)
        let assessment = try await req.assessmentOfUserInstitution(user)
        guard let itemID = req.parameters.get("item_id"), let item = catalog.item(id: itemID) else { throw WebError.notFound }
        let input = try APIInput.decode(AnswerInput.self, from: req)
        var maturity: MaturityLevel?
        if let raw = input.maturity {
            guard let level = MaturityLevel(rawValue: raw) else {
                throw WebError.invalidParameter("maturity", ja: "成熟度は 0〜5 です。", en: "maturity must be 0 to 5.")
            }
            maturity = level
        }
        let answer = Answer(
            itemID: item.id, status: input.status, maturity: maturity, notApplicableReason: input.notApplicableReason,
            evidenceText: input.evidenceText, owner: input.owner, targetDate: input.targetDate
        )
        let revision: Int
        do {
            revision = try await AssessmentStore.save(answer, expectedRevision: input.revision, in: assessment, by: req.auditActor, catalog: catalog, on: req.db)
        } catch let conflict as AnswerConflict {
            throw WebError(
                status: .conflict, title: LocalizedText(ja: "更新の競合", en: "Edit conflict"),
                detail: LocalizedText(
                    ja: "項目 \(conflict.itemID) は別の人が更新しました（現在のリビジョン \(conflict.currentRevision)）。最新の回答を取得してから保存してください。",
                    en: "Item \(conflict.itemID) was changed by someone else (now revision \(conflict.currentRevision)). Fetch the latest answer and save again."
                ),
                parameter: "revision"
            )
        }
        var saved = assessment
        saved.answers[item.id] = answer
        saved.revisions[item.id] = revision
        return AnswerDTO(item: item, assessment: saved)
    }

    struct WorkflowInput: Content {
        var action: WorkflowAction
        var reason: String?
    }

    @Sendable func workflow(req: Request) async throws -> AssessmentSummaryDTO {
        let user = try req.requireUser()
        let input = try APIInput.decode(WorkflowInput.self, from: req)
        try user.require(input.action)
        let assessment = try await req.assessmentOfUserInstitution(user)
        _ = try await AssessmentStore.transition(assessment, action: input.action, actor: user, audit: req.auditActor, reason: input.reason, on: req.db)
        return AssessmentSummaryDTO(try await AssessmentStore.load(institutionID: user.institutionID, year: assessment.year, on: req.db), catalog: catalog)
    }

    @Sendable func gaps(req: Request) async throws -> [GapDTO] {
        let user = try req.requireUser()
        try user.require(.readAssessment)
        let assessment = try await req.assessmentOfUserInstitution(user)
        return GapAnalysis.gaps(catalog: catalog, answers: assessment.answers).map(GapDTO.init)
    }

    @Sendable func export(req: Request) async throws -> Response {
        try await AssessmentExchange.exportResponse(req, catalog: catalog)
    }

}

/// Decodes a JSON body, naming the field at fault when it cannot.
enum APIInput {
    static func decode<T: Decodable>(_ type: T.Type, from req: Request) throws -> T {
        guard req.headers.contentType == .json || req.headers.contentType?.subType == "json" else {
            throw WebError(status: .unsupportedMediaType, title: LocalizedText(ja: "形式が違います", en: "Unsupported media type"),
                           detail: LocalizedText(ja: "本文は application/json で送ってください。", en: "Send the body as application/json."))
        }
        do {
            return try JSONDecoder().decode(T.self, from: integralNumbersAsIntegers(Data(buffer: req.body.data ?? ByteBuffer())))
        } catch let DecodingError.keyNotFound(key, _) {
            throw WebError.invalidParameter(key.stringValue, ja: "必須です。", en: "is required.")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw WebError.invalidParameter(context.codingPath.map(\.stringValue).joined(separator: "."), ja: "値の型が正しくありません。", en: "has the wrong type.")
        } catch let DecodingError.dataCorrupted(context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw WebError.invalidParameter(field.isEmpty ? "body" : field, ja: "値が正しくありません。", en: "is not valid (\(context.debugDescription.prefix(80))).")
        } catch let error as any AbortError {
            throw WebError.invalidParameter("body", ja: "JSON として読み取れません。", en: "is not readable JSON (\(error.reason.prefix(80))).")
        }
    }

    /// JSON has one number type: `2026.0` is the integer 2026 to a JSON Schema validator, so it is to us too.
    static func integralNumbersAsIntegers(_ data: Data) -> Data {
        guard let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return data }
        func normalised(_ value: Any) -> Any {
            switch value {
            case let number as NSNumber:
                let double = number.doubleValue
                if double.rounded() == double, abs(double) < 9.0e15, String(describing: number).contains(where: { $0 == "." || $0 == "e" }) { return Int64(double) }
                return number
            case let array as [Any]: return array.map(normalised)
            case let object as [String: Any]: return object.mapValues(normalised)
            default: return value
            }
        }
        return (try? JSONSerialization.data(withJSONObject: normalised(value), options: [.fragmentsAllowed])) ?? data
    }
}

struct AssessmentSummaryDTO: Content {
    var fiscalYear: Int
    var state: String
    var catalogVersion: String
    var updatedAt: Date
    var basicPercent: Double?
    var desirablePercent: Double?
    var overallPercent: Double?
    var averageMaturity: Double?
    var answered: Int
    var unanswered: Int
    var notApplicable: Int

    init(_ assessment: LoadedAssessment, catalog: Catalog) {
        let score = Scoring.score(catalog: catalog, answers: assessment.answers)
        fiscalYear = assessment.year
        state = assessment.state.rawValue
        catalogVersion = assessment.catalogVersion
        updatedAt = assessment.updatedAt
        basicPercent = score.basicCoverage.percent
        desirablePercent = score.byKind[.desirable]?.percent
        overallPercent = score.overall.percent
        averageMaturity = score.averageMaturity.map { ($0 * 100).rounded() / 100 }
        answered = score.overall.answered
        unanswered = score.overall.unanswered
        notApplicable = score.overall.notApplicable
    }

    enum CodingKeys: String, CodingKey {
        case state, answered, unanswered
        case fiscalYear = "fiscal_year", catalogVersion = "catalog_version", updatedAt = "updated_at"
        case basicPercent = "basic_percent", desirablePercent = "desirable_percent", overallPercent = "overall_percent"
        case averageMaturity = "average_maturity", notApplicable = "not_applicable"
    }
}

struct AnswerDTO: Content {
    var itemID: String
    var section: String
    var kind: String
    var status: String?
    var maturity: Int?
    var notApplicableReason: String?
    var evidenceText: String?
    var owner: String?
    var targetDate: String?
    var revision: Int

    init(item: CatalogItem, assessment: LoadedAssessment) {
        let answer = assessment.answers[item.id]
        itemID = item.id
        section = item.section
        kind = item.kind.rawValue
        status = answer?.status?.rawValue
        maturity = answer?.maturity?.rawValue
        notApplicableReason = answer?.notApplicableReason
        evidenceText = answer?.evidenceText
        owner = answer?.owner
        targetDate = answer?.targetDate
        revision = assessment.revisions[item.id] ?? 0
    }

    enum CodingKeys: String, CodingKey {
        case section, kind, status, maturity, owner, revision
        case itemID = "item_id", notApplicableReason = "not_applicable_reason", evidenceText = "evidence_text", targetDate = "target_date"
    }
}

struct GapDTO: Content {
    var itemID: String
    var kind: String
    var status: String?
    var titleJa: String
    var titleEn: String

    init(_ gap: Gap) {
        itemID = gap.item.id
        kind = gap.item.kind.rawValue
        status = gap.status?.rawValue
        titleJa = gap.item.titleJa
        titleEn = gap.item.titleEn
    }

    enum CodingKeys: String, CodingKey {
        case kind, status
        case itemID = "item_id", titleJa = "title_ja", titleEn = "title_en"
    }
}
