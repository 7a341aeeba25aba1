import Fluent
import SQLKit
import Foundation
import KamaeCore
import Vapor

/// One assessment row without its answers.
struct AssessmentHeader: Sendable {
    var id: UUID
    var institutionID: UUID
    var fiscalYear: Int
    var catalogVersion: String
    var state: AssessmentState
    var submittedBy: UUID?
    var updatedAt: Date
    var answersStamp: String
}

/// An assessment with its answers, as pages and the API use it.
struct LoadedAssessment: Sendable {
    var id: UUID
    var institutionID: UUID
    var year: Int
    var catalogVersion: String
    var state: AssessmentState
    var submittedBy: UUID?
    var answers: [String: Answer]
    /// Current revision per item (0 for items never saved), for optimistic locking.
    var revisions: [String: Int]
    var updatedAt: Date
    /// Names the stored answers' content (see AnswerCache): equal stamps, equal answers.
    var answersStamp: String
}

struct AssessmentSummary: Sendable {
    var year: Int
    var state: AssessmentState
    var score: AssessmentScore
    var updatedAt: Date
}

/// Where a change came from, for the history.
enum ChangeSource: String, Sendable {
    case web, api, cli

    /// Who to show in the history when no user is recorded.
    static func label(_ raw: String) -> String {
        raw == ChangeSource.cli.rawValue ? "kamae CLI" : raw
    }
}

/// Someone else saved the item after this form was loaded; nothing was overwritten.
struct AnswerConflict: Error, Sendable {
    var itemID: String
    var current: Answer
    var currentRevision: Int
}

/// Reads and writes assessments. Every query is scoped to one institution: callers pass the signed-in user's.
enum AssessmentStore {
    static func list(institutionID: UUID, catalog: Catalog, on database: any Database) async throws -> [AssessmentSummary] {
        try await summaries(of: records(institutionID: institutionID, on: database), catalog: catalog, on: database)
    }

    /// Every assessment of the institution, newest year first.
    static func records(institutionID: UUID, on database: any Database) async throws -> [AssessmentHeader] {
        try await headers(institutionID: institutionID, on: database)
    }

    /// Assessment rows read with SQLKit into plain values: this runs on every assessment page and API call, where
    /// hydrating Fluent models (reflection) cost more than the query.
    static func headers(
        institutionID: UUID, year: Int? = nil, before: Int? = nil, on database: any Database
    ) async throws -> [AssessmentHeader] {
        var query = (database as! any SQLDatabase).select()
            .columns("id", "institution_id", "fiscal_year", "catalog_version", "state", "submitted_by", "updated_at", "answers_stamp")
            .from(AssessmentRecord.schema)
            .where("institution_id", .equal, institutionID)
        if let year { query = query.where("fiscal_year", .equal, year) }
        if let before { query = query.where("fiscal_year", .lessThan, before) }
        return try await query.orderBy("fiscal_year", .descending).all().map { row in
            AssessmentHeader(
                id: try row.decode(column: "id", as: UUID.self), institutionID: try row.decode(column: "institution_id", as: UUID.self),
                fiscalYear: try row.decode(column: "fiscal_year", as: Int.self), catalogVersion: try row.decode(column: "catalog_version", as: String.self),
                state: AssessmentState(rawValue: try row.decode(column: "state", as: String.self)) ?? .draft,
                submittedBy: try row.decode(column: "submitted_by", as: UUID?.self), updatedAt: try row.decode(column: "updated_at", as: Date.self),
                answersStamp: try row.decode(column: "answers_stamp", as: String.self)
            )
        }
    }

    static func summaries(of records: [AssessmentHeader], catalog: Catalog, on database: any Database) async throws -> [AssessmentSummary] {
        let entries = try await cachedAnswers(of: records, on: database)
        return records.map { record in
            let id = record.id
            let entry = entries[id]
            let score = entry?.score ?? Scoring.score(catalog: catalog, answers: entry?.answers ?? [:])
            if entry?.score == nil { AnswerCache.shared.storeScore(score, for: id, stamp: record.answersStamp) }
            return AssessmentSummary(
                year: record.fiscalYear, state: record.state, score: score, updatedAt: record.updatedAt
            )
        }
    }

    /// The answers of these assessments: from the cache where the stamp still matches, the rest in one query.
    static func cachedAnswers(of records: [AssessmentHeader], on database: any Database) async throws -> [UUID: AnswerCache.Entry] {
        var entries: [UUID: AnswerCache.Entry] = [:]
        var missing: [UUID: String] = [:]
        for record in records {
            let id = record.id
            if let entry = AnswerCache.shared.entry(id, stamp: record.answersStamp) {
                entries[id] = entry
            } else {
                missing[id] = record.answersStamp
            }
        }
        guard !missing.isEmpty else { return entries }
        let rows = try await answerRows(of: Array(missing.keys), on: database)
        let byAssessment = Dictionary(grouping: rows, by: \.assessmentID)
        for (id, stamp) in missing {
            let rows = byAssessment[id] ?? []
            let entry = AnswerCache.Entry(
                stamp: stamp,
                answers: Dictionary(rows.map { ($0.itemID, $0.answer) }, uniquingKeysWith: { first, _ in first }),
                revisions: Dictionary(rows.map { ($0.itemID, $0.revision) }, uniquingKeysWith: { first, _ in first })
            )
            AnswerCache.shared.store(entry, for: id)
            entries[id] = entry
        }
        return entries
    }

    static func find(institutionID: UUID, year: Int, on database: any Database) async throws -> AssessmentHeader? {
        try await headers(institutionID: institutionID, year: year, on: database).first
    }

    static func load(institutionID: UUID, year: Int, on database: any Database) async throws -> LoadedAssessment {
        guard let record = try await find(institutionID: institutionID, year: year, on: database) else { throw WebError.notFound }
        return try await load(record, on: database)
    }

    static func load(_ record: AssessmentHeader, on database: any Database) async throws -> LoadedAssessment {
        let entry = try await cachedAnswers(of: [record], on: database)[record.id]
        return LoadedAssessment(
            id: record.id, institutionID: record.institutionID, year: record.fiscalYear, catalogVersion: record.catalogVersion,
            state: record.state, submittedBy: record.submittedBy, answers: entry?.answers ?? [:], revisions: entry?.revisions ?? [:],
            updatedAt: record.updatedAt, answersStamp: record.answersStamp
        )
    }

    static func answers(of assessmentID: UUID, on database: any Database) async throws -> [String: (answer: Answer, revision: Int)] {
        let rows = try await answerRows(of: [assessmentID], on: database)
        return Dictionary(rows.map { ($0.itemID, ($0.answer, $0.revision)) }, uniquingKeysWith: { first, _ in first })
    }

    /// Answers read as plain rows with SQLKit: the hot path of every page and API call, where hydrating Fluent
    /// models cost most of the time.
    static func answerRows(of assessmentIDs: [UUID], on database: any Database) async throws -> [AnswerRow] {
        guard !assessmentIDs.isEmpty else { return [] }
        guard let sql = database as? any SQLDatabase else {
            return try await AnswerRecord.query(on: database).filter(\.$assessmentID ~~ assessmentIDs).all().map(AnswerRow.init)
        }
        return try await sql.select()
            .columns("assessment_id", "item_id", "status", "maturity", "not_applicable_reason", "evidence_text", "owner", "target_date", "revision")
            .from(AnswerRecord.schema)
            .where("assessment_id", .in, assessmentIDs)
            .all(decoding: AnswerRow.self)
    }

    /// The latest assessment before `year`, if any: the one a new year carries forward and compares with.
    static func previous(institutionID: UUID, before year: Int, on database: any Database) async throws -> AssessmentHeader? {
        try await headers(institutionID: institutionID, before: year, on: database).first
    }

    /// Starts a year as a draft, carrying forward last year's answers.
    static func create(institutionID: UUID, year: Int, catalog: Catalog, by actor: AuditActor, on database: any Database, now: Date = Date()) async throws -> AssessmentRecord {
        guard (2000...2100).contains(year) else {
            throw WebError.invalidParameter("year", ja: "2000〜2100 の年度を指定してください。", en: "must be a fiscal year from 2000 to 2100.")
        }
        if try await find(institutionID: institutionID, year: year, on: database) != nil {
            throw WebError(
                status: .conflict, title: LocalizedText(ja: "既に存在します", en: "Already exists"),
                detail: LocalizedText(ja: "\(year) 年度の自己評価は既にあります。", en: "The \(year) self-assessment already exists."), parameter: "year"
            )
        }
        return try await database.transaction { database in
            let record = AssessmentRecord()
            record.institutionID = institutionID
            record.fiscalYear = year
            record.catalogVersion = catalog.version.id
            record.state = AssessmentState.draft.rawValue
            record.createdAt = now
            record.updatedAt = now
            record.answersStamp = AnswerCache.newStamp()
            try await record.create(on: database)
            if let previous = try await previous(institutionID: institutionID, before: year, on: database) {
                for (itemID, stored) in try await answers(of: previous.id, on: database) where catalog.item(id: itemID) != nil {
                    let answer = AnswerRecord()
                    answer.assessmentID = try record.requireID()
                    answer.apply(stored.answer)
                    answer.revision = 1
                    answer.updatedBy = actor.id
                    answer.updatedAt = now
                    try await answer.create(on: database)
                }
            }
            try await AuditTrail.record(
                "assessment.created", by: actor, target: ("assessment", String(year)), details: ["fiscal_year": String(year)],
                institutionID: institutionID, on: database, now: now
            )
            return record
        }
    }

    /// Saves one answer if nobody changed it since `expectedRevision`, recording every changed field.
    static func save(
        _ answer: Answer, expectedRevision: Int?, in assessment: LoadedAssessment, by actor: AuditActor, catalog: Catalog,
        on database: any Database, now: Date = Date()
    ) async throws -> Int {
        guard assessment.state.acceptsAnswers else { throw WebError.locked(assessment.state) }
        let problems = AnswerRules.problems(in: answer, catalog: catalog)
        if let first = problems.first { throw WebError.invalidAnswer(first, all: problems) }
        return try await database.transaction { database in
            try await write(answer, expectedRevision: expectedRevision, assessmentID: assessment.id, by: actor, on: database, now: now)
        }
    }

    /// Writes one answer inside the caller's transaction. `expectedRevision` nil overwrites (imports).
    static func write(
        _ answer: Answer, expectedRevision: Int?, assessmentID: UUID, by actor: AuditActor, on database: any Database, now: Date
    ) async throws -> Int {
        let existing = try await AnswerRecord.query(on: database)
            .filter(\.$assessmentID == assessmentID).filter(\.$itemID == answer.itemID).first()
        let currentRevision = existing?.revision ?? 0
        let before = existing?.answer ?? Answer(itemID: answer.itemID)
        if let expectedRevision, currentRevision != expectedRevision {
            throw AnswerConflict(itemID: answer.itemID, current: before, currentRevision: currentRevision)
        }
        let changes = AnswerFields.changed(from: before, to: answer)
        guard !changes.isEmpty else { return currentRevision }
        let record = existing ?? AnswerRecord()
        if existing == nil { record.assessmentID = assessmentID }
        record.apply(answer)
        record.revision = currentRevision + 1
        record.updatedBy = actor.id
        record.updatedAt = now
        try await record.save(on: database)
        try await historyRecords(changes, itemID: answer.itemID, assessmentID: assessmentID, actor: actor.id, via: actor.via, now: now).create(on: database)
        try await answersChanged(assessmentID, on: database, now: now)
        try await AuditTrail.record(
            "answer.updated", by: actor, target: ("answer", "\(assessmentID)/\(answer.itemID)"),
            details: Dictionary(uniqueKeysWithValues: changes.map { ($0.field, "\($0.old ?? "") → \($0.new ?? "")".prefix(200).description) } + [("revision", String(record.revision))]),
            on: database, now: now
        )
        return record.revision
    }

    /// Overwrites many answers inside the caller's transaction (imports) in a fixed number of statements, whatever
    /// the number of changes: one read of the stored answers, one delete of the changed rows, one multi-row insert
    /// of their new versions (same ids), one batch of history rows. Returns how many answers changed.
    static func writeMany(
        _ answers: [Answer], assessmentID: UUID, by actor: AuditActor, on database: any Database, now: Date
    ) async throws -> Int {
        let stored = try await AnswerRecord.query(on: database).filter(\.$assessmentID == assessmentID).all()
        let byItem = Dictionary(stored.map { ($0.itemID, $0) }, uniquingKeysWith: { first, _ in first })
        var history: [AnswerChangeRecord] = []
        var replaced: [UUID] = []
        var written: [String: AnswerRecord] = [:]
        for answer in answers {
            let existing = written[answer.itemID] ?? byItem[answer.itemID]
            let changes = AnswerFields.changed(from: existing?.answer ?? Answer(itemID: answer.itemID), to: answer)
            guard !changes.isEmpty else { continue }
            if let id = existing?.id, written[answer.itemID] == nil { replaced.append(id) }
            let record = AnswerRecord()
            record.id = existing?.id ?? UUID()
            record.assessmentID = assessmentID
            record.apply(answer)
            record.revision = (existing?.revision ?? 0) + 1
            record.updatedBy = actor.id
            record.updatedAt = now
            written[answer.itemID] = record
            history += historyRecords(changes, itemID: answer.itemID, assessmentID: assessmentID, actor: actor.id, via: actor.via, now: now)
        }
        if !written.isEmpty {
            if !replaced.isEmpty {
                try await AnswerRecord.query(on: database).filter(\.$id ~~ replaced).delete()
            }
            try await Array(written.values).create(on: database)
            try await history.create(on: database)
            try await answersChanged(assessmentID, on: database, now: now)
        }
        // Recorded also when nothing changed: who imported what, and when, is a security event in itself.
        try await AuditTrail.record(
            "answers.imported", by: actor, target: ("assessment", assessmentID.uuidString),
            details: ["answers_changed": String(written.count), "items": written.keys.sorted().joined(separator: " ").prefix(2000).description],
            on: database, now: now
        )
        return written.count
    }

    /// Every answer write ends here, inside its transaction: the new stamp tells every reader's cache to reload.
    /// The state is checked here, inside the write's transaction, not only on the copy read before it: an import
    /// validated while the assessment was a draft cannot land after it was approved.
    static func answersChanged(_ assessmentID: UUID, on database: any Database, now: Date) async throws {
        let editable = AssessmentState.allCases.filter(\.acceptsAnswers).map(\.rawValue)
        let updated = try await (database as! any SQLDatabase).update(AssessmentRecord.schema)
            .set("updated_at", to: now).set("answers_stamp", to: AnswerCache.newStamp())
            .where("id", .equal, assessmentID).where("state", .in, editable)
            .returning("state").first()
        guard updated != nil else {
            let state = try await AssessmentRecord.find(assessmentID, on: database).flatMap { AssessmentState(rawValue: $0.state) } ?? .approved
            throw WebError.locked(state)
        }
    }

    /// One history row per changed field: who, when, how, old → new.
    static func historyRecords(
        _ changes: [AnswerFields.Change], itemID: String, assessmentID: UUID, actor: UUID?, via: ChangeSource, now: Date
    ) -> [AnswerChangeRecord] {
        changes.map { change in
            let row = AnswerChangeRecord()
            row.assessmentID = assessmentID
            row.itemID = itemID
            row.field = change.field
            row.oldValue = change.old
            row.newValue = change.new
            row.changedBy = actor
            row.via = via.rawValue
            row.changedAt = now
            return row
        }
    }

    /// Moves the assessment through its workflow, recording who did it and why.
    static func transition(
        _ assessment: LoadedAssessment, action: WorkflowAction, actor: CurrentUser, audit: AuditActor, reason: String?, on database: any Database, now: Date = Date()
    ) async throws -> AssessmentState {
        let outcome = Workflow.next(
            from: assessment.state, action: action, role: actor.role, actor: actor.id.uuidString,
            submittedBy: assessment.submittedBy?.uuidString, reason: reason
        )
        let next: AssessmentState
        switch outcome {
        case let .success(state): next = state
        case let .failure(refusal): throw WebError.workflow(refusal)
        }
        try await database.transaction { database in
            // Claim the step first, atomically: of two steps from the same state (an approval and a return at the
            // same moment) exactly one goes through.
            let claimed = try await (database as! any SQLDatabase).update(AssessmentRecord.schema)
                .set("state", to: next.rawValue).where("id", .equal, assessment.id).where("state", .equal, assessment.state.rawValue)
                .returning("id").first()
            guard claimed != nil, let record = try await AssessmentRecord.find(assessment.id, on: database) else {
                throw WebError(
                    status: .conflict, title: LocalizedText(ja: "状態が変わりました", en: "State changed"),
                    detail: LocalizedText(ja: "ほかの人が先に状態を変更しました。ページを再読み込みしてください。", en: "Someone changed the state first. Reload the page.")
                )
            }
            record.state = next.rawValue
            record.updatedAt = now
            switch action {
            case .submit:
                record.submittedBy = actor.id
                record.submittedAt = now
                record.approvedBy = nil
                record.approvedAt = nil
            case .approve:
                record.approvedBy = actor.id
                record.approvedAt = now
            case .returnForRevision, .reopen:
                record.approvedBy = nil
                record.approvedAt = nil
            }
            try await record.save(on: database)
            let event = AssessmentEventRecord()
            event.assessmentID = assessment.id
            event.action = action.rawValue
            event.fromState = assessment.state.rawValue
            event.toState = next.rawValue
            event.actorID = actor.id
            event.reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
            event.occurredAt = now
            try await event.create(on: database)
            try await AuditTrail.record(
                "assessment.\(action.rawValue)", by: audit, target: ("assessment", String(assessment.year)),
                details: ["from": assessment.state.rawValue, "to": next.rawValue, "reason": event.reason ?? ""], on: database, now: now
            )
        }
        return next
    }
}

/// One stored answer as a plain value.
struct AnswerRow: Decodable, Sendable {
    var assessmentID: UUID
    var itemID: String
    var status: String?
    var maturity: Int?
    var notApplicableReason: String?
    var evidenceText: String?
    var owner: String?
    var targetDate: String?
    var revision: Int

    enum CodingKeys: String, CodingKey {
        case status, maturity, owner, revision
        case assessmentID = "assessment_id", itemID = "item_id", notApplicableReason = "not_applicable_reason"
        case evidenceText = "evidence_text", targetDate = "target_date"
    }

    init(_ record: AnswerRecord) {
        assessmentID = record.assessmentID
        itemID = record.itemID
        status = record.status
        maturity = record.maturity
        notApplicableReason = record.notApplicableReason
        evidenceText = record.evidenceText
        owner = record.owner
        targetDate = record.targetDate
        revision = record.revision
    }

    var answer: Answer {
        Answer(
            itemID: itemID, status: status.flatMap(AnswerStatus.init(rawValue:)), maturity: maturity.flatMap(MaturityLevel.init(rawValue:)),
            notApplicableReason: notApplicableReason, evidenceText: evidenceText, owner: owner, targetDate: targetDate
        )
    }
}

extension Request {
    /// The assessment of the `:year` in the path, always of the signed-in user's own institution.
    func assessmentOfUserInstitution(_ user: CurrentUser) async throws -> LoadedAssessment {
        guard let year = parameters.get("year", as: Int.self) else { throw WebError.notFound }
        return try await AssessmentStore.load(institutionID: user.institutionID, year: year, on: db)
    }
}

extension AnswerRecord {
    var answer: Answer { AnswerRow(self).answer }

    func apply(_ answer: Answer) {
        itemID = answer.itemID
        status = answer.status?.rawValue
        maturity = answer.maturity?.rawValue
        notApplicableReason = answer.notApplicableReason?.nilIfEmpty
        evidenceText = answer.evidenceText?.nilIfEmpty
        owner = answer.owner?.nilIfEmpty
        targetDate = answer.targetDate?.nilIfEmpty
    }
}

/// The fields of an answer that the history records, with their stored text.
enum AnswerFields {
    struct Change: Sendable, Equatable {
        var field: String
        var old: String?
        var new: String?
    }

    static func values(_ answer: Answer) -> [(String, String?)] {
        [
            ("status", answer.status?.rawValue), ("maturity", answer.maturity.map { String($0.rawValue) }),
            ("not_applicable_reason", answer.notApplicableReason?.nilIfEmpty), ("evidence_text", answer.evidenceText?.nilIfEmpty),
            ("owner", answer.owner?.nilIfEmpty), ("target_date", answer.targetDate?.nilIfEmpty),
        ]
    }

    static func changed(from old: Answer, to new: Answer) -> [Change] {
        zip(values(old), values(new)).compactMap { before, after in
            before.1 == after.1 ? nil : Change(field: before.0, old: before.1, new: after.1)
        }
    }
}

extension String {
    var nilIfEmpty: String? {
        trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : self
    }
}

extension WebError {
    static func locked(_ state: AssessmentState) -> WebError {
        WebError(
            status: .conflict, title: LocalizedText(ja: "編集できません", en: "Not editable"),
            detail: LocalizedText(
                ja: "「\(state.name.ja)」の自己評価は編集できません。\(state == .approved ? "管理者による再オープンが必要です。" : "承認者の判断を待ってください。")",
                en: "A self-assessment that is \(state.name.en.lowercased()) cannot be edited.\(state == .approved ? " An administrator must reopen it." : " Wait for the approver.")"
            )
        )
    }

    static func invalidAnswer(_ problem: AnswerProblem, all: [AnswerProblem]) -> WebError {
        WebError(
            status: .unprocessableEntity, title: LocalizedText(ja: "入力内容を確認してください", en: "Check the answer"),
            detail: LocalizedText(ja: all.map { "\($0.field): \($0.message.ja)" }.joined(separator: " "), en: all.map { "\($0.field): \($0.message.en)" }.joined(separator: " ")),
            parameter: problem.field
        )
    }

    static func workflow(_ refusal: WorkflowRefusal) -> WebError {
        let status: HTTPResponseStatus = switch refusal {
        case .notAllowedForRole, .approverIsSubmitter: .forbidden
        case .wrongState: .conflict
        case .reasonRequired: .unprocessableEntity
        }
        return WebError(
            status: status, title: LocalizedText(ja: "この操作はできません", en: "Not possible"), detail: refusal.message,
            parameter: { if case .reasonRequired = refusal { return "reason" } else { return nil } }()
        )
    }
}
