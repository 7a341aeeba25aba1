/// Why a backup file is refused (reading) or cannot be produced (writing), and on which line.
public struct BackupError: Error, Equatable, Sendable {
    public enum Reason: Equatable, Sendable {
        /// Line 1 is not `KAMAE-BACKUP/1`: not a Kamae backup, or a format version this build does not read.
        case badMagic
        /// The file ends before its trailer line is complete.
        case truncated
        /// A line is longer than the reader accepts (`BackupFormat.maximumLineBytes`).
        case lineTooLong
        case malformedManifest
        case malformedTableHeader
        case malformedRow
        case malformedTrailer
        /// A table header names a table the manifest does not list.
        case unknownTable(String)
        /// A table header comes before or after its turn in the manifest's order.
        case tableOutOfOrder(expected: String, found: String)
        /// The trailer comes (or the writer finishes) before this table's section.
        case missingTable(String)
        /// A row's cell count differs from its table's column count.
        case columnMismatch(table: String, expected: Int, found: Int)
        /// A row stands before any table header.
        case rowOutsideTable
        /// The trailer's row count for a table differs from the rows the file holds.
        case rowCountMismatch(table: String, declared: Int, actual: Int)
        /// The SHA-256 of the lines before the trailer differs from the trailer's.
        case checksumMismatch
        /// Anything after the trailer line.
        case trailingGarbage
        /// The writer was given a date outside years 0001...9999.
        case unrepresentableDate
    }

    public let reason: Reason
    /// The 1-based line where it was found; for the writer, the line it was about to write.
    public let line: Int

    public init(_ reason: Reason, line: Int) {
        self.reason = reason
        self.line = line
    }

    public var english: String {
        let what: String
        switch reason {
        case .badMagic: what = "this is not a Kamae backup (version 1): the first line is not KAMAE-BACKUP/1"
        case .truncated: what = "the file is truncated: it ends before its trailer"
        case .lineTooLong: what = "the line is longer than \(BackupFormat.maximumLineBytes) bytes"
        case .malformedManifest: what = "the manifest is malformed"
        case .malformedTableHeader: what = "the table header is malformed"
        case .malformedRow: what = "the row is malformed"
        case .malformedTrailer: what = "the trailer is malformed"
        case .unknownTable(let name): what = "table “\(name)” is not listed in the manifest"
        case .tableOutOfOrder(let expected, let found): what = "table “\(found)” comes where “\(expected)” was due"
        case .missingTable(let name): what = "table “\(name)” is missing"
        case .columnMismatch(let table, let expected, let found):
            what = "a row of “\(table)” has \(found) cells, but the table has \(expected) columns"
        case .rowOutsideTable: what = "a row comes before any table header"
        case .rowCountMismatch(let table, let declared, let actual):
            what = "the trailer declares \(declared) rows for “\(table)”, but the file holds \(actual)"
        case .checksumMismatch: what = "the SHA-256 checksum does not match: the file was damaged or altered"
        case .trailingGarbage: what = "there is data after the trailer"
        case .unrepresentableDate: what = "a date lies outside the years 0001 to 9999"
        }
        return "Backup line \(line): \(what)."
    }

    public var japanese: String {
        let what: String
        switch reason {
        case .badMagic: what = "Kamae のバックアップ（バージョン 1）ではありません（1 行目が KAMAE-BACKUP/1 ではありません）"
        case .truncated: what = "ファイルが途中で切れています（トレーラーがありません）"
        case .lineTooLong: what = "行が \(BackupFormat.maximumLineBytes) バイトを超えています"
        case .malformedManifest: what = "マニフェストの形式が不正です"
        case .malformedTableHeader: what = "テーブルヘッダーの形式が不正です"
        case .malformedRow: what = "行データの形式が不正です"
        case .malformedTrailer: what = "トレーラーの形式が不正です"
        case .unknownTable(let name): what = "テーブル「\(name)」はマニフェストにありません"
        case .tableOutOfOrder(let expected, let found): what = "テーブル「\(expected)」の位置にテーブル「\(found)」があります"
        case .missingTable(let name): what = "テーブル「\(name)」がありません"
        case .columnMismatch(let table, let expected, let found):
            what = "テーブル「\(table)」の列数は \(expected) ですが、行のセル数が \(found) です"
        case .rowOutsideTable: what = "テーブルヘッダーより前に行データがあります"
        case .rowCountMismatch(let table, let declared, let actual):
            what = "トレーラーではテーブル「\(table)」の行数が \(declared) ですが、実際は \(actual) 行です"
        case .checksumMismatch: what = "SHA-256 チェックサムが一致しません（ファイルが破損または改ざんされています）"
        case .trailingGarbage: what = "トレーラーの後に余分なデータがあります"
        case .unrepresentableDate: what = "日時が 0001 年から 9999 年の範囲外です"
        }
        return "バックアップ \(line) 行目：\(what)。"
    }
}
