import Crypto
import Foundation
import Testing

@testable import KamaeTrust

@Suite struct BackupRoundTripTests {
    typealias Table = BackupFixtures.Table

    @Test func sampleRoundTripsWithManifestTablesAndRows() throws {
        let data = try BackupFixtures.write(BackupFixtures.sample)
        let (verified, events) = try BackupFixtures.read(data)
        #expect(verified.manifest == BackupFixtures.manifest(BackupFixtures.sample))
        #expect(verified.tables.map(\.rowCount) == [2, 0, 3, 0])
        #expect(events == BackupFixtures.expectedEvents(BackupFixtures.sample))
    }

    @Test func theFileIsExactlyTheDocumentedText() throws {
        let tables = [
            Table(name: "a", columns: ["id", "v"], rows: [[.int(1), .text("改行\n")], [.null, .bool(true)]]),
            Table(name: "b", columns: ["x"], rows: []),
        ]
        let manifest = BackupManifest(
            createdAt: BackupFixtures.createdAt, kamaeVersion: "0.4.0", schemaMigrations: [], tables: ["a", "b"])
        var output = Data()
        let writer = try BackupWriter(manifest: manifest) { output.append($0) }
        for table in tables {
            try writer.beginTable(table.name, columns: table.columns)
            for row in table.rows { try writer.writeRow(row) }
        }
        try writer.finish()
        let expected = BackupFixtures.file(
            lines: [
                "KAMAE-BACKUP/1", BackupFixtures.manifestLine, "{\"table\":\"a\",\"columns\":[\"id\",\"v\"]}",
                "[{\"i\":1},{\"s\":\"改行\\n\"}]", "[null,{\"b\":true}]", "{\"table\":\"b\",\"columns\":[\"x\"]}",
            ], rowCounts: [("a", 2), ("b", 0)])
        #expect(String(decoding: output, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }

    @Test(arguments: [
        (BackupValue.int(.min), "{\"i\":-9223372036854775808}"), (.int(.max), "{\"i\":9223372036854775807}"),
        (.double(0.1), "{\"d\":0.1}"), (.double(-0.0), "{\"d\":-0.0}"), (.double(1e-5), "{\"d\":1e-05}"),
        (.double(.greatestFiniteMagnitude), "{\"d\":1.7976931348623157e+308}"),
        (.double(.leastNonzeroMagnitude), "{\"d\":5e-324}"),
        (.double(.nan), "{\"d\":\"nan\"}"), (.double(.infinity), "{\"d\":\"inf\"}"), (.double(-.infinity), "{\"d\":\"-inf\"}"),
        (.text("東京\n\"\\\u{0}"), "{\"s\":\"東京\\n\\\"\\\\\\u0000\"}"), (.bool(false), "{\"b\":false}"),
        (.blob(Data([0, 255, 16])), "{\"x\":\"AP8Q\"}"), (.null, "null"),
        (.date(BackupFixtures.microsecondDate(-1)), "{\"t\":\"1969-12-31T23:59:59.999999Z\"}"),
        (.uuid(UUID(uuidString: "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0")!), "{\"u\":\"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\"}"),
    ])
    func eachCellHasOneSpellingAndReadsBack(value: BackupValue, json: String) throws {
        var bytes: [UInt8] = []
        #expect(value.appendJSON(to: &bytes))
        #expect(String(decoding: bytes, as: UTF8.self) == json)
        let decoded = try JSONDecoder().decode([DecodedCell].self, from: Data("[\(json)]".utf8))
        #expect(decoded.map(\.value) == [value])
    }

    @Test func extremeValuesRoundTrip() throws {
        let doubles: [Double] = [
            0, -0.0, 1, -1, .pi, 1e300, -1e-300, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
            .leastNormalMagnitude, .leastNonzeroMagnitude, 9_007_199_254_740_991, 123_456.789e10, .nan, .infinity, -.infinity,
        ]
        let dates: [Int64] = [
            0, -1, 1, -62_135_596_800_000_000, 253_402_300_799_000_000, 1_743_499_800_123_456, 951_782_400_000_000,
        ]
        let rows: [[BackupValue]] =
            doubles.map { [.double($0)] } + dates.map { [.date(BackupFixtures.microsecondDate($0))] }
            + [Int64.min, -1, 0, 1, Int64.max].map { [.int($0)] }
            + [[.blob(Data((0...255).map(UInt8.init)))], [.blob(Data(repeating: 0, count: 1000))]]
            + ["", "\u{0}", "\r\n", "\u{2028}\u{2029}", "𠮷野家", "ｶﾅ", "e\u{301}", String(repeating: "長", count: 10_000)]
            .map { [.text($0)] }
        let tables = [Table(name: "values", columns: ["value"], rows: rows)]
        let (_, events) = try BackupFixtures.read(try BackupFixtures.write(tables))
        #expect(events == BackupFixtures.expectedEvents(tables))
    }

    @Test func noTablesAndOnlyEmptyTablesRoundTrip() throws {
        for tables in [[], [Table(name: "empty", columns: ["id"], rows: [])]] {
            let (verified, events) = try BackupFixtures.read(try BackupFixtures.write(tables))
            #expect(verified.tables.map(\.name) == tables.map(\.name))
            #expect(events == BackupFixtures.expectedEvents(tables))
        }
    }

    /// Several megabytes through a file: the writer hands over chunks and the reader splits lines across them.
    @Test func largeBackupsStreamThroughFiles() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kamae-backup-\(UUID().uuidString)")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        let tables = [Table(name: "evidence", columns: ["id", "body"], rows: [])]
        let writer = try BackupWriter(manifest: BackupFixtures.manifest(tables), fileHandle: handle)
        try writer.beginTable("evidence", columns: ["id", "body"])
        let body = String(repeating: "監査証跡", count: 300)
        for index in 0..<3000 { try writer.writeRow([.int(Int64(index)), .text(body)]) }
        try writer.finish()
        try handle.close()
        #expect(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0 > 3 << 20)

        let verified = try BackupReader(fileURL: url).verify()
        #expect(verified.tables == [BackupTable(name: "evidence", columns: ["id", "body"], rowCount: 3000)])
        var events = try verified.events()
        var expectedIndex: Int64 = 0
        while let event = try events.next() {
            if case .row(let row) = event {
                #expect(row == [.int(expectedIndex), .text(body)])
                expectedIndex += 1
            }
        }
        #expect(expectedIndex == 3000)
    }

    @Test func writerRefusesMisuseWithTheLineItWasAt() throws {
        let manifest = BackupManifest(createdAt: BackupFixtures.createdAt, kamaeVersion: "1", schemaMigrations: [], tables: ["a", "b"])
        func writer() throws -> BackupWriter { try BackupWriter(manifest: manifest) { _ in } }
        #expect(throws: BackupError(.unknownTable("c"), line: 3)) { try writer().beginTable("c", columns: ["x"]) }
        #expect(throws: BackupError(.tableOutOfOrder(expected: "a", found: "b"), line: 3)) {
            try writer().beginTable("b", columns: ["x"])
        }
        #expect(throws: BackupError(.rowOutsideTable, line: 3)) { try writer().writeRow([.null]) }
        #expect(throws: BackupError(.malformedTableHeader, line: 3)) { try writer().beginTable("a", columns: ["x", "x"]) }
        let started = try writer()
        try started.beginTable("a", columns: ["x", "y"])
        #expect(throws: BackupError(.columnMismatch(table: "a", expected: 2, found: 1), line: 4)) {
            try started.writeRow([.null])
        }
        #expect(throws: BackupError(.unrepresentableDate, line: 4)) {
            try started.writeRow([.null, .date(Date(timeIntervalSince1970: 253_402_300_800))])
        }
        #expect(throws: BackupError(.missingTable("b"), line: 4)) { try started.finish() }
        #expect(throws: BackupError(.malformedManifest, line: 2)) {
            try BackupWriter(
                manifest: BackupManifest(createdAt: .now, kamaeVersion: "1", schemaMigrations: [], tables: ["a", "a"])) { _ in }
        }
    }

    @Test func sinkErrorsPropagate() throws {
        struct DiskFull: Error {}
        let manifest = BackupFixtures.manifest([])
        #expect(throws: DiskFull.self) { try BackupWriter(manifest: manifest) { _ in throw DiskFull() }.finish() }
    }
}
