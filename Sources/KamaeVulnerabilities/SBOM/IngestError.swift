/// Why a document could not be read: always names the file and, where known, the place inside it.
public enum IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened or read at all.
    case unreadable(file: String, reason: String)
    /// The content is broken or has a wrong value; `location` is a JSON path (`$.affected[0].ranges`) or `line N`.
    case malformed(file: String, location: String, reason: String)
    /// The file is readable but is none of the formats this reader understands.
    case unsupportedFormat(file: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason): "\(file): cannot read: \(reason)"
        case let .malformed(file, location, reason): "\(file): \(location): \(reason)"
        case let .unsupportedFormat(file, reason): "\(file): unsupported format: \(reason)"
        }
    }

    /// The file the error is about.
    public var file: String {
        switch self {
        case let .unreadable(file, _), let .malformed(file, _, _), let .unsupportedFormat(file, _): file
        }
    }
}
