import Fluent
import Foundation
import KamaeCore

// Fluent models stay inside the storage layer; pages and the API work with plain values.
// They are `@unchecked Sendable` because Fluent's property wrappers are not Sendable; a model is never shared between tasks.

final class CatalogVersionRecord: Model, @unchecked Sendable {
    static let schema = "catalog_versions"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "title_ja") var titleJa: String
    @Field(key: "title_en") var titleEn: String
    @Field(key: "established") var established: String
    @OptionalField(key: "amended") var amended: String?
    @Field(key: "basic_items") var basicItems: Int
    @Field(key: "desirable_items") var desirableItems: Int
    @Field(key: "registered_at") var registeredAt: Date

    init() {}
}

final class InstitutionRecord: Model, @unchecked Sendable {
    static let schema = "institutions"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "institution_type") var institutionType: String
    @Field(key: "size_band") var sizeBand: String
    @Field(key: "created_at") var createdAt: Date
    /// `OrganisationKind`: a financial institution, or a supervisor that receives institutions' submissions.
    @Field(key: "kind") var kind: String
    /// A `Region` code, sent with submissions so that the supervisor can compare regions.
    @Field(key: "region") var region: String

    init() {}

    init(name: String, institutionType: String, sizeBand: String, createdAt: Date, kind: OrganisationKind = .institution, region: String = "kanto") {
        self.name = name
        self.institutionType = institutionType
        self.sizeBand = sizeBand
        self.createdAt = createdAt
        self.kind = kind.rawValue
        self.region = region
    }

    var organisationKind: OrganisationKind { OrganisationKind(rawValue: kind) ?? .institution }
}

final class UserRecord: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "institution_id") var institutionID: UUID
    @Field(key: "login") var login: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "role") var role: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "created_at") var createdAt: Date
    /// Consecutive failed sign-ins since the last success (LoginThrottle decides the lock).
    @Field(key: "failed_logins") var failedLogins: Int
    @OptionalField(key: "last_failed_at") var lastFailedAt: Date?
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    /// TOTP secret (base32) once enrolled; the pending one while the person is setting it up.
    @OptionalField(key: "mfa_secret") var mfaSecret: String?
    @OptionalField(key: "mfa_pending_secret") var mfaPendingSecret: String?
    /// The last accepted TOTP time step: the same code cannot be used twice.
    @OptionalField(key: "mfa_last_step") var mfaLastStep: Int64?
    @OptionalField(key: "mfa_enrolled_at") var mfaEnrolledAt: Date?
    /// SHA-256 digests of the unused recovery codes, space-separated.
    @OptionalField(key: "recovery_codes") var recoveryCodes: String?

    init() {}

    init(institutionID: UUID, login: String, displayName: String, role: String, passwordHash: String, createdAt: Date) {
        self.failedLogins = 0
        self.institutionID = institutionID
        self.login = login
        self.displayName = displayName
        self.role = role
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }
}

final class UserSessionRecord: Model, @unchecked Sendable {
    static let schema = "user_sessions"

    @ID(key: .id) var id: UUID?
    /// SHA-256 of the cookie value: a stolen database does not yield live sessions.
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "user_id") var userID: UUID
    @Field(key: "csrf_token") var csrfToken: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date
    /// `full`, or a sign-in still in progress: `mfa` (password accepted, code due) or `enroll` (MFA must be set up).
    @Field(key: "stage") var stage: String

    init() {}
}

final class AssessmentRecord: Model, @unchecked Sendable {
    static let schema = "assessments"

    @ID(key: .id) var id: UUID?
    @Field(key: "institution_id") var institutionID: UUID
    @Field(key: "fiscal_year") var fiscalYear: Int
    @Field(key: "catalog_version") var catalogVersion: String
    @Field(key: "state") var state: String
    @OptionalField(key: "submitted_by") var submittedBy: UUID?
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "approved_by") var approvedBy: UUID?
    @OptionalField(key: "approved_at") var approvedAt: Date?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    /// Changes with every write of this assessment's answers (see AnswerCache).
    @Field(key: "answers_stamp") var answersStamp: String

    init() {}
}

final class AnswerRecord: Model, @unchecked Sendable {
    static let schema = "answers"

    @ID(key: .id) var id: UUID?
    @Field(key: "assessment_id") var assessmentID: UUID
    @Field(key: "item_id") var itemID: String
    @OptionalField(key: "status") var status: String?
    @OptionalField(key: "maturity") var maturity: Int?
    @OptionalField(key: "not_applicable_reason") var notApplicableReason: String?
    @OptionalField(key: "evidence_text") var evidenceText: String?
    @OptionalField(key: "owner") var owner: String?
    @OptionalField(key: "target_date") var targetDate: String?
    /// Bumped on every save; a save that names an older revision is refused (optimistic locking).
    @Field(key: "revision") var revision: Int
    @OptionalField(key: "updated_by") var updatedBy: UUID?
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

final class AnswerChangeRecord: Model, @unchecked Sendable {
    static let schema = "answer_changes"

    @ID(key: .id) var id: UUID?
    @Field(key: "assessment_id") var assessmentID: UUID
    @Field(key: "item_id") var itemID: String
    @Field(key: "field") var field: String
    @OptionalField(key: "old_value") var oldValue: String?
    @OptionalField(key: "new_value") var newValue: String?
    /// nil when the change came from the command line rather than a signed-in user.
    @OptionalField(key: "changed_by") var changedBy: UUID?
    /// web, api or cli.
    @Field(key: "via") var via: String
    @Field(key: "changed_at") var changedAt: Date

    init() {}
}

final class AssessmentEventRecord: Model, @unchecked Sendable {
    static let schema = "assessment_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "assessment_id") var assessmentID: UUID
    @Field(key: "action") var action: String
    @Field(key: "from_state") var fromState: String
    @Field(key: "to_state") var toState: String
    @Field(key: "actor_id") var actorID: UUID
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "occurred_at") var occurredAt: Date

    init() {}
}

final class CommentRecord: Model, @unchecked Sendable {
    static let schema = "comments"

    @ID(key: .id) var id: UUID?
    @Field(key: "assessment_id") var assessmentID: UUID
    @Field(key: "item_id") var itemID: String
    @Field(key: "author_id") var authorID: UUID
    @Field(key: "body") var body: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

final class RemediationActionRecord: Model, @unchecked Sendable {
    static let schema = "remediation_actions"

    @ID(key: .id) var id: UUID?
    @Field(key: "institution_id") var institutionID: UUID
    @Field(key: "title") var title: String
    @Field(key: "owner") var owner: String
    @Field(key: "due_date") var dueDate: String
    @Field(key: "status") var status: String
    /// Comma-separated catalog item ids.
    @Field(key: "item_ids") var itemIDs: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

final class APITokenRecord: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(key: .id) var id: UUID?
    @Field(key: "institution_id") var institutionID: UUID
    /// The person the token acts as: their role, their institution, and their name in every history.
    @Field(key: "user_id") var userID: UUID
    /// The administrator who issued it.
    @Field(key: "created_by") var createdBy: UUID
    @Field(key: "name") var name: String
    /// SHA-256 of the token; the token itself is shown once, at creation.
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}
}

final class EvidenceFileRecord: Model, @unchecked Sendable {
    static let schema = "evidence_files"

    @ID(key: .id) var id: UUID?
    @Field(key: "assessment_id") var assessmentID: UUID
    @Field(key: "item_id") var itemID: String
    @Field(key: "filename") var filename: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "effective_date") var effectiveDate: String
    @OptionalField(key: "expiry_date") var expiryDate: String?
    @Field(key: "uploaded_by") var uploadedBy: UUID
    @Field(key: "uploaded_at") var uploadedAt: Date
    @Field(key: "content") var content: Data

    init() {}
}
