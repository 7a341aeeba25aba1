import Fluent
import Foundation
import KamaeTrust
import NIOConcurrencyHelpers
import SQLKit

/// A database-neutral copy of everything Kamae stores, in the KamaeTrust backup container: `kamae backup` writes
/// it from a consistent snapshot while the server runs, `kamae restore` and `kamae migrate-data` write it into a
/// database of either kind in one transaction.
enum LogicalBackup {
    enum Kind: Sendable {
        case uuid, text, int, date, blob
    }

    struct Table: Sendable {
        var name: String
        var columns: [(name: String, kind: Kind)]
        /// The rows' order in the file: a stable order makes two backups of equal data equal.
        var orderBy: String
    }

    /// Every table in an order that satisfies the foreign keys. Sign-in sessions are left out on purpose: a restored
    /// installation starts with everyone signed out. A test holds this list to the migrated schema.
    static let tables: [Table] = [
        Table(name: "catalog_versions", columns: [
            ("id", .text), ("title_ja", .text), ("title_en", .text), ("established", .text), ("amended", .text),
            ("basic_items", .int), ("desirable_items", .int), ("registered_at", .date),
        ], orderBy: "id"),
        Table(name: "institutions", columns: [
            ("id", .uuid), ("name", .text), ("institution_type", .text), ("size_band", .text), ("created_at", .date), ("kind", .text), ("region", .text),
        ], orderBy: "id"),
        Table(name: "users", columns: [
            ("id", .uuid), ("institution_id", .uuid), ("login", .text), ("display_name", .text), ("role", .text), ("password_hash", .text),
            ("created_at", .date), ("failed_logins", .int), ("last_failed_at", .date), ("locked_until", .date), ("mfa_secret", .text),
            ("mfa_pending_secret", .text), ("mfa_last_step", .int), ("mfa_enrolled_at", .date), ("recovery_codes", .text),
        ], orderBy: "id"),
        Table(name: "assessments", columns: [
            ("id", .uuid), ("institution_id", .uuid), ("fiscal_year", .int), ("catalog_version", .text), ("state", .text),
            ("submitted_by", .uuid), ("submitted_at", .date), ("approved_by", .uuid), ("approved_at", .date), ("created_at", .date),
            ("updated_at", .date), ("answers_stamp", .text),
        ], orderBy: "id"),
        Table(name: "answers", columns: [
            ("id", .uuid), ("assessment_id", .uuid), ("item_id", .text), ("status", .text), ("maturity", .int), ("not_applicable_reason", .text),
            ("evidence_text", .text), ("owner", .text), ("target_date", .text), ("revision", .int), ("updated_by", .uuid), ("updated_at", .date),
        ], orderBy: "id"),
        Table(name: "answer_changes", columns: [
            ("id", .uuid), ("assessment_id", .uuid), ("item_id", .text), ("field", .text), ("old_value", .text), ("new_value", .text),
            ("changed_by", .uuid), ("via", .text), ("changed_at", .date),
        ], orderBy: "id"),
        Table(name: "assessment_events", columns: [
            ("id", .uuid), ("assessment_id", .uuid), ("action", .text), ("from_state", .text), ("to_state", .text), ("actor_id", .uuid),
            ("reason", .text), ("occurred_at", .date),
        ], orderBy: "id"),
        Table(name: "comments", columns: [
            ("id", .uuid), ("assessment_id", .uuid), ("item_id", .text), ("author_id", .uuid), ("body", .text), ("created_at", .date),
        ], orderBy: "id"),
        Table(name: "remediation_actions", columns: [
            ("id", .uuid), ("institution_id", .uuid), ("title", .text), ("owner", .text), ("due_date", .text), ("status", .text),
            ("item_ids", .text), ("created_at", .date), ("updated_at", .date),
        ], orderBy: "id"),
        Table(name: "api_tokens", columns: [
            ("id", .uuid), ("institution_id", .uuid), ("user_id", .uuid), ("created_by", .uuid), ("name", .text), ("token_hash", .text),
            ("created_at", .date), ("expires_at", .date), ("last_used_at", .date), ("revoked_at", .date),
        ], orderBy: "id"),
        Table(name: "evidence_files", columns: [
            ("id", .uuid), ("assessment_id", .uuid), ("item_id", .text), ("filename", .text), ("content_type", .text), ("size", .int),
            ("sha256", .text), ("effective_date", .text), ("expiry_date", .text), ("uploaded_by", .uuid), ("uploaded_at", .date), ("content", .blob),
        ], orderBy: "id"),
        Table(name: "institution_signing_keys", columns: [
            ("id", .uuid), ("institution_id", .uuid), ("key_id", .text), ("public_key", .text), ("sealed_private_key", .text),
            ("created_at", .date), ("retired_at", .date),
        ], orderBy: "id"),
        Table(name: "received_feedback", columns: [
            ("id", .uuid), ("institution_id", .uuid), ("fiscal_year", .int), ("supervisor_name", .text), ("generated_at", .date),
            ("document", .text), ("received_at", .date), ("received_by", .uuid),
        ], orderBy: "id"),
        Table(name: "supervised_institutions", columns: [
            ("id", .uuid), ("supervisor_id", .uuid), ("institution_id", .uuid), ("name", .text), ("institution_type", .text),
            ("size_band", .text), ("region", .text), ("registered_at", .date), ("updated_at", .date),
        ], orderBy: "id"),
        Table(name: "supervision_keys", columns: [
            ("id", .uuid), ("supervisor_id", .uuid), ("institution_id", .uuid), ("key_id", .text), ("public_key", .text),
            ("registered_at", .date), ("registered_by", .uuid), ("retired_at", .date),
        ], orderBy: "id"),
        Table(name: "supervision_rounds", columns: [
            ("id", .uuid), ("supervisor_id", .uuid), ("fiscal_year", .int), ("catalog_version", .text), ("deadline", .date), ("created_at", .date),
        ], orderBy: "id"),
        Table(name: "supervision_submissions", columns: [
            ("id", .uuid), ("supervisor_id", .uuid), ("institution_id", .uuid), ("fiscal_year", .int), ("subject", .text), ("digest", .text),
            ("key_id", .text), ("submitted_at", .date), ("received_at", .date), ("is_current", .int), ("statuses", .text), ("package", .text),
        ], orderBy: "id"),
        Table(name: "questionnaires", columns: [
            ("id", .uuid), ("supervisor_id", .uuid), ("code", .text), ("version", .int), ("definition", .text), ("fiscal_year", .int),
            ("deadline", .date), ("created_at", .date), ("published_at", .date),
        ], orderBy: "id"),
        Table(name: "questionnaire_recipients", columns: [("id", .uuid), ("questionnaire_id", .uuid), ("institution_id", .uuid)], orderBy: "id"),
        Table(name: "received_questionnaires", columns: [
            ("id", .uuid), ("institution_id", .uuid), ("supervisor_name", .text), ("code", .text), ("version", .int), ("definition", .text),
            ("fiscal_year", .int), ("deadline", .date), ("state", .text), ("response", .text), ("updated_by", .uuid), ("updated_at", .date),
            ("submitted_by", .uuid), ("approved_by", .uuid), ("approved_at", .date), ("received_at", .date),
        ], orderBy: "id"),
        Table(name: "register_zones", columns: [("id", .uuid), ("institution_id", .uuid), ("code", .text), ("name", .text), ("kind", .text), ("description", .text), ("revision", .int), ("created_at", .date), ("updated_at", .date)], orderBy: "id"),
        Table(name: "register_systems", columns: [("id", .uuid), ("institution_id", .uuid), ("code", .text), ("name", .text), ("kind", .text), ("owner_department", .text), ("criticality", .text), ("confidentiality", .text), ("integrity", .text), ("availability", .text), ("critical_business", .int), ("third_party", .text), ("zone_id", .uuid), ("description", .text), ("revision", .int), ("created_at", .date), ("updated_at", .date)], orderBy: "id"),
        Table(name: "register_data", columns: [("id", .uuid), ("institution_id", .uuid), ("code", .text), ("name", .text), ("category", .text), ("confidentiality", .text), ("integrity", .text), ("availability", .text), ("storage", .text), ("retention", .text), ("description", .text), ("revision", .int), ("created_at", .date), ("updated_at", .date)], orderBy: "id"),
        Table(name: "register_components", columns: [("id", .uuid), ("institution_id", .uuid), ("code", .text), ("system_id", .uuid), ("kind", .text), ("product", .text), ("vendor", .text), ("version", .text), ("purl", .text), ("cpe", .text), ("location", .text), ("end_of_support", .text), ("support_extendable", .int), ("unapproved", .int), ("description", .text), ("sbom_upload_id", .uuid), ("revision", .int), ("created_at", .date), ("updated_at", .date)], orderBy: "id"),
        Table(name: "register_connections", columns: [("id", .uuid), ("institution_id", .uuid), ("code", .text), ("from_zone_id", .uuid), ("to_zone_id", .uuid), ("kind", .text), ("protocol", .text), ("description", .text), ("revision", .int), ("created_at", .date), ("updated_at", .date)], orderBy: "id"),
        Table(name: "register_flows", columns: [("id", .uuid), ("institution_id", .uuid), ("code", .text), ("from_system_id", .uuid), ("to_system_id", .uuid), ("data_id", .uuid), ("protocol", .text), ("encrypted", .int), ("description", .text), ("revision", .int), ("created_at", .date), ("updated_at", .date)], orderBy: "id"),
        Table(name: "register_links", columns: [("id", .uuid), ("institution_id", .uuid), ("register", .text), ("record_id", .uuid), ("field", .text), ("target_id", .uuid)], orderBy: "id"),
        Table(name: "sbom_uploads", columns: [("id", .uuid), ("institution_id", .uuid), ("system_id", .uuid), ("version", .int), ("filename", .text), ("format", .text), ("sha256", .text), ("component_count", .int), ("components", .text), ("uploaded_by", .uuid), ("uploaded_at", .date)], orderBy: "id"),
        Table(name: "advisory_feeds", columns: [("id", .uuid), ("institution_id", .uuid), ("filename", .text), ("kind", .text), ("sha256", .text), ("entries", .int), ("findings_created", .int), ("imported_by", .uuid), ("imported_at", .date)], orderBy: "id"),
        Table(name: "advisories", columns: [("id", .uuid), ("institution_id", .uuid), ("advisory_id", .text), ("vulnerability_id", .text), ("aliases", .text), ("source", .text), ("summary", .text), ("severity", .text), ("published_severity", .text), ("document", .text), ("feed_id", .uuid), ("imported_at", .date)], orderBy: "id"),
        Table(name: "advisory_keys", columns: [("id", .uuid), ("institution_id", .uuid), ("advisory_row", .uuid), ("match_key", .text)], orderBy: "id"),
        Table(name: "findings", columns: [("id", .uuid), ("institution_id", .uuid), ("component_id", .uuid), ("system_id", .uuid), ("component_label", .text), ("system_label", .text), ("vulnerability_id", .text), ("advisory_id", .text), ("aliases", .text), ("summary", .text), ("severity", .text), ("criticality", .text), ("known_exploited", .int), ("epss", .text), ("priority", .text), ("discovered_on", .text), ("deadline", .text), ("deadline_reasons", .text), ("status", .text), ("closed_on", .text), ("closed_within_policy", .int), ("auto_closed", .int), ("note", .text), ("revision", .int), ("updated_at", .date)], orderBy: "id"),
        Table(name: "finding_exceptions", columns: [("id", .uuid), ("institution_id", .uuid), ("finding_id", .uuid), ("reason", .text), ("compensating_controls", .text), ("expiry", .text), ("state", .text), ("requested_by", .uuid), ("requested_at", .date), ("decided_by", .uuid), ("decided_at", .date), ("decision_note", .text)], orderBy: "id"),
        Table(name: "vulnerability_policies", columns: [("id", .uuid), ("institution_id", .uuid), ("policy", .text), ("updated_by", .uuid), ("updated_at", .date)], orderBy: "id"),
        Table(name: "kev_entries", columns: [("id", .uuid), ("institution_id", .uuid), ("cve_id", .text), ("date_added", .text), ("due_date", .text), ("ransomware", .int)], orderBy: "id"),
        Table(name: "epss_scores", columns: [("id", .uuid), ("institution_id", .uuid), ("cve_id", .text), ("epss", .text), ("percentile", .text), ("score_date", .text)], orderBy: "id"),
        Table(name: "evidence_links", columns: [("id", .uuid), ("institution_id", .uuid), ("assessment_id", .uuid), ("item_id", .text), ("register", .text), ("record_id", .uuid), ("created_by", .uuid), ("created_at", .date)], orderBy: "id"),
        Table(name: "audit_log", columns: [
            ("sequence", .int), ("occurred_at_ms", .int), ("institution_id", .uuid), ("actor_id", .uuid), ("actor_login", .text), ("action", .text),
            ("target_type", .text), ("target_id", .text), ("details", .text), ("source_address", .text), ("previous_hash", .text), ("hash", .text),
        ], orderBy: "sequence"),
        Table(name: "audit_checkpoints", columns: [("sequence", .int), ("hash", .text), ("created_at_ms", .int), ("signature", .text)], orderBy: "sequence"),
        Table(name: "audit_head", columns: [("id", .int), ("sequence", .int), ("hash", .text)], orderBy: "id"),
    ]

    /// Tables that exist but are not copied: Fluent's own bookkeeping (compared, not copied) and sign-in sessions.
    static let notCopied: Set<String> = ["_fluent_migrations", "user_sessions"]

    struct Summary: Sendable {
        var rows: [String: Int]
        var total: Int { rows.values.reduce(0, +) }
    }

    /// The names of the migrations applied to a database, in order.
    static func migrations(on database: any Database) async throws -> [String] {
        try await (database as! any SQLDatabase).raw("SELECT name FROM _fluent_migrations ORDER BY batch, name").all()
            .map { try $0.decode(column: "name", as: String.self) }
    }

    /// Writes every table from one consistent snapshot (a repeatable-read transaction on PostgreSQL; SQLite's read
    /// transaction holds writers back until it ends).
    static func write(from database: any Database, to writer: @escaping @Sendable (Data) throws -> Void, now: Date = Date()) async throws -> Summary {
        try await database.transaction { database in
            let sql = database as! any SQLDatabase
            if sql.dialect.name == "postgresql" {
                try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY").run()
            }
            let manifest = BackupManifest(
                createdAt: now, kamaeVersion: KamaeVersion.current, schemaMigrations: try await migrations(on: database), tables: tables.map(\.name)
            )
            let box = LockedBackupWriter(try BackupWriter(manifest: manifest, sink: writer))
            for table in tables {
                try box.withLockedValue { try $0.output.beginTable(table.name, columns: table.columns.map(\.name)) }
                let columns = table.columns.map { SQLIdentifier($0.name) as any SQLExpression }
                try await sql.select().columns(columns).from(table.name).orderBy(table.orderBy).run { row in
                    box.withLockedValue { state in
                        guard state.failure == nil else { return }
                        do {
                            try state.output.writeRow(try table.columns.map { try value(of: $0.name, kind: $0.kind, in: row) })
                            state.rows[table.name, default: 0] += 1
                        } catch {
                            state.failure = error
                        }
                    }
                }
                if let failure = box.withLockedValue({ $0.failure }) { throw failure }
            }
            return try box.withLockedValue { state in
                try state.output.finish()
                return Summary(rows: state.rows)
            }
        }
    }

    /// The writer is a class that is not Sendable; rows arrive on the database's thread one at a time, and every
    /// use goes through this lock.
    final class LockedBackupWriter: @unchecked Sendable {
        struct State {
            var output: BackupWriter
            var rows: [String: Int] = [:]
            var failure: (any Error)?
        }

        private let lock = NIOLock()
        private var state: State

        init(_ output: BackupWriter) { state = State(output: output) }

        func withLockedValue<T>(_ body: (inout State) throws -> T) rethrows -> T {
            try lock.withLock { try body(&state) }
        }
    }

    static func value(of column: String, kind: Kind, in row: any SQLRow) throws -> BackupValue {
        if try row.decodeNil(column: column) { return .null }
        switch kind {
        case .uuid: return .uuid(try row.decode(column: column, as: UUID.self))
        case .text: return .text(try row.decode(column: column, as: String.self))
        case .int: return .int(try row.decode(column: column, as: Int64.self))
        case .date: return .date(try row.decode(column: column, as: Date.self))
        case .blob: return .blob(try row.decode(column: column, as: Data.self))
        }
    }

    enum RestoreError: Error, CustomStringConvertible {
        case schemaDiffers(backup: [String], database: [String])
        case unknownTable(String)
        case columnsDiffer(table: String)
        case wrongType(table: String, column: String)
        case tablesMissing
        case auditTrailBroken(String)

        var description: String {
            switch self {
            case let .schemaDiffers(backup, database):
                "the backup was made with schema migrations \(backup.last ?? "none") (\(backup.count)), this database has \(database.last ?? "none") (\(database.count)): use the Kamae version that made the backup"
            case let .unknownTable(name): "the backup holds a table this version does not know: \(name)"
            case let .columnsDiffer(table): "the columns of table \(table) in the backup differ from this version's"
            case let .wrongType(table, column): "table \(table), column \(column): a value of the wrong type"
            case .tablesMissing: "the backup does not hold every table of this version"
            case let .auditTrailBroken(reason): "the backup's audit trail does not verify with this installation's key: \(reason)"
            }
        }
    }

    /// Replaces everything in `database` with the backup, in one transaction: a damaged file was refused by
    /// `verify()` before this runs, and any failure here rolls back to the data as it was.
    static func restore(_ backup: VerifiedBackup, into database: any Database) async throws -> Summary {
        let present = try await migrations(on: database)
        guard present == backup.manifest.schemaMigrations else {
            throw RestoreError.schemaDiffers(backup: backup.manifest.schemaMigrations, database: present)
        }
        let specs = Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0) })
        guard backup.tables.map(\.name) == tables.map(\.name) else { throw RestoreError.tablesMissing }
        for table in backup.tables {
            guard let spec = specs[table.name] else { throw RestoreError.unknownTable(table.name) }
            guard spec.columns.map(\.name) == table.columns else { throw RestoreError.columnsDiffer(table: table.name) }
        }
        return try await database.transaction { database in
            let sql = database as! any SQLDatabase
            for table in ["user_sessions"] + tables.reversed().map(\.name) {
                try await sql.delete(from: table).run()
            }
            var rows: [String: Int] = [:]
            var events = try backup.events()
            var current: Table?
            var batch: [[any SQLExpression]] = []
            func flush() async throws {
                guard let table = current, !batch.isEmpty else { return }
                let insert = sql.insert(into: table.name).columns(table.columns.map(\.name))
                for row in batch { insert.values(row) }
                try await insert.run()
                rows[table.name, default: 0] += batch.count
                batch.removeAll(keepingCapacity: true)
            }
            while let event = try events.next() {
                switch event {
                case let .table(table):
                    try await flush()
                    current = specs[table.name]
                case let .row(values):
                    guard let table = current else { continue }
                    batch.append(try zip(table.columns, values).map { column, value in try bind(value, as: column.kind, table: table.name, column: column.name) })
                    // Few enough bind parameters per statement for either database.
                    if batch.count * table.columns.count >= 2_000 { try await flush() }
                }
            }
            try await flush()
            return Summary(rows: rows)
        }
    }

    /// Holds the backup's audit trail to this installation's public key before anything is restored: an edited
    /// backup whose history was rewritten (or signed by another key) is refused. Two passes: checkpoints, then records.
    static func verifyAuditTrail(in backup: VerifiedBackup, publicKey: AuditPublicKey) throws {
        func rows(of table: String, _ body: ([BackupValue]) throws -> Void) throws {
            var events = try backup.events()
            var inside = false
            while let event = try events.next() {
                switch event {
                case let .table(found): inside = found.name == table
                case let .row(values) where inside: try body(values)
                case .row: continue
                }
            }
        }
        func text(_ value: BackupValue) -> String? { if case let .text(text) = value { text } else { nil } }
        func int(_ value: BackupValue) -> Int64? { if case let .int(number) = value { number } else { nil } }
        func uuid(_ value: BackupValue) -> UUID? { if case let .uuid(id) = value { id } else { nil } }
        var checkpoints: [AuditCheckpoint] = []
        try rows(of: "audit_checkpoints") { row in
            guard let sequence = int(row[0]), let hash = text(row[1]).flatMap(AuditHash.init(hex:)), let created = int(row[2]),
                  let signature = text(row[3]).flatMap({ Data(base64Encoded: $0) })
            else { throw RestoreError.auditTrailBroken("an unreadable checkpoint") }
            checkpoints.append(AuditCheckpoint(sequence: sequence, hash: hash, createdAt: Date(timeIntervalSince1970: Double(created) / 1000), signature: signature))
        }
        var verifier = AuditChainVerifier(checkpoints: checkpoints, publicKey: publicKey)
        var problem: AuditProblem?
        try rows(of: "audit_log") { row in
            guard problem == nil else { return }
            guard let sequence = int(row[0]), let occurred = int(row[1]), let action = text(row[5]), let details = text(row[8]),
                  let previous = text(row[10]).flatMap(AuditHash.init(hex:)), let hash = text(row[11]).flatMap(AuditHash.init(hex:))
            else { throw RestoreError.auditTrailBroken("an unreadable audit record") }
            problem = verifier.check(AuditRecord(
                sequence: sequence, occurredAt: Date(timeIntervalSince1970: Double(occurred) / 1000), institutionID: uuid(row[2]), actorID: uuid(row[3]),
                actorLogin: text(row[4]), action: action, targetType: text(row[6]), targetID: text(row[7]), details: details,
                sourceAddress: text(row[9]), previousHash: previous, hash: hash
            ))
        }
        if let problem = problem ?? verifier.finish() { throw RestoreError.auditTrailBroken(problem.english) }
    }

    /// The first difference between two backups' rows (table, row number, column), or nil when every row of every
    /// table is equal. Streams both files side by side.
    static func firstDifference(_ left: VerifiedBackup, _ right: VerifiedBackup) throws -> String? {
        guard left.tables.map(\.name) == right.tables.map(\.name) else { return "the tables differ" }
        var (a, b) = (try left.events(), try right.events())
        var table = ""
        var row = 0
        while true {
            let (x, y) = (try a.next(), try b.next())
            if x == nil, y == nil { return nil }
            switch (x, y) {
            case let (.table(t)?, .table(u)?):
                guard t.name == u.name, t.columns == u.columns, t.rowCount == u.rowCount else {
                    return "table \(t.name): \(t.rowCount) rows against \(u.rowCount)"
                }
                (table, row) = (t.name, 0)
            case let (.row(r)?, .row(s)?):
                row += 1
                if let column = zip(r, s).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                    let name = tables.first { $0.name == table }?.columns[column].name ?? String(column)
                    return "table \(table), row \(row), column \(name)"
                }
            default:
                return "table \(table): the rows end at different places"
            }
        }
    }

    static func bind(_ value: BackupValue, as kind: Kind, table: String, column: String) throws -> any SQLExpression {
        switch (value, kind) {
        case (.null, _): return SQLLiteral.null
        case let (.uuid(uuid), .uuid): return SQLBind(uuid)
        case let (.text(text), .text): return SQLBind(text)
        case let (.int(number), .int): return SQLBind(number)
        case let (.date(date), .date): return SQLBind(date)
        case let (.blob(data), .blob): return SQLBind(data)
        default: throw RestoreError.wrongType(table: table, column: column)
        }
    }
}
