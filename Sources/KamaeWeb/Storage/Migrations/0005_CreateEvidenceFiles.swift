import Fluent

struct CreateEvidenceFiles: AsyncMigration {
    var name: String { "0005_CreateEvidenceFiles" }

    func prepare(on database: any Database) async throws {
        try await database.schema("evidence_files")
            .id()
            .field("assessment_id", .uuid, .required, .references("assessments", "id", onDelete: .cascade))
            .field("item_id", .string, .required)
            .field("filename", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("effective_date", .string, .required)
            .field("expiry_date", .string)
            .field("uploaded_by", .uuid, .required)
            .field("uploaded_at", .datetime, .required)
            .field("content", .data, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("evidence_files").delete()
    }
}
