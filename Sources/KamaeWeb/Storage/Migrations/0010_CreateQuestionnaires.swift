import Fluent
import SQLKit

/// Questionnaires (調査票): the supervisor's own check sheets, versioned and distributed to chosen institutions
/// with a deadline; on the institution side, the questionnaires received and their answers through approval.
/// Also: at most one current submission per institution, fiscal year and subject, even when two arrive at once.
struct CreateQuestionnaires: AsyncMigration {
    var name: String { "0010_CreateQuestionnaires" }

    func prepare(on database: any Database) async throws {
        try await database.schema("questionnaires")
            .id()
            .field("supervisor_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("code", .string, .required)
            .field("version", .int, .required)
            .field("definition", .string, .required)
            .field("fiscal_year", .int, .required)
            .field("deadline", .datetime, .required)
            .field("created_at", .datetime, .required)
            .field("published_at", .datetime)
            .unique(on: "supervisor_id", "code", "version")
            .create()
        try await database.schema("questionnaire_recipients")
            .id()
            .field("questionnaire_id", .uuid, .required, .references("questionnaires", "id", onDelete: .cascade))
            .field("institution_id", .uuid, .required)
            .unique(on: "questionnaire_id", "institution_id")
            .create()
        try await database.schema("received_questionnaires")
            .id()
            .field("institution_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("supervisor_name", .string, .required)
            .field("code", .string, .required)
            .field("version", .int, .required)
            .field("definition", .string, .required)
            .field("fiscal_year", .int, .required)
            .field("deadline", .datetime, .required)
            .field("state", .string, .required)
            .field("response", .string)
            .field("updated_by", .uuid)
            .field("updated_at", .datetime, .required)
            .field("submitted_by", .uuid)
            .field("approved_by", .uuid)
            .field("approved_at", .datetime)
            .field("received_at", .datetime, .required)
            .unique(on: "institution_id", "code", "version")
            .create()
        try await (database as! any SQLDatabase).raw("""
            CREATE UNIQUE INDEX supervision_submissions_one_current ON supervision_submissions (supervisor_id, institution_id, fiscal_year, subject)
            WHERE is_current = 1
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP INDEX supervision_submissions_one_current").run()
        for table in ["received_questionnaires", "questionnaire_recipients", "questionnaires"] {
            try await database.schema(table).delete()
        }
    }
}
