import Foundation
import PropertyBased
import Testing
@testable import KamaeTrust

@Suite struct CanonicalJSONTests {
    func canonical(_ text: String) throws -> String {
        String(decoding: CanonicalJSON.serialize(try CanonicalJSON.parse(Data(text.utf8))), as: UTF8.self)
    }

    @Test func sortsKeysByBytesAndDropsWhitespace() throws {
        #expect(try canonical(#" { "b" : 1, "a" : [ true, false, null ], "B": "x", "é": 0, "aa": {} } "#)
            == #"{"B":"x","a":[true,false,null],"aa":{},"b":1,"é":0}"#)
    }

    @Test func escapesOnlyWhatItMust() throws {
        #expect(try canonical(#"["a/b", "\u00e9\u3042", "\"\\", "\n\t\r\b\f", "\u0001\u001f", "\ud83d\ude00", "\/"]"#)
            == "[\"a/b\",\"éあ\",\"\\\"\\\\\",\"\\n\\t\\r\\b\\f\",\"\\u0001\\u001f\",\"😀\",\"/\"]")
    }

    @Test func integersOnly() throws {
        #expect(try canonical("[0, -0, 12, -9223372036854775808, 9223372036854775807]") == "[0,0,12,-9223372036854775808,9223372036854775807]")
        for bad in ["1.5", "1e3", "[1, 2.0]", "9223372036854775808"] {
            #expect(throws: JSONParseError.self) { try CanonicalJSON.parse(Data(bad.utf8)) }
        }
        do {
            _ = try CanonicalJSON.parse(Data(#"{"a": {"b": [1, 2.5]}}"#.utf8))
            Issue.record("accepted a fraction")
        } catch {
            #expect(error.kind == .restriction)
            #expect(error.path == "$.a.b[1]")
        }
    }

    @Test func rejectsWhatIsNotStrictJSON() {
        let cases: [(String, JSONParseError.Kind)] = [
            ("", .syntax), ("{", .syntax), ("{\"a\":1,}", .syntax), ("[1,]", .syntax), ("01", .syntax), ("tru", .syntax),
            ("{\"a\":1} x", .syntax), ("\"\\ud800\"", .syntax), ("\"\\udc00\"", .syntax), ("\"a\u{01}\"", .syntax),
            ("\"\\x\"", .syntax), ("{'a':1}", .syntax), ("\u{FEFF}{}", .syntax),
            ("{\"a\":1,\"a\":2}", .restriction),
        ]
        for (text, kind) in cases {
            do {
                _ = try CanonicalJSON.parse(Data(text.utf8))
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.kind == kind, "\(text)")
            }
        }
        // Invalid UTF-8 inside a string.
        #expect(throws: JSONParseError.self) { try CanonicalJSON.parse(Data([0x22, 0xC3, 0x28, 0x22])) }
        // Nesting deeper than the limit.
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONParseError.self) { try CanonicalJSON.parse(Data(deep.utf8)) }
    }

    @Test func duplicateKeyNamesItsPath() {
        do {
            _ = try CanonicalJSON.parse(Data(#"{"payload": {"answers": {"2.1.1-B1": 1, "2.1.1-B1": 2}}}"#.utf8))
            Issue.record("accepted a duplicate key")
        } catch {
            #expect(error.path == #"$.payload.answers["2.1.1-B1"]"#)
            #expect(error.kind == .restriction)
        }
    }

    @Test func canonicallyEquivalentTextsStayDistinctBytes() throws {
        // "é" precomposed and decomposed are equal as Swift Strings but must not compare equal when signing.
        let composed = JSONValue.string("\u{E9}")
        let decomposed = JSONValue.string("e\u{301}")
        #expect(CanonicalJSON.serialize(composed) != CanonicalJSON.serialize(decomposed))
        #expect(CanonicalJSON.firstDifference(composed, decomposed) == [])
    }

    @Test func jsonEncoderOutputIsStableThroughTheCanonicaliser() throws {
        let package = SubmissionFixtures.package()
        let first = try package.canonicalData()
        for _ in 0..<20 {
            #expect(try package.canonicalData() == first)
        }
        // Decoding and re-encoding gives the same bytes again.
        let decoded = try JSONDecoder().decode(SubmissionPackage.self, from: first)
        #expect(decoded == package)
        #expect(try decoded.canonicalData() == first)
        // Pretty-printed or reordered input canonicalises to the same bytes.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted]
        let pretty = try encoder.encode(package)
        #expect(CanonicalJSON.serialize(try CanonicalJSON.parse(pretty)) == first)
    }

    /// A random JSON value from a seed: nested objects and arrays, every scalar kind, texts with any scalar.
    static func randomValue(_ random: inout SeededRandom, depth: Int = 0) -> JSONValue {
        let choice = depth > 3 ? random.below(4) : random.below(6)
        switch choice {
        case 0: return .null
        case 1: return .bool(random.below(2) == 0)
        case 2: return .integer(Int64(bitPattern: random.next()) >> random.below(64))
        case 3: return .string(randomText(&random))
        case 4: return .array((0..<random.below(5)).map { _ in randomValue(&random, depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<random.below(6) { members[randomText(&random)] = randomValue(&random, depth: depth + 1) }
            return .object(members)
        }
    }

    static func randomText(_ random: inout SeededRandom) -> String {
        let pools: [ClosedRange<UInt32>] = [0...0x7F, 0x80...0x7FF, 0x3040...0x30FF, 0x4E00...0x9FFF, 0x1F600...0x1F64F]
        var text = ""
        for _ in 0..<random.below(8) {
            let pool = pools[random.below(pools.count)]
            if let scalar = Unicode.Scalar(pool.lowerBound + UInt32(random.below(Int(pool.upperBound - pool.lowerBound) + 1))) {
                text.unicodeScalars.append(scalar)
            }
        }
        return text
    }

    @Test func roundTripIsIdentity() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var random = SeededRandom(seed: seed)
            let value = Self.randomValue(&random)
            let bytes = CanonicalJSON.serialize(value)
            let parsed = try CanonicalJSON.parse(bytes)
            #expect(CanonicalJSON.firstDifference(parsed, value) == nil)
            #expect(CanonicalJSON.serialize(parsed) == bytes)
        }
    }
}
