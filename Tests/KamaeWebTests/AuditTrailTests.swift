import Fluent
import Foundation
import KamaeCore
import KamaeTrust
@testable import KamaeWeb
import SQLKit
import Testing
import Vapor
import VaporTesting

extension WebTests {
    /// Every change and security event lands in the hash-chained trail, and every way of tampering with the stored
    /// rows is caught and named.
    @Suite struct AuditTrailTests {
        var year: Int { FiscalYear.current() }

        func actions(_ app: Application) async throws -> [String] {
            try await (app.db as! any SQLDatabase).raw("SELECT action FROM audit_log ORDER BY sequence").all().map { try $0.decode(column: "action", as: String.self) }
        }

        @Test func changesAndSecurityEventsAreChainedAndVerify() async throws {
            try await withDemoApp { app in
                let editor = try await Visitor.signIn(app, as: "demo-editor")
                let assessment = try await AssessmentStore.load(institutionID: try institutionID(app), year: year, on: app.db)
                let saved = try await editor.post("/assessments/\(year)/items/2.1.1-B2", ["status": "implemented", "maturity": "3", "revision": String(assessment.revisions["2.1.1-B2"] ?? 0)])
                #expect(saved.status == .seeOther)
                #expect(try await editor.get("/assessments/\(year)/export/csv").status == .ok)
                _ = try await app.testing().test(.POST, "/login", beforeRequest: { request in
                    try request.content.encode(["login": "demo-editor", "password": "wrong-password-1"], as: .urlEncodedForm)
                })
                let recorded = try await actions(app)
                for expected in ["session.login.succeeded", "answer.updated", "assessment.exported", "session.login.failed"] {
                    #expect(recorded.contains(expected), "\(expected) not in \(recorded)")
                }
                let row = try #require(try await (app.db as! any SQLDatabase).raw("SELECT * FROM audit_log WHERE action = 'answer.updated'").first())
                let record = try AuditTrail.decode(row)
                #expect(record.actorLogin == "demo-editor")
                #expect(record.targetID?.hasSuffix("/2.1.1-B2") == true)
                #expect(record.details.contains("→"))
                #expect(try await AuditCheckpoints.make(with: app.auditSigningKey, on: app.db) == Int64(recorded.count))
                let outcome = try await AuditCheckpoints.verify(publicKey: app.auditSigningKey.publicKey, on: app.db)
                #expect(outcome.problem == nil && outcome.storageProblem == nil)
                #expect(outcome.verified == Int64(recorded.count))
            }
        }

        @Test func auditorsFilterPageAndExportTheirInstitutionsTrail() async throws {
            try await withDemoApp { app in
                _ = try await Visitor.signIn(app, as: "demo-editor")
                let auditor = try await Visitor.signIn(app, as: "demo-auditor")
                let page = try await auditor.get("/audit?actor=demo-editor&action=session.login")
                #expect(page.status == .ok)
                #expect(page.body.string.contains("session.login.succeeded"))
                #expect(!page.body.string.contains("demo-auditor</td>"))
                #expect(try await auditor.get("/audit?from=2026-13-01").status == .badRequest)
                let csv = try await auditor.get("/audit/export.csv?actor=demo-editor")
                #expect(csv.status == .ok)
                let lines = csv.body.string.split(separator: "\r\n")
                #expect(lines.first?.hasSuffix("sequence,occurred_at,actor,action,target_type,target_id,details,source_address,hash") == true)
                #expect(lines.count >= 2)
                #expect(try await actions(app).last == "audit.exported")
            }
        }

        /// One way of tampering with the stored trail, done with plain SQL as someone with the database would.
        struct Tampering: Sendable, CustomTestStringConvertible {
            var name: String
            var tamper: @Sendable (any SQLDatabase) async throws -> Void
            var testDescription: String { name }
        }

        static let tamperings: [Tampering] = [
            Tampering(name: "a field of a middle record edited") { sql in
                try await sql.raw("UPDATE audit_log SET details = '{\"reason\":\"nothing\"}' WHERE sequence = 3").run()
            },
            Tampering(name: "a middle record deleted") { sql in
                try await sql.raw("DELETE FROM audit_log WHERE sequence = 3").run()
            },
            Tampering(name: "the newest records deleted") { sql in
                try await sql.raw("DELETE FROM audit_log WHERE sequence >= 5").run()
            },
            Tampering(name: "a forged record inserted") { sql in
                // Make room at 4 (through negative numbers: a unique key is checked row by row).
                try await sql.raw("UPDATE audit_log SET sequence = -sequence WHERE sequence >= 4").run()
                try await sql.raw("UPDATE audit_log SET sequence = 1 - sequence WHERE sequence < 0").run()
                try await sql.raw("""
                    INSERT INTO audit_log (sequence, occurred_at_ms, action, details, previous_hash, hash)
                    SELECT 4, occurred_at_ms, 'session.login.succeeded', '{}', hash, hash FROM audit_log WHERE sequence = 3
                    """).run()
            },
            Tampering(name: "two records swapped") { sql in
                try await sql.raw("UPDATE audit_log SET sequence = -1 WHERE sequence = 2").run()
                try await sql.raw("UPDATE audit_log SET sequence = 2 WHERE sequence = 3").run()
                try await sql.raw("UPDATE audit_log SET sequence = 3 WHERE sequence = -1").run()
            },
            Tampering(name: "the whole chain rewritten consistently") { sql in
                // Change one record and recompute every hash after it, head included: only the signed checkpoint can tell.
                var previous: AuditRecord?
                for row in try await sql.raw("SELECT * FROM audit_log ORDER BY sequence").all() {
                    let stored = try AuditTrail.decode(row)
                    let entry = AuditEntry(
                        occurredAt: stored.occurredAt, action: stored.action, institutionID: stored.institutionID, actorID: stored.actorID,
                        actorLogin: stored.actorLogin == "demo-editor" ? "someone-else" : stored.actorLogin, targetType: stored.targetType,
                        targetID: stored.targetID, details: [:], sourceAddress: stored.sourceAddress
                    )
                    let rewritten = try AuditChain.append(entry, after: previous)
                    try await sql.raw("""
                        UPDATE audit_log SET actor_login = \(bind: rewritten.actorLogin), details = \(bind: rewritten.details),
                        previous_hash = \(bind: rewritten.previousHash.hex), hash = \(bind: rewritten.hash.hex) WHERE sequence = \(bind: rewritten.sequence)
                        """).run()
                    previous = rewritten
                }
                if let previous { try await sql.raw("UPDATE audit_head SET hash = \(bind: previous.hash.hex)").run() }
            },
        ]

        @Test(arguments: tamperings)
        func tamperingIsDetectedAndNamed(_ tampering: Tampering) async throws {
            try await withDemoApp { app in
                // The demo's own records (its registers are entered like any others) come first.
                let seeded = try await AuditLogFixtures.actions(app).count
                let actor = AuditActor(id: nil, login: "demo-editor", institutionID: nil, sourceAddress: "192.0.2.1", via: .web)
                for index in 1...6 {
                    try await AuditTrail.event("session.login.failed", by: actor, details: ["attempt": String(index)], on: app.db)
                }
                try await AuditCheckpoints.make(with: app.auditSigningKey, on: app.db)
                let clean = try await AuditCheckpoints.verify(publicKey: app.auditSigningKey.publicKey, on: app.db)
                #expect(clean.problem == nil && clean.storageProblem == nil && clean.verified == seeded + 6)
                try await tampering.tamper(app.db as! any SQLDatabase)
                let outcome = try await AuditCheckpoints.verify(publicKey: app.auditSigningKey.publicKey, on: app.db)
                #expect(outcome.problem != nil || outcome.storageProblem != nil, "\(tampering.name) went unnoticed")
                if let problem = outcome.problem {
                    #expect((1...Int64(seeded + 6)).contains(Int64(problem.sequence)), "\(problem.english)")
                }
            }
        }

        @Test func theCommandLineVerifiesTheDatabaseFileAndNamesTheBadRecord() throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kamae-audit-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let environment = ["KAMAE_DATABASE_URL": "sqlite:\(directory.path)/kamae.sqlite", "KAMAE_LOG_LEVEL": "error"]
            let cli = CommandLineTests()
            #expect(try cli.kamae("demo", environment: environment).status == 0)
            let exported = directory.appendingPathComponent("a.json").path
            #expect(try cli.kamae("assessment", "export", "--institution", DemoData.institutionName, "--year", String(year), "--format", "json", "-o", exported, environment: environment).status == 0)
            var document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: exported))) as! [String: Any]
            var answers = document["answers"] as! [[String: Any]]
            answers[0]["evidence_text"] = "監査テスト"
            document["answers"] = answers
            try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: exported))
            #expect(try cli.kamae("assessment", "import", exported, environment: environment).status == 0)
            let intact = try cli.kamae("audit", "verify", environment: environment)
            #expect(intact.status == 0, "\(intact.stderr)")
            #expect(intact.stdout.contains("intact"))
            #expect(FileManager.default.fileExists(atPath: "\(directory.path)/kamae.sqlite.audit-key"))

            // Edit the recorded import straight in the file.
            let python = Process()
            python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            python.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE audit_log SET actor_login='nobody' WHERE sequence=1\"); c.commit()", "\(directory.path)/kamae.sqlite"]
            try python.run()
            python.waitUntilExit()
            #expect(python.terminationStatus == 0)
            let tampered = try cli.kamae("audit", "verify", environment: environment)
            #expect(tampered.status != 0)
            #expect(tampered.stderr.contains("record 1"), "\(tampered.stderr)")

            // A lost key file is not silently replaced: the signed trail would no longer verify.
            let keyFile = "\(directory.path)/kamae.sqlite.audit-key"
            try FileManager.default.removeItem(atPath: keyFile)
            let restarted = try cli.kamae("migrate", environment: environment)
            #expect(restarted.status != 0)
            #expect(restarted.stderr.contains("missing"), "\(restarted.stderr)")
            #expect(!FileManager.default.fileExists(atPath: keyFile))
        }
    }
}
