/// A piece of HTML built from typed values. Every text and every attribute value is escaped when rendered,
/// and URL attributes refuse script schemes, so data from users can never become markup.
public struct HTML: Sendable {
    enum Storage: Sendable {
        case element(name: String, attributes: [Attribute], children: [HTML])
        case void(name: String, attributes: [Attribute])
        case text(String)
        case trusted(String)
        case fragment([HTML])
    }

    let storage: Storage

    init(_ storage: Storage) {
        self.storage = storage
    }

    /// Escaped text.
    public static func text(_ value: String) -> HTML { HTML(.text(value)) }

    /// Markup written by Kamae's own code (never user data), such as the doctype.
    public static func trusted(_ literal: StaticString) -> HTML { HTML(.trusted("\(literal)")) }

    public static func fragment(_ children: [HTML]) -> HTML { HTML(.fragment(children)) }

    public static let empty = HTML(.fragment([]))

    public func render() -> String {
        var output = ""
        output.reserveCapacity(4096)
        render(into: &output)
        return output
    }

    public func render(into output: inout String) {
        switch storage {
        case let .text(value):
            Escape.text(value, into: &output)
        case let .trusted(value):
            output += value
        case let .fragment(children):
            for child in children { child.render(into: &output) }
        case let .void(name, attributes):
            output += "<" + name
            for attribute in attributes { attribute.render(into: &output) }
            output += ">"
        case let .element(name, attributes, children):
            output += "<" + name
            for attribute in attributes { attribute.render(into: &output) }
            output += ">"
            for child in children { child.render(into: &output) }
            output += "</" + name + ">"
        }
    }
}

extension HTML: ExpressibleByStringInterpolation {
    public init(stringLiteral value: String) {
        self = .text(value)
    }
}

/// One attribute; names are checked, values are always escaped.
public struct Attribute: Sendable {
    let name: String
    /// nil renders a boolean attribute (`checked`, `required`).
    let value: String?

    public init(_ name: String, _ value: String?) {
        precondition(Attribute.isValidName(name), "invalid attribute name")
        // Names are nearly always lower case already; lower-casing every attribute of every page costs more than the look-up.
        let lowerName = name.utf8.contains { $0 >= 0x41 && $0 <= 0x5A } ? name.lowercased() : name
        if let value, Attribute.urlAttributes.contains(lowerName) {
            self.value = SafeURL.sanitize(value)
        } else {
            self.value = value
        }
        self.name = name
    }

    static let urlAttributes: Set<String> = ["href", "src", "action", "formaction", "xlink:href", "poster", "cite"]

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2D || byte == 0x5F || byte == 0x3A
        }
    }

    func render(into output: inout String) {
        output += " " + name
        if let value {
            output += "=\""
            Escape.attribute(value, into: &output)
            output += "\""
        }
    }
}

/// Only relative URLs and a few safe schemes may appear in links; anything else becomes a harmless anchor.
enum SafeURL {
    static let allowedSchemes: Set<String> = ["http", "https", "mailto"]

    static func sanitize(_ value: String) -> String {
        // Kamae's own links start with "/", "#" or "?" and cannot name a scheme: no need to look further. ("//host"
        // starts with "/" too and has no scheme either.)
        if let first = value.utf8.first, first == UInt8(ascii: "/") || first == UInt8(ascii: "#") || first == UInt8(ascii: "?") {
            return value
        }
        // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:"), so strip them before looking.
        let compact = String(String.UnicodeScalarView(value.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }))
        guard let colon = compact.firstIndex(of: ":") else { return value }
        let beforeColon = compact[..<colon]
        // A colon after '/', '?' or '#' belongs to the path or query, not to a scheme.
        if beforeColon.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { return value }
        return allowedSchemes.contains(beforeColon.lowercased()) ? value : "#"
    }
}

enum Escape {
    /// Most text has nothing to escape; appending it whole is much faster than scalar by scalar.
    private static func needsEscaping(_ value: String, attribute: Bool) -> Bool {
        value.utf8.contains { byte in
            byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || isControl(byte)
                || (attribute && (byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "`")))
        }
    }

    /// C0 control characters other than tab and line breaks are not allowed in XML (an exported SVG) and mean nothing
    /// in HTML: they are left out.
    private static func isControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F
    }

    static func text(_ value: String, into output: inout String) {
        guard needsEscaping(value, attribute: false) else {
            output += value
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            default: if !(scalar.isASCII && isControl(UInt8(scalar.value))) { output.unicodeScalars.append(scalar) }
            }
        }
    }

    static func attribute(_ value: String, into output: inout String) {
        guard needsEscaping(value, attribute: true) else {
            output += value
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            case "`": output += "&#96;"
            default: if !(scalar.isASCII && isControl(UInt8(scalar.value))) { output.unicodeScalars.append(scalar) }
            }
        }
    }
}
