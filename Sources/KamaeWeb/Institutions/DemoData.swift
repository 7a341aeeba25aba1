import Fluent
import Foundation
import KamaeCore
import Vapor

/// デモ銀行 and one user per role, so that a newcomer can log in at once. Seeding twice changes nothing.
enum DemoData {
    static let institutionName = "デモ銀行"
    static let password = "kamae-demo-2026"

    struct Login: Sendable, Equatable {
        var login: String
        var role: Role
        var password: String
    }

    static func seed(on database: any Database, hasher: Application.Password) async throws -> [Login] {
        let logins = Role.allCases.map { Login(login: "demo-\($0.rawValue)", role: $0, password: password) }
        try await database.transaction { database in
            let institution: InstitutionRecord
            if let existing = try await InstitutionRecord.query(on: database).filter(\.$name == institutionName).first() {
                institution = existing
            } else {
                institution = InstitutionRecord(name: institutionName, institutionType: "regional-banks", sizeBand: SizeBand.medium.rawValue, createdAt: Date())
                try await institution.create(on: database)
            }
            let institutionID = try institution.requireID()
            for entry in logins {
                guard try await UserRecord.query(on: database).filter(\.$login == entry.login).first() == nil else { continue }
                let user = UserRecord(
                    institutionID: institutionID, login: entry.login, displayName: "デモ \(entry.role.name.ja)",
                    role: entry.role.rawValue, passwordHash: try hasher.hash(entry.password), createdAt: Date()
                )
                try await user.create(on: database)
            }
        }
        return logins
    }

    static func describe(_ logins: [Login]) -> String {
        var lines = ["Demo institution: \(institutionName) (中小・地域金融機関). Logins (login / password / role):"]
        for login in logins {
            lines.append("  \(login.login.padding(toLength: 16, withPad: " ", startingAt: 0)) \(login.password)  \(login.role.rawValue) (\(login.role.name.ja))")
        }
        return lines.joined(separator: "\n")
    }
}
