import Foundation
import KamaeCore

/// A check sheet the supervisor writes (e.g. a thematic survey on ransomware preparedness) and institutions answer.
public struct Questionnaire: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    /// 1, 2, …; responses name the version they answer.
    public var version: Int
    public var title: LocalizedText
    public var questions: [Question]

    public init(id: String, version: Int, title: LocalizedText, questions: [Question]) {
        self.id = id
        self.version = version
        self.title = title
        self.questions = questions
    }

    public func question(id: String) -> Question? { questions.first { $0.id == id } }
}

public enum QuestionKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Exactly one option.
    case singleChoice = "single"
    /// One or more options.
    case multipleChoice = "multiple"
}

public struct Question: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var text: LocalizedText
    public var kind: QuestionKind
    public var options: [QuestionOption]
    /// Whether a free-text remark may accompany the chosen options.
    public var allowsFreeText: Bool
    /// Guideline items the question relates to, e.g. "2.2.1.2-B1".
    public var linkedItemIDs: [String]
    public var required: Bool

    public init(
        id: String, text: LocalizedText, kind: QuestionKind, options: [QuestionOption], allowsFreeText: Bool = false,
        linkedItemIDs: [String] = [], required: Bool = true
    ) {
        self.id = id
        self.text = text
        self.kind = kind
        self.options = options
        self.allowsFreeText = allowsFreeText
        self.linkedItemIDs = linkedItemIDs
        self.required = required
    }
}

public struct QuestionOption: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var label: LocalizedText

    public init(id: String, label: LocalizedText) {
        self.id = id
        self.label = label
    }
}

/// One institution's answers to one version of a questionnaire.
public struct QuestionnaireResponse: Sendable, Hashable, Codable {
    public var questionnaireID: String
    public var questionnaireVersion: Int
    /// Question id → answer; unanswered questions are absent.
    public var answers: [String: QuestionAnswer]

    public init(questionnaireID: String, questionnaireVersion: Int, answers: [String: QuestionAnswer]) {
        self.questionnaireID = questionnaireID
        self.questionnaireVersion = questionnaireVersion
        self.answers = answers
    }
}

public struct QuestionAnswer: Sendable, Hashable, Codable {
    public var selectedOptionIDs: [String]
    public var freeText: String?

    public init(selectedOptionIDs: [String], freeText: String? = nil) {
        self.selectedOptionIDs = selectedOptionIDs
        self.freeText = freeText
    }

    /// An answer with no option chosen and no text counts as no answer.
    public var isEmpty: Bool {
        selectedOptionIDs.isEmpty && (freeText ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
}
