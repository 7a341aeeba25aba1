import Fluent
import Foundation
import KamaeCore
import KamaeTrust
@testable import KamaeWeb
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor

extension WebTests {
    /// Backups copy every row of every table, restore all or nothing, and move an installation between databases.
    @Suite struct BackupRestoreTests {
        /// A backup in memory.
        static func backup(_ app: Application) async throws -> Data {
            let bytes = NIOLockedValueBox(Data())
            _ = try await LogicalBackup.write(from: app.db) { chunk in bytes.withLockedValue { $0.append(chunk) } }
            return bytes.withLockedValue { $0 }
        }

        /// The demo bank plus one of everything else: an evidence file, a comment, audit records and a checkpoint.
        static func seedEverything(_ app: Application) async throws {
            let editor = try await Visitor.signIn(app, as: "demo-editor")
            _ = try await Visitor.signIn(app, as: "demo-admin")
            let year = FiscalYear.current()
            #expect(try await editor.post("/assessments/\(year)/items/2.1.1-B1/comments", ["body": "バックアップ確認 ✓"]).status == .seeOther)
            let assessment = try await AssessmentStore.load(institutionID: try institutionID(app), year: year, on: app.db)
            let evidence = EvidenceFileRecord()
            evidence.assessmentID = assessment.id
            evidence.itemID = "2.1.1-B1"
            evidence.filename = "規程.pdf"
            evidence.contentType = "application/pdf"
            evidence.size = 256
            evidence.sha256 = "00"
            evidence.effectiveDate = "2026-04-01"
            evidence.uploadedBy = try #require(try await UserRecord.query(on: app.db).filter(\.$login == "demo-editor").first()?.requireID())
            evidence.uploadedAt = Date()
            evidence.content = Data((0..<256).map { UInt8($0) })
            try await evidence.create(on: app.db)
            _ = try await APITokenFixtures.make(app, role: .viewer)
            try await AuditCheckpoints.make(with: app.auditSigningKey, on: app.db)
        }

        @Test func theBackupCoversEveryColumnOfEveryTable() async throws {
            try await withKamaeApp { app in
                let sql = app.db as! any SQLDatabase
                let isPostgres = sql.dialect.name == "postgresql"
                let tableQuery: SQLQueryString = isPostgres
                    ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
                    : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                let present = Set(try await sql.raw(tableQuery).all().map { try $0.decode(column: "name", as: String.self) })
                #expect(present == Set(LogicalBackup.tables.map(\.name)).union(LogicalBackup.notCopied))
                for table in LogicalBackup.tables {
                    let columnQuery: SQLQueryString = isPostgres
                        ? "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(bind: table.name)"
                        : "SELECT name FROM pragma_table_info(\(bind: table.name))"
                    let columns = Set(try await sql.raw(columnQuery).all().map { try $0.decode(column: "name", as: String.self) })
                    #expect(columns == Set(table.columns.map(\.name)), "table \(table.name)")
                }
            }
        }

        @Test func aRestoreReproducesEveryRowAndKeepsTheAuditTrailVerifiable() async throws {
            var original = Data()
            var key: AuditSigningKey?
            try await withDemoApp { app in
                try await Self.seedEverything(app)
                original = try await Self.backup(app)
                key = app.auditSigningKey
            }
            try await withKamaeApp { app in
                if let key { app.auditSigningKey = key }
                let verified = try BackupReader(data: original).verify()
                let summary = try await LogicalBackup.restore(verified, into: app.db)
                #expect(summary.rows["evidence_files"] == 1)
                #expect(summary.rows["audit_log", default: 0] >= 3)
                let again = try await Self.backup(app)
                #expect(try LogicalBackup.firstDifference(verified, try BackupReader(data: again).verify()) == nil)
                let outcome = try await AuditCheckpoints.verify(publicKey: app.auditSigningKey.publicKey, on: app.db)
                #expect(outcome.problem == nil && outcome.storageProblem == nil)
                // Signed-in people sign in again after a restore; their data is all there.
                let editor = try await Visitor.signIn(app, as: "demo-editor")
                #expect(try await editor.get("/assessments/\(FiscalYear.current())/items/2.1.1-B1").body.string.contains("バックアップ確認 ✓"))
            }
        }

        @Test func aDamagedOrForeignFileChangesNothing() async throws {
            try await withDemoApp { app in
                let good = try await Self.backup(app)
                var damaged = good
                damaged[damaged.count / 2] ^= 0x20
                #expect(throws: BackupError.self) { try BackupReader(data: damaged).verify() }
                #expect(throws: BackupError.self) { try BackupReader(data: good.prefix(good.count - 10)).verify() }
                // A backup of another schema version is refused before anything is deleted.
                let text = String(decoding: good, as: UTF8.self).replacingOccurrences(of: "\"0008_AddSignInProtection\"", with: "\"0009_Future\"")
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                let body = lines.dropLast(2).joined(separator: "\n") + "\n"
                let oldTrailer = String(lines[lines.count - 2])
                let oldHash = try #require(oldTrailer.range(of: "\"sha256\":\""))
                let trailer = oldTrailer[..<oldHash.upperBound] + SHA256.hash(data: Data(body.utf8)).hexString + "\"}"
                let foreign = Data((body + trailer + "\n").utf8)
                let verified = try BackupReader(data: foreign).verify()
                await #expect(throws: LogicalBackup.RestoreError.self) { _ = try await LogicalBackup.restore(verified, into: app.db) }
                #expect(try await InstitutionRecord.query(on: app.db).count() == 1)
                #expect(try await AnswerRecord.query(on: app.db).count() > 0)
            }
        }

        /// Re-seals a backup after editing its text (the container's checksum is not a signature).
        static func resealed(_ original: Data, _ edit: (String) -> String) throws -> Data {
            let lines = String(decoding: original, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let body = edit(lines.dropLast(2).joined(separator: "\n") + "\n")
            let oldTrailer = String(lines[lines.count - 2])
            let oldHash = try #require(oldTrailer.range(of: "\"sha256\":\""))
            return Data((body + oldTrailer[..<oldHash.upperBound] + SHA256.hash(data: Data(body.utf8)).hexString + "\"}\n").utf8)
        }

        @Test func aBackupWithARewrittenAuditTrailIsRefused() async throws {
            try await withDemoApp { app in
                try await Self.seedEverything(app)
                let good = try await Self.backup(app)
                let forged = try Self.resealed(good) { $0.replacingOccurrences(of: "session.login.succeeded", with: "session.logout") }
                #expect(forged != good)
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("kamae-forged-\(UUID().uuidString).kbak")
                defer { try? FileManager.default.removeItem(at: file) }
                try forged.write(to: file)
                let before = try await Self.backup(app)
                await #expect(throws: CommandFailure.self) { _ = try await Restoring.restore(file: file.path, into: app) }
                #expect(try LogicalBackup.firstDifference(try BackupReader(data: before).verify(), try BackupReader(data: try await Self.backup(app)).verify()) == nil)
            }
        }

        /// SQLite → PostgreSQL when the tests run with PostgreSQL (into a schema of its own), else SQLite → SQLite.
        @Test func migrateDataMovesAnInstallationAndChecksEveryRow() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kamae-migrate-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let cli = CommandLineTests()
            let source = ["KAMAE_DATABASE_URL": "sqlite:\(directory.path)/source.sqlite", "KAMAE_LOG_LEVEL": "error"]
            #expect(try cli.kamae("demo", environment: source).status == 0)
            let backupFile = "\(directory.path)/source.kbak"
            let backup = try cli.kamae("backup", "-o", backupFile, environment: source)
            #expect(backup.status == 0, "\(backup.stderr)")
            #expect(try cli.kamae("backup", "-o", backupFile, environment: source).status != 0, "an existing file is never overwritten")
            var targetURL = "sqlite:\(directory.path)/target.sqlite"
            if TestDatabase.isPostgres, let url = ProcessInfo.processInfo.environment["KAMAE_TEST_DATABASE_URL"] {
                try await withKamaeApp { app in
                    let sql = app.db as! any SQLDatabase
                    try await sql.raw("DROP SCHEMA IF EXISTS migrate_test CASCADE").run()
                    try await sql.raw("CREATE SCHEMA migrate_test").run()
                }
                targetURL = url + (url.contains("?") ? "&" : "?") + "search_path=migrate_test"
            }
            let migrated = try cli.kamae("migrate-data", "--to", targetURL, environment: source)
            #expect(migrated.status == 0, "\(migrated.stderr)")
            #expect(migrated.stdout.contains("every row was read back and matches"))
            let target = ["KAMAE_DATABASE_URL": targetURL, "KAMAE_AUDIT_KEY_FILE": "\(directory.path)/source.sqlite.audit-key", "KAMAE_LOG_LEVEL": "error"]
            let verify = try cli.kamae("audit", "verify", environment: target)
            #expect(verify.status == 0, "\(verify.stderr)")
            let list = try cli.kamae("institution", "list", "--json", environment: target)
            #expect(list.stdout.contains(DemoData.institutionName))
            // Restoring the earlier backup over the target works, and a second migration into it is refused.
            #expect(try cli.kamae("restore", backupFile, environment: target).status == 0)
            #expect(try cli.kamae("migrate-data", "--to", targetURL, environment: source).status != 0)
        }
    }
}
