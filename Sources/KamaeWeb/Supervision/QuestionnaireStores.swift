import Fluent
import Foundation
import SQLKit
import KamaeCore
import KamaeSupervision
import KamaeTrust
import Vapor

/// JSON of the stored questionnaire definitions and responses (sorted keys: the same content, the same text).
enum QuestionnaireJSON {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

/// The supervisor's questionnaires: drafts, versions, publication to recipients, and the responses received.
enum QuestionnaireStore {
    struct Entry: Sendable {
        var id: UUID
        var questionnaire: Questionnaire
        var fiscalYear: Int
        var deadline: Date
        var publishedAt: Date?
        var recipients: Set<UUID>
    }

    static func list(supervisorID: UUID, on database: any Database) async throws -> [Entry] {
        let records = try await QuestionnaireRecord.query(on: database).filter(\.$supervisorID == supervisorID)
            .sort(\.$createdAt, .descending).all()
        let recipients = try await QuestionnaireRecipientRecord.query(on: database).filter(\.$questionnaireID ~~ records.compactMap(\.id)).all()
        let byQuestionnaire = Dictionary(grouping: recipients, by: \.questionnaireID)
        return try records.map { try entry($0, recipients: Set((byQuestionnaire[$0.id ?? UUID()] ?? []).map(\.institutionID))) }
    }

    static func find(_ id: UUID, supervisorID: UUID, on database: any Database) async throws -> Entry {
        guard let record = try await QuestionnaireRecord.find(id, on: database), record.supervisorID == supervisorID else { throw WebError.notFound }
        let recipients = try await QuestionnaireRecipientRecord.query(on: database).filter(\.$questionnaireID == id).all()
        return try entry(record, recipients: Set(recipients.map(\.institutionID)))
    }

    /// The published version `version` of questionnaire `code`, if this supervisor distributed it.
    static func published(code: String, version: Int, supervisorID: UUID, on database: any Database) async throws -> Entry? {
        guard let record = try await QuestionnaireRecord.query(on: database).filter(\.$supervisorID == supervisorID)
            .filter(\.$code == code).filter(\.$version == version).filter(\.$publishedAt != nil).first()
        else { return nil }
        return try await find(try record.requireID(), supervisorID: supervisorID, on: database)
    }

    private static func entry(_ record: QuestionnaireRecord, recipients: Set<UUID>) throws -> Entry {
        Entry(
            id: try record.requireID(), questionnaire: try QuestionnaireJSON.decode(Questionnaire.self, record.definition),
            fiscalYear: record.fiscalYear, deadline: record.deadline, publishedAt: record.publishedAt, recipients: recipients
        )
    }

    /// Saves a draft (new, or an unpublished one changed). The questionnaire must pass `QuestionnaireRules`.
    static func saveDraft(
        _ questionnaire: Questionnaire, fiscalYear: Int, deadline: Date, replacing id: UUID?, supervisorID: UUID, catalog: Catalog,
        by actor: AuditActor, on database: any Database, now: Date = Date()
    ) async throws -> UUID {
        let problems = QuestionnaireRules.problems(in: questionnaire, catalogItemIDs: Set(catalog.items.map(\.id)))
        guard problems.isEmpty else { throw QuestionnaireInputError(problems: problems) }
        return try await database.transaction { database in
            let record: QuestionnaireRecord
            if let id {
                guard let existing = try await QuestionnaireRecord.find(id, on: database), existing.supervisorID == supervisorID else { throw WebError.notFound }
                guard existing.publishedAt == nil else { throw QuestionnaireInputError.published }
                record = existing
            } else {
                let clash = try await QuestionnaireRecord.query(on: database).filter(\.$supervisorID == supervisorID)
                    .filter(\.$code == questionnaire.id).filter(\.$version == questionnaire.version).first()
                guard clash == nil else { throw QuestionnaireInputError.codeTaken(questionnaire.id, questionnaire.version) }
                record = QuestionnaireRecord()
                record.supervisorID = supervisorID
                record.createdAt = now
            }
            record.code = questionnaire.id
            record.version = questionnaire.version
            record.definition = try QuestionnaireJSON.encode(questionnaire)
            record.fiscalYear = fiscalYear
            record.deadline = deadline
            try await record.save(on: database)
            try await AuditTrail.record(
                "questionnaire.saved", by: actor, target: ("questionnaire", try record.requireID().uuidString),
                details: ["code": questionnaire.id, "version": String(questionnaire.version), "questions": String(questionnaire.questions.count)],
                institutionID: supervisorID, on: database, now: now
            )
            return try record.requireID()
        }
    }

    /// A published questionnaire is frozen; a change starts from a copy as the next version.
    static func newVersion(of id: UUID, supervisorID: UUID, catalog: Catalog, by actor: AuditActor, on database: any Database) async throws -> UUID {
        let current = try await find(id, supervisorID: supervisorID, on: database)
        let latest = try await QuestionnaireRecord.query(on: database).filter(\.$supervisorID == supervisorID)
            .filter(\.$code == current.questionnaire.id).sort(\.$version, .descending).first()
        var copy = current.questionnaire
        copy.version = (latest?.version ?? copy.version) + 1
        return try await saveDraft(copy, fiscalYear: current.fiscalYear, deadline: current.deadline, replacing: nil, supervisorID: supervisorID, catalog: catalog, by: actor, on: database)
    }

    /// Freezes the questionnaire and names its recipients (registered institutions only).
    static func publish(_ id: UUID, to recipients: Set<UUID>, supervisorID: UUID, by actor: AuditActor, on database: any Database, now: Date = Date()) async throws {
        try await database.transaction { database in
            guard let record = try await QuestionnaireRecord.find(id, on: database), record.supervisorID == supervisorID else { throw WebError.notFound }
            guard record.publishedAt == nil else { throw QuestionnaireInputError.published }
            let registered = Set(try await SupervisedInstitutionRecord.query(on: database).filter(\.$supervisorID == supervisorID).all().map(\.institutionID))
            let chosen = recipients.intersection(registered)
            guard !chosen.isEmpty else { throw QuestionnaireInputError.noRecipients }
            for institution in chosen.sorted(by: { $0.uuidString < $1.uuidString }) {
                let recipient = QuestionnaireRecipientRecord()
                recipient.questionnaireID = id
                recipient.institutionID = institution
                try await recipient.create(on: database)
            }
            record.publishedAt = now
            try await record.save(on: database)
            try await AuditTrail.record(
                "questionnaire.published", by: actor, target: ("questionnaire", id.uuidString),
                details: ["code": record.code, "version": String(record.version), "recipients": String(chosen.count)], institutionID: supervisorID, on: database, now: now
            )
        }
    }

    /// The current response of each institution to this version.
    static func responses(to entry: Entry, supervisorID: UUID, on database: any Database) async throws -> [UUID: (response: QuestionnaireResponse, submittedAt: Date)] {
        let records = try await SupervisionSubmissionRecord.query(on: database).filter(\.$supervisorID == supervisorID)
            .filter(\.$subject == SubmissionKind.questionnaire(id: entry.questionnaire.id, version: entry.questionnaire.version).subject)
            .filter(\.$isCurrent == 1).all()
        var responses: [UUID: (QuestionnaireResponse, Date)] = [:]
        for record in records {
            guard let package = try? JSONDecoder().decode(SubmissionPackage.self, from: Data(record.package.utf8)),
                  case let .questionnaire(_, version) = package.kind, version == entry.questionnaire.version,
                  let submitted = package.payload.responses
            else { continue }
            let answers = submitted.mapValues { QuestionAnswer(selectedOptionIDs: $0.options, freeText: $0.freeText) }
            responses[record.institutionID] = (QuestionnaireResponse(questionnaireID: entry.questionnaire.id, questionnaireVersion: version, answers: answers), record.submittedAt)
        }
        return responses
    }
}

/// A questionnaire refused for its content, with every problem named by question.
struct QuestionnaireInputError: Error {
    var problems: [QuestionnaireProblem] = []
    var message: LocalizedText?

    static let published = QuestionnaireInputError(message: LocalizedText(
        ja: "配布済みの調査票は変更できません。新しい版を作成してください。", en: "A distributed questionnaire cannot change; make a new version."
    ))
    static let noRecipients = QuestionnaireInputError(message: LocalizedText(ja: "配布先を 1 先以上選んでください。", en: "Choose at least one recipient."))
    static func codeTaken(_ code: String, _ version: Int) -> QuestionnaireInputError {
        QuestionnaireInputError(message: LocalizedText(ja: "調査票 ID「\(code)」第 \(version) 版はすでにあります。", en: "Questionnaire \(code) version \(version) already exists."))
    }

    var lines: [LocalizedText] { (message.map { [$0] } ?? []) + problems.map(\.message) }
}

/// The institution's side: questionnaires received, answered by editors, approved by approvers, returned signed.
enum ReceivedQuestionnaires {
    enum State: String, Sendable {
        case draft, submitted, approved

        var name: LocalizedText {
            switch self {
            case .draft: LocalizedText(ja: "回答中", en: "Answering")
            case .submitted: LocalizedText(ja: "承認待ち", en: "Awaiting approval")
            case .approved: LocalizedText(ja: "承認済", en: "Approved")
            }
        }
    }

    struct Entry: Sendable {
        var id: UUID
        var supervisorName: String
        var questionnaire: Questionnaire
        var fiscalYear: Int
        var deadline: Date
        var state: State
        var response: QuestionnaireResponse
        var submittedBy: UUID?
    }

    static func list(institutionID: UUID, on database: any Database) async throws -> [Entry] {
        try await ReceivedQuestionnaireRecord.query(on: database).filter(\.$institutionID == institutionID).sort(\.$receivedAt, .descending).all().map(entry)
    }

    static func find(_ id: UUID, institutionID: UUID, on database: any Database) async throws -> Entry {
        guard let record = try await ReceivedQuestionnaireRecord.find(id, on: database), record.institutionID == institutionID else { throw WebError.notFound }
        return try entry(record)
    }

    private static func entry(_ record: ReceivedQuestionnaireRecord) throws -> Entry {
        let questionnaire = try QuestionnaireJSON.decode(Questionnaire.self, record.definition)
        let response = try record.response.map { try QuestionnaireJSON.decode(QuestionnaireResponse.self, $0) }
            ?? QuestionnaireResponse(questionnaireID: questionnaire.id, questionnaireVersion: questionnaire.version, answers: [:])
        return Entry(
            id: try record.requireID(), supervisorName: record.supervisorName, questionnaire: questionnaire, fiscalYear: record.fiscalYear,
            deadline: record.deadline, state: State(rawValue: record.state) ?? .draft, response: response, submittedBy: record.submittedBy
        )
    }

    /// Imports a supervisor's distribution file; the same questionnaire version twice is refused.
    static func importDistribution(_ data: Data, institutionID: UUID, catalog: Catalog, by actor: AuditActor, on database: any Database, now: Date = Date()) async throws -> UUID {
        let distribution: QuestionnaireDistribution
        do { distribution = try QuestionnaireDistribution.decode(data, catalogItemIDs: Set(catalog.items.map(\.id))) } catch {
            throw WebError.refusedParameter("file", ja: "調査票ファイル（kamae-questionnaire/1）として読めません（\(error.description)）。", en: error.description)
        }
        let questionnaire = distribution.questionnaire
        return try await database.transaction { database in
            let existing = try await ReceivedQuestionnaireRecord.query(on: database).filter(\.$institutionID == institutionID)
                .filter(\.$code == questionnaire.id).filter(\.$version == questionnaire.version).first()
            guard existing == nil else {
                throw WebError.refusedParameter("file", ja: "調査票「\(questionnaire.id)」第 \(questionnaire.version) 版はすでに取り込まれています。", en: "questionnaire \(questionnaire.id) version \(questionnaire.version) is already here.")
            }
            let record = ReceivedQuestionnaireRecord()
            record.institutionID = institutionID
            record.supervisorName = distribution.supervisorName
            record.code = questionnaire.id
            record.version = questionnaire.version
            record.definition = try QuestionnaireJSON.encode(questionnaire)
            record.fiscalYear = distribution.fiscalYear
            record.deadline = distribution.deadlineDate ?? now
            record.state = State.draft.rawValue
            record.updatedAt = now
            record.receivedAt = now
            try await record.create(on: database)
            try await AuditTrail.record(
                "questionnaire.received", by: actor, target: ("received_questionnaire", try record.requireID().uuidString),
                details: ["code": questionnaire.id, "version": String(questionnaire.version), "supervisor": distribution.supervisorName],
                institutionID: institutionID, on: database, now: now
            )
            return try record.requireID()
        }
    }

    /// Saves answers while the questionnaire is being answered; incomplete answers are kept, wrong ones refused.
    static func save(_ response: QuestionnaireResponse, id: UUID, institutionID: UUID, by actor: AuditActor, on database: any Database, now: Date = Date()) async throws {
        try await database.transaction { database in
            try await lock(id, on: database)
            guard let record = try await ReceivedQuestionnaireRecord.find(id, on: database), record.institutionID == institutionID else { throw WebError.notFound }
            guard record.state == State.draft.rawValue else { throw stateError(record.state) }
            let questionnaire = try QuestionnaireJSON.decode(Questionnaire.self, record.definition)
            let problems = QuestionnaireRules.problems(in: response, to: questionnaire).filter {
                if case .missingRequiredAnswer = $0 { return false }
                return true
            }
            guard problems.isEmpty else { throw ResponseInputError(problems: problems) }
            record.response = try QuestionnaireJSON.encode(response)
            record.updatedBy = actor.id
            record.updatedAt = now
            try await record.save(on: database)
            try await AuditTrail.record(
                "questionnaire.answered", by: actor, target: ("received_questionnaire", id.uuidString),
                details: ["answers": String(response.answers.count)], institutionID: institutionID, on: database, now: now
            )
        }
    }

    enum Step: String, Sendable {
        case submit, approve, `return`
    }

    /// submit (editor, complete answers) → approve or return (an approver, never the person who submitted).
    static func transition(_ step: Step, id: UUID, institutionID: UUID, by actor: AuditActor, on database: any Database, now: Date = Date()) async throws {
        try await database.transaction { database in
            try await lock(id, on: database)
            guard let record = try await ReceivedQuestionnaireRecord.find(id, on: database), record.institutionID == institutionID else { throw WebError.notFound }
            switch step {
            case .submit:
                guard record.state == State.draft.rawValue else { throw stateError(record.state) }
                let entry = try entry(record)
                let problems = QuestionnaireRules.problems(in: entry.response, to: entry.questionnaire)
                guard problems.isEmpty else { throw ResponseInputError(problems: problems) }
                record.state = State.submitted.rawValue
                record.submittedBy = actor.id
            case .approve, .return:
                guard record.state == State.submitted.rawValue else { throw stateError(record.state) }
                guard actor.id == nil || actor.id != record.submittedBy else {
                    throw WebError(status: .forbidden, title: LocalizedText(ja: "承認できません", en: "Not allowed"),
                                   detail: LocalizedText(ja: "回答を提出した本人は承認できません。", en: "The person who submitted the answers cannot approve them."))
                }
                if step == .approve {
                    let entry = try entry(record)
                    let problems = QuestionnaireRules.problems(in: entry.response, to: entry.questionnaire)
                    guard problems.isEmpty else { throw ResponseInputError(problems: problems) }
                    record.state = State.approved.rawValue
                    record.approvedBy = actor.id
                    record.approvedAt = now
                } else {
                    record.state = State.draft.rawValue
                }
            }
            record.updatedAt = now
            try await record.save(on: database)
            try await AuditTrail.record(
                "questionnaire.\(step.rawValue)", by: actor, target: ("received_questionnaire", id.uuidString),
                details: ["code": record.code, "version": String(record.version)], institutionID: institutionID, on: database, now: now
            )
        }
    }

    /// The signed response of an approved questionnaire.
    static func package(id: UUID, institutionID: UUID, by actor: AuditActor, secrets: SealedSecrets, on database: any Database, catalog: Catalog, now: Date = Date()) async throws -> SubmissionPackage {
        guard let record = try await ReceivedQuestionnaireRecord.find(id, on: database), record.institutionID == institutionID else { throw WebError.notFound }
        guard record.state == State.approved.rawValue, let approvedAt = record.approvedAt else { throw stateError(record.state) }
        guard let institution = try await InstitutionRecord.find(institutionID, on: database) else { throw WebError.notFound }
        let entry = try entry(record)
        let approver = try await record.approvedBy.asyncMap { try await UserRecord.find($0, on: database) } ?? nil
        let responses = entry.response.answers.filter { !$0.value.isEmpty }.mapValues { SubmittedResponse(options: $0.selectedOptionIDs, freeText: ($0.freeText?.isEmpty ?? true) ? nil : $0.freeText) }
        let unsigned = SubmissionPackage(
            institution: SubmittingInstitution(id: institutionID, name: institution.name, typeCode: institution.institutionType, sizeBand: institution.sizeBand, region: institution.region),
            fiscalYear: record.fiscalYear, catalogVersion: catalog.version.id, kind: .questionnaire(id: record.code, version: record.version),
            submittedAt: now, approvedAt: approvedAt, approvedBy: approver?.displayName ?? "approver", payload: SubmissionPayload(responses: responses)
        )
        _ = try await InstitutionSigningKeys.current(institutionID: institutionID, by: actor, secrets: secrets, on: database)
        guard let key = try await InstitutionSigningKeys.privateKey(institutionID: institutionID, secrets: secrets, on: database) else { throw WebError.internalError }
        let signed = try SubmissionSigner.sign(unsigned, with: key)
        try await AuditTrail.event(
            "submission.exported", by: actor, target: ("received_questionnaire", id.uuidString),
            details: ["questionnaire": record.code, "version": String(record.version), "digest": try signed.contentDigest().hex], institutionID: institutionID, on: database
        )
        return signed
    }

    /// Takes the row's write lock first (an UPDATE that changes nothing), so that a save, a submission and an approval
    /// of the same questionnaire happen one after the other and each sees the state the previous one left.
    private static func lock(_ id: UUID, on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("UPDATE received_questionnaires SET updated_at = updated_at WHERE id = \(bind: id)").run()
    }

    static func stateError(_ state: String) -> WebError {
        let name = State(rawValue: state)?.name ?? LocalizedText(ja: state, en: state)
        return WebError(
            status: .conflict, title: LocalizedText(ja: "この操作はできません", en: "Not possible now"),
            detail: LocalizedText(ja: "調査票は現在「\(name.ja)」です。", en: "The questionnaire is \(name.en.lowercased()).")
        )
    }
}

/// Answers refused, every problem named by question.
struct ResponseInputError: Error {
    var problems: [ResponseProblem]
}
