import Fluent
import Foundation
import KamaeTrust
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// The installation's audit signing key, its signed checkpoints, and the verification of the whole trail.
enum AuditCheckpoints {
    /// Loads the key file, or creates it (mode 0600) on first start — `created` then says so, and `migrate` refuses
    /// to go on if the database already holds checkpoints (the original file is missing). Without a path the key
    /// lives only in memory.
    static func signingKey(at path: String?) throws -> (key: AuditSigningKey, created: Bool) {
        guard let path else { return (.generate(), false) }
        let url = URL(fileURLWithPath: path)
        if FileManager.default.fileExists(atPath: path) {
            do { return (try AuditSigningKey.load(from: url), false) } catch { throw AuditKeyFileError(path: path, reason: error.english) }
        }
        let key = AuditSigningKey.generate()
        do { try key.save(to: url, as: .pem) } catch { throw AuditKeyFileError(path: path, reason: error.english) }
        return (key, true)
    }

    /// After a key file was created: a database with checkpoints was signed with another key, whose file is missing.
    static func refuseNewKeyForSignedTrail(_ app: Application, keyPath: String?) async throws {
        guard app.auditKeyCreated, let keyPath else { return }
        let signed = try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM audit_checkpoints").first()?.decode(column: "n", as: Int.self) ?? 0
        guard signed > 0 else { return }
        try? FileManager.default.removeItem(atPath: keyPath)
        throw AuditKeyFileError(
            path: keyPath,
            reason: "missing — this database holds \(signed) audit checkpoints signed with the installation's key; put its key file back (KAMAE_AUDIT_KEY_FILE) instead of starting with a new one"
        )
    }

    /// Signs the newest record unless it already has a checkpoint. Returns the sequence signed, if any, and logs the
    /// checkpoint so that a copy leaves the machine with the logs (`kamae audit verify` can be held to such copies).
    @discardableResult
    static func make(with key: AuditSigningKey, on database: any Database, now: Date = Date()) async throws -> Int64? {
        try await database.transaction { database in
            let sql = database as! any SQLDatabase
            try await sql.raw("UPDATE audit_head SET sequence = sequence WHERE id = 1").run()
            guard let last = try await sql.raw("SELECT * FROM audit_log ORDER BY sequence DESC LIMIT 1").first().map(AuditTrail.decode) else { return nil }
            let signed = try await sql.raw("SELECT MAX(sequence) AS s FROM audit_checkpoints").first()?.decode(column: "s", as: Int64?.self) ?? 0
            guard last.sequence > signed else { return nil }
            let checkpoint = try key.checkpoint(for: last, createdAt: now)
            try await sql.insert(into: "audit_checkpoints").columns("sequence", "hash", "created_at_ms", "signature")
                .values(SQLBind(checkpoint.sequence), SQLBind(checkpoint.hash.hex), SQLBind(checkpoint.createdAtMilliseconds), SQLBind(checkpoint.signature.base64EncodedString()))
                .run()
            database.logger.notice("audit checkpoint", metadata: [
                "sequence": "\(checkpoint.sequence)", "hash": "\(checkpoint.hash.hex)", "signature": "\(checkpoint.signature.base64EncodedString())",
            ])
            return checkpoint.sequence
        }
    }

    /// Signs a checkpoint every minute while the server runs, so that at most a minute of records depends on the
    /// chain alone.
    static func startSigning(_ app: Application, every interval: Duration = .seconds(60)) -> Task<Void, Never> {
        let key = app.auditSigningKey
        let database = app.db
        let logger = app.logger
        return Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled else { return }
                do { try await make(with: key, on: database) } catch { logger.error("audit checkpoint failed: \(String(describing: error))") }
            }
        }
    }

    struct Outcome: Sendable {
        var verified: Int64
        var checkpoints: Int
        var problem: AuditProblem?
        /// Problems the chain cannot express: unreadable rows, a head that disagrees with the last record.
        var storageProblem: String?
    }

    /// Reads every record in sequence order (streamed) and every checkpoint, and names the first problem.
    static func verify(publicKey: AuditPublicKey, on database: any Database) async throws -> Outcome {
        let sql = database as! any SQLDatabase
        var checkpoints: [AuditCheckpoint] = []
        var storageProblem: String?
        for row in try await sql.raw("SELECT * FROM audit_checkpoints ORDER BY sequence").all() {
            let sequence = try row.decode(column: "sequence", as: Int64.self)
            guard let hash = AuditHash(hex: try row.decode(column: "hash", as: String.self)),
                  let signature = Data(base64Encoded: try row.decode(column: "signature", as: String.self))
            else {
                storageProblem = storageProblem ?? "checkpoint \(sequence): unreadable hash or signature (the row was altered)"
                continue
            }
            let createdAt = Date(timeIntervalSince1970: Double(try row.decode(column: "created_at_ms", as: Int64.self)) / 1000)
            checkpoints.append(AuditCheckpoint(sequence: sequence, hash: hash, createdAt: createdAt, signature: signature))
        }
        let state = NIOLockedValueBox((verifier: AuditChainVerifier(checkpoints: checkpoints, publicKey: publicKey), problem: AuditProblem?.none,
                                       unreadable: String?.none, last: AuditRecord?.none))
        // In storage order by sequence; the verifier also catches rows whose sequence was rewritten to reorder them.
        try await sql.raw("SELECT * FROM audit_log ORDER BY sequence").run { row in
            state.withLockedValue { state in
                guard state.problem == nil, state.unreadable == nil else { return }
                do {
                    let record = try AuditTrail.decode(row)
                    state.problem = state.verifier.check(record)
                    state.last = record
                } catch {
                    state.unreadable = "\(error)"
                }
            }
        }
        var result = state.withLockedValue { state in
            if state.problem == nil, state.unreadable == nil { state.problem = state.verifier.finish() }
            return Outcome(verified: state.verifier.verifiedCount, checkpoints: checkpoints.count, problem: state.problem, storageProblem: state.unreadable ?? storageProblem)
        }
        if result.problem == nil, result.storageProblem == nil, let head = try await sql.raw("SELECT sequence, hash FROM audit_head WHERE id = 1").first() {
            // The head is written with every append: records cut off after the newest checkpoint still show here.
            let headSequence = try head.decode(column: "sequence", as: Int64.self)
            let last = state.withLockedValue { $0.last }
            if headSequence != (last?.sequence ?? 0) || (last.map { $0.hash.hex != (try? head.decode(column: "hash", as: String.self)) } ?? false) {
                result.storageProblem = "the audit trail ends at record \(last?.sequence ?? 0) but \(headSequence) records were appended: records after \(last?.sequence ?? 0) were deleted"
            }
        }
        return result
    }
}

struct AuditKeyFileError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "audit key file \(path): \(reason)" }
}

extension Application {
    private struct AuditKeyStorage: StorageKey { typealias Value = AuditSigningKey }
    private struct AuditKeyCreatedStorage: StorageKey { typealias Value = Bool }
    private struct AuditKeyPathKey: StorageKey { typealias Value = String }

    /// Where the audit key file is (nil: in memory only).
    var auditKeyPath: String? {
        get { storage[AuditKeyPathKey.self] }
        set { storage[AuditKeyPathKey.self] = newValue }
    }

    /// True when `configure` had to create the key file.
    var auditKeyCreated: Bool {
        get { storage[AuditKeyCreatedStorage.self] ?? false }
        set { storage[AuditKeyCreatedStorage.self] = newValue }
    }

    /// Set by `configure`.
    var auditSigningKey: AuditSigningKey {
        get { storage[AuditKeyStorage.self]! }
        set { storage[AuditKeyStorage.self] = newValue }
    }
}

extension Application {
    /// Seals TOTP secrets at rest with a key derived from the installation's key file.
    var sealedSecrets: SealedSecrets {
        SealedSecrets(key: auditSigningKey.derivedKey(purpose: "totp-secrets"))
    }
}
