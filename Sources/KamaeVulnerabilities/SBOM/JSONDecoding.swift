import Foundation

/// Decodes whole documents with `JSONDecoder` (used for SBOMs, CSAF, NVD and VEX, which come one per file) and turns
/// `DecodingError` into an `IngestError` naming the file and the JSON path.
enum JSONDocument {
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, file: String) throws(IngestError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw describe(error, file: file)
        } catch let error as IngestError {
            throw error
        } catch {
            throw .malformed(file: file, location: "$", reason: String(describing: error))
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.reduce("$") { path, key in
            if let index = key.intValue { return path + "[\(index)]" }
            return path + "." + key.stringValue
        }
    }

    private static func describe(_ error: DecodingError, file: String) -> IngestError {
        switch error {
        case let .typeMismatch(type, context):
            return .malformed(file: file, location: path(context.codingPath), reason: "expected \(readableName(type))")
        case let .valueNotFound(type, context):
            return .malformed(file: file, location: path(context.codingPath), reason: "expected \(readableName(type)), found null")
        case let .keyNotFound(key, context):
            return .malformed(file: file, location: path(context.codingPath), reason: "missing \"\(key.stringValue)\"")
        case let .dataCorrupted(context):
            let underlying = context.underlyingError.map { " (\(String(describing: $0).prefix(200)))" } ?? ""
            return .malformed(file: file, location: path(context.codingPath), reason: context.debugDescription + underlying)
        @unknown default:
            return .malformed(file: file, location: "$", reason: String(describing: error))
        }
    }

    private static func readableName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Double.Type: "a number"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
