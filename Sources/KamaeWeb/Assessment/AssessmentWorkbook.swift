import Foundation
import KamaeCore
import KamaeXLSX

/// The assessment as an Excel workbook: a 回答 (answers) sheet with Japanese and English header rows, drop-downs
/// for status and maturity, a 集計 (summary) sheet with the scores, and a hidden sheet that names the institution,
/// year and guideline edition so that a file can only go back where it came from.
enum AssessmentWorkbook {
    static let answersSheet = "回答"
    static let summarySheet = "集計"
    static let metadataSheet = "kamae"
    static let firstDataRow = 2  // zero-based: rows 0 and 1 are the headers

    struct Column {
        var ja: String
        var en: String
        var width: Double
        var wraps = false
    }

    static let columns: [Column] = [
        Column(ja: "項目ID", en: "Item ID", width: 12), Column(ja: "節", en: "Section", width: 9), Column(ja: "番号", en: "Label", width: 6),
        Column(ja: "区分", en: "Kind", width: 10), Column(ja: "項目", en: "Title", width: 34, wraps: true), Column(ja: "要旨", en: "Summary", width: 60, wraps: true),
        Column(ja: "実施状況", en: "Status", width: 12), Column(ja: "成熟度", en: "Maturity", width: 8), Column(ja: "対象外の理由", en: "Reason not applicable", width: 24, wraps: true),
        Column(ja: "根拠・エビデンス", en: "Evidence", width: 40, wraps: true), Column(ja: "担当", en: "Owner", width: 16), Column(ja: "目標日", en: "Target date", width: 12),
    ]
    /// Zero-based column positions of the fields that are read back.
    enum Field: Int { case itemID = 0, status = 6, maturity = 7, notApplicableReason = 8, evidence = 9, owner = 10, targetDate = 11 }

    static func write(_ document: AssessmentDocument, catalog: Catalog = .bundled) throws -> Data {
        var rows: [[XLSXCell]] = [columns.map { .text($0.ja) }, columns.map { .text($0.en) }]
        for row in document.answers {
            let item = catalog.item(id: row.itemID)
            rows.append([
                .text(row.itemID), .text(row.section), .text(row.label), .text(item.map { $0.kind.name.ja } ?? row.kind),
                .text(row.titleJa), .text(item?.summaryJa ?? ""),
                row.status.flatMap(AnswerStatus.init(rawValue:)).map { .text($0.name.ja) } ?? .empty,
                row.maturity.map { .integer($0) } ?? .empty,
                text(row.notApplicableReason), text(row.evidenceText), text(row.owner),
                row.targetDate.flatMap { XLSXDate(iso8601: $0) }.map { .date($0) } ?? text(row.targetDate),
            ])
        }
        let lastRow = max(rows.count - 1, firstDataRow)
        var answers = XLSXSheet(
            name: answersSheet, rows: rows,
            columns: columns.map { XLSXColumn(width: $0.width, wrapsText: $0.wraps) },
            headerRowCount: 2, frozenRows: 2, frozenColumns: 1,
            dataValidations: [
                .list(AnswerStatus.allCases.map(\.name.ja), range: XLSXRange(rows: firstDataRow...lastRow, columns: Field.status.rawValue...Field.status.rawValue),
                      errorTitle: "実施状況", error: "実施済・一部実施・未実施・対象外 から選んでください。"),
                .list(MaturityLevel.allCases.map { String($0.rawValue) }, range: XLSXRange(rows: firstDataRow...lastRow, columns: Field.maturity.rawValue...Field.maturity.rawValue),
                      errorTitle: "成熟度", error: "0〜5 の整数を選んでください。"),
            ]
        )
        answers.autoFilter = answers.autoFilterOnHeader()
        let summary = XLSXSheet(
            name: summarySheet,
            rows: [
                ["指標", "Measure", "値 / Value"],
                ["金融機関", "Institution", .text(document.institutionName)],
                ["年度", "Fiscal year", .integer(document.fiscalYear)],
                ["状態", "State", .text(AssessmentState(rawValue: document.state).map { $0.name.ja } ?? document.state)],
                ["基本的な対応事項の実施率（%）", "Basic measures implemented (%)", number(document.scores.basicPercent)],
                ["対応が望ましい事項の実施率（%）", "Desirable measures implemented (%)", number(document.scores.desirablePercent)],
                ["全体の実施率（%）", "Overall implementation rate (%)", number(document.scores.overallPercent)],
                ["平均成熟度", "Average maturity", number(document.scores.averageMaturity)],
                ["ガイドライン版", "Guideline edition", .text(document.catalogVersion)],
                ["出力日時", "Exported at", .text(document.exportedAt)],
            ],
            columns: [XLSXColumn(width: 34), XLSXColumn(width: 34), XLSXColumn(width: 28)], headerRowCount: 1, frozenRows: 1
        )
        let metadata = XLSXSheet(
            name: metadataSheet,
            rows: [
                ["format", .text(AssessmentDocument.format)], ["institution_id", .text(document.institutionID.uuidString)],
                ["institution_name", .text(document.institutionName)], ["fiscal_year", .integer(document.fiscalYear)],
                ["catalog_version", .text(document.catalogVersion)], ["state", .text(document.state)], ["exported_at", .text(document.exportedAt)],
            ],
            visibility: .hidden
        )
        let workbook = XLSXWorkbook(
            sheets: [answers, summary, metadata],
            properties: XLSXDocumentProperties(title: "\(document.institutionName) \(document.fiscalYear) 年度 自己評価", creator: "Kamae")
        )
        return try XLSXWriter().write(workbook)
    }

    /// Reads a workbook written by `write` (and edited in Excel or LibreOffice) back into a document.
    static func read(_ data: Data, file: String) throws -> AssessmentExchange.DecodedFile {
        let workbook: XLSXWorkbook
        do {
            workbook = try XLSXReader().read(data)
        } catch {
            throw AssessmentExchange.ImportError(location: file, message: LocalizedText(ja: "Excel ファイルとして読めません: \(error.description)", en: "not readable as an Excel file: \(error.description)"))
        }
        guard let metadata = workbook.sheet(named: metadataSheet), let answers = workbook.sheet(named: answersSheet) else {
            throw AssessmentExchange.ImportError(location: file, message: LocalizedText(
                ja: "Kamae が出力したブックではありません（「\(answersSheet)」シートと管理用シートが必要です）。",
                en: "not a workbook exported by Kamae (it needs the \(answersSheet) sheet and the hidden metadata sheet)."
            ))
        }
        var meta: [String: XLSXCell] = [:]
        for row in metadata.rows where row.count >= 2 {
            if let key = row[0].text { meta[key] = row[1] }
        }
        func required(_ key: String) throws -> String {
            guard let value = meta[key]?.displayText, !value.isEmpty else {
                throw AssessmentExchange.ImportError(location: "\(file): \(metadataSheet) sheet, \(key)", message: LocalizedText(ja: "管理用シートの値がありません。", en: "missing in the metadata sheet."))
            }
            return value
        }
        guard let institutionID = UUID(uuidString: try required("institution_id")), let year = meta["fiscal_year"]?.intValue else {
            throw AssessmentExchange.ImportError(location: "\(file): \(metadataSheet) sheet", message: LocalizedText(ja: "管理用シートが壊れています。", en: "the metadata sheet is damaged."))
        }
        guard try required("format") == AssessmentDocument.format else {
            throw AssessmentExchange.ImportError(location: "\(file): \(metadataSheet) sheet, format", message: LocalizedText(ja: "Kamae の自己評価ブックではありません。", en: "not a Kamae assessment workbook."))
        }
        var rows: [AssessmentDocument.Row] = []
        var sheetRows: [Int] = []
        for index in answers.rows.indices where index >= firstDataRow {
            let cells = (0..<columns.count).map { answers.cell(row: index, column: $0) }
            if cells.allSatisfy(\.isEmpty) { continue }
            let itemID = cells[Field.itemID.rawValue].displayText.trimmingCharacters(in: .whitespaces)
            let maturityCell = cells[Field.maturity.rawValue]
            rows.append(AssessmentDocument.Row(
                itemID: itemID, section: cells[1].displayText, label: cells[2].displayText, kind: cells[3].displayText, titleJa: cells[4].displayText,
                status: cells[Field.status.rawValue].text?.nilIfEmpty ?? cells[Field.status.rawValue].displayText.nilIfEmpty,
                maturity: maturityCell.isEmpty ? nil : (maturityCell.intValue ?? -1),
                notApplicableReason: cells[Field.notApplicableReason.rawValue].displayText.nilIfEmpty,
                evidenceText: cells[Field.evidence.rawValue].displayText.nilIfEmpty,
                owner: cells[Field.owner.rawValue].displayText.nilIfEmpty,
                targetDate: cells[Field.targetDate.rawValue].dateValue?.iso8601 ?? cells[Field.targetDate.rawValue].displayText.nilIfEmpty
            ))
            sheetRows.append(index + 1)
        }
        let document = AssessmentDocument(
            format: AssessmentDocument.format, institutionID: institutionID, institutionName: meta["institution_name"]?.displayText ?? "",
            fiscalYear: year, catalogVersion: try required("catalog_version"), state: meta["state"]?.displayText ?? "",
            exportedAt: meta["exported_at"]?.displayText ?? "", scores: AssessmentDocument.Scores(), answers: rows
        )
        let sheetRowNumbers = sheetRows
        let locate: AssessmentExchange.RowLocator = { index, itemID, field in
            let rowNumber = sheetRowNumbers[safe: index] ?? 0
            guard let field, let column = columnIndex(for: field) else {
                return "\(file): \(answersSheet) sheet, row \(rowNumber) (\(itemID))"
            }
            return "\(file): \(answersSheet) sheet, row \(rowNumber), column \(XLSX.columnLetters(column)) (\(columns[column].ja) / \(columns[column].en))"
        }
        return AssessmentExchange.DecodedFile(document: document, locate: locate)
    }

    static func columnIndex(for field: String) -> Int? {
        switch field {
        case "item_id": Field.itemID.rawValue
        case "status": Field.status.rawValue
        case "maturity": Field.maturity.rawValue
        case "not_applicable_reason": Field.notApplicableReason.rawValue
        case "evidence_text": Field.evidence.rawValue
        case "owner": Field.owner.rawValue
        case "target_date": Field.targetDate.rawValue
        default: nil
        }
    }

    private static func text(_ value: String?) -> XLSXCell {
        value.map { .text($0) } ?? .empty
    }

    private static func number(_ value: Double?) -> XLSXCell {
        value.map { .number($0) } ?? .empty
    }
}

extension AssessmentDocument {
    init(format: String, institutionID: UUID, institutionName: String, fiscalYear: Int, catalogVersion: String, state: String, exportedAt: String, scores: Scores, answers: [Row]) {
        self.format = format
        self.institutionID = institutionID
        self.institutionName = institutionName
        self.fiscalYear = fiscalYear
        self.catalogVersion = catalogVersion
        self.state = state
        self.exportedAt = exportedAt
        self.scores = scores
        self.answers = answers
    }
}
