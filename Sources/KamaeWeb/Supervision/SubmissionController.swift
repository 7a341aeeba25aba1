import Fluent
import Foundation
import KamaeCore
import KamaeHTML
import KamaeSupervision
import KamaeTrust
import Vapor

/// The institution's side of supervision: its public key for the supervisor, signed submission packages of
/// approved assessments, and the feedback reports (還元資料) received back.
struct SubmissionController: RouteCollection {
    let catalog: Catalog

    func boot(routes: any RoutesBuilder) throws {
        routes.get("submission", use: overview)
        routes.post("submission", "key", "rotate", use: rotateKey)
        routes.post("submission", ":year", use: download)
        routes.on(.POST, "feedback", body: .collect(maxSize: "4mb"), use: importFeedback)
        routes.get("feedback", ":year", use: showFeedback)
    }

    @Sendable func overview(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.readAssessment)
        return try await page(req, user: user, status: .ok, error: nil)
    }

    private func page(_ req: Request, user: CurrentUser, status: HTTPResponseStatus, error: String?) async throws -> Response {
        let keys = try await InstitutionSigningKeys.history(institutionID: user.institutionID, on: req.db)
        let assessments = try await AssessmentStore.records(institutionID: user.institutionID, on: req.db)
        let feedback = try await ReceivedFeedback.latest(institutionID: user.institutionID, on: req.db)
        let questionnaires = try await ReceivedQuestionnaires.list(institutionID: user.institutionID, on: req.db)
        return SubmissionPages.overview(
            keys: keys, approvedYears: assessments.filter { $0.state == .approved }.map(\.fiscalYear), feedback: feedback, questionnaires: questionnaires, error: error,
            context: PageContext(request: req)
        ).response(status: status)
    }

    @Sendable func rotateKey(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.manageUsers)
        _ = try await InstitutionSigningKeys.rotate(institutionID: user.institutionID, by: req.auditActor, secrets: req.application.sealedSecrets, on: req.db)
        return req.redirect(to: "/submission", redirectType: .normal)
    }

    @Sendable func download(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.submitToSupervisor)
        guard let year = req.parameters.get("year", as: Int.self) else { throw WebError.notFound }
        let package = try await SubmissionExport.package(
            institutionID: user.institutionID, year: year, by: req.auditActor, secrets: req.application.sealedSecrets, catalog: catalog, on: req.db
        )
        let response = Response(status: .ok, body: .init(data: try package.canonicalData()))
        response.headers.contentType = .json
        response.headers.contentDisposition = .init(.attachment, filename: "kamae-submission-\(year).json")
        return response
    }

    @Sendable func importFeedback(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.submitToSupervisor)
        let file = try req.uploadedFile(missing: LocalizedText(ja: "還元資料のファイルを選んでください。", en: "choose the feedback file."))
        do {
            let document = try await ReceivedFeedback.importDocument(file.data, institutionID: user.institutionID, by: req.auditActor, on: req.db)
            return req.redirect(to: "/feedback/\(document.feedback.fiscalYear)", redirectType: .normal)
        } catch let refusal as WebError where refusal.status == .unprocessableEntity {
            let context = PageContext(request: req)
            return try await page(req, user: user, status: .unprocessableEntity, error: "\(file.name): \(context.t(refusal.detail))")
        }
    }

    @Sendable func showFeedback(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.readAssessment)
        guard let year = req.parameters.get("year", as: Int.self),
              let entry = try await ReceivedFeedback.latest(institutionID: user.institutionID, on: req.db).first(where: { $0.document.feedback.fiscalYear == year })
        else { throw WebError.notFound }
        let context = PageContext(request: req)
        return Layout.page(context, title: context.t("還元資料", "Feedback report")) {
            Components.breadcrumbs([(context.t("提出と還元", "Submission and feedback"), "/submission"), (String(year), nil)], context: context)
            FeedbackReports.body(entry.document, catalog: catalog, context: context)
        }.response()
    }
}

enum SubmissionPages {
    static func overview(
        keys: [InstitutionSigningKeyRecord], approvedYears: [Int], feedback: [ReceivedFeedback.Entry], questionnaires: [ReceivedQuestionnaires.Entry],
        error: String?, context: PageContext
    ) -> HTML {
        let current = keys.first { $0.retiredAt == nil }
        let user = context.user
        return Layout.page(context, title: context.t("提出と還元", "Submission and feedback")) {
            h1 { context.t("監督当局への提出と還元資料", "Submission to the supervisor and feedback") }
            if let error { p(.class("form-error"), .role("alert"), .id("feedback-error")) { error } }
            section(.class("panel")) {
                h2 { context.t("署名鍵", "Signing key") }
                if let current, let key = try? SigningKeys.publicKey(base64: current.publicKey) {
                    p { context.t("鍵 ID", "Key id"); ": "; span(.class("mono"), .id("key-id")) { current.keyID } }
                    HTML.element("pre", [.class("mono"), .id("public-key")]) { SigningKeys.publicKeyPEM(key) }
                    p(.class("hint")) { context.t("この公開鍵を監督当局に登録してもらいます。提出ファイルはこの鍵で署名されます。", "Your supervisor registers this public key; submissions are signed with it.") }
                } else {
                    p(.class("hint")) { context.t("鍵は最初の提出ファイル作成時（または kamae keys show）に作られます。", "The key is created with the first submission file (or `kamae keys show`).") }
                }
                if let user, user.may(.manageUsers), current != nil {
                    form(.method("post"), .action("/submission/key/rotate")) {
                        Forms.csrf(user)
                        button(.type("submit"), .class("secondary"), .id("rotate-key")) { context.t("鍵を更新する（旧鍵は失効）", "Rotate the key (the old one is retired)") }
                    }
                }
            }
            section(.class("panel")) {
                h2 { context.t("提出ファイル", "Submission files") }
                if approvedYears.isEmpty {
                    p(.class("empty")) { context.t("承認済みの自己評価がありません。提出できるのは承認済みの自己評価だけです。", "No approved assessment yet; only approved assessments can be submitted.") }
                }
                for year in approvedYears {
                    if let user, user.may(.submitToSupervisor) {
                        form(.method("post"), .action("/submission/\(year)"), .class("inline")) {
                            Forms.csrf(user)
                            button(.type("submit"), .id("download-\(year)")) { context.t("\(year) 年度の署名付き提出ファイルを作成", "Create the signed fiscal year \(year) submission") }
                        }
                    } else {
                        p { context.t("\(year) 年度：承認済（提出ファイルは管理者・承認者が作成します）", "\(year): approved (administrators and approvers create the file)") }
                    }
                }
            }
            section(.class("panel")) {
                h2 { context.t("調査票", "Questionnaires") }
                if questionnaires.isEmpty {
                    p(.class("empty")) { context.t("受け取った調査票はありません。", "No questionnaire received.") }
                } else {
                    Tables.table(
                        caption: nil,
                        headers: [context.t("調査票", "Questionnaire"), context.t("監督当局", "Supervisor"), context.t("回答期限", "Deadline"), context.t("状況", "State")],
                        rows: questionnaires.map { entry in
                            [a(.href("/questionnaires/\(entry.id)"), .class("questionnaire-link")) { "\(context.t(entry.questionnaire.title))（\(context.t("第 \(entry.questionnaire.version) 版", "v\(entry.questionnaire.version)"))）" },
                             HTML.text(entry.supervisorName), HTML.text(SubmissionTimestamp.string(from: entry.deadline)), HTML.text(context.t(entry.state.name))]
                        }
                    )
                }
                if let user, user.may(.submitToSupervisor) {
                    form(.method("post"), .action("/questionnaires/import"), .attr("enctype", "multipart/form-data")) {
                        Forms.csrf(user)
                        Forms.field(id: "questionnaire-file", label: context.t("監督当局から届いた調査票ファイル（JSON）", "Questionnaire file from the supervisor (JSON)"), error: nil) {
                            input(.type("file"), .name("file"), .id("questionnaire-file"), .attr("accept", ".json,application/json"))
                        }
                        button(.type("submit"), .id("questionnaire-import")) { context.t("取り込む", "Import") }
                    }
                }
            }
            section(.class("panel")) {
                h2 { context.t("還元資料", "Feedback reports") }
                if feedback.isEmpty {
                    p(.class("empty")) { context.t("まだ還元資料はありません。", "No feedback report yet.") }
                } else {
                    ul(.id("feedback-list")) {
                        for entry in feedback {
                            li {
                                a(.href("/feedback/\(entry.document.feedback.fiscalYear)")) {
                                    context.t("\(entry.document.feedback.fiscalYear) 年度", "Fiscal year \(entry.document.feedback.fiscalYear)")
                                }
                                " — \(entry.document.supervisorName)（\(entry.document.generatedAt)）"
                            }
                        }
                    }
                }
                if let user, user.may(.submitToSupervisor) {
                    form(.method("post"), .action("/feedback"), .attr("enctype", "multipart/form-data")) {
                        Forms.csrf(user)
                        Forms.field(id: "feedback-file", label: context.t("監督当局から届いた還元ファイル（JSON）", "Feedback file from the supervisor (JSON)"), error: nil) {
                            input(.type("file"), .name("file"), .id("feedback-file"), .attr("accept", ".json,application/json"))
                        }
                        button(.type("submit"), .id("feedback-import")) { context.t("取り込む", "Import") }
                    }
                }
            }
        }
    }
}
