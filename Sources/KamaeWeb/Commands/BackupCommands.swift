import ArgumentParser
import Foundation
import KamaeTrust
import SQLKit
import Vapor

/// `kamae backup -o FILE`: a consistent logical copy of everything, while the server keeps running.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent, checksummed copy of the whole database to a file (the server may keep running).",
        discussion: "The file is database-neutral: it restores into SQLite or PostgreSQL. Sign-in sessions are not included. Keep the audit key file (KAMAE_AUDIT_KEY_FILE) with it: the audit checkpoints in the backup are signed with that key."
    )

    @ArgumentParser.Option(name: .shortAndLong, help: "The backup file to write (must not exist).")
    var output: String

    func run() async throws {
        guard !FileManager.default.fileExists(atPath: output) else { throw CommandFailure("\(output) already exists; choose a new file name") }
        let partial = output + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: partial)
        else { throw CommandFailure("cannot create \(partial)") }
        let summary: LogicalBackup.Summary
        do {
            summary = try await CommandSupport.withApplication { app, _ in
                try await migrate(app)
                let summary = try await LogicalBackup.write(from: app.db) { data in try handle.write(contentsOf: data) }
                try await AuditTrail.event("backup.created", by: .cli(), details: ["file": URL(fileURLWithPath: output).lastPathComponent, "rows": String(summary.total)], on: app.db)
                try await AuditCheckpoints.make(with: app.auditSigningKey, on: app.db)
                return summary
            }
            try handle.synchronize()
            try handle.close()
            // Only a complete file gets the final name.
            try FileManager.default.moveItem(atPath: partial, toPath: output)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        CommandSupport.say("Wrote \(output): \(summary.total) rows of \(LogicalBackup.tables.count) tables.")
    }
}

/// `kamae restore FILE`: replaces the database's contents with a backup, all or nothing.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace everything in the configured database with a backup (checked first; all or nothing).",
        discussion: "A damaged or altered file is refused before anything is written. Everyone is signed out."
    )

    @ArgumentParser.Argument(help: "A file written by `kamae backup`.")
    var file: String

    func run() async throws {
        let summary = try await CommandSupport.withApplication { app, _ in
            try await migrate(app)
            return try await Restoring.restore(file: file, into: app)
        }
        CommandSupport.say("Restored \(file): \(summary.total) rows of \(LogicalBackup.tables.count) tables.")
    }
}

/// `kamae migrate-data --to postgres://…`: moves an installation (usually from its SQLite file) to another database.
struct MigrateDataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-data",
        abstract: "Copy everything from the configured database into another one (e.g. SQLite → PostgreSQL), then check every row.",
        discussion: "The target is migrated first and must hold no Kamae data of its own. Afterwards set KAMAE_DATABASE_URL to the target and keep the same KAMAE_AUDIT_KEY_FILE."
    )

    @ArgumentParser.Option(help: "The target database URL: postgres://user:password@host:5432/database or sqlite:PATH.")
    var to: String

    func run() async throws {
        let target: DatabaseLocation
        do { target = try DatabaseLocation.parse(to) } catch let error as ConfigurationError { throw CommandFailure(error.description) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kamae-migrate-\(UUID().uuidString).backup").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        guard FileManager.default.createFile(atPath: file, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: file)
        else { throw CommandFailure("cannot create a temporary file") }
        let keyPath = try await CommandSupport.withApplication { app, configuration in
            try await migrate(app)
            _ = try await LogicalBackup.write(from: app.db) { data in try handle.write(contentsOf: data) }
            return configuration.auditKeyPath
        }
        try handle.close()
        let check = file + ".check"
        defer { try? FileManager.default.removeItem(atPath: check) }
        let copied = try await CommandSupport.withApplication(adjust: { configuration in
            configuration.database = target
            configuration.auditKeyPath = keyPath
        }) { app, _ in
            try await migrate(app)
            let existing = try await InstitutionRecord.query(on: app.db).count()
            guard existing == 0 else { throw CommandFailure("the target already holds \(existing) institution(s); migrate into an empty database") }
            let copied = try await Restoring.restore(file: file, into: app, audit: false)
            // Read everything back from the target and compare it with the source, row by row.
            guard FileManager.default.createFile(atPath: check, contents: nil, attributes: [.posixPermissions: 0o600]),
                  let out = FileHandle(forWritingAtPath: check) else {
                throw CommandFailure("cannot create a temporary file")
            }
            _ = try await LogicalBackup.write(from: app.db) { data in try out.write(contentsOf: data) }
            try out.close()
            return copied
        }
        if let difference = try LogicalBackup.firstDifference(
            BackupReader(fileURL: URL(fileURLWithPath: file)).verify(), BackupReader(fileURL: URL(fileURLWithPath: check)).verify()
        ) {
            throw CommandFailure("the target differs from the source after copying: \(difference)")
        }
        CommandSupport.say("Copied \(copied.total) rows of \(LogicalBackup.tables.count) tables to \(target); every row was read back and matches. Now set KAMAE_DATABASE_URL to the target.")
    }
}

enum Restoring {
    static func restore(file: String, into app: Application, audit: Bool = true) async throws -> LogicalBackup.Summary {
        let verified: VerifiedBackup
        do {
            verified = try BackupReader(fileURL: URL(fileURLWithPath: file)).verify()
        } catch let error as BackupError {
            throw CommandFailure("\(file): \(error.english) — nothing was changed / \(error.japanese)")
        }
        do {
            try LogicalBackup.verifyAuditTrail(in: verified, publicKey: app.auditSigningKey.publicKey)
            // The trail being replaced is named in the new one, so the two can be tied together later.
            let replaced = try await (app.db as! any SQLDatabase).raw("SELECT sequence, hash FROM audit_head WHERE id = 1").first()
            let summary = try await LogicalBackup.restore(verified, into: app.db)
            if audit {
                try await AuditTrail.event("backup.restored", by: .cli(), details: [
                    "file": URL(fileURLWithPath: file).lastPathComponent, "rows": String(summary.total),
                    "replaced_sequence": String((try? replaced?.decode(column: "sequence", as: Int64.self)) ?? 0),
                    "replaced_hash": (try? replaced?.decode(column: "hash", as: String.self)) ?? "",
                ], on: app.db)
                try await AuditCheckpoints.make(with: app.auditSigningKey, on: app.db)
            }
            return summary
        } catch let error as LogicalBackup.RestoreError {
            throw CommandFailure("\(file): \(error) — nothing was changed")
        }
    }
}
