import Crypto
import Foundation
import Testing

@testable import KamaeTrust

@Suite struct AuditSigningKeyTests {
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kamae-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test(arguments: [AuditSigningKey.FileFormat.pem, .base64])
    func savedKeysAreOwnerOnlyAndLoadBack(_ format: AuditSigningKey.FileFormat) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("audit-signing.key")
        let key = AuditSigningKey.generate()
        try key.save(to: file, as: format)
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let loaded = try AuditSigningKey.load(from: file)
        #expect(loaded.publicKey == key.publicKey)
        // A checkpoint signed by the loaded key verifies with the original public key.
        let record = AuditFixtures.chain(count: 1)[0]
        #expect(try loaded.checkpoint(for: record, createdAt: AuditFixtures.start).hasValidSignature(from: key.publicKey))
    }

    @Test func pemIsPKCS8AsRFC8410Describes() throws {
        let key = AuditSigningKey.generate()
        let lines = key.pemRepresentation.split(separator: "\n")
        #expect(lines.first == "-----BEGIN PRIVATE KEY-----")
        #expect(lines.last == "-----END PRIVATE KEY-----")
        let der = try #require(Data(base64Encoded: String(lines[1])))
        #expect(HexText.encode(der.prefix(16)) == "302e020100300506032b657004220420")
        #expect(der.count == 48)
    }

    @Test func anExistingFileIsNeverOverwritten() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("audit-signing.key")
        let original = AuditSigningKey.generate()
        try original.save(to: file, as: .pem)
        #expect(throws: AuditKeyError.fileExists(path: file.path)) {
            try AuditSigningKey.generate().save(to: file, as: .pem)
        }
        #expect(try AuditSigningKey.load(from: file).publicKey == original.publicKey)
    }

    @Test func aKeyFileOthersCanReadIsRefused() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("audit-signing.key")
        try AuditSigningKey.generate().save(to: file, as: .base64)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        #expect(throws: AuditKeyError.permissionsTooOpen(path: file.path, mode: 0o644)) {
            try AuditSigningKey.load(from: file)
        }
        #expect(AuditKeyError.permissionsTooOpen(path: file.path, mode: 0o644).japanese.contains("644"))
        #expect(throws: AuditKeyError.cannotRead(path: directory.appendingPathComponent("missing").path)) {
            try AuditSigningKey.load(from: directory.appendingPathComponent("missing"))
        }
    }

    @Test(arguments: [
        "", "not base64", "AAAA", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
        "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----",
    ])
    func malformedKeyTextIsRefused(_ text: String) {
        #expect(throws: AuditKeyError.invalidKey) { try AuditSigningKey(fileContents: text) }
    }

    @Test func publicKeyExportsRoundTrip() throws {
        let key = AuditSigningKey.generate().publicKey
        #expect(key.hex.count == 64)
        #expect(AuditPublicKey(hex: key.hex) == key)
        #expect(AuditPublicKey(base64: key.base64) == key)
        #expect(AuditPublicKey(hex: "00") == nil)
        #expect(AuditPublicKey(base64: "%%") == nil)
    }

    @Test func checkpointSignaturesAreStandardEd25519OverTheDocumentedBytes() throws {
        let key = AuditSigningKey.generate()
        let record = AuditFixtures.chain(count: 3)[2]
        let checkpoint = try key.checkpoint(for: record, createdAt: Date(timeIntervalSince1970: 1_743_499_800.123))
        #expect(checkpoint.sequence == 3)
        #expect(checkpoint.hash == record.hash)
        #expect(checkpoint.signature.count == 64)
        let expected =
            "0100000018" + HexText.encode(Array("kamae-audit-checkpoint/1".utf8)) + "01000000080000000000000003"
            + "0100000020" + record.hash.hex + "010000000800000195f0afae3b"
        #expect(HexText.encode(checkpoint.signedContent) == expected)
        let verifier = try Curve25519.Signing.PublicKey(rawRepresentation: key.publicKey.rawRepresentation)
        #expect(verifier.isValidSignature(checkpoint.signature, for: checkpoint.signedContent))
        let line = try JSONEncoder().encode(checkpoint)
        #expect(try JSONDecoder().decode(AuditCheckpoint.self, from: line) == checkpoint)
    }
}
