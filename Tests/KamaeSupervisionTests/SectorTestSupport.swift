import Foundation
import KamaeCore
@testable import KamaeSupervision

enum TestSectors {
    static let catalog = Catalog.bundled
    static let years = [2023, 2024]

    /// A small sector in which many groups fall below k: 3–40 institutions of 1–4 types.
    static func small(seed: UInt64) -> SyntheticSector {
        var random = SplitMix64(seed: seed)
        let count = 3 + random.below(38)
        let types = Array(catalog.institutionTypes.map(\.id).prefix(1 + random.below(4)))
        return SyntheticSector.generate(catalog: catalog, institutionCount: count, years: years, typeIDs: types, seed: random.next(), missingRate: 0.1)
    }

    static func analysis(_ institutions: [InstitutionProfile], _ submissions: [SectorSubmission]) throws -> SectorAnalysis {
        SectorAnalysis(dataset: try SectorDataset(catalog: catalog, institutions: institutions, submissions: submissions))
    }

    static let questionnaire = Questionnaire(
        id: "ransomware-2025", version: 1,
        title: LocalizedText(ja: "ランサムウェア対策に関する調査", en: "Ransomware preparedness survey"),
        questions: [
            Question(
                id: "q1", text: LocalizedText(ja: "オフラインバックアップを取得していますか。", en: "Do you keep offline backups?"), kind: .singleChoice,
                options: [
                    QuestionOption(id: "yes", label: LocalizedText(ja: "はい", en: "Yes")),
                    QuestionOption(id: "partly", label: LocalizedText(ja: "一部", en: "Partly")),
                    QuestionOption(id: "no", label: LocalizedText(ja: "いいえ", en: "No")),
                ],
                linkedItemIDs: ["2.2.1.2-B1"]
            ),
            Question(
                id: "q2", text: LocalizedText(ja: "導入している対策を選んでください。", en: "Which measures are in place?"), kind: .multipleChoice,
                options: [
                    QuestionOption(id: "edr", label: LocalizedText(ja: "EDR", en: "EDR")),
                    QuestionOption(id: "mfa", label: LocalizedText(ja: "多要素認証", en: "Multi-factor authentication")),
                    QuestionOption(id: "drill", label: LocalizedText(ja: "復旧訓練", en: "Recovery drills")),
                ],
                allowsFreeText: true, required: false
            ),
        ]
    )

    static func responses(for institutions: [InstitutionProfile], seed: UInt64) -> [UUID: QuestionnaireResponse] {
        var random = SplitMix64(seed: seed)
        var responses: [UUID: QuestionnaireResponse] = [:]
        for institution in institutions where random.below(10) > 0 {
            var answers: [String: QuestionAnswer] = ["q1": QuestionAnswer(selectedOptionIDs: [["yes", "partly", "no"][random.below(3)]])]
            let chosen = ["edr", "mfa", "drill"].filter { _ in random.below(2) == 0 }
            if !chosen.isEmpty { answers["q2"] = QuestionAnswer(selectedOptionIDs: chosen) }
            responses[institution.id] = QuestionnaireResponse(questionnaireID: "ransomware-2025", questionnaireVersion: 1, answers: answers)
        }
        return responses
    }

    /// The same submissions with every applicable answer of the given institutions redrawn (対象外 kept).
    static func redraw(_ submissions: [SectorSubmission], of members: Set<UUID>, seed: UInt64) -> [SectorSubmission] {
        var random = SplitMix64(seed: seed)
        let choices: [AnswerStatus] = [.implemented, .partial, .notImplemented]
        return submissions.map { submission in
            guard members.contains(submission.institutionID) else { return submission }
            var copy = submission
            for item in catalog.items where copy.statuses[item.id] != .notApplicable {
                copy.statuses[item.id] = choices[random.below(3)]
            }
            return copy
        }
    }

    /// The same responses with the chosen options of the given institutions redrawn (which questions they
    /// answered is kept, so respondent counts stay the same).
    static func redrawResponses(_ responses: [UUID: QuestionnaireResponse], of members: Set<UUID>, seed: UInt64) -> [UUID: QuestionnaireResponse] {
        var random = SplitMix64(seed: seed)
        var result = responses
        for id in members.sorted(by: { $0.uuidString < $1.uuidString }) {
            guard var response = responses[id] else { continue }
            response.answers["q1"] = QuestionAnswer(selectedOptionIDs: [["yes", "partly", "no"][random.below(3)]])
            if response.answers["q2"] != nil {
                let all = ["edr", "mfa", "drill"]
                var chosen = all.filter { _ in random.below(2) == 0 }
                if chosen.isEmpty { chosen = [all[random.below(3)]] }
                response.answers["q2"] = QuestionAnswer(selectedOptionIDs: chosen)
            }
            result[id] = response
        }
        return result
    }
}
