import Fluent
import Foundation
import KamaeCore
import KamaeVulnerabilities
import Vapor

/// A register record in the API: `id`, `code`, each field by its key (text, true/false, or a list of codes for
/// several references; null when empty), `revision` and `updated_at`.
struct RegisterRecordDTO: Content {
    var schema: RegisterID
    var record: RegisterRecord

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(schema: RegisterID, record: RegisterRecord) {
        self.schema = schema
        self.record = record
    }

    init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "records are written, not read, in this shape"))
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(record.id, forKey: Key("id"))
        try container.encode(record.code, forKey: Key("code"))
        for field in RegisterSchema.schema(schema).fields where field.key != "code" {
            switch (field.kind, record.values[field.key]) {
            case let (_, .flag(flag)?): try container.encode(flag, forKey: Key(field.key))
            case let (_, .codes(codes)?): try container.encode(codes, forKey: Key(field.key))
            case (.references, nil): try container.encode([String](), forKey: Key(field.key))
            case let (_, value?): try container.encode(value.plain, forKey: Key(field.key))
            case (_, nil): try container.encodeNil(forKey: Key(field.key))
            }
        }
        try container.encode(record.revision, forKey: Key("revision"))
        try container.encode(record.updatedAt, forKey: Key("updated_at"))
    }
}

struct RegisterPageDTO: Content {
    var data: [RegisterRecordDTO]
    var meta: PageMeta

    init(from decoder: any Decoder) throws { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "write only")) }
    init(data: [RegisterRecordDTO], meta: PageMeta) { (self.data, self.meta) = (data, meta) }
}

/// Problems of a refused change, each naming its field or file location.
struct ProblemListDTO: Content {
    struct Item: Content {
        var field: String
        var message: String
        var messageJa: String

        enum CodingKeys: String, CodingKey {
            case field, message
            case messageJa = "message_ja"
        }
    }

    var type: String
    var title: String
    var status: Int
    var detail: String
    var problems: [Item]

    static func response(_ refusal: RegisterRefusal, status: HTTPResponseStatus = .unprocessableEntity) throws -> Response {
        let body = ProblemListDTO(
            type: "https://kamae.example/problems/refused", title: "Refused", status: Int(status.code),
            detail: "\(refusal.problems.count) problem(s); nothing was changed / \(refusal.problems.count) 件の問題があるため、何も変更していません",
            problems: refusal.problems.prefix(1000).map { Item(field: $0.field, message: $0.message.en, messageJa: $0.message.ja) }
        )
        let response = try Response(status: status, body: .init(data: JSONEncoder().encode(body)))
        response.headers.replaceOrAdd(name: .contentType, value: "application/problem+json")
        return response
    }
}

/// One value of a JSON object as the API accepts it.
enum JSONCell: Decodable {
    case null, text(String), flag(Bool), number(Double), list([String])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let flag = try? container.decode(Bool.self) { self = .flag(flag) }
        else if let text = try? container.decode(String.self) { self = .text(text) }
        else if let number = try? container.decode(Double.self) { self = .number(number) }
        else { self = .list(try container.decode([String].self)) }
    }
}

struct RegisterAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let registers = routes.grouped("api", "v1", "registers")
        registers.get(":register", use: list)
        registers.post(":register", use: create)
        registers.get(":register", "export", use: export)
        registers.on(.POST, ":register", "import", body: .collect(maxSize: "32mb"), use: importFile)
        registers.get(":register", "records", ":id", use: show)
        registers.put(":register", "records", ":id", use: replace)
        registers.delete(":register", "records", ":id", use: delete)
        registers.on(.POST, ":register", "records", ":id", "sbom", body: .collect(maxSize: "64mb"), use: uploadSBOM)
    }

    @Sendable func list(req: Request) async throws -> RegisterPageDTO {
        let user = try req.requireUser()
        try user.require(.readRegisters)
        let schema = try RegisterController.schema(req)
        let page = try await RegisterStore.list(schema, institutionID: user.institutionID, query: try RegisterController.query(req, schema: schema), on: req.db)
        return RegisterPageDTO(data: page.data.map { RegisterRecordDTO(schema: schema.id, record: $0) }, meta: page.meta)
    }

    @Sendable func show(req: Request) async throws -> RegisterRecordDTO {
        let user = try req.requireUser()
        try user.require(.readRegisters)
        let schema = try RegisterController.schema(req)
        guard let id = req.parameters.get("id", as: UUID.self),
              let record = try await RegisterStore.find(schema, id: id, institutionID: user.institutionID, on: req.db) else { throw WebError.notFound }
        return RegisterRecordDTO(schema: schema.id, record: record)
    }

    /// The JSON body as text cells, like a form or a CSV row: strings, numbers, true/false, or lists of codes.
    static func cells(_ req: Request, schema: RegisterSchema) throws -> (raw: [String: String], revision: Int?) {
        guard req.headers.contentType == .json || req.headers.contentType?.subType == "json" else {
            throw WebError(status: .unsupportedMediaType, title: LocalizedText(ja: "形式が違います", en: "Unsupported media type"),
                           detail: LocalizedText(ja: "本文は application/json で送ってください。", en: "Send the body as application/json."))
        }
        guard let object = try? JSONDecoder().decode([String: JSONCell].self, from: Data(buffer: req.body.data ?? ByteBuffer())) else {
            throw WebError.invalidParameter("body", ja: "JSON オブジェクトを送ってください（値は文字列・真偽値・文字列の配列・null）。", en: "must be a JSON object of strings, booleans, lists of strings or null.")
        }
        var raw: [String: String] = [:]
        var revision: Int?
        var unknown: [FieldProblem] = []
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            if key == "revision" {
                guard case let .number(number) = value, number.rounded() == number, abs(number) < 1e9 else {
                    throw WebError.invalidParameter("revision", ja: "整数です。", en: "must be an integer.")
                }
                revision = Int(number)
                continue
            }
            if key == "id" || key == "updated_at" { continue }
            // Well-formed but meant for another register: refused (422) naming the field, like any other refused value.
            guard let field = schema.field(key) else {
                unknown.append(FieldProblem(field: key, message: LocalizedText(ja: "この台帳にない項目です。", en: "is not a field of this register.")))
                continue
            }
            switch (value, field.kind) {
            case (.null, _): raw[key] = ""
            case let (.text(text), _): raw[key] = text
            case let (.flag(flag), .flag): raw[key] = flag ? "true" : "false"
            case let (.list(codes), .references): raw[key] = codes.joined(separator: ";")
            default: throw WebError.invalidParameter(key, ja: "値の型が正しくありません。", en: "has the wrong type.")
            }
        }
        guard unknown.isEmpty else { throw RegisterRefusal(problems: unknown) }
        return (raw, revision)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.editRegisters)
        let schema = try RegisterController.schema(req)
        do {
            let (raw, _) = try Self.cells(req, schema: schema)
            let saved = try await RegisterStore.save(schema, raw: raw, id: nil, expectedRevision: nil, institutionID: user.institutionID, actor: req.auditActor, on: req.db)
            return try await RegisterRecordDTO(schema: schema.id, record: saved.record).encodeResponse(status: .created, for: req)
        } catch let refusal as RegisterRefusal {
            return try ProblemListDTO.response(refusal)
        }
    }

    @Sendable func replace(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.editRegisters)
        let schema = try RegisterController.schema(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw WebError.notFound }
        do {
            let (raw, revision) = try Self.cells(req, schema: schema)
            let saved = try await RegisterStore.save(schema, raw: raw, id: id, expectedRevision: revision, institutionID: user.institutionID, actor: req.auditActor, on: req.db)
            return try await RegisterRecordDTO(schema: schema.id, record: saved.record).encodeResponse(for: req)
        } catch let refusal as RegisterRefusal {
            return try ProblemListDTO.response(refusal)
        }
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        let user = try req.requireUser()
        try user.require(.editRegisters)
        let schema = try RegisterController.schema(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw WebError.notFound }
        try await RegisterStore.delete(schema, id: id, institutionID: user.institutionID, actor: req.auditActor, on: req.db)
        return .noContent
    }

    @Sendable func export(req: Request) async throws -> Response {
        try req.requireUser().require(.export)
        let format = req.query[String.self, at: "format"] ?? "csv"
        guard format == "csv" || format == "xlsx" else { throw WebError.invalidParameter("format", ja: "csv か xlsx です。", en: "csv or xlsx.") }
        return try await RegisterController.exportResponse(req, schema: try RegisterController.schema(req), format: format)
    }

    struct SBOMUploadSummary: Content {
        var version: Int
        var components: Int
        var added: Int
        var removed: Int
        var changed: Int
        var unchanged: Int
    }

    /// A build pipeline posts the system's SBOM (CycloneDX JSON/XML or SPDX JSON) as the body; `filename` names it.
    @Sendable func uploadSBOM(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.editRegisters)
        guard req.parameters.get("register") == RegisterID.systems.rawValue, let id = req.parameters.get("id", as: UUID.self) else { throw WebError.notFound }
        let data = Data(req.body.data?.readableBytesView ?? ByteBuffer().readableBytesView)
        let file = String((req.query[String.self, at: "filename"] ?? "body").prefix(200))
        do {
            let (version, diff) = try await SBOMUploads.upload(data, file: file, systemID: id, institutionID: user.institutionID, actor: req.auditActor, on: req.db)
            return try await SBOMUploadSummary(
                version: version, components: diff.added.count + diff.changed.count + diff.unchangedCount, added: diff.added.count,
                removed: diff.removed.count, changed: diff.changed.count, unchanged: diff.unchangedCount
            ).encodeResponse(for: req)
        } catch let refusal as RegisterRefusal {
            return try ProblemListDTO.response(refusal)
        }
    }

    struct ImportSummary: Content {
        var created: Int
        var updated: Int
    }

    /// The file is the body (CSV text or an XLSX workbook); `filename` names it in errors.
    @Sendable func importFile(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.editRegisters)
        let schema = try RegisterController.schema(req)
        let data = Data(req.body.data?.readableBytesView ?? ByteBuffer().readableBytesView)
        let file = String((req.query[String.self, at: "filename"] ?? "body").prefix(200))
        do {
            let rows = try RegisterExchange.rows(data, file: file, schema: schema)
            let result = try await RegisterStore.importRows(schema, rows: rows, institutionID: user.institutionID, actor: req.auditActor, file: file, on: req.db)
            return try await ImportSummary(created: result.created, updated: result.updated).encodeResponse(for: req)
        } catch let refusal as RegisterRefusal {
            return try ProblemListDTO.response(refusal)
        }
    }
}
