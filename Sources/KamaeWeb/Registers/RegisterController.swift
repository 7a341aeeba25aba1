import Fluent
import Foundation
import KamaeCore
import KamaeHTML
import Vapor

/// The register pages: list with search, filters, sort and paging; a form per record; CSV/XLSX import and export.
struct RegisterController: RouteCollection {
    let catalog: Catalog

    func boot(routes: any RoutesBuilder) throws {
        let registers = routes.grouped("registers")
        registers.get(use: overview)
        registers.get(":register", use: list)
        registers.get(":register", "new", use: newRecord)
        registers.post(":register", use: create)
        registers.get(":register", "export.csv", use: exportCSV)
        registers.get(":register", "export.xlsx", use: exportWorkbook)
        registers.on(.POST, ":register", "import", body: .collect(maxSize: "32mb"), use: importFile)
        registers.get(":register", ":id", use: show)
        registers.post(":register", ":id", use: update)
        registers.post(":register", ":id", "delete", use: delete)
    }

    static func schema(_ req: Request) throws -> RegisterSchema {
        guard let raw = req.parameters.get("register"), let id = RegisterID(rawValue: raw) else { throw WebError.notFound }
        return RegisterSchema.schema(id)
    }

    /// List parameters shared by the page and the API: `q`, `sort`, `direction`, `support`, `page`, `per_page`, and
    /// any field key as an exact filter.
    static func query(_ req: Request, schema: RegisterSchema) throws -> RegisterQuery {
        var query = RegisterQuery()
        query.search = try req.searchQuery()
        if let sort = req.query[String.self, at: "sort"], !sort.isEmpty {
            guard RegisterStore.sortable(schema).contains(sort) else {
                throw WebError.invalidParameter("sort", ja: "並べ替えの項目が正しくありません。", en: "one of \(RegisterStore.sortable(schema).joined(separator: ", ")).")
            }
            query.sort = sort
        }
        if let direction = req.query[String.self, at: "direction"], !direction.isEmpty {
            guard direction == "asc" || direction == "desc" else { throw WebError.invalidParameter("direction", ja: "asc か desc です。", en: "asc or desc.") }
            query.descending = direction == "desc"
        }
        if let support = req.query[String.self, at: "support"], !support.isEmpty {
            guard schema.id == .components, let window = SupportWindow(rawValue: support) else {
                throw WebError.invalidParameter("support", ja: "ended, within_90_days, within_year, unknown のいずれかです（HW/SW 台帳のみ）。", en: "one of ended, within_90_days, within_year, unknown (components only).")
            }
            query.support = window
        }
        for field in schema.fields where field.key != "code" {
            if case .references = field.kind { continue }
            if case .text = field.kind { continue }
            if let value = req.query[String.self, at: field.key], !value.isEmpty { query.filters[field.key] = value }
        }
        query.page = try PageRequest.from(req)
        return query
    }

    @Sendable func overview(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.readRegisters)
        var counts: [RegisterID: Int] = [:]
        for schema in RegisterSchema.all { counts[schema.id] = try await RegisterStore.count(schema.id, institutionID: user.institutionID, on: req.db) }
        var support: [SupportWindow: Int] = [:]
        let today = ISODate.today()
        for window in SupportWindow.allCases {
            support[window] = try await RegisterStore.count(.components, institutionID: user.institutionID, where: window.condition(today: today), on: req.db)
        }
        return RegisterPages.overview(counts: counts, support: support, context: PageContext(request: req)).response()
    }

    @Sendable func list(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.readRegisters)
        let schema = try Self.schema(req)
        let query = try Self.query(req, schema: schema)
        let page = try await RegisterStore.list(schema, institutionID: user.institutionID, query: query, on: req.db)
        return RegisterPages.list(schema, page: page, query: query, context: PageContext(request: req)).response()
    }

    @Sendable func newRecord(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.editRegisters)
        let schema = try Self.schema(req)
        let choices = try await RegisterPages.referenceChoices(schema, institutionID: user.institutionID, on: req.db)
        return RegisterPages.form(schema, record: nil, raw: [:], problems: [], choices: choices, context: PageContext(request: req)).response()
    }

    /// The submitted form's cells by field key, and the revision it was opened at.
    private func formCells(_ req: Request, schema: RegisterSchema) -> (raw: [String: String], revision: Int?) {
        var raw: [String: String] = [:]
        var revision: Int?
        for (name, value) in FormPairs.read(req) {
            if name == "revision" { revision = Int(value) }
            if schema.field(name) != nil { raw[name] = value }
        }
        return (raw, revision)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.editRegisters)
        let schema = try Self.schema(req)
        let (raw, _) = formCells(req, schema: schema)
        do {
            let saved = try await RegisterStore.save(schema, raw: raw, id: nil, expectedRevision: nil, institutionID: user.institutionID, actor: req.auditActor, on: req.db)
            return req.redirect(to: "/registers/\(schema.id.rawValue)/\(saved.record.id.uuidString)?saved=1", redirectType: .normal)
        } catch let refusal as RegisterRefusal {
            let choices = try await RegisterPages.referenceChoices(schema, institutionID: user.institutionID, on: req.db)
            return RegisterPages.form(schema, record: nil, raw: raw, problems: refusal.problems, choices: choices, context: PageContext(request: req)).response(status: .unprocessableEntity)
        }
    }

    @Sendable func show(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.readRegisters)
        let schema = try Self.schema(req)
        guard let id = req.parameters.get("id", as: UUID.self),
              let record = try await RegisterStore.find(schema, id: id, institutionID: user.institutionID, on: req.db) else { throw WebError.notFound }
        let choices = try await RegisterPages.referenceChoices(schema, institutionID: user.institutionID, on: req.db)
        let related = try await RegisterRelations.load(schema, record: record, institutionID: user.institutionID, on: req.db)
        return RegisterPages.form(schema, record: record, raw: [:], problems: [], choices: choices, related: related, context: PageContext(request: req)).response()
    }

    @Sendable func update(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.editRegisters)
        let schema = try Self.schema(req)
        guard let id = req.parameters.get("id", as: UUID.self),
              let record = try await RegisterStore.find(schema, id: id, institutionID: user.institutionID, on: req.db) else { throw WebError.notFound }
        let (raw, revision) = formCells(req, schema: schema)
        do {
            _ = try await RegisterStore.save(schema, raw: raw, id: id, expectedRevision: revision, institutionID: user.institutionID, actor: req.auditActor, on: req.db)
            return req.redirect(to: "/registers/\(schema.id.rawValue)/\(id.uuidString)?saved=1", redirectType: .normal)
        } catch let refusal as RegisterRefusal {
            let choices = try await RegisterPages.referenceChoices(schema, institutionID: user.institutionID, on: req.db)
            let related = try await RegisterRelations.load(schema, record: record, institutionID: user.institutionID, on: req.db)
            return RegisterPages.form(schema, record: record, raw: raw, problems: refusal.problems, choices: choices, related: related, context: PageContext(request: req))
                .response(status: .unprocessableEntity)
        }
    }

    @Sendable func delete(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.editRegisters)
        let schema = try Self.schema(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw WebError.notFound }
        try await RegisterStore.delete(schema, id: id, institutionID: user.institutionID, actor: req.auditActor, on: req.db)
        return req.redirect(to: "/registers/\(schema.id.rawValue)", redirectType: .normal)
    }

    @Sendable func exportCSV(req: Request) async throws -> Response {
        try await export(req, format: "csv")
    }

    @Sendable func exportWorkbook(req: Request) async throws -> Response {
        try await export(req, format: "xlsx")
    }

    /// Exports are audited like every other export of the institution's data.
    static func exportResponse(_ req: Request, schema: RegisterSchema, format: String) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.export)
        let records = try await RegisterStore.all(schema, institutionID: user.institutionID, on: req.db)
        let data = format == "xlsx" ? try RegisterExchange.workbook(schema, records: records) : RegisterExchange.csv(schema, records: records)
        try await AuditTrail.event("register.exported", by: req.auditActor, target: (RegisterTables.table(schema.id), user.institutionID.uuidString),
                                   details: ["register": schema.id.rawValue, "format": format, "rows": String(records.count)], on: req.db)
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: format == "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8")
        response.headers.contentDisposition = .init(.attachment, filename: "kamae-\(schema.id.rawValue)-\(ISODate.today()).\(format)")
        return response
    }

    private func export(_ req: Request, format: String) async throws -> Response {
        try await Self.exportResponse(req, schema: try Self.schema(req), format: format)
    }

    @Sendable func importFile(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.editRegisters)
        let schema = try Self.schema(req)
        let file = try req.uploadedFile(missing: LocalizedText(ja: "取り込む CSV または Excel ファイルを選んでください。", en: "choose a CSV or Excel file to import."))
        let context = PageContext(request: req)
        do {
            let rows = try RegisterExchange.rows(file.data, file: file.name, schema: schema)
            let result = try await RegisterStore.importRows(schema, rows: rows, institutionID: user.institutionID, actor: req.auditActor, file: file.name, on: req.db)
            return RegisterPages.importResult(schema, file: file.name, created: result.created, updated: result.updated, problems: [], context: context).response()
        } catch let refusal as RegisterRefusal {
            return RegisterPages.importResult(schema, file: file.name, created: 0, updated: 0, problems: refusal.problems, context: context).response(status: .unprocessableEntity)
        }
    }
}

/// What a record's page shows besides its own fields: for a system, its HW/SW, data, flows, findings and SBOMs.
struct RegisterRelations: Sendable {
    var components: [RegisterRecord] = []
    var componentTotal = 0
    var data: [RegisterRecord] = []
    var flows: [RegisterRecord] = []
    var findings: [StoredFinding] = []
    var findingTotal = 0
    var sbomUploads: [SBOMUploads.Upload] = []

    static func load(_ schema: RegisterSchema, record: RegisterRecord, institutionID: UUID, on database: any Database) async throws -> RegisterRelations {
        guard schema.id == .systems else { return RegisterRelations() }
        var relations = RegisterRelations()
        let components = try await RegisterStore.list(.components, institutionID: institutionID,
                                                      query: RegisterQuery(filters: ["system": record.code], page: PageRequest(page: 1, perPage: 100)), on: database)
        relations.components = components.data
        relations.componentTotal = components.meta.total
        relations.flows = try await RegisterStore.list(.flows, institutionID: institutionID, query: RegisterQuery(filters: ["from_system": record.code], page: PageRequest(page: 1, perPage: 100)), on: database).data
            + RegisterStore.list(.flows, institutionID: institutionID, query: RegisterQuery(filters: ["to_system": record.code], page: PageRequest(page: 1, perPage: 100)), on: database).data
        relations.data = try await RegisterStore.referring(.data, field: "systems", to: record.id, institutionID: institutionID, on: database)
        let findings = try await FindingQueries.list(FindingQuery(scope: .active, systemID: record.id, page: PageRequest(page: 1, perPage: 20)), institutionID: institutionID, on: database)
        relations.findings = findings.data
        relations.findingTotal = findings.meta.total
        relations.sbomUploads = try await SBOMUploads.list(systemID: record.id, institutionID: institutionID, on: database)
        return relations
    }
}
