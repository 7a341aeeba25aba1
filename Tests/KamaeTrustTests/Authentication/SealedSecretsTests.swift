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
        // Any altered byte (nonce, ciphertext or tag) is refused.
        let combined = try #require(Data(base64Encoded: String(sealed.dropFirst(3))))
        for index in [0, 12, combined.count / 2, combined.count - 1] {
            var altered = combined
            altered[index] ^= 0x01
            #expect(throws: SealedSecretError.wrongKey) { try secrets.open("v1." + altered.base64EncodedString(), purpose: "users.mfa_secret") }
        }
    }

    @Test func derivedKeysDifferByPurposeAndAreStable() {
        let a = key.derivedKey(purpose: "totp-secrets").withUnsafeBytes { Data($0) }
        let b = key.derivedKey(purpose: "totp-secrets").withUnsafeBytes { Data($0) }
        let c = key.derivedKey(purpose: "something-else").withUnsafeBytes { Data($0) }
        #expect(a == b && a != c && a.count == 32)
    }
}
