import Fluent

struct CreateInstitutions: AsyncMigration {
    var name: String { "0002_CreateInstitutions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("institutions")
            .id()
            .field("name", .string, .required)
            .field("institution_type", .string, .required)
            .field("size_band", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("institutions").delete()
    }
}

struct CreateUsers: AsyncMigration {
    var name: String { "0002_CreateUsers" }

    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .id()
            .field("institution_id", .uuid, .required, .references("institutions", "id", onDelete: .restrict))
            .field("login", .string, .required)
            .field("display_name", .string, .required)
            .field("role", .string, .required)
            .field("password_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "login")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").delete()
    }
}
