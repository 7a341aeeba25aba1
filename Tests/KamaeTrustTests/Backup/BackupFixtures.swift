import Crypto
import Foundation
import KamaeTrust

/// Backups for the tests, built with the real writer into memory.
enum BackupFixtures {
    struct Table {
        let name: String
        let columns: [String]
        let rows: [[BackupValue]]
    }

    static let createdAt = microsecondDate(1_743_499_800_123_456)

    /// A date on a whole microsecond since 1970, built from `Date`'s own epoch (2001) so that no second rounding
    /// moves it off the microsecond, however far from today it lies.
    static func microsecondDate(_ microseconds: Int64) -> Date {
        Date(timeIntervalSinceReferenceDate: Double(microseconds - 978_307_200_000_000) / 1_000_000)
    }

    static func manifest(_ tables: [Table]) -> BackupManifest {
        BackupManifest(
            createdAt: createdAt, kamaeVersion: "0.4.0",
            schemaMigrations: ["0001_CreateCatalogVersions", "0002_CreateInstitutionsAndUsers"], tables: tables.map(\.name))
    }

    static func write(_ tables: [Table]) throws -> Data {
        var output = Data()
        let writer = try BackupWriter(manifest: manifest(tables)) { output.append($0) }
        for table in tables {
            try writer.beginTable(table.name, columns: table.columns)
            for row in table.rows { try writer.writeRow(row) }
        }
        try writer.finish()
        return output
    }

    /// Everything the second pass yields, after the first pass passed.
    static func read(_ data: Data) throws -> (VerifiedBackup, [BackupEvent]) {
        let verified = try BackupReader(data: data).verify()
        var events = try verified.events()
        var collected: [BackupEvent] = []
        while let event = try events.next() { collected.append(event) }
        return (verified, collected)
    }

    static func expectedEvents(_ tables: [Table]) -> [BackupEvent] {
        tables.flatMap { table in
            [BackupEvent.table(BackupTable(name: table.name, columns: table.columns, rowCount: table.rows.count))]
                + table.rows.map(BackupEvent.row)
        }
    }

    /// A file from hand-written lines, closed by a correct trailer computed here independently of the reader.
    static func file(lines: [String], rowCounts: [(String, Int)]) -> Data {
        var body = Data()
        for line in lines { body.append(contentsOf: Array((line + "\n").utf8)) }
        let digest = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        let counts = rowCounts.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",")
        body.append(contentsOf: Array("{\"rowCounts\":{\(counts)},\"sha256\":\"\(digest)\"}\n".utf8))
        return body
    }

    static let manifestLine =
        "{\"createdAt\":\"2025-04-01T09:30:00.123456Z\",\"kamaeVersion\":\"0.4.0\",\"schemaMigrations\":[],\"tables\":[\"a\",\"b\"]}"

    /// A small backup with every cell type, Japanese text, an empty table in the middle and one at the end.
    static let sample: [Table] = [
        Table(
            name: "institutions", columns: ["id", "name", "created_at"],
            rows: [
                [.uuid(UUID(uuidString: "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0")!), .text("東京第一銀行"), .date(createdAt)],
                [.uuid(UUID(uuidString: "00000000-0000-4000-8000-000000000001")!), .text("Shinkin \"A\"\n2"), .null],
            ]),
        Table(name: "audit_checkpoints", columns: ["sequence", "signature"], rows: []),
        Table(
            name: "answers", columns: ["id", "score", "ratio", "applicable", "evidence", "note"],
            rows: [
                [.int(1), .int(-9_223_372_036_854_775_808), .double(0.1), .bool(true), .blob(Data([0, 1, 2, 254, 255])), .text("はい\t（一部）")],
                [.int(2), .int(9_223_372_036_854_775_807), .double(-.infinity), .bool(false), .blob(Data()), .text("")],
                [.int(3), .null, .double(.nan), .null, .null, .text("\\ / \u{7F} \u{1} 🏦")],
            ]),
        Table(name: "sessions", columns: ["token"], rows: []),
    ]
}
