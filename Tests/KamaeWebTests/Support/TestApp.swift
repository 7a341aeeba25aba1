import Fluent
import Foundation
import KamaeCore
@testable import KamaeWeb
import SQLKit
import Testing
import Vapor
import VaporTesting

/// All web tests share one database when it is PostgreSQL, so they run one after another under this suite.
@Suite(.serialized) struct WebTests {}

/// Which database the web tests use: `KAMAE_TEST_DATABASE_URL` (CI sets a PostgreSQL URL), else SQLite in memory.
enum TestDatabase {
    static let location: DatabaseLocation = {
        guard let url = ProcessInfo.processInfo.environment["KAMAE_TEST_DATABASE_URL"], !url.isEmpty else { return .sqliteMemory }
        do {
            return try DatabaseLocation.parse(url)
        } catch {
            fatalError("KAMAE_TEST_DATABASE_URL: \(error)")
        }
    }()

    static var isPostgres: Bool {
        if case .postgres = location { return true }
        return false
    }
}

/// Builds Kamae exactly as `kamae serve` does, on a fresh, migrated database, and shuts it down afterwards.
func withKamaeApp(_ body: (Application) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning
    do {
        var configuration = KamaeConfiguration(database: TestDatabase.location)
        // An ephemeral signing key: tests never write key files.
        configuration.auditKeyPath = nil
        try configure(app, configuration)
        // The lowest bcrypt cost keeps the suite fast; hashing and verifying still run for real.
        app.passwords.use(.bcrypt(cost: 4))
        if TestDatabase.isPostgres, let sql = app.db as? any SQLDatabase {
            try await sql.raw("DROP SCHEMA IF EXISTS public CASCADE").run()
            try await sql.raw("CREATE SCHEMA public").run()
        }
        try await migrate(app)
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

extension TestingHTTPResponse {
    var text: String { body.string }
}
