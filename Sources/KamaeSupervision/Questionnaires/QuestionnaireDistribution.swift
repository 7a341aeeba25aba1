import Foundation
import KamaeCore

/// A published questionnaire as the file a supervisor sends to its recipients (`kamae-questionnaire/1`); each
/// institution imports it into its own Kamae, answers, approves and returns a signed response.
public struct QuestionnaireDistribution: Sendable, Hashable, Codable {
    public static let formatIdentifier = "kamae-questionnaire/1"

    public var format: String
    public var supervisorName: String
    public var fiscalYear: Int
    /// ISO 8601, whole seconds, UTC: responses signed or received after it are refused.
    public var deadline: String
    public var questionnaire: Questionnaire

    public init(supervisorName: String, fiscalYear: Int, deadline: Date, questionnaire: Questionnaire) {
        self.format = Self.formatIdentifier
        self.supervisorName = supervisorName
        self.fiscalYear = fiscalYear
        self.deadline = FeedbackDocument.timestamp(deadline)
        self.questionnaire = questionnaire
    }

    public var deadlineDate: Date? { try? Date(deadline, strategy: .iso8601) }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads a distribution file and checks the questionnaire in it; every problem is named.
    public static func decode(_ data: Data, catalogItemIDs: Set<String>) throws(SupervisionFileError) -> QuestionnaireDistribution {
        let distribution: QuestionnaireDistribution
        do {
            distribution = try JSONDecoder().decode(QuestionnaireDistribution.self, from: data)
        } catch {
            throw .unreadable(format: formatIdentifier, reason: "not JSON with format, supervisorName, fiscalYear, deadline and questionnaire")
        }
        guard distribution.format == formatIdentifier else { throw .unreadable(format: formatIdentifier, reason: "format: expected \(formatIdentifier)") }
        guard distribution.deadlineDate != nil else { throw .unreadable(format: formatIdentifier, reason: "deadline: not an ISO 8601 UTC timestamp") }
        guard (2000...2100).contains(distribution.fiscalYear) else { throw .unreadable(format: formatIdentifier, reason: "fiscalYear: out of range") }
        let problems = QuestionnaireRules.problems(in: distribution.questionnaire, catalogItemIDs: catalogItemIDs)
        guard problems.isEmpty else { throw .unreadable(format: formatIdentifier, reason: problems.map(\.description).joined(separator: "; ")) }
        return distribution
    }
}
