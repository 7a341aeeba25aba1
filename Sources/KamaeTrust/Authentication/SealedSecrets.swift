import Crypto
import Foundation

/// Secrets the server must be able to read back (TOTP seeds) are stored sealed with AES-GCM under a key that lives
/// outside the database, so that a copy of the database alone yields no second factor.
///
/// Format: `v1.` followed by base64 of nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes). The field's name is bound in
/// as authenticated data, so a sealed value cannot be moved to another field or row purpose unnoticed.
public struct SealedSecrets: Sendable {
    private let key: SymmetricKey

    public init(key: SymmetricKey) {
        self.key = key
    }

    public func seal(_ plaintext: String, purpose: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: key, authenticating: Data(purpose.utf8))
        guard let combined = box.combined else { throw SealedSecretError.malformed }
        return "v1." + combined.base64EncodedString()
    }

    public func open(_ sealed: String, purpose: String) throws -> String {
        guard sealed.hasPrefix("v1."), let combined = Data(base64Encoded: String(sealed.dropFirst(3))),
              let box = try? AES.GCM.SealedBox(combined: combined)
        else { throw SealedSecretError.malformed }
        guard let plaintext = try? AES.GCM.open(box, using: key, authenticating: Data(purpose.utf8)) else { throw SealedSecretError.wrongKey }
        return String(decoding: plaintext, as: UTF8.self)
    }
}

public enum SealedSecretError: Error, Equatable, Sendable {
    /// Not a value this format wrote.
    case malformed
    /// Sealed under another key (a database restored into another installation) or altered.
    case wrongKey
}

extension AuditSigningKey {
    /// A key for another purpose derived from this one (HKDF-SHA256), so that an installation keeps one key file.
    public func derivedKey(purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: rawPrivateKey), salt: Data("kamae-key-derivation/1".utf8), info: Data(purpose.utf8), outputByteCount: 32
        )
    }
}
