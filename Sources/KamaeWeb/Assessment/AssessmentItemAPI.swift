import Fluent
import Foundation
import KamaeCore
import Vapor

/// The rest of the assessment pages in `/api/v1`: one item with its comments, evidence and history; comments;
/// evidence files; imports; the remediation roadmap. The same stores as the pages, the same authorisation.
struct AssessmentItemAPIController: RouteCollection {
    let catalog: Catalog

    func boot(routes: any RoutesBuilder) throws {
        let assessments = routes.grouped("api", "v1", "assessments")
        assessments.get(":year", "items", ":item_id", use: item)
        assessments.post(":year", "items", ":item_id", "comments", use: addComment)
        assessments.on(.POST, ":year", "items", ":item_id", "evidence", body: .collect(maxSize: "11mb"), use: addEvidence)
        assessments.get(":year", "evidence", ":id", use: downloadEvidence)
        assessments.delete(":year", "evidence", ":id", use: deleteEvidence)
        assessments.on(.POST, ":year", "import", body: .collect(maxSize: "10mb"), use: importAnswers)
        let remediation = routes.grouped("api", "v1", "remediation")
        remediation.get(use: listActions)
        remediation.post(use: createAction)
        remediation.patch(":id", use: updateAction)
    }

    private func catalogItem(_ req: Request) throws -> CatalogItem {
        guard let id = req.parameters.get("item_id"), let item = catalog.item(id: id) else { throw WebError.notFound }
        return item
    }

    // MARK: One item

    @Sendable func item(req: Request) async throws -> ItemDetailDTO {
        let user = try req.requireUser()
        try user.require(.readAssessment)
        let assessment = try await req.assessmentOfUserInstitution(user)
        let item = try catalogItem(req)
        let comments = try await CommentRecord.query(on: req.db).filter(\.$assessmentID == assessment.id).filter(\.$itemID == item.id).sort(\.$createdAt).all()
        let changes = try await AnswerChangeRecord.query(on: req.db)
            .filter(\.$assessmentID == assessment.id).filter(\.$itemID == item.id).sort(\.$changedAt, .descending).all()
        let names = try await UserNames.lookup(Set(comments.map(\.authorID) + changes.compactMap(\.changedBy)), on: req.db)
        let evidence = try await EvidenceView.list(assessmentID: assessment.id, itemID: item.id, on: req.db)
        let today = ISODate.today()
        return ItemDetailDTO(
            answer: AnswerDTO(item: item, assessment: assessment),
            comments: comments.map { CommentDTO(author: names[$0.authorID] ?? "?", body: $0.body, createdAt: $0.createdAt) },
            evidence: evidence.map { EvidenceDTO($0, today: today) },
            history: changes.map {
                ChangeDTO(field: $0.field, oldValue: $0.oldValue, newValue: $0.newValue, changedBy: $0.changedBy.flatMap { names[$0] } ?? ChangeSource.label($0.via), changedAt: $0.changedAt)
            }
        )
    }

    // MARK: Comments and evidence

    struct CommentInput: Content {
        var body: String
    }

    @Sendable func addComment(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.comment)
        let assessment = try await req.assessmentOfUserInstitution(user)
        let item = try catalogItem(req)
        let input = try APIInput.decode(CommentInput.self, from: req)
        let comment = try await CommentStore.add(input.body, itemID: item.id, assessment: assessment, author: user.id, actor: req.auditActor, on: req.db)
        let response = Response(status: .created)
        try response.content.encode(CommentDTO(author: user.displayName, body: comment.body, createdAt: comment.createdAt), as: .json)
        return response
    }

    /// The file is the request body; its name and dates come in the query (no multipart needed from scripts).
    @Sendable func addEvidence(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.editAnswers)
        let assessment = try await req.assessmentOfUserInstitution(user)
        let item = try catalogItem(req)
        guard let body = req.body.data, body.readableBytes > 0 else {
            throw WebError.refusedParameter("body", ja: "ファイルの内容を本文で送ってください。", en: "send the file's bytes as the request body.")
        }
        let record = try await EvidenceStore.add(
            filename: req.query[String.self, at: "filename"], bytes: Array(body.readableBytesView),
            effectiveDate: req.query[String.self, at: "effective_date"], expiryDate: req.query[String.self, at: "expiry_date"],
            itemID: item.id, assessment: assessment, uploader: user.id, actor: req.auditActor, on: req.db
        )
        let view = EvidenceView(
            id: try record.requireID(), filename: record.filename, size: record.size, sha256: record.sha256, effectiveDate: record.effectiveDate,
            expiryDate: record.expiryDate, uploadedBy: user.displayName, uploadedAt: record.uploadedAt
        )
        let response = Response(status: .created)
        try response.content.encode(EvidenceDTO(view, today: ISODate.today()), as: .json)
        return response
    }

    @Sendable func downloadEvidence(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.readAssessment)
        return EvidenceStore.download(try await EvidenceStore.find(req, user))
    }

    @Sendable func deleteEvidence(req: Request) async throws -> HTTPStatus {
        let user = try req.requireUser()
        try user.require(.editAnswers)
        let assessment = try await req.assessmentOfUserInstitution(user)
        try await EvidenceStore.delete(try await EvidenceStore.find(req, user), from: assessment, actor: req.auditActor, on: req.db)
        return .noContent
    }

    // MARK: Import

    /// The body is an exported file (JSON `kamae-assessment/1` or XLSX), checked whole and written all or nothing;
    /// a refusal lists every problem with its location.
    @Sendable func importAnswers(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.importAnswers)
        let assessment = try await req.assessmentOfUserInstitution(user)
        guard let body = req.body.data, body.readableBytes > 0 else {
            throw WebError.invalidParameter("body", ja: "取り込むファイルを本文で送ってください。", en: "send the file as the request body.")
        }
        let name = req.query[String.self, at: "filename"] ?? "request body"
        do {
            let decoded = try AssessmentExchange.decodeWithLocations(Data(buffer: body), file: name)
            let answers = try AssessmentExchange.validate(decoded.document, file: name, into: assessment, catalog: catalog, locate: decoded.locate)
            let changed = try await AssessmentExchange.apply(answers, to: assessment, by: req.auditActor, on: req.db)
            let response = Response(status: .ok)
            try response.content.encode(ImportResultDTO(changed: changed), as: .json)
            return response
        } catch let refused as AssessmentExchange.ImportRefused {
            throw WebError.importRefused(refused.problems.map(\.description))
        } catch let problem as AssessmentExchange.ImportError {
            throw WebError.importRefused([problem.description])
        }
    }

    // MARK: Remediation

    @Sendable func listActions(req: Request) async throws -> [RemediationDTO] {
        let user = try req.requireUser()
        try user.require(.readAssessment)
        let today = ISODate.today()
        return try await RemediationStore.list(institutionID: user.institutionID, on: req.db).map { RemediationDTO($0, today: today) }
    }

    struct ActionInput: Content {
        var title: String
        var owner: String
        var dueDate: String
        var status: RemediationStatus?
        var itemIDs: [String]

        enum CodingKeys: String, CodingKey {
            case title, owner, status
            case dueDate = "due_date", itemIDs = "item_ids"
        }
    }

    @Sendable func createAction(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.manageRemediation)
        let input = try APIInput.decode(ActionInput.self, from: req)
        let form = RemediationController.ActionForm(title: input.title, owner: input.owner, dueDate: input.dueDate, status: input.status?.rawValue, items: input.itemIDs.joined(separator: ","))
        let (action, errors) = RemediationController(catalog: catalog).validate(form)
        guard let action, errors.isEmpty else {
            let (field, message) = errors.sorted { $0.key < $1.key }.first ?? ("body", LocalizedText(ja: "入力が正しくありません。", en: "invalid."))
            throw WebError.refusedParameter(field == "items" ? "item_ids" : field, ja: message.ja, en: message.en)
        }
        let id = try await RemediationStore.create(action, institutionID: user.institutionID, actor: req.auditActor, on: req.db)
        let response = Response(status: .created)
        try response.content.encode(RemediationDTO(StoredRemediationAction(id: id, action: action), today: ISODate.today()), as: .json)
        return response
    }

    struct StatusInput: Content {
        var status: RemediationStatus
    }

    @Sendable func updateAction(req: Request) async throws -> RemediationDTO {
        let user = try req.requireUser()
        try user.require(.manageRemediation)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw WebError.notFound }
        let input = try APIInput.decode(StatusInput.self, from: req)
        guard try await RemediationStore.setStatus(input.status, of: id, institutionID: user.institutionID, actor: req.auditActor, on: req.db) != nil,
              let stored = try await RemediationStore.list(institutionID: user.institutionID, on: req.db).first(where: { $0.id == id })
        else { throw WebError.notFound }
        return RemediationDTO(stored, today: ISODate.today())
    }
}

extension WebError {
    static func importRefused(_ problems: [String]) -> WebError {
        WebError(
            status: .unprocessableEntity, title: LocalizedText(ja: "取り込めません", en: "Import refused"),
            detail: LocalizedText(
                ja: "\(problems.count) 件の問題があるため、何も変更していません: " + problems.prefix(50).joined(separator: " / "),
                en: "\(problems.count) problem(s); nothing was changed: " + problems.prefix(50).joined(separator: " / ")
            ),
            parameter: "body"
        )
    }
}

struct ItemDetailDTO: Content {
    var answer: AnswerDTO
    var comments: [CommentDTO]
    var evidence: [EvidenceDTO]
    var history: [ChangeDTO]
}

struct CommentDTO: Content {
    var author: String
    var body: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case author, body
        case createdAt = "created_at"
    }
}

struct EvidenceDTO: Content {
    var id: UUID
    var filename: String
    var size: Int
    var sha256: String
    var effectiveDate: String
    var expiryDate: String?
    var expired: Bool
    var uploadedBy: String
    var uploadedAt: Date

    init(_ view: EvidenceView, today: ISODate) {
        id = view.id
        filename = view.filename
        size = view.size
        sha256 = view.sha256
        effectiveDate = view.effectiveDate
        expiryDate = view.expiryDate
        expired = view.isExpired(today: today)
        uploadedBy = view.uploadedBy
        uploadedAt = view.uploadedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, filename, size, sha256, expired
        case effectiveDate = "effective_date", expiryDate = "expiry_date", uploadedBy = "uploaded_by", uploadedAt = "uploaded_at"
    }
}

struct ChangeDTO: Content {
    var field: String
    var oldValue: String?
    var newValue: String?
    var changedBy: String
    var changedAt: Date

    enum CodingKeys: String, CodingKey {
        case field
        case oldValue = "old_value", newValue = "new_value", changedBy = "changed_by", changedAt = "changed_at"
    }
}

struct ImportResultDTO: Content {
    var changed: Int
}

struct RemediationDTO: Content {
    var id: UUID
    var title: String
    var owner: String
    var dueDate: String
    var status: String
    var itemIDs: [String]
    var overdue: Bool

    init(_ stored: StoredRemediationAction, today: ISODate) {
        id = stored.id
        title = stored.action.title
        owner = stored.action.owner
        dueDate = stored.action.dueDate.description
        status = stored.action.status.rawValue
        itemIDs = stored.action.itemIDs
        overdue = stored.action.isOverdue(today: today)
    }

    enum CodingKeys: String, CodingKey {
        case id, title, owner, status, overdue
        case dueDate = "due_date", itemIDs = "item_ids"
    }
}
