import Foundation
import KamaeCore
import KamaeXLSX

/// Registers as CSV and XLSX files, both ways. Headers are the field keys (stable for scripts); on import a header
/// may also be the Japanese or English label. Rows are read whole and refused whole.
enum RegisterExchange {
    static func csv(_ schema: RegisterSchema, records: [RegisterRecord]) -> Data {
        CSV.document(header: schema.fields.map(\.key), rows: records.map { record in schema.fields.map { record.text($0.key) } })
    }

    static func workbook(_ schema: RegisterSchema, records: [RegisterRecord]) throws -> Data {
        let header = schema.fields.map { XLSXCell.text($0.key) }
        let rows: [[XLSXCell]] = [header] + records.map { record in
            schema.fields.map { field in
                let text = record.text(field.key)
                return text.isEmpty ? .empty : .text(text)
            }
        }
        let guide: [[XLSXCell]] = [[.text("key"), .text("項目"), .text("Field"), .text("必須 / Required"), .text("値 / Values")]] + schema.fields.map { field in
            [.text(field.key), .text(field.label.ja), .text(field.label.en), .text(field.required ? "必須 / required" : ""), .text(allowedValues(field))]
        }
        let workbook = XLSXWorkbook(sheets: [
            XLSXSheet(name: schema.id.rawValue, rows: rows, columns: schema.fields.map { _ in XLSXColumn(width: 20) }, headerRowCount: 1, frozenRows: 1,
                      autoFilter: XLSXRange(rows: 1...max(rows.count, 1), columns: 1...schema.fields.count)),
            XLSXSheet(name: "columns", rows: guide, columns: [XLSXColumn(width: 22), XLSXColumn(width: 24), XLSXColumn(width: 28), XLSXColumn(width: 16), XLSXColumn(width: 60)],
                      headerRowCount: 1, frozenRows: 1),
        ], properties: XLSXDocumentProperties(title: schema.title.ja, creator: "Kamae"))
        return try XLSXWriter().write(workbook)
    }

    static func allowedValues(_ field: RegisterField) -> String {
        switch field.kind {
        case let .choice(options): options.map { "\($0.value) (\($0.name.ja))" }.joined(separator: ", ")
        case .date: "YYYY-MM-DD"
        case .flag: "true / false"
        case let .reference(target): "\(RegisterSchema.schema(target).title.ja) の管理番号 / code in \(target.rawValue)"
        case let .references(target): "\(RegisterSchema.schema(target).title.ja) の管理番号を ; 区切り / codes in \(target.rawValue), separated by ;"
        case let .text(maxLength): "≤ \(maxLength)"
        }
    }

    /// The data rows of a CSV or XLSX file, each with where it is in the file and its cells by field key.
    static func rows(_ data: Data, file: String, schema: RegisterSchema) throws -> [(location: String, raw: [String: String])] {
        let table: [(location: String, cells: [String])]
        if data.starts(with: [0x50, 0x4B]) {
            let workbook: XLSXWorkbook
            do { workbook = try XLSXReader.read(data) } catch {
                throw RegisterRefusal(problems: [FieldProblem(field: file, message: LocalizedText(ja: "Excel ファイルとして読み取れません（\(error)）。", en: "not a readable Excel file (\(error))."))])
            }
            guard let sheet = workbook.sheet(named: schema.id.rawValue) ?? workbook.sheets.first else {
                throw RegisterRefusal(problems: [FieldProblem(field: file, message: LocalizedText(ja: "シートがありません。", en: "the workbook has no sheet."))])
            }
            table = sheet.rows.enumerated().map { index, row in ("\(sheet.name)!\(index + 1)", row.map(cellText)) }
        } else {
            do {
                table = try CSVReader.read(data).map { ("line \($0.line)", $0.fields) }
            } catch {
                throw RegisterRefusal(problems: [FieldProblem(field: "\(file) line \(error.line)", message: error.message)])
            }
        }
        guard let header = table.first else {
            throw RegisterRefusal(problems: [FieldProblem(field: file, message: LocalizedText(ja: "ファイルが空です。", en: "the file is empty."))])
        }
        var keys: [String?] = []
        var problems: [FieldProblem] = []
        for (index, cell) in header.cells.enumerated() {
            let name = cell.trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty { keys.append(nil); continue }
            guard let field = schema.fields.first(where: { $0.key == name || $0.label.ja == name || $0.label.en.lowercased() == name.lowercased() }) else {
                problems.append(FieldProblem(field: "\(header.location) column \(index + 1)", message: LocalizedText(
                    ja: "この台帳にない列です（\(name.prefix(40))）。列名: \(schema.fields.map(\.key).joined(separator: ", "))",
                    en: "not a column of this register (\(name.prefix(40))); columns are \(schema.fields.map(\.key).joined(separator: ", ")).")))
                keys.append(nil)
                continue
            }
            if keys.contains(field.key) {
                problems.append(FieldProblem(field: "\(header.location) column \(index + 1)", message: LocalizedText(ja: "列 \(field.key) が 2 回あります。", en: "column \(field.key) appears twice.")))
            }
            keys.append(field.key)
        }
        if !keys.contains("code") {
            problems.append(FieldProblem(field: header.location, message: LocalizedText(ja: "code（管理番号）の列が必要です。", en: "a code column is required.")))
        }
        guard problems.isEmpty else { throw RegisterRefusal(problems: problems) }
        var rows: [(String, [String: String])] = []
        for line in table.dropFirst() {
            if line.cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            if line.cells.count > keys.count, line.cells[keys.count...].contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                throw RegisterRefusal(problems: [FieldProblem(field: line.location, message: LocalizedText(ja: "見出しより列が多い行です。", en: "the row has more cells than the header."))])
            }
            var raw: [String: String] = [:]
            for (index, cell) in line.cells.enumerated() where index < keys.count {
                if let key = keys[index] { raw[key] = cell }
            }
            rows.append((line.location, raw))
        }
        return rows
    }

    private static func cellText(_ cell: XLSXCell) -> String {
        switch cell {
        case .empty: ""
        case let .text(text): text
        case let .integer(value): String(value)
        case let .number(value): value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case let .bool(value): value ? "true" : "false"
        case let .date(date): date.description
        case let .error(code): code
        }
    }
}
