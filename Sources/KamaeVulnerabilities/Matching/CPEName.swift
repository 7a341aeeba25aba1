/// A CPE 2.3 name (NISTIR 7695 formatted string `cpe:2.3:part:vendor:product:version:…`, 11 attributes), also
/// read from the older 2.2 URI form `cpe:/part:vendor:product:version`. Attribute values are kept unescaped and
/// lower case, as CPE comparison is case-insensitive.
public struct CPEName: Sendable, Hashable, CustomStringConvertible {
    /// One attribute: ANY (`*`), NA (`-`), or a value that may hold the wildcards `*` and `?` at either end.
    public enum Attribute: Sendable, Hashable {
        case any
        case notApplicable
        case value(CPEValue)
    }

    /// part, vendor, product, version, update, edition, language, sw_edition, target_sw, target_hw, other.
    public var attributes: [Attribute]

    public var part: Attribute { attributes[0] }
    public var vendor: Attribute { attributes[1] }
    public var product: Attribute { attributes[2] }
    public var version: Attribute { attributes[3] }

    public init(parsing text: String) throws(CPEError) {
        let trimmed = String(text.trimmingWhitespace())
        if trimmed.lowercased().hasPrefix("cpe:2.3:") {
            attributes = try Self.formattedString(trimmed)
        } else if trimmed.lowercased().hasPrefix("cpe:/") {
            attributes = try Self.uri(trimmed)
        } else {
            throw .notACPE(text)
        }
        if case let .value(part) = attributes[0], !["a", "o", "h"].contains(part.text) {
            throw .invalidPart(part.text)
        }
    }

    public var description: String {
        "cpe:2.3:" + attributes.map { attribute in
            switch attribute {
            case .any: "*"
            case .notApplicable: "-"
            case let .value(value): value.formatted
            }
        }.joined(separator: ":")
    }

    /// The version as a plain string when it is a concrete value without wildcards.
    public var concreteVersion: String? {
        if case let .value(value) = version, !value.hasWildcards { return value.text }
        return nil
    }

    /// Whether every attribute of `self` (a criterion, such as NVD's) is a superset of or equal to the matching
    /// attribute of `target` (a component's name) — the CPE name-matching relations SUPERSET or EQUAL.
    public func matches(_ target: CPEName) -> Bool {
        zip(attributes, target.attributes).allSatisfy { source, target in
            switch (source, target) {
            case (.any, _): true
            case (.notApplicable, .notApplicable): true
            case (.notApplicable, _): false
            case (.value, .any), (.value, .notApplicable): false
            case let (.value(pattern), .value(value)): !value.hasWildcards && pattern.matches(value.text)
            }
        }
    }

    // MARK: Parsing

    private static func formattedString(_ text: String) throws(CPEError) -> [Attribute] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in text.dropFirst("cpe:2.3:".count) {
            if escaped {
                current.append("\\")
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        guard !escaped else { throw .invalidEscape(text) }
        fields.append(current)
        guard fields.count == 11 else { throw .wrongAttributeCount(text, count: fields.count) }
        return try fields.map { field throws(CPEError) -> Attribute in
            switch field {
            case "*": return .any
            case "-": return .notApplicable
            case "": throw .emptyAttribute(text)
            default: return .value(try CPEValue(formatted: field.lowercased(), in: text))
            }
        }
    }

    private static func uri(_ text: String) throws(CPEError) -> [Attribute] {
        var fields = text.dropFirst("cpe:/".count).split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard fields.count <= 7, !fields.isEmpty else { throw .wrongAttributeCount(text, count: fields.count) }
        // The 2.2 edition may pack the 2.3 extended attributes as ~edition~sw_edition~target_sw~target_hw~other.
        var extended: [String] = []
        if fields.count >= 6, fields[5].hasPrefix("~") {
            extended = fields[5].split(separator: "~", omittingEmptySubsequences: false).dropFirst().map(String.init)
            fields[5] = extended.first ?? ""
            extended = Array(extended.dropFirst())
        }
        while fields.count < 7 { fields.append("") }
        let ordered = Array(fields[0..<7]) + (extended + Array(repeating: "", count: 4)).prefix(4)
        return try ordered.map { field throws(CPEError) -> Attribute in
            switch field {
            case "", "*": return .any
            case "-": return .notApplicable
            default:
                guard let decoded = field.removingPercentEncoding else { throw .invalidEscape(text) }
                return .value(CPEValue(text: decoded.lowercased()))
            }
        }
    }
}

/// A CPE attribute value: literal text with optional leading/trailing wildcards (`*` any run, `?` one character).
public struct CPEValue: Sendable, Hashable {
    /// The unescaped text without the unquoted wildcards at its ends.
    public let text: String
    let leadingAny: Bool, trailingAny: Bool
    let leadingSingles: Int, trailingSingles: Int

    var hasWildcards: Bool { leadingAny || trailingAny || leadingSingles > 0 || trailingSingles > 0 }

    init(text: String) {
        self.text = text
        leadingAny = false
        trailingAny = false
        leadingSingles = 0
        trailingSingles = 0
    }

    /// Reads a formatted-string value: `\` quotes the next character; unquoted `*`/`?` are wildcards and only
    /// allowed at the ends.
    init(formatted: String, in name: String) throws(CPEError) {
        var characters = Array(formatted)[...]
        var leadingAny = false, trailingAny = false, leadingSingles = 0, trailingSingles = 0
        if characters.first == "*" {
            leadingAny = true
            characters.removeFirst()
        }
        while characters.first == "?" {
            leadingSingles += 1
            characters.removeFirst()
        }
        // Trailing wildcards are unquoted only if not preceded by an odd run of backslashes.
        func isQuoted(_ index: Int) -> Bool {
            var backslashes = 0
            var probe = index - 1
            while probe >= characters.startIndex, characters[probe] == "\\" {
                backslashes += 1
                probe -= 1
            }
            return backslashes % 2 == 1
        }
        if let last = characters.indices.last, characters[last] == "*", !isQuoted(last) {
            trailingAny = true
            characters.removeLast()
        }
        while let last = characters.indices.last, characters[last] == "?", !isQuoted(last) {
            trailingSingles += 1
            characters.removeLast()
        }
        var text = ""
        var escaped = false
        for character in characters {
            if escaped {
                text.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "*" || character == "?" {
                throw .misplacedWildcard(name)
            } else {
                text.append(character)
            }
        }
        self.text = text
        self.leadingAny = leadingAny
        self.trailingAny = trailingAny
        self.leadingSingles = leadingSingles
        self.trailingSingles = trailingSingles
    }

    var formatted: String {
        // A lone `-` would read back as NA, so it is quoted like any other special value.
        if text == "-" && !hasWildcards { return "\\-" }
        var body = ""
        for character in text {
            // The formatted-string binding quotes every character but letters, digits, `_`, `-` and `.`.
            if !(character.isLetter || character.isNumber || "_-.".contains(character)) { body.append("\\") }
            body.append(character)
        }
        return (leadingAny ? "*" : "") + String(repeating: "?", count: leadingSingles) + body
            + String(repeating: "?", count: trailingSingles) + (trailingAny ? "*" : "")
    }

    /// Whether a concrete value fits this (possibly wildcarded) pattern.
    func matches(_ value: String) -> Bool {
        guard hasWildcards else { return text == value }
        let characters = Array(value)
        let core = Array(text)
        let fixed = leadingSingles + core.count + trailingSingles
        guard characters.count >= fixed else { return false }
        if !leadingAny && !trailingAny && characters.count != fixed { return false }
        // Try every placement of the literal core that the wildcards allow.
        let extra = characters.count - fixed
        let starts: [Int] = switch (leadingAny, trailingAny) {
        case (false, _): [leadingSingles]
        case (true, false): [leadingSingles + extra]
        case (true, true): Array(leadingSingles...(leadingSingles + extra))
        }
        return starts.contains { start in
            start + core.count <= characters.count && Array(characters[start..<(start + core.count)]) == core
        }
    }
}

/// Why a CPE string could not be parsed.
public enum CPEError: Error, Sendable, Equatable, CustomStringConvertible {
    case notACPE(String)
    case wrongAttributeCount(String, count: Int)
    case emptyAttribute(String)
    case invalidEscape(String)
    case misplacedWildcard(String)
    case invalidPart(String)

    public var description: String {
        switch self {
        case let .notACPE(text): "\"\(text)\" is not a CPE name (expected cpe:2.3:… or cpe:/…)"
        case let .wrongAttributeCount(text, count): "\"\(text)\" has \(count) attributes; CPE 2.3 has 11"
        case let .emptyAttribute(text): "\"\(text)\" has an empty attribute (use * for ANY or - for NA)"
        case let .invalidEscape(text): "\"\(text)\" ends in an incomplete escape"
        case let .misplacedWildcard(text): "\"\(text)\" has a wildcard inside a value (only allowed at either end)"
        case let .invalidPart(part): "CPE part \"\(part)\" is not a (application), o (operating system) or h (hardware)"
        }
    }
}
