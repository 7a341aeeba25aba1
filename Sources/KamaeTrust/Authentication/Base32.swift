/// RFC 4648 §6 Base32, the encoding authenticator apps expect for TOTP secrets.
///
/// Encoding emits the uppercase alphabet without `=` padding, as the otpauth URI
/// format asks. Decoding accepts what people paste or type from a screen:
/// lowercase letters, spaces and trailing padding.
public enum Base32 {
    public enum DecodingError: Error, Sendable, Hashable {
        /// A character outside the RFC 4648 alphabet (after case folding).
        case invalidCharacter(Character)
        /// `=` followed by something other than more padding or spaces.
        case misplacedPadding
        /// A count of symbols no byte string encodes to (1, 3 or 6 left over after groups of 8).
        case invalidLength(symbolCount: Int)
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bitsInBuffer = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bitsInBuffer += 8
            while bitsInBuffer >= 5 {
                bitsInBuffer -= 5
                output.append(alphabet[Int((buffer >> UInt32(bitsInBuffer)) & 0x1F)])
            }
        }
        if bitsInBuffer > 0 {
            // The last symbol carries the remaining bits, zero-filled on the right.
            output.append(alphabet[Int((buffer << UInt32(5 - bitsInBuffer)) & 0x1F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    public static func decode(_ text: String) throws(DecodingError) -> [UInt8] {
        var values: [UInt8] = []
        var sawPadding = false
        for character in text {
            if character.isWhitespace { continue }
            if character == "=" {
                sawPadding = true
                continue
            }
            if sawPadding { throw .misplacedPadding }
            guard let value = symbolValue(character) else { throw .invalidCharacter(character) }
            values.append(value)
        }
        // 8 symbols hold 5 bytes; a partial group of 1, 3 or 6 symbols cannot end on a byte boundary.
        guard ![1, 3, 6].contains(values.count % 8) else {
            throw .invalidLength(symbolCount: values.count)
        }
        var output: [UInt8] = []
        output.reserveCapacity(values.count * 5 / 8)
        var buffer: UInt32 = 0
        var bitsInBuffer = 0
        for value in values {
            buffer = (buffer << 5) | UInt32(value)
            bitsInBuffer += 5
            if bitsInBuffer >= 8 {
                bitsInBuffer -= 8
                output.append(UInt8((buffer >> UInt32(bitsInBuffer)) & 0xFF))
            }
        }
        return output
    }

    private static func symbolValue(_ character: Character) -> UInt8? {
        guard let ascii = character.asciiValue else { return nil }
        switch ascii {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return ascii - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return ascii - UInt8(ascii: "a")
        case UInt8(ascii: "2")...UInt8(ascii: "7"): return ascii - UInt8(ascii: "2") + 26
        default: return nil
        }
    }
}
