/// XML 1.0 text rules shared by the writer and the reader.
enum XMLText {
    /// `text` without leading and trailing ASCII white space (space, tab, LF, CR). Much cheaper than
    /// Foundation's `trimmingCharacters(in:)`, which bridges through NSString on Linux.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text }
        func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }
        if !isSpace(first) && !isSpace(last) { return text }
        guard let start = utf8.firstIndex(where: { !isSpace($0) }),
              let end = utf8.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[start...end])
    }

    /// Whether XML 1.0 allows the scalar in a document (tab, LF, CR, and everything from U+0020 except
    /// U+FFFE and U+FFFF; Swift strings hold no lone surrogates).
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value >= 0x20 { return value != 0xFFFE && value != 0xFFFF }
        return value == 0x09 || value == 0x0A || value == 0x0D
    }

    /// Appends the UTF-8 of `text`, escaped for an element's content or a double-quoted attribute value.
    ///
    /// - `&`, `<`, `>` (and `"` in attributes) become entity references.
    /// - CR becomes `&#13;` so that parsers do not fold CR LF into LF; in attributes, tab and LF become
    ///   `&#9;` and `&#10;` so that attribute normalisation does not turn them into spaces.
    /// - Characters XML 1.0 forbids are dropped, except vertical tab and form feed, which become LF
    ///   (the line break Word puts in copied text is a vertical tab).
    /// - With `excelEscapes`, text that looks like Excel's `_xHHHH_` escape gets its underscore escaped
    ///   as `_x005F_`, so Excel and ``XLSXReader`` show the original text.
    ///
    /// Every character that needs care is ASCII, or U+FFFE/U+FFFF (EF BF BE/BF in UTF-8), so the work is
    /// done on bytes; well-formed UTF-8 never has these bytes inside another character.
    static func appendEscaped(_ text: String, to out: inout [UInt8], attribute: Bool, excelEscapes: Bool) {
        var text = text
        text.withUTF8 { bytes in
            let count = bytes.count
            var runStart = 0
            var index = 0
            func flush(_ upTo: Int) {
                if upTo > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<upTo])) }
            }
            while index < count {
                let byte = bytes[index]
                var replacement: StaticString?
                var skip = 1
                switch byte {
                case 0x26: replacement = "&amp;"
                case 0x3C: replacement = "&lt;"
                case 0x3E: replacement = "&gt;"
                case 0x22 where attribute: replacement = "&quot;"
                case 0x0D: replacement = "&#13;"
                case 0x0A where attribute: replacement = "&#10;"
                case 0x09 where attribute: replacement = "&#9;"
                case 0x0B, 0x0C: replacement = attribute ? "&#10;" : "\n"
                case 0x09, 0x0A: break
                case 0..<0x20: replacement = ""
                case 0xEF where index + 2 < count && bytes[index + 1] == 0xBF && (bytes[index + 2] == 0xBE || bytes[index + 2] == 0xBF):
                    replacement = ""
                    skip = 3
                case 0x5F where excelEscapes && looksLikeExcelEscape(bytes, at: index):
                    replacement = "_x005F_"
                default: break
                }
                if let replacement {
                    flush(index)
                    replacement.withUTF8Buffer { out.append(contentsOf: $0) }
                    index += skip
                    runStart = index
                } else {
                    index += 1
                }
            }
            flush(count)
        }
    }

    private static func looksLikeExcelEscape(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index + 6 < bytes.count, bytes[index + 1] | 0x20 == 0x78, bytes[index + 6] == 0x5F else { return false }
        return (2...5).allSatisfy { isHexDigit(bytes[index + $0]) }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
    }

    /// Whether a text needs `xml:space="preserve"` for Excel to keep its leading or trailing white space.
    static func needsSpacePreserve(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
        }
        return isSpace(first) || isSpace(last) || text.utf8.contains(10) || text.utf8.contains(9)
    }

    /// Replaces Excel's `_xHHHH_` escapes (used for control characters) with the characters they stand for.
    static func unescapeExcel(_ text: String) -> String {
        guard text.utf8.contains(95) else { return text }
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == "_", looksLikeExcelEscape(scalars, at: index) {
                var value: UInt32 = 0
                for offset in 2...5 { value = value * 16 + (hexValue(scalars[index + offset]) ?? 0) }
                if let decoded = Unicode.Scalar(value) {
                    result.append(decoded)
                    index += 7
                    continue
                }
            }
            result.append(scalars[index])
            index += 1
        }
        return String(result)
    }

    private static func looksLikeExcelEscape(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + 6 < scalars.count, scalars[index + 1] == "x" || scalars[index + 1] == "X",
              scalars[index + 6] == "_" else { return false }
        return (2...5).allSatisfy { hexValue(scalars[index + $0]) != nil }
    }

    private static func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar.value {
        case 48...57: scalar.value - 48
        case 65...70: scalar.value - 55
        case 97...102: scalar.value - 87
        default: nil
        }
    }
}

/// A growing XML document, kept as UTF-8 bytes.
struct XMLWriter {
    private(set) var data: [UInt8] = []

    init(capacity: Int = 4096, declaration: Bool = true) {
        data.reserveCapacity(capacity)
        if declaration { raw(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#); data.append(10) }
    }

    /// Markup, appended as is.
    mutating func raw(_ markup: StaticString) {
        markup.withUTF8Buffer { data.append(contentsOf: $0) }
    }

    /// Markup built at run time, appended as is.
    mutating func rawString(_ markup: String) {
        data.append(contentsOf: markup.utf8)
    }

    /// Bytes, appended as is.
    mutating func bytes(_ bytes: [UInt8]) {
        data.append(contentsOf: bytes)
    }

    /// A whole number in decimal.
    mutating func number(_ value: Int) {
        if value >= 0 && value < 10 {
            data.append(UInt8(48 + value))
        } else {
            data.append(contentsOf: String(value).utf8)
        }
    }

    /// Element content, escaped.
    mutating func content(_ value: String, excelEscapes: Bool = false) {
        XMLText.appendEscaped(value, to: &data, attribute: false, excelEscapes: excelEscapes)
    }

    /// ` name="value"`, escaped.
    mutating func attribute(_ name: StaticString, _ value: String) {
        data.append(32)
        raw(name)
        raw("=\"")
        XMLText.appendEscaped(value, to: &data, attribute: true, excelEscapes: false)
        data.append(34)
    }

    /// `<name>value</name>`, escaped.
    mutating func element(_ name: StaticString, _ value: String) {
        data.append(60)
        raw(name)
        data.append(62)
        content(value)
        raw("</")
        raw(name)
        data.append(62)
    }

    /// The document as text (for tests and debugging).
    var text: String { String(decoding: data, as: UTF8.self) }
}
