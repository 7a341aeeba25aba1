import Crypto
import Foundation
@testable import KamaeTrust
import Testing

struct SealedSecretsTests {
    let key = AuditSigningKey.generate()

    @Test func aSealedSecretOpensOnlyWithItsKeyAndPurpose() throws {
        let secrets = SealedSecrets(key: key.derivedKey(purpose: "totp-secrets"))
        let sealed = try secrets.seal("KAMAEDEMOKAMAEDEMO", purpose: "users.mfa_secret")
        #expect(sealed.hasPrefix("v1.") && !sealed.contains("KAMAE"))
        #expect(try secrets.open(sealed, purpose: "users.mfa_secret") == "KAMAEDEMOKAMAEDEMO")
        #expect(try secrets.seal("same", purpose: "p") != (try secrets.seal("same", purpose: "p")), "a fresh nonce every time")
        #expect(throws: SealedSecretError.wrongKey) { try secrets.open(sealed, purpose: "another.field") }
        let otherInstallation = SealedSecrets(key: AuditSigningKey.generate().derivedKey(purpose: "totp-secrets"))
        #expect(throws: SealedSecretError.wrongKey) { try otherInstallation.open(sealed, purpose: "users.mfa_secret") }
        #expect(throws: SealedSecretError.malformed) { try secrets.open("KAMAEDEMOKAMAEDEMO", purpose: "users.mfa_secret") }
        var bytes = Array(sealed.utf8)
        bytes[bytes.count - 3] = bytes[bytes.count - 3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(throws: SealedSecretError.self) { try secrets.open(String(decoding: bytes, as: UTF8.self), purpose: "users.mfa_secret") }
    }

    @Test func derivedKeysDifferByPurposeAndAreStable() {
        let a = key.derivedKey(purpose: "totp-secrets").withUnsafeBytes { Data($0) }
        let b = key.derivedKey(purpose: "totp-secrets").withUnsafeBytes { Data($0) }
        let c = key.derivedKey(purpose: "something-else").withUnsafeBytes { Data($0) }
        #expect(a == b && a != c && a.count == 32)
    }
}
