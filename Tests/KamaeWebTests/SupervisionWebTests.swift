import Fluent
import SQLKit
import Foundation
import KamaeCore
import KamaeSupervision
import KamaeTrust
@testable import KamaeWeb
import Testing
import Vapor
import VaporTesting

/// A feedback report for the demo bank's `year`, computed against a small synthetic peer group and imported, so
/// that the institution's feedback page has something to show.
func deliverDemoFeedback(_ app: Application, year: Int) async throws {
    let bank = try await institutionID(app)
    let catalog = Catalog.bundled
    let sector = SyntheticSector.generate(catalog: catalog, institutionCount: 8, years: [year], typeIDs: ["regional-banks"], seed: 7)
    let profile = InstitutionProfile(id: bank, name: DemoData.institutionName, typeID: "regional-banks", sizeBand: .medium, region: .kanto)
    let own = SectorSubmission(institutionID: bank, fiscalYear: year, statuses: sector.submissions[0].statuses)
    let analysis = SectorAnalysis(dataset: try SectorDataset(catalog: catalog, institutions: sector.institutions + [profile], submissions: sector.submissions + [own]))
    let feedback = try #require(analysis.feedback(for: bank, year: year, grouping: .institutionType))
    let document = FeedbackDocument(supervisorName: "テスト監督当局", institutionName: DemoData.institutionName, catalogVersion: catalog.version.id, generatedAt: Date(), feedback: feedback)
    _ = try await ReceivedFeedback.importDocument(try document.encoded(), institutionID: bank, by: .cli(institutionID: bank), on: app.db)
}

extension WebTests {
    @Suite struct SupervisionWebTests {
        /// A supervisor organisation in the same installation that registered the demo bank's key and collects last
        /// year's self-assessments.
        static func supervisorWithBankRegistered(_ app: Application, name: String = "テスト監督当局") async throws -> UUID {
            let supervisor = InstitutionRecord(name: name, institutionType: "supervisor", sizeBand: "large", createdAt: Date(), kind: .supervisor)
            try await supervisor.create(on: app.db)
            let supervisorID = try supervisor.requireID()
            let bank = try await institutionID(app)
            let key = try await InstitutionSigningKeys.current(institutionID: bank, by: .cli(institutionID: bank), secrets: app.sealedSecrets, on: app.db)
            try await SupervisionStore.register(
                InstitutionProfile(id: bank, name: DemoData.institutionName, typeID: "regional-banks", sizeBand: .medium, region: .kanto),
                publicKey: key.publicKey, supervisorID: supervisorID, by: .cli(institutionID: supervisorID), on: app.db
            )
            try await SupervisionStore.setRound(
                .init(fiscalYear: FiscalYear.current() - 1, catalogVersion: Catalog.bundled.version.id, deadline: Date().addingTimeInterval(30 * 86400)),
                supervisorID: supervisorID, by: .cli(institutionID: supervisorID), on: app.db
            )
            return supervisorID
        }

        static func post(_ app: Application, to supervisorID: UUID, _ bytes: Data) async throws -> TestingHTTPResponse {
            var headers = HTTPHeaders()
            headers.contentType = .json
            var result: TestingHTTPResponse!
            try await app.testing().test(.POST, "/api/v1/supervision/\(supervisorID)/submissions", headers: headers, body: ByteBuffer(data: bytes)) { result = $0 }
            return result
        }

        static func code(_ response: TestingHTTPResponse) -> String? {
            (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])?["parameter"] as? String
        }

        @Test func signedSubmissionIsAcceptedOnceAndEveryAlterationIsRefused() async throws {
            try await withDemoApp { app in
                let supervisorID = try await Self.supervisorWithBankRegistered(app)
                let bank = try await institutionID(app)
                let year = FiscalYear.current() - 1
                let package = try await SubmissionExport.package(institutionID: bank, year: year, by: .cli(institutionID: bank), secrets: app.sealedSecrets, catalog: .bundled, on: app.db)
                let bytes = try package.canonicalData()

                // Altered after signing: one answer changed from 未実施 to 実施済.
                var text = String(decoding: bytes, as: UTF8.self)
                let range = try #require(text.range(of: "\"status\":\"not_implemented\""))
                text.replaceSubrange(range, with: "\"status\":\"implemented\"")
                #expect(Self.code(try await Self.post(app, to: supervisorID, Data(text.utf8))) == "signature_invalid")
                // Unsigned.
                #expect(Self.code(try await Self.post(app, to: supervisorID, try package.unsigned.canonicalData())) == "unsigned")
                // Signed with a key the supervisor never registered.
                let stranger = try SubmissionSigner.sign(package.unsigned, with: SigningKeys.generate())
                #expect(Self.code(try await Self.post(app, to: supervisorID, try stranger.canonicalData())) == "unknown_key")

                let accepted = try await Self.post(app, to: supervisorID, bytes)
                #expect(accepted.status == .created, "\(accepted.body.string)")
                // The same file again, and an older package of the same year (replay), are refused.
                #expect(Self.code(try await Self.post(app, to: supervisorID, bytes)) == "duplicate")
                let key = try #require(try await InstitutionSigningKeys.privateKey(institutionID: bank, secrets: app.sealedSecrets, on: app.db))
                var older = package.unsigned
                older.submittedAt = package.submittedAt.addingTimeInterval(-3600)
                #expect(Self.code(try await Self.post(app, to: supervisorID, try SubmissionSigner.sign(older, with: key).canonicalData())) == "replay")

                // Nothing but the one accepted package is stored, and the refusals are in the audit trail.
                let stored = try await SupervisionSubmissionRecord.query(on: app.db).filter(\.$supervisorID == supervisorID).all()
                let digest = try package.contentDigest().hex
                #expect(stored.count == 1 && stored[0].isCurrent == 1 && stored[0].digest == digest)
                let rejected = try await AuditLogFixtures.actions(app).filter { $0 == "supervision.submission_rejected" }.count
                #expect(rejected == 5)

                // A deadline in the past refuses a newer package as late.
                try await SupervisionStore.setRound(.init(fiscalYear: year, catalogVersion: Catalog.bundled.version.id, deadline: Date().addingTimeInterval(-86400)), supervisorID: supervisorID, by: .cli(), on: app.db)
                var later = package.unsigned
                later.submittedAt = package.submittedAt.addingTimeInterval(60)
                #expect(Self.code(try await Self.post(app, to: supervisorID, try SubmissionSigner.sign(later, with: key).canonicalData())) == "late")
            }
        }

        @Test func aPackageReachesOnlyTheSupervisorItIsSentToAndOnlyForAnOpenRound() async throws {
            try await withDemoApp { app in
                let first = try await Self.supervisorWithBankRegistered(app)
                // A second supervisor in the same installation registers the bank's (public) key too.
                let second = try await Self.supervisorWithBankRegistered(app, name: "別の監督当局")
                let bank = try await institutionID(app)
                let lastYear = FiscalYear.current() - 1
                let package = try await SubmissionExport.package(institutionID: bank, year: lastYear, by: .cli(institutionID: bank), secrets: app.sealedSecrets, catalog: .bundled, on: app.db)
                #expect(try await Self.post(app, to: first, try package.canonicalData()).status == .created)
                #expect(try await SupervisionSubmissionRecord.query(on: app.db).filter(\.$supervisorID == second).count() == 0)
                #expect(try await SupervisionSubmissionRecord.query(on: app.db).filter(\.$supervisorID == first).count() == 1)
                // Not a supervisor: no such address.
                #expect(try await Self.post(app, to: bank, try package.canonicalData()).status == .notFound)

                // A year the supervisor does not collect is refused.
                let key = try #require(try await InstitutionSigningKeys.privateKey(institutionID: bank, secrets: app.sealedSecrets, on: app.db))
                var otherYear = package.unsigned
                otherYear.fiscalYear = 2031
                #expect(Self.code(try await Self.post(app, to: first, try SubmissionSigner.sign(otherYear, with: key).canonicalData())) == "no_round")

                // The package's own description of the bank does not move it between peer groups.
                var renamed = package.unsigned
                renamed.submittedAt = package.submittedAt.addingTimeInterval(60)
                renamed.institution.sizeBand = "large"
                #expect(try await Self.post(app, to: first, try SubmissionSigner.sign(renamed, with: key).canonicalData()).status == .created)
                let profile = try #require(try await SupervisedInstitutionRecord.query(on: app.db).filter(\.$supervisorID == first).filter(\.$institutionID == bank).first())
                #expect(profile.sizeBand == "medium")

                // A retired key verifies nothing more.
                try await SupervisionStore.retireKey(keyID: package.signature!.keyID, supervisorID: first, by: .cli(), on: app.db)
                var later = package.unsigned
                later.submittedAt = package.submittedAt.addingTimeInterval(120)
                #expect(Self.code(try await Self.post(app, to: first, try SubmissionSigner.sign(later, with: key).canonicalData())) == "unknown_key")
            }
        }

        @Test func onlyAnApprovedAssessmentCanBeExported() async throws {
            try await withDemoApp { app in
                let approver = try await Visitor.signIn(app, as: "demo-approver")
                let draft = try await approver.post("/submission/\(FiscalYear.current())", [:])
                #expect(draft.status == .conflict)
                let approved = try await approver.post("/submission/\(FiscalYear.current() - 1)", [:])
                #expect(approved.status == .ok)
                let package = try JSONDecoder().decode(SubmissionPackage.self, from: Data(approved.body.readableBytesView))
                #expect(package.fiscalYear == FiscalYear.current() - 1 && package.signature != nil)
                // The key the page shows is the key that signed.
                let page = try await approver.get("/submission")
                #expect(page.body.string.contains(try #require(package.signature?.keyID)))
            }
        }

        @Test func supervisorSeesTheSectorButNeverAnInstitutionsWorkingData() async throws {
            try await withDemoApp { app in
                _ = try await DemoSupervisor.seed(on: app.db, secrets: app.sealedSecrets)
                let supervisor = try await Visitor.signIn(app, as: DemoSupervisor.login)
                let analysis = try await supervisor.get("/supervision/analysis?grouping=size_band")
                #expect(analysis.status == .ok)
                #expect(analysis.body.string.contains("id=\"section-boxplots\"") && analysis.body.string.contains("id=\"item-heatmap\""))
                let csv = try await supervisor.get("/supervision/analysis.csv?table=heatmap&grouping=region")
                #expect(csv.status == .ok && csv.body.string.contains("2.1.1-B1"))
                let calendar = try await supervisor.get("/supervision")
                #expect(calendar.body.string.contains(DemoData.institutionName))
                let bank = try await institutionID(app)
                let report = try await supervisor.get("/supervision/feedback/\(bank)?year=\(FiscalYear.current() - 1)")
                #expect(report.status == .ok && report.body.string.contains("feedback-sections"))
                // The bank's working data stays out of reach.
                for path in ["/assessments", "/assessments/\(FiscalYear.current())", "/remediation", "/submission", "/audit"] {
                    let response = try await supervisor.get(path)
                    #expect(response.status == .forbidden, "\(path): \(response.status)")
                }
                // And the bank's people do not reach the supervisor's workspace.
                let admin = try await Visitor.signIn(app, as: "demo-admin")
                #expect(try await admin.get("/supervision/analysis").status == .forbidden)
                // The feedback delivered into the bank shows there.
                let feedback = try await admin.get("/feedback/\(FiscalYear.current() - 1)")
                #expect(feedback.status == .ok && feedback.body.string.contains("feedback-title"))
            }
        }

        @Test(.enabled(if: OpenPyXL.available, "python3 with openpyxl not found: the independent XLSX check is skipped"))
        func analysisTablesOpenInAnIndependentReaderWithTheFiguresOfTheCSV() async throws {
            try await withDemoApp { app in
                _ = try await DemoSupervisor.seed(on: app.db, secrets: app.sealedSecrets)
                let supervisor = try await Visitor.signIn(app, as: DemoSupervisor.login)
                let workbook = try await supervisor.get("/supervision/analysis.xlsx?grouping=all")
                #expect(workbook.status == .ok)
                let csv = try await supervisor.get("/supervision/analysis.csv?table=sections&grouping=all")
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("kamae-sector-\(UUID()).xlsx")
                defer { try? FileManager.default.removeItem(at: file) }
                try Data(workbook.body.readableBytesView).write(to: file)
                let process = Process()
                let output = Pipe()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = ["python3", "-c", """
                import openpyxl, sys
                book = openpyxl.load_workbook(sys.argv[1])
                print(",".join(book.sheetnames))
                row = [cell.value for cell in book["sections"][2]]
                print(row[0], row[1], row[2], "%.1f" % row[4])
                """, file.path]
                process.standardOutput = output
                try process.run()
                process.waitUntilExit()
                let lines = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
                #expect(process.terminationStatus == 0)
                #expect(lines.first == "sections,heatmap,lowest,movement,below")
                // The first data row of the CSV: group, section, institutions, q1, median.
                let first = try #require(csv.body.string.split(separator: "\r\n").dropFirst().first).split(separator: ",")
                #expect(lines.dropFirst().first.map(String.init) == "\(first[0]) \(first[1]) \(first[2]) \(first[4])")
            }
        }

        @Test func aBanksAdministratorCannotMakeAnyoneASupervisor() async throws {
            try await withDemoApp { app in
                let admin = try await Visitor.signIn(app, as: "demo-admin")
                let viewer = try #require(try await UserRecord.query(on: app.db).filter(\.$login == "demo-viewer").first())
                let changed = try await admin.post("/admin/users/\(try viewer.requireID())/role", ["role": "supervisor"])
                #expect(changed.status == .badRequest)
                let created = try await admin.post("/admin/users", ["login": "sv-in-bank", "name": "監督 偽", "role": "supervisor", "password": "correct horse battery 2026"])
                #expect(created.status == .unprocessableEntity)
                #expect(try await UserRecord.query(on: app.db).filter(\.$role == "supervisor").count() == 0)
                #expect(!(try await admin.get("/admin/users")).body.string.contains("value=\"supervisor\""))
            }
        }

        @Test func feedbackForAnotherInstitutionIsRefused() async throws {
            try await withDemoApp { app in
                try await deliverDemoFeedback(app, year: 2025)
                let entry = try #require(try await ReceivedFeedback.latest(institutionID: try await institutionID(app), on: app.db).first)
                await #expect(throws: WebError.self) {
                    _ = try await ReceivedFeedback.importDocument(try entry.document.encoded(), institutionID: UUID(), by: .cli(), on: app.db)
                }
                await #expect(throws: WebError.self) {
                    _ = try await ReceivedFeedback.importDocument(Data("{\"format\":\"kamae-feedback/1\"}".utf8), institutionID: UUID(), by: .cli(), on: app.db)
                }
            }
        }
    }
}

enum AuditLogFixtures {
    /// Every action in the audit trail, oldest first.
    static func actions(_ app: Application) async throws -> [String] {
        try await (app.db as! any SQLDatabase).raw("SELECT action FROM audit_log ORDER BY sequence").all().map { try $0.decode(column: "action", as: String.self) }
    }
}

/// A two-question questionnaire (one required single choice, one optional multiple choice with a remark).
func sampleQuestionnaire(code: String = "matrix-survey") -> Questionnaire {
    Questionnaire(id: code, version: 1, title: LocalizedText(ja: "テスト調査", en: "Test survey"), questions: [
        Question(id: "q1", text: LocalizedText(ja: "バックアップはありますか", en: "Backups?"), kind: .singleChoice,
                 options: [QuestionOption(id: "a", label: LocalizedText(ja: "はい", en: "Yes")), QuestionOption(id: "b", label: LocalizedText(ja: "いいえ", en: "No"))],
                 linkedItemIDs: ["2.3.3-B5"]),
        Question(id: "q2", text: LocalizedText(ja: "演習の種類", en: "Exercises"), kind: .multipleChoice,
                 options: [QuestionOption(id: "a", label: LocalizedText(ja: "机上", en: "Tabletop")), QuestionOption(id: "b", label: LocalizedText(ja: "復旧", en: "Restore"))],
                 allowsFreeText: true, required: false),
    ])
}

/// The demo bank receives `sampleQuestionnaire()`; returns the received questionnaire's id.
func receiveDemoQuestionnaire(_ app: Application, deadline: Date = Date().addingTimeInterval(30 * 86400)) async throws -> UUID {
    let bank = try await institutionID(app)
    let file = QuestionnaireDistribution(supervisorName: "テスト監督当局", fiscalYear: FiscalYear.current(), deadline: deadline, questionnaire: sampleQuestionnaire())
    return try await ReceivedQuestionnaires.importDistribution(try file.encoded(), institutionID: bank, catalog: .bundled, by: .cli(institutionID: bank), on: app.db)
}

extension WebTests.SupervisionWebTests {
    @Test func questionnaireIsWrittenDistributedAnsweredApprovedAndAnalysedWithSmallGroupsSuppressed() async throws {
        try await withDemoApp { app in
            let supervisorID = try await Self.supervisorWithBankRegistered(app)
            let bank = try await institutionID(app)
            let analyst = UserRecord(institutionID: supervisorID, login: "analyst", displayName: "分析 担当", role: Role.supervisor.rawValue, passwordHash: try app.password.hash(DemoData.password), createdAt: Date())
            analyst.mfaSecret = try app.sealedSecrets.seal(DemoData.mfaSecret, purpose: SecondFactorController.purpose)
            try await analyst.create(on: app.db)
            let supervisor = try await Visitor.signIn(app, as: "analyst")

            // Authoring: a form with an error is returned with every problem named and nothing saved.
            var fields = ["code": "bcp-2026", "title_ja": "業務継続に関する調査", "fiscal_year": String(FiscalYear.current()), "deadline": "2099-03-31",
                          "q1_ja": "復旧訓練を実施しましたか", "q1_kind": "single", "q1_options": "はい / Yes", "q1_required": "1", "q1_items": "2.2.5-Da"]
            let refused = try await supervisor.post("/supervision/questionnaires", fields)
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("選択肢は2つ以上"))
            #expect(try await QuestionnaireRecord.query(on: app.db).count() == 0)
            fields["q1_options"] = "はい / Yes\nいいえ / No"
            fields["q2_ja"] = "実施した訓練"
            fields["q2_kind"] = "multiple"
            fields["q2_options"] = "机上演習\n復旧訓練"
            fields["q2_free"] = "1"
            let created = try await supervisor.post("/supervision/questionnaires", fields)
            #expect(created.status == .seeOther)
            let record = try #require(try await QuestionnaireRecord.query(on: app.db).first())
            let id = try record.requireID()
            let published = try await supervisor.post("/supervision/questionnaires/\(id)/publish", ["recipients[]": bank.uuidString])
            #expect(published.status == .seeOther)
            // Frozen once distributed.
            #expect(try await supervisor.post("/supervision/questionnaires/\(id)", fields).status == .unprocessableEntity)
            let file = try await supervisor.get("/supervision/questionnaires/\(id)/distribution.json")
            #expect(file.status == .ok)

            // The bank imports the file, an editor answers and submits, an approver approves and signs.
            let received = try await ReceivedQuestionnaires.importDistribution(Data(file.body.readableBytesView), institutionID: bank, catalog: .bundled, by: .cli(institutionID: bank), on: app.db)
            let editor = try await Visitor.signIn(app, as: "demo-editor")
            let incomplete = try await editor.post("/questionnaires/\(received)/workflow", ["action": "submit"])
            #expect(incomplete.status == .unprocessableEntity && incomplete.body.string.contains("q1"))
            let wrongOption = try await editor.post("/questionnaires/\(received)", ["q1": "z"])
            #expect(wrongOption.status == .unprocessableEntity)
            #expect(try await editor.post("/questionnaires/\(received)", ["q1": "a", "q2[]": "b", "q2_text": "年 2 回"]).status == .seeOther)
            #expect(try await editor.post("/questionnaires/\(received)/workflow", ["action": "submit"]).status == .seeOther)
            #expect(try await editor.post("/questionnaires/\(received)/workflow", ["action": "approve"]).status == .forbidden)
            let approver = try await Visitor.signIn(app, as: "demo-approver")
            #expect(try await approver.post("/questionnaires/\(received)/workflow", ["action": "approve"]).status == .seeOther)
            let signed = try await approver.post("/questionnaires/\(received)/response", [:])
            #expect(signed.status == .ok)

            // Delivered through the API; an institution that was not invited is refused.
            let accepted = try await Self.post(app, to: supervisorID, Data(signed.body.readableBytesView))
            #expect(accepted.status == .created, "\(accepted.body.string)")
            let outsider = InstitutionProfile(id: UUID(), name: "招待外信金", typeID: "shinkin-banks", sizeBand: .small, region: .tohoku)
            let outsiderKey = SigningKeys.generate()
            try await SupervisionStore.register(outsider, publicKey: outsiderKey.publicKey, supervisorID: supervisorID, by: .cli(), on: app.db)
            var foreign = try JSONDecoder().decode(SubmissionPackage.self, from: Data(signed.body.readableBytesView)).unsigned
            foreign.institution = SubmittingInstitution(id: outsider.id, name: outsider.name, typeCode: outsider.typeID, sizeBand: "small", region: "tohoku")
            #expect(Self.code(try await Self.post(app, to: supervisorID, try SubmissionSigner.sign(foreign, with: outsiderKey).canonicalData())) == "not_invited")

            // One respondent: the results page says who answered but shows no distribution (k = 5).
            let results = try await supervisor.get("/supervision/questionnaires/\(id)")
            #expect(results.status == .ok && results.body.string.contains("回答 1 / 1 先"))
            #expect(results.body.string.contains("n&lt;5 非表示") && !results.body.string.contains("100.0%"))
            let csv = try await supervisor.get("/supervision/questionnaires/\(id)/results.csv")
            #expect(csv.body.string.contains("<5") && !csv.body.string.contains("100.0"))
        }
    }

    @Test func questionnaireResultsArePublishedPerGroupOnceFiveHaveAnswered() async throws {
        try await withDemoApp { app in
            _ = try await DemoSupervisor.seed(on: app.db, secrets: app.sealedSecrets)
            let supervisor = try await Visitor.signIn(app, as: DemoSupervisor.login)
            let list = try await supervisor.get("/supervision/questionnaires")
            #expect(list.status == .ok && list.body.string.contains("40 / 41"))
            // Only デモ銀行 still owes the survey; this year's self-assessment is owed by everyone (the round is open).
            let reminders = try await supervisor.get("/supervision/reminders.csv?year=\(FiscalYear.current())")
            let owed = reminders.body.string.split(separator: "\r\n").dropFirst()
            #expect(owed.filter { $0.contains("questionnaire ransomware-survey") }.count == 1)
            #expect(owed.filter { $0.contains("assessment \(FiscalYear.current())") && $0.hasSuffix("not_yet") }.count == 41)
            let record = try #require(try await QuestionnaireRecord.query(on: app.db).first())
            let page = try await supervisor.get("/supervision/questionnaires/\(try record.requireID())?grouping=size_band")
            #expect(page.status == .ok && page.body.string.contains("id=\"chart-q1\""))
            // Shares of a single-choice question add up to 100 % in every published group.
            let csv = try await supervisor.get("/supervision/questionnaires/\(try record.requireID())/results.csv?grouping=all")
            let q1 = csv.body.string.split(separator: "\r\n").filter { $0.hasPrefix("q1,") }.map { $0.split(separator: ",") }
            let total = q1.compactMap { Double($0[6]) }.reduce(0, +)
            #expect(abs(total - 100) < 0.2, "\(q1)")
            // The demo bank has it to answer.
            let editor = try await Visitor.signIn(app, as: "demo-editor")
            #expect(try await editor.get("/submission").body.string.contains("ランサムウェア対策に関する調査"))
        }
    }
}
