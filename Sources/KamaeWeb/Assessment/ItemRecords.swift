import Crypto
import Fluent
import Foundation
import KamaeCore
import Vapor

/// Comments on an item's answer: the pages and the API write them through here.
enum CommentStore {
    static func add(_ rawBody: String?, itemID: String, assessment: LoadedAssessment, author: UUID, actor: AuditActor, on database: any Database) async throws -> CommentRecord {
        let body = (rawBody ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty, body.count <= AnswerRules.maximumTextLength else {
            throw WebError.invalidParameter("body", ja: "コメントを 1〜\(AnswerRules.maximumTextLength) 文字で入力してください。", en: "write a comment of 1 to \(AnswerRules.maximumTextLength) characters.")
        }
        let comment = CommentRecord()
        comment.assessmentID = assessment.id
        comment.itemID = itemID
        comment.authorID = author
        comment.body = body
        comment.createdAt = Date()
        try await database.transaction { database in
            try await comment.create(on: database)
            try await AuditTrail.record("comment.added", by: actor, target: ("answer", "\(assessment.id)/\(itemID)"), details: ["length": String(body.count)], on: database)
        }
        return comment
    }
}

/// Evidence files: checked (name, size, type by content, dates), stored with their SHA-256, audited.
enum EvidenceStore {
    static func add(
        filename: String?, bytes: [UInt8], effectiveDate: String?, expiryDate: String?, itemID: String, assessment: LoadedAssessment,
        uploader: UUID, actor: AuditActor, on database: any Database
    ) async throws -> EvidenceFileRecord {
        guard assessment.state.acceptsAnswers else { throw WebError.locked(assessment.state) }
        guard let name = filename.flatMap(EvidenceRules.safeName) else {
            throw WebError.refusedParameter("file", ja: EvidenceRules.Refusal.badName.message.ja, en: EvidenceRules.Refusal.badName.message.en)
        }
        let type: EvidenceRules.FileType
        switch EvidenceRules.check(name: name, bytes: bytes) {
        case let .success(checked): type = checked
        case let .failure(refusal): throw WebError.refusedParameter("file", ja: refusal.message.ja, en: refusal.message.en)
        }
        let effective = effectiveDate?.nilIfEmpty ?? ISODate.today().description
        guard ISODate(effective) != nil else {
            throw WebError.refusedParameter("effective_date", ja: "有効開始日は YYYY-MM-DD です。", en: "use a date as YYYY-MM-DD.")
        }
        let expiry = expiryDate?.nilIfEmpty
        if let expiry {
            guard let end = ISODate(expiry), let start = ISODate(effective), start <= end else {
                throw WebError.refusedParameter("expiry_date", ja: "有効期限は有効開始日以降の YYYY-MM-DD です。", en: "use a date (YYYY-MM-DD) on or after the effective date.")
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
        record.uploadedBy = uploader
        record.uploadedAt = Date()
        record.content = Data(bytes)
        try await database.transaction { database in
            try await record.create(on: database)
            try await AuditTrail.record(
                "evidence.uploaded", by: actor, target: ("evidence", try record.requireID().uuidString),
                details: ["item_id": itemID, "filename": name, "sha256": record.sha256, "size": String(bytes.count)], on: database
            )
        }
        return record
    }

    static func delete(_ record: EvidenceFileRecord, from assessment: LoadedAssessment, actor: AuditActor, on database: any Database) async throws {
        guard assessment.state.acceptsAnswers else { throw WebError.locked(assessment.state) }
        try await database.transaction { database in
            try await record.delete(on: database)
            try await AuditTrail.record(
                "evidence.deleted", by: actor, target: ("evidence", try record.requireID().uuidString),
                details: ["item_id": record.itemID, "filename": record.filename, "sha256": record.sha256], on: database
            )
        }
    }

    /// The file, only if it belongs to an assessment of the user's own institution for that year.
    static func find(_ req: Request, _ user: CurrentUser) async throws -> EvidenceFileRecord {
        guard let id = req.parameters.get("id", as: UUID.self), let year = req.parameters.get("year", as: Int.self),
              let assessment = try await AssessmentStore.find(institutionID: user.institutionID, year: year, on: req.db),
              let record = try await EvidenceFileRecord.query(on: req.db).filter(\.$id == id).filter(\.$assessmentID == assessment.id).first()
        else { throw WebError.notFound }
        return record
    }

    /// The stored file as a download: always an attachment, never rendered in Kamae's origin.
    static func download(_ record: EvidenceFileRecord) -> Response {
        let response = Response(status: .ok, body: .init(data: record.content))
        response.headers.replaceOrAdd(name: .contentType, value: record.contentType)
        response.headers.contentDisposition = .init(.attachment, filename: record.filename)
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'none'; sandbox")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }
}
