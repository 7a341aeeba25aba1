import Fluent
import Foundation
import KamaeCore
@testable import KamaeWeb
import Vapor

enum APITokenFixtures {
    /// Issues a token acting as the demo user of the given role and returns the secret.
    static func make(_ app: Application, role: Role, expiresIn days: Double = 30) async throws -> String {
        let token = APITokens.prefix + Sessions.randomToken()
        let admin = try await UserRecord.query(on: app.db).filter(\.$login == "demo-admin").first()!
        let holder = try await UserRecord.query(on: app.db).filter(\.$login == "demo-\(role.rawValue)").first()!
        let record = APITokenRecord()
        record.institutionID = admin.institutionID
        record.userID = try holder.requireID()
        record.createdBy = try admin.requireID()
        record.name = "test-\(role.rawValue)"
        record.tokenHash = Sessions.hash(token)
        record.createdAt = Date()
        record.expiresAt = Date().addingTimeInterval(days * 86400)
        try await record.create(on: app.db)
        return token
    }
}
