import ArgumentParser
import Foundation
import KamaeCore
import Logging
import Vapor

/// `kamae`: the server and the command line in one binary.
public struct KamaeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kamae",
        abstract: "Kamae (構え): cyber-security management posture for Japanese financial institutions.",
        discussion: """
        Settings come from the environment: KAMAE_DATABASE_URL (default: ./kamae.sqlite; postgres://… for PostgreSQL), \
        KAMAE_AUDIT_KEY_FILE (the key that signs audit checkpoints; default: beside the SQLite file, or ./kamae-audit.key), \
        KAMAE_LOG_LEVEL (default: info).
        """,
        version: KamaeVersion.current,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, DemoCommand.self, CatalogCommand.self, InstitutionCommand.self, UserCommand.self,
            AssessmentCommand.self, AuditCommand.self, BackupCommand.self, RestoreCommand.self, MigrateDataCommand.self, VulnCommand.self, CVSSCommand.self,
            KeysCommand.self, SubmissionCommand.self, SupervisionCommand.self, RegisterCommand.self,
        ]
    )

    public init() {}
}

/// A failure the user can act on: printed as one line, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

enum CommandSupport {
    /// Builds a configured application, runs `body`, and always shuts it down.
    static func withApplication<T>(
        arguments: [String] = ["kamae"],
        adjust: (inout KamaeConfiguration) -> Void = { _ in },
        _ body: (Application, KamaeConfiguration) async throws -> T
    ) async throws -> T {
        bootstrapLogging()
        var configuration: KamaeConfiguration
        do {
            configuration = try KamaeConfiguration.fromEnvironment()
        } catch let error as ConfigurationError {
            throw CommandFailure(error.description)
        }
        adjust(&configuration)
        let app = try await Application.make(Environment(name: "production", arguments: arguments))
        do {
            try configure(app, configuration)
            let result = try await body(app, configuration)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw CommandFailure(describe(error, database: configuration.database))
        }
    }

    /// One readable line for errors from the database drivers and elsewhere.
    static func describe(_ error: any Error, database: DatabaseLocation) -> String {
        if let failure = error as? CommandFailure { return failure.description }
        if let refusal = error as? WebError { return "\(refusal.detail.en) / \(refusal.detail.ja)" }
        // Driver errors hide their details from `description`; the reflection names the cause without secrets.
        let detail = String(reflecting: error)
        for (marker, reason) in [("Connection refused", "connection refused"), ("connectionError", "connection failed"),
                                 ("password authentication failed", "password authentication failed"),
                                 ("does not exist", "the database does not exist"), ("unable to open database", "cannot open the file")]
        where detail.contains(marker) {
            return "cannot use the database (\(database)): \(reason)"
        }
        return "\(database): \(detail.prefix(300))"
    }

    private static let loggingBootstrapped: Void = {
        let level = ProcessInfo.processInfo.environment["KAMAE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }()

    /// Prints a line for people and flushes at once, so that it shows before a long-running server's logs.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func bootstrapLogging() {
        _ = loggingBootstrapped
    }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Migrate the database and serve the web pages and the API."
    )

    @ArgumentParser.Option(help: "Address to listen on. Kamae listens on loopback unless told otherwise.")
    var hostname = "127.0.0.1"

    @ArgumentParser.Option(help: "Port to listen on.")
    var port = 8080

    @ArgumentParser.Flag(help: "Seed the demo institution and users, and print the logins.")
    var demo = false

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535.") }
        guard !hostname.isEmpty else { throw ValidationError("--hostname must not be empty.") }
    }

    func run() async throws {
        try await CommandSupport.withApplication(arguments: ["kamae", "serve"], adjust: {
            $0.hostname = hostname
            $0.port = port
        }) { app, configuration in
            try await migrate(app)
            if demo {
                let logins = try await DemoData.seedWithSupervisor(on: app.db, secrets: app.sealedSecrets)
                CommandSupport.say(DemoData.describe(logins))
            }
            let shownHost = hostname.contains(":") ? "[\(hostname)]" : hostname
            CommandSupport.say("Kamae \(KamaeVersion.current) — http://\(shownHost):\(port)/ (\(configuration.database))")
            let checkpoints = AuditCheckpoints.startSigning(app)
            try await app.execute()
            // The listener has stopped; let requests still being handled finish before the database closes.
            await app.inFlightRequests.drain()
            checkpoints.cancel()
            try await AuditCheckpoints.make(with: app.auditSigningKey, on: app.db)
        }
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or update the database schema, then exit."
    )

    func run() async throws {
        try await CommandSupport.withApplication { app, _ in
            try await migrate(app)
            CommandSupport.say("Database is up to date.")
        }
    }
}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Seed the demo data into the configured database, then exit."
    )

    func run() async throws {
        try await CommandSupport.withApplication { app, _ in
            try await migrate(app)
            let logins = try await DemoData.seedWithSupervisor(on: app.db, secrets: app.sealedSecrets)
            try await AuditCheckpoints.make(with: app.auditSigningKey, on: app.db)
            CommandSupport.say(DemoData.describe(logins))
        }
    }
}
