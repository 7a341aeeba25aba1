import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The Ed25519 key that signs audit checkpoints.
///
/// Why it lives in a file and never in the database: the database is what the checkpoints protect. An attacker
/// (or an administrator) who can rewrite audit rows can also recompute every hash of the chain, so a chain check
/// alone would pass; only a signature made with a key they cannot read exposes the rewrite. Keep the file readable
/// by the server's account only (`save` writes it with mode 0600, `load` refuses anything more open), and give the
/// public key to auditors so that they can verify an export without trusting the server.
public struct AuditSigningKey: Sendable {
    private let privateKey: Curve25519.Signing.PrivateKey

    /// How `save` writes the key; `load` reads either.
    public enum FileFormat: Sendable {
        /// PKCS #8 `-----BEGIN PRIVATE KEY-----` (RFC 8410), as OpenSSL writes and reads Ed25519 keys.
        case pem
        /// The 32 raw private-key bytes as one line of standard base64.
        case base64
    }

    public static func generate() -> AuditSigningKey {
        AuditSigningKey(privateKey: Curve25519.Signing.PrivateKey())
    }

    private init(privateKey: Curve25519.Signing.PrivateKey) {
        self.privateKey = privateKey
    }

    /// For deriving keys of other purposes in this module only (`derivedKey(purpose:)`).
    var rawPrivateKey: Data { privateKey.rawRepresentation }

    public var publicKey: AuditPublicKey {
        AuditPublicKey(validatedRaw: privateKey.publicKey.rawRepresentation)
    }

    /// Signs "record `record.sequence` has hash `record.hash`".
    public func checkpoint(for record: AuditRecord, createdAt: Date) throws -> AuditCheckpoint {
        let unsigned = AuditCheckpoint(sequence: record.sequence, hash: record.hash, createdAt: createdAt, signature: Data())
        let signature = try privateKey.signature(for: unsigned.signedContent)
        return AuditCheckpoint(sequence: unsigned.sequence, hash: unsigned.hash, createdAt: unsigned.createdAt, signature: signature)
    }

    // MARK: Files

    /// DER prefix of a PKCS #8 Ed25519 private key (RFC 8410 §7): version 0, algorithm id 1.3.101.112, then an
    /// OCTET STRING holding the 32-byte key as an OCTET STRING.
    private static let pkcs8Prefix: [UInt8] = [
        0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]
    private static let pemHeader = "-----BEGIN PRIVATE KEY-----"
    private static let pemFooter = "-----END PRIVATE KEY-----"

    public var pemRepresentation: String {
        let der = Data(Self.pkcs8Prefix + privateKey.rawRepresentation)
        return "\(Self.pemHeader)\n\(der.base64EncodedString())\n\(Self.pemFooter)\n"
    }

    /// Reads the PEM or base64 form that `save` writes.
    public init(fileContents: String) throws(AuditKeyError) {
        let text = fileContents.trimmingCharacters(in: .whitespacesAndNewlines)
        let raw: Data
        if text.hasPrefix(Self.pemHeader) {
            guard text.hasSuffix(Self.pemFooter),
                let der = Data(
                    base64Encoded: text.dropFirst(Self.pemHeader.count).dropLast(Self.pemFooter.count)
                        .filter { !$0.isWhitespace }),
                der.count == Self.pkcs8Prefix.count + 32, der.starts(with: Self.pkcs8Prefix)
            else { throw .invalidKey }
            raw = der.dropFirst(Self.pkcs8Prefix.count)
        } else {
            guard let decoded = Data(base64Encoded: text), decoded.count == 32 else { throw .invalidKey }
            raw = decoded
        }
        do {
            privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        } catch {
            throw .invalidKey
        }
    }

    /// Creates `url` with mode 0600 and writes the key; refuses to replace an existing file, so that a key in use
    /// is never overwritten by mistake.
    public func save(to url: URL, as format: FileFormat) throws(AuditKeyError) {
        let contents: String
        switch format {
        case .pem: contents = pemRepresentation
        case .base64: contents = privateKey.rawRepresentation.base64EncodedString() + "\n"
        }
        // O_EXCL: never follow a planted file or link; the mode is set at creation, so the key is never readable by others.
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw errno == EEXIST ? .fileExists(path: url.path) : .cannotWrite(path: url.path)
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: Data(contents.utf8))
            try handle.synchronize()
            try handle.close()
        } catch {
            unlink(url.path)
            throw .cannotWrite(path: url.path)
        }
    }

    /// Reads a key file written by `save`; refuses one that group or others may read or write.
    public static func load(from url: URL) throws(AuditKeyError) -> AuditSigningKey {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else {
            throw .cannotRead(path: url.path)
        }
        if let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw .permissionsTooOpen(path: url.path, mode: mode)
        }
        guard let data = try? Data(contentsOf: url) else { throw .cannotRead(path: url.path) }
        return try AuditSigningKey(fileContents: String(decoding: data, as: UTF8.self))
    }
}

/// The public half of the audit signing key, which anyone may hold to verify checkpoints.
public struct AuditPublicKey: Hashable, Sendable {
    /// The 32-byte Ed25519 public key.
    public let rawRepresentation: Data

    public init?(rawRepresentation: some DataProtocol) {
        guard rawRepresentation.count == 32,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: Data(rawRepresentation))
        else { return nil }
        self.init(validatedRaw: key.rawRepresentation)
    }

    public init?(base64: String) {
        guard let raw = Data(base64Encoded: base64) else { return nil }
        self.init(rawRepresentation: raw)
    }

    public init?(hex: String) {
        guard let raw = HexText.decode(hex) else { return nil }
        self.init(rawRepresentation: raw)
    }

    fileprivate init(validatedRaw: Data) {
        rawRepresentation = validatedRaw
    }

    public var base64: String { rawRepresentation.base64EncodedString() }
    public var hex: String { HexText.encode(rawRepresentation) }

    func isValidSignature(_ signature: Data, for content: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation) else { return false }
        return key.isValidSignature(signature, for: content)
    }
}

/// Why a signing key could not be saved or loaded.
public enum AuditKeyError: Error, Equatable, Sendable {
    case fileExists(path: String)
    case cannotWrite(path: String)
    case cannotRead(path: String)
    case permissionsTooOpen(path: String, mode: Int)
    case invalidKey

    public var english: String {
        switch self {
        case .fileExists(let path): "The key file \(path) already exists; it is never overwritten."
        case .cannotWrite(let path): "The key file \(path) could not be written."
        case .cannotRead(let path): "The key file \(path) could not be read."
        case .permissionsTooOpen(let path, let mode):
            "The key file \(path) has mode \(String(mode, radix: 8)); only its owner may access it (chmod 600)."
        case .invalidKey: "The file does not hold an Ed25519 private key in PEM (PKCS #8) or base64 form."
        }
    }

    public var japanese: String {
        switch self {
        case .fileExists(let path): "鍵ファイル \(path) は既に存在します（上書きはしません）。"
        case .cannotWrite(let path): "鍵ファイル \(path) を書き込めませんでした。"
        case .cannotRead(let path): "鍵ファイル \(path) を読み込めませんでした。"
        case .permissionsTooOpen(let path, let mode):
            "鍵ファイル \(path) のパーミッションが \(String(mode, radix: 8)) です。所有者のみがアクセスできるようにしてください（chmod 600）。"
        case .invalidKey: "ファイルに PEM（PKCS #8）または base64 形式の Ed25519 秘密鍵が含まれていません。"
        }
    }
}
