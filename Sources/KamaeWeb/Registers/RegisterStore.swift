import Fluent
import Foundation
import KamaeCore
import SQLKit

/// One record of a register as stored: references are shown by the other record's code.
struct RegisterRecord: Sendable {
    var id: UUID
    var code: String
    var values: [String: FieldValue]
    var revision: Int
    var updatedAt: Date
    /// Components only: the SBOM upload the component came from (nil when entered by hand).
    var sbomUploadID: UUID?

    func text(_ key: String) -> String { key == "code" ? code : values[key]?.plain ?? "" }
}

/// What a list page or API call asks of a register: free-text search, exact filters, order and page.
struct RegisterQuery: Sendable {
    var search: String = ""
    /// Field key → value (a choice's value, true/false, or a referenced record's code).
    var filters: [String: String] = [:]
    var sort: String = "code"
    var descending = false
    /// Components only: where the end of support stands.
    var support: SupportWindow?
    var page = PageRequest(page: 1, perPage: 50)
}

/// The EOL dashboard's windows (§2.2.1.2: keep track of end of support).
enum SupportWindow: String, CaseIterable, Sendable {
    case ended, within90Days = "within_90_days", withinYear = "within_year", unknown

    var name: LocalizedText {
        switch self {
        case .ended: LocalizedText(ja: "サポート終了済み", en: "Out of support")
        case .within90Days: LocalizedText(ja: "90 日以内に終了", en: "Ends within 90 days")
        case .withinYear: LocalizedText(ja: "1 年以内に終了", en: "Ends within a year")
        case .unknown: LocalizedText(ja: "終了日未登録", en: "No end-of-support date")
        }
    }

    /// The SQL condition on `t.end_of_support` (ISO dates compare as text).
    func condition(today: ISODate) -> SQLQueryString {
        switch self {
        case .ended: "t.end_of_support IS NOT NULL AND t.end_of_support < \(bind: today.description)"
        case .within90Days: "t.end_of_support >= \(bind: today.description) AND t.end_of_support <= \(bind: today.adding(days: 90).description)"
        case .withinYear: "t.end_of_support >= \(bind: today.description) AND t.end_of_support <= \(bind: today.adding(days: 365).description)"
        case .unknown: "t.end_of_support IS NULL"
        }
    }
}

/// Why a register change was refused: every problem, by field (or by file location for imports). Nothing was written.
struct RegisterRefusal: Error, Sendable {
    var problems: [FieldProblem]
}

/// Where each field lives in the database. Single references are `<key>_id` columns, several references live in
/// `register_links`; everything else is a column named like its key.
enum RegisterTables {
    static func table(_ id: RegisterID) -> String { "register_\(id.rawValue)" }

    static func column(_ field: RegisterField) -> String? {
        switch field.kind {
        case .reference: field.key + "_id"
        case .references: nil
        default: field.key == "code" ? "code" : field.key
        }
    }

    static func stored(_ schema: RegisterSchema) -> [RegisterField] {
        schema.fields.filter { $0.key != "code" && column($0) != nil }
    }
}

enum RegisterStore {
    // MARK: Reading

    static func list(_ schema: RegisterSchema, institutionID: UUID, query: RegisterQuery, on database: any Database) async throws -> Paged<RegisterRecord> {
        let sql = database as! any SQLDatabase
        let conditions = try await conditions(schema, institutionID: institutionID, query: query, on: sql)
        let countRow = try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: RegisterTables.table(schema.id)) t WHERE " + conditions).first()
        let total = try countRow?.decode(column: "n", as: Int.self) ?? 0
        let direction = query.descending ? "DESC" : "ASC"
        let orderColumn = sortExpression(schema, key: query.sort)
        var statement = select(schema) + " WHERE " + conditions
        statement += " ORDER BY \(unsafeRaw: orderColumn) \(unsafeRaw: direction), t.code ASC LIMIT \(literal: query.page.perPage) OFFSET \(literal: (query.page.page - 1) * query.page.perPage)"
        let records = try await decode(schema, rows: sql.raw(statement).all(), on: sql)
        return Paged(data: records, meta: PageMeta(page: query.page.page, perPage: query.page.perPage, total: total))
    }

    static func all(_ schema: RegisterSchema, institutionID: UUID, on database: any Database) async throws -> [RegisterRecord] {
        let sql = database as! any SQLDatabase
        let statement = select(schema) + " WHERE t.institution_id = \(bind: institutionID) ORDER BY t.code"
        return try await decode(schema, rows: sql.raw(statement).all(), on: sql)
    }

    /// The records whose several-references field names `targetID` (the data a system processes).
    static func referring(_ schema: RegisterSchema, field: String, to targetID: UUID, institutionID: UUID, on database: any Database) async throws -> [RegisterRecord] {
        let sql = database as! any SQLDatabase
        let statement = select(schema) + """
             WHERE t.institution_id = \(bind: institutionID)
            AND t.id IN (SELECT record_id FROM register_links WHERE field = \(bind: field) AND target_id = \(bind: targetID)) ORDER BY t.code
            """
        return try await decode(schema, rows: sql.raw(statement).all(), on: sql)
    }

    static func find(_ schema: RegisterSchema, id: UUID, institutionID: UUID, on database: any Database) async throws -> RegisterRecord? {
        let sql = database as! any SQLDatabase
        let statement = select(schema) + " WHERE t.institution_id = \(bind: institutionID) AND t.id = \(bind: id)"
        return try await decode(schema, rows: sql.raw(statement).all(), on: sql).first
    }

    static func find(_ schema: RegisterSchema, code: String, institutionID: UUID, on database: any Database) async throws -> RegisterRecord? {
        let sql = database as! any SQLDatabase
        let statement = select(schema) + " WHERE t.institution_id = \(bind: institutionID) AND t.code = \(bind: code)"
        return try await decode(schema, rows: sql.raw(statement).all(), on: sql).first
    }

    static func count(_ id: RegisterID, institutionID: UUID, where condition: SQLQueryString? = nil, on database: any Database) async throws -> Int {
        let sql = database as! any SQLDatabase
        var statement: SQLQueryString = "SELECT COUNT(*) AS n FROM \(unsafeRaw: RegisterTables.table(id)) t WHERE t.institution_id = \(bind: institutionID)"
        if let condition { statement += " AND (" + condition + ")" }
        return try await sql.raw(statement).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    private static func select(_ schema: RegisterSchema) -> SQLQueryString {
        var columns = ["t.id", "t.code", "t.revision", "t.updated_at"]
        var joins = ""
        for field in RegisterTables.stored(schema) {
            guard let column = RegisterTables.column(field) else { continue }
            if case let .reference(target) = field.kind {
                columns.append("r_\(field.key).code AS \(field.key)__code")
                joins += " LEFT JOIN \(RegisterTables.table(target)) r_\(field.key) ON r_\(field.key).id = t.\(column)"
            } else {
                columns.append("t.\(column)")
            }
        }
        if schema.id == .components { columns.append("t.sbom_upload_id") }
        return "SELECT \(unsafeRaw: columns.joined(separator: ", ")) FROM \(unsafeRaw: RegisterTables.table(schema.id)) t\(unsafeRaw: joins)"
    }

    private static func sortExpression(_ schema: RegisterSchema, key: String) -> String {
        guard key != "code" else { return "t.code" }
        if key == "updated_at" { return "t.updated_at" }
        guard let field = schema.field(key), let column = RegisterTables.column(field) else { return "t.code" }
        if case .reference = field.kind { return "r_\(field.key).code" }
        return "t.\(column)"
    }

    /// The keys a list may be sorted by.
    static func sortable(_ schema: RegisterSchema) -> [String] {
        ["code"] + schema.fields.filter { RegisterTables.column($0) != nil && $0.key != "code" }.map(\.key) + ["updated_at"]
    }

    private static func conditions(_ schema: RegisterSchema, institutionID: UUID, query: RegisterQuery, on sql: any SQLDatabase) async throws -> SQLQueryString {
        var condition: SQLQueryString = "t.institution_id = \(bind: institutionID)"
        let search = query.search.trimmingCharacters(in: .whitespaces)
        if !search.isEmpty {
            let pattern = "%" + search.lowercased().likeEscaped + "%"
            let searched = schema.fields.compactMap { field -> String? in
                guard case .text = field.kind, let column = RegisterTables.column(field) else { return nil }
                return column
            }
            var alternatives: [SQLQueryString] = searched.map { "LOWER(t.\(unsafeRaw: $0)) LIKE \(bind: pattern) ESCAPE '\\'" }
            for field in schema.fields {
                if case let .reference(target) = field.kind, let column = RegisterTables.column(field) {
                    alternatives.append("t.\(unsafeRaw: column) IN (SELECT id FROM \(unsafeRaw: RegisterTables.table(target)) WHERE institution_id = \(bind: institutionID) AND LOWER(code) LIKE \(bind: pattern) ESCAPE '\\')")
                }
            }
            condition += " AND (" + alternatives.joined(separator: " OR ") + ")"
        }
        for (key, raw) in query.filters.sorted(by: { $0.key < $1.key }) {
            guard let field = schema.field(key), let column = RegisterTables.column(field) else {
                throw WebError.invalidParameter(key, ja: "この台帳では絞り込めない項目です。", en: "is not a filter of this register.")
            }
            switch RegisterSchema.value(raw, for: field) {
            case let .failure(problem): throw WebError.invalidParameter(key, ja: problem.message.ja, en: problem.message.en)
            case let .success(value):
                switch value {
                case let .flag(flag): condition += flag ? " AND t.\(unsafeRaw: column) = 1" : " AND (t.\(unsafeRaw: column) IS NULL OR t.\(unsafeRaw: column) = 0)"
                case let .code(code):
                    guard case let .reference(target) = field.kind else { continue }
                    condition += " AND t.\(unsafeRaw: column) IN (SELECT id FROM \(unsafeRaw: RegisterTables.table(target)) WHERE institution_id = \(bind: institutionID) AND code = \(bind: code))"
                default: condition += " AND t.\(unsafeRaw: column) = \(bind: value.plain)"
                }
            }
        }
        if let support = query.support, schema.id == .components {
            condition += " AND (" + support.condition(today: ISODate.today()) + ")"
        }
        return condition
    }

    private static func decode(_ schema: RegisterSchema, rows: [any SQLRow], on sql: any SQLDatabase) async throws -> [RegisterRecord] {
        var records: [RegisterRecord] = []
        records.reserveCapacity(rows.count)
        for row in rows {
            var values: [String: FieldValue] = [:]
            for field in RegisterTables.stored(schema) {
                guard let column = RegisterTables.column(field) else { continue }
                switch field.kind {
                case .reference:
                    if let code = try row.decodeNil(column: "\(field.key)__code") ? nil : row.decode(column: "\(field.key)__code", as: String.self) { values[field.key] = .code(code) }
                case .flag:
                    if let flag = try row.decode(column: column, as: Int?.self) { values[field.key] = .flag(flag != 0) }
                case .date:
                    if let text = try row.decode(column: column, as: String?.self), let date = ISODate(text) { values[field.key] = .date(date) }
                default:
                    if let text = try row.decode(column: column, as: String?.self), !text.isEmpty { values[field.key] = .text(text) }
                }
            }
            records.append(RegisterRecord(
                id: try row.decode(column: "id", as: UUID.self), code: try row.decode(column: "code", as: String.self), values: values,
                revision: try row.decode(column: "revision", as: Int.self), updatedAt: try row.decode(column: "updated_at", as: Date.self),
                sbomUploadID: schema.id == .components ? try row.decode(column: "sbom_upload_id", as: UUID?.self) : nil
            ))
        }
        // Several references (data → systems) are read for the whole page at once.
        for field in schema.fields {
            guard case let .references(target) = field.kind, !records.isEmpty else { continue }
            var links: [any SQLRow] = []
            for chunk in records.map(\.id).chunked() {
                links += try await sql.raw("""
                    SELECT l.record_id, r.code FROM register_links l JOIN \(unsafeRaw: RegisterTables.table(target)) r ON r.id = l.target_id
                    WHERE l.field = \(bind: field.key) AND l.record_id IN (\(binds: chunk)) ORDER BY r.code
                    """).all()
            }
            var codes: [UUID: [String]] = [:]
            for link in links { codes[try link.decode(column: "record_id", as: UUID.self), default: []].append(try link.decode(column: "code", as: String.self)) }
            for index in records.indices {
                if let found = codes[records[index].id] { records[index].values[field.key] = .codes(found) }
            }
        }
        return records
    }

    // MARK: Writing

    struct Saved: Sendable {
        var record: RegisterRecord
        var created: Bool
    }

    /// Creates or updates one record after checking every field and every reference. `expectedRevision` refuses a
    /// save over someone else's newer save. Runs in the caller's transaction when there is one.
    static func save(
        _ schema: RegisterSchema, raw: [String: String], id existingID: UUID?, expectedRevision: Int?, institutionID: UUID, actor: AuditActor, on database: any Database
    ) async throws -> Saved {
        do {
            return try await saveInTransaction(schema, raw: raw, id: existingID, expectedRevision: expectedRevision, institutionID: institutionID, actor: actor, on: database)
        } catch where DatabaseErrors.isUniqueViolation(error) {
            // Two people saved the same new code at once; the second hears it as any other code in use.
            throw RegisterRefusal(problems: [FieldProblem(field: "code", message: LocalizedText(ja: "管理番号 \(raw["code"] ?? "") は既に使われています。", en: "code \(raw["code"] ?? "") is already in use."))])
        }
    }

    private static func saveInTransaction(
        _ schema: RegisterSchema, raw: [String: String], id existingID: UUID?, expectedRevision: Int?, institutionID: UUID, actor: AuditActor, on database: any Database
    ) async throws -> Saved {
        try await database.transaction { database in
            try await DatabaseWrites.lock(database)
            let (values, problems) = schema.parse(raw)
            guard problems.isEmpty else { throw RegisterRefusal(problems: problems) }
            let resolved = try await resolve(schema, [values], institutionID: institutionID, on: database)
            if let refusal = resolved.problems.first { throw RegisterRefusal(problems: refusal.value) }
            return try await write(schema, values: values, references: resolved.ids[0], existingID: existingID, expectedRevision: expectedRevision,
                                   institutionID: institutionID, actor: actor, on: database)
        }
    }

    /// Every row of a file, all or nothing: rows are matched to existing records by code (update) or created.
    /// Problems name the row (`line 12` or `sheet!row 12`) and the field.
    static func importRows(
        _ schema: RegisterSchema, rows: [(location: String, raw: [String: String])], institutionID: UUID, actor: AuditActor, file: String, on database: any Database
    ) async throws -> (created: Int, updated: Int) {
        var problems: [FieldProblem] = []
        var parsed: [[String: FieldValue]] = []
        var seen: [String: String] = [:]
        for row in rows {
            let (values, rowProblems) = schema.parse(row.raw)
            problems += rowProblems.map { FieldProblem(field: "\(row.location) \($0.field)", message: $0.message) }
            if case let .text(code) = values["code"] {
                if let first = seen[code] {
                    problems.append(FieldProblem(field: "\(row.location) code", message: LocalizedText(ja: "管理番号 \(code) が \(first) と重複しています。", en: "code \(code) also appears at \(first).")))
                }
                seen[code] = row.location
            }
            parsed.append(values)
        }
        guard !rows.isEmpty else {
            throw RegisterRefusal(problems: [FieldProblem(field: file, message: LocalizedText(ja: "データ行がありません。", en: "the file has no data rows."))])
        }
        let parsedRows = parsed
        let parseProblems = problems
        return try await database.transaction { database in
            try await DatabaseWrites.lock(database)
            let parsed = parsedRows
            // Unknown references are reported together with the other problems, so one correction round suffices.
            let resolved = try await resolve(schema, parsed, institutionID: institutionID, on: database)
            let referenceProblems = resolved.problems.sorted { $0.key < $1.key }.flatMap { index, found in
                found.map { FieldProblem(field: "\(rows[index].location) \($0.field)", message: $0.message) }
            }
            guard parseProblems.isEmpty && referenceProblems.isEmpty else {
                throw RegisterRefusal(problems: parseProblems + referenceProblems)
            }
            let sql = database as! any SQLDatabase
            var existing: [String: (UUID, Int)] = [:]
            let codes = parsed.compactMap { $0["code"]?.plain }
            for chunk in codes.chunked() {
                for row in try await sql.raw("SELECT id, code, revision FROM \(unsafeRaw: RegisterTables.table(schema.id)) WHERE institution_id = \(bind: institutionID) AND code IN (\(binds: chunk))").all() {
                    existing[try row.decode(column: "code", as: String.self)] = (try row.decode(column: "id", as: UUID.self), try row.decode(column: "revision", as: Int.self))
                }
            }
            var created = 0, updated = 0
            var changedComponents: [UUID] = []
            for (index, values) in parsed.enumerated() {
                let current = existing[values["code"]?.plain ?? ""]
                let saved = try await write(schema, values: values, references: resolved.ids[index], existingID: current?.0, expectedRevision: nil,
                                            institutionID: institutionID, actor: actor, audit: false, on: database)
                if saved.created { created += 1 } else { updated += 1 }
                changedComponents.append(saved.record.id)
            }
            try await AuditTrail.record("register.imported", by: actor, target: (RegisterTables.table(schema.id), file),
                                        details: ["register": schema.id.rawValue, "file": file, "created": String(created), "updated": String(updated)], on: database)
            try await RegisterEffects.afterChange(schema.id, ids: changedComponents, institutionID: institutionID, actor: actor, on: database)
            return (created, updated)
        }
    }

    /// Record ids of referenced codes, per row; problems per row index when a code names nothing.
    private static func resolve(_ schema: RegisterSchema, _ rows: [[String: FieldValue]], institutionID: UUID, on database: any Database)
        async throws -> (ids: [[String: [UUID]]], problems: [Int: [FieldProblem]]) {
        let sql = database as! any SQLDatabase
        var wanted: [RegisterID: Set<String>] = [:]
        for row in rows {
            for field in schema.fields {
                switch (field.kind, row[field.key]) {
                case let (.reference(target), .code(code)?): wanted[target, default: []].insert(code)
                case let (.references(target), .codes(codes)?): wanted[target, default: []].formUnion(codes)
                default: break
                }
            }
        }
        var known: [RegisterID: [String: UUID]] = [:]
        for (target, codes) in wanted {
            let list = Array(codes)
            for chunk in list.chunked() {
                for row in try await sql.raw("SELECT id, code FROM \(unsafeRaw: RegisterTables.table(target)) WHERE institution_id = \(bind: institutionID) AND code IN (\(binds: chunk))").all() {
                    known[target, default: [:]][try row.decode(column: "code", as: String.self)] = try row.decode(column: "id", as: UUID.self)
                }
            }
        }
        var ids: [[String: [UUID]]] = []
        var problems: [Int: [FieldProblem]] = [:]
        for (index, row) in rows.enumerated() {
            var resolved: [String: [UUID]] = [:]
            for field in schema.fields {
                let target: RegisterID
                let codes: [String]
                switch (field.kind, row[field.key]) {
                case let (.reference(kind), .code(code)?): (target, codes) = (kind, [code])
                case let (.references(kind), .codes(list)?): (target, codes) = (kind, list)
                default: continue
                }
                let targetTitle = RegisterSchema.schema(target).title
                for code in codes {
                    if let id = known[target]?[code] {
                        resolved[field.key, default: []].append(id)
                    } else {
                        problems[index, default: []].append(FieldProblem(field: field.key, message: LocalizedText(
                            ja: "\(field.label.ja): 管理番号 \(code) は「\(targetTitle.ja)」にありません。", en: "\(field.label.en): no record \(code) in \(targetTitle.en).")))
                    }
                }
            }
            ids.append(resolved)
        }
        return (ids, problems)
    }

    private static func write(
        _ schema: RegisterSchema, values: [String: FieldValue], references: [String: [UUID]], existingID: UUID?, expectedRevision: Int?,
        institutionID: UUID, actor: AuditActor, audit: Bool = true, on database: any Database
    ) async throws -> Saved {
        let sql = database as! any SQLDatabase
        let table = RegisterTables.table(schema.id)
        let code = values["code"]?.plain ?? ""
        let now = Date()
        var before: RegisterRecord?
        if let existingID {
            guard let found = try await find(schema, id: existingID, institutionID: institutionID, on: database) else { throw WebError.notFound }
            if let expectedRevision, found.revision != expectedRevision { throw WebError.conflictingRegisterEdit }
            before = found
        }
        // The code is unique per register; say so by field rather than as a database error.
        if let other = try await sql.raw("SELECT id FROM \(unsafeRaw: table) WHERE institution_id = \(bind: institutionID) AND code = \(bind: code)").first(),
           try other.decode(column: "id", as: UUID.self) != existingID {
            throw RegisterRefusal(problems: [FieldProblem(field: "code", message: LocalizedText(ja: "管理番号 \(code) は既に使われています。", en: "code \(code) is already in use."))])
        }
        var columns: [String] = ["code"]
        var binds: [any Encodable & Sendable] = [code]
        for field in RegisterTables.stored(schema) {
            guard let column = RegisterTables.column(field) else { continue }
            columns.append(column)
            switch (field.kind, values[field.key]) {
            case (.reference, _): binds.append(references[field.key]?.first)
            case let (_, .flag(flag)?): binds.append(flag ? 1 : 0)
            case let (_, value?): binds.append(value.plain)
            case (.flag, nil): binds.append(Int?.none)
            case (_, nil): binds.append(String?.none)
            }
        }
        let id = existingID ?? UUID()
        if let before {
            let assignments = zip(columns, binds).map { column, bind -> SQLQueryString in "\(unsafeRaw: column) = \(bind: bind)" }
            // The revision read above must still be the stored one: a save in between (PostgreSQL does not serialise
            // writers here) leaves no row to update, and this one is refused rather than lost.
            let updated = try await sql.raw("UPDATE \(unsafeRaw: table) SET " + assignments.joined(separator: ", ")
                + ", revision = revision + 1, updated_at = \(bind: now) WHERE id = \(bind: id) AND revision = \(bind: before.revision) RETURNING id").all()
            guard !updated.isEmpty else { throw WebError.conflictingRegisterEdit }
        } else {
            let allColumns = ["id", "institution_id"] + columns + ["revision", "created_at", "updated_at"]
            let allBinds: [any Encodable & Sendable] = [id, institutionID] + binds + [1, now, now]
            try await sql.raw("INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: allColumns.joined(separator: ", "))) VALUES (\(binds: allBinds))").run()
        }
        for field in schema.fields {
            guard case .references = field.kind else { continue }
            try await sql.raw("DELETE FROM register_links WHERE record_id = \(bind: id) AND field = \(bind: field.key)").run()
            for target in references[field.key] ?? [] {
                try await sql.raw("""
                    INSERT INTO register_links (id, institution_id, register, record_id, field, target_id)
                    VALUES (\(bind: UUID()), \(bind: institutionID), \(bind: schema.id.rawValue), \(bind: id), \(bind: field.key), \(bind: target))
                    """).run()
            }
        }
        // A file import audits once for the whole file and does not read each row back.
        guard audit else {
            return Saved(record: RegisterRecord(id: id, code: code, values: values, revision: (before?.revision ?? 0) + 1, updatedAt: now, sbomUploadID: nil), created: before == nil)
        }
        guard let saved = try await find(schema, id: id, institutionID: institutionID, on: database) else { throw WebError.internalError }
        do {
            var details = ["register": schema.id.rawValue, "code": code]
            for field in schema.fields where field.key != "code" {
                let old = before?.text(field.key) ?? ""
                let new = saved.text(field.key)
                if old != new { details[field.key] = before == nil ? String(new.prefix(200)) : "\(old.prefix(100)) → \(new.prefix(100))" }
            }
            try await AuditTrail.record(before == nil ? "register.created" : "register.updated", by: actor, target: (table, id.uuidString), details: details, on: database)
            try await RegisterEffects.afterChange(schema.id, ids: [id], institutionID: institutionID, actor: actor, on: database)
        }
        return Saved(record: saved, created: before == nil)
    }

    /// Deletes a record that nothing refers to; otherwise says what still refers to it.
    static func delete(_ schema: RegisterSchema, id: UUID, institutionID: UUID, actor: AuditActor, on database: any Database) async throws {
        try await database.transaction { database in
            try await DatabaseWrites.lock(database)
            guard let record = try await find(schema, id: id, institutionID: institutionID, on: database) else { throw WebError.notFound }
            let sql = database as! any SQLDatabase
            var users: [String] = []
            for other in RegisterSchema.all {
                for field in other.fields {
                    switch field.kind {
                    case .reference(schema.id):
                        guard let column = RegisterTables.column(field) else { continue }
                        let n = try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: RegisterTables.table(other.id)) WHERE \(unsafeRaw: column) = \(bind: id)").first()?.decode(column: "n", as: Int.self) ?? 0
                        if n > 0 { users.append("\(other.title.ja) \(n) 件 / \(n) in \(other.title.en)") }
                    case .references(schema.id):
                        let n = try await sql.raw("SELECT COUNT(*) AS n FROM register_links WHERE target_id = \(bind: id) AND field = \(bind: field.key) AND register = \(bind: other.id.rawValue)").first()?.decode(column: "n", as: Int.self) ?? 0
                        if n > 0 { users.append("\(other.title.ja) \(n) 件 / \(n) in \(other.title.en)") }
                    default: continue
                    }
                }
            }
            guard users.isEmpty else {
                throw WebError(status: .conflict, title: LocalizedText(ja: "削除できません", en: "Cannot delete"),
                               detail: LocalizedText(ja: "\(record.code) は次から参照されています: \(users.joined(separator: "、"))", en: "\(record.code) is still referred to: \(users.joined(separator: ", "))"),
                               parameter: "id")
            }
            if schema.id == .systems {
                // The findings lose their link to the system: their lists must be drawn again.
                try await sql.raw("UPDATE findings SET updated_at = \(bind: Date()) WHERE system_id = \(bind: id)").run()
            }
            if schema.id == .components {
                try await VulnerabilityStore.closeFindings(ofComponents: [id], note: "component removed from the register", institutionID: institutionID, actor: actor, on: database)
            }
            try await sql.raw("DELETE FROM register_links WHERE record_id = \(bind: id)").run()
            let evidence = try await sql.raw("SELECT item_id FROM evidence_links WHERE record_id = \(bind: id)").all().map { try $0.decode(column: "item_id", as: String.self) }
            try await sql.raw("DELETE FROM evidence_links WHERE record_id = \(bind: id)").run()
            try await sql.raw("DELETE FROM \(unsafeRaw: RegisterTables.table(schema.id)) WHERE id = \(bind: id) AND institution_id = \(bind: institutionID)").run()
            try await AuditTrail.record("register.deleted", by: actor, target: (RegisterTables.table(schema.id), id.uuidString),
                                        details: ["register": schema.id.rawValue, "code": record.code, "unlinked_from_items": evidence.joined(separator: " ")], on: database)
        }
    }
}

extension WebError {
    static let conflictingRegisterEdit = WebError(
        status: .conflict, title: LocalizedText(ja: "他の人が先に更新しました", en: "Changed by someone else"),
        detail: LocalizedText(ja: "開いた後に他の人がこの記録を保存しました。最新の内容を確認してからもう一度保存してください。",
                              en: "Someone saved this record after you opened it. Review the latest version and save again."),
        parameter: "revision"
    )
}
