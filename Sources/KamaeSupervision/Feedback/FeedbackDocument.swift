import Foundation
import KamaeCore

/// The feedback report (還元資料) as a file: what a supervisor sends back to one institution, and what that
/// institution imports into its own Kamae. Format `kamae-feedback/1`, JSON with the property names as keys.
///
/// It carries the institution's own figures and its peer group's aggregates only (see `InstitutionFeedback`);
/// peer groups are named by their grouping and value, never by member.
public struct FeedbackDocument: Sendable, Hashable, Codable {
    public static let formatIdentifier = "kamae-feedback/1"

    public var format: String
    public var supervisorName: String
    public var institutionName: String
    public var catalogVersion: String
    /// ISO 8601, whole seconds, UTC.
    public var generatedAt: String
    public var feedback: InstitutionFeedback

    public init(supervisorName: String, institutionName: String, catalogVersion: String, generatedAt: Date, feedback: InstitutionFeedback) {
        self.format = Self.formatIdentifier
        self.supervisorName = supervisorName
        self.institutionName = institutionName
        self.catalogVersion = catalogVersion
        self.generatedAt = Self.timestamp(generatedAt)
        self.feedback = feedback
    }

    public var generatedDate: Date? { try? Date(generatedAt, strategy: .iso8601) }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads a feedback file, refusing anything that is not `kamae-feedback/1` with a reason naming the field.
    public static func decode(_ data: Data) throws(SupervisionFileError) -> FeedbackDocument {
        let decoder = JSONDecoder()
        let document: FeedbackDocument
        do {
            document = try decoder.decode(FeedbackDocument.self, from: data)
        } catch let error as DecodingError {
            throw .unreadable(format: formatIdentifier, reason: Self.describe(error))
        } catch {
            throw .unreadable(format: formatIdentifier, reason: "not JSON")
        }
        guard document.format == formatIdentifier else { throw .unreadable(format: formatIdentifier, reason: "format: expected \(formatIdentifier)") }
        guard document.generatedDate != nil else { throw .unreadable(format: formatIdentifier, reason: "generatedAt: not an ISO 8601 UTC timestamp") }
        guard (2000...2100).contains(document.feedback.fiscalYear) else { throw .unreadable(format: formatIdentifier, reason: "feedback.fiscalYear: out of range") }
        return document
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String { keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") }
        switch error {
        case let .keyNotFound(key, context): return "\(path(context.codingPath + [key])): missing"
        case let .typeMismatch(_, context), let .valueNotFound(_, context): return "\(path(context.codingPath)): wrong type"
        case let .dataCorrupted(context): return context.codingPath.isEmpty ? "not JSON" : "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "unreadable"
        }
    }

    public static func timestamp(_ date: Date) -> String {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)).formatted(.iso8601)
    }
}

/// A feedback report or questionnaire file that cannot be read, with the format expected and the reason.
public enum SupervisionFileError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadable(format: String, reason: String)
    public var description: String {
        switch self {
        case let .unreadable(format, reason): "not a \(format) file (\(reason))"
        }
    }
}
