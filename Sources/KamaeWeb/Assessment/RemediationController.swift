import Fluent
import KamaeCore
import KamaeHTML
import Vapor

/// The roadmap: remediation actions that close gaps, with owner, due date, status and the items they address.
struct RemediationController: RouteCollection {
    let catalog: Catalog

    func boot(routes: any RoutesBuilder) throws {
        routes.get("remediation", use: list)
        routes.post("remediation", use: create)
        routes.post("remediation", ":id", use: update)
    }

    struct ActionForm: Content {
        var title: String?
        var owner: String?
        var dueDate: String?
        var status: String?
        var items: String?

        enum CodingKeys: String, CodingKey {
            case title, owner, status, items
            case dueDate = "due_date"
        }
    }

    @Sendable func list(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.readAssessment)
        let actions = try await RemediationStore.list(institutionID: user.institutionID, on: req.db)
        let prefill = req.query[String.self, at: "items"] ?? ""
        return RemediationPages.list(actions, catalog: catalog, prefillItems: prefill, errors: [:], form: nil, context: PageContext(request: req)).response()
    }

    @Sendable func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.manageRemediation)
        let form = try req.content.decode(ActionForm.self)
        let (action, errors) = validate(form)
        guard let action, errors.isEmpty else {
            let actions = try await RemediationStore.list(institutionID: user.institutionID, on: req.db)
            return RemediationPages.list(actions, catalog: catalog, prefillItems: form.items ?? "", errors: errors, form: form, context: PageContext(request: req))
                .response(status: .unprocessableEntity)
        }
        _ = try await RemediationStore.create(action, institutionID: user.institutionID, actor: req.auditActor, on: req.db)
        return req.redirect(to: "/remediation", redirectType: .normal)
    }

    struct StatusForm: Content {
        var status: String?
    }

    @Sendable func update(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.manageRemediation)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw WebError.notFound }
        guard let status = try req.content.decode(StatusForm.self).status.flatMap(RemediationStatus.init(rawValue:)) else {
            throw WebError.invalidParameter("status", ja: "状態が正しくありません。", en: "unknown status.")
        }
        guard try await RemediationStore.setStatus(status, of: id, institutionID: user.institutionID, actor: req.auditActor, on: req.db) != nil else {
            throw WebError.notFound
        }
        return req.redirect(to: "/remediation", redirectType: .normal)
    }

    func validate(_ form: ActionForm) -> (RemediationAction?, [String: LocalizedText]) {
        var errors: [String: LocalizedText] = [:]
        let title = (form.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let owner = (form.owner ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty || title.count > 300 { errors["title"] = LocalizedText(ja: "件名を 1〜300 文字で入力してください。", en: "Enter a title of 1 to 300 characters.") }
        if owner.isEmpty || owner.count > 200 { errors["owner"] = LocalizedText(ja: "担当を入力してください。", en: "Enter an owner.") }
        let due = form.dueDate.flatMap(ISODate.init)
        if due == nil { errors["due_date"] = LocalizedText(ja: "期限を YYYY-MM-DD で入力してください。", en: "Enter the due date as YYYY-MM-DD.") }
        let status = form.status.flatMap(RemediationStatus.init(rawValue:)) ?? .open
        let items = (form.items ?? "").split(whereSeparator: { $0 == "," || $0 == " " || $0 == "、" }).map(String.init)
        let unknown = items.filter { catalog.item(id: $0) == nil }
        if items.isEmpty {
            errors["items"] = LocalizedText(ja: "対象のガイドライン項目 ID を 1 つ以上入力してください（例: 2.2.1.2-B1）。", en: "Enter at least one guideline item id (e.g. 2.2.1.2-B1).")
        } else if !unknown.isEmpty {
            errors["items"] = LocalizedText(ja: "ガイドラインにない項目 ID です: \(unknown.joined(separator: ", "))", en: "Not guideline item ids: \(unknown.joined(separator: ", "))")
        }
        guard errors.isEmpty, let due else { return (nil, errors) }
        return (RemediationAction(title: title, owner: owner, dueDate: due, status: status, itemIDs: items), [:])
    }
}

enum RemediationPages {
    static func list(
        _ actions: [StoredRemediationAction], catalog: Catalog, prefillItems: String, errors: [String: LocalizedText],
        form: RemediationController.ActionForm?, context: PageContext
    ) -> HTML {
        let today = ISODate.today()
        let overdue = actions.filter { $0.action.isOverdue(today: today) }.count
        let canManage = context.user.map { $0.may(.manageRemediation) } ?? false
        return Layout.page(context, title: context.t("改善計画", "Roadmap")) {
            h1 { context.t("改善計画（ロードマップ）", "Remediation roadmap") }
            p(.id("overdue-count"), .class(overdue > 0 ? "form-error" : "hint")) {
                context.t("期限超過 \(overdue) 件 / 全 \(actions.count) 件", "\(overdue) overdue of \(actions.count) actions")
            }
            Tables.table(
                caption: nil,
                headers: [context.t("件名", "Action"), context.t("担当", "Owner"), context.t("期限", "Due"), context.t("状態", "Status"), context.t("対象項目", "Items"), ""],
                rows: actions.map { stored in
                    let action = stored.action
                    let late = action.isOverdue(today: today)
                    return [
                        span(.class(late ? "action overdue" : "action")) { action.title },
                        .text(action.owner),
                        span(.class(late ? "overdue-date" : "")) { action.dueDate.description; late ? context.t("（期限超過）", " (overdue)") : "" },
                        .text(context.t(action.status.name)),
                        .group {
                            for itemID in action.itemIDs {
                                a(.href("/catalog/items/\(itemID)"), .class("tag")) { catalog.item(id: itemID)?.citation ?? itemID }
                            }
                        },
                        canManage ? statusForm(stored, context: context) : .empty,
                    ]
                },
                rowClass: { index in actions[index].action.isOverdue(today: today) ? "row-overdue" : "" }
            )
            if canManage, let user = context.user {
                section(.class("panel"), .id("new-action")) {
                    h2 { context.t("改善計画を追加", "Add an action") }
                    KamaeHTML.form(.method("post"), .action("/remediation"), .class("stacked")) {
                        Forms.csrf(user)
                        Forms.field(id: "title", label: context.t("件名", "Action"), error: errors["title"].map(context.t)) {
                            input(.type("text"), .id("title"), .name("title"), .value(form?.title ?? ""), .flag("required"), .attr("maxlength", "300"))
                        }
                        div(.class("field-row")) {
                            Forms.field(id: "owner", label: context.t("担当", "Owner"), error: errors["owner"].map(context.t)) {
                                input(.type("text"), .id("owner"), .name("owner"), .value(form?.owner ?? ""), .flag("required"), .attr("maxlength", "200"))
                            }
                            Forms.field(id: "due_date", label: context.t("期限", "Due date"), error: errors["due_date"].map(context.t)) {
                                input(.type("date"), .id("due_date"), .name("due_date"), .value(form?.dueDate ?? ""), .flag("required"))
                            }
                        }
                        Forms.field(id: "items", label: context.t("対象のガイドライン項目 ID（カンマ区切り）", "Guideline item ids (comma-separated)"), error: errors["items"].map(context.t), hint: context.t("例: 2.2.1.2-B1, 2.3.4.1-B3", "e.g. 2.2.1.2-B1, 2.3.4.1-B3")) {
                            input(.type("text"), .id("items"), .name("items"), .value(prefillItems), .flag("required"))
                        }
                        button(.type("submit"), .id("create-action")) { context.t("追加", "Add") }
                    }
                }
            }
        }
    }

    static func statusForm(_ stored: StoredRemediationAction, context: PageContext) -> HTML {
        guard let user = context.user else { return .empty }
        return form(.method("post"), .action("/remediation/\(stored.id.uuidString)"), .class("inline-form")) {
            Forms.csrf(user)
            select(.name("status"), .aria("label", context.t("状態", "Status"))) {
                for status in RemediationStatus.allCases {
                    CatalogPages.selectableOption(status.rawValue, context.t(status.name), selected: status == stored.action.status)
                }
            }
            button(.type("submit"), .class("small")) { context.t("更新", "Update") }
        }
    }
}
