import Foundation
import Testing

@testable import KamaeTrust

/// Proves that the documented format is enough: `Scripts/verify_chain.py`, written from the doc comments alone,
/// recomputes every hash of a Swift-made export and checks the checkpoint signatures.
@Suite struct AuditPythonVerifierTests {
    static let python: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("python3") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scripts/verify_chain.py")

    let key = AuditSigningKey.generate()
    let chain = AuditFixtures.chain(count: 40, seed: 7)

    /// Writes JSON Lines, runs the script, and returns its exit status and output.
    func runVerifier(records: [AuditRecord], checkpoints: [AuditCheckpoint]) throws -> (status: Int32, output: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kamae-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func jsonLines(_ values: [some Encodable]) throws -> Data {
            var data = Data()
            for value in values {
                data.append(try encoder.encode(value))
                data.append(0x0A)
            }
            return data
        }
        let export = directory.appendingPathComponent("audit.jsonl")
        let checkpointFile = directory.appendingPathComponent("checkpoints.jsonl")
        try jsonLines(records).write(to: export)
        try jsonLines(checkpoints).write(to: checkpointFile)

        let process = Process()
        process.executableURL = Self.python
        process.arguments = [
            Self.script.path, export.path, "--checkpoints", checkpointFile.path, "--public-key", key.publicKey.hex,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    func checkpoints(at sequences: [Int], of records: [AuditRecord]) throws -> [AuditCheckpoint] {
        try sequences.map { try key.checkpoint(for: records[$0 - 1], createdAt: AuditFixtures.start.addingTimeInterval(Double($0))) }
    }

    @Test(.enabled(if: python != nil, "python3 is not installed: the independent Python verifier was not run"))
    func pythonRecomputesEveryHashAndSignature() throws {
        let result = try runVerifier(records: chain, checkpoints: try checkpoints(at: [10, 20, 40], of: chain))
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("OK 40 records"))
        if result.output.contains("NOT checked") {
            print("verify_chain.py: the cryptography package is missing, so Python checked the hashes but not the signatures")
        } else {
            #expect(result.output.contains("checkpoint signatures verified: 3"))
        }
    }

    @Test(.enabled(if: python != nil, "python3 is not installed: the independent Python verifier was not run"))
    func pythonFindsTheSameTampering() throws {
        var edited = chain
        edited[6] = AuditFixtures.replacing(chain[6], actorLogin: .some("攻撃者"))
        let editedResult = try runVerifier(records: edited, checkpoints: [])
        #expect(editedResult.status == 1)
        #expect(editedResult.output.contains("FAIL record 7: stored hash"), "\(editedResult.output)")

        var deleted = chain
        deleted.remove(at: 11)
        let deletedResult = try runVerifier(records: deleted, checkpoints: [])
        #expect(deletedResult.output.contains("FAIL record 12: found sequence 13"), "\(deletedResult.output)")

        let genuine = try checkpoints(at: [30], of: chain)
        let rewritten = AuditFixtures.chain(count: 40, seed: 8)
        let rewrittenResult = try runVerifier(records: rewritten, checkpoints: genuine)
        #expect(rewrittenResult.output.contains("FAIL record 30: hash differs from the signed checkpoint"), "\(rewrittenResult.output)")

        let truncatedResult = try runVerifier(records: Array(chain.prefix(25)), checkpoints: genuine)
        #expect(truncatedResult.output.contains("FAIL truncated"), "\(truncatedResult.output)")
    }

    @Test(.enabled(if: python != nil, "python3 is not installed: the independent Python verifier was not run"))
    func pythonRefusesAForgedCheckpoint() throws {
        let genuine = try checkpoints(at: [30], of: chain)[0]
        let redated = AuditCheckpoint(
            sequence: genuine.sequence, hash: genuine.hash, createdAt: genuine.createdAt.addingTimeInterval(0.001),
            signature: genuine.signature)
        let result = try runVerifier(records: chain, checkpoints: [redated])
        if result.output.contains("NOT checked") {
            print("verify_chain.py: the cryptography package is missing, so the forged signature was not checked in Python")
        } else {
            #expect(result.status == 1)
            #expect(result.output.contains("FAIL checkpoint 30: invalid signature"), "\(result.output)")
        }
    }
}
