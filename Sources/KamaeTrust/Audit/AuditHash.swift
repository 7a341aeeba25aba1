import Crypto
import Foundation

/// A SHA-256 value of the audit chain: a record's hash, its link to the previous record, or a checkpoint's hash.
/// Stored as lowercase hex.
public struct AuditHash: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 32

    /// The `previousHash` of record 1: SHA-256 of the ASCII domain string `kamae-audit-chain/1`, so that a chain
    /// starts from a value no other system's chain starts from.
    public static let genesis = AuditHash(digest: SHA256.hash(data: Array("kamae-audit-chain/1".utf8)))

    public let bytes: [UInt8]

    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = Array(bytes)
    }

    /// Accepts 64 hex digits in either case.
    public init?(hex: String) {
        guard let bytes = HexText.decode(hex) else { return nil }
        self.init(bytes: bytes)
    }

    init(digest: SHA256.Digest) {
        self.bytes = Array(digest)
    }

    public var hex: String { HexText.encode(bytes) }
    public var description: String { hex }
}

/// Lowercase hex for hashes and keys.
enum HexText {
    private static let digits = Array("0123456789abcdef".utf8)

    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(characters.count / 2)
        var index = 0
        while index < characters.count {
            guard let high = nibble(characters[index]), let low = nibble(characters[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
