import Crypto
import Foundation

/// Ed25519 keys for signing submissions: generation, PEM (PKCS #8 / SubjectPublicKeyInfo, as OpenSSL writes them),
/// base64 and the key id.
///
/// The key id is the SHA-256 fingerprint of the public key's DER SubjectPublicKeyInfo, in lower-case hex; it is
/// what `openssl pkey -pubin -in key.pem -outform DER | sha256sum` prints.
public enum SigningKeys {
    /// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING }.
    static let publicKeyPrefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]
    /// DER prefix of an Ed25519 PKCS #8 OneAsymmetricKey (RFC 8410), version 0, without the public key.
    static let privateKeyPrefix: [UInt8] = [0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]

    public static func generate() -> Curve25519.Signing.PrivateKey {
        Curve25519.Signing.PrivateKey()
    }

    public static func publicKeyDER(_ key: Curve25519.Signing.PublicKey) -> Data {
        Data(publicKeyPrefix + key.rawRepresentation)
    }

    public static func publicKeyPEM(_ key: Curve25519.Signing.PublicKey) -> String {
        pem(label: "PUBLIC KEY", der: publicKeyDER(key))
    }

    public static func privateKeyPEM(_ key: Curve25519.Signing.PrivateKey) -> String {
        pem(label: "PRIVATE KEY", der: Data(privateKeyPrefix + key.rawRepresentation))
    }

    /// The raw 32-byte public key in base64.
    public static func publicKeyBase64(_ key: Curve25519.Signing.PublicKey) -> String {
        key.rawRepresentation.base64EncodedString()
    }

    public static func publicKey(base64: String) throws(SigningKeyError) -> Curve25519.Signing.PublicKey {
        guard let raw = Data(base64Encoded: base64), raw.count == 32 else { throw .malformed("not a base64 32-byte Ed25519 public key") }
        do { return try Curve25519.Signing.PublicKey(rawRepresentation: raw) } catch { throw .malformed("not an Ed25519 public key") }
    }

    public static func publicKey(pem text: String) throws(SigningKeyError) -> Curve25519.Signing.PublicKey {
        let der = try derFromPEM(text, label: "PUBLIC KEY")
        guard der.count == publicKeyPrefix.count + 32, Array(der.prefix(publicKeyPrefix.count)) == publicKeyPrefix else {
            throw .malformed("not an Ed25519 SubjectPublicKeyInfo")
        }
        do { return try Curve25519.Signing.PublicKey(rawRepresentation: der.suffix(32)) } catch { throw .malformed("not an Ed25519 public key") }
    }

    public static func privateKey(pem text: String) throws(SigningKeyError) -> Curve25519.Signing.PrivateKey {
        let der = try derFromPEM(text, label: "PRIVATE KEY")
        guard der.count == privateKeyPrefix.count + 32, Array(der.prefix(privateKeyPrefix.count)) == privateKeyPrefix else {
            throw .malformed("not an Ed25519 PKCS #8 private key")
        }
        do { return try Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32)) } catch { throw .malformed("not an Ed25519 private key") }
    }

    /// SHA-256 of the DER SubjectPublicKeyInfo, 64 lower-case hex digits.
    public static func fingerprint(_ key: Curve25519.Signing.PublicKey) -> String {
        SHA256.hash(data: publicKeyDER(key)).map { String(format: "%02x", $0) }.joined()
    }

    static func pem(label: String, der: Data) -> String {
        let body = der.base64EncodedString()
        var lines = ["-----BEGIN \(label)-----"]
        var index = body.startIndex
        while index < body.endIndex {
            let end = body.index(index, offsetBy: 64, limitedBy: body.endIndex) ?? body.endIndex
            lines.append(String(body[index..<end]))
            index = end
        }
        lines.append("-----END \(label)-----")
        return lines.joined(separator: "\n") + "\n"
    }

    static func derFromPEM(_ text: String, label: String) throws(SigningKeyError) -> [UInt8] {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let begin = lines.firstIndex(of: "-----BEGIN \(label)-----"),
              let end = lines.firstIndex(of: "-----END \(label)-----"), begin < end
        else { throw .malformed("no \(label) PEM block") }
        guard let der = Data(base64Encoded: lines[(begin + 1)..<end].joined()) else { throw .malformed("PEM body is not base64") }
        return [UInt8](der)
    }
}

public enum SigningKeyError: Error, Sendable, Hashable {
    case malformed(String)
}

/// A public key the supervisor has registered for one institution. A key signs only for its own institution.
public struct RegisteredSigningKey: Sendable, Hashable {
    public var institutionID: UUID
    /// The raw 32-byte Ed25519 public key.
    public var publicKeyRaw: Data
    public var keyID: String

    public init(institutionID: UUID, publicKey: Curve25519.Signing.PublicKey) {
        self.institutionID = institutionID
        self.publicKeyRaw = publicKey.rawRepresentation
        self.keyID = SigningKeys.fingerprint(publicKey)
    }

    public var publicKey: Curve25519.Signing.PublicKey? {
        try? Curve25519.Signing.PublicKey(rawRepresentation: publicKeyRaw)
    }
}

public enum SubmissionSigner {
    /// Returns the package with a fresh Ed25519 signature over its canonical unsigned form.
    public static func sign(_ package: SubmissionPackage, with key: Curve25519.Signing.PrivateKey) throws -> SubmissionPackage {
        var signed = package.unsigned
        let signature = try key.signature(for: try package.signingData())
        signed.signature = SubmissionSignature(keyID: SigningKeys.fingerprint(key.publicKey), value: signature.base64EncodedString())
        return signed
    }
}
