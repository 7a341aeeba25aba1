import Crypto
import Foundation
import Testing
@testable import KamaeTrust

@Suite struct SigningKeysTests {
    /// PEM and fingerprint of the RFC 8032 test 1 key, as OpenSSL 3 writes them
    /// (`openssl pkey -pubout`, then `openssl pkey -pubin -outform DER | sha256sum`).
    static let opensslPublicPEM = """
        -----BEGIN PUBLIC KEY-----
        MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=
        -----END PUBLIC KEY-----

        """
    static let opensslFingerprint = "06e3fd8fda29bb60ab59557de61edb0aecdb231134be30e75b455f8e1b792fa9"

    @Test func matchesOpenSSL() throws {
        let key = SubmissionFixtures.key()
        #expect(SigningKeys.publicKeyPEM(key.publicKey) == Self.opensslPublicPEM)
        #expect(SigningKeys.fingerprint(key.publicKey) == Self.opensslFingerprint)
        #expect(SigningKeys.publicKeyBase64(key.publicKey) == "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
        // RFC 8032 test 1: the signature of the empty message verifies.
        let signature = Data(hex: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
        #expect(key.publicKey.isValidSignature(signature, for: Data()))
    }

    @Test func pemRoundTrip() throws {
        let key = SigningKeys.generate()
        let privatePEM = SigningKeys.privateKeyPEM(key)
        #expect(privatePEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let restored = try SigningKeys.privateKey(pem: privatePEM)
        #expect(restored.rawRepresentation == key.rawRepresentation)
        let publicKey = try SigningKeys.publicKey(pem: SigningKeys.publicKeyPEM(key.publicKey))
        #expect(publicKey.rawRepresentation == key.publicKey.rawRepresentation)
        #expect(try SigningKeys.publicKey(base64: SigningKeys.publicKeyBase64(key.publicKey)).rawRepresentation == key.publicKey.rawRepresentation)
        #expect(SigningKeys.fingerprint(key.publicKey).count == 64)
        #expect(SigningKeys.fingerprint(key.publicKey) != SigningKeys.fingerprint(SigningKeys.generate().publicKey))
    }

    @Test func rejectsOtherKeys() {
        // A P-256 public key is not an Ed25519 key.
        let p256 = P256.Signing.PrivateKey().publicKey.pemRepresentation
        #expect(throws: SigningKeyError.self) { try SigningKeys.publicKey(pem: p256) }
        #expect(throws: SigningKeyError.self) { try SigningKeys.publicKey(pem: "not a key") }
        #expect(throws: SigningKeyError.self) { try SigningKeys.privateKey(pem: SigningKeysTests.opensslPublicPEM) }
        #expect(throws: SigningKeyError.self) { try SigningKeys.publicKey(base64: "AAAA") }
    }
}

extension Data {
    init(hex: String) {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        self.init(bytes)
    }
}
