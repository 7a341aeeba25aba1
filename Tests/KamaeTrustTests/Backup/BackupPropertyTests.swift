import Foundation
import PropertyBased
import Testing

@testable import KamaeTrust

/// Random backups round-trip exactly, and no random single-byte change or truncation gets through.
@Suite struct BackupPropertyTests {
    /// Scalar ranges for random text: ASCII with controls, Latin, kana, CJK, half-width forms, emoji, astral planes.
    static let scalarRanges: [ClosedRange<UInt32>] = [
        0x00...0x7F, 0x80...0x7FF, 0x3040...0x30FF, 0x4E00...0x9FFF, 0xFF00...0xFFEF, 0x1F300...0x1FAFF, 0x20000...0x2A6DF,
    ]

    static func randomText(using random: inout SeededRandom) -> String {
        var text = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...24, using: &random) {
            let range = scalarRanges.randomElement(using: &random)!
            text.append(Unicode.Scalar(UInt32.random(in: range, using: &random))!)
        }
        return String(text)
    }

    static func randomValue(using random: inout SeededRandom) -> BackupValue {
        switch Int.random(in: 0..<8, using: &random) {
        case 0: .null
        case 1: .int(Int64(bitPattern: random.next()))
        // Any bit pattern: subnormals, ±0, ±infinity and NaNs included.
        case 2: .double(Double(bitPattern: random.next()))
        case 3: .text(randomText(using: &random))
        case 4: .bool(Bool.random(using: &random))
        case 5: .blob(Data((0..<Int.random(in: 0...40, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }))
        case 6:
            .date(BackupFixtures.microsecondDate(Int64.random(in: -62_135_596_800_000_000...253_402_300_799_000_000, using: &random)))
        default:
            .uuid(UUID(uuid: (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }.withUnsafeBytes {
                $0.load(as: uuid_t.self)
            }))
        }
    }

    static func randomTables(seed: UInt64) -> [BackupFixtures.Table] {
        var random = SeededRandom(seed: seed)
        return (0..<Int.random(in: 0...4, using: &random)).map { tableIndex in
            let columns = (0..<Int.random(in: 1...5, using: &random)).map { "c\($0)_\(randomText(using: &random))" }
            let rows = (0..<Int.random(in: 0...12, using: &random)).map { _ in
                columns.map { _ in randomValue(using: &random) }
            }
            return BackupFixtures.Table(name: "t\(tableIndex)_\(randomText(using: &random))", columns: columns, rows: rows)
        }
    }

    @Test func randomBackupsRoundTrip() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            let tables = Self.randomTables(seed: seed)
            let data = try BackupFixtures.write(tables)
            let (verified, events) = try BackupFixtures.read(data)
            #expect(verified.manifest == BackupFixtures.manifest(tables))
            #expect(events == BackupFixtures.expectedEvents(tables))
        }
    }

    @Test func randomDamageIsRefused() async {
        await propertyCheck(count: 500, input: Gen.uint64(), Gen.uint64(), Gen.uint8(in: 1...255)) { seed, position, mask in
            let data = try BackupFixtures.write(Self.randomTables(seed: seed))
            var flipped = data
            flipped[Int(position % UInt64(data.count))] ^= mask
            #expect(throws: BackupError.self) { try BackupReader(data: flipped).verify() }
            let truncated = data.prefix(Int(position % UInt64(data.count)))
            #expect(throws: BackupError.self) { try BackupReader(data: truncated).verify() }
        }
    }
}

extension BackupPropertyTests {
    /// Dates as database drivers make them (seconds since 1970 as a Double) come back on the same microsecond.
    @Test func presentDayDatesKeepTheirMicrosecond() async {
        await propertyCheck(count: 500, input: Gen.int64(in: -2_208_988_800_000_000...4_102_444_800_000_000)) { microseconds in
            let date = Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
            let (_, events) = try BackupFixtures.read(
                try BackupFixtures.write([BackupFixtures.Table(name: "t", columns: ["at"], rows: [[.date(date)]])]))
            guard case .row(let row) = events.last, case .date(let restored) = row.first else {
                Issue.record("no date came back")
                return
            }
            #expect(UTCTimestamp.ticks(of: restored, fractionDigits: 6) == microseconds)
            #expect(abs(restored.timeIntervalSince(date)) < 1e-6)
        }
    }
}
