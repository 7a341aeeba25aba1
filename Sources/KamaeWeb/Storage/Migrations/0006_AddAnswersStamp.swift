import Fluent
import SQLKit

/// Every write of an assessment's answers stores a fresh random stamp on the assessment row, so that a server can
/// keep the answers it has read in memory and trust them for as long as the stamp is unchanged — also when several
/// instances share one database, and after a restore (a stamp names one content, never a position in a counter).
struct AddAnswersStamp: AsyncMigration {
    var name: String { "0006_AddAnswersStamp" }

    func prepare(on database: any Database) async throws {
        try await database.schema("assessments")
            .field("answers_stamp", .string, .required, .sql(.default("")))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("assessments").deleteField("answers_stamp").update()
    }
}
