import Fluent

struct CreateAPITokens: AsyncMigration {
    var name: String { "0004_CreateAPITokens" }

    func prepare(on database: any Database) async throws {
        try await database.schema("api_tokens")
            .id()
            .field("institution_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("created_by", .uuid, .required, .references("users", "id", onDelete: .restrict))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("api_tokens").delete()
    }
}
