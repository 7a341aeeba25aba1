import Foundation

/// The Kamae logical backup container, version 1: a UTF-8 text file of lines ending in LF (0x0A), independent of
/// the database (SQLite or PostgreSQL), written and read in one streaming pass each.
///
///     line 1       KAMAE-BACKUP/1
///     line 2       manifest   {"createdAt":"2025-04-01T09:30:00.000000Z","kamaeVersion":"0.4.0",
///                              "schemaMigrations":["0001_CreateCatalogVersions",…],"tables":["institutions","users",…]}
///     per table, in the manifest's order (restore order), every table even when empty:
///                  header     {"table":"users","columns":["id","login","created_at"]}
///                  rows       [{"u":"5f0c…"},{"s":"sato"},{"t":"2025-04-01T09:30:00.123456Z"}]
///     last line    trailer    {"rowCounts":{"institutions":2,"users":3},"sha256":"<64 lowercase hex digits>"}
///
/// A row is a JSON array with one cell per column, each `null` or an object with one key naming its type:
///
///     {"i":-9223372036854775808}   int: a 64-bit signed integer
///     {"d":0.1}                    double: the shortest decimal that reads back as the same double;
///     {"d":"nan"} {"d":"inf"} {"d":"-inf"}   non-finite doubles, written explicitly (JSON numbers cannot hold them)
///     {"s":"東京\n"}                text: a JSON string
///     {"b":true}                   bool
///     {"x":"AAEC/w=="}             blob: standard base64 with padding
///     {"t":"2025-04-01T09:30:00.123456Z"}   date: UTC, exactly six fraction digits, years 0001...9999
///     {"u":"5f0c…"}                uuid: lowercase text
///
/// The writer emits JSON with no whitespace and escapes only what RFC 8259 requires, so no line holds a raw LF.
/// `sha256` is SHA-256 over every byte before the trailer line (lines 1 to n−1, each with its LF); the trailer
/// must be exactly the line the writer would write for the counts and checksum found, so no byte of the file can
/// change unnoticed. The checksum guards against damage, not against forgery: anyone can recompute it.
public enum BackupFormat {
    public static let magic = "KAMAE-BACKUP/1"
    /// The longest line a reader accepts (256 MiB), so that a hostile file cannot exhaust memory with one line.
    public static let maximumLineBytes = 256 << 20

    static func manifestLine(_ manifest: BackupManifest) -> [UInt8] {
        var bytes = Array("{\"createdAt\":".utf8)
        let ticks = UTCTimestamp.ticks(of: manifest.createdAt, fractionDigits: 6)
        JSONText.appendString(UTCTimestamp.format(ticks: ticks, fractionDigits: 6) ?? "", to: &bytes)
        bytes.append(contentsOf: Array(",\"kamaeVersion\":".utf8))
        JSONText.appendString(manifest.kamaeVersion, to: &bytes)
        bytes.append(contentsOf: Array(",\"schemaMigrations\":".utf8))
        JSONText.appendStringArray(manifest.schemaMigrations, to: &bytes)
        bytes.append(contentsOf: Array(",\"tables\":".utf8))
        JSONText.appendStringArray(manifest.tables, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    static func tableHeaderLine(name: String, columns: [String]) -> [UInt8] {
        var bytes = Array("{\"table\":".utf8)
        JSONText.appendString(name, to: &bytes)
        bytes.append(contentsOf: Array(",\"columns\":".utf8))
        JSONText.appendStringArray(columns, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    static func trailerLine(tables: [String], rowCounts: [Int], sha256: String) -> [UInt8] {
        var bytes = Array("{\"rowCounts\":{".utf8)
        for (index, (table, count)) in zip(tables, rowCounts).enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONText.appendString(table, to: &bytes)
            bytes.append(contentsOf: Array(":\(count)".utf8))
        }
        bytes.append(contentsOf: Array("},\"sha256\":".utf8))
        JSONText.appendString(sha256, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }
}

/// What a backup holds, written on its second line.
public struct BackupManifest: Sendable, Equatable {
    /// Kept to the microsecond, as the file writes it.
    public let createdAt: Date
    public let kamaeVersion: String
    /// The applied schema migrations, so that restore can refuse a backup from another schema.
    public let schemaMigrations: [String]
    /// Table names in restore order (parents before children).
    public let tables: [String]

    public init(createdAt: Date, kamaeVersion: String, schemaMigrations: [String], tables: [String]) {
        self.createdAt = UTCTimestamp.date(
            ticks: UTCTimestamp.ticks(of: createdAt, fractionDigits: 6), fractionDigits: 6)
        self.kamaeVersion = kamaeVersion
        self.schemaMigrations = schemaMigrations
        self.tables = tables
    }

    /// A manifest can be written when its date has a four-digit year and its tables are named once each.
    var isWellFormed: Bool {
        UTCTimestamp.format(ticks: UTCTimestamp.ticks(of: createdAt, fractionDigits: 6), fractionDigits: 6) != nil
            && !tables.contains("") && Set(tables).count == tables.count
    }
}

/// A table section of a backup, as the reader found it.
public struct BackupTable: Sendable, Equatable {
    public let name: String
    public let columns: [String]
    public let rowCount: Int

    public init(name: String, columns: [String], rowCount: Int) {
        self.name = name
        self.columns = columns
        self.rowCount = rowCount
    }
}

/// What the second pass of a verified backup yields, in file order.
public enum BackupEvent: Sendable, Equatable {
    /// A table section starts; its rows follow.
    case table(BackupTable)
    case row([BackupValue])
}
