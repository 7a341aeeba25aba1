import Fluent
import Foundation
import KamaeCore
import KamaeHTML
import KamaeTrust
import SQLKit
import Vapor

/// Self-assessment items that the registers evidence: live facts read from the registers when the item is shown,
/// and links from an item to the register records that evidence it.
enum RegisterFacts {
    struct Fact: Sendable {
        var text: LocalizedText
        var href: String
        /// A fact that points at a gap (missing dates, overdue findings).
        var isGap: Bool
    }

    static func facts(for itemID: String, institutionID: UUID, on database: any Database) async throws -> [Fact] {
        func count(_ id: RegisterID, _ condition: SQLQueryString? = nil) async throws -> Int {
            try await RegisterStore.count(id, institutionID: institutionID, where: condition, on: database)
        }
        let today = ISODate.today()
        switch itemID {
        case "2.2.1-B1", "2.2.1-B2", "2.2.1.1-B1":
            let systems = try await count(.systems)
            let external = try await count(.systems, "t.kind = 'external_service'")
            let critical = try await count(.systems, "t.critical_business = 1")
            let noZone = try await count(.systems, "t.zone_id IS NULL")
            return [
                Fact(text: LocalizedText(ja: "情報システム・外部サービス \(systems) 件（うち外部サービス \(external) 件、重要な業務を支えるもの \(critical) 件）", en: "\(systems) systems and services (\(external) external, \(critical) supporting critical business)"), href: "/registers/systems", isGap: systems == 0),
                Fact(text: LocalizedText(ja: "ネットワークゾーン未設定のシステム \(noZone) 件", en: "\(noZone) systems without a network zone"), href: "/registers/systems", isGap: noZone > 0),
            ]
        case let id where id.hasPrefix("2.2.1.2-"):
            let components = try await count(.components)
            let noDate = try await count(.components, SupportWindow.unknown.condition(today: today))
            let ended = try await count(.components, SupportWindow.ended.condition(today: today))
            let soon = try await count(.components, SupportWindow.within90Days.condition(today: today))
            let shadow = try await count(.components, "t.unapproved = 1")
            let unmatchable = try await count(.components, "(t.purl IS NULL OR t.purl = '') AND (t.cpe IS NULL OR t.cpe = '')")
            let systemsWithoutSBOM = try await RegisterStore.count(.systems, institutionID: institutionID, where: "t.id NOT IN (SELECT system_id FROM sbom_uploads)", on: database)
            return [
                Fact(text: LocalizedText(ja: "HW/SW \(components) 件", en: "\(components) hardware and software entries"), href: "/registers/components", isGap: components == 0),
                Fact(text: LocalizedText(ja: "サポート終了日が未登録 \(noDate) 件", en: "\(noDate) without an end-of-support date"), href: "/registers/components?support=unknown", isGap: noDate > 0),
                Fact(text: LocalizedText(ja: "サポート終了済み \(ended) 件、90 日以内に終了 \(soon) 件", en: "\(ended) out of support, \(soon) ending within 90 days"), href: "/registers/components?support=ended", isGap: ended > 0),
                Fact(text: LocalizedText(ja: "未承認（シャドー IT）\(shadow) 件", en: "\(shadow) unapproved (shadow IT)"), href: "/registers/components?unapproved=true", isGap: shadow > 0),
                Fact(text: LocalizedText(ja: "purl・CPE がなく脆弱性を照合できないもの \(unmatchable) 件", en: "\(unmatchable) without purl or CPE (cannot be matched)"), href: "/registers/components", isGap: unmatchable > 0),
                Fact(text: LocalizedText(ja: "SBOM 未登録のシステム \(systemsWithoutSBOM) 件", en: "\(systemsWithoutSBOM) systems without an SBOM"), href: "/registers/systems", isGap: systemsWithoutSBOM > 0),
            ]
        case let id where id.hasPrefix("2.2.1.3-"):
            let data = try await count(.data)
            let customer = try await count(.data, "t.category = 'customer'")
            let unlinked = try await count(.data, "t.id NOT IN (SELECT record_id FROM register_links WHERE field = 'systems')")
            return [
                Fact(text: LocalizedText(ja: "データ \(data) 件（顧客情報 \(customer) 件）", en: "\(data) data entries (\(customer) customer data)"), href: "/registers/data", isGap: data == 0),
                Fact(text: LocalizedText(ja: "処理するシステムが未登録のデータ \(unlinked) 件", en: "\(unlinked) data entries with no system"), href: "/registers/data", isGap: unlinked > 0),
            ]
        case let id where id.hasPrefix("2.2.1.4-"):
            let zones = try await count(.zones)
            let connections = try await count(.connections)
            let flows = try await count(.flows)
            let plain = try await count(.flows, "t.encrypted IS NULL OR t.encrypted = 0")
            return [
                Fact(text: LocalizedText(ja: "ゾーン \(zones)、接続 \(connections)、データフロー \(flows) 件", en: "\(zones) zones, \(connections) connections, \(flows) data flows"), href: "/registers/network", isGap: flows == 0),
                Fact(text: LocalizedText(ja: "暗号化なし・不明のデータフロー \(plain) 件", en: "\(plain) data flows not (known to be) encrypted"), href: "/registers/flows?encrypted=false", isGap: plain > 0),
            ]
        case let id where id.hasPrefix("2.2.3-"):
            let summary = try await FindingQueries.summary(institutionID: institutionID, on: database)
            return [
                Fact(text: LocalizedText(ja: "未対応の脆弱性 \(summary.open + summary.inProgress) 件（うち期限超過 \(summary.overdue) 件、KEV \(summary.knownExploited) 件）", en: "\(summary.open + summary.inProgress) open vulnerabilities (\(summary.overdue) overdue, \(summary.knownExploited) in KEV)"), href: "/vulnerabilities/overdue", isGap: summary.overdue > 0),
                Fact(text: LocalizedText(ja: "リスク受容中 \(summary.acceptedRisks) 件、承認待ちの例外 \(summary.pendingExceptions) 件", en: "\(summary.acceptedRisks) risks accepted, \(summary.pendingExceptions) exceptions awaiting approval"), href: "/vulnerabilities/exceptions", isGap: false),
                Fact(text: summary.lastFeed.map { LocalizedText(ja: "最終取込: \(SubmissionTimestamp.string(from: $0.at))（\($0.kind)）", en: "Last feed import: \(SubmissionTimestamp.string(from: $0.at)) (\($0.kind))") }
                     ?? LocalizedText(ja: "脆弱性情報の取込がまだありません", en: "No advisory feed imported yet"), href: "/vulnerabilities", isGap: summary.lastFeed == nil),
            ]
        default:
            return []
        }
    }
}

/// Links from a self-assessment item to the register records that evidence it, per assessment like evidence files:
/// they change only while the assessment accepts answers.
enum EvidenceLinks {
    struct Link: Sendable {
        var id: UUID
        var register: RegisterID
        var recordID: UUID
        var code: String
    }

    static func list(itemID: String, assessment: LoadedAssessment, on database: any Database) async throws -> [Link] {
        let institutionID = assessment.institutionID
        let rows = try await (database as! any SQLDatabase).raw("""
            SELECT id, register, record_id FROM evidence_links WHERE institution_id = \(bind: institutionID) AND assessment_id = \(bind: assessment.id)
            AND item_id = \(bind: itemID) ORDER BY created_at
            """).all()
        var links: [Link] = []
        for row in rows {
            guard let register = RegisterID(rawValue: try row.decode(column: "register", as: String.self)) else { continue }
            let recordID = try row.decode(column: "record_id", as: UUID.self)
            let code = try await RegisterStore.find(.schema(register), id: recordID, institutionID: institutionID, on: database)?.code ?? "?"
            links.append(Link(id: try row.decode(column: "id", as: UUID.self), register: register, recordID: recordID, code: code))
        }
        return links
    }

    static func add(itemID: String, register: RegisterID, code: String, assessment: LoadedAssessment, actor: AuditActor, on database: any Database) async throws {
        guard assessment.state.acceptsAnswers else { throw WebError.locked(assessment.state) }
        let institutionID = assessment.institutionID
        try await database.transaction { database in
            try await DatabaseWrites.lock(database)
            guard let record = try await RegisterStore.find(.schema(register), code: code, institutionID: institutionID, on: database) else {
                throw WebError.refusedParameter("code", ja: "「\(RegisterSchema.schema(register).title.ja)」に管理番号 \(code.prefix(64)) はありません。", en: "no record \(code.prefix(64)) in \(RegisterSchema.schema(register).title.en).")
            }
            let sql = database as! any SQLDatabase
            if try await sql.raw("""
                SELECT id FROM evidence_links WHERE assessment_id = \(bind: assessment.id) AND item_id = \(bind: itemID) AND register = \(bind: register.rawValue) AND record_id = \(bind: record.id)
                """).first() != nil { return }
            try await sql.raw("""
                INSERT INTO evidence_links (id, institution_id, assessment_id, item_id, register, record_id, created_by, created_at)
                VALUES (\(bind: UUID()), \(bind: institutionID), \(bind: assessment.id), \(bind: itemID), \(bind: register.rawValue), \(bind: record.id), \(bind: actor.id), \(bind: Date()))
                """).run()
            try await AuditTrail.record("assessment.evidence_linked", by: actor, target: ("evidence_links", itemID), details: [
                "item": itemID, "fiscal_year": String(assessment.year), "register": register.rawValue, "code": record.code,
            ], on: database)
        }
    }

    static func remove(_ id: UUID, itemID: String, assessment: LoadedAssessment, actor: AuditActor, on database: any Database) async throws {
        guard assessment.state.acceptsAnswers else { throw WebError.locked(assessment.state) }
        try await database.transaction { database in
            try await DatabaseWrites.lock(database)
            let sql = database as! any SQLDatabase
            guard try await sql.raw("""
                SELECT id FROM evidence_links WHERE id = \(bind: id) AND institution_id = \(bind: assessment.institutionID) AND assessment_id = \(bind: assessment.id) AND item_id = \(bind: itemID)
                """).first() != nil else { throw WebError.notFound }
            try await sql.raw("DELETE FROM evidence_links WHERE id = \(bind: id)").run()
            try await AuditTrail.record("assessment.evidence_unlinked", by: actor, target: ("evidence_links", itemID), details: ["item": itemID, "link": id.uuidString], on: database)
        }
    }

    static func section(_ facts: [RegisterFacts.Fact], links: [Link], base: String, editable: Bool, context: PageContext) -> HTML {
        guard !facts.isEmpty || !links.isEmpty || editable else { return .empty }
        return KamaeHTML.section(.class("panel"), .id("register-evidence")) {
            h2 { context.t("台帳の状況（最新）", "Registers (live)") }
            if !facts.isEmpty {
                ul(.class("facts-list"), .id("register-facts")) {
                    for fact in facts { li(.class(fact.isGap ? "fact gap" : "fact")) { a(.href(fact.href)) { context.t(fact.text) } } }
                }
            }
            h3 { context.t("根拠として紐付けた台帳の記録", "Register records linked as evidence") }
            ul(.id("evidence-links")) {
                for link in links {
                    li {
                        a(.href("/registers/\(link.register.rawValue)/\(link.recordID.uuidString)")) { "\(context.t(RegisterSchema.schema(link.register).title)): \(link.code)" }
                        if editable, let user = context.user {
                            form(.method("post"), .action("\(base)/links/\(link.id.uuidString)/delete"), .class("inline-form")) {
                                Forms.csrf(user)
                                button(.type("submit"), .class("link-button")) { context.t("解除", "Unlink") }
                            }
                        }
                    }
                }
            }
            if editable, let user = context.user {
                form(.method("post"), .action("\(base)/links"), .class("inline-form"), .id("evidence-link-form")) {
                    Forms.csrf(user)
                    select(.name("register"), .aria("label", context.t("台帳", "Register"))) {
                        for schema in RegisterSchema.all { option(.value(schema.id.rawValue)) { context.t(schema.title) } }
                    }
                    input(.type("text"), .name("code"), .attr("maxlength", "64"), .aria("label", context.t("管理番号", "Code")), .attr("placeholder", context.t("管理番号", "Code")), .flag("required"))
                    button(.type("submit"), .class("small"), .id("evidence-link-submit")) { context.t("紐付け", "Link") }
                }
            }
        }
    }
}

struct EvidenceLinkController: RouteCollection {
    let catalog: Catalog

    func boot(routes: any RoutesBuilder) throws {
        routes.post("assessments", ":year", "items", ":item", "links", use: add)
        routes.post("assessments", ":year", "items", ":item", "links", ":id", "delete", use: remove)
    }

    struct LinkForm: Content {
        var register: String?
        var code: String?
    }

    private func item(_ req: Request, user: CurrentUser) async throws -> (base: String, itemID: String, assessment: LoadedAssessment) {
        let assessment = try await req.assessmentOfUserInstitution(user)
        guard let itemID = req.parameters.get("item"), catalog.item(id: itemID) != nil else { throw WebError.notFound }
        return ("/assessments/\(assessment.year)/items/\(itemID)", itemID, assessment)
    }

    @Sendable func add(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.editAnswers)
        let (base, itemID, assessment) = try await item(req, user: user)
        let form = try req.content.decode(LinkForm.self)
        guard let register = form.register.flatMap(RegisterID.init(rawValue:)) else { throw WebError.invalidParameter("register", ja: "台帳を選んでください。", en: "choose a register.") }
        let code = (form.code ?? "").trimmingCharacters(in: .whitespaces)
        guard RegisterSchema.isValidCode(code) else { throw WebError.invalidParameter("code", ja: "管理番号を入力してください。", en: "enter a record code.") }
        try await EvidenceLinks.add(itemID: itemID, register: register, code: code, assessment: assessment, actor: req.auditActor, on: req.db)
        return req.redirect(to: base + "#register-evidence", redirectType: .normal)
    }

    @Sendable func remove(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.editAnswers)
        let (base, itemID, assessment) = try await item(req, user: user)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw WebError.notFound }
        try await EvidenceLinks.remove(id, itemID: itemID, assessment: assessment, actor: req.auditActor, on: req.db)
        return req.redirect(to: base + "#register-evidence", redirectType: .normal)
    }
}
