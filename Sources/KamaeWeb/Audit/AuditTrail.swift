import Fluent
import Foundation
import KamaeTrust
import SQLKit
import Vapor

/// Who did something and from where, as the audit trail records it.
struct AuditActor: Sendable {
    var id: UUID?
    var login: String?
    var institutionID: UUID?
    var sourceAddress: String?
    var via: ChangeSource
    var apiTokenID: UUID? = nil

    static func cli(institutionID: UUID? = nil) -> AuditActor {
        AuditActor(id: nil, login: "kamae CLI", institutionID: institutionID, sourceAddress: nil, via: .cli)
    }

    /// Kamae itself applying a rule nobody had to trigger (an exception reaching its end date).
    static func rule(institutionID: UUID) -> AuditActor {
        AuditActor(id: nil, login: "kamae (rule)", institutionID: institutionID, sourceAddress: nil, via: .cli)
    }
}

extension Request {
    /// The signed-in person (if any) and the peer address of this request.
    var auditActor: AuditActor {
        let user = currentUser
        return AuditActor(
            id: user?.id, login: user?.login, institutionID: user?.institutionID,
            sourceAddress: clientAddress, via: user?.changeSource ?? .web, apiTokenID: user?.apiTokenID
        )
    }
}

/// Appends to the hash-chained audit trail. Call it inside the transaction of the change it records, so that the
/// change and its record are committed together or not at all.
enum AuditTrail {
    /// Appends one record. The head row is locked first (an UPDATE), which serialises appenders on PostgreSQL and
    /// takes SQLite's write lock, so two appends can never both claim the next sequence number.
    @discardableResult
    static func record(
        _ action: String, by actor: AuditActor, target: (type: String, id: String)? = nil, details: [String: String] = [:],
        institutionID: UUID? = nil, on database: any Database, now: Date = Date()
    ) async throws -> AuditRecord {
        let sql = database as! any SQLDatabase
        try await sql.raw("UPDATE audit_head SET sequence = sequence WHERE id = 1").run()
        let last = try await sql.raw("SELECT * FROM audit_log ORDER BY sequence DESC LIMIT 1").first().map(decode)
        var details = details
        if actor.via != .web { details["via"] = actor.via.rawValue }
        if let token = actor.apiTokenID { details["api_token"] = token.uuidString }
        let entry = AuditEntry(
            occurredAt: now, action: action, institutionID: institutionID ?? actor.institutionID, actorID: actor.id, actorLogin: actor.login,
            targetType: target?.type, targetID: target?.id, details: details, sourceAddress: actor.sourceAddress
        )
        let record = try AuditChain.append(entry, after: last)
        try await sql.insert(into: "audit_log")
            .columns("sequence", "occurred_at_ms", "institution_id", "actor_id", "actor_login", "action", "target_type", "target_id", "details", "source_address", "previous_hash", "hash")
            .values(
                SQLBind(record.sequence), SQLBind(record.occurredAtMilliseconds), SQLBind(record.institutionID), SQLBind(record.actorID),
                SQLBind(record.actorLogin), SQLBind(record.action), SQLBind(record.targetType), SQLBind(record.targetID), SQLBind(record.details),
                SQLBind(record.sourceAddress), SQLBind(record.previousHash.hex), SQLBind(record.hash.hex)
            )
            .run()
        try await sql.raw("UPDATE audit_head SET sequence = \(bind: record.sequence), hash = \(bind: record.hash.hex) WHERE id = 1").run()
        return record
    }

    /// Records an event that changes nothing else (a sign-in, a failure, an export) in a transaction of its own.
    static func event(
        _ action: String, by actor: AuditActor, target: (type: String, id: String)? = nil, details: [String: String] = [:],
        institutionID: UUID? = nil, on database: any Database
    ) async throws {
        _ = try await database.transaction { database in
            try await record(action, by: actor, target: target, details: details, institutionID: institutionID, on: database)
        }
    }

    static func decode(_ row: any SQLRow) throws -> AuditRecord {
        guard let previous = AuditHash(hex: try row.decode(column: "previous_hash", as: String.self)),
              let hash = AuditHash(hex: try row.decode(column: "hash", as: String.self))
        else { throw AuditStorageError.malformedHash(sequence: try row.decode(column: "sequence", as: Int64.self)) }
        return AuditRecord(
            sequence: try row.decode(column: "sequence", as: Int64.self),
            occurredAt: Date(timeIntervalSince1970: Double(try row.decode(column: "occurred_at_ms", as: Int64.self)) / 1000),
            institutionID: try row.decode(column: "institution_id", as: UUID?.self), actorID: try row.decode(column: "actor_id", as: UUID?.self),
            actorLogin: try row.decode(column: "actor_login", as: String?.self), action: try row.decode(column: "action", as: String.self),
            targetType: try row.decode(column: "target_type", as: String?.self), targetID: try row.decode(column: "target_id", as: String?.self),
            details: try row.decode(column: "details", as: String.self), sourceAddress: try row.decode(column: "source_address", as: String?.self),
            previousHash: previous, hash: hash
        )
    }
}

enum AuditStorageError: Error, CustomStringConvertible {
    case malformedHash(sequence: Int64)

    var description: String {
        switch self {
        case let .malformedHash(sequence): "audit record \(sequence): a stored hash is not 64 hexadecimal digits (the row was altered)"
        }
    }
}
