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
        _ = try await SupervisionStore.receive(try package.canonicalData(), supervisorID: supervisorID, catalog: catalog, arrival: .upload, by: actor, on: database, now: submittedAt)

        try await seedQuestionnaire(sector: sector, bank: bank, supervisorID: supervisorID, catalog: catalog, by: actor, on: database)

        // The supervisor's feedback, delivered into デモ銀行's Kamae.
        let reports = try await FeedbackReports.generate(supervisorID: supervisorID, year: lastYear, grouping: .institutionType, catalog: catalog, on: database)
        if let report = reports.first(where: { $0.feedback.institutionID == bankID }) {
            _ = try await ReceivedFeedback.importDocument(try report.encoded(), institutionID: bankID, by: .cli(institutionID: bankID), on: database)
        }
        return DemoData.Login(login: login, role: .supervisor, password: DemoData.password)
    }

    /// A ransomware survey distributed to the whole sector: the synthetic institutions have answered (signed),
    /// デモ銀行 has received it and not answered yet.
    static func seedQuestionnaire(
        sector: SyntheticSector, bank: InstitutionRecord, supervisorID: UUID, catalog: Catalog, by actor: AuditActor, on database: any Database, now: Date = Date()
    ) async throws {
        func text(_ ja: String, _ en: String) -> LocalizedText { LocalizedText(ja: ja, en: en) }
        func options(_ labels: [(String, String)]) -> [QuestionOption] {
            labels.enumerated().map { QuestionOption(id: String(UnicodeScalar(UInt8(ascii: "a") + UInt8($0.offset))), label: text($0.element.0, $0.element.1)) }
        }
        let questionnaire = Questionnaire(id: "ransomware-survey", version: 1, title: text("ランサムウェア対策に関する調査", "Ransomware preparedness survey"), questions: [
            Question(id: "q1", text: text("重要なシステムについて、オフラインまたは改ざんできないバックアップを取得していますか。", "Do you keep offline or immutable backups of critical systems?"),
                     kind: .singleChoice, options: options([("すべての重要システムで取得", "For every critical system"), ("一部の重要システムで取得", "For some critical systems"), ("取得していない", "No")]),
                     linkedItemIDs: ["2.3.3-B5", "2.5.2.6-B3"]),
            Question(id: "q2", text: text("過去 1 年間に実施した演習・訓練をすべて選んでください。", "Which exercises did you hold in the past year? Choose all that apply."),
                     kind: .multipleChoice, options: options([("机上演習", "Tabletop exercise"), ("バックアップからの復旧訓練", "Restore from backup"), ("業界横断演習", "Cross-industry exercise"), ("TLPT", "TLPT")]),
                     allowsFreeText: true, linkedItemIDs: ["2.2.5-B1", "2.2.5-Da"]),
            Question(id: "q3", text: text("特権アカウントに多要素認証を適用していますか。", "Is multi-factor authentication enforced for privileged accounts?"),
                     kind: .singleChoice, options: options([("すべてに適用", "For all"), ("一部に適用", "For some"), ("未適用", "Not yet")]), linkedItemIDs: ["2.3.1-B5"]),
        ])
        let deadline = now.addingTimeInterval(30 * 86400)
        let year = FiscalYear.current()
        let id = try await QuestionnaireStore.saveDraft(questionnaire, fiscalYear: year, deadline: deadline, replacing: nil, supervisorID: supervisorID, catalog: catalog, by: actor, on: database)
        let bankID = try bank.requireID()
        try await QuestionnaireStore.publish(id, to: Set(sector.institutions.map(\.id) + [bankID]), supervisorID: supervisorID, by: actor, on: database)

        // Answers that follow each institution's capability: larger institutions have more in place.
        var random = SplitMix64(seed: seed &+ 1)
        let supervisorName = try await InstitutionRecord.find(supervisorID, on: database)?.name ?? name
        for institution in sector.institutions {
            let bias = institution.sizeBand == .large ? 0.3 : (institution.sizeBand == .medium ? 0.1 : -0.1)
            func pick(_ count: Int) -> String {
                let draw = min(max(Double(random.next() % 1000) / 1000 - bias, 0), 0.999)
                return String(UnicodeScalar(UInt8(ascii: "a") + UInt8(Double(count) * draw * draw)))
            }
            let exercises = ["a", "b", "c", "d"].filter { _ in Double(random.next() % 1000) / 1000 < 0.35 + bias }
            let responses: [String: SubmittedResponse] = [
                "q1": SubmittedResponse(options: [pick(3)]),
                "q2": SubmittedResponse(options: exercises.isEmpty ? ["a"] : exercises),
                "q3": SubmittedResponse(options: [pick(3)]),
            ]
            let key = SigningKeys.generate()
            try await SupervisionStore.registerKey(key.publicKey, institutionID: institution.id, supervisorID: supervisorID, by: actor, on: database)
            let submittedAt = now.addingTimeInterval(-Double(random.next() % 20 + 1) * 86400)
            let package = try SubmissionSigner.sign(SubmissionPackage(
                institution: SubmittingInstitution(id: institution.id, name: institution.name, typeCode: institution.typeID, sizeBand: institution.sizeBand.rawValue, region: institution.region.rawValue),
                fiscalYear: year, catalogVersion: catalog.version.id, kind: .questionnaire(id: questionnaire.id, version: questionnaire.version),
                submittedAt: submittedAt, approvedAt: submittedAt.addingTimeInterval(-3600), approvedBy: "承認者", payload: SubmissionPayload(responses: responses)
            ), with: key)
            _ = try await SupervisionStore.receive(try package.canonicalData(), supervisorID: supervisorID, catalog: catalog, arrival: .upload, by: actor, on: database, now: submittedAt)
        }
        let distribution = QuestionnaireDistribution(supervisorName: supervisorName, fiscalYear: year, deadline: deadline, questionnaire: questionnaire)
        _ = try await ReceivedQuestionnaires.importDistribution(try distribution.encoded(), institutionID: bankID, catalog: catalog, by: .cli(institutionID: bankID), on: database)
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
            if case .success = try await SupervisionStore.receive(try package.canonicalData(), supervisorID: supervisorID, catalog: catalog, arrival: .upload, by: actor, on: database, now: submittedAt) {
                accepted += 1
            }
        }
        return accepted
    }
}
