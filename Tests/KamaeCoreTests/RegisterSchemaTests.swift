import Foundation
@testable import KamaeCore
import PropertyBased
import Testing

@Suite struct RegisterSchemaTests {
    @Test func everyProblemOfARecordIsNamedByField() {
        let (values, problems) = RegisterSchema.components.parse([
            "code": "SW 1", "kind": "firmware", "end_of_support": "2026-02-30", "unapproved": "maybe", "system": "SYS-001",
        ])
        #expect(Set(problems.map(\.field)) == ["code", "kind", "product", "end_of_support", "unapproved"])
        #expect(values["system"] == .code("SYS-001"))
        #expect(problems.allSatisfy { !$0.message.ja.isEmpty && !$0.message.en.isEmpty })
    }

    @Test func peopleMayWriteValuesTheWayTheyAreUsedTo() {
        let (values, problems) = RegisterSchema.components.parse([
            "code": "SW-0001", "system": "SYS-001", "kind": "ソフトウェア", "product": "OpenSSL", "end_of_support": "2026/4/1",
            "support_extendable": "はい", "unapproved": "0",
        ])
        #expect(problems.isEmpty)
        #expect(values["kind"] == .text("software"))
        #expect(values["end_of_support"] == .date(ISODate(year: 2026, month: 4, day: 1)))
        #expect(values["support_extendable"] == .flag(true) && values["unapproved"] == .flag(false))
        let data = RegisterSchema.data.parse(["code": "D-1", "name": "顧客", "category": "customer", "confidentiality": "high", "integrity": "high",
                                              "availability": "low", "storage": "DB", "retention": "10年", "systems": "SYS-001; SYS-002;SYS-001"])
        #expect(data.problems.isEmpty && data.values["systems"] == .codes(["SYS-001", "SYS-002"]))
    }

    @Test func everyRegisterStartsWithItsCodeAndNamesRealRegisters() {
        for schema in RegisterSchema.all {
            #expect(schema.fields.first?.key == "code")
            #expect(Set(schema.fields.map(\.key)).count == schema.fields.count)
            for key in schema.listed { #expect(schema.field(key) != nil, "\(schema.id): \(key)") }
        }
    }

    @Test func csvKeepsQuotedCommasQuotesAndLineBreaksAndNamesLines() throws {
        let text = "\u{FEFF}code,name\r\nA,\"株式会社 \"\"架空\"\", 本店\"\r\n\r\nB,\"二行\n目\"\nC,\n"
        let records = try CSVReader.read(Data(text.utf8))
        #expect(records.map(\.line) == [1, 2, 4, 6])
        #expect(records[1].fields == ["A", "株式会社 \"架空\", 本店"])
        #expect(records[2].fields == ["B", "二行\n目"])
        #expect(records[3].fields == ["C", ""])
        #expect(throws: CSVReader.Failure.self) { try CSVReader.read(Data("a,\"open\nb".utf8)) }
        #expect(throws: CSVReader.Failure.self) { try CSVReader.read(Data([0x83, 0x65, 0x83, 0x58, 0x83, 0x67])) }
    }

    /// Whatever bytes arrive, the reader answers with records or a failure naming a line; it never crashes.
    @Test func csvReaderSurvivesMutatedInput() async {
        let seed = Array("code,name,kind\nSYS-1,\"勘定系, 本番\",information_system\nSYS-2,\"引用\"\"符\",external_service\n".utf8)
        await propertyCheck(count: 500, input: Gen.uint64()) { value in
            var generator = SplitMix(state: value)
            var bytes = seed
            for _ in 0..<Int(generator.next() % 6 + 1) {
                let position = Int(generator.next() % UInt64(bytes.count + 1))
                switch generator.next() % 3 {
                case 0: bytes.insert([UInt8(ascii: "\""), UInt8(ascii: ","), 0x0A, 0xE3, 0x00][Int(generator.next() % 5)], at: position)
                case 1: if position < bytes.count { bytes.remove(at: position) }
                default: bytes = Array(bytes.prefix(position))
                }
            }
            switch Result(catching: { () throws(CSVReader.Failure) in try CSVReader.read(Data(bytes)) }) {
            case let .success(records): #expect(records.allSatisfy { $0.line >= 1 })
            case let .failure(failure): #expect(failure.line >= 1)
            }
        }
    }
}

private struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
