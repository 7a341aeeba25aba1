import Fluent
import SQLKit

/// The hash-chained audit trail (see KamaeTrust's AuditRecord for the hashed encoding), its signed checkpoints, and
/// a one-row head that every append locks first, so that appends from several requests or instances are serialised
/// and never claim the same sequence number.
struct CreateAuditTrail: AsyncMigration {
    var name: String { "0007_CreateAuditTrail" }

    func prepare(on database: any Database) async throws {
        try await database.schema("audit_log")
            .field("sequence", .int64, .identifier(auto: false))
            .field("occurred_at_ms", .int64, .required)
            .field("institution_id", .uuid)
            .field("actor_id", .uuid)
            .field("actor_login", .string)
            .field("action", .string, .required)
            .field("target_type", .string)
            .field("target_id", .string)
            .field("details", .string, .required)
            .field("source_address", .string)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            .create()
        try await database.schema("audit_checkpoints")
            .field("sequence", .int64, .identifier(auto: false))
            .field("hash", .string, .required)
            .field("created_at_ms", .int64, .required)
            .field("signature", .string, .required)
            .create()
        try await database.schema("audit_head")
            .field("id", .int, .identifier(auto: false))
            .field("sequence", .int64, .required)
            .field("hash", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.insert(into: "audit_head").columns("id", "sequence", "hash").values(SQLBind(1), SQLBind(Int64(0)), SQLBind("")).run()
        try await sql.create(index: "audit_log_institution").on("audit_log").column("institution_id").column("sequence").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["audit_head", "audit_checkpoints", "audit_log"] {
            try await database.schema(table).delete()
        }
    }
}
