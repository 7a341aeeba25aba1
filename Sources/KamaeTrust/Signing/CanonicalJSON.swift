import Foundation

/// A JSON value as the submission format allows it: integers only (no floating point), no duplicate keys.
///
/// Canonical form (what is signed and digested) is produced by `CanonicalJSON.serialize`:
/// - object keys sorted by their UTF-8 bytes, each key once;
/// - no whitespace between tokens;
/// - strings as UTF-8, escaping only `"`, `\` and control characters below U+0020
///   (`\b \f \n \r \t` in short form, others as `\u00xx` in lower case); `/` and non-ASCII are written as they are;
/// - numbers as integers in decimal, without sign for zero, leading zeros or exponent. The format carries no
///   floating-point values at all: rates travel as exact integer pairs (halves over applicable items).
/// The same value therefore always gives the same bytes, on every platform and Foundation version.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public subscript(key: String) -> JSONValue? {
        if case let .object(members) = self { return members[key] }
        return nil
    }
}

/// One step in a JSON path: an object key or an array index.
public enum JSONPathComponent: Sendable, Hashable {
    case key(String)
    case index(Int)
}

/// Renders a path as `$.payload.answers["2.1.1-B1"].status` (keys that are not plain identifiers are bracketed).
public enum JSONPath {
    public static func render(_ components: [JSONPathComponent]) -> String {
        var text = "$"
        for component in components {
            switch component {
            case let .index(index):
                text += "[\(index)]"
            case let .key(key):
                if isIdentifier(key) {
                    text += ".\(key)"
                } else {
                    text += "[\"" + key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"]"
                }
            }
        }
        return text
    }

    static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return key.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}

/// Why bytes could not be read as submission JSON.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Not JSON at all (RFC 8259 grammar or UTF-8 broken).
        case syntax
        /// JSON, but outside what the format allows (duplicate key, non-integer number, nesting too deep).
        case restriction
    }

    public var kind: Kind
    /// Byte offset where the problem was found.
    public var offset: Int
    /// The JSON path of the value being read.
    public var path: String
    public var reason: String

    public var description: String { "\(path) (byte \(offset)): \(reason)" }
}

public enum CanonicalJSON {
    public static let maximumDepth = 64

    // MARK: Serialising

    public static func serialize(_ value: JSONValue) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(value, into: &out)
        return Data(out)
    }

    private static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out += Array("null".utf8)
        case let .bool(flag): out += Array((flag ? "true" : "false").utf8)
        case let .integer(number): out += Array(String(number).utf8)
        case let .string(text): writeString(text, into: &out)
        case let .array(elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case let .object(members):
            out.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for (index, key) in keys.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(members[key]!, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                out += Array("\\u00".utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Canonical bytes of any `Encodable`: encoded with `JSONEncoder`, read back strictly, then serialised canonically.
    public static func canonicalData(of value: some Encodable) throws -> Data {
        serialize(try jsonValue(of: value))
    }

    public static func jsonValue(of value: some Encodable) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try parse(try encoder.encode(value))
    }

    // MARK: Parsing

    /// Reads RFC 8259 JSON strictly: UTF-8 only, no duplicate keys, integers only, at most `maximumDepth` levels.
    public static func parse(_ data: Data) throws(JSONParseError) -> JSONValue {
        var parser = Parser(bytes: [UInt8](data))
        return try parser.parseDocument()
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0
        var path: [JSONPathComponent] = []

        init(bytes: [UInt8]) { self.bytes = bytes }

        func fail(_ reason: String, _ kind: JSONParseError.Kind = .syntax) -> JSONParseError {
            JSONParseError(kind: kind, offset: position, path: JSONPath.render(path), reason: reason)
        }

        mutating func parseDocument() throws(JSONParseError) -> JSONValue {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { throw fail("a byte-order mark is not allowed") }
            skipWhitespace()
            let value = try parseValue(depth: 0)
            skipWhitespace()
            if position != bytes.count { throw fail("unexpected data after the JSON value") }
            return value
        }

        mutating func skipWhitespace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
            guard depth <= CanonicalJSON.maximumDepth else { throw fail("nested more than \(CanonicalJSON.maximumDepth) levels", .restriction) }
            guard position < bytes.count else { throw fail("unexpected end of data") }
            switch bytes[position] {
            case UInt8(ascii: "{"): return try parseObject(depth: depth)
            case UInt8(ascii: "["): return try parseArray(depth: depth)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
            case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
            case UInt8(ascii: "n"): try expectLiteral("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
            default: throw fail("unexpected character")
            }
        }

        mutating func expectLiteral(_ literal: String) throws(JSONParseError) {
            let expected = Array(literal.utf8)
            guard bytes.count - position >= expected.count, Array(bytes[position..<position + expected.count]) == expected else {
                throw fail("invalid literal")
            }
            position += expected.count
        }

        mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
            position += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw fail("expected a key in quotes") }
                let keyStart = position
                let key = try parseString()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
                position += 1
                skipWhitespace()
                path.append(.key(key))
                if members[key] != nil {
                    position = keyStart
                    throw fail("duplicate key", .restriction)
                }
                members[key] = try parseValue(depth: depth + 1)
                path.removeLast()
                skipWhitespace()
                guard position < bytes.count else { throw fail("unexpected end of data in an object") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
                throw fail("expected ',' or '}'")
            }
        }

        mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
            position += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                path.append(.index(elements.count))
                elements.append(try parseValue(depth: depth + 1))
                path.removeLast()
                skipWhitespace()
                guard position < bytes.count else { throw fail("unexpected end of data in an array") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
                throw fail("expected ',' or ']'")
            }
        }

        mutating func parseNumber() throws(JSONParseError) -> JSONValue {
            let start = position
            if bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else { throw fail("invalid number") }
            if bytes[position] == UInt8(ascii: "0"), position + 1 < bytes.count, isDigit(bytes[position + 1]) {
                throw fail("leading zeros are not allowed")
            }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            var isInteger = true
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                isInteger = false
                position += 1
                guard position < bytes.count, isDigit(bytes[position]) else { throw fail("invalid number") }
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
                isInteger = false
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
                guard position < bytes.count, isDigit(bytes[position]) else { throw fail("invalid number") }
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            guard isInteger else {
                position = start
                throw fail("only integers are allowed (\(text))", .restriction)
            }
            guard let number = Int64(text) else {
                position = start
                throw fail("integer out of range (\(text))", .restriction)
            }
            return .integer(number)
        }

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        mutating func parseString() throws(JSONParseError) -> String {
            position += 1
            var buffer: [UInt8] = []
            while true {
                guard position < bytes.count else { throw fail("unterminated string") }
                let byte = bytes[position]
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    guard let text = String(bytes: buffer, encoding: .utf8) else { throw fail("invalid UTF-8 in a string") }
                    return text
                case UInt8(ascii: "\\"):
                    position += 1
                    guard position < bytes.count else { throw fail("unterminated escape") }
                    let escaped = bytes[position]
                    position += 1
                    switch escaped {
                    case UInt8(ascii: "\""): buffer.append(0x22)
                    case UInt8(ascii: "\\"): buffer.append(0x5C)
                    case UInt8(ascii: "/"): buffer.append(0x2F)
                    case UInt8(ascii: "b"): buffer.append(0x08)
                    case UInt8(ascii: "f"): buffer.append(0x0C)
                    case UInt8(ascii: "n"): buffer.append(0x0A)
                    case UInt8(ascii: "r"): buffer.append(0x0D)
                    case UInt8(ascii: "t"): buffer.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalarValue = try hex4()
                        if (0xD800...0xDBFF).contains(scalarValue) {
                            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                                throw fail("unpaired surrogate")
                            }
                            position += 2
                            let low = try hex4()
                            guard (0xDC00...0xDFFF).contains(low) else { throw fail("unpaired surrogate") }
                            scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
                        } else if (0xDC00...0xDFFF).contains(scalarValue) {
                            throw fail("unpaired surrogate")
                        }
                        guard let scalar = Unicode.Scalar(scalarValue) else { throw fail("invalid \\u escape") }
                        buffer += Array(String(Character(scalar)).utf8)
                    default:
                        throw fail("invalid escape")
                    }
                case 0..<0x20:
                    throw fail("control character in a string")
                default:
                    buffer.append(byte)
                    position += 1
                }
            }
        }

        mutating func hex4() throws(JSONParseError) -> UInt32 {
            guard bytes.count - position >= 4 else { throw fail("invalid \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw fail("invalid \\u escape")
                }
                value = value << 4 | digit
                position += 1
            }
            return value
        }
    }

    // MARK: Comparing

    /// The path of the first place where two values differ (keys in canonical order), or nil when they are equal.
    public static func firstDifference(_ lhs: JSONValue, _ rhs: JSONValue) -> [JSONPathComponent]? {
        switch (lhs, rhs) {
        case let (.object(left), .object(right)):
            let keys = Set(left.keys).union(right.keys).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for key in keys {
                guard let l = left[key], let r = right[key] else { return [.key(key)] }
                if let inner = firstDifference(l, r) { return [.key(key)] + inner }
            }
            return nil
        case let (.array(left), .array(right)):
            for index in 0..<max(left.count, right.count) {
                guard index < left.count, index < right.count else { return [.index(index)] }
                if let inner = firstDifference(left[index], right[index]) { return [.index(index)] + inner }
            }
            return nil
        case let (.string(left), .string(right)):
            // Byte comparison: Swift's String equality would call canonically equivalent texts equal.
            return Array(left.utf8) == Array(right.utf8) ? nil : []
        default:
            return lhs == rhs ? nil : []
        }
    }
}
