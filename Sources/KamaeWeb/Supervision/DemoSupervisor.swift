import Crypto
import Fluent
import Foundation
import KamaeCore
import KamaeSupervision
import KamaeTrust
import Vapor

/// デモ監督当局: a supervisor workspace with a synthetic sector, so that the analysis and feedback pages are alive at
/// once. Every submission in it is a real signed package that went through the same verification as a real one.
enum DemoSupervisor {
    static let name = "デモ監督当局"
    static let login = "demo-supervisor"
    static let sectorSize = 40
    static let seed: UInt64 = 20_241_004

    /// Seeds the supervisor, its sector (two fiscal years, the last one including デモ銀行's approved assessment), and
    /// delivers デモ銀行's feedback report into its own workspace. Seeding twice changes nothing.
    static func seed(on database: any Database, secrets: SealedSecrets, catalog: Catalog = .bundled, today: ISODate = .today()) async throws -> DemoData.Login? {
        guard try await InstitutionRecord.query(on: database).filter(\.$name == name).first() == nil,
              let bank = try await InstitutionRecord.query(on: database).filter(\.$name == DemoData.institutionName).first()
        else { return nil }
        let bankID = try bank.requireID()
        let lastYear = (today.month >= 4 ? today.year : today.year - 1) - 1
        let years = [lastYear - 1, lastYear]
        let supervisor = InstitutionRecord(name: name, institutionType: "supervisor", sizeBand: SizeBand.large.rawValue, createdAt: Date(), kind: .supervisor)
        try await supervisor.create(on: database)
        let supervisorID = try supervisor.requireID()
        let user = UserRecord(
            institutionID: supervisorID, login: login, displayName: "デモ 監督担当", role: Role.supervisor.rawValue,
            passwordHash: try Bcrypt.hash(DemoData.password, cost: DemoData.demoHashCost), createdAt: Date()
        )
        user.mfaSecret = try secrets.seal(DemoData.mfaSecret, purpose: SecondFactorController.purpose)
        user.mfaEnrolledAt = Date()
        try await user.create(on: database)
        let actor = AuditActor.cli(institutionID: supervisorID)

        try await openRounds(years + [lastYear + 1], supervisorID: supervisorID, catalog: catalog, by: actor, on: database)
        let sector = SyntheticSector.generate(catalog: catalog, institutionCount: sectorSize, years: years, typeIDs: typeIDs(catalog), seed: seed)
        _ = try await submit(sector, supervisorID: supervisorID, catalog: catalog, by: actor, on: database)

        // デモ銀行 registers its key and submits last year's approved assessment.
        let bankKey = try await InstitutionSigningKeys.current(institutionID: bankID, by: .cli(institutionID: bankID), secrets: secrets, on: database)
        try await SupervisionStore.register(
            InstitutionProfile(id: bankID, name: bank.name, typeID: bank.institutionType, sizeBand: SizeBand(rawValue: bank.sizeBand) ?? .medium, region: Region(rawValue: bank.region) ?? .kanto),
            publicKey: bankKey.publicKey, supervisorID: supervisorID, by: actor, on: database
        )
        let submittedAt = SupervisionDeadline.endOfDay("\(lastYear + 1)-06-20")!
        let package = try await SubmissionExport.package(institutionID: bankID, year: lastYear, by: .cli(institutionID: bankID), secrets: secrets, catalog: catalog, on: database, now: submittedAt)
        _ = try await SupervisionStore.receive(try package.canonicalData(), supervisorID: supervisorID, catalog: catalog, by: actor, on: database, now: submittedAt)

        // The supervisor's feedback, delivered into デモ銀行's Kamae.
        let reports = try await FeedbackReports.generate(supervisorID: supervisorID, year: lastYear, grouping: .institutionType, catalog: catalog, on: database)
        if let report = reports.first(where: { $0.feedback.institutionID == bankID }) {
            _ = try await ReceivedFeedback.importDocument(try report.encoded(), institutionID: bankID, by: .cli(institutionID: bankID), on: database)
        }
        return DemoData.Login(login: login, role: .supervisor, password: DemoData.password)
    }

    /// Institution types to draw a synthetic sector from, regional banks first (the most frequent).
    static func typeIDs(_ catalog: Catalog) -> [String] {
        ["regional-banks"] + catalog.institutionTypes.map(\.id).filter { $0 != "regional-banks" }
    }

    /// Rounds for past years close at the end of June after the fiscal year (rounds already set are kept).
    static func openRounds(_ years: [Int], supervisorID: UUID, catalog: Catalog, by actor: AuditActor, on database: any Database) async throws {
        let existing = Set(try await SupervisionStore.rounds(supervisorID: supervisorID, on: database).map(\.fiscalYear))
        for year in years where !existing.contains(year) {
            let deadline = SupervisionDeadline.endOfDay("\(year + 1)-06-30")!
            try await SupervisionStore.setRound(.init(fiscalYear: year, catalogVersion: catalog.version.id, deadline: deadline), supervisorID: supervisorID, by: actor, on: database)
        }
    }

    /// Registers every institution of a synthetic sector with a fresh key and delivers each submission as a signed
    /// package, received in early June after its fiscal year through the same checks as a real one. Returns how many
    /// were accepted.
    static func submit(_ sector: SyntheticSector, supervisorID: UUID, catalog: Catalog, by actor: AuditActor, on database: any Database) async throws -> Int {
        var keys: [UUID: Curve25519.Signing.PrivateKey] = [:]
        for institution in sector.institutions {
            let key = Curve25519.Signing.PrivateKey()
            keys[institution.id] = key
            try await SupervisionStore.register(institution, publicKey: key.publicKey, supervisorID: supervisorID, by: actor, on: database)
        }
        let profiles = Dictionary(uniqueKeysWithValues: sector.institutions.map { ($0.id, $0) })
        var accepted = 0
        for submission in sector.submissions {
            guard let profile = profiles[submission.institutionID], let key = keys[submission.institutionID] else { continue }
            let submittedAt = SupervisionDeadline.endOfDay("\(submission.fiscalYear + 1)-06-0\(1 + Int(profile.id.uuid.0 % 9))")!
            let answers = Dictionary(uniqueKeysWithValues: submission.statuses.map { ($0.key, Answer(itemID: $0.key, status: $0.value)) })
            let package = try SubmissionSigner.sign(
                SubmissionPackages.assessment(
                    institution: SubmittingInstitution(id: profile.id, name: profile.name, typeCode: profile.typeID, sizeBand: profile.sizeBand.rawValue, region: profile.region.rawValue),
                    year: submission.fiscalYear, catalog: catalog, answers: answers, submittedAt: submittedAt,
                    approvedAt: submittedAt.addingTimeInterval(-86400), approvedBy: "承認者"
                ),
                with: key
            )
            if case .success = try await SupervisionStore.receive(try package.canonicalData(), supervisorID: supervisorID, catalog: catalog, by: actor, on: database, now: submittedAt) {
                accepted += 1
            }
        }
        return accepted
    }
}
