import Foundation

/// A forward-only JSON reader over UTF-8 bytes for the hot ingest path (hundreds of thousands of OSV records):
/// the caller pulls only the values it needs and everything else is skipped without building a tree.
/// It keeps the JSON path of the value being read so that every error says where it happened.
/// Every byte access is bounds-checked: truncated or garbage input ends in a thrown `Failure`, never a crash.
struct JSONScanner {
    /// A syntax or type error at a JSON path such as `$.affected[0].ranges[1].events`.
    struct Failure: Error, Equatable {
        let path: String
        let reason: String
    }

    /// The kind of the next value, to branch on without consuming it.
    enum ValueKind { case object, array, string, number, bool, null }

    /// An object key as bytes of the input; compared against literals without allocating a String.
    struct Key {
        fileprivate let raw: UnsafeBufferPointer<UInt8>
        fileprivate let hasEscapes: Bool

        static func == (key: Key, literal: StaticString) -> Bool {
            guard !key.hasEscapes else { return key.decoded == literal.description }
            guard key.raw.count == literal.utf8CodeUnitCount else { return false }
            for index in 0..<key.raw.count where key.raw[index] != literal.utf8Start[index] {
                return false
            }
            return true
        }

        var decoded: String {
            guard hasEscapes else { return String(decoding: raw, as: UTF8.self) }
            return (try? JSONScanner.unescape(raw)) ?? String(decoding: raw, as: UTF8.self)
        }
    }

    private enum Step {
        /// Inside an object; `key` is nil before the first member.
        case member(key: UnsafeBufferPointer<UInt8>?)
        /// Inside an array; `index` is -1 before the first element.
        case element(index: Int)
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var offset = 0
    private var path: [Step] = []

    /// Deep nesting in garbage input must not exhaust the stack of callers that recurse.
    static let maximumDepth = 256

    /// Runs `body` with a scanner over `data`; the scanner must not escape the closure.
    static func scan<T>(_ data: some ContiguousBytes, _ body: (inout JSONScanner) throws -> T) throws -> T {
        try data.withUnsafeBytes { raw in
            var scanner = JSONScanner(bytes: raw.bindMemory(to: UInt8.self))
            return try body(&scanner)
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        path.reserveCapacity(12)
    }

    // MARK: Structure

    mutating func peekKind() throws -> ValueKind {
        skipWhitespace()
        switch byte(at: offset) {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw syntaxFailure(offset >= bytes.count ? "unexpected end of input" : "expected a JSON value")
        }
    }

    /// Consumes `{`; follow with `nextKey()` until it returns nil.
    mutating func beginObject() throws {
        try expectStart(UInt8(ascii: "{"), "an object")
        path.append(.member(key: nil))
    }

    /// The next member's key with the scanner placed at its value, or nil after consuming the closing `}`.
    mutating func nextKey() throws -> Key? {
        guard case let .member(previous)? = path.last else { throw syntaxFailure("not inside an object") }
        skipWhitespace()
        if byte(at: offset) == UInt8(ascii: "}") {
            offset += 1
            path.removeLast()
            return nil
        }
        if previous != nil {
            guard byte(at: offset) == UInt8(ascii: ",") else { throw syntaxFailure("expected ',' or '}'") }
            offset += 1
            skipWhitespace()
        }
        guard byte(at: offset) == UInt8(ascii: "\"") else { throw syntaxFailure("expected a key in quotes") }
        let (raw, hasEscapes) = try scanStringBytes()
        path[path.count - 1] = .member(key: raw)
        skipWhitespace()
        guard byte(at: offset) == UInt8(ascii: ":") else { throw syntaxFailure("expected ':' after a key") }
        offset += 1
        return Key(raw: raw, hasEscapes: hasEscapes)
    }

    /// Consumes `[`; follow with `nextElement()` until it returns false.
    mutating func beginArray() throws {
        try expectStart(UInt8(ascii: "["), "an array")
        path.append(.element(index: -1))
    }

    /// Whether another element follows (the scanner is then at it); consumes the closing `]` otherwise.
    mutating func nextElement() throws -> Bool {
        guard case let .element(index)? = path.last else { throw syntaxFailure("not inside an array") }
        skipWhitespace()
        if byte(at: offset) == UInt8(ascii: "]") {
            offset += 1
            path.removeLast()
            return false
        }
        if index >= 0 {
            guard byte(at: offset) == UInt8(ascii: ",") else { throw syntaxFailure("expected ',' or ']'") }
            offset += 1
        }
        path[path.count - 1] = .element(index: index + 1)
        return true
    }

    /// After the top-level value only whitespace may follow.
    mutating func expectEnd() throws {
        skipWhitespace()
        guard offset >= bytes.count else { throw syntaxFailure("unexpected content after the JSON value") }
    }

    // MARK: Values

    mutating func readString() throws -> String {
        skipWhitespace()
        guard byte(at: offset) == UInt8(ascii: "\"") else { throw typeFailure("expected a string") }
        let (raw, hasEscapes) = try scanStringBytes()
        if !hasEscapes { return String(decoding: raw, as: UTF8.self) }
        do {
            return try Self.unescape(raw)
        } catch let reason as EscapeError {
            throw failure(reason.message)
        }
    }

    /// A string, or nil for `null`; other types are an error.
    mutating func readOptionalString() throws -> String? {
        if try peekKind() == .null {
            try skipValue()
            return nil
        }
        return try readString()
    }

    /// An array of strings (`null` reads as empty).
    mutating func readStringArray() throws -> [String] {
        if try peekKind() == .null {
            try skipValue()
            return []
        }
        var values: [String] = []
        try beginArray()
        while try nextElement() {
            values.append(try readString())
        }
        return values
    }

    /// Skips one whole value of any kind, validating its structure without recursion.
    mutating func skipValue() throws {
        // Whether each open container is an object, innermost last; decides whether a key follows a comma.
        var containers: [Bool] = []
        var expectingValue = true
        repeat {
            skipWhitespace()
            let current = byte(at: offset)
            if expectingValue {
                switch current {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard path.count + containers.count < Self.maximumDepth else { throw syntaxFailure("nested too deeply") }
                    offset += 1
                    let isObject = current == UInt8(ascii: "{")
                    skipWhitespace()
                    if byte(at: offset) == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                        offset += 1
                        expectingValue = false
                    } else {
                        containers.append(isObject)
                        if isObject { try skipKeyAndColon() }
                    }
                    continue
                case UInt8(ascii: "\""):
                    _ = try scanStringBytes()
                case UInt8(ascii: "t"): try expectLiteral("true")
                case UInt8(ascii: "f"): try expectLiteral("false")
                case UInt8(ascii: "n"): try expectLiteral("null")
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
                default: throw syntaxFailure(offset >= bytes.count ? "unexpected end of input" : "expected a JSON value")
                }
                expectingValue = false
            } else {
                guard let isObject = containers.last else { return }
                switch current {
                case UInt8(ascii: ","):
                    offset += 1
                    expectingValue = true
                    if isObject { try skipKeyAndColon() }
                case UInt8(ascii: "}") where isObject, UInt8(ascii: "]") where !isObject:
                    offset += 1
                    containers.removeLast()
                default:
                    throw syntaxFailure(offset >= bytes.count ? "unexpected end of input" : "expected ',' or a closing bracket")
                }
            }
        } while !containers.isEmpty || expectingValue
    }

    /// A failure at the current path, for values of the wrong type or meaning.
    func failure(_ reason: String) -> Failure {
        Failure(path: renderedPath(), reason: reason)
    }

    // MARK: Internals

    private func byte(at index: Int) -> UInt8 {
        index < bytes.count ? bytes[index] : 0
    }

    private mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): offset += 1
            default: return
            }
        }
    }

    private mutating func expectStart(_ opener: UInt8, _ what: String) throws {
        skipWhitespace()
        guard byte(at: offset) == opener else { throw typeFailure("expected \(what)") }
        guard path.count < Self.maximumDepth else { throw syntaxFailure("nested too deeply") }
        offset += 1
    }

    private mutating func expectLiteral(_ literal: StaticString) throws {
        let count = literal.utf8CodeUnitCount
        guard offset + count <= bytes.count else { throw syntaxFailure("unexpected end of input") }
        for index in 0..<count where bytes[offset + index] != literal.utf8Start[index] {
            throw syntaxFailure("expected a JSON value")
        }
        offset += count
    }

    private mutating func skipNumber() throws {
        let start = offset
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                 UInt8(ascii: "e"), UInt8(ascii: "E"):
                offset += 1
            default:
                guard offset > start else { throw syntaxFailure("expected a number") }
                return
            }
        }
    }

    private mutating func skipKeyAndColon() throws {
        skipWhitespace()
        guard byte(at: offset) == UInt8(ascii: "\"") else { throw syntaxFailure("expected a key in quotes") }
        _ = try scanStringBytes()
        skipWhitespace()
        guard byte(at: offset) == UInt8(ascii: ":") else { throw syntaxFailure("expected ':' after a key") }
        offset += 1
    }

    /// Consumes a string starting at the opening quote; returns the bytes between the quotes.
    private mutating func scanStringBytes() throws -> (UnsafeBufferPointer<UInt8>, Bool) {
        offset += 1
        let start = offset
        var hasEscapes = false
        while offset < bytes.count {
            let current = bytes[offset]
            if current == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<offset])
                offset += 1
                return (raw, hasEscapes)
            }
            if current == UInt8(ascii: "\\") {
                hasEscapes = true
                offset += 2
                continue
            }
            if current < 0x20 { throw syntaxFailure("control character inside a string") }
            offset += 1
        }
        throw syntaxFailure("unterminated string")
    }

    private struct EscapeError: Error { let message: String }

    /// Decodes JSON escapes, including UTF-16 surrogate pairs in `\u` escapes.
    fileprivate static func unescape(_ raw: UnsafeBufferPointer<UInt8>) throws -> String {
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        var index = 0
        func hex4(at position: Int) throws -> UInt32 {
            guard position + 4 <= raw.count else { throw EscapeError(message: "truncated \\u escape") }
            var value: UInt32 = 0
            for offset in position..<position + 4 {
                let digit: UInt32
                switch raw[offset] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(raw[offset] - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(raw[offset] - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(raw[offset] - UInt8(ascii: "A") + 10)
                default: throw EscapeError(message: "invalid \\u escape")
                }
                value = value << 4 | digit
            }
            return value
        }
        while index < raw.count {
            let current = raw[index]
            guard current == UInt8(ascii: "\\") else {
                output.append(current)
                index += 1
                continue
            }
            guard index + 1 < raw.count else { throw EscapeError(message: "truncated escape") }
            let escaped = raw[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escaped)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalarValue = try hex4(at: index)
                index += 4
                if (0xD800...0xDBFF).contains(scalarValue), index + 6 <= raw.count,
                   raw[index] == UInt8(ascii: "\\"), raw[index + 1] == UInt8(ascii: "u") {
                    let low = try hex4(at: index + 2)
                    if (0xDC00...0xDFFF).contains(low) {
                        scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
                let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
                output.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                throw EscapeError(message: "invalid escape \\\(Character(Unicode.Scalar(escaped)))")
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private func syntaxFailure(_ reason: String) -> Failure {
        Failure(path: renderedPath(), reason: "\(reason) (byte \(offset))")
    }

    /// A value of the wrong kind; at the end of the input the honest reason is that the input stops.
    private func typeFailure(_ reason: String) -> Failure {
        offset >= bytes.count ? syntaxFailure("unexpected end of input") : Failure(path: renderedPath(), reason: reason)
    }

    private func renderedPath() -> String {
        var rendered = "$"
        for step in path {
            switch step {
            case let .member(key?): rendered += "." + String(decoding: key, as: UTF8.self)
            case .member(nil): break
            case let .element(index) where index >= 0: rendered += "[\(index)]"
            case .element: break
            }
        }
        return rendered
    }
}
