import Fluent
import Foundation
import KamaeCore
import Vapor

/// An assessment as a self-describing document: which institution, which year, which catalog edition, and every
/// item's answer. The same document is exported as JSON and read back on import.
struct AssessmentDocument: Codable, Sendable, Equatable {
    static let format = "kamae-assessment/1"

    var format: String
    var institutionID: UUID
    var institutionName: String
    var fiscalYear: Int
    var catalogVersion: String
    var state: String
    var exportedAt: String
    var scores: Scores
    var answers: [Row]

    struct Scores: Codable, Sendable, Equatable {
        var basicPercent: Double?
        var desirablePercent: Double?
        var overallPercent: Double?
        var averageMaturity: Double?

        enum CodingKeys: String, CodingKey {
            case basicPercent = "basic_percent", desirablePercent = "desirable_percent"
            case overallPercent = "overall_percent", averageMaturity = "average_maturity"
        }
    }

    struct Row: Codable, Sendable, Equatable {
        var itemID: String
        var section: String
        var label: String
        var kind: String
        var titleJa: String
        var status: String?
        var maturity: Int?
        var notApplicableReason: String?
        var evidenceText: String?
        var owner: String?
        var targetDate: String?

        enum CodingKeys: String, CodingKey {
            case section, label, kind, status, maturity, owner
            case itemID = "item_id", titleJa = "title_ja"
            case notApplicableReason = "not_applicable_reason", evidenceText = "evidence_text", targetDate = "target_date"
        }
    }

    enum CodingKeys: String, CodingKey {
        case format, state, scores, answers
        case institutionID = "institution_id", institutionName = "institution_name", fiscalYear = "fiscal_year"
        case catalogVersion = "catalog_version", exportedAt = "exported_at"
    }

    init(assessment: LoadedAssessment, institutionName: String, catalog: Catalog, now: Date = Date()) {
        let score = Scoring.score(catalog: catalog, answers: assessment.answers)
        format = AssessmentDocument.format
        institutionID = assessment.institutionID
        self.institutionName = institutionName
        fiscalYear = assessment.year
        catalogVersion = assessment.catalogVersion
        state = assessment.state.rawValue
        exportedAt = ISO8601DateFormatter().string(from: now)
        scores = Scores(
            basicPercent: score.basicCoverage.percent, desirablePercent: score.byKind[.desirable]?.percent,
            overallPercent: score.overall.percent, averageMaturity: score.averageMaturity.map { ($0 * 100).rounded() / 100 }
        )
        answers = catalog.items.map { item in
            let answer = assessment.answers[item.id]
            return Row(
                itemID: item.id, section: item.section, label: item.label, kind: item.kind.rawValue, titleJa: item.titleJa,
                status: answer?.status?.rawValue, maturity: answer?.maturity?.rawValue, notApplicableReason: answer?.notApplicableReason,
                evidenceText: answer?.evidenceText, owner: answer?.owner, targetDate: answer?.targetDate
            )
        }
    }
}

/// The export formats Kamae writes.
enum ExportFormat: String, CaseIterable, Sendable {
    case xlsx, csv, json

    var mediaType: HTTPMediaType {
        switch self {
        case .xlsx: HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        case .json: .json
        case .csv: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        }
    }
}

enum AssessmentExchange {
    /// `…/{year}/export/{format}` for pages and API alike: the signed-in user's assessment as a download.
    static func exportResponse(_ req: Request, catalog: Catalog) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.export)
        let assessment = try await req.assessmentOfUserInstitution(user)
        guard let format = req.parameters.get("format").flatMap(ExportFormat.init(rawValue:)) else { throw WebError.notFound }
        let document = AssessmentDocument(assessment: assessment, institutionName: user.institutionName, catalog: catalog)
        let body = try export(document, as: format)
        try await AuditTrail.event(
            "assessment.exported", by: req.auditActor, target: ("assessment", String(assessment.year)),
            details: ["format": format.rawValue, "bytes": String(body.count)], on: req.db
        )
        let response = Response(status: .ok, body: .init(data: body))
        response.headers.contentType = format.mediaType
        response.headers.contentDisposition = .init(.attachment, filename: "kamae-assessment-FY\(assessment.year).\(format.rawValue)")
        return response
    }

    static let csvColumns = ["item_id", "section", "label", "kind", "title_ja", "status", "maturity", "not_applicable_reason", "evidence_text", "owner", "target_date"]

    static func export(_ document: AssessmentDocument, as format: ExportFormat) throws -> Data {
        switch format {
        case .xlsx:
            return try AssessmentWorkbook.write(document)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return try encoder.encode(document)
        case .csv:
            return CSV.document(header: csvColumns, rows: document.answers.map { row in
                [row.itemID, row.section, row.label, row.kind, row.titleJa, row.status ?? "", row.maturity.map(String.init) ?? "",
                 row.notApplicableReason ?? "", row.evidenceText ?? "", row.owner ?? "", row.targetDate ?? ""]
            })
        }
    }

    /// Why an import was refused; every case names where the problem is.
    struct ImportError: Error, CustomStringConvertible, Sendable {
        var location: String
        var message: LocalizedText
        var description: String { "\(location): \(message.en)" }
    }

    /// All the reasons an import was refused; nothing was written.
    struct ImportRefused: Error, CustomStringConvertible, Sendable {
        var problems: [ImportError]
        var description: String { problems.map(\.description).joined(separator: "\n") }
    }

    /// Reads an exported file by its content (JSON now; spreadsheets are recognised by their ZIP signature).
    static func decode(_ data: Data, file: String) throws -> AssessmentDocument {
        guard let first = data.first(where: { !$0.isASCIIWhitespace }) else {
            throw ImportError(location: file, message: LocalizedText(ja: "ファイルが空です。", en: "the file is empty."))
        }
        if first == UInt8(ascii: "{") { return try decodeJSON(data, file: file).document }
        if data.starts(with: [0x50, 0x4B]) { return try AssessmentWorkbook.read(data, file: file).document }
        throw ImportError(location: file, message: LocalizedText(ja: "Kamae が出力した Excel（.xlsx）または JSON ファイルを選んでください。", en: "choose an Excel (.xlsx) or JSON file exported by Kamae."))
    }

    /// A decoded file and how to name places in it.
    struct DecodedFile: Sendable {
        var document: AssessmentDocument
        var locate: RowLocator
    }

    /// Like `decode`, also returning how to name a row and field of this file in messages.
    static func decodeWithLocations(_ data: Data, file: String) throws -> DecodedFile {
        if data.starts(with: [0x50, 0x4B]) { return try AssessmentWorkbook.read(data, file: file) }
        return DecodedFile(document: try decode(data, file: file), locate: jsonLocator(file: file))
    }

    /// Reads an exported JSON document, refusing anything malformed.
    static func decodeJSON(_ data: Data, file: String) throws -> DecodedFile {
        do {
            let document = try JSONDecoder().decode(AssessmentDocument.self, from: data)
            guard document.format == AssessmentDocument.format else {
                throw ImportError(location: "\(file): format", message: LocalizedText(ja: "Kamae の自己評価ファイルではありません（\(document.format.prefix(40))）。", en: "not a Kamae assessment file (\(document.format.prefix(40)))."))
            }
            return DecodedFile(document: document, locate: jsonLocator(file: file))
        } catch let error as ImportError {
            throw error
        } catch let DecodingError.keyNotFound(key, context) {
            throw ImportError(location: "\(file): \(path(context.codingPath + [key]))", message: LocalizedText(ja: "必須の項目がありません。", en: "required field missing."))
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw ImportError(location: "\(file): \(path(context.codingPath))", message: LocalizedText(ja: "値の型が正しくありません。", en: "wrong type of value."))
        } catch let DecodingError.dataCorrupted(context) {
            throw ImportError(location: "\(file): \(path(context.codingPath))", message: LocalizedText(ja: "JSON として読み取れません。", en: "not readable as JSON."))
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "$" : "$" + keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }

    /// Checks a document against the target assessment and the catalog, and returns the answers to write.
    /// Every problem is collected (not just the first) so that one correction round fixes the file.
    /// Names where row `index`'s `field` sits in the file: a JSON path, or a sheet, row and column.
    typealias RowLocator = @Sendable (_ index: Int, _ itemID: String, _ field: String?) -> String

    static func jsonLocator(file: String) -> RowLocator {
        { index, itemID, field in "\(file): answers[\(index)] (\(itemID))" + (field.map { ".\($0)" } ?? "") }
    }

    static func validate(
        _ document: AssessmentDocument, file: String, into assessment: LoadedAssessment, catalog: Catalog, locate: RowLocator? = nil
    ) throws(ImportRefused) -> [Answer] {
        let locate = locate ?? jsonLocator(file: file)
        var problems: [ImportError] = []
        if document.institutionID != assessment.institutionID {
            problems.append(ImportError(location: "\(file): institution_id", message: LocalizedText(ja: "別の金融機関のファイルです（\(document.institutionName)）。", en: "the file belongs to another institution (\(document.institutionName)).")))
        }
        if document.fiscalYear != assessment.year {
            problems.append(ImportError(location: "\(file): fiscal_year", message: LocalizedText(ja: "\(document.fiscalYear) 年度のファイルです。\(assessment.year) 年度には取り込めません。", en: "the file is for FY\(document.fiscalYear), not FY\(assessment.year).")))
        }
        if document.catalogVersion != catalog.version.id || document.catalogVersion != assessment.catalogVersion {
            problems.append(ImportError(location: "\(file): catalog_version", message: LocalizedText(ja: "ガイドラインの版が異なります（\(document.catalogVersion)）。", en: "different guideline edition (\(document.catalogVersion)).")))
        }
        if !assessment.state.acceptsAnswers {
            problems.append(ImportError(location: file, message: WebError.locked(assessment.state).detail))
        }
        var answers: [Answer] = []
        var seen = Set<String>()
        for (index, row) in document.answers.enumerated() {
            let location = locate(index, row.itemID, nil)
            guard catalog.item(id: row.itemID) != nil else {
                problems.append(ImportError(location: location, message: LocalizedText(ja: "ガイドラインにない項目 ID です。", en: "not a guideline item id.")))
                continue
            }
            guard seen.insert(row.itemID).inserted else {
                problems.append(ImportError(location: location, message: LocalizedText(ja: "同じ項目が 2 回あります。", en: "the item appears twice.")))
                continue
            }
            var status: AnswerStatus?
            if let raw = row.status?.nilIfEmpty {
                status = AnswerStatus(label: raw)
                if status == nil {
                    problems.append(ImportError(location: locate(index, row.itemID, "status"), message: LocalizedText(ja: "実施状況は 実施済・一部実施・未実施・対象外 のいずれかです（\(raw.prefix(20))）。", en: "status must be implemented, partial, not_implemented or not_applicable (got \(raw.prefix(20))).")))
                }
            }
            var maturity: MaturityLevel?
            if let raw = row.maturity {
                maturity = MaturityLevel(rawValue: raw)
                if maturity == nil {
                    problems.append(ImportError(location: locate(index, row.itemID, "maturity"), message: LocalizedText(ja: "成熟度は 0〜5 です（\(raw)）。", en: "maturity must be 0 to 5 (got \(raw)).")))
                }
            }
            let answer = Answer(
                itemID: row.itemID, status: status, maturity: maturity, notApplicableReason: row.notApplicableReason,
                evidenceText: row.evidenceText, owner: row.owner, targetDate: row.targetDate
            )
            for problem in AnswerRules.problems(in: answer, catalog: catalog) {
                problems.append(ImportError(location: locate(index, row.itemID, problem.field), message: problem.message))
            }
            answers.append(answer)
        }
        guard problems.isEmpty else { throw ImportRefused(problems: problems) }
        return answers
    }

    /// Writes all answers in one transaction: the import is all-or-nothing.
    static func apply(_ answers: [Answer], to assessment: LoadedAssessment, by actor: AuditActor, on database: any Database) async throws -> Int {
        try await database.transaction { database in
            try await AssessmentStore.writeMany(answers, assessmentID: assessment.id, by: actor, on: database, now: Date())
        }
    }
}

extension UInt8 {
    var isASCIIWhitespace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D || self == 0xEF || self == 0xBB || self == 0xBF }
}

enum CSV {
    /// Quotes a field when it holds a comma, quote or line break; neutralises spreadsheet formulas (a plain number such
    /// as -1.5 is left as it is: it is no formula, and a spreadsheet must read it as a number).
    static func field(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+-@\t\r".contains(first), Double(text) == nil { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A whole file: a byte-order mark so that Excel opens the Japanese text as UTF-8, CRLF line ends.
    static func document(header: [String], rows: [[String]]) -> Data {
        let lines = [header.map(field).joined(separator: ",")] + rows.map { $0.map(field).joined(separator: ",") }
        return Data("\u{FEFF}".utf8) + Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }
}
