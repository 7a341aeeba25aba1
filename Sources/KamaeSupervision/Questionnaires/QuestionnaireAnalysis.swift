import Foundation
import KamaeCore

/// One option's share among a group's respondents to a question.
public struct OptionShare: Sendable, Hashable, Codable {
    public let optionID: String
    public let count: Int
    /// 0…100 of the respondents. For multiple choice the percentages can add up to more than 100.
    public let percent: Double
}

/// The answers of one peer group to one question.
public struct AnswerBreakdown: Sendable, Hashable, Codable {
    /// Institutions that answered the question.
    public let respondents: Int
    /// In the questionnaire's option order.
    public let options: [OptionShare]
}

public struct QuestionDistribution: Sendable, Hashable {
    public let questionID: String
    public let kind: QuestionKind
    public let groups: [PeerGroup]
    /// In `groups` order; suppressed where fewer than k institutions answered.
    public let breakdowns: [PeerStatistic<AnswerBreakdown>]

    public subscript(group: PeerGroup) -> PeerStatistic<AnswerBreakdown>? {
        groups.firstIndex(of: group).map { breakdowns[$0] }
    }
}

public enum QuestionnaireAnalysis {
    /// The distribution of answers per question (questionnaire order) and peer group (fixed group order).
    ///
    /// Only responses to this questionnaire's id and version count, and only from registered institutions;
    /// option ids that are not in the question are ignored (validate responses first with `QuestionnaireRules`).
    /// An institution counts as a respondent to a question when it chose at least one option.
    public static func distribution(
        of questionnaire: Questionnaire, responses: [UUID: QuestionnaireResponse], institutions: [InstitutionProfile],
        grouping: PeerGrouping, policy: KAnonymity = KAnonymity()
    ) -> [QuestionDistribution] {
        let groups = Set(institutions.map(grouping.group(of:))).union(grouping == .all ? [PeerGroup.all] : []).sorted()
        var groupIndex: [PeerGroup: Int] = [:]
        for (index, group) in groups.enumerated() { groupIndex[group] = index }
        let answering: [(group: Int, response: QuestionnaireResponse)] = institutions.compactMap { institution in
            guard let response = responses[institution.id], response.questionnaireID == questionnaire.id,
                  response.questionnaireVersion == questionnaire.version
            else { return nil }
            return (groupIndex[grouping.group(of: institution)]!, response)
        }
        return questionnaire.questions.map { question in
            let optionIndex = Dictionary(question.options.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
            var respondents = [Int](repeating: 0, count: groups.count)
            var counts = [[Int]](repeating: [Int](repeating: 0, count: question.options.count), count: groups.count)
            for (group, response) in answering {
                let chosen = Set((response.answers[question.id]?.selectedOptionIDs ?? []).compactMap { optionIndex[$0] })
                guard !chosen.isEmpty else { continue }
                respondents[group] += 1
                for option in chosen { counts[group][option] += 1 }
            }
            let breakdowns = groups.indices.map { group in
                policy.disclose(contributors: respondents[group]) {
                    AnswerBreakdown(respondents: respondents[group], options: question.options.indices.map { option in
                        OptionShare(
                            optionID: question.options[option].id, count: counts[group][option],
                            percent: Double(counts[group][option]) / Double(respondents[group]) * 100
                        )
                    })
                }
            }
            return QuestionDistribution(questionID: question.id, kind: question.kind, groups: groups, breakdowns: breakdowns)
        }
    }
}
