import Foundation
import KamaeCore
import Testing
@testable import KamaeSupervision

@Suite struct QuestionnaireTests {
    static let itemIDs = Set(TestSectors.catalog.items.map(\.id))
    static let questionnaire = TestSectors.questionnaire

    @Test func validQuestionnaireHasNoProblems() {
        #expect(QuestionnaireRules.problems(in: Self.questionnaire, catalogItemIDs: Self.itemIDs).isEmpty)
    }

    @Test func questionnaireProblemsNameTheQuestion() {
        var broken = Self.questionnaire
        broken.questions[1].id = "q1"
        broken.questions[0].options = [broken.questions[0].options[0]]
        broken.questions[0].linkedItemIDs = ["2.2.1.2-B1", "9.9-B1"]
        broken.questions.append(Question(
            id: "q3", text: LocalizedText(ja: "", en: "Text"), kind: .singleChoice,
            options: [QuestionOption(id: "a", label: LocalizedText(ja: "あ", en: "A")), QuestionOption(id: "a", label: LocalizedText(ja: "い", en: ""))]
        ))
        let problems = QuestionnaireRules.problems(in: broken, catalogItemIDs: Self.itemIDs)
        #expect(problems == [
            .tooFewOptions(questionID: "q1", count: 1),
            .unknownLinkedItem(questionID: "q1", itemID: "9.9-B1"),
            .duplicateQuestionID("q1"),
            .missingQuestionText(questionID: "q3"),
            .duplicateOptionID(questionID: "q3", optionID: "a"),
            .missingOptionLabel(questionID: "q3", optionID: "a"),
        ])
        #expect(problems.map(\.questionID) == ["q1", "q1", "q1", "q3", "q3", "q3"])
        #expect(problems.allSatisfy { !$0.message.ja.isEmpty && !$0.message.en.isEmpty })

        let empty = Questionnaire(id: " ", version: 0, title: LocalizedText(ja: "題", en: ""), questions: [])
        #expect(QuestionnaireRules.problems(in: empty, catalogItemIDs: Self.itemIDs) == [.emptyQuestionnaireID, .invalidVersion(0), .missingTitle, .noQuestions])
    }

    func response(_ answers: [String: QuestionAnswer], version: Int = 1) -> QuestionnaireResponse {
        QuestionnaireResponse(questionnaireID: "ransomware-2025", questionnaireVersion: version, answers: answers)
    }

    @Test func responseValidation() {
        let ok = response(["q1": QuestionAnswer(selectedOptionIDs: ["yes"]), "q2": QuestionAnswer(selectedOptionIDs: ["edr", "mfa"], freeText: "EDRは全端末")])
        #expect(QuestionnaireRules.problems(in: ok, to: Self.questionnaire).isEmpty)
        // q2 is optional.
        #expect(QuestionnaireRules.problems(in: response(["q1": QuestionAnswer(selectedOptionIDs: ["no"])]), to: Self.questionnaire).isEmpty)

        let cases: [([String: QuestionAnswer], [ResponseProblem])] = [
            ([:], [.missingRequiredAnswer(questionID: "q1")]),
            (["q1": QuestionAnswer(selectedOptionIDs: [])], [.missingRequiredAnswer(questionID: "q1")]),
            (["q1": QuestionAnswer(selectedOptionIDs: ["yes", "no"])], [.notExactlyOneOption(questionID: "q1", count: 2)]),
            (["q1": QuestionAnswer(selectedOptionIDs: [], freeText: "説明のみ")], [.notExactlyOneOption(questionID: "q1", count: 0), .freeTextNotAllowed(questionID: "q1")]),
            (["q1": QuestionAnswer(selectedOptionIDs: ["maybe"])], [.unknownOption(questionID: "q1", optionID: "maybe")]),
            (["q1": QuestionAnswer(selectedOptionIDs: ["yes"], freeText: "x")], [.freeTextNotAllowed(questionID: "q1")]),
            (["q1": QuestionAnswer(selectedOptionIDs: ["yes"]), "q2": QuestionAnswer(selectedOptionIDs: [], freeText: "なし")], [.noOptionSelected(questionID: "q2")]),
            (["q1": QuestionAnswer(selectedOptionIDs: ["yes"]), "q2": QuestionAnswer(selectedOptionIDs: ["edr", "edr"])], [.optionSelectedTwice(questionID: "q2", optionID: "edr")]),
            (["q1": QuestionAnswer(selectedOptionIDs: ["yes"]), "q2": QuestionAnswer(selectedOptionIDs: ["edr"], freeText: String(repeating: "あ", count: 2001))], [.freeTextTooLong(questionID: "q2", length: 2001)]),
            (["q1": QuestionAnswer(selectedOptionIDs: ["yes"]), "q9": QuestionAnswer(selectedOptionIDs: ["x"])], [.unknownQuestion(questionID: "q9")]),
        ]
        for (answers, expected) in cases {
            #expect(QuestionnaireRules.problems(in: response(answers), to: Self.questionnaire) == expected)
        }
        // Exactly 2000 characters is allowed.
        let longest = response(["q1": QuestionAnswer(selectedOptionIDs: ["yes"]), "q2": QuestionAnswer(selectedOptionIDs: ["edr"], freeText: String(repeating: "あ", count: 2000))])
        #expect(QuestionnaireRules.problems(in: longest, to: Self.questionnaire).isEmpty)
        #expect(QuestionnaireRules.problems(in: response([:], version: 2), to: Self.questionnaire)
            == [.wrongQuestionnaire(expectedID: "ransomware-2025", expectedVersion: 1, foundID: "ransomware-2025", foundVersion: 2)])
    }

    @Test func distributionPerGroupInOptionOrder() throws {
        // Six in Kanto, three in Kinki.
        var institutions: [InstitutionProfile] = []
        var responses: [UUID: QuestionnaireResponse] = [:]
        let q1 = ["yes", "yes", "no", "partly", "yes", "no", "yes", "yes", "no"]
        let q2: [[String]] = [["mfa", "edr"], ["mfa"], [], ["drill", "mfa"], ["mfa"], ["edr"], ["mfa"], [], ["edr"]]
        for index in 0..<9 {
            let institution = InstitutionProfile(id: UUID(), name: "機関\(index)", typeID: "regional-banks", sizeBand: .small, region: index < 6 ? .kanto : .kinki)
            institutions.append(institution)
            var answers = ["q1": QuestionAnswer(selectedOptionIDs: [q1[index]])]
            if !q2[index].isEmpty { answers["q2"] = QuestionAnswer(selectedOptionIDs: q2[index]) }
            responses[institution.id] = response(answers)
        }
        // A response to another version is not counted.
        let stray = InstitutionProfile(id: UUID(), name: "旧版", typeID: "regional-banks", sizeBand: .small, region: .kanto)
        institutions.append(stray)
        responses[stray.id] = response(["q1": QuestionAnswer(selectedOptionIDs: ["no"])], version: 2)

        let byRegion = QuestionnaireAnalysis.distribution(of: Self.questionnaire, responses: responses, institutions: institutions, grouping: .region)
        #expect(byRegion.map(\.questionID) == ["q1", "q2"])
        let kanto = PeerGroup(grouping: .region, value: "kanto")
        let kinki = PeerGroup(grouping: .region, value: "kinki")
        #expect(byRegion[0].groups == [kanto, kinki])
        let q1Kanto = try #require(byRegion[0][kanto]?.value)
        #expect(q1Kanto.respondents == 6)
        #expect(q1Kanto.options.map(\.optionID) == ["yes", "partly", "no"])
        #expect(q1Kanto.options.map(\.count) == [3, 1, 2])
        #expect(zip(q1Kanto.options.map(\.percent), [50, 100.0 / 6, 100.0 / 3]).allSatisfy { abs($0 - $1) < 1e-9 })
        #expect(byRegion[0][kinki] == .suppressed(count: 3))
        // q2 in Kanto: five answered; percentages of respondents, options in questionnaire order.
        let q2Kanto = try #require(byRegion[1][kanto]?.value)
        #expect(q2Kanto.respondents == 5)
        #expect(q2Kanto.options.map(\.optionID) == ["edr", "mfa", "drill"])
        #expect(q2Kanto.options.map(\.count) == [2, 4, 1])
        #expect(zip(q2Kanto.options.map(\.percent), [40.0, 80, 20]).allSatisfy { abs($0 - $1) < 1e-9 })

        let overall = QuestionnaireAnalysis.distribution(of: Self.questionnaire, responses: responses, institutions: institutions, grouping: .all)
        #expect(overall[0][.all]?.value?.respondents == 9)
        #expect(overall[1][.all]?.value?.options.map(\.count) == [3, 5, 1])
    }
}
