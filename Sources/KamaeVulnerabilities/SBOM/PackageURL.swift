/// A package URL (purl) as the package-url specification parses it:
/// `pkg:type/namespace/name@version?qualifiers#subpath`, every part percent-decoded.
public struct PackageURL: Sendable, Hashable, CustomStringConvertible {
    /// Lower case, e.g. `npm`, `pypi`, `maven`, `deb`.
    public var type: String
    /// Decoded segments joined by `/` (npm scope `@angular`, Maven groupId, Go module path prefix); nil if absent.
    public var namespace: String?
    public var name: String
    public var version: String?
    /// Keys lower case; values decoded. Empty values are dropped as the specification says.
    public var qualifiers: [String: String]
    public var subpath: String?

    public init(type: String, namespace: String? = nil, name: String, version: String? = nil,
                qualifiers: [String: String] = [:], subpath: String? = nil) {
        self.type = type
        self.namespace = namespace
        self.name = name
        self.version = version
        self.qualifiers = qualifiers
        self.subpath = subpath
    }

    /// Parses a purl string; the error says which part is wrong. Works on UTF-8 bytes: SBOMs hold a purl per
    /// component, and portfolios hold a hundred thousand components.
    public init(parsing text: String) throws(PackageURLError) {
        let bytes = Array(text.utf8)
        var start = 0, end = bytes.count
        while start < end, bytes[start].isJSONWhitespace { start += 1 }
        while end > start, bytes[end - 1].isJSONWhitespace { end -= 1 }

        subpath = nil
        if let hash = bytes[start..<end].firstIndex(of: UInt8(ascii: "#")) {
            let segments = try Self.segments(bytes[(hash + 1)..<end], part: "subpath").filter { $0 != "." && $0 != ".." }
            subpath = segments.isEmpty ? nil : segments.joined(separator: "/")
            end = hash
        }
        var qualifiers: [String: String] = [:]
        if let question = bytes[start..<end].firstIndex(of: UInt8(ascii: "?")) {
            for pair in bytes[(question + 1)..<end].split(separator: UInt8(ascii: "&")) {
                let pairText = String(decoding: pair, as: UTF8.self)
                guard let equals = pair.firstIndex(of: UInt8(ascii: "=")) else { throw .invalidQualifier(pairText) }
                let key = String(decoding: pair[pair.startIndex..<equals], as: UTF8.self).lowercased()
                guard Self.isValidQualifierKey(key) else { throw .invalidQualifier(pairText) }
                let value = try Self.percentDecoded(pair[(equals + 1)...], part: "qualifier \(key)")
                if !value.isEmpty { qualifiers[key] = value }
            }
            end = question
        }
        self.qualifiers = qualifiers

        guard end - start >= 4, bytes[start..<(start + 4)].map({ $0 | 0x20 }) == Array("pkg:".utf8) else {
            throw .missingScheme
        }
        start += 4
        while start < end, bytes[start] == UInt8(ascii: "/") { start += 1 }
        while end > start, bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }

        guard let slash = bytes[start..<end].firstIndex(of: UInt8(ascii: "/")) else {
            throw start == end ? .missingType : .missingName
        }
        let type = String(decoding: bytes[start..<slash], as: UTF8.self).lowercased()
        guard Self.isValidType(type) else { throw .invalidType(type) }
        self.type = type
        start = slash + 1

        // The version follows the last `@` of the name segment; an `@` opening a segment is an npm scope.
        let nameStart = (bytes[start..<end].lastIndex(of: UInt8(ascii: "/")) ?? (start - 1)) + 1
        if let at = bytes[nameStart..<end].lastIndex(of: UInt8(ascii: "@")), at > nameStart {
            let version = try Self.percentDecoded(bytes[(at + 1)..<end], part: "version")
            self.version = version.isEmpty ? nil : version
            end = at
        } else {
            version = nil
        }

        var segments = try Self.segments(bytes[start..<end], part: "name")
        guard let name = segments.popLast(), !name.isEmpty else { throw .missingName }
        self.name = name
        namespace = segments.isEmpty ? nil : segments.joined(separator: "/")
    }

    /// The canonical-looking form, for display (qualifiers sorted by key).
    public var description: String {
        var text = "pkg:\(type)/"
        if let namespace {
            text += namespace.split(separator: "/").map { Self.percentEncoded(String($0)) }.joined(separator: "/") + "/"
        }
        text += Self.percentEncoded(name)
        if let version { text += "@" + Self.percentEncoded(version) }
        if !qualifiers.isEmpty {
            text += "?" + qualifiers.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.percentEncoded($0.value))" }
                .joined(separator: "&")
        }
        if let subpath { text += "#" + subpath }
        return text
    }

    // MARK: Parsing helpers

    private static func segments(_ bytes: ArraySlice<UInt8>, part: String) throws(PackageURLError) -> [String] {
        var segments: [String] = []
        for segment in bytes.split(separator: UInt8(ascii: "/")) {
            segments.append(try percentDecoded(segment, part: part))
        }
        return segments
    }

    static func percentDecoded(_ bytes: ArraySlice<UInt8>, part: String) throws(PackageURLError) -> String {
        guard bytes.contains(UInt8(ascii: "%")) else { return String(decoding: bytes, as: UTF8.self) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            guard bytes[index] == UInt8(ascii: "%") else {
                decoded.append(bytes[index])
                index += 1
                continue
            }
            guard index + 2 < bytes.endIndex, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) else {
                throw .invalidPercentEncoding(part: part)
            }
            decoded.append(high << 4 | low)
            index += 3
        }
        guard let text = String(validating: decoded, as: UTF8.self) else { throw .invalidPercentEncoding(part: part) }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "~"), UInt8(ascii: ":"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                encoded += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return encoded
    }

    private static func isValidType(_ type: String) -> Bool {
        guard let first = type.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return type.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || ".+-".unicodeScalars.contains($0) }
    }

    private static func isValidQualifierKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || ".-_".unicodeScalars.contains($0) }
    }
}

/// Why a purl string could not be parsed.
public enum PackageURLError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingScheme
    case missingType
    case invalidType(String)
    case missingName
    case invalidQualifier(String)
    case invalidPercentEncoding(part: String)

    public var description: String {
        switch self {
        case .missingScheme: "a purl must start with pkg:"
        case .missingType: "the purl has no type (pkg:TYPE/name)"
        case let .invalidType(type): "the purl type \"\(type)\" may only hold letters, digits and .+- and must not start with a digit"
        case .missingName: "the purl has no name"
        case let .invalidQualifier(pair): "the purl qualifier \"\(pair)\" is not key=value with a valid key"
        case let .invalidPercentEncoding(part): "the purl \(part) has an invalid percent-encoding"
        }
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        var view = Substring(self)
        while view.first?.isWhitespace == true { view.removeFirst() }
        while view.last?.isWhitespace == true { view.removeLast() }
        return view
    }
}
