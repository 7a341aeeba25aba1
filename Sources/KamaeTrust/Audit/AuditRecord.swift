import Crypto
import Foundation

/// One entry of the tamper-evident audit trail. Each record carries the hash of the one before it, so changing,
/// removing or inserting any record breaks the chain at that point (see `AuditChainVerifier`).
public struct AuditRecord: Hashable, Sendable {
    /// 1 for the first record, then +1 without gaps.
    public let sequence: Int64
    /// When it happened, kept to whole milliseconds (rounded to the nearest): what is hashed and stored.
    public let occurredAtMilliseconds: Int64
    public let institutionID: UUID?
    public let actorID: UUID?
    public let actorLogin: String?
    /// A dotted code such as `session.login.succeeded`, `answer.updated` or `assessment.exported`.
    public let action: String
    public let targetType: String?
    public let targetID: String?
    /// A JSON object text in canonical form (`AuditDetails.canonicalJSON`).
    public let details: String
    public let sourceAddress: String?
    public let previousHash: AuditHash
    /// The stored hash; `computedHash` is what it must equal.
    public let hash: AuditHash

    /// Builds a record as stored; `AuditChain.append` is how new records are made.
    public init(
        sequence: Int64, occurredAt: Date, institutionID: UUID?, actorID: UUID?, actorLogin: String?, action: String,
        targetType: String?, targetID: String?, details: String, sourceAddress: String?, previousHash: AuditHash,
        hash: AuditHash
    ) {
        self.init(
            sequence: sequence, occurredAtMilliseconds: UTCTimestamp.ticks(of: occurredAt, fractionDigits: 3),
            institutionID: institutionID, actorID: actorID, actorLogin: actorLogin, action: action,
            targetType: targetType, targetID: targetID, details: details, sourceAddress: sourceAddress,
            previousHash: previousHash, hash: hash)
    }

    init(
        sequence: Int64, occurredAtMilliseconds: Int64, institutionID: UUID?, actorID: UUID?, actorLogin: String?,
        action: String, targetType: String?, targetID: String?, details: String, sourceAddress: String?,
        previousHash: AuditHash, hash: AuditHash
    ) {
        self.sequence = sequence
        self.occurredAtMilliseconds = occurredAtMilliseconds
        self.institutionID = institutionID
        self.actorID = actorID
        self.actorLogin = actorLogin
        self.action = action
        self.targetType = targetType
        self.targetID = targetID
        self.details = details
        self.sourceAddress = sourceAddress
        self.previousHash = previousHash
        self.hash = hash
    }

    public var occurredAt: Date { UTCTimestamp.date(ticks: occurredAtMilliseconds, fractionDigits: 3) }

    /// The bytes that are hashed: audit record encoding, version 1.
    ///
    /// Twelve fields, in this order, each framed as
    ///
    ///     presence  1 byte: 0x00 = absent (null; nothing else follows for this field), 0x01 = present
    ///     length    4 bytes, unsigned big-endian: the number of value bytes (present fields only)
    ///     value     that many bytes
    ///
    ///      #  field          value bytes                                                      may be absent
    ///      1  format tag     ASCII `kamae-audit-record/1`                                      no
    ///      2  sequence       8 bytes, signed 64-bit big-endian                                 no
    ///      3  occurredAt     8 bytes, signed 64-bit big-endian: milliseconds since             no
    ///                        1970-01-01T00:00:00Z (the export's `YYYY-MM-DDTHH:MM:SS.mmmZ`, UTC)
    ///      4  institutionID  16 bytes: the UUID's bytes in the order of its hex text           yes
    ///      5  actorID        16 bytes, as institutionID                                        yes
    ///      6  actorLogin     UTF-8                                                             yes
    ///      7  action         UTF-8                                                             no
    ///      8  targetType     UTF-8                                                             yes
    ///      9  targetID       UTF-8                                                             yes
    ///     10  details        UTF-8 of the JSON object text exactly as stored                   no
    ///     11  sourceAddress  UTF-8                                                             yes
    ///     12  previousHash   32 bytes                                                          no
    ///
    /// `hash = SHA-256(encoding)`. Record 1's previousHash is `AuditHash.genesis`, SHA-256 of ASCII
    /// `kamae-audit-chain/1`; every later record's previousHash is the hash of the record with sequence − 1.
    /// Strings are hashed as stored, without Unicode normalisation. A reference implementation in Python is
    /// `Tests/KamaeTrustTests/Scripts/verify_chain.py`.
    public var canonicalEncoding: [UInt8] {
        encode(into: [])
    }

    /// The encoding, built in `buffer`'s storage.
    func encode(into buffer: [UInt8]) -> [UInt8] {
        var fields = CanonicalFields(formatTag: "kamae-audit-record/1", buffer: buffer)
        fields.append(sequence)
        fields.append(occurredAtMilliseconds)
        fields.append(institutionID)
        fields.append(actorID)
        fields.append(actorLogin)
        fields.append(action)
        fields.append(targetType)
        fields.append(targetID)
        fields.append(details)
        fields.append(sourceAddress)
        fields.append(previousHash)
        return fields.bytes
    }

    /// The hash this record's contents give; a record is intact when it equals `hash`.
    public var computedHash: AuditHash {
        AuditHash(digest: SHA256.hash(data: canonicalEncoding))
    }

    /// Whether the contents still give the stored hash: the verifier's hot path, so it encodes into a reused
    /// buffer and compares the digest in place.
    func hasIntactHash(scratch: inout [UInt8]) -> Bool {
        scratch = encode(into: scratch)
        return SHA256.hash(data: scratch).withUnsafeBytes { $0.elementsEqual(hash.bytes) }
    }
}
