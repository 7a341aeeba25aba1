import Fluent
import Foundation
import KamaeCore

struct StoredRemediationAction: Sendable {
    var id: UUID
    var action: RemediationAction
}

enum RemediationStore {
    static func create(_ action: RemediationAction, institutionID: UUID, actor: AuditActor, on database: any Database) async throws -> UUID {
        let record = RemediationActionRecord()
        record.institutionID = institutionID
        record.title = action.title
        record.owner = action.owner
        record.dueDate = action.dueDate.description
        record.status = action.status.rawValue
        record.itemIDs = action.itemIDs.joined(separator: ",")
        record.createdAt = Date()
        record.updatedAt = Date()
        try await database.transaction { database in
            try await record.create(on: database)
            try await AuditTrail.record(
                "remediation.created", by: actor, target: ("remediation", try record.requireID().uuidString),
                details: ["title": action.title, "due_date": action.dueDate.description, "status": action.status.rawValue, "items": record.itemIDs], on: database
            )
        }
        return try record.requireID()
    }

    /// Changes an action's status; nil when the institution has no such action.
    @discardableResult
    static func setStatus(_ status: RemediationStatus, of id: UUID, institutionID: UUID, actor: AuditActor, on database: any Database) async throws -> UUID? {
        guard let record = try await RemediationActionRecord.query(on: database).filter(\.$id == id).filter(\.$institutionID == institutionID).first() else { return nil }
        let previous = record.status
        record.status = status.rawValue
        record.updatedAt = Date()
        try await database.transaction { database in
            try await record.save(on: database)
            try await AuditTrail.record("remediation.updated", by: actor, target: ("remediation", id.uuidString), details: ["status": "\(previous) → \(status.rawValue)"], on: database)
        }
        return id
    }

    static func list(institutionID: UUID, on database: any Database) async throws -> [StoredRemediationAction] {
        try await RemediationActionRecord.query(on: database)
            .filter(\.$institutionID == institutionID).sort(\.$dueDate).all()
            .compactMap { record in
                guard let id = record.id, let due = ISODate(record.dueDate), let status = RemediationStatus(rawValue: record.status) else { return nil }
                let items = record.itemIDs.split(separator: ",").map(String.init)
                return StoredRemediationAction(id: id, action: RemediationAction(title: record.title, owner: record.owner, dueDate: due, status: status, itemIDs: items))
            }
    }
}
