import Fluent
import KamaeCore
import Vapor

/// Evidence files attached to an item's answer: stored with their SHA-256, checked by content, scoped to the
/// institution, valid from an effective date until an optional expiry.
struct EvidenceController: RouteCollection {
    let catalog: Catalog

    func boot(routes: any RoutesBuilder) throws {
        let assessments = routes.grouped("assessments")
        assessments.on(.POST, ":year", "items", ":item", "evidence", body: .collect(maxSize: "11mb"), use: upload)
        assessments.get(":year", "evidence", ":id", use: download)
        assessments.post(":year", "evidence", ":id", "delete", use: delete)
    }

    struct UploadForm: Content {
        var file: File?
        var effectiveDate: String?
        var expiryDate: String?

        enum CodingKeys: String, CodingKey {
            case file
            case effectiveDate = "effective_date", expiryDate = "expiry_date"
        }
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.editAnswers)
        let assessment = try await req.assessmentOfUserInstitution(user)
        guard assessment.state.acceptsAnswers else { throw WebError.locked(assessment.state) }
        guard let itemID = req.parameters.get("item"), catalog.item(id: itemID) != nil else { throw WebError.notFound }
        let form = try req.content.decode(UploadForm.self)
        guard let file = form.file else {
            throw WebError.invalidParameter("file", ja: "添付するファイルを選んでください。", en: "choose a file to attach.")
        }
        guard let name = EvidenceRules.safeName(file.filename) else {
            throw WebError.invalidParameter("file", ja: EvidenceRules.Refusal.badName.message.ja, en: EvidenceRules.Refusal.badName.message.en)
        }
        let bytes = Array(file.data.readableBytesView)
        let type: EvidenceRules.FileType
        switch EvidenceRules.check(name: name, bytes: bytes) {
        case let .success(checked): type = checked
        case let .failure(refusal): throw WebError.invalidParameter("file", ja: refusal.message.ja, en: refusal.message.en)
        }
        let effective = form.effectiveDate?.nilIfEmpty ?? ISODate.today().description
        guard ISODate(effective) != nil else {
            throw WebError.invalidParameter("effective_date", ja: "有効開始日は YYYY-MM-DD です。", en: "use a date as YYYY-MM-DD.")
        }
        let expiry = form.expiryDate?.nilIfEmpty
        if let expiry {
            guard let end = ISODate(expiry), let start = ISODate(effective), start <= end else {
                throw WebError.invalidParameter("expiry_date", ja: "有効期限は有効開始日以降の YYYY-MM-DD です。", en: "use a date (YYYY-MM-DD) on or after the effective date.")
            }
        }
        let record = EvidenceFileRecord()
        record.assessmentID = assessment.id
        record.itemID = itemID
        record.filename = name
        record.contentType = type.mediaType
        record.size = bytes.count
        record.sha256 = SHA256.hash(data: bytes).hexString
        record.effectiveDate = effective
        record.expiryDate = expiry
        record.uploadedBy = user.id
        record.uploadedAt = Date()
        record.content = Data(bytes)
        try await req.db.transaction { database in
            try await record.create(on: database)
            try await AuditTrail.record(
                "evidence.uploaded", by: req.auditActor, target: ("evidence", try record.requireID().uuidString),
                details: ["item_id": itemID, "filename": name, "sha256": record.sha256, "size": String(bytes.count)], on: database
            )
        }
        return req.redirect(to: "/assessments/\(assessment.year)/items/\(itemID)#evidence", redirectType: .normal)
    }

    @Sendable func download(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.readAssessment)
        let record = try await find(req, user)
        let response = Response(status: .ok, body: .init(data: record.content))
        response.headers.replaceOrAdd(name: .contentType, value: record.contentType)
        // Always a download, never rendered inline: an uploaded file cannot run in Kamae's origin.
        response.headers.contentDisposition = .init(.attachment, filename: record.filename)
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'none'; sandbox")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    @Sendable func delete(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.editAnswers)
        let assessment = try await req.assessmentOfUserInstitution(user)
        guard assessment.state.acceptsAnswers else { throw WebError.locked(assessment.state) }
        let record = try await find(req, user)
        try await req.db.transaction { database in
            try await record.delete(on: database)
            try await AuditTrail.record(
                "evidence.deleted", by: req.auditActor, target: ("evidence", try record.requireID().uuidString),
                details: ["item_id": record.itemID, "filename": record.filename, "sha256": record.sha256], on: database
            )
        }
        return req.redirect(to: "/assessments/\(assessment.year)/items/\(record.itemID)#evidence", redirectType: .normal)
    }


    /// The file, only if it belongs to an assessment of the user's own institution for that year.
    private func find(_ req: Request, _ user: CurrentUser) async throws -> EvidenceFileRecord {
        guard let id = req.parameters.get("id", as: UUID.self), let year = req.parameters.get("year", as: Int.self),
              let assessment = try await AssessmentStore.find(institutionID: user.institutionID, year: year, on: req.db),
              let record = try await EvidenceFileRecord.query(on: req.db).filter(\.$id == id).filter(\.$assessmentID == assessment.id).first()
        else { throw WebError.notFound }
        return record
    }
}

/// Evidence as the item page lists it (without the bytes).
struct EvidenceView: Sendable {
    var id: UUID
    var filename: String
    var size: Int
    var sha256: String
    var effectiveDate: String
    var expiryDate: String?
    var uploadedBy: String
    var uploadedAt: Date

    func isExpired(today: ISODate) -> Bool {
        expiryDate.flatMap(ISODate.init).map { $0 < today } ?? false
    }

    static func list(assessmentID: UUID, itemID: String, on database: any Database) async throws -> [EvidenceView] {
        let records = try await EvidenceFileRecord.query(on: database)
            .filter(\.$assessmentID == assessmentID).filter(\.$itemID == itemID)
            .field(\.$id).field(\.$filename).field(\.$size).field(\.$sha256).field(\.$effectiveDate).field(\.$expiryDate)
            .field(\.$uploadedBy).field(\.$uploadedAt)
            .sort(\.$uploadedAt).all()
        let names = try await UserNames.lookup(Set(records.map(\.uploadedBy)), on: database)
        return records.compactMap { record in
            record.id.map {
                EvidenceView(id: $0, filename: record.filename, size: record.size, sha256: record.sha256, effectiveDate: record.effectiveDate,
                             expiryDate: record.expiryDate, uploadedBy: names[record.uploadedBy] ?? "?", uploadedAt: record.uploadedAt)
            }
        }
    }
}
