import Fluent
import Foundation
import KamaeCore
import KamaeHTML
import KamaeSupervision
import KamaeTrust
import Vapor

/// The institution answers a supervisor's questionnaire: editors answer and submit, an approver (another person)
/// approves or returns it, and the approved answers leave as a signed response.
struct QuestionnaireAnswerController: RouteCollection {
    let catalog: Catalog

    func boot(routes: any RoutesBuilder) throws {
        let questionnaires = routes.grouped("questionnaires")
        questionnaires.on(.POST, "import", body: .collect(maxSize: "2mb"), use: importFile)
        questionnaires.get(":id", use: show)
        questionnaires.post(":id", use: save)
        questionnaires.post(":id", "workflow", use: workflow)
        questionnaires.post(":id", "response", use: response)
    }

    @Sendable func importFile(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.submitToSupervisor)
        let file = try req.uploadedFile(missing: LocalizedText(ja: "調査票ファイルを選んでください。", en: "choose the questionnaire file."))
        let id = try await ReceivedQuestionnaires.importDistribution(file.data, institutionID: user.institutionID, catalog: catalog, by: req.auditActor, on: req.db)
        return req.redirect(to: "/questionnaires/\(id)", redirectType: .normal)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.readAssessment)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw WebError.notFound }
        let entry = try await ReceivedQuestionnaires.find(id, institutionID: user.institutionID, on: req.db)
        return QuestionnaireAnswerPages.page(entry, response: entry.response, problems: [], catalog: catalog, context: PageContext(request: req)).response()
    }

    @Sendable func save(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.editAnswers)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw WebError.notFound }
        let entry = try await ReceivedQuestionnaires.find(id, institutionID: user.institutionID, on: req.db)
        let response = Self.response(from: FormPairs.read(req), to: entry.questionnaire)
        do {
            try await ReceivedQuestionnaires.save(response, id: id, institutionID: user.institutionID, by: req.auditActor, on: req.db)
        } catch let refusal as ResponseInputError {
            return QuestionnaireAnswerPages.page(entry, response: response, problems: refusal.problems, catalog: catalog, context: PageContext(request: req))
                .response(status: .unprocessableEntity)
        }
        return req.redirect(to: "/questionnaires/\(id)?saved=1", redirectType: .normal)
    }

    /// `q1=a` (single choice), `q2[]=a&q2[]=c` (multiple), `q1_text=…` (remark).
    static func response(from pairs: [(String, String)], to questionnaire: Questionnaire) -> QuestionnaireResponse {
        var answers: [String: QuestionAnswer] = [:]
        for question in questionnaire.questions {
            let chosen = pairs.filter { $0.0 == question.id || $0.0 == "\(question.id)[]" }.map(\.1).filter { !$0.isEmpty }
            let text = pairs.first { $0.0 == "\(question.id)_text" }?.1.trimmingCharacters(in: .whitespacesAndNewlines)
            let answer = QuestionAnswer(selectedOptionIDs: chosen, freeText: (text?.isEmpty ?? true) ? nil : text)
            if !answer.isEmpty { answers[question.id] = answer }
        }
        return QuestionnaireResponse(questionnaireID: questionnaire.id, questionnaireVersion: questionnaire.version, answers: answers)
    }

    struct WorkflowForm: Content {
        var action: String?
    }

    @Sendable func workflow(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw WebError.notFound }
        let (step, action): (ReceivedQuestionnaires.Step, WorkflowAction) = switch try req.content.decode(WorkflowForm.self).action {
        case "submit": (.submit, .submit)
        case "approve": (.approve, .approve)
        case "return": (.return, .returnForRevision)
        default: throw WebError.invalidParameter("action", ja: "submit, approve, return のいずれかです。", en: "one of submit, approve, return.")
        }
        try user.require(action)
        do {
            try await ReceivedQuestionnaires.transition(step, id: id, institutionID: user.institutionID, by: req.auditActor, on: req.db)
        } catch let refusal as ResponseInputError {
            let entry = try await ReceivedQuestionnaires.find(id, institutionID: user.institutionID, on: req.db)
            return QuestionnaireAnswerPages.page(entry, response: entry.response, problems: refusal.problems, catalog: catalog, context: PageContext(request: req))
                .response(status: .unprocessableEntity)
        }
        return req.redirect(to: "/questionnaires/\(id)", redirectType: .normal)
    }

    @Sendable func response(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.submitToSupervisor)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw WebError.notFound }
        let package = try await ReceivedQuestionnaires.package(
            id: id, institutionID: user.institutionID, by: req.auditActor, secrets: req.application.sealedSecrets, on: req.db, catalog: catalog
        )
        let response = Response(status: .ok, body: .init(data: try package.canonicalData()))
        response.headers.contentType = .json
        if case let .questionnaire(code, version) = package.kind {
            response.headers.contentDisposition = .init(.attachment, filename: "kamae-response-\(code)-v\(version).json")
        }
        return response
    }
}

extension Request {
    private struct Upload: Content {
        var file: File?
    }

    /// The non-empty file of a form's `file` field, or a 400 saying what to choose.
    func uploadedFile(missing: LocalizedText) throws -> (name: String, data: Data) {
        guard let file = try content.decode(Upload.self).file, file.data.readableBytes > 0 else {
            throw WebError.invalidParameter("file", ja: missing.ja, en: missing.en)
        }
        return (file.filename, Data(file.data.readableBytesView))
    }
}

/// The fields of a URL-encoded form in order, repeated names kept (checkbox groups).
enum FormPairs {
    static func read(_ req: Request) -> [(String, String)] {
        guard let body = req.body.string else { return [] }
        return body.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String { text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text) }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}

enum QuestionnaireAnswerPages {
    static func page(_ entry: ReceivedQuestionnaires.Entry, response: QuestionnaireResponse, problems: [ResponseProblem], catalog: Catalog, context: PageContext) -> HTML {
        let user = context.user
        let editable = entry.state == .draft && user.map { $0.may(.editAnswers) } == true
        let problemsByQuestion = Dictionary(grouping: problems, by: { $0.questionID ?? "" })
        return Layout.page(context, title: context.t(entry.questionnaire.title)) {
            Components.breadcrumbs([(context.t("提出と還元", "Submission and feedback"), "/submission"), (context.t(entry.questionnaire.title), nil)], context: context)
            h1(.id("questionnaire-title")) { context.t(entry.questionnaire.title) }
            p(.id("questionnaire-state")) {
                "\(entry.supervisorName) · \(context.t("第 \(entry.questionnaire.version) 版", "version \(entry.questionnaire.version)")) · "
                "\(context.t("回答期限", "Deadline")): \(SubmissionTimestamp.string(from: entry.deadline)) · "
                span(.class("state")) { context.t(entry.state.name) }
            }
            if !problems.isEmpty {
                div(.class("form-error"), .role("alert"), .id("answer-errors")) { ul { for problem in problems { li { context.t(problem.message) } } } }
            }
            form(.method("post"), .action("/questionnaires/\(entry.id)"), .id("answer-form")) {
                if let user { Forms.csrf(user) }
                for question in entry.questionnaire.questions {
                    let answer = response.answers[question.id]
                    HTML.element("fieldset", [.class(problemsByQuestion[question.id] == nil ? "question" : "question has-error"), .id("question-\(question.id)")]) {
                        HTML.element("legend") { "\(question.id.uppercased()). \(context.t(question.text))\(question.required ? " *" : "")" }
                        if !question.linkedItemIDs.isEmpty {
                            p(.class("hint")) {
                                context.t("関連項目", "Related items"); ": "
                                for (index, item) in question.linkedItemIDs.enumerated() {
                                    if index > 0 { ", " }
                                    a(.href("/catalog/items/\(item)")) { item }
                                }
                            }
                        }
                        for option in question.options {
                            let checked = answer?.selectedOptionIDs.contains(option.id) == true
                            label(.class("choice")) {
                                input(
                                    .type(question.kind == .singleChoice ? "radio" : "checkbox"), .name(question.kind == .singleChoice ? question.id : "\(question.id)[]"),
                                    .value(option.id), .id("\(question.id)-\(option.id)"), checked ? .flag("checked") : .attr("data-option", option.id),
                                    editable ? .attr("data-editable", "1") : .flag("disabled")
                                )
                                " "; context.t(option.label)
                            }
                        }
                        if question.allowsFreeText {
                            HTML.element("textarea", [.name("\(question.id)_text"), .id("\(question.id)-text"), .attr("rows", "2"), .attr("maxlength", String(QuestionnaireRules.maximumFreeTextLength)),
                                                      editable ? .attr("placeholder", context.t("補足（任意）", "Remark (optional)")) : .flag("disabled")]) { answer?.freeText ?? "" }
                        }
                    }
                }
                if editable { button(.type("submit"), .id("answer-save")) { context.t("回答を保存", "Save answers") } }
            }
            if let user {
                div(.class("actions")) {
                    for (action, ja, en, allowed) in [
                        ("submit", "承認依頼", "Submit for approval", entry.state == .draft && user.may(.submit)),
                        ("approve", "承認", "Approve", entry.state == .submitted && user.may(.approve)),
                        ("return", "差戻し", "Return", entry.state == .submitted && user.may(.returnForRevision)),
                    ] where allowed {
                        form(.method("post"), .action("/questionnaires/\(entry.id)/workflow"), .class("inline")) {
                            Forms.csrf(user)
                            input(.type("hidden"), .name("action"), .value(action))
                            button(.type("submit"), .id("questionnaire-\(action)")) { context.t(ja, en) }
                        }
                    }
                    if entry.state == .approved, user.may(.submitToSupervisor) {
                        form(.method("post"), .action("/questionnaires/\(entry.id)/response"), .class("inline")) {
                            Forms.csrf(user)
                            button(.type("submit"), .id("questionnaire-response")) { context.t("署名付き回答ファイルを作成", "Create the signed response file") }
                        }
                    }
                }
            }
        }
    }
}
