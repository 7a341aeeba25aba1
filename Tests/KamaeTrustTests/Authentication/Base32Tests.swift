import PropertyBased
import Testing
@testable import KamaeTrust

struct Base32Tests {
    /// RFC 4648 §10 test vectors; the padded form is the RFC's, we emit it unpadded.
    static let rfc4648Vectors: [(plain: String, padded: String)] = [
        ("", ""),
        ("f", "MY======"),
        ("fo", "MZXQ===="),
        ("foo", "MZXW6==="),
        ("foob", "MZXW6YQ="),
        ("fooba", "MZXW6YTB"),
        ("foobar", "MZXW6YTBOI======"),
    ]

    @Test(arguments: rfc4648Vectors)
    func encodesRFC4648VectorsWithoutPadding(plain: String, padded: String) {
        let unpadded = padded.replacing("=", with: "")
        #expect(Base32.encode(Array(plain.utf8)) == unpadded)
    }

    @Test(arguments: rfc4648Vectors)
    func decodesRFC4648VectorsWithAndWithoutPadding(plain: String, padded: String) throws {
        #expect(try Base32.decode(padded) == Array(plain.utf8))
        #expect(try Base32.decode(padded.replacing("=", with: "")) == Array(plain.utf8))
    }

    @Test func decodingToleratesLowercaseAndSpaces() throws {
        #expect(try Base32.decode("mzxw 6ytb oi") == Array("foobar".utf8))
        #expect(try Base32.decode("  MzXw6YtBoI======  ") == Array("foobar".utf8))
    }

    @Test func decodesTheRFC6238SecretAsAppsShowIt() throws {
        #expect(try Base32.decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq") == Array("12345678901234567890".utf8))
    }

    @Test(arguments: [("MZXW1", Character("1")), ("MZ8W", "8"), ("MZ-W", "-"), ("ＭＹ", "Ｍ"), ("MY!", "!")])
    func rejectsCharactersOutsideTheAlphabet(text: String, offending: Character) {
        #expect(throws: Base32.DecodingError.invalidCharacter(offending)) { try Base32.decode(text) }
    }

    @Test func rejectsDataAfterPadding() {
        #expect(throws: Base32.DecodingError.misplacedPadding) { try Base32.decode("MY==MY") }
    }

    @Test(arguments: ["M", "MZX", "MZXW6Y", "MZXW6YTBM"])
    func rejectsSymbolCountsNoByteStringProduces(text: String) {
        #expect(throws: Base32.DecodingError.invalidLength(symbolCount: text.count)) { try Base32.decode(text) }
    }

    @Test func roundTripsArbitraryBytes() async {
        await propertyCheck(input: Gen<UInt8>.value(in: 0...255).array(of: 0...64)) { bytes throws in
            let encoded = Base32.encode(bytes)
            #expect(encoded.allSatisfy { "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".contains($0) })
            #expect(encoded.count == (bytes.count * 8 + 4) / 5)
            #expect(try Base32.decode(encoded) == bytes)
            #expect(try Base32.decode(encoded.lowercased()) == bytes)
        }
    }
}
