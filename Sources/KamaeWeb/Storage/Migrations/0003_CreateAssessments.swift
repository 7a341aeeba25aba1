import Fluent

struct CreateUserSessions: AsyncMigration {
    var name: String { "0003_CreateUserSessions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("user_sessions")
            .id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("user_sessions").delete()
    }
}

struct CreateAssessments: AsyncMigration {
    var name: String { "0003_CreateAssessments" }

    func prepare(on database: any Database) async throws {
        try await database.schema("assessments")
            .id()
            .field("institution_id", .uuid, .required, .references("institutions", "id", onDelete: .restrict))
            .field("fiscal_year", .int, .required)
            .field("catalog_version", .string, .required)
            .field("state", .string, .required)
            .field("submitted_by", .uuid)
            .field("submitted_at", .datetime)
            .field("approved_by", .uuid)
            .field("approved_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "institution_id", "fiscal_year")
            .create()

        try await database.schema("answers")
            .id()
            .field("assessment_id", .uuid, .required, .references("assessments", "id", onDelete: .cascade))
            .field("item_id", .string, .required)
            .field("status", .string)
            .field("maturity", .int)
            .field("not_applicable_reason", .string)
            .field("evidence_text", .string)
            .field("owner", .string)
            .field("target_date", .string)
            .field("revision", .int, .required)
            .field("updated_by", .uuid)
            .field("updated_at", .datetime, .required)
            .unique(on: "assessment_id", "item_id")
            .create()

        try await database.schema("answer_changes")
            .id()
            .field("assessment_id", .uuid, .required, .references("assessments", "id", onDelete: .cascade))
            .field("item_id", .string, .required)
            .field("field", .string, .required)
            .field("old_value", .string)
            .field("new_value", .string)
            .field("changed_by", .uuid)
            .field("via", .string, .required)
            .field("changed_at", .datetime, .required)
            .create()

        try await database.schema("assessment_events")
            .id()
            .field("assessment_id", .uuid, .required, .references("assessments", "id", onDelete: .cascade))
            .field("action", .string, .required)
            .field("from_state", .string, .required)
            .field("to_state", .string, .required)
            .field("actor_id", .uuid, .required)
            .field("reason", .string)
            .field("occurred_at", .datetime, .required)
            .create()

        try await database.schema("comments")
            .id()
            .field("assessment_id", .uuid, .required, .references("assessments", "id", onDelete: .cascade))
            .field("item_id", .string, .required)
            .field("author_id", .uuid, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .create()

        try await database.schema("remediation_actions")
            .id()
            .field("institution_id", .uuid, .required, .references("institutions", "id", onDelete: .restrict))
            .field("title", .string, .required)
            .field("owner", .string, .required)
            .field("due_date", .string, .required)
            .field("status", .string, .required)
            .field("item_ids", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["remediation_actions", "comments", "assessment_events", "answer_changes", "answers", "assessments"] {
            try await database.schema(table).delete()
        }
    }
}
