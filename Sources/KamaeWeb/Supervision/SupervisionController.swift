import Fluent
import Foundation
import KamaeCore
import KamaeHTML
import KamaeSupervision
import KamaeTrust
import Vapor

/// The supervisor's workspace: submission calendar, registered institutions and keys, receiving packages, sector
/// analysis (charts and tables, CSV of every table) and each institution's feedback report. Only people with the
/// supervisor role of a supervisor organisation come here; they never see an institution's working data.
struct SupervisionController: RouteCollection {
    let catalog: Catalog

    func boot(routes: any RoutesBuilder) throws {
        let supervision = routes.grouped("supervision")
        supervision.get(use: calendar)
        supervision.post("rounds", use: setRound)
        supervision.get("reminders.csv", use: reminders)
        supervision.get("institutions", use: institutions)
        supervision.post("institutions", use: register)
        supervision.post("keys", ":key", "retire", use: retireKey)
        supervision.on(.POST, "submissions", body: .collect(maxSize: "64mb"), use: upload)
        supervision.get("analysis", use: analysis)
        supervision.get("analysis.csv", use: analysisCSV)
        supervision.get("analysis.xlsx", use: analysisWorkbook)
        supervision.get("feedback", ":institution", use: feedback)
        // Institutions (or their scripts) post a signed package to their supervisor; the signature is the credential.
        routes.on(.POST, "api", "v1", "supervision", ":supervisor", "submissions", body: .collect(maxSize: "8mb"), use: receiveFromAPI)
    }

    /// The signed-in supervisor's organisation id, or a refusal.
    static func supervisorID(_ req: Request) throws -> UUID {
        let user = try req.requireUser()
        try user.require(.supervise)
        return user.institutionID
    }

    // MARK: Calendar

    @Sendable func calendar(req: Request) async throws -> Response {
        let supervisorID = try Self.supervisorID(req)
        let rounds = try await SupervisionStore.rounds(supervisorID: supervisorID, on: req.db)
        let institutions = try await SupervisionStore.institutions(supervisorID: supervisorID, on: req.db)
        let year = try req.query.get(Int?.self, at: "year") ?? rounds.first?.fiscalYear ?? FiscalYear.current()
        // Only the year shown: the calendar of one round, not every submission ever received.
        let submissions = try await SupervisionStore.currentSubmissions(supervisorID: supervisorID, year: year, on: req.db).filter { $0.subject == "assessment" }
        return SupervisionPages.calendar(
            year: year, rounds: rounds, institutions: institutions, submissions: submissions, page: try PageRequest.from(req), catalog: catalog, context: PageContext(request: req)
        ).response()
    }

    /// Everyone who still owes the supervisor something: the year's self-assessment, or a questionnaire's answers.
    @Sendable func reminders(req: Request) async throws -> Response {
        let supervisorID = try Self.supervisorID(req)
        let now = Date()
        let institutions = try await SupervisionStore.institutions(supervisorID: supervisorID, on: req.db)
        let rounds = try await SupervisionStore.rounds(supervisorID: supervisorID, on: req.db)
        let year = try req.query.get(Int?.self, at: "year") ?? rounds.first?.fiscalYear ?? FiscalYear.current()
        let submitted = Set(try await SupervisionStore.currentSubmissions(supervisorID: supervisorID, year: year, on: req.db).filter { $0.subject == "assessment" }.map(\.institutionID))
        var rows: [[String]] = []
        if let round = rounds.first(where: { $0.fiscalYear == year }) {
            for institution in institutions where !submitted.contains(institution.profile.id) {
                rows.append([institution.profile.id.uuidString.lowercased(), institution.profile.name, "assessment \(year)", SubmissionTimestamp.string(from: round.deadline), round.deadline < now ? "late" : "not_yet"])
            }
        }
        for questionnaire in try await QuestionnaireStore.list(supervisorID: supervisorID, on: req.db) where questionnaire.publishedAt != nil {
            let answered = try await QuestionnaireStore.responses(to: questionnaire, supervisorID: supervisorID, on: req.db)
            for institution in institutions where questionnaire.recipients.contains(institution.profile.id) && answered[institution.profile.id] == nil {
                rows.append([institution.profile.id.uuidString.lowercased(), institution.profile.name, "questionnaire \(questionnaire.questionnaire.id) v\(questionnaire.questionnaire.version)",
                             SubmissionTimestamp.string(from: questionnaire.deadline), questionnaire.deadline < now ? "late" : "not_yet"])
            }
        }
        try await AuditTrail.event("supervision.reminders_exported", by: req.auditActor, details: ["fiscal_year": String(year), "rows": String(rows.count)], on: req.db)
        let response = Response(status: .ok, body: .init(data: CSV.document(header: ["institution_id", "institution", "due", "deadline", "status"], rows: rows)))
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        response.headers.contentDisposition = .init(.attachment, filename: "kamae-reminders-\(year).csv")
        return response
    }

    struct RoundForm: Content {
        var year: Int?
        var deadline: String?
    }

    @Sendable func setRound(req: Request) async throws -> Response {
        let supervisorID = try Self.supervisorID(req)
        let form = try req.content.decode(RoundForm.self)
        guard let year = form.year, (2000...2100).contains(year) else {
            throw WebError.invalidParameter("year", ja: "2000〜2100 の年度を指定してください。", en: "must be a fiscal year from 2000 to 2100.")
        }
        guard let deadline = form.deadline.flatMap(SupervisionDeadline.endOfDay) else {
            throw WebError.invalidParameter("deadline", ja: "提出期限を YYYY-MM-DD で指定してください。", en: "give the deadline as YYYY-MM-DD.")
        }
        try await SupervisionStore.setRound(.init(fiscalYear: year, catalogVersion: catalog.version.id, deadline: deadline), supervisorID: supervisorID, by: req.auditActor, on: req.db)
        return req.redirect(to: "/supervision?year=\(year)", redirectType: .normal)
    }

    // MARK: Institutions and keys

    @Sendable func institutions(req: Request) async throws -> Response {
        let supervisorID = try Self.supervisorID(req)
        let entries = try await SupervisionStore.institutions(supervisorID: supervisorID, on: req.db)
        return try SupervisionPages.institutions(entries, errors: [:], form: nil, catalog: catalog, context: PageContext(request: req), request: req).response()
    }

    struct RegisterForm: Content {
        var institutionID: String?
        var name: String?
        var type: String?
        var size: String?
        var region: String?
        var publicKey: String?
        var retireOthers: String?

        enum CodingKeys: String, CodingKey {
            case name, type, size, region
            case institutionID = "institution_id", publicKey = "public_key", retireOthers = "retire_others"
        }
    }

    @Sendable func register(req: Request) async throws -> Response {
        let supervisorID = try Self.supervisorID(req)
        let form = try req.content.decode(RegisterForm.self)
        var errors: [String: String] = [:]
        let context = PageContext(request: req)
        let id = form.institutionID.flatMap { UUID(uuidString: $0.trimmingCharacters(in: .whitespaces)) }
        if id == nil { errors["institution_id"] = context.t("金融機関の ID（UUID）を入力してください（kamae keys show の出力にあります）。", "Enter the institution's id (a UUID; `kamae keys show` prints it).") }
        let name = form.name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if name.isEmpty || name.count > 200 { errors["name"] = context.t("名称を 1〜200 文字で入力してください。", "Enter a name of 1–200 characters.") }
        if form.type.flatMap(catalog.institutionType) == nil { errors["type"] = context.t("業態を選んでください。", "Choose a type.") }
        let size = form.size.flatMap(SizeBand.init(rawValue:))
        if size == nil { errors["size"] = context.t("規模を選んでください。", "Choose a size.") }
        let region = form.region.flatMap(Region.init(rawValue:))
        if region == nil { errors["region"] = context.t("地域を選んでください。", "Choose a region.") }
        var key: Curve25519.Signing.PublicKey?
        if let pem = form.publicKey, !pem.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            do { key = try SigningKeys.publicKey(pem: pem) } catch {
                errors["public_key"] = context.t("Ed25519 公開鍵（PEM、-----BEGIN PUBLIC KEY-----）ではありません。", "Not an Ed25519 public key in PEM (-----BEGIN PUBLIC KEY-----).")
            }
        }
        guard errors.isEmpty, let id, let size, let region, let type = form.type else {
            let entries = try await SupervisionStore.institutions(supervisorID: supervisorID, on: req.db)
            return try SupervisionPages.institutions(entries, errors: errors, form: form, catalog: catalog, context: context, request: req).response(status: .unprocessableEntity)
        }
        do {
            try await SupervisionStore.register(
                InstitutionProfile(id: id, name: name, typeID: type, sizeBand: size, region: region), publicKey: key, retiringOtherKeys: form.retireOthers != nil,
                supervisorID: supervisorID, by: req.auditActor, on: req.db
            )
        } catch let refusal as WebError where refusal.parameter == "public_key" {
            let entries = try await SupervisionStore.institutions(supervisorID: supervisorID, on: req.db)
            return try SupervisionPages.institutions(entries, errors: ["public_key": context.t(refusal.detail)], form: form, catalog: catalog, context: context, request: req)
                .response(status: .unprocessableEntity)
        }
        return req.redirect(to: "/supervision/institutions", redirectType: .normal)
    }

    @Sendable func retireKey(req: Request) async throws -> Response {
        let supervisorID = try Self.supervisorID(req)
        guard let keyID = req.parameters.get("key"), keyID.count == 64 else { throw WebError.notFound }
        try await SupervisionStore.retireKey(keyID: keyID, supervisorID: supervisorID, by: req.auditActor, on: req.db)
        return req.redirect(to: "/supervision/institutions", redirectType: .normal)
    }

    // MARK: Receiving

    struct UploadForm: Content {
        var files: [File]?
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let supervisorID = try Self.supervisorID(req)
        let files = (try req.content.decode(UploadForm.self).files ?? []).filter { !$0.filename.isEmpty }
        guard !files.isEmpty else { throw WebError.invalidParameter("files", ja: "提出ファイルを選んでください。", en: "choose one or more submission files.") }
        var results: [(String, Result<SupervisionStore.Receipt, SubmissionRejection>)] = []
        for file in files {
            let data = Data(file.data.readableBytesView)
            results.append((file.filename, try await SupervisionStore.receive(data, supervisorID: supervisorID, catalog: catalog, arrival: .upload, by: req.auditActor, on: req.db)))
        }
        let refused = results.contains { if case .failure = $0.1 { true } else { false } }
        return SupervisionPages.receipts(results, context: PageContext(request: req)).response(status: refused ? .unprocessableEntity : .ok)
    }

    /// `POST /api/v1/supervision/{supervisor}/submissions` with the package as the body: the supervisor named in the
    /// address verifies it against the keys it registered; 422 with the reason otherwise. The address is the
    /// supervisor's own (shown on its pages), so a package reaches no one else.
    @Sendable func receiveFromAPI(req: Request) async throws -> Response {
        guard let supervisorID = req.parameters.get("supervisor", as: UUID.self),
              let supervisor = try await InstitutionRecord.find(supervisorID, on: req.db), supervisor.organisationKind == .supervisor
        else { throw WebError.notFound }
        let data = Data(req.body.data?.readableBytesView ?? ByteBuffer().readableBytesView)
        switch try await SupervisionStore.receive(data, supervisorID: supervisorID, catalog: catalog, arrival: .api, by: req.auditActor, on: req.db) {
        case let .success(receipt):
            let body = SubmissionResponse.Accepted(
                institutionID: receipt.institutionID, fiscalYear: receipt.fiscalYear, subject: receipt.subject, digest: receipt.digest, supersedes: receipt.supersedes
            )
            let response = try Response(status: .created, body: .init(data: JSONEncoder().encode(body)))
            response.headers.contentType = .json
            return response
        case let .failure(rejection):
            return try SubmissionResponse.refused(rejection, for: req)
        }
    }

    // MARK: Analysis

    struct AnalysisQuery: Sendable {
        var year: Int
        var grouping: PeerGrouping
        var threshold: Double

        static func from(_ req: Request, analysis: SectorAnalysis) throws -> AnalysisQuery {
            let year = try req.query.get(Int?.self, at: "year") ?? analysis.dataset.years.last ?? FiscalYear.current()
            let groupingText = req.query[String.self, at: "grouping"] ?? PeerGrouping.institutionType.rawValue
            guard let grouping = PeerGrouping(rawValue: groupingText) else {
                throw WebError.invalidParameter("grouping", ja: "all, institution_type, size_band, region のいずれかです。", en: "one of all, institution_type, size_band, region.")
            }
            let percent = try req.query.get(Int?.self, at: "threshold") ?? 60
            guard (0...100).contains(percent) else { throw WebError.invalidParameter("threshold", ja: "0〜100 の整数です。", en: "an integer from 0 to 100.") }
            return AnalysisQuery(year: year, grouping: grouping, threshold: Double(percent) / 100)
        }

        var query: [(String, String)] { [("year", String(year)), ("grouping", grouping.rawValue), ("threshold", String(Int(threshold * 100)))] }
    }

    @Sendable func analysis(req: Request) async throws -> Response {
        let supervisorID = try Self.supervisorID(req)
        let user = try req.requireUser()
        // The rendered page is kept under everything it shows: the sector's state, the query, the session (person,
        // form token) and the language; the heat map of 176 items is then drawn once per change, not per view.
        let stamp = try await SupervisionStore.sectorStamp(supervisorID: supervisorID, catalog: catalog, on: req.db)
        let key = "sector|\(user.sessionID?.uuidString ?? user.id.uuidString)|\(req.language.rawValue)|\(req.url.string)|\(stamp)"
        let analysis = try await SupervisionStore.analysis(supervisorID: supervisorID, stamp: stamp, catalog: catalog, on: req.db)
        let query = try AnalysisQuery.from(req, analysis: analysis)
        return try await RenderedResponses.shared.respond(to: req, key: key, contentType: .html) {
            ByteBuffer(string: SupervisionPages.analysis(analysis, query: query, catalog: catalog, context: PageContext(request: req)).render())
        }
    }

    @Sendable func analysisCSV(req: Request) async throws -> Response {
        let supervisorID = try Self.supervisorID(req)
        let analysis = try await SupervisionStore.analysis(supervisorID: supervisorID, catalog: catalog, on: req.db)
        let query = try AnalysisQuery.from(req, analysis: analysis)
        let tableName = req.query[String.self, at: "table"] ?? "sections"
        guard let table = SupervisionTables.table(tableName, analysis: analysis, query: query, catalog: catalog) else {
            throw WebError.invalidParameter("table", ja: "sections, heatmap, lowest, movement, below のいずれかです。", en: "one of sections, heatmap, lowest, movement, below.")
        }
        try await AuditTrail.event("supervision.analysis_exported", by: req.auditActor, details: ["table": tableName, "fiscal_year": String(query.year)], on: req.db)
        let response = Response(status: .ok, body: .init(data: CSV.document(header: table.header, rows: table.rows)))
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        response.headers.contentDisposition = .init(.attachment, filename: "kamae-sector-\(tableName)-\(query.year)-\(query.grouping.rawValue).csv")
        return response
    }

    @Sendable func analysisWorkbook(req: Request) async throws -> Response {
        let supervisorID = try Self.supervisorID(req)
        let analysis = try await SupervisionStore.analysis(supervisorID: supervisorID, catalog: catalog, on: req.db)
        let query = try AnalysisQuery.from(req, analysis: analysis)
        let data = try SupervisionTables.workbook(analysis: analysis, query: query, catalog: catalog)
        try await AuditTrail.event("supervision.analysis_exported", by: req.auditActor, details: ["table": "all", "format": "xlsx", "fiscal_year": String(query.year)], on: req.db)
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response.headers.contentDisposition = .init(.attachment, filename: "kamae-sector-\(query.year)-\(query.grouping.rawValue).xlsx")
        return response
    }

    // MARK: Feedback

    @Sendable func feedback(req: Request) async throws -> Response {
        let supervisorID = try Self.supervisorID(req)
        guard let institutionID = req.parameters.get("institution", as: UUID.self) else { throw WebError.notFound }
        let analysis = try await SupervisionStore.analysis(supervisorID: supervisorID, catalog: catalog, on: req.db)
        let query = try AnalysisQuery.from(req, analysis: analysis)
        guard let institution = analysis.dataset.institution(id: institutionID),
              let feedback = analysis.feedback(for: institutionID, year: query.year, grouping: query.grouping)
        else { throw WebError.notFound }
        let supervisorName = req.currentUser?.institutionName ?? ""
        let document = FeedbackDocument(supervisorName: supervisorName, institutionName: institution.name, catalogVersion: catalog.version.id, generatedAt: Date(), feedback: feedback)
        let context = PageContext(request: req)
        if req.query[String.self, at: "format"] == "json" {
            try await AuditTrail.event(
                "supervision.feedback_exported", by: req.auditActor, target: ("supervised_institution", institutionID.uuidString),
                details: ["fiscal_year": String(query.year), "grouping": query.grouping.rawValue], on: req.db
            )
            let response = Response(status: .ok, body: .init(data: try document.encoded()))
            response.headers.contentType = .json
            response.headers.contentDisposition = .init(.attachment, filename: "kamae-feedback-\(query.year)-\(institutionID.uuidString.lowercased()).json")
            return response
        }
        return Layout.page(context, title: context.t("還元資料", "Feedback report")) {
            Components.breadcrumbs([(context.t("監督", "Supervision"), "/supervision"), (context.t("分析", "Analysis"), URLBuilder.url("/supervision/analysis", query.query)), (institution.name, nil)], context: context)
            p(.class("actions no-print")) {
                a(.href(URLBuilder.url("/supervision/feedback/\(institutionID.uuidString)", query.query + [("format", "json")])), .class("button"), .id("feedback-download")) {
                    context.t("還元ファイル（JSON）をダウンロード", "Download the feedback file (JSON)")
                }
            }
            FeedbackReports.body(document, catalog: catalog, context: context)
        }.response()
    }
}

/// The API's answers to a posted submission.
enum SubmissionResponse {
    struct Accepted: Content {
        var institutionID: UUID
        var fiscalYear: Int
        var subject: String
        var digest: String
        var supersedes: Bool

        enum CodingKeys: String, CodingKey {
            case subject, digest, supersedes
            case institutionID = "institution_id", fiscalYear = "fiscal_year"
        }
    }

    /// RFC 9457 problem with the rejection's stable code as `parameter` and both languages in the detail.
    static func refused(_ rejection: SubmissionRejection, for req: Request) throws -> Response {
        let problem = Problem(
            type: "https://kamae.example/problems/submission-\(rejection.code)", title: "Submission refused", status: 422,
            detail: "\(rejection.english) / \(rejection.japanese)", instance: req.url.path, parameter: rejection.code
        )
        let response = try Response(status: .unprocessableEntity, body: .init(data: JSONEncoder().encode(problem)))
        response.headers.replaceOrAdd(name: .contentType, value: "application/problem+json")
        return response
    }
}
