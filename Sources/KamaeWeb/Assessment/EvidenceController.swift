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
        guard let itemID = req.parameters.get("item"), catalog.item(id: itemID) != nil else { throw WebError.notFound }
        let form = try req.content.decode(UploadForm.self)
        guard let file = form.file else {
            throw WebError.invalidParameter("file", ja: "添付するファイルを選んでください。", en: "choose a file to attach.")
        }
        _ = try await EvidenceStore.add(
            filename: file.filename, bytes: Array(file.data.readableBytesView), effectiveDate: form.effectiveDate, expiryDate: form.expiryDate,
            itemID: itemID, assessment: assessment, uploader: user.id, actor: req.auditActor, on: req.db
        )
        return req.redirect(to: "/assessments/\(assessment.year)/items/\(itemID)#evidence", redirectType: .normal)
    }

    @Sendable func download(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.readAssessment)
        return EvidenceStore.download(try await EvidenceStore.find(req, user))
    }

    @Sendable func delete(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.editAnswers)
        let assessment = try await req.assessmentOfUserInstitution(user)
        let record = try await EvidenceStore.find(req, user)
        try await EvidenceStore.delete(record, from: assessment, actor: req.auditActor, on: req.db)
        return req.redirect(to: "/assessments/\(assessment.year)/items/\(record.itemID)#evidence", redirectType: .normal)
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
