import Crypto
import Fluent
import Foundation
import KamaeCore
import KamaeSupervision
import KamaeTrust
import Vapor

/// The institution's side of supervision: its signing key and the signed package of an approved assessment.
enum InstitutionSigningKeys {
    /// Additional authenticated data of the sealed private key: a sealed TOTP secret cannot pass for one.
    static let purpose = "institution-signing-key"

    struct Key: Sendable {
        var keyID: String
        var publicKey: Curve25519.Signing.PublicKey
        var createdAt: Date
        var publicKeyPEM: String { SigningKeys.publicKeyPEM(publicKey) }
    }

    /// The institution's current key, created (and recorded in the audit trail) when it has none yet.
    static func current(institutionID: UUID, by actor: AuditActor, secrets: SealedSecrets, on database: any Database) async throws -> Key {
        try await database.transaction { database in
            if let record = try await currentRecord(institutionID: institutionID, on: database) { return try key(of: record) }
            let record = try await create(institutionID: institutionID, secrets: secrets, on: database)
            try await AuditTrail.record(
                "signing_key.created", by: actor, target: ("signing_key", record.keyID), institutionID: institutionID, on: database
            )
            return try key(of: record)
        }
    }

    /// Retires the current key and makes a new one. The supervisor must register the new public key before the next
    /// submission; packages signed earlier stay valid there under the key they were signed with.
    static func rotate(institutionID: UUID, by actor: AuditActor, secrets: SealedSecrets, on database: any Database, now: Date = Date()) async throws -> Key {
        try await database.transaction { database in
            let previous = try await currentRecord(institutionID: institutionID, on: database)
            if let previous {
                previous.retiredAt = now
                try await previous.save(on: database)
            }
            let record = try await create(institutionID: institutionID, secrets: secrets, on: database, now: now)
            var details = ["new_key_id": record.keyID]
            if let previous { details["retired_key_id"] = previous.keyID }
            try await AuditTrail.record("signing_key.rotated", by: actor, target: ("signing_key", record.keyID), details: details, institutionID: institutionID, on: database)
            return try key(of: record)
        }
    }

    static func privateKey(institutionID: UUID, secrets: SealedSecrets, on database: any Database) async throws -> Curve25519.Signing.PrivateKey? {
        guard let record = try await currentRecord(institutionID: institutionID, on: database) else { return nil }
        let raw = try secrets.open(record.sealedPrivateKey, purpose: purpose)
        guard let bytes = Data(base64Encoded: raw) else { throw SupervisionStorageError.unreadableKey(record.keyID) }
        return try Curve25519.Signing.PrivateKey(rawRepresentation: bytes)
    }

    static func history(institutionID: UUID, on database: any Database) async throws -> [InstitutionSigningKeyRecord] {
        try await InstitutionSigningKeyRecord.query(on: database).filter(\.$institutionID == institutionID).sort(\.$createdAt, .descending).all()
    }

    private static func currentRecord(institutionID: UUID, on database: any Database) async throws -> InstitutionSigningKeyRecord? {
        try await InstitutionSigningKeyRecord.query(on: database)
            .filter(\.$institutionID == institutionID).filter(\.$retiredAt == nil)
            .sort(\.$createdAt, .descending).first()
    }

    private static func create(institutionID: UUID, secrets: SealedSecrets, on database: any Database, now: Date = Date()) async throws -> InstitutionSigningKeyRecord {
        let privateKey = SigningKeys.generate()
        let record = InstitutionSigningKeyRecord()
        record.institutionID = institutionID
        record.keyID = SigningKeys.fingerprint(privateKey.publicKey)
        record.publicKey = SigningKeys.publicKeyBase64(privateKey.publicKey)
        record.sealedPrivateKey = try secrets.seal(privateKey.rawRepresentation.base64EncodedString(), purpose: purpose)
        record.createdAt = now
        try await record.create(on: database)
        return record
    }

    private static func key(of record: InstitutionSigningKeyRecord) throws -> Key {
        Key(keyID: record.keyID, publicKey: try SigningKeys.publicKey(base64: record.publicKey), createdAt: record.createdAt)
    }
}

enum SupervisionStorageError: Error, CustomStringConvertible {
    case unreadableKey(String)
    var description: String {
        switch self {
        case let .unreadableKey(id): "the sealed signing key \(id.prefix(16))… cannot be read with this installation's key"
        }
    }
}

enum SubmissionPackages {
    /// The unsigned package of an assessment: its answers (status and maturity) and the scores they give.
    static func assessment(
        institution: SubmittingInstitution, year: Int, catalog: Catalog, answers: [String: Answer], submittedAt: Date, approvedAt: Date, approvedBy: String
    ) -> SubmissionPackage {
        let score = Scoring.score(catalog: catalog, answers: answers)
        func figure(_ rate: ImplementationRate) -> ScoreFigure { ScoreFigure(halves: rate.halves, applicable: rate.applicable) }
        var submitted: [String: SubmittedAnswer] = [:]
        for (itemID, answer) in answers {
            guard let status = answer.status, let wire = SubmittedStatus(rawValue: status.rawValue) else { continue }
            submitted[itemID] = SubmittedAnswer(status: wire, maturity: answer.maturity?.rawValue)
        }
        var sections: [String: ScoreFigure] = [:]
        for section in catalog.sections { sections[section.number] = figure(score.section(section.number)) }
        return SubmissionPackage(
            institution: institution, fiscalYear: year, catalogVersion: catalog.version.id, kind: .assessment, submittedAt: submittedAt,
            approvedAt: approvedAt, approvedBy: approvedBy,
            payload: SubmissionPayload(
                answers: submitted,
                scores: SubmittedScores(
                    overall: figure(score.overall), basic: figure(score.byKind[.basic] ?? ImplementationRate()),
                    desirable: figure(score.byKind[.desirable] ?? ImplementationRate()), sections: sections
                )
            )
        )
    }
}

/// Feedback reports the institution has received from its supervisor (imported from the supervisor's file).
enum ReceivedFeedback {
    struct Entry: Sendable {
        var id: UUID
        var document: FeedbackDocument
        var receivedAt: Date
    }

    /// Stores a `kamae-feedback/1` file addressed to this institution; anything else is refused, naming why.
    static func importDocument(_ data: Data, institutionID: UUID, by actor: AuditActor, on database: any Database, now: Date = Date()) async throws -> FeedbackDocument {
        let document: FeedbackDocument
        do { document = try FeedbackDocument.decode(data) } catch {
            throw WebError.refusedParameter("file", ja: "還元資料のファイル（kamae-feedback/1）ではありません（\(error.description)）。", en: error.description)
        }
        guard document.feedback.institutionID == institutionID else {
            throw WebError.refusedParameter("file", ja: "この還元資料は別の金融機関宛てです。", en: "this feedback report is addressed to another institution.")
        }
        return try await database.transaction { database in
            let record = ReceivedFeedbackRecord()
            record.institutionID = institutionID
            record.fiscalYear = document.feedback.fiscalYear
            record.supervisorName = document.supervisorName
            record.generatedAt = document.generatedDate ?? now
            record.document = String(decoding: data, as: UTF8.self)
            record.receivedAt = now
            record.receivedBy = actor.id
            try await record.create(on: database)
            try await AuditTrail.record(
                "feedback.imported", by: actor, target: ("feedback", try record.requireID().uuidString),
                details: ["fiscal_year": String(document.feedback.fiscalYear), "supervisor": document.supervisorName], institutionID: institutionID, on: database, now: now
            )
            return document
        }
    }

    /// The newest report per fiscal year, newest year first.
    static func latest(institutionID: UUID, on database: any Database) async throws -> [Entry] {
        let records = try await ReceivedFeedbackRecord.query(on: database).filter(\.$institutionID == institutionID)
            .sort(\.$fiscalYear, .descending).sort(\.$receivedAt, .descending).all()
        var seen: Set<Int> = []
        return records.compactMap { record in
            guard seen.insert(record.fiscalYear).inserted, let document = try? FeedbackDocument.decode(Data(record.document.utf8)) else { return nil }
            return Entry(id: record.id ?? UUID(), document: document, receivedAt: record.receivedAt)
        }
    }
}

/// Builds and signs the submission package of an approved assessment (`kamae-submission/1`).
enum SubmissionExport {
    static func package(
        institutionID: UUID, year: Int, by actor: AuditActor, secrets: SealedSecrets, catalog: Catalog, on database: any Database, now: Date = Date()
    ) async throws -> SubmissionPackage {
        guard let institution = try await InstitutionRecord.find(institutionID, on: database), institution.organisationKind == .institution else {
            throw WebError.notFound
        }
        guard let header = try await AssessmentStore.find(institutionID: institutionID, year: year, on: database) else {
            throw WebError(
                status: .notFound, title: LocalizedText(ja: "自己評価がありません", en: "No assessment"),
                detail: LocalizedText(ja: "\(year) 年度の自己評価がありません。", en: "There is no assessment for fiscal year \(year).")
            )
        }
        guard header.state == .approved, let record = try await AssessmentRecord.find(header.id, on: database), let approvedAt = record.approvedAt else {
            throw WebError(
                status: .conflict, title: LocalizedText(ja: "承認されていません", en: "Not approved"),
                detail: LocalizedText(
                    ja: "\(year) 年度の自己評価は承認されていません（現在：\(header.state.name.ja)）。提出できるのは承認済みの自己評価だけです。",
                    en: "The fiscal year \(year) assessment is not approved (it is \(header.state.name.en)); only an approved assessment can be submitted."
                )
            )
        }
        let approver = try await record.approvedBy.asyncMap { try await UserRecord.find($0, on: database) } ?? nil
        let assessment = try await AssessmentStore.load(header, on: database)
        let unsigned = SubmissionPackages.assessment(
            institution: SubmittingInstitution(
                id: institutionID, name: institution.name, typeCode: institution.institutionType, sizeBand: institution.sizeBand, region: institution.region
            ),
            year: year, catalog: catalog, answers: assessment.answers, submittedAt: now, approvedAt: approvedAt,
            approvedBy: approver?.displayName ?? "approver"
        )
        // The key is created on first use; creating it is itself recorded.
        _ = try await InstitutionSigningKeys.current(institutionID: institutionID, by: actor, secrets: secrets, on: database)
        guard let key = try await InstitutionSigningKeys.privateKey(institutionID: institutionID, secrets: secrets, on: database) else {
            throw WebError.internalError
        }
        let signed = try SubmissionSigner.sign(unsigned, with: key)
        try await AuditTrail.event(
            "submission.exported", by: actor, target: ("assessment", header.id.uuidString),
            details: ["fiscal_year": String(year), "digest": try signed.contentDigest().hex, "key_id": signed.signature?.keyID ?? ""],
            institutionID: institutionID, on: database
        )
        return signed
    }
}
