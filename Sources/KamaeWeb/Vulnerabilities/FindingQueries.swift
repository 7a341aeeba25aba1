import Fluent
import Foundation
import KamaeCore
import KamaeVulnerabilities
import SQLKit
import Vapor

/// What a findings list asks: state, severity, priority, system, free text, overdue only; order and page.
struct FindingQuery: Sendable {
    enum Scope: String, CaseIterable, Sendable {
        /// Open or in progress.
        case active
        case overdue
        case all
    }

    enum Order: String, CaseIterable, Sendable {
        case deadline, severity, discovered = "discovered_on", system, vulnerability
    }

    var scope: Scope = .active
    var status: FindingStatus?
    var severity: Severity?
    var priority: FindingPriority?
    var systemID: UUID?
    var search = ""
    var order: Order = .deadline
    var descending = false
    var page = PageRequest(page: 1, perPage: 50)

    static func from(_ req: Request, defaultScope: Scope = .active) throws -> FindingQuery {
        var query = FindingQuery(scope: defaultScope)
        func choice<T: RawRepresentable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
            guard let raw = req.query[String.self, at: name], !raw.isEmpty else { return nil }
            guard let value = T(rawValue: raw) else { throw WebError.invalidParameter(name, ja: "値が正しくありません（\(raw.prefix(30))）。", en: "unknown value (\(raw.prefix(30))).") }
            return value
        }
        if let scope = try choice("scope", Scope.self) { query.scope = scope }
        query.status = try choice("status", FindingStatus.self)
        query.severity = try choice("severity", Severity.self)
        query.priority = try choice("priority", FindingPriority.self)
        if let order = try choice("sort", Order.self) { query.order = order }
        if let direction = req.query[String.self, at: "direction"], !direction.isEmpty {
            guard direction == "asc" || direction == "desc" else { throw WebError.invalidParameter("direction", ja: "asc か desc です。", en: "asc or desc.") }
            query.descending = direction == "desc"
        }
        if let system = req.query[String.self, at: "system"], !system.isEmpty {
            guard let id = UUID(uuidString: system) else { throw WebError.invalidParameter("system", ja: "システムの ID（UUID）です。", en: "a system id (UUID).") }
            query.systemID = id
        }
        query.search = try req.searchQuery()
        query.page = try PageRequest.from(req)
        return query
    }

    var parameters: [(String, String)] {
        [("scope", scope.rawValue), ("status", status?.rawValue ?? ""), ("severity", severity?.rawValue ?? ""), ("priority", priority?.rawValue ?? ""),
         ("system", systemID?.uuidString ?? ""), ("q", search), ("sort", order.rawValue), ("direction", descending ? "desc" : "")]
    }
}

/// One row of the by-system view.
struct SystemExposure: Sendable {
    var systemID: UUID
    var label: String
    var criticality: Criticality
    var open: Int
    var overdue: Int
    var critical: Int
    var knownExploited: Int
}

enum FindingQueries {
    static func list(_ query: FindingQuery, institutionID: UUID, today: ISODate = .today(), on database: any Database) async throws -> Paged<StoredFinding> {
        let sql = database as! any SQLDatabase
        var condition: SQLQueryString = "f.institution_id = \(bind: institutionID)"
        switch query.scope {
        case .active: condition += " AND f.status IN ('open', 'in_progress')"
        case .overdue: condition += " AND f.status IN ('open', 'in_progress') AND f.deadline < \(bind: today.description)"
        case .all: break
        }
        if let status = query.status { condition += " AND f.status = \(bind: status.rawValue)" }
        if let severity = query.severity { condition += " AND f.severity = \(bind: severity.rawValue)" }
        if let priority = query.priority { condition += " AND f.priority = \(bind: priority.rawValue)" }
        if let system = query.systemID { condition += " AND f.system_id = \(bind: system)" }
        let search = query.search.trimmingCharacters(in: .whitespaces).lowercased()
        if !search.isEmpty {
            let pattern = "%" + search.likeEscaped + "%"
            condition += " AND (LOWER(f.vulnerability_id) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(f.aliases) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(f.component_label) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(f.system_label) LIKE \(bind: pattern) ESCAPE '\\')"
        }
        let total = try await sql.raw("SELECT COUNT(*) AS n FROM findings f WHERE " + condition).first()?.decode(column: "n", as: Int.self) ?? 0
        let direction = query.descending ? "DESC" : "ASC"
        let order: String = switch query.order {
        case .deadline: "f.deadline \(direction), f.id \(direction)"
        // Severity order is not alphabetical; the CASE puts critical first when ascending.
        case .severity: "CASE f.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'unknown' THEN 2 WHEN 'medium' THEN 3 WHEN 'low' THEN 4 ELSE 5 END \(direction), f.deadline, f.id"
        case .discovered: "f.discovered_on \(direction), f.id"
        case .system: "f.system_label \(direction), f.deadline, f.id"
        case .vulnerability: "f.vulnerability_id \(direction), f.id"
        }
        let rows = try await sql.raw("SELECT \(unsafeRaw: VulnerabilityStore.findingColumns) FROM findings f WHERE " + condition
            + " ORDER BY \(unsafeRaw: order) LIMIT \(literal: query.page.perPage) OFFSET \(literal: (query.page.page - 1) * query.page.perPage)").all()
        return Paged(data: try rows.map(VulnerabilityStore.decodeFinding), meta: PageMeta(page: query.page.page, perPage: query.page.perPage, total: total))
    }

    /// Changes whenever any of the institution's findings changes (every write sets `updated_at`): rendered finding
    /// lists are kept under it, with the day, since "overdue" moves with the date.
    static func stamp(institutionID: UUID, on database: any Database) async throws -> String {
        let row = try await (database as! any SQLDatabase).raw("SELECT MAX(updated_at) AS stamp FROM findings WHERE institution_id = \(bind: institutionID)").first()
        let date = try row?.decode(column: "stamp", as: Date?.self)
        return "\(date?.timeIntervalSince1970 ?? 0)|\(ISODate.today())"
    }

    static func bySystem(institutionID: UUID, today: ISODate = .today(), on database: any Database) async throws -> [SystemExposure] {
        let rows = try await (database as! any SQLDatabase).raw("""
            SELECT f.system_id, MAX(f.system_label) AS label, MAX(s.criticality) AS criticality, COUNT(*) AS open_count,
            SUM(CASE WHEN f.deadline < \(bind: today.description) THEN 1 ELSE 0 END) AS overdue_count,
            SUM(CASE WHEN f.severity = 'critical' THEN 1 ELSE 0 END) AS critical_count, SUM(CASE WHEN f.known_exploited = 1 THEN 1 ELSE 0 END) AS kev_count
            FROM findings f LEFT JOIN register_systems s ON s.id = f.system_id
            WHERE f.institution_id = \(bind: institutionID) AND f.status IN ('open', 'in_progress') AND f.system_id IS NOT NULL
            GROUP BY f.system_id ORDER BY overdue_count DESC, open_count DESC
            """).all()
        return try rows.map { row in
            SystemExposure(
                systemID: try row.decode(column: "system_id", as: UUID.self), label: try row.decode(column: "label", as: String.self),
                criticality: (try row.decode(column: "criticality", as: String?.self)).flatMap(Criticality.init(rawValue:)) ?? .medium,
                open: try row.decode(column: "open_count", as: Int.self), overdue: try row.decode(column: "overdue_count", as: Int?.self) ?? 0,
                critical: try row.decode(column: "critical_count", as: Int?.self) ?? 0, knownExploited: try row.decode(column: "kev_count", as: Int?.self) ?? 0
            )
        }
    }

    /// "Which systems does CVE-X reach?": the vulnerability behind any of its ids, and every finding of it.
    struct Reach: Sendable {
        var query: String
        var vulnerabilityIDs: [String]
        var advisories: [(id: String, source: String, severity: Severity, summary: String?)]
        var findings: [StoredFinding]
    }

    static func reach(_ id: String, institutionID: UUID, on database: any Database) async throws -> Reach {
        let sql = database as! any SQLDatabase
        let wanted = id.trimmingCharacters(in: .whitespaces).uppercased()
        let pattern = "% " + wanted.likeEscaped + " %"
        let advisoryRows = try await sql.raw("""
            SELECT advisory_id, vulnerability_id, source, severity, summary FROM advisories WHERE institution_id = \(bind: institutionID)
            AND (UPPER(advisory_id) = \(bind: wanted) OR UPPER(vulnerability_id) = \(bind: wanted) OR (' ' || UPPER(aliases) || ' ') LIKE \(bind: pattern) ESCAPE '\\')
            ORDER BY advisory_id LIMIT 50
            """).all()
        var vulnerabilities = Set<String>()
        var advisories: [(String, String, Severity, String?)] = []
        for row in advisoryRows {
            vulnerabilities.insert(try row.decode(column: "vulnerability_id", as: String.self))
            advisories.append((try row.decode(column: "advisory_id", as: String.self), try row.decode(column: "source", as: String.self),
                               Severity(rawValue: try row.decode(column: "severity", as: String.self)) ?? .unknown, try row.decode(column: "summary", as: String?.self)))
        }
        if vulnerabilities.isEmpty && !wanted.isEmpty { vulnerabilities.insert(wanted) }
        let findings = vulnerabilities.isEmpty ? [] : try await sql.raw("""
            SELECT \(unsafeRaw: VulnerabilityStore.findingColumns) FROM findings f WHERE f.institution_id = \(bind: institutionID)
            AND UPPER(f.vulnerability_id) IN (\(binds: vulnerabilities.map { $0.uppercased() })) ORDER BY f.system_label, f.component_label
            """).all().map(VulnerabilityStore.decodeFinding)
        return Reach(query: wanted, vulnerabilityIDs: vulnerabilities.sorted(), advisories: advisories, findings: findings)
    }

    /// Every finding's dates, for KPI 脆弱性対応率 and KRI 未対応の脆弱性件数 over time.
    static func lifecycles(institutionID: UUID, on database: any Database) async throws -> [FindingLifecycle] {
        try await (database as! any SQLDatabase).raw("SELECT discovered_on, deadline, closed_on, closed_within_policy FROM findings WHERE institution_id = \(bind: institutionID)").all().compactMap { row in
            guard let discovered = ISODate(try row.decode(column: "discovered_on", as: String.self)),
                  let deadline = ISODate(try row.decode(column: "deadline", as: String.self)) else { return nil }
            return FindingLifecycle(discovered: discovered, deadline: deadline, closed: (try row.decode(column: "closed_on", as: String?.self)).flatMap(ISODate.init),
                                    closedWithinPolicy: (try row.decode(column: "closed_within_policy", as: Int?.self)).map { $0 != 0 })
        }
    }

    struct Summary: Sendable {
        var open = 0, inProgress = 0, overdue = 0, knownExploited = 0, acceptedRisks = 0, pendingExceptions = 0
        var lastFeed: (file: String, kind: String, at: Date)?
    }

    static func summary(institutionID: UUID, today: ISODate = .today(), on database: any Database) async throws -> Summary {
        let sql = database as! any SQLDatabase
        var summary = Summary()
        if let row = try await sql.raw("""
            SELECT SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END) AS open_count, SUM(CASE WHEN status = 'in_progress' THEN 1 ELSE 0 END) AS progress_count,
            SUM(CASE WHEN status IN ('open', 'in_progress') AND deadline < \(bind: today.description) THEN 1 ELSE 0 END) AS overdue_count,
            SUM(CASE WHEN status IN ('open', 'in_progress') AND known_exploited = 1 THEN 1 ELSE 0 END) AS kev_count,
            SUM(CASE WHEN status = 'accepted' THEN 1 ELSE 0 END) AS accepted_count FROM findings WHERE institution_id = \(bind: institutionID)
            """).first() {
            summary.open = try row.decode(column: "open_count", as: Int?.self) ?? 0
            summary.inProgress = try row.decode(column: "progress_count", as: Int?.self) ?? 0
            summary.overdue = try row.decode(column: "overdue_count", as: Int?.self) ?? 0
            summary.knownExploited = try row.decode(column: "kev_count", as: Int?.self) ?? 0
            summary.acceptedRisks = try row.decode(column: "accepted_count", as: Int?.self) ?? 0
        }
        summary.pendingExceptions = try await sql.raw("SELECT COUNT(*) AS n FROM finding_exceptions WHERE institution_id = \(bind: institutionID) AND state = 'requested'").first()?.decode(column: "n", as: Int.self) ?? 0
        if let row = try await sql.raw("SELECT filename, kind, imported_at FROM advisory_feeds WHERE institution_id = \(bind: institutionID) ORDER BY imported_at DESC LIMIT 1").first() {
            summary.lastFeed = (try row.decode(column: "filename", as: String.self), try row.decode(column: "kind", as: String.self), try row.decode(column: "imported_at", as: Date.self))
        }
        return summary
    }

    struct FeedRecord: Sendable {
        var file: String, kind: String, entries: Int, findingsCreated: Int, importedAt: Date, importedBy: String?
    }

    static func feeds(institutionID: UUID, limit: Int = 20, on database: any Database) async throws -> [FeedRecord] {
        try await (database as! any SQLDatabase).raw("""
            SELECT a.filename, a.kind, a.entries, a.findings_created, a.imported_at, u.login FROM advisory_feeds a LEFT JOIN users u ON u.id = a.imported_by
            WHERE a.institution_id = \(bind: institutionID) ORDER BY a.imported_at DESC LIMIT \(literal: limit)
            """).all().map { row in
            FeedRecord(file: try row.decode(column: "filename", as: String.self), kind: try row.decode(column: "kind", as: String.self),
                       entries: try row.decode(column: "entries", as: Int.self), findingsCreated: try row.decode(column: "findings_created", as: Int.self),
                       importedAt: try row.decode(column: "imported_at", as: Date.self), importedBy: try row.decode(column: "login", as: String?.self))
        }
    }
}
