import Foundation
import KamaeTrust

/// Chains for the audit tests: varied contents (Japanese text, absent and empty values, controls in details).
enum AuditFixtures {
    static let start = Date(timeIntervalSince1970: 1_743_500_000.123)
    static let institution = UUID(uuidString: "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0")!
    static let actions = ["session.login.succeeded", "answer.updated", "assessment.exported", "evidence.file_added"]
    static let logins: [String?] = [nil, "", "sato", "佐藤 花子", "admin@example.jp"]
    static let targetIDs: [String?] = [nil, "", "2.3.1", "項目-7", "a\"b\\c"]
    static let addresses: [String?] = [nil, "192.0.2.10", "2001:db8::1"]

    /// The entry for position `index`, deterministic for a given generator state.
    static func entry(_ index: Int, using random: inout SeededRandom) -> AuditEntry {
        AuditEntry(
            occurredAt: start.addingTimeInterval(Double(index) * 61.001 + Double(random.next() % 1000) / 1000),
            action: actions.randomElement(using: &random)!,
            institutionID: Bool.random(using: &random) ? institution : nil,
            actorID: Bool.random(using: &random) ? UUID(uuidString: String(format: "00000000-0000-4000-8000-%012llx", random.next() % 1_000_000))! : nil,
            actorLogin: logins.randomElement(using: &random)!,
            targetType: Bool.random(using: &random) ? "answer" : nil,
            targetID: targetIDs.randomElement(using: &random)!,
            details: Bool.random(using: &random) ? [:] : ["旧": "いいえ", "新": "はい\n（理由：更新）", "n": String(index)],
            sourceAddress: addresses.randomElement(using: &random)!)
    }

    static func chain(count: Int, seed: UInt64 = 1) -> [AuditRecord] {
        var random = SeededRandom(seed: seed)
        var records: [AuditRecord] = []
        for index in 0..<count {
            records.append(try! AuditChain.append(entry(index, using: &random), after: records.last))
        }
        return records
    }

    /// A record with one stored field replaced and its stored hash kept (so: not recomputed).
    static func replacing(
        _ record: AuditRecord, sequence: Int64? = nil, occurredAt: Date? = nil, institutionID: UUID?? = nil,
        actorID: UUID?? = nil, actorLogin: String?? = nil, action: String? = nil, targetType: String?? = nil,
        targetID: String?? = nil, details: String? = nil, sourceAddress: String?? = nil,
        previousHash: AuditHash? = nil, hash: AuditHash? = nil
    ) -> AuditRecord {
        AuditRecord(
            sequence: sequence ?? record.sequence, occurredAt: occurredAt ?? record.occurredAt,
            institutionID: institutionID ?? record.institutionID, actorID: actorID ?? record.actorID,
            actorLogin: actorLogin ?? record.actorLogin, action: action ?? record.action,
            targetType: targetType ?? record.targetType, targetID: targetID ?? record.targetID,
            details: details ?? record.details, sourceAddress: sourceAddress ?? record.sourceAddress,
            previousHash: previousHash ?? record.previousHash, hash: hash ?? record.hash)
    }

    /// The record with its stored hash recomputed, as an attacker with database access would.
    static func rehashed(_ record: AuditRecord) -> AuditRecord {
        replacing(record, hash: record.computedHash)
    }

    /// Every single-field edit of a record that changes its contents, named for messages.
    static func fieldEdits(of record: AuditRecord) -> [(field: String, edited: AuditRecord)] {
        [
            ("occurredAt", replacing(record, occurredAt: record.occurredAt.addingTimeInterval(0.001))),
            ("institutionID", replacing(record, institutionID: .some(record.institutionID == nil ? institution : nil))),
            ("actorID", replacing(record, actorID: .some(record.actorID == nil ? institution : nil))),
            ("actorLogin", replacing(record, actorLogin: .some(record.actorLogin == nil ? "" : nil))),
            ("actorLogin text", replacing(record, actorLogin: .some((record.actorLogin ?? "") + "x"))),
            ("action", replacing(record, action: record.action + "_x")),
            ("targetType", replacing(record, targetType: .some(record.targetType == nil ? "assessment" : nil))),
            ("targetID", replacing(record, targetID: .some((record.targetID ?? "") + "1"))),
            ("details", replacing(record, details: "{\"forged\":\"yes\"}")),
            ("sourceAddress", replacing(record, sourceAddress: .some(record.sourceAddress == nil ? "203.0.113.5" : nil))),
        ]
    }
}
