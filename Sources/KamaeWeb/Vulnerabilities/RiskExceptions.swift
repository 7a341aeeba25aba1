import Fluent
import Foundation
import KamaeCore
import KamaeVulnerabilities
import SQLKit
import Vapor

/// A request to accept a finding's risk until a date, and management's decision on it.
struct StoredRiskException: Sendable {
    enum State: String, CaseIterable, Sendable {
        case requested, approved, rejected, expired, revoked

        var name: LocalizedText {
            switch self {
            case .requested: LocalizedText(ja: "承認待ち", en: "Awaiting approval")
            case .approved: LocalizedText(ja: "承認済（有効）", en: "Approved (in force)")
            case .rejected: LocalizedText(ja: "却下", en: "Rejected")
            case .expired: LocalizedText(ja: "期限切れ（再オープン）", en: "Expired (reopened)")
            case .revoked: LocalizedText(ja: "取消", en: "Revoked")
            }
        }
    }

    var id: UUID
    var findingID: UUID
    var reason: String
    var compensatingControls: String
    var expiry: ISODate
    var state: State
    var requestedBy: UUID?
    var requesterLogin: String?
    var requestedAt: Date
    var decidedBy: UUID?
    var deciderLogin: String?
    var decidedAt: Date?
    var decisionNote: String?
    /// For lists: which finding.
    var vulnerabilityID: String
    var componentLabel: String
    var systemLabel: String
}

/// §2.2.3: a risk that is not fixed is accepted only by management, with reasons, compensating controls and an end
/// date; when the date passes the finding is open again.
enum RiskExceptions {
    private static let columns = """
        e.id, e.finding_id, e.reason, e.compensating_controls, e.expiry, e.state, e.requested_by, e.requested_at, e.decided_by, e.decided_at, e.decision_note,
        f.vulnerability_id, f.component_label, f.system_label, ru.login AS requester_login, du.login AS decider_login
        """
    private static let from = """
        FROM finding_exceptions e JOIN findings f ON f.id = e.finding_id LEFT JOIN users ru ON ru.id = e.requested_by LEFT JOIN users du ON du.id = e.decided_by
        """

    private static func decode(_ row: any SQLRow) throws -> StoredRiskException {
        StoredRiskException(
            id: try row.decode(column: "id", as: UUID.self), findingID: try row.decode(column: "finding_id", as: UUID.self),
            reason: try row.decode(column: "reason", as: String.self), compensatingControls: try row.decode(column: "compensating_controls", as: String.self),
            expiry: ISODate(try row.decode(column: "expiry", as: String.self)) ?? ISODate(year: 1970, month: 1, day: 1),
            state: StoredRiskException.State(rawValue: try row.decode(column: "state", as: String.self)) ?? .requested,
            requestedBy: try row.decode(column: "requested_by", as: UUID?.self), requesterLogin: try row.decode(column: "requester_login", as: String?.self),
            requestedAt: try row.decode(column: "requested_at", as: Date.self), decidedBy: try row.decode(column: "decided_by", as: UUID?.self),
            deciderLogin: try row.decode(column: "decider_login", as: String?.self), decidedAt: try row.decode(column: "decided_at", as: Date?.self),
            decisionNote: try row.decode(column: "decision_note", as: String?.self), vulnerabilityID: try row.decode(column: "vulnerability_id", as: String.self),
            componentLabel: try row.decode(column: "component_label", as: String.self), systemLabel: try row.decode(column: "system_label", as: String.self)
        )
    }

    static func list(institutionID: UUID, state: StoredRiskException.State?, findingID: UUID? = nil, on database: any Database) async throws -> [StoredRiskException] {
        var statement: SQLQueryString = "SELECT \(unsafeRaw: columns) \(unsafeRaw: from) WHERE e.institution_id = \(bind: institutionID)"
        if let state { statement += " AND e.state = \(bind: state.rawValue)" }
        if let findingID { statement += " AND e.finding_id = \(bind: findingID)" }
        statement += " ORDER BY e.requested_at DESC"
        return try await (database as! any SQLDatabase).raw(statement).all().map(decode)
    }

    static func find(_ id: UUID, institutionID: UUID, on database: any Database) async throws -> StoredRiskException? {
        try await (database as! any SQLDatabase).raw("SELECT \(unsafeRaw: columns) \(unsafeRaw: from) WHERE e.id = \(bind: id) AND e.institution_id = \(bind: institutionID)").first().map(decode)
    }

    static func request(_ request: RiskExceptionRequest, findingID: UUID, institutionID: UUID, actor: AuditActor, on database: any Database) async throws -> UUID {
        let problems = request.problems(today: ISODate.today())
        guard problems.isEmpty else { throw RegisterRefusal(problems: problems.map { FieldProblem(field: $0.field, message: $0.message) }) }
        return try await database.transaction { database in
            try await DatabaseWrites.lock(database)
            guard let finding = try await VulnerabilityStore.finding(findingID, institutionID: institutionID, on: database) else { throw WebError.notFound }
            guard !finding.status.isClosed else {
                throw WebError.refusedParameter("finding", ja: "対応済・リスク受容済の指摘には例外を申請できません。", en: "the finding is already closed.")
            }
            let pending = try await list(institutionID: institutionID, state: .requested, findingID: findingID, on: database)
            guard pending.isEmpty else {
                throw WebError.refusedParameter("finding", ja: "承認待ちの例外申請が既にあります。", en: "an exception request is already awaiting approval.")
            }
            let id = UUID()
            try await (database as! any SQLDatabase).raw("""
                INSERT INTO finding_exceptions (id, institution_id, finding_id, reason, compensating_controls, expiry, state, requested_by, requested_at)
                VALUES (\(bind: id), \(bind: institutionID), \(bind: findingID), \(bind: request.reason.trimmingCharacters(in: .whitespacesAndNewlines)),
                \(bind: request.compensatingControls.trimmingCharacters(in: .whitespacesAndNewlines)), \(bind: request.expiry.description), 'requested', \(bind: actor.id), \(bind: Date()))
                """).run()
            try await AuditTrail.record("vulnerability.exception_requested", by: actor, target: ("finding_exceptions", id.uuidString), details: [
                "finding": findingID.uuidString, "vulnerability": finding.vulnerabilityID, "expiry": request.expiry.description, "reason": String(request.reason.prefix(500)),
            ], on: database)
            return id
        }
    }

    enum Decision: String, Sendable {
        case approve, reject, revoke
    }

    /// Management's decision. The requester never decides on their own request; approving accepts the finding's
    /// risk, revoking an approved exception opens the finding again.
    static func decide(_ decision: Decision, exceptionID: UUID, note: String?, institutionID: UUID, actor: AuditActor, on database: any Database) async throws {
        try await database.transaction { database in
            try await DatabaseWrites.lock(database)
            guard let exception = try await find(exceptionID, institutionID: institutionID, on: database),
                  let finding = try await VulnerabilityStore.finding(exception.findingID, institutionID: institutionID, on: database)
            else { throw WebError.notFound }
            if decision != .revoke, exception.requestedBy != nil, exception.requestedBy == actor.id {
                throw WebError.refusedParameter("decision", ja: "自分が申請した例外は承認・却下できません（職務の分離）。", en: "you cannot decide on your own request (separation of duties).")
            }
            let newState: StoredRiskException.State
            switch (decision, exception.state) {
            case (.approve, .requested): newState = .approved
            case (.reject, .requested): newState = .rejected
            case (.revoke, .approved): newState = .revoked
            default:
                throw WebError.refusedParameter("decision", ja: "この例外は「\(exception.state.name.ja)」のため、その操作はできません。", en: "the exception is \(exception.state.name.en.lowercased()); that decision is not possible.")
            }
            if decision == .approve && finding.status.isClosed {
                throw WebError.refusedParameter("decision", ja: "指摘は既に「\(finding.status.name.ja)」です。承認する必要はありません（却下してください）。", en: "the finding is already \(finding.status.name.en.lowercased()); reject the request instead.")
            }
            if decision == .approve && exception.expiry < ISODate.today() {
                throw WebError.refusedParameter("decision", ja: "有効期限を過ぎた申請は承認できません。", en: "the requested expiry has already passed.")
            }
            let trimmed = note?.trimmingCharacters(in: .whitespacesAndNewlines)
            try await (database as! any SQLDatabase).raw("""
                UPDATE finding_exceptions SET state = \(bind: newState.rawValue), decided_by = \(bind: actor.id), decided_at = \(bind: Date()),
                decision_note = \(bind: trimmed.map { String($0.prefix(2000)) }) WHERE id = \(bind: exceptionID)
                """).run()
            switch newState {
            case .approved:
                try await VulnerabilityStore.forceStatus(.accepted, of: finding, note: "risk accepted until \(exception.expiry)", on: database)
            case .revoked where finding.status == .accepted:
                try await VulnerabilityStore.forceStatus(.open, of: finding, note: "risk exception revoked", on: database)
            default: break
            }
            try await AuditTrail.record("vulnerability.exception_\(newState.rawValue)", by: actor, target: ("finding_exceptions", exceptionID.uuidString), details: [
                "finding": finding.id.uuidString, "vulnerability": finding.vulnerabilityID, "expiry": exception.expiry.description, "note": String((trimmed ?? "").prefix(500)),
            ], on: database)
        }
    }

    /// Approved exceptions whose end date has passed expire, and their findings open again. Run before any
    /// vulnerability view is shown, so nobody ever sees an expired acceptance as current.
    static func expire(institutionID: UUID, today: ISODate = .today(), on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let due = try await sql.raw("SELECT id FROM finding_exceptions WHERE institution_id = \(bind: institutionID) AND state = 'approved' AND expiry < \(bind: today.description)").first()
        guard due != nil else { return }
        try await database.transaction { database in
            try await DatabaseWrites.lock(database)
            for exception in try await list(institutionID: institutionID, state: .approved, on: database) where RiskExceptionRequest.isExpired(expiry: exception.expiry, today: today) {
                try await (database as! any SQLDatabase).raw("UPDATE finding_exceptions SET state = 'expired' WHERE id = \(bind: exception.id) AND state = 'approved'").run()
                if let finding = try await VulnerabilityStore.finding(exception.findingID, institutionID: institutionID, on: database), finding.status == .accepted {
                    try await VulnerabilityStore.forceStatus(.open, of: finding, note: "risk exception expired on \(exception.expiry)", on: database)
                }
                try await AuditTrail.record("vulnerability.exception_expired", by: .rule(institutionID: institutionID), target: ("finding_exceptions", exception.id.uuidString), details: [
                    "finding": exception.findingID.uuidString, "vulnerability": exception.vulnerabilityID, "expiry": exception.expiry.description,
                ], institutionID: institutionID, on: database)
            }
        }
    }
}

extension VulnerabilityStore {
    /// A state change made by a rule (an approved or expired exception), not by a person's choice of status.
    static func forceStatus(_ status: FindingStatus, of finding: StoredFinding, note: String, on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let today = ISODate.today()
        let closed = status.isClosed
        try await sql.raw("""
            UPDATE findings SET status = \(bind: status.rawValue), closed_on = \(bind: closed ? today.description : nil),
            closed_within_policy = \(bind: closed ? (today <= finding.deadline ? 1 : 0) : nil), note = \(bind: note), revision = revision + 1, updated_at = \(bind: Date())
            WHERE id = \(bind: finding.id)
            """).run()
    }
}
