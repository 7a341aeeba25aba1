import Foundation

/// What happened, before it is given its place in the chain.
public struct AuditEntry: Hashable, Sendable {
    public var occurredAt: Date
    public var institutionID: UUID?
    public var actorID: UUID?
    public var actorLogin: String?
    public var action: String
    public var targetType: String?
    public var targetID: String?
    public var details: [String: String]
    public var sourceAddress: String?

    public init(
        occurredAt: Date, action: String, institutionID: UUID? = nil, actorID: UUID? = nil, actorLogin: String? = nil,
        targetType: String? = nil, targetID: String? = nil, details: [String: String] = [:], sourceAddress: String? = nil
    ) {
        self.occurredAt = occurredAt
        self.institutionID = institutionID
        self.actorID = actorID
        self.actorLogin = actorLogin
        self.action = action
        self.targetType = targetType
        self.targetID = targetID
        self.details = details
        self.sourceAddress = sourceAddress
    }
}

/// Why an entry cannot join the chain.
public enum AuditEntryError: Error, Equatable, Sendable {
    /// Not a dotted code: lowercase segments of `a-z`, `0-9` and `_`, each starting with a letter, two or more.
    case invalidAction(String)
    /// Outside years 0001...9999, which the export's timestamps cannot write.
    case occurredAtOutOfRange

    public var english: String {
        switch self {
        case .invalidAction(let action): "“\(action)” is not a dotted audit action code such as answer.updated."
        case .occurredAtOutOfRange: "The time of an audit entry must lie between the years 0001 and 9999."
        }
    }

    public var japanese: String {
        switch self {
        case .invalidAction(let action): "「\(action)」は answer.updated のようなドット区切りの監査アクションコードではありません。"
        case .occurredAtOutOfRange: "監査ログの日時は 0001 年から 9999 年の範囲で指定してください。"
        }
    }
}

/// Builds the chain: pure, so the storage layer decides how "the last record" is read and the new one written
/// (in one transaction that serialises appends, or two writers would both claim the same sequence).
public enum AuditChain {
    /// The record that follows `last` (or starts the chain when `last` is nil): sequence + 1, linked to its hash.
    public static func append(_ entry: AuditEntry, after last: AuditRecord?) throws(AuditEntryError) -> AuditRecord {
        guard isValidAction(entry.action) else { throw .invalidAction(entry.action) }
        let milliseconds = UTCTimestamp.ticks(of: entry.occurredAt, fractionDigits: 3)
        guard UTCTimestamp.format(ticks: milliseconds, fractionDigits: 3) != nil else { throw .occurredAtOutOfRange }
        // The stored hash is not part of the encoding, so a placeholder serves until the real one is computed.
        let unhashed = AuditRecord(
            sequence: (last?.sequence ?? 0) + 1, occurredAtMilliseconds: milliseconds, institutionID: entry.institutionID,
            actorID: entry.actorID, actorLogin: entry.actorLogin, action: entry.action, targetType: entry.targetType,
            targetID: entry.targetID, details: AuditDetails.canonicalJSON(entry.details),
            sourceAddress: entry.sourceAddress, previousHash: last?.hash ?? .genesis, hash: .genesis)
        return unhashed.withHash(unhashed.computedHash)
    }

    public static func isValidAction(_ action: String) -> Bool {
        let segments = action.split(separator: ".", omittingEmptySubsequences: false)
        return segments.count >= 2
            && segments.allSatisfy { segment in
                guard let first = segment.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else {
                    return false
                }
                return segment.utf8.allSatisfy { byte in
                    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
                }
            }
    }
}

extension AuditRecord {
    /// The same record with another stored hash.
    func withHash(_ hash: AuditHash) -> AuditRecord {
        AuditRecord(
            sequence: sequence, occurredAtMilliseconds: occurredAtMilliseconds, institutionID: institutionID, actorID: actorID,
            actorLogin: actorLogin, action: action, targetType: targetType, targetID: targetID, details: details,
            sourceAddress: sourceAddress, previousHash: previousHash, hash: hash)
    }
}
