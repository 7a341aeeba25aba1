import Crypto
import Foundation

/// A signed statement "the audit chain's record `sequence` has hash `hash`", made with the audit signing key.
///
/// The hash chain alone proves only that the rows agree with each other: someone who can rewrite the database can
/// also recompute every hash from the edited row on, or cut off the tail. A checkpoint is signed with a key kept
/// outside the database (`AuditSigningKey`), so such a rewrite no longer matches the checkpoint, and the attacker
/// cannot sign a new one. Records after the newest checkpoint are covered by the chain only, which is why the
/// server makes checkpoints often and keeps copies of them away from the database, too.
public struct AuditCheckpoint: Hashable, Sendable {
    public let sequence: Int64
    public let hash: AuditHash
    /// When it was signed, kept to whole milliseconds like `AuditRecord.occurredAtMilliseconds`.
    public let createdAtMilliseconds: Int64
    /// Ed25519 signature (64 bytes) over `signedContent`.
    public let signature: Data

    public init(sequence: Int64, hash: AuditHash, createdAt: Date, signature: Data) {
        self.sequence = sequence
        self.hash = hash
        self.createdAtMilliseconds = UTCTimestamp.ticks(of: createdAt, fractionDigits: 3)
        self.signature = signature
    }

    public var createdAt: Date { UTCTimestamp.date(ticks: createdAtMilliseconds, fractionDigits: 3) }

    /// The signed bytes: audit checkpoint encoding, version 1, framed like `AuditRecord.canonicalEncoding`:
    /// 1 format tag ASCII `kamae-audit-checkpoint/1`; 2 sequence, 8 bytes signed big-endian; 3 hash, 32 bytes;
    /// 4 createdAt, 8 bytes signed big-endian milliseconds since 1970-01-01T00:00:00Z.
    public var signedContent: [UInt8] {
        Self.signedContent(sequence: sequence, hash: hash, createdAtMilliseconds: createdAtMilliseconds)
    }

    static func signedContent(sequence: Int64, hash: AuditHash, createdAtMilliseconds: Int64) -> [UInt8] {
        var fields = CanonicalFields(formatTag: "kamae-audit-checkpoint/1")
        fields.append(sequence)
        fields.append(hash)
        fields.append(createdAtMilliseconds)
        return fields.bytes
    }

    public func hasValidSignature(from publicKey: AuditPublicKey) -> Bool {
        publicKey.isValidSignature(signature, for: signedContent)
    }
}
