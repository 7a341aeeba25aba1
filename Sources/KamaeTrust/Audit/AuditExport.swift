import Foundation

/// The JSON form of a record, one object per line in an export (JSON Lines):
/// `sequence` (number), `occurredAt` (`YYYY-MM-DDTHH:MM:SS.mmmZ`), `institutionID` and `actorID` (lowercase UUID
/// text or null), `actorLogin`, `action`, `targetType`, `targetID`, `details`, `sourceAddress` (string or null),
/// `previousHash` and `hash` (64 lowercase hex digits). Every key is always present; absent values are null.
extension AuditRecord: Codable {
    private enum CodingKeys: String, CodingKey {
        case sequence, occurredAt, institutionID, actorID, actorLogin, action, targetType, targetID, details
        case sourceAddress, previousHash, hash
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            sequence: try container.decode(Int64.self, forKey: .sequence),
            occurredAt: try container.decodeTimestamp(forKey: .occurredAt),
            institutionID: try container.decode(UUID?.self, forKey: .institutionID),
            actorID: try container.decode(UUID?.self, forKey: .actorID),
            actorLogin: try container.decode(String?.self, forKey: .actorLogin),
            action: try container.decode(String.self, forKey: .action),
            targetType: try container.decode(String?.self, forKey: .targetType),
            targetID: try container.decode(String?.self, forKey: .targetID),
            details: try container.decode(String.self, forKey: .details),
            sourceAddress: try container.decode(String?.self, forKey: .sourceAddress),
            previousHash: try container.decodeHash(forKey: .previousHash),
            hash: try container.decodeHash(forKey: .hash))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sequence, forKey: .sequence)
        try container.encodeTimestamp(occurredAtMilliseconds, forKey: .occurredAt)
        try container.encode(institutionID?.uuidString.lowercased(), forKey: .institutionID)
        try container.encode(actorID?.uuidString.lowercased(), forKey: .actorID)
        try container.encode(actorLogin, forKey: .actorLogin)
        try container.encode(action, forKey: .action)
        try container.encode(targetType, forKey: .targetType)
        try container.encode(targetID, forKey: .targetID)
        try container.encode(details, forKey: .details)
        try container.encode(sourceAddress, forKey: .sourceAddress)
        try container.encode(previousHash.hex, forKey: .previousHash)
        try container.encode(hash.hex, forKey: .hash)
    }
}

/// The JSON form of a checkpoint: `sequence` (number), `hash` (hex), `createdAt` (`YYYY-MM-DDTHH:MM:SS.mmmZ`),
/// `signature` (standard base64 of the 64-byte Ed25519 signature).
extension AuditCheckpoint: Codable {
    private enum CodingKeys: String, CodingKey {
        case sequence, hash, createdAt, signature
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let signatureText = try container.decode(String.self, forKey: .signature)
        guard let signature = Data(base64Encoded: signatureText) else {
            throw DecodingError.dataCorruptedError(forKey: .signature, in: container, debugDescription: "not base64")
        }
        self.init(
            sequence: try container.decode(Int64.self, forKey: .sequence),
            hash: try container.decodeHash(forKey: .hash),
            createdAt: try container.decodeTimestamp(forKey: .createdAt),
            signature: signature)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sequence, forKey: .sequence)
        try container.encode(hash.hex, forKey: .hash)
        try container.encodeTimestamp(createdAtMilliseconds, forKey: .createdAt)
        try container.encode(signature.base64EncodedString(), forKey: .signature)
    }
}

extension KeyedDecodingContainer {
    fileprivate func decodeHash(forKey key: Key) throws -> AuditHash {
        guard let hash = AuditHash(hex: try decode(String.self, forKey: key)) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not 64 hex digits")
        }
        return hash
    }

    fileprivate func decodeTimestamp(forKey key: Key) throws -> Date {
        guard let ticks = UTCTimestamp.parseTicks(try decode(String.self, forKey: key), fractionDigits: 3) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "not a YYYY-MM-DDTHH:MM:SS.mmmZ timestamp")
        }
        return UTCTimestamp.date(ticks: ticks, fractionDigits: 3)
    }
}

extension KeyedEncodingContainer {
    fileprivate mutating func encodeTimestamp(_ milliseconds: Int64, forKey key: Key) throws {
        guard let text = UTCTimestamp.format(ticks: milliseconds, fractionDigits: 3) else {
            throw EncodingError.invalidValue(
                milliseconds, .init(codingPath: codingPath + [key], debugDescription: "year outside 0001...9999"))
        }
        try encode(text, forKey: key)
    }
}
