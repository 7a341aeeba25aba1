import Foundation
import Testing

@testable import KamaeTrust

/// The record encoding and the builder: the bytes that are hashed must never drift, or old chains stop verifying.
@Suite struct AuditRecordTests {
    /// A fixed record whose encoding and hash were computed by `Scripts/verify_chain.py` (the Python reference).
    static let knownRecord = AuditRecord(
        sequence: 1, occurredAt: Date(timeIntervalSince1970: 1_743_499_800.123),
        institutionID: UUID(uuidString: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"), actorID: nil, actorLogin: "佐藤",
        action: "answer.updated", targetType: "answer", targetID: "", details: "{\"新\":\"はい\"}", sourceAddress: nil,
        previousHash: .genesis, hash: .genesis)

    @Test func genesisIsTheHashOfTheDomainString() {
        #expect(AuditHash.genesis.hex == "7f2fefd89a8d9ac1f1ba4e854e51312885a24801f17373c8551d42d34e2529b3")
    }

    @Test func encodingAndHashMatchTheReferenceVector() {
        let record = Self.knownRecord
        #expect(
            HexText.encode(record.canonicalEncoding)
                == "01000000146b616d61652d61756469742d7265636f72642f3101000000080000000000000001010000000800000195f0afae3b"
                + "01000000100f1e2d3c4b5a69788796a5b4c3d2e1f0000100000006e4bd90e897a4010000000e616e737765722e7570646174"
                + "65640100000006616e73776572010000000001000000107b22e696b0223a22e381afe38184227d0001000000207f2fefd89a"
                + "8d9ac1f1ba4e854e51312885a24801f17373c8551d42d34e2529b3")
        #expect(record.computedHash.hex == "33a686b8cd96ffc530cfea0d8bfeb7124d8d95d1471d7ffbd0905239aebdb092")
    }

    @Test func absentAndEmptyValuesHashDifferently() {
        let empty = AuditFixtures.replacing(Self.knownRecord, actorLogin: .some(""))
        let absent = AuditFixtures.replacing(Self.knownRecord, actorLogin: .some(nil))
        #expect(empty.computedHash != absent.computedHash)
        // Moving bytes between adjacent fields must change the hash too (the framing carries lengths).
        let shifted = AuditFixtures.replacing(Self.knownRecord, targetType: "answe", targetID: "r")
        #expect(shifted.computedHash != Self.knownRecord.computedHash)
    }

    @Test func occurredAtIsKeptToWholeMilliseconds() {
        let record = AuditFixtures.replacing(Self.knownRecord, occurredAt: Date(timeIntervalSince1970: 1.0006))
        #expect(record.occurredAtMilliseconds == 1001)
        #expect(record.occurredAt == Date(timeIntervalSince1970: 1.001))
    }

    @Test func appendStartsAtGenesisAndLinksEachRecordToTheLast() throws {
        let first = try AuditChain.append(AuditEntry(occurredAt: AuditFixtures.start, action: "session.login.succeeded"), after: nil)
        let second = try AuditChain.append(
            AuditEntry(occurredAt: AuditFixtures.start, action: "answer.updated", details: ["b": "2", "a": "1"]), after: first)
        #expect(first.sequence == 1)
        #expect(first.previousHash == .genesis)
        #expect(first.hash == first.computedHash)
        #expect(second.sequence == 2)
        #expect(second.previousHash == first.hash)
        #expect(second.hash == second.computedHash)
        #expect(second.details == "{\"a\":\"1\",\"b\":\"2\"}")
    }

    @Test(arguments: ["", "answer", "Answer.updated", "answer..updated", ".answer", "answer.", "1x.y", "answer.up-dated", "回答.更新"])
    func invalidActionCodesAreRefused(_ action: String) {
        #expect(throws: AuditEntryError.invalidAction(action)) {
            try AuditChain.append(AuditEntry(occurredAt: AuditFixtures.start, action: action), after: nil)
        }
        #expect(AuditEntryError.invalidAction(action).japanese.contains("「\(action)」"))
    }

    @Test func timesTheExportCannotWriteAreRefused() {
        for seconds in [-62_135_596_801.0, 253_402_300_800] {
            #expect(throws: AuditEntryError.occurredAtOutOfRange) {
                try AuditChain.append(AuditEntry(occurredAt: Date(timeIntervalSince1970: seconds), action: "a.b"), after: nil)
            }
        }
    }

    @Test(arguments: ["session.login.succeeded", "answer.updated", "assessment.exported", "evidence.file_added", "a.b2"])
    func dottedActionCodesAreAccepted(_ action: String) {
        #expect(AuditChain.isValidAction(action))
    }

    @Test func detailsAreCanonicalJSON() throws {
        let text = AuditDetails.canonicalJSON(["z": "1", "a": "改\n\"引用\"\\", "é": "\u{1}", "B": "\t"])
        #expect(text == "{\"B\":\"\\t\",\"a\":\"改\\n\\\"引用\\\"\\\\\",\"z\":\"1\",\"é\":\"\\u0001\"}")
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
        #expect(parsed == ["z": "1", "a": "改\n\"引用\"\\", "é": "\u{1}", "B": "\t"])
        #expect(AuditDetails.canonicalJSON([:]) == "{}")
    }

    @Test func exportLinesRoundTrip() throws {
        let records = AuditFixtures.chain(count: 20)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for record in records {
            let line = try encoder.encode(record)
            #expect(!line.contains(0x0A))
            #expect(try JSONDecoder().decode(AuditRecord.self, from: line) == record)
        }
        let object = try JSONSerialization.jsonObject(with: encoder.encode(Self.knownRecord)) as? [String: Any]
        #expect(object?["occurredAt"] as? String == "2025-04-01T09:30:00.123Z")
        #expect(object?["institutionID"] as? String == "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
        #expect(object?["actorID"] is NSNull)
    }

    @Test func exportRefusesMalformedValues() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let line = String(decoding: try encoder.encode(Self.knownRecord), as: UTF8.self)
        for broken in [
            line.replacingOccurrences(of: "2025-04-01T09:30:00.123Z", with: "2025-04-01T09:30:00Z"),
            line.replacingOccurrences(of: AuditHash.genesis.hex, with: "00"),
            line.replacingOccurrences(of: ",\"actorID\":null", with: ""),
        ] {
            #expect(throws: (any Error).self) { try JSONDecoder().decode(AuditRecord.self, from: Data(broken.utf8)) }
        }
    }
}
