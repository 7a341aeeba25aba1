import Foundation
@testable import KamaeXLSX

/// Helpers shared by the tests.
enum Support {
    /// The statuses of the self-assessment, used as a drop-down list.
    static let statuses = ["実施済", "一部実施", "未実施", "対象外"]

    /// A workbook shaped like the assessment export: two header rows (Japanese, English), frozen and bold,
    /// a status drop-down, an autofilter, a summary sheet and a hidden metadata sheet.
    static func assessmentWorkbook(rows dataRows: Int = 3) -> XLSXWorkbook {
        var rows: [[XLSXCell]] = [
            ["ID", "節", "ラベル", "区分", "要約", "状況", "成熟度", "証跡", "担当", "期限", "コメント", "基本"],
            ["ID", "Section", "Label", "Kind", "Summary", "Status", "Maturity", "Evidence", "Owner", "Target date", "Comment", "Basic"],
        ]
        for index in 0..<dataRows {
            rows.append([
                .text("2.2.1.2-B\(index + 1)"), "2.2.1.2", .text("①"), "基本",
                .text("経営陣はサイバーセキュリティを経営上の重要課題と位置付ける <&> \"引用\" 'single'"),
                .text(statuses[index % statuses.count]), .integer(index % 6),
                .text("規程 v2.1\n議事録 2025-06-30"), "CISO室",
                .date(XLSXDate(year: 2026, month: 3, day: 31)!), index.isMultiple(of: 2) ? .empty : "要確認",
                .bool(index.isMultiple(of: 2)),
            ])
        }
        var answers = XLSXSheet(
            name: "回答", rows: rows,
            columns: [
                XLSXColumn(width: 14), XLSXColumn(width: 9), XLSXColumn(width: 6), XLSXColumn(width: 8),
                XLSXColumn(width: 50, wrapsText: true), XLSXColumn(width: 12), XLSXColumn(width: 8),
                XLSXColumn(width: 40, wrapsText: true), XLSXColumn(width: 14), XLSXColumn(width: 12),
                XLSXColumn(width: 30, wrapsText: true), XLSXColumn(width: 6, isHidden: true),
            ],
            headerRowCount: 2, frozenRows: 2, frozenColumns: 1,
            dataValidations: [
                XLSXDataValidation(
                    ranges: [XLSXRange(rows: 2...(1 + max(dataRows, 1)), columns: 5...5)],
                    rule: .list(statuses), allowsBlank: true,
                    errorAlert: .init(style: .stop, title: "状況の入力エラー", message: "実施済・一部実施・未実施・対象外から選んでください。"),
                    inputPrompt: .init(title: "状況", message: "一覧から選択")),
            ])
        answers.autoFilter = answers.autoFilterOnHeader()
        let summary = XLSXSheet(
            name: "Summary 集計",
            rows: [["区分 Kind", "実施率 Rate"], ["基本", 0.8125], ["望ましい", 0.5], ["計", .number(0.7)]],
            columns: [XLSXColumn(width: 16), XLSXColumn(width: 12)], headerRowCount: 1, frozenRows: 1)
        let meta = XLSXSheet(
            name: "_kamae",
            rows: [["institution", "demo-bank"], ["fiscalYear", 2026], ["catalogVersion", "2025-07-04"]],
            visibility: .hidden)
        return XLSXWorkbook(sheets: [answers, summary, meta],
                            properties: XLSXDocumentProperties(title: "自己評価 2026", creator: "Kamae"))
    }

    /// A package built from raw parts: `sheets` are worksheet XML bodies (inside <sheetData> or whole documents).
    static func package(sheets: [(name: String, xml: String)], sharedStrings: String? = nil,
                        styles: String? = nil, workbookPr: String = "", extraParts: [(String, String)] = [],
                        rootRels: String? = nil) throws -> Data {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        var parts: [(path: String, bytes: [UInt8])] = []
        parts.append(("[Content_Types].xml", Array(#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#.utf8)))
        parts.append(("_rels/.rels", Array((rootRels ?? #"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="\#(rel)/officeDocument" Target="xl/workbook.xml"/></Relationships>"#).utf8)))
        var workbook = #"<?xml version="1.0"?><workbook xmlns="\#(main)" xmlns:r="\#(rel)">\#(workbookPr)<sheets>"#
        var rels = #"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        for (index, sheet) in sheets.enumerated() {
            workbook += #"<sheet name="\#(sheet.name)" sheetId="\#(index + 1)" r:id="rId\#(index + 1)"/>"#
            rels += #"<Relationship Id="rId\#(index + 1)" Type="\#(rel)/worksheet" Target="worksheets/sheet\#(index + 1).xml"/>"#
            let body = sheet.xml.contains("worksheet")
                ? sheet.xml
                : #"<worksheet xmlns="\#(main)"><sheetData>\#(sheet.xml)</sheetData></worksheet>"#
            parts.append(("xl/worksheets/sheet\(index + 1).xml", Array(body.utf8)))
        }
        workbook += "</sheets></workbook>"
        if let sharedStrings {
            rels += #"<Relationship Id="rIdS" Type="\#(rel)/sharedStrings" Target="sharedStrings.xml"/>"#
            parts.append(("xl/sharedStrings.xml", Array(#"<?xml version="1.0"?><sst xmlns="\#(main)">\#(sharedStrings)</sst>"#.utf8)))
        }
        if let styles {
            rels += #"<Relationship Id="rIdT" Type="\#(rel)/styles" Target="/xl/styles.xml"/>"#
            parts.append(("xl/styles.xml", Array(#"<?xml version="1.0"?><styleSheet xmlns="\#(main)">\#(styles)</styleSheet>"#.utf8)))
        }
        rels += "</Relationships>"
        parts.append(("xl/workbook.xml", Array(workbook.utf8)))
        parts.append(("xl/_rels/workbook.xml.rels", Array(rels.utf8)))
        for (path, text) in extraParts { parts.append((path, Array(text.utf8))) }
        return try XLSXWriter.zip(parts)
    }

    /// A ZIP archive of arbitrary entries.
    static func zip(_ entries: [(String, String)]) throws -> Data {
        try XLSXWriter.zip(entries.map { ($0.0, Array($0.1.utf8)) })
    }

    /// Reads the first sheet of a package.
    static func firstSheet(_ data: Data) throws -> XLSXSheet {
        let workbook = try XLSXReader().read(data)
        guard let sheet = workbook.sheets.first else { throw SupportError("no sheet") }
        return sheet
    }

    /// The reader's error for `data`, or `nil` when it reads.
    static func readError(_ data: Data, limits: XLSXReader.Limits = .init()) -> XLSXReadError? {
        do {
            _ = try XLSXReader(limits: limits).read(data)
            return nil
        } catch {
            return error
        }
    }

    /// The writer's error for `workbook`, or `nil` when it writes.
    static func writeError(_ workbook: XLSXWorkbook) -> XLSXWriteError? {
        do {
            _ = try XLSXWriter().write(workbook)
            return nil
        } catch {
            return error
        }
    }

    struct SupportError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

/// A small deterministic random number generator (SplitMix64), so that fuzz failures can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
