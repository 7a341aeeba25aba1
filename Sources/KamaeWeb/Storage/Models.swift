import Fluent
import Foundation

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

    init() {}

    init(name: String, institutionType: String, sizeBand: String, createdAt: Date) {
        self.name = name
        self.institutionType = institutionType
        self.sizeBand = sizeBand
        self.createdAt = createdAt
    }
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

    init() {}

    init(institutionID: UUID, login: String, displayName: String, role: String, passwordHash: String, createdAt: Date) {
        self.institutionID = institutionID
        self.login = login
        self.displayName = displayName
        self.role = role
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }
}
