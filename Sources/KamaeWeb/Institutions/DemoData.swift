import Fluent
import Foundation
import KamaeCore
import KamaeTrust
import Vapor

/// デモ銀行 and one user per role, so that a newcomer can log in at once. Seeding twice changes nothing.
enum DemoData {
    static let institutionName = "デモ銀行"
    static let password = "kamae-demo-2026"
    static let demoHashCost = 8
    /// The TOTP secret of the demo administrator and approver (their role requires MFA). It is as public as the
    /// demo password: the sign-in page of these two accounts shows the current code.
    static let mfaSecret = "KAMAEDEMOKAMAEDEMOKAMAEDEMOKAMAE"

    struct Login: Sendable, Equatable {
        var login: String
        var role: Role
        var password: String
    }

    static func seed(on database: any Database, secrets: SealedSecrets, catalog: Catalog = .bundled) async throws -> [Login] {
        let logins = OrganisationKind.institution.roles.map { Login(login: "demo-\($0.rawValue)", role: $0, password: password) }
        // Demo logins have a published password and TOTP secret: never into an installation with real institutions.
        let others = try await InstitutionRecord.query(on: database).filter(\.$name != institutionName).filter(\.$name != DemoSupervisor.name).count()
        guard others == 0 else {
            throw WebError(
                status: .conflict, title: LocalizedText(ja: "デモデータは投入できません", en: "No demo data here"),
                detail: LocalizedText(
                    ja: "このデータベースには \(others) 件の金融機関があります。公開されたパスワードを持つデモ利用者は、空のデータベースにだけ作成できます。",
                    en: "This database holds \(others) institution(s); demo users, whose passwords are public, go only into an empty database."
                )
            )
        }
        try await database.transaction { database in
            let institution: InstitutionRecord
            if let existing = try await InstitutionRecord.query(on: database).filter(\.$name == institutionName).first() {
                institution = existing
            } else {
                institution = InstitutionRecord(name: institutionName, institutionType: "regional-banks", sizeBand: SizeBand.medium.rawValue, createdAt: Date())
                try await institution.create(on: database)
            }
            let institutionID = try institution.requireID()
            var users: [Role: UUID] = [:]
            for entry in logins {
                if let existing = try await UserRecord.query(on: database).filter(\.$login == entry.login).first() {
                    users[entry.role] = existing.id
                    continue
                }
                // The demo password is printed for everyone to see, so a slow hash protects nothing here; a lower
                // bcrypt cost keeps the first `serve --demo` quick. Real users (`kamae user create`, password change)
                // get the full cost.
                let user = UserRecord(
                    institutionID: institutionID, login: entry.login, displayName: "デモ \(entry.role.name.ja)",
                    role: entry.role.rawValue, passwordHash: try Bcrypt.hash(entry.password, cost: demoHashCost), createdAt: Date()
                )
                if Authorization.requiresSecondFactor(entry.role) {
                    user.mfaSecret = try secrets.seal(mfaSecret, purpose: SecondFactorController.purpose)
                    user.mfaEnrolledAt = Date()
                }
                try await user.create(on: database)
                users[entry.role] = user.id
            }
            try await seedHistory(institutionID: institutionID, users: users, catalog: catalog, on: database)
            try await DemoRegisters.seed(institutionID: institutionID, on: database)
        }
        return logins
    }

    /// The demo bank and the demo supervisor with its synthetic sector (what `kamae demo` and `serve --demo` seed).
    static func seedWithSupervisor(on database: any Database, secrets: SealedSecrets) async throws -> [Login] {
        let logins = try await seed(on: database, secrets: secrets)
        _ = try await DemoSupervisor.seed(on: database, secrets: secrets)
        return logins + [Login(login: DemoSupervisor.login, role: .supervisor, password: password)]
    }

    /// Two fiscal years: last year approved, this year a draft carried forward and partly updated, so that the
    /// dashboard, the trend and the year-over-year filter have something to show.
    static func seedHistory(institutionID: UUID, users: [Role: UUID], catalog: Catalog, on database: any Database, today: ISODate = .today()) async throws {
        let thisYear = today.month >= 4 ? today.year : today.year - 1
        let lastYear = thisYear - 1
        guard try await AssessmentRecord.query(on: database).filter(\.$institutionID == institutionID).count() == 0,
              let editor = users[.editor], let approver = users[.approver], let auditor = users[.auditor]
        else { return }
        let now = Date()
        let last = try await makeAssessment(institutionID, year: lastYear, state: .approved, catalog: catalog, on: database, now: now)
        last.submittedBy = editor
        last.submittedAt = now.addingTimeInterval(-300 * 86400)
        last.approvedBy = approver
        last.approvedAt = now.addingTimeInterval(-290 * 86400)
        try await last.save(on: database)
        for (index, item) in catalog.items.enumerated() {
            try await makeAnswer(try last.requireID(), item: item, answer: demoAnswer(item, index: index, year: 0), by: editor, on: database, now: now)
        }
        let current = try await makeAssessment(institutionID, year: thisYear, state: .draft, catalog: catalog, on: database, now: now)
        for (index, item) in catalog.items.enumerated() where index % 5 != 4 {
            try await makeAnswer(try current.requireID(), item: item, answer: demoAnswer(item, index: index, year: 1), by: editor, on: database, now: now)
        }
        let comment = CommentRecord()
        comment.assessmentID = try current.requireID()
        comment.itemID = "2.2.1.2-B1"
        comment.authorID = auditor
        comment.body = "サポート終了日が未登録の機器が残っています。台帳の更新予定を記載してください。"
        comment.createdAt = now
        try await comment.create(on: database)
        // Due dates relative to today: one action running, one later this fiscal year, one overdue.
        func daysFromNow(_ days: Double) -> String { ISODate.today(now: now.addingTimeInterval(days * 86400)).description }
        for (title, owner, due, status, items) in [
            ("EOL サーバの更改計画の策定", "システム部", daysFromNow(60), RemediationStatus.inProgress, "2.3.4.1-B3,2.2.1.2-B1"),
            ("TLPT 実施ベンダーの選定", "リスク統括部", "\(thisYear + 1)-03-31", .open, "2.2.4-Db"),
            ("サードパーティの特定と台帳の整備", "事務企画部", daysFromNow(-30), .open, "2.6-B4,2.6-B5"),
        ] {
            let action = RemediationActionRecord()
            action.institutionID = institutionID
            action.title = title
            action.owner = owner
            action.dueDate = due
            action.status = status.rawValue
            action.itemIDs = items
            action.createdAt = now
            action.updatedAt = now
            try await action.create(on: database)
        }
    }

    /// A plausible answer that improves from last year (year 0) to this year (year 1): basic measures mostly in place.
    static func demoAnswer(_ item: CatalogItem, index: Int, year: Int) -> Answer {
        let roll = (index * 37 + 11) % 100 - year * 15
        let status: AnswerStatus
        if item.kind == .basic {
            status = roll < 55 ? .implemented : (roll < 85 ? .partial : .notImplemented)
        } else {
            status = roll < 20 ? .implemented : (roll < 50 ? .partial : (roll < 95 ? .notImplemented : .notApplicable))
        }
        let maturity: MaturityLevel = switch status {
        case .implemented: roll < 25 ? .managed : .defined
        case .partial: .repeatable
        case .notImplemented: .initial
        case .notApplicable: .nonExistent
        }
        return Answer(
            itemID: item.id, status: status, maturity: status == .notApplicable ? nil : maturity,
            notApplicableReason: status == .notApplicable ? "当行は該当する業務・システムを保有していないため。" : nil,
            evidenceText: status == .implemented ? "情報セキュリティ規程 第\(index % 20 + 1)条、年次点検記録" : nil,
            owner: ["システム部", "リスク統括部", "事務企画部", "監査部"][index % 4],
            targetDate: status == .implemented || status == .notApplicable ? nil : "\(2026 + year)-0\(index % 9 + 1)-15"
        )
    }

    static func makeAssessment(_ institutionID: UUID, year: Int, state: AssessmentState, catalog: Catalog, on database: any Database, now: Date) async throws -> AssessmentRecord {
        let record = AssessmentRecord()
        record.institutionID = institutionID
        record.fiscalYear = year
        record.catalogVersion = catalog.version.id
        record.state = state.rawValue
        record.createdAt = now
        record.updatedAt = now
        record.answersStamp = AnswerCache.newStamp()
        try await record.create(on: database)
        return record
    }

    static func makeAnswer(_ assessmentID: UUID, item: CatalogItem, answer: Answer, by user: UUID, on database: any Database, now: Date) async throws {
        let record = AnswerRecord()
        record.assessmentID = assessmentID
        record.apply(answer)
        record.revision = 1
        record.updatedBy = user
        record.updatedAt = now
        try await record.create(on: database)
    }

    static func describe(_ logins: [Login]) -> String {
        var lines = ["Demo institution: \(institutionName) (中小・地域金融機関); demo supervisor: \(DemoSupervisor.name) with a synthetic sector of \(DemoSupervisor.sectorSize) institutions. Logins (login / password / role):"]
        for login in logins {
            lines.append("  \(login.login.padding(toLength: 16, withPad: " ", startingAt: 0)) \(login.password)  \(login.role.rawValue) (\(login.role.name.ja))")
        }
        return lines.joined(separator: "\n")
    }
}
