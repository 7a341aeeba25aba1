import Foundation

/// Reads CSV as people's spreadsheets write it (RFC 4180: quoted fields may hold commas, quotes and line breaks),
/// UTF-8 with or without a byte-order mark, CRLF or LF. Each record keeps the line it starts on, so that an error can
/// name it.
public enum CSVReader {
    public struct Record: Sendable, Hashable {
        public var line: Int
        public var fields: [String]
    }

    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var message: LocalizedText
        public var description: String { "line \(line): \(message.en)" }
    }

    public static func read(_ data: Data) throws(Failure) -> [Record] {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw Failure(line: 1, message: LocalizedText(ja: "UTF-8 ではありません（Shift_JIS の場合は UTF-8 で保存し直してください）。", en: "not UTF-8 (save a Shift_JIS file as UTF-8 first)."))
        }
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quotedFieldEnded = false
        var index = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            quotedFieldEnded = false
        }
        func endRecord() {
            endField()
            // A blank line is no record.
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                        quotedFieldEnded = true
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: ","):
                    endField()
                case UInt8(ascii: "\r"):
                    break
                case UInt8(ascii: "\n"):
                    endRecord()
                    line += 1
                    recordLine = line
                case UInt8(ascii: "\""):
                    guard field.isEmpty, !quotedFieldEnded else {
                        throw Failure(line: line, message: LocalizedText(ja: "引用符（\"）の位置が正しくありません。", en: "a quote (\") in the middle of a field."))
                    }
                    inQuotes = true
                default:
                    if quotedFieldEnded {
                        throw Failure(line: line, message: LocalizedText(ja: "引用符で囲んだ値の後に文字があります。", en: "text after a closing quote."))
                    }
                    field.append(byte)
                }
            }
            index += 1
        }
        if inQuotes {
            throw Failure(line: recordLine, message: LocalizedText(ja: "引用符（\"）が閉じられていません。", en: "a quoted field is never closed."))
        }
        if !field.isEmpty || !fields.isEmpty || quotedFieldEnded { endRecord() }
        return records
    }
}
