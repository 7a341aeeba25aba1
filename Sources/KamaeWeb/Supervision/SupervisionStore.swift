import Crypto
import Fluent
import Foundation
import KamaeCore
import KamaeSupervision
import KamaeTrust
import SQLKit
import Synchronization
import Vapor

/// The supervisor's side: the institutions it supervises, their keys, the rounds and the submissions received.
/// Every change is recorded in the audit trail in the same transaction.
enum SupervisionStore {
    // MARK: Institutions and keys

    struct InstitutionEntry: Sendable {
        var profile: InstitutionProfile
        var registeredAt: Date
        var keys: [KeyEntry]
    }

    struct KeyEntry: Sendable {
        var keyID: String
        var registeredAt: Date
        var retiredAt: Date?
    }

    static func institutions(supervisorID: UUID, on database: any Database) async throws -> [InstitutionEntry] {
        let records = try await SupervisedInstitutionRecord.query(on: database).filter(\.$supervisorID == supervisorID).sort(\.$name).all()
        let keys = try await SupervisionKeyRecord.query(on: database).filter(\.$supervisorID == supervisorID).sort(\.$registeredAt).all()
        let keysByInstitution = Dictionary(grouping: keys, by: \.institutionID)
        return records.map { record in
            InstitutionEntry(
                profile: profile(record), registeredAt: record.registeredAt,
                keys: (keysByInstitution[record.institutionID] ?? []).map { KeyEntry(keyID: $0.keyID, registeredAt: $0.registeredAt, retiredAt: $0.retiredAt) }
            )
        }
    }

    static func profile(_ record: SupervisedInstitutionRecord) -> InstitutionProfile {
        InstitutionProfile(
            id: record.institutionID, name: record.name, typeID: record.institutionType,
            sizeBand: SizeBand(rawValue: record.sizeBand) ?? .medium, region: Region(rawValue: record.region) ?? .kanto
        )
    }

    /// Registers an institution (or updates its profile) and, when given, its public key. A key already registered
    /// for another institution is refused: a key signs for one institution only.
    static func register(
        _ profile: InstitutionProfile, publicKey: Curve25519.Signing.PublicKey?, retiringOtherKeys: Bool = false, supervisorID: UUID, by actor: AuditActor,
        on database: any Database, now: Date = Date()
    ) async throws {
        try await database.transaction { database in
            let record = try await SupervisedInstitutionRecord.query(on: database)
                .filter(\.$supervisorID == supervisorID).filter(\.$institutionID == profile.id).first() ?? {
                    let record = SupervisedInstitutionRecord()
                    record.supervisorID = supervisorID
                    record.institutionID = profile.id
                    record.registeredAt = now
                    return record
                }()
            let isNew = record.id == nil
            record.name = profile.name
            record.institutionType = profile.typeID
            record.sizeBand = profile.sizeBand.rawValue
            record.region = profile.region.rawValue
            record.updatedAt = now
            try await record.save(on: database)
            try await AuditTrail.record(
                isNew ? "supervision.institution_registered" : "supervision.institution_updated", by: actor,
                target: ("supervised_institution", profile.id.uuidString),
                details: ["name": profile.name, "type": profile.typeID, "size_band": profile.sizeBand.rawValue, "region": profile.region.rawValue],
                institutionID: supervisorID, on: database, now: now
            )
            if let publicKey {
                try await registerKey(publicKey, institutionID: profile.id, supervisorID: supervisorID, by: actor, on: database, now: now)
                if retiringOtherKeys {
                    let newKeyID = SigningKeys.fingerprint(publicKey)
                    let others = try await SupervisionKeyRecord.query(on: database).filter(\.$supervisorID == supervisorID)
                        .filter(\.$institutionID == profile.id).filter(\.$retiredAt == nil).filter(\.$keyID != newKeyID).all()
                    for key in others { try await retire(key, by: actor, on: database, now: now) }
                }
            }
        }
    }

    /// Registers a public key for a registered institution (key rotation: the old key stays until retired).
    static func registerKey(
        _ publicKey: Curve25519.Signing.PublicKey, institutionID: UUID, supervisorID: UUID, by actor: AuditActor,
        on database: any Database, now: Date = Date()
    ) async throws {
        let keyID = SigningKeys.fingerprint(publicKey)
        guard try await SupervisedInstitutionRecord.query(on: database)
            .filter(\.$supervisorID == supervisorID).filter(\.$institutionID == institutionID).first() != nil
        else { throw WebError.notFound }
        if let existing = try await SupervisionKeyRecord.query(on: database).filter(\.$supervisorID == supervisorID).filter(\.$keyID == keyID).first() {
            guard existing.institutionID == institutionID else {
                throw WebError.refusedParameter(
                    "public_key", ja: "この公開鍵は別の金融機関に登録されています。", en: "this public key is registered for another institution."
                )
            }
            return
        }
        let record = SupervisionKeyRecord()
        record.supervisorID = supervisorID
        record.institutionID = institutionID
        record.keyID = keyID
        record.publicKey = SigningKeys.publicKeyBase64(publicKey)
        record.registeredAt = now
        record.registeredBy = actor.id
        try await record.create(on: database)
        try await AuditTrail.record(
            "supervision.key_registered", by: actor, target: ("supervised_institution", institutionID.uuidString),
            details: ["key_id": keyID], institutionID: supervisorID, on: database, now: now
        )
    }

    /// A retired key verifies no new submission (a rotated or compromised key); submissions it signed earlier stay.
    static func retireKey(keyID: String, supervisorID: UUID, by actor: AuditActor, on database: any Database, now: Date = Date()) async throws {
        try await database.transaction { database in
            guard let record = try await SupervisionKeyRecord.query(on: database)
                .filter(\.$supervisorID == supervisorID).filter(\.$keyID == keyID).filter(\.$retiredAt == nil).first()
            else { throw WebError.notFound }
            try await retire(record, by: actor, on: database, now: now)
        }
    }

    private static func retire(_ record: SupervisionKeyRecord, by actor: AuditActor, on database: any Database, now: Date) async throws {
        record.retiredAt = now
        try await record.save(on: database)
        try await AuditTrail.record(
            "supervision.key_retired", by: actor, target: ("supervised_institution", record.institutionID.uuidString),
            details: ["key_id": record.keyID], institutionID: record.supervisorID, on: database, now: now
        )
    }

    // MARK: Rounds

    struct Round: Sendable {
        var fiscalYear: Int
        var catalogVersion: String
        var deadline: Date
    }

    static func rounds(supervisorID: UUID, on database: any Database) async throws -> [Round] {
        try await SupervisionRoundRecord.query(on: database).filter(\.$supervisorID == supervisorID).sort(\.$fiscalYear, .descending).all()
            .map { Round(fiscalYear: $0.fiscalYear, catalogVersion: $0.catalogVersion, deadline: $0.deadline) }
    }

    /// Opens (or changes the deadline of) the collection of one fiscal year's self-assessments.
    static func setRound(_ round: Round, supervisorID: UUID, by actor: AuditActor, on database: any Database, now: Date = Date()) async throws {
        try await database.transaction { database in
            let record = try await SupervisionRoundRecord.query(on: database)
                .filter(\.$supervisorID == supervisorID).filter(\.$fiscalYear == round.fiscalYear).first() ?? SupervisionRoundRecord()
            if record.id == nil {
                record.supervisorID = supervisorID
                record.fiscalYear = round.fiscalYear
                record.createdAt = now
                // The edition is fixed when the round opens; moving the deadline later does not change it.
                record.catalogVersion = round.catalogVersion
            }
            record.deadline = round.deadline
            try await record.save(on: database)
            try await AuditTrail.record(
                "supervision.round_set", by: actor, target: ("supervision_round", String(round.fiscalYear)),
                details: ["deadline": SubmissionTimestamp.string(from: round.deadline), "catalog_version": round.catalogVersion],
                institutionID: supervisorID, on: database, now: now
            )
        }
    }

    // MARK: Receiving submissions

    struct Receipt: Sendable {
        var institutionID: UUID
        var institutionName: String
        var fiscalYear: Int
        var subject: String
        var digest: String
        /// An earlier submission of the same institution, year and subject that this one replaces.
        var supersedes: Bool
    }

    /// Reads what a package claims before anything is trusted: only to find the keys, round or questionnaire and the
    /// earlier submissions to check it with. After verification the signed package must say the same.
    private struct Envelope: Decodable {
        var fiscalYear: Int?
        var institution: Institution?
        var kind: SubmissionKind?
        var signature: Signature?
        struct Institution: Decodable { var id: UUID? }
        struct Signature: Decodable { var keyID: String?; enum CodingKeys: String, CodingKey { case keyID = "key_id" } }
        enum CodingKeys: String, CodingKey { case fiscalYear = "fiscal_year", institution, kind, signature }
    }

    /// How a package arrived: through the API (judged late by its arrival) or handed to the supervisor, who uploads
    /// or imports it later (judged by the signed `submitted_at`: a package signed in time stays in time).
    enum Arrival: Sendable {
        case api
        case upload
    }

    /// Verifies a received package against this supervisor's registered keys and its round or questionnaire, and
    /// stores it when it passes — in one transaction with its audit record. A refusal is recorded too, with its reason.
    static func receive(
        _ data: Data, supervisorID: UUID, catalog: Catalog, arrival: Arrival, by actor: AuditActor, on database: any Database, now: Date = Date()
    ) async throws -> Result<Receipt, SubmissionRejection> {
        let envelope = try? JSONDecoder().decode(Envelope.self, from: data)
        let outcome: Result<Receipt, SubmissionRejection>
        do {
            outcome = try await database.transaction { database in
                try await receive(data, envelope: envelope, supervisorID: supervisorID, catalog: catalog, arrival: arrival, by: actor, on: database, now: now)
            }
        } catch let error where DatabaseErrors.isUniqueViolation(error) {
            // Another receipt of the same slot or the same content committed first (the partial unique index).
            outcome = .failure(.conflict)
        }
        if case let .failure(rejection) = outcome {
            var details = ["reason": rejection.code, "bytes": String(data.count)]
            if let keyID = envelope?.signature?.keyID { details["claimed_key_id"] = String(keyID.prefix(64)) }
            if let institution = envelope?.institution?.id { details["claimed_institution_id"] = institution.uuidString }
            try await AuditTrail.event("supervision.submission_rejected", by: actor, details: details, institutionID: supervisorID, on: database)
        }
        return outcome
    }

    private static func receive(
        _ data: Data, envelope: Envelope?, supervisorID: UUID, catalog: Catalog, arrival: Arrival, by actor: AuditActor, on database: any Database, now: Date
    ) async throws -> Result<Receipt, SubmissionRejection> {
        let year = envelope?.fiscalYear ?? 0
        let round = try await SupervisionRoundRecord.query(on: database)
            .filter(\.$supervisorID == supervisorID).filter(\.$fiscalYear == year).first()
        // A questionnaire response is due by the questionnaire's own deadline.
        var questionnaire: QuestionnaireStore.Entry?
        if case let .questionnaire(code, version)? = envelope?.kind {
            questionnaire = try await QuestionnaireStore.published(code: code, version: version, supervisorID: supervisorID, on: database)
        }
        // Only the key the package names can verify it; reading every registered key would grow with the sector.
        let keyRecords = try await SupervisionKeyRecord.query(on: database)
            .filter(\.$supervisorID == supervisorID).filter(\.$keyID == envelope?.signature?.keyID ?? "").filter(\.$retiredAt == nil).all()
        let keys = keyRecords.compactMap { record in
            (try? SigningKeys.publicKey(base64: record.publicKey)).map { RegisteredSigningKey(institutionID: record.institutionID, publicKey: $0) }
        }
        var received: Set<ContentDigest> = []
        var latest: [SubmissionSlot: Date] = [:]
        if let institutionID = envelope?.institution?.id {
            let earlier = try await SupervisionSubmissionRecord.query(on: database)
                .filter(\.$supervisorID == supervisorID).filter(\.$institutionID == institutionID).filter(\.$fiscalYear == year).all()
            for record in earlier {
                received.insert(ContentDigest(hex: record.digest))
                let slot = SubmissionSlot(institutionID: institutionID, fiscalYear: year, subject: record.subject)
                latest[slot] = max(latest[slot] ?? .distantPast, record.submittedAt)
            }
        }
        let verdict = SubmissionVerifier.verify(
            data: data, registeredKeys: keys, expectedCatalogVersion: round?.catalogVersion ?? catalog.version.id,
            deadline: questionnaire?.deadline ?? round?.deadline ?? .distantFuture, alreadyReceived: received, latestAccepted: latest,
            receivedAt: arrival == .api ? now : nil
        )
        let verified: VerifiedSubmission
        switch verdict {
        case let .success(passed): verified = passed
        case let .failure(rejection): return .failure(rejection)
        }
        let package = verified.package
        // Strict JSON (no duplicate or unknown members) makes the envelope the package; checked all the same.
        guard package.fiscalYear == year, package.kind == envelope?.kind, package.institution.id == envelope?.institution?.id else {
            return .failure(.wrongFormat(path: "$", detail: "the package reads differently on a second look"))
        }
        switch package.kind {
        case .assessment:
            guard round != nil else { return .failure(.noRound(fiscalYear: package.fiscalYear)) }
        case let .questionnaire(code, version):
            guard let questionnaire else { return .failure(.unknownQuestionnaire(id: code, version: version)) }
            guard questionnaire.recipients.contains(package.institution.id) else { return .failure(.notInvited(questionnaireID: code)) }
            guard package.fiscalYear == questionnaire.fiscalYear else {
                return .failure(.wrongFormat(path: "$.fiscal_year", detail: "the questionnaire is for fiscal year \(questionnaire.fiscalYear)"))
            }
            let answers = (package.payload.responses ?? [:]).mapValues { QuestionAnswer(selectedOptionIDs: $0.options, freeText: $0.freeText) }
            let response = QuestionnaireResponse(questionnaireID: code, questionnaireVersion: version, answers: answers)
            if let problem = QuestionnaireRules.problems(in: response, to: questionnaire.questionnaire).first {
                return .failure(.invalidResponse(questionID: problem.questionID ?? "-", detail: problem.message.en))
            }
        }
        guard let institution = try await SupervisedInstitutionRecord.query(on: database)
            .filter(\.$supervisorID == supervisorID).filter(\.$institutionID == package.institution.id).first()
        else { return .failure(.unknownKey(keyID: verified.keyID)) }
        let previous = try await SupervisionSubmissionRecord.query(on: database)
            .filter(\.$supervisorID == supervisorID).filter(\.$institutionID == package.institution.id)
            .filter(\.$fiscalYear == package.fiscalYear).filter(\.$subject == package.kind.subject).filter(\.$isCurrent == 1).all()
        for record in previous {
            record.isCurrent = 0
            try await record.save(on: database)
        }
        let record = SupervisionSubmissionRecord()
        record.supervisorID = supervisorID
        record.institutionID = package.institution.id
        record.fiscalYear = package.fiscalYear
        record.subject = package.kind.subject
        record.digest = verified.contentDigest.hex
        record.keyID = verified.keyID
        record.submittedAt = package.submittedAt
        record.receivedAt = now
        record.isCurrent = 1
        if let answers = package.payload.answers {
            let statuses = answers.compactMapValues { AnswerStatus(rawValue: $0.status.rawValue) }
            record.statuses = StatusString.encode(statuses, itemIDs: catalog.items.map(\.id))
        }
        record.package = String(decoding: try package.canonicalData(), as: UTF8.self)
        try await record.create(on: database)
        // The registry stays the supervisor's: a package's own description of the institution is noted, not applied
        // (an institution could otherwise move itself between peer groups).
        var details = ["fiscal_year": String(package.fiscalYear), "subject": package.kind.subject, "digest": verified.contentDigest.hex, "key_id": verified.keyID]
        let claimed = package.institution
        if claimed.name != institution.name || claimed.typeCode != institution.institutionType || claimed.sizeBand != institution.sizeBand || claimed.region != institution.region {
            details["claimed_profile"] = "\(claimed.name.prefix(100)) / \(claimed.typeCode.prefix(40)) / \(claimed.sizeBand.prefix(20)) / \(claimed.region.prefix(20))"
        }
        try await AuditTrail.record(
            "supervision.submission_accepted", by: actor, target: ("supervised_institution", package.institution.id.uuidString),
            details: details, institutionID: supervisorID, on: database, now: now
        )
        return .success(Receipt(
            institutionID: package.institution.id, institutionName: institution.name, fiscalYear: package.fiscalYear,
            subject: package.kind.subject, digest: verified.contentDigest.hex, supersedes: !previous.isEmpty
        ))
    }

    // MARK: Submissions and analysis

    struct SubmissionEntry: Sendable {
        var institutionID: UUID
        var fiscalYear: Int
        var subject: String
        var submittedAt: Date
        var receivedAt: Date
        var digest: String
    }

    static func currentSubmissions(supervisorID: UUID, year: Int? = nil, on database: any Database) async throws -> [SubmissionEntry] {
        var query = SupervisionSubmissionRecord.query(on: database).filter(\.$supervisorID == supervisorID).filter(\.$isCurrent == 1)
        if let year { query = query.filter(\.$fiscalYear == year) }
        return try await query.field(\.$institutionID).field(\.$fiscalYear).field(\.$subject).field(\.$submittedAt).field(\.$receivedAt).field(\.$digest)
            .all()
            .map { SubmissionEntry(institutionID: $0.institutionID, fiscalYear: $0.fiscalYear, subject: $0.subject, submittedAt: $0.submittedAt, receivedAt: $0.receivedAt, digest: $0.digest) }
    }

    /// Names the state of this supervisor's sector: changes with every submission received and every change of an
    /// institution's registration. One small query.
    static func sectorStamp(supervisorID: UUID, catalog: Catalog, on database: any Database) async throws -> String {
        let sql = database as! any SQLDatabase
        let stampRow = try await sql.raw("""
            SELECT (SELECT COUNT(*) FROM supervision_submissions WHERE supervisor_id = \(bind: supervisorID)) AS submissions,
                   (SELECT MAX(received_at) FROM supervision_submissions WHERE supervisor_id = \(bind: supervisorID)) AS received,
                   (SELECT COUNT(*) FROM supervised_institutions WHERE supervisor_id = \(bind: supervisorID)) AS institutions,
                   (SELECT MAX(updated_at) FROM supervised_institutions WHERE supervisor_id = \(bind: supervisorID)) AS updated
            """).first()
        guard let stampRow else { throw WebError.internalError }
        return [
            String(try stampRow.decode(column: "submissions", as: Int.self)),
            String(describing: try stampRow.decode(column: "received", as: Date?.self)?.timeIntervalSince1970),
            String(try stampRow.decode(column: "institutions", as: Int.self)),
            String(describing: try stampRow.decode(column: "updated", as: Date?.self)?.timeIntervalSince1970),
            catalog.version.id,
        ].joined(separator: "|")
    }

    /// The sector's analysis for this supervisor, built once per change of its submissions or institutions.
    static func analysis(supervisorID: UUID, catalog: Catalog, on database: any Database) async throws -> SectorAnalysis {
        try await analysis(supervisorID: supervisorID, stamp: try await sectorStamp(supervisorID: supervisorID, catalog: catalog, on: database), catalog: catalog, on: database)
    }

    static func analysis(supervisorID: UUID, stamp: String, catalog: Catalog, on database: any Database) async throws -> SectorAnalysis {
        let sql = database as! any SQLDatabase
        if let cached = SectorCache.shared.analysis(supervisorID, stamp: stamp) { return cached }

        let institutions = try await SupervisedInstitutionRecord.query(on: database).filter(\.$supervisorID == supervisorID).all().map(profile)
        let known = Set(institutions.map(\.id))
        let itemIDs = catalog.items.map(\.id)
        let rows = try await sql.raw("""
            SELECT institution_id, fiscal_year, statuses FROM supervision_submissions
            WHERE supervisor_id = \(bind: supervisorID) AND is_current = 1 AND subject = 'assessment' AND statuses IS NOT NULL
            ORDER BY submitted_at
            """).all()
        var submissions: [SectorSubmission] = []
        submissions.reserveCapacity(rows.count)
        for row in rows {
            let institutionID = try row.decode(column: "institution_id", as: UUID.self)
            guard known.contains(institutionID),
                  let codes = StatusString.codes(try row.decode(column: "statuses", as: String.self), itemCount: itemIDs.count)
            else { continue }
            submissions.append(SectorSubmission(institutionID: institutionID, fiscalYear: try row.decode(column: "fiscal_year", as: Int.self), codes: codes))
        }
        let analysis = SectorAnalysis(dataset: try SectorDataset(catalog: catalog, institutions: institutions, submissions: submissions))
        SectorCache.shared.store(analysis, for: supervisorID, stamp: stamp)
        return analysis
    }
}

/// The last sector analysis per supervisor, valid while its stamp (submission and institution counts and latest
/// changes) is unchanged. Building it for 2,000 institutions × 3 years takes a moment; reading it is free.
final class SectorCache: Sendable {
    static let shared = SectorCache()
    private let entries = Mutex<[UUID: (stamp: String, analysis: SectorAnalysis)]>([:])

    func analysis(_ supervisorID: UUID, stamp: String) -> SectorAnalysis? {
        entries.withLock { $0[supervisorID].flatMap { $0.stamp == stamp ? $0.analysis : nil } }
    }

    func store(_ analysis: SectorAnalysis, for supervisorID: UUID, stamp: String) {
        entries.withLock { $0[supervisorID] = (stamp, analysis) }
    }
}
