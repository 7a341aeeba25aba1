import Fluent
import SQLKit

/// Supervision (監督当局への提出と還元). Institution side: the organisation's kind and region, its Ed25519 signing
/// keys (private key sealed) and the feedback reports it has received. Supervisor side: the institutions it
/// supervises, their registered public keys, the submission rounds with deadlines and the signed submissions
/// received — kept verbatim, with the answer statuses decoded once for analysis.
struct CreateSupervision: AsyncMigration {
    var name: String { "0009_CreateSupervision" }

    func prepare(on database: any Database) async throws {
        try await database.schema("institutions").field("kind", .string, .required, .sql(.default("institution"))).update()
        try await database.schema("institutions").field("region", .string, .required, .sql(.default("kanto"))).update()

        try await database.schema("institution_signing_keys")
            .id()
            .field("institution_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("key_id", .string, .required)
            .field("public_key", .string, .required)
            .field("sealed_private_key", .string, .required)
            .field("created_at", .datetime, .required)
            .field("retired_at", .datetime)
            .unique(on: "key_id")
            .create()

        try await database.schema("received_feedback")
            .id()
            .field("institution_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("fiscal_year", .int, .required)
            .field("supervisor_name", .string, .required)
            .field("generated_at", .datetime, .required)
            .field("document", .string, .required)
            .field("received_at", .datetime, .required)
            .field("received_by", .uuid)
            .create()

        try await database.schema("supervised_institutions")
            .id()
            .field("supervisor_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("institution_id", .uuid, .required)
            .field("name", .string, .required)
            .field("institution_type", .string, .required)
            .field("size_band", .string, .required)
            .field("region", .string, .required)
            .field("registered_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "supervisor_id", "institution_id")
            .create()

        try await database.schema("supervision_keys")
            .id()
            .field("supervisor_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("institution_id", .uuid, .required)
            .field("key_id", .string, .required)
            .field("public_key", .string, .required)
            .field("registered_at", .datetime, .required)
            .field("registered_by", .uuid)
            .field("retired_at", .datetime)
            .unique(on: "supervisor_id", "key_id")
            .create()

        try await database.schema("supervision_rounds")
            .id()
            .field("supervisor_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("fiscal_year", .int, .required)
            .field("catalog_version", .string, .required)
            .field("deadline", .datetime, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "supervisor_id", "fiscal_year")
            .create()

        try await database.schema("supervision_submissions")
            .id()
            .field("supervisor_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("institution_id", .uuid, .required)
            .field("fiscal_year", .int, .required)
            .field("subject", .string, .required)
            .field("digest", .string, .required)
            .field("key_id", .string, .required)
            .field("submitted_at", .datetime, .required)
            .field("received_at", .datetime, .required)
            .field("is_current", .int, .required)
            .field("statuses", .string)
            .field("package", .string, .required)
            .unique(on: "supervisor_id", "digest")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX supervision_submissions_by_year ON supervision_submissions (supervisor_id, fiscal_year, subject, is_current)").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["supervision_submissions", "supervision_rounds", "supervision_keys", "supervised_institutions", "received_feedback", "institution_signing_keys"] {
            try await database.schema(table).delete()
        }
        try await database.schema("institutions").deleteField("region").update()
        try await database.schema("institutions").deleteField("kind").update()
    }
}
