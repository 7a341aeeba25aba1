import Foundation
import Testing

@testable import KamaeTrust

/// A damaged or altered backup is refused by the first pass, with the reason and the line.
@Suite struct BackupDamageTests {
    static let sample = try! BackupFixtures.write(BackupFixtures.sample)

    func refusal(_ data: Data) -> BackupError? {
        do {
            _ = try BackupReader(data: data).verify()
            return nil
        } catch {
            return error as? BackupError
        }
    }

    @Test(arguments: [UInt8(0x01), 0x20, 0x80, 0xFF])
    func flippingAnyByteIsRefused(mask: UInt8) {
        for offset in Self.sample.indices {
            var damaged = Self.sample
            damaged[offset] ^= mask
            #expect(refusal(damaged) != nil, "flipping byte \(offset) with \(mask) was not noticed")
        }
    }

    @Test func truncatingAnywhereIsRefused() {
        for length in 0..<Self.sample.count {
            #expect(refusal(Self.sample.prefix(length)) != nil, "a prefix of \(length) bytes was accepted")
        }
    }

    @Test func truncatingAtEachLineBoundaryNamesTheMissingLine() {
        let newlines = Self.sample.indices.filter { Self.sample[$0] == 0x0A }
        for (index, newline) in newlines.dropLast().enumerated() {
            #expect(refusal(Self.sample.prefix(newline + 1)) == BackupError(.truncated, line: index + 2))
        }
        #expect(refusal(Self.sample.dropLast()) == BackupError(.truncated, line: newlines.count), "trailer without its LF")
        #expect(refusal(Data()) == BackupError(.truncated, line: 1))
    }

    @Test func otherKindsOfFileAreRefusedAtTheFirstLine() {
        #expect(refusal(Data(repeating: 0x50, count: 3 << 20)) == BackupError(.badMagic, line: 1))
        #expect(refusal(Data("PGDMP\u{1}\u{e}".utf8)) == BackupError(.truncated, line: 1), "too short to tell")
    }

    @Test func overlongLinesAreRefusedWithoutReadingThemWhole() throws {
        var lines = try LineSplitter(.data(Self.sample), maximumLineBytes: 100)
        #expect(try lines.next()?.number == 1)
        #expect(throws: BackupError(.lineTooLong, line: 2)) { while try lines.next() != nil {} }
    }

    @Test func anythingAfterTheTrailerIsRefused() {
        let lines = Self.sample.filter { $0 == 0x0A }.count
        for garbage in ["\n", "x", "{}\n", "KAMAE-BACKUP/1\n"] {
            #expect(refusal(Self.sample + Data(garbage.utf8)) == BackupError(.trailingGarbage, line: lines + 1))
        }
    }

    @Test func wrongMagicIsRefused() {
        for first in ["KAMAE-BACKUP/2", "kamae-backup/1", "KAMAE-BACKUP/1 ", "\u{FEFF}KAMAE-BACKUP/1", "PGDMP"] {
            let file = BackupFixtures.file(lines: [first, BackupFixtures.manifestLine], rowCounts: [])
            #expect(refusal(file) == BackupError(.badMagic, line: 1))
        }
    }

    @Test func malformedLinesAreNamed() {
        let header = "{\"table\":\"a\",\"columns\":[\"id\",\"v\"]}"
        let headerB = "{\"table\":\"b\",\"columns\":[\"x\"]}"
        let cases: [([String], BackupError)] = [
            (["{\"createdAt\":\"yesterday\",\"kamaeVersion\":\"1\",\"schemaMigrations\":[],\"tables\":[]}"], .init(.malformedManifest, line: 2)),
            (["{\"kamaeVersion\":\"1\"}"], .init(.malformedManifest, line: 2)),
            ([BackupFixtures.manifestLine, "[{\"i\":1},{\"s\":\"x\"}]"], .init(.rowOutsideTable, line: 3)),
            ([BackupFixtures.manifestLine, header, "[{\"i\":1},{\"s\":\"x\"}]", "[{\"i\":\"1\"},null]"], .init(.malformedRow, line: 5)),
            ([BackupFixtures.manifestLine, header, "[{\"i\":1.5},null]"], .init(.malformedRow, line: 4)),
            ([BackupFixtures.manifestLine, header, "[{\"q\":1},null]"], .init(.malformedRow, line: 4)),
            ([BackupFixtures.manifestLine, header, "[{\"i\":1,\"s\":\"x\"},null]"], .init(.malformedRow, line: 4)),
            ([BackupFixtures.manifestLine, header, "[{\"t\":\"2025-04-01T09:30:00Z\"},null]"], .init(.malformedRow, line: 4)),
            ([BackupFixtures.manifestLine, header, "[{\"u\":\"0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0\"},null]"], .init(.malformedRow, line: 4)),
            ([BackupFixtures.manifestLine, header, "[{\"x\":\"***\"},null]"], .init(.malformedRow, line: 4)),
            ([BackupFixtures.manifestLine, header, "[{\"d\":\"NaN\"},null]"], .init(.malformedRow, line: 4)),
            ([BackupFixtures.manifestLine, header, "null"], .init(.malformedRow, line: 4)),
            ([BackupFixtures.manifestLine, header, "[null]"], .init(.columnMismatch(table: "a", expected: 2, found: 1), line: 4)),
            ([BackupFixtures.manifestLine, "{\"table\":\"c\",\"columns\":[\"x\"]}"], .init(.unknownTable("c"), line: 3)),
            ([BackupFixtures.manifestLine, headerB], .init(.tableOutOfOrder(expected: "a", found: "b"), line: 3)),
            ([BackupFixtures.manifestLine, header, header], .init(.tableOutOfOrder(expected: "b", found: "a"), line: 4)),
            ([BackupFixtures.manifestLine, "{\"table\":\"a\",\"columns\":[]}"], .init(.malformedTableHeader, line: 3)),
            ([BackupFixtures.manifestLine, "{\"table\":\"a\"}"], .init(.malformedTableHeader, line: 3)),
            ([BackupFixtures.manifestLine, header], .init(.missingTable("b"), line: 4)),
        ]
        for (lines, expected) in cases {
            let file = BackupFixtures.file(lines: ["KAMAE-BACKUP/1"] + lines, rowCounts: [("a", 0), ("b", 0)])
            #expect(refusal(file) == expected, "\(lines.last!)")
        }
    }

    @Test func trailerMismatchesAreNamed() {
        let lines = [
            "KAMAE-BACKUP/1", BackupFixtures.manifestLine, "{\"table\":\"a\",\"columns\":[\"id\"]}", "[{\"i\":1}]",
            "{\"table\":\"b\",\"columns\":[\"x\"]}",
        ]
        #expect(refusal(BackupFixtures.file(lines: lines, rowCounts: [("a", 1), ("b", 0)])) == nil)
        #expect(
            refusal(BackupFixtures.file(lines: lines, rowCounts: [("a", 2), ("b", 0)]))
                == BackupError(.rowCountMismatch(table: "a", declared: 2, actual: 1), line: 6))
        #expect(
            refusal(BackupFixtures.file(lines: lines, rowCounts: [("b", 0), ("a", 1)])) == BackupError(.malformedTrailer, line: 6),
            "the trailer lists tables in manifest order")
        // A changed value that keeps every line well-formed is caught by the checksum alone: the body says 7
        // where the trailer's checksum was taken over 1.
        let original = BackupFixtures.file(lines: lines, rowCounts: [("a", 1), ("b", 0)])
        let altered = BackupFixtures.file(
            lines: lines.map { $0.replacingOccurrences(of: "{\"i\":1}", with: "{\"i\":7}") }, rowCounts: [("a", 1), ("b", 0)])
        let trailerStart = original.dropLast().lastIndex(of: 0x0A)! + 1
        #expect(refusal(altered.prefix(trailerStart) + original.suffix(from: trailerStart)) == BackupError(.checksumMismatch, line: 6))
        #expect(refusal(Data(lines.joined(separator: "\n").utf8) + Data("\n{\"rowCounts\":1}\n".utf8)) == BackupError(.malformedTrailer, line: 6))
    }

    /// The second pass checks again: a file changed after verification fails before restore can commit.
    @Test func aFileChangedBetweenThePassesFailsTheSecondPass() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kamae-backup-\(UUID().uuidString)")
        try Self.sample.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let verified = try BackupReader(fileURL: url).verify()
        let text = String(decoding: Self.sample, as: UTF8.self).replacingOccurrences(of: "東京第一銀行", with: "東京第二銀行")
        try Data(text.utf8).write(to: url)
        var events = try verified.events()
        #expect(throws: BackupError(.checksumMismatch, line: Self.sample.filter { $0 == 0x0A }.count)) {
            while try events.next() != nil {}
        }
    }

    @Test func messagesNameTheLineInBothLanguages() {
        let reasons: [BackupError.Reason] = [
            .badMagic, .truncated, .lineTooLong, .malformedManifest, .malformedTableHeader, .malformedRow, .malformedTrailer,
            .unknownTable("t"), .tableOutOfOrder(expected: "a", found: "b"), .missingTable("t"),
            .columnMismatch(table: "t", expected: 2, found: 3), .rowOutsideTable,
            .rowCountMismatch(table: "t", declared: 1, actual: 2), .checksumMismatch, .trailingGarbage, .unrepresentableDate,
        ]
        for reason in reasons {
            let error = BackupError(reason, line: 42)
            #expect(error.english.hasPrefix("Backup line 42: "))
            #expect(error.japanese.hasPrefix("バックアップ 42 行目："))
        }
    }
}
