import ArgumentParser
import Foundation
import KamaeTrust

/// `kamae audit verify` and `kamae audit checkpoint`: scripts and auditors call these.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify or anchor the hash-chained audit trail.",
        subcommands: [Verify.self, Checkpoint.self, PublicKey.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every audit record, its chain and the signed checkpoints, directly in the database.",
            discussion: "Exit status 0 when the trail is intact; 1 naming the first bad record otherwise. KAMAE_AUDIT_KEY_FILE names the signing key."
        )

        func run() async throws {
            let outcome = try await CommandSupport.withApplication { app, _ in
                try await AuditCheckpoints.verify(publicKey: app.auditSigningKey.publicKey, on: app.db)
            }
            if let problem = outcome.problem {
                throw CommandFailure("audit trail NOT intact: \(problem.english) / \(problem.japanese)")
            }
            if let problem = outcome.storageProblem {
                throw CommandFailure("audit trail NOT intact: \(problem)")
            }
            CommandSupport.say("audit trail intact: \(outcome.verified) records, \(outcome.checkpoints) signed checkpoints / 監査ログは改ざんされていません")
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign a checkpoint for the newest audit record (the server also does this every minute).")

        func run() async throws {
            let signed = try await CommandSupport.withApplication { app, _ in
                try await AuditCheckpoints.make(with: app.auditSigningKey, on: app.db)
            }
            CommandSupport.say(signed.map { "signed checkpoint at record \($0)" } ?? "the newest record already has a checkpoint")
        }
    }

    struct PublicKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "public-key", abstract: "Print the audit public key (base64) for auditors.")

        func run() async throws {
            let key = try await CommandSupport.withApplication { app, _ in app.auditSigningKey.publicKey }
            print(key.base64)
        }
    }
}
