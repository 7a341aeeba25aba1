import Foundation
import KamaeCore

/// What is wrong with a questionnaire the supervisor wrote, naming the question.
public enum QuestionnaireProblem: Error, Sendable, Hashable, CustomStringConvertible {
    case emptyQuestionnaireID
    /// Ids travel in file names and signed packages: letters, digits, - and _ only, at most 64.
    case invalidQuestionnaireID(String)
    case tooManyOptions(questionID: String, count: Int)
    case invalidVersion(Int)
    case missingTitle
    case noQuestions
    case emptyQuestionID(index: Int)
    case duplicateQuestionID(String)
    case missingQuestionText(questionID: String)
    case tooFewOptions(questionID: String, count: Int)
    case emptyOptionID(questionID: String)
    case duplicateOptionID(questionID: String, optionID: String)
    case missingOptionLabel(questionID: String, optionID: String)
    case unknownLinkedItem(questionID: String, itemID: String)

    /// The question at fault, when there is one.
    public var questionID: String? {
        switch self {
        case .emptyQuestionnaireID, .invalidQuestionnaireID, .invalidVersion, .missingTitle, .noQuestions, .emptyQuestionID: nil
        case let .tooManyOptions(id, _): id
        case let .duplicateQuestionID(id): id
        case let .missingQuestionText(id), let .tooFewOptions(id, _), let .emptyOptionID(id), let .duplicateOptionID(id, _),
             let .missingOptionLabel(id, _), let .unknownLinkedItem(id, _): id
        }
    }

    public var message: LocalizedText {
        switch self {
        case .emptyQuestionnaireID: LocalizedText(ja: "調査票のIDがありません。", en: "The questionnaire has no id.")
        case let .invalidQuestionnaireID(id): LocalizedText(ja: "調査票ID「\(id.prefix(70))」は半角英数字・-・_ の64文字以内にしてください。", en: "Questionnaire id \(id.prefix(70)): use at most 64 letters, digits, - or _.")
        case let .tooManyOptions(id, count): LocalizedText(ja: "質問「\(id)」の選択肢は\(QuestionnaireRules.maximumOptions)個までです（\(count)個）。", en: "Question \(id) can have at most \(QuestionnaireRules.maximumOptions) options (has \(count)).")
        case let .invalidVersion(version): LocalizedText(ja: "版は1以上にしてください（\(version)）。", en: "The version must be 1 or more (got \(version)).")
        case .missingTitle: LocalizedText(ja: "調査票の題名を日本語と英語で入力してください。", en: "Give the questionnaire a title in Japanese and English.")
        case .noQuestions: LocalizedText(ja: "質問がありません。", en: "The questionnaire has no questions.")
        case let .emptyQuestionID(index): LocalizedText(ja: "\(index + 1)番目の質問にIDがありません。", en: "Question \(index + 1) has no id.")
        case let .duplicateQuestionID(id): LocalizedText(ja: "質問ID「\(id)」が重複しています。", en: "Question id \(id) is used more than once.")
        case let .missingQuestionText(id): LocalizedText(ja: "質問「\(id)」の文を日本語と英語で入力してください。", en: "Question \(id): give its text in Japanese and English.")
        case let .tooFewOptions(id, count): LocalizedText(ja: "質問「\(id)」の選択肢は2つ以上必要です（\(count)つ）。", en: "Question \(id) needs at least 2 options (has \(count)).")
        case let .emptyOptionID(id): LocalizedText(ja: "質問「\(id)」にIDのない選択肢があります。", en: "Question \(id) has an option without an id.")
        case let .duplicateOptionID(id, option): LocalizedText(ja: "質問「\(id)」の選択肢ID「\(option)」が重複しています。", en: "Question \(id): option id \(option) is used more than once.")
        case let .missingOptionLabel(id, option): LocalizedText(ja: "質問「\(id)」の選択肢「\(option)」の表示名を日本語と英語で入力してください。", en: "Question \(id): option \(option) needs a label in Japanese and English.")
        case let .unknownLinkedItem(id, item): LocalizedText(ja: "質問「\(id)」の関連項目「\(item)」はガイドラインにありません。", en: "Question \(id): linked item \(item) is not in the guideline catalog.")
        }
    }

    public var description: String { message.en }
}

/// What is wrong with an institution's response, naming the question.
public enum ResponseProblem: Error, Sendable, Hashable, CustomStringConvertible {
    case wrongQuestionnaire(expectedID: String, expectedVersion: Int, foundID: String, foundVersion: Int)
    case unknownQuestion(questionID: String)
    case missingRequiredAnswer(questionID: String)
    case notExactlyOneOption(questionID: String, count: Int)
    case noOptionSelected(questionID: String)
    case unknownOption(questionID: String, optionID: String)
    case optionSelectedTwice(questionID: String, optionID: String)
    case freeTextNotAllowed(questionID: String)
    case freeTextTooLong(questionID: String, length: Int)

    public var questionID: String? {
        switch self {
        case .wrongQuestionnaire: nil
        case let .unknownQuestion(id), let .missingRequiredAnswer(id), let .notExactlyOneOption(id, _), let .noOptionSelected(id),
             let .unknownOption(id, _), let .optionSelectedTwice(id, _), let .freeTextNotAllowed(id), let .freeTextTooLong(id, _): id
        }
    }

    public var message: LocalizedText {
        switch self {
        case let .wrongQuestionnaire(expectedID, expectedVersion, foundID, foundVersion):
            LocalizedText(ja: "回答先の調査票が異なります（\(foundID) 第\(foundVersion)版、受付：\(expectedID) 第\(expectedVersion)版）。", en: "The response answers \(foundID) version \(foundVersion), not \(expectedID) version \(expectedVersion).")
        case let .unknownQuestion(id): LocalizedText(ja: "質問「\(id)」は調査票にありません。", en: "Question \(id) is not in the questionnaire.")
        case let .missingRequiredAnswer(id): LocalizedText(ja: "質問「\(id)」は回答必須です。", en: "Question \(id) must be answered.")
        case let .notExactlyOneOption(id, count): LocalizedText(ja: "質問「\(id)」は選択肢を1つだけ選んでください（\(count)つ選択）。", en: "Question \(id): choose exactly one option (\(count) chosen).")
        case let .noOptionSelected(id): LocalizedText(ja: "質問「\(id)」は選択肢を1つ以上選んでください。", en: "Question \(id): choose at least one option.")
        case let .unknownOption(id, option): LocalizedText(ja: "質問「\(id)」に選択肢「\(option)」はありません。", en: "Question \(id) has no option \(option).")
        case let .optionSelectedTwice(id, option): LocalizedText(ja: "質問「\(id)」で選択肢「\(option)」が重複しています。", en: "Question \(id): option \(option) is chosen twice.")
        case let .freeTextNotAllowed(id): LocalizedText(ja: "質問「\(id)」には自由記述欄がありません。", en: "Question \(id) takes no free text.")
        case let .freeTextTooLong(id, length): LocalizedText(ja: "質問「\(id)」の自由記述は\(QuestionnaireRules.maximumFreeTextLength)文字以内にしてください（\(length)文字）。", en: "Question \(id): free text must be at most \(QuestionnaireRules.maximumFreeTextLength) characters (has \(length)).")
        }
    }

    public var description: String { message.en }
}

public enum QuestionnaireRules {
    public static let maximumFreeTextLength = 2000
    public static let minimumOptions = 2
    public static let maximumOptions = 26

    /// Every problem with a questionnaire, in question order; empty when it can be published.
    /// - Parameter catalogItemIDs: the ids of the catalog's items (`Set(catalog.items.map(\.id))`).
    public static func problems(in questionnaire: Questionnaire, catalogItemIDs: Set<String>) -> [QuestionnaireProblem] {
        var problems: [QuestionnaireProblem] = []
        if questionnaire.id.isBlank {
            problems.append(.emptyQuestionnaireID)
        } else if questionnaire.id.count > 64 || !questionnaire.id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            problems.append(.invalidQuestionnaireID(questionnaire.id))
        }
        if questionnaire.version < 1 { problems.append(.invalidVersion(questionnaire.version)) }
        if questionnaire.title.ja.isBlank || questionnaire.title.en.isBlank { problems.append(.missingTitle) }
        if questionnaire.questions.isEmpty { problems.append(.noQuestions) }
        var questionIDs = Set<String>()
        for (index, question) in questionnaire.questions.enumerated() {
            if question.id.isBlank {
                problems.append(.emptyQuestionID(index: index))
                continue
            }
            if !questionIDs.insert(question.id).inserted { problems.append(.duplicateQuestionID(question.id)) }
            if question.text.ja.isBlank || question.text.en.isBlank { problems.append(.missingQuestionText(questionID: question.id)) }
            if question.options.count < minimumOptions { problems.append(.tooFewOptions(questionID: question.id, count: question.options.count)) }
            if question.options.count > maximumOptions { problems.append(.tooManyOptions(questionID: question.id, count: question.options.count)) }
            var optionIDs = Set<String>()
            for option in question.options {
                if option.id.isBlank {
                    problems.append(.emptyOptionID(questionID: question.id))
                    continue
                }
                if !optionIDs.insert(option.id).inserted { problems.append(.duplicateOptionID(questionID: question.id, optionID: option.id)) }
                if option.label.ja.isBlank || option.label.en.isBlank { problems.append(.missingOptionLabel(questionID: question.id, optionID: option.id)) }
            }
            for item in question.linkedItemIDs where !catalogItemIDs.contains(item) {
                problems.append(.unknownLinkedItem(questionID: question.id, itemID: item))
            }
        }
        return problems
    }

    /// Every problem with a response, in question order (then unknown questions by id); empty when it is complete.
    public static func problems(in response: QuestionnaireResponse, to questionnaire: Questionnaire) -> [ResponseProblem] {
        guard response.questionnaireID == questionnaire.id, response.questionnaireVersion == questionnaire.version else {
            return [.wrongQuestionnaire(expectedID: questionnaire.id, expectedVersion: questionnaire.version, foundID: response.questionnaireID, foundVersion: response.questionnaireVersion)]
        }
        var problems: [ResponseProblem] = []
        for question in questionnaire.questions {
            guard let answer = response.answers[question.id], !answer.isEmpty else {
                if question.required { problems.append(.missingRequiredAnswer(questionID: question.id)) }
                continue
            }
            let count = answer.selectedOptionIDs.count
            switch question.kind {
            case .singleChoice where count != 1: problems.append(.notExactlyOneOption(questionID: question.id, count: count))
            case .multipleChoice where count < 1: problems.append(.noOptionSelected(questionID: question.id))
            default: break
            }
            let known = Set(question.options.map(\.id))
            var seen = Set<String>()
            for option in answer.selectedOptionIDs {
                if !known.contains(option) { problems.append(.unknownOption(questionID: question.id, optionID: option)) }
                if !seen.insert(option).inserted { problems.append(.optionSelectedTwice(questionID: question.id, optionID: option)) }
            }
            if let text = answer.freeText, !text.isEmpty {
                if !question.allowsFreeText { problems.append(.freeTextNotAllowed(questionID: question.id)) }
                if text.count > maximumFreeTextLength { problems.append(.freeTextTooLong(questionID: question.id, length: text.count)) }
            }
        }
        let questionIDs = Set(questionnaire.questions.map(\.id))
        for id in response.answers.keys.sorted() where !questionIDs.contains(id) {
            problems.append(.unknownQuestion(questionID: id))
        }
        return problems
    }
}

extension String {
    var isBlank: Bool { trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
}
