import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Vapor

extension Application {
    /// Points Fluent at the configured database and registers every migration, in order.
    func useDatabase(_ location: DatabaseLocation) throws {
        switch location {
        case let .sqliteFile(path):
            databases.use(.sqlite(.file(path), sqlLogLevel: .debug), as: .sqlite)
        case .sqliteMemory:
            databases.use(.sqlite(.memory, sqlLogLevel: .debug), as: .sqlite)
        case let .postgres(url):
            var configuration = try SQLPostgresConfiguration(url: url)
            configuration.searchPath = url.query.flatMap(DatabaseLocation.searchPath(fromQuery:))
            databases.use(.postgres(configuration: configuration, sqlLogLevel: .debug), as: .psql)
        }
        Migrations.register(on: migrations)
    }
}

extension DatabaseLocation {
    /// `?search_path=schema` on a PostgreSQL URL selects a schema (tests use one schema per run).
    static func searchPath(fromQuery query: String) -> [String]? {
        URLComponents(string: "?" + query)?.queryItems?
            .first { $0.name == "search_path" }?.value
            .map { $0.split(separator: ",").map { String($0) } }
    }
}

/// The migration list is append-only: a released migration never changes, a new change gets a new one.
enum Migrations {
    static func register(on migrations: Fluent.Migrations) {
        // 0001: catalog versions an installation knows, so that assessments can cite the edition they answered.
        migrations.add(CreateCatalogVersions())
        // 0002: institutions and their people.
        migrations.add(CreateInstitutions())
        migrations.add(CreateUsers())
        // 0003: sessions stored in the database (several instances can share one PostgreSQL), and the self-assessment.
        migrations.add(CreateUserSessions())
        migrations.add(CreateAssessments())
        // 0004: API tokens, hashed at rest, scoped to one institution and one role.
        migrations.add(CreateAPITokens())
        // 0005: evidence files attached to answers, with their SHA-256 and validity dates.
        migrations.add(CreateEvidenceFiles())
        // 0006: a stamp that changes with every answer write, so that read answers can be kept in memory safely.
        migrations.add(AddAnswersStamp())
        // 0007: the hash-chained audit trail, its signed checkpoints and the head that serialises appends.
        migrations.add(CreateAuditTrail())
        // 0008: lockout after failed sign-ins, TOTP second factor and recovery codes, session stages.
        migrations.add(AddSignInProtection())
        // 0009: supervision — signing keys, feedback received, and the supervisor's institutions, keys, rounds and submissions.
        migrations.add(CreateSupervision())
        // 0010: questionnaires — authored, versioned and distributed by a supervisor; received, answered and approved by institutions.
        migrations.add(CreateQuestionnaires())
        migrations.add(CreateRegisters())
    }
}

extension String {
    /// The text with LIKE's wildcards taken literally; use with `ESCAPE '\\'`.
    var likeEscaped: String {
        replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}

extension Array {
    /// Pieces small enough for one `IN (…)` list: both databases limit the values one statement may bind.
    func chunked(_ size: Int = 500) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}

enum DatabaseWrites {
    /// Takes the write lock before a transaction reads what it will write. On SQLite a transaction that reads first
    /// and writes later fails with "database is locked" when another did the same; on PostgreSQL this orders writers
    /// the way the audit trail orders them anyway (the same row).
    static func lock(_ database: any Database) async throws {
        let sql = database as! any SQLDatabase
        // PostgreSQL takes row locks as it goes and never fails a reader that starts writing; locking the audit head
        // early there would only make every institution wait for one long import.
        guard sql.dialect.name == "sqlite" else { return }
        try await sql.raw("UPDATE audit_head SET sequence = sequence WHERE id = 1").run()
    }
}

enum DatabaseErrors {
    /// A unique constraint refused a write (SQLite: "UNIQUE constraint failed"; PostgreSQL: SQLSTATE 23505): another
    /// transaction stored the same thing first.
    static func isUniqueViolation(_ error: any Error) -> Bool {
        if let constraint = error as? any DatabaseError, constraint.isConstraintFailure { return true }
        let text = String(reflecting: error)
        return text.contains("UNIQUE constraint failed") || text.contains("23505") || text.contains("unique_violation")
    }
}
