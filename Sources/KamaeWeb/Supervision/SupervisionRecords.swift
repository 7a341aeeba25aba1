import Fluent
import Foundation

// Storage of supervision, both sides. See migration 0009 for what each table is for.

/// An institution's Ed25519 key for signing its submissions. The private key is sealed with the installation key;
/// a rotated key is kept (retired) so that the history of what was signed stays explainable.
final class InstitutionSigningKeyRecord: Model, @unchecked Sendable {
    static let schema = "institution_signing_keys"

    @ID(key: .id) var id: UUID?
    @Field(key: "institution_id") var institutionID: UUID
    @Field(key: "key_id") var keyID: String
    /// The raw 32-byte public key, base64.
    @Field(key: "public_key") var publicKey: String
    @Field(key: "sealed_private_key") var sealedPrivateKey: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "retired_at") var retiredAt: Date?

    init() {}
}

/// A feedback report (還元資料) a supervisor produced for this institution and the institution imported.
final class ReceivedFeedbackRecord: Model, @unchecked Sendable {
    static let schema = "received_feedback"

    @ID(key: .id) var id: UUID?
    @Field(key: "institution_id") var institutionID: UUID
    @Field(key: "fiscal_year") var fiscalYear: Int
    @Field(key: "supervisor_name") var supervisorName: String
    @Field(key: "generated_at") var generatedAt: Date
    /// The `kamae-feedback/1` JSON document as received.
    @Field(key: "document") var document: String
    @Field(key: "received_at") var receivedAt: Date
    @OptionalField(key: "received_by") var receivedBy: UUID?

    init() {}
}

/// An institution as a supervisor knows it: registered by the supervisor, its profile refreshed from every
/// accepted (signed) submission.
final class SupervisedInstitutionRecord: Model, @unchecked Sendable {
    static let schema = "supervised_institutions"

    @ID(key: .id) var id: UUID?
    @Field(key: "supervisor_id") var supervisorID: UUID
    /// The institution's own id, as its packages carry it.
    @Field(key: "institution_id") var institutionID: UUID
    @Field(key: "name") var name: String
    @Field(key: "institution_type") var institutionType: String
    @Field(key: "size_band") var sizeBand: String
    @Field(key: "region") var region: String
    @Field(key: "registered_at") var registeredAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// A public key a supervisor accepts for one institution. Retired keys no longer verify new submissions.
final class SupervisionKeyRecord: Model, @unchecked Sendable {
    static let schema = "supervision_keys"

    @ID(key: .id) var id: UUID?
    @Field(key: "supervisor_id") var supervisorID: UUID
    @Field(key: "institution_id") var institutionID: UUID
    @Field(key: "key_id") var keyID: String
    @Field(key: "public_key") var publicKey: String
    @Field(key: "registered_at") var registeredAt: Date
    @OptionalField(key: "registered_by") var registeredBy: UUID?
    @OptionalField(key: "retired_at") var retiredAt: Date?

    init() {}
}

/// One fiscal year's collection of self-assessments: the guideline edition expected and the deadline.
final class SupervisionRoundRecord: Model, @unchecked Sendable {
    static let schema = "supervision_rounds"

    @ID(key: .id) var id: UUID?
    @Field(key: "supervisor_id") var supervisorID: UUID
    @Field(key: "fiscal_year") var fiscalYear: Int
    @Field(key: "catalog_version") var catalogVersion: String
    @Field(key: "deadline") var deadline: Date
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// A verified submission as received. The newest accepted one per institution, year and subject is current.
final class SupervisionSubmissionRecord: Model, @unchecked Sendable {
    static let schema = "supervision_submissions"

    @ID(key: .id) var id: UUID?
    @Field(key: "supervisor_id") var supervisorID: UUID
    @Field(key: "institution_id") var institutionID: UUID
    @Field(key: "fiscal_year") var fiscalYear: Int
    @Field(key: "subject") var subject: String
    @Field(key: "digest") var digest: String
    @Field(key: "key_id") var keyID: String
    @Field(key: "submitted_at") var submittedAt: Date
    @Field(key: "received_at") var receivedAt: Date
    @Field(key: "is_current") var isCurrent: Int
    /// One character per catalog item in catalog order (`SectorStatusCodes`), for assessments.
    @OptionalField(key: "statuses") var statuses: String?
    /// The package exactly as received (canonical JSON), so that its signature can be checked again at any time.
    @Field(key: "package") var package: String

    init() {}
}

/// A questionnaire version the supervisor wrote; a published one is frozen (changes make a new version).
final class QuestionnaireRecord: Model, @unchecked Sendable {
    static let schema = "questionnaires"

    @ID(key: .id) var id: UUID?
    @Field(key: "supervisor_id") var supervisorID: UUID
    @Field(key: "code") var code: String
    @Field(key: "version") var version: Int
    /// The `Questionnaire` as JSON.
    @Field(key: "definition") var definition: String
    @Field(key: "fiscal_year") var fiscalYear: Int
    @Field(key: "deadline") var deadline: Date
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "published_at") var publishedAt: Date?

    init() {}
}

final class QuestionnaireRecipientRecord: Model, @unchecked Sendable {
    static let schema = "questionnaire_recipients"

    @ID(key: .id) var id: UUID?
    @Field(key: "questionnaire_id") var questionnaireID: UUID
    @Field(key: "institution_id") var institutionID: UUID

    init() {}
}

/// A questionnaire an institution received (imported from the supervisor's file) and its answers through approval.
final class ReceivedQuestionnaireRecord: Model, @unchecked Sendable {
    static let schema = "received_questionnaires"

    @ID(key: .id) var id: UUID?
    @Field(key: "institution_id") var institutionID: UUID
    @Field(key: "supervisor_name") var supervisorName: String
    @Field(key: "code") var code: String
    @Field(key: "version") var version: Int
    @Field(key: "definition") var definition: String
    @Field(key: "fiscal_year") var fiscalYear: Int
    @Field(key: "deadline") var deadline: Date
    /// draft, submitted (awaiting approval) or approved.
    @Field(key: "state") var state: String
    /// The `QuestionnaireResponse` as JSON.
    @OptionalField(key: "response") var response: String?
    @OptionalField(key: "updated_by") var updatedBy: UUID?
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "submitted_by") var submittedBy: UUID?
    @OptionalField(key: "approved_by") var approvedBy: UUID?
    @OptionalField(key: "approved_at") var approvedAt: Date?
    @Field(key: "received_at") var receivedAt: Date

    init() {}
}
