import Fluent

struct CreateCatalogVersions: AsyncMigration {
    var name: String { "0001_CreateCatalogVersions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("catalog_versions")
            .field("id", .string, .identifier(auto: false))
            .field("title_ja", .string, .required)
            .field("title_en", .string, .required)
            .field("established", .string, .required)
            .field("amended", .string)
            .field("basic_items", .int, .required)
            .field("desirable_items", .int, .required)
            .field("registered_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("catalog_versions").delete()
    }
}
