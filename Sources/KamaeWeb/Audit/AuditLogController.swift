import Fluent
import Foundation
import KamaeCore
import KamaeHTML
import KamaeTrust
import SQLKit
import Vapor

/// The audit trail of the signed-in person's institution, for its administrators and internal auditors: filters,
/// paging, and a CSV export (itself recorded).
struct AuditLogController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("audit", use: page)
        routes.get("audit", "export.csv", use: export)
    }

    struct Filter: Sendable {
        var action: String
        var actor: String
        var from: ISODate?
        var to: ISODate?

        static func from(_ req: Request) throws -> Filter {
            func date(_ name: String) throws -> ISODate? {
                guard let raw = req.query[String.self, at: name], !raw.isEmpty else { return nil }
                guard let date = ISODate(raw) else {
                    throw WebError.invalidParameter(name, ja: "日付は YYYY-MM-DD で指定してください。", en: "use a date as YYYY-MM-DD.")
                }
                return date
            }
            return Filter(
                action: (req.query[String.self, at: "action"] ?? "").trimmingCharacters(in: .whitespaces).prefix(64).description,
                actor: (req.query[String.self, at: "actor"] ?? "").trimmingCharacters(in: .whitespaces).prefix(64).description,
                from: try date("from"), to: try date("to")
            )
        }

        var query: [(String, String)] {
            [("action", action), ("actor", actor), ("from", from?.description ?? ""), ("to", to?.description ?? "")]
        }
    }

    /// The institution's records matching the filter, newest first: one page, or all for the export.
    static func records(institutionID: UUID, filter: Filter, page: PageRequest?, on database: any Database) async throws -> (records: [AuditRecord], total: Int) {
        let sql = database as! any SQLDatabase
        func filtered(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
            var select = select.from("audit_log").where("institution_id", .equal, institutionID)
            if !filter.action.isEmpty { select = select.where("action", .like, filter.action + "%") }
            if !filter.actor.isEmpty { select = select.where("actor_login", .equal, filter.actor) }
            if let from = filter.from, let start = from.startOfDayUTC {
                select = select.where("occurred_at_ms", .greaterThanOrEqual, Int64(start.timeIntervalSince1970 * 1000))
            }
            if let to = filter.to, let end = to.startOfDayUTC?.addingTimeInterval(86_400) {
                select = select.where("occurred_at_ms", .lessThan, Int64(end.timeIntervalSince1970 * 1000))
            }
            return select
        }
        let total = try await filtered(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")).first()?.decode(column: "n", as: Int.self) ?? 0
        var select = filtered(sql.select().column("*")).orderBy("sequence", .descending)
        if let page { select = select.limit(page.perPage).offset((page.page - 1) * page.perPage) }
        return (try await select.all().map(AuditTrail.decode), total)
    }

    @Sendable func page(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.readAuditTrail)
        let filter = try Filter.from(req)
        let page = try PageRequest.from(req, defaultPerPage: 50)
        let (records, total) = try await Self.records(institutionID: user.institutionID, filter: filter, page: page, on: req.db)
        let paged = Paged(data: records, meta: PageMeta(page: page.page, perPage: page.perPage, total: total))
        return AuditLogPages.list(paged, filter: filter, context: PageContext(request: req)).response()
    }

    @Sendable func export(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.readAuditTrail)
        let filter = try Filter.from(req)
        let (records, _) = try await Self.records(institutionID: user.institutionID, filter: filter, page: nil, on: req.db)
        let body = CSV.document(
            header: ["sequence", "occurred_at", "actor", "action", "target_type", "target_id", "details", "source_address", "hash"],
            rows: records.map { record in
                [String(record.sequence), ISO8601DateFormatter.withMilliseconds.string(from: record.occurredAt), record.actorLogin ?? "", record.action,
                 record.targetType ?? "", record.targetID ?? "", record.details, record.sourceAddress ?? "", record.hash.hex]
            }
        )
        try await AuditTrail.event("audit.exported", by: req.auditActor, details: ["records": String(records.count), "action": filter.action, "actor": filter.actor], on: req.db)
        let response = Response(status: .ok, body: .init(data: body))
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        response.headers.contentDisposition = .init(.attachment, filename: "kamae-audit-trail.csv")
        return response
    }
}

extension ISO8601DateFormatter {
    /// `2026-11-25T23:01:38.123Z`.
    nonisolated(unsafe) static let withMilliseconds: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}

enum AuditLogPages {
    static func list(_ records: Paged<AuditRecord>, filter: AuditLogController.Filter, context: PageContext) -> HTML {
        Layout.page(context, title: context.t("監査ログ", "Audit trail")) {
            h1 { context.t("監査ログ", "Audit trail") }
            p {
                context.t(
                    "変更とセキュリティ上の出来事（ログイン、失敗、二要素認証、エクスポート、取り込み）はすべてハッシュで連鎖して記録され、署名付きチェックポイントで固定されます。改ざんは `kamae audit verify` で検出できます。",
                    "Every change and security event (sign-ins, failures, 2FA, exports, imports) is recorded in a hash chain anchored by signed checkpoints; `kamae audit verify` detects tampering."
                )
            }
            form(.method("get"), .action("/audit"), .class("filters"), .id("audit-filters")) {
                Forms.field(id: "action", label: context.t("操作（前方一致）", "Action (prefix)"), error: nil) {
                    input(.type("text"), .id("action"), .name("action"), .value(filter.action), .attr("placeholder", "session.login"))
                }
                Forms.field(id: "actor", label: context.t("操作者のログイン ID", "Actor login"), error: nil) {
                    input(.type("text"), .id("actor"), .name("actor"), .value(filter.actor))
                }
                Forms.field(id: "from", label: context.t("開始日", "From"), error: nil) {
                    input(.type("date"), .id("from"), .name("from"), .value(filter.from?.description ?? ""))
                }
                Forms.field(id: "to", label: context.t("終了日", "To"), error: nil) {
                    input(.type("date"), .id("to"), .name("to"), .value(filter.to?.description ?? ""))
                }
                button(.type("submit")) { context.t("絞り込む", "Filter") }
                a(.href(URLBuilder.url("/audit/export.csv", filter.query)), .class("button"), .id("audit-export")) { context.t("CSV でダウンロード", "Download CSV") }
            }
            p(.id("audit-count"), .role("status")) { context.t("\(records.meta.total) 件", "\(records.meta.total) records") }
            Tables.table(
                caption: nil,
                headers: [context.t("番号", "No."), context.t("日時 (UTC)", "When (UTC)"), context.t("操作者", "Actor"), context.t("操作", "Action"),
                          context.t("対象", "Target"), context.t("詳細", "Details"), context.t("接続元", "Source")],
                numeric: [0],
                rows: records.data.map { record in
                    [
                        .text(String(record.sequence)), .text(ISO8601DateFormatter.withMilliseconds.string(from: record.occurredAt)),
                        .text(record.actorLogin ?? "—"), code { record.action },
                        .text([record.targetType, record.targetID].compactMap { $0 }.joined(separator: " ")),
                        .text(record.details == "{}" ? "" : record.details), .text(record.sourceAddress ?? ""),
                    ]
                }
            )
            Components.pager(records.meta, path: "/audit", query: filter.query, context: context)
        }
    }
}

extension ISODate {
    /// Midnight UTC of this day (the audit trail keeps UTC milliseconds).
    var startOfDayUTC: Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day))
    }
}
