import Fluent
import Foundation
import KamaeCore

struct StoredRemediationAction: Sendable {
    var id: UUID
    var action: RemediationAction
}

enum RemediationStore {
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
