import Foundation

/// One cell of a backed-up row, typed so that SQLite and PostgreSQL restore the same value.
///
/// Equality means "restores as the same stored value": doubles compare by bit pattern (so `-0.0` differs from `0.0`)
/// except that every NaN equals every NaN, as the format keeps no NaN payload.
public enum BackupValue: Sendable, Equatable {
    case null
    case int(Int64)
    /// Any double: NaN and ±infinity are written explicitly (PostgreSQL's `double precision` holds them).
    case double(Double)
    case text(String)
    case bool(Bool)
    case blob(Data)
    /// Written to the microsecond (PostgreSQL's precision), finer parts rounded; a date on a whole microsecond
    /// reads back equal. Years 0001...9999.
    case date(Date)
    case uuid(UUID)

    public static func == (lhs: BackupValue, rhs: BackupValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.int(let left), .int(let right)): left == right
        case (.double(let left), .double(let right)):
            (left.isNaN && right.isNaN) || left.bitPattern == right.bitPattern
        case (.text(let left), .text(let right)): left == right
        case (.bool(let left), .bool(let right)): left == right
        case (.blob(let left), .blob(let right)): left == right
        case (.date(let left), .date(let right)): left == right
        case (.uuid(let left), .uuid(let right)): left == right
        default: false
        }
    }
}

/// The cell's JSON form: `null`, or an object with one key naming the type (see `BackupFormat`).
extension BackupValue {
    /// Appends the cell's JSON; false when it cannot be written (a date outside years 0001...9999).
    func appendJSON(to bytes: inout [UInt8]) -> Bool {
        func tagged(_ tag: String, _ appendValue: (inout [UInt8]) -> Void) {
            bytes.append(contentsOf: Array("{\"\(tag)\":".utf8))
            appendValue(&bytes)
            bytes.append(UInt8(ascii: "}"))
        }
        switch self {
        case .null:
            bytes.append(contentsOf: Array("null".utf8))
        case .int(let value):
            tagged("i") { $0.append(contentsOf: Array(String(value).utf8)) }
        case .double(let value) where value.isNaN:
            tagged("d") { JSONText.appendString("nan", to: &$0) }
        case .double(let value) where value.isInfinite:
            tagged("d") { JSONText.appendString(value < 0 ? "-inf" : "inf", to: &$0) }
        case .double(let value):
            // Swift prints the shortest text that reads back as the same double, and it is valid JSON.
            tagged("d") { $0.append(contentsOf: Array(value.description.utf8)) }
        case .text(let value):
            tagged("s") { JSONText.appendString(value, to: &$0) }
        case .bool(let value):
            tagged("b") { $0.append(contentsOf: Array((value ? "true" : "false").utf8)) }
        case .blob(let value):
            tagged("x") { JSONText.appendString(value.base64EncodedString(), to: &$0) }
        case .date(let value):
            let ticks = UTCTimestamp.ticks(of: value, fractionDigits: 6)
            guard let text = UTCTimestamp.format(ticks: ticks, fractionDigits: 6) else { return false }
            tagged("t") { JSONText.appendString(text, to: &$0) }
        case .uuid(let value):
            tagged("u") { JSONText.appendString(value.uuidString.lowercased(), to: &$0) }
        }
        return true
    }
}

/// Reads one cell; strict about the tag and the value's type, so a damaged cell never becomes another value.
struct DecodedCell: Decodable {
    let value: BackupValue

    private struct Tag: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if try decoder.singleValueContainer().decodeNil() {
            value = .null
            return
        }
        let container = try decoder.container(keyedBy: Tag.self)
        guard container.allKeys.count == 1, let tag = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not one tag"))
        }
        func corrupted(_ reason: String) -> DecodingError {
            .dataCorruptedError(forKey: tag, in: container, debugDescription: reason)
        }
        switch tag.stringValue {
        case "i": value = .int(try container.decode(Int64.self, forKey: tag))
        case "d":
            if let number = try? container.decode(Double.self, forKey: tag) {
                value = .double(number)
            } else {
                switch try container.decode(String.self, forKey: tag) {
                case "nan": value = .double(.nan)
                case "inf": value = .double(.infinity)
                case "-inf": value = .double(-.infinity)
                default: throw corrupted("not a double")
                }
            }
        case "s": value = .text(try container.decode(String.self, forKey: tag))
        case "b": value = .bool(try container.decode(Bool.self, forKey: tag))
        case "x":
            guard let data = Data(base64Encoded: try container.decode(String.self, forKey: tag)) else {
                throw corrupted("not base64")
            }
            value = .blob(data)
        case "t":
            guard let ticks = UTCTimestamp.parseTicks(try container.decode(String.self, forKey: tag), fractionDigits: 6)
            else { throw corrupted("not a YYYY-MM-DDTHH:MM:SS.ffffffZ timestamp") }
            value = .date(UTCTimestamp.date(ticks: ticks, fractionDigits: 6))
        case "u":
            let text = try container.decode(String.self, forKey: tag)
            guard let uuid = UUID(uuidString: text), uuid.uuidString.lowercased() == text else {
                throw corrupted("not a lowercase UUID")
            }
            value = .uuid(uuid)
        default: throw corrupted("unknown type tag")
        }
    }
}
