import Fluent

/// Sign-in protection: failed attempts and temporary locks per account, TOTP second factor with recovery codes,
/// and the stage a session is at (a password alone does not open a session of a person who uses MFA).
struct AddSignInProtection: AsyncMigration {
    var name: String { "0008_AddSignInProtection" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds columns one at a time.
        try await database.schema("users").field("failed_logins", .int, .required, .sql(.default(0))).update()
        try await database.schema("users").field("last_failed_at", .datetime).update()
        try await database.schema("users").field("locked_until", .datetime).update()
        try await database.schema("users").field("mfa_secret", .string).update()
        try await database.schema("users").field("mfa_pending_secret", .string).update()
        try await database.schema("users").field("mfa_last_step", .int64).update()
        try await database.schema("users").field("mfa_enrolled_at", .datetime).update()
        try await database.schema("users").field("recovery_codes", .string).update()
        try await database.schema("user_sessions").field("stage", .string, .required, .sql(.default("full"))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("user_sessions").deleteField("stage").update()
        for field in ["recovery_codes", "mfa_enrolled_at", "mfa_last_step", "mfa_pending_secret", "mfa_secret", "locked_until", "last_failed_at", "failed_logins"] {
            try await database.schema("users").deleteField(FieldKey(stringLiteral: field)).update()
        }
    }
}
