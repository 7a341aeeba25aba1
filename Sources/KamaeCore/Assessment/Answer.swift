import Foundation

/// One institution's answer to one catalog item in one assessment.
public struct Answer: Sendable, Hashable, Codable {
    public var itemID: String
    public var status: AnswerStatus?
    public var maturity: MaturityLevel?
    /// Required when the status is 対象外.
    public var notApplicableReason: String?
    public var evidenceText: String?
    public var owner: String?
    /// ISO 8601 date (yyyy-MM-dd).
    public var targetDate: String?
    public var comment: String?

    public init(
        itemID: String, status: AnswerStatus? = nil, maturity: MaturityLevel? = nil, notApplicableReason: String? = nil,
        evidenceText: String? = nil, owner: String? = nil, targetDate: String? = nil, comment: String? = nil
    ) {
        self.itemID = itemID
        self.status = status
        self.maturity = maturity
        self.notApplicableReason = notApplicableReason
        self.evidenceText = evidenceText
        self.owner = owner
        self.targetDate = targetDate
        self.comment = comment
    }

    public var isAnswered: Bool { status != nil }
}

/// What is wrong with an answer, naming the field, in both languages.
public struct AnswerProblem: Sendable, Hashable, Error, CustomStringConvertible {
    public var field: String
    public var message: LocalizedText

    public var description: String { "\(field): \(message.en)" }
}

public enum AnswerRules {
    public static let maximumTextLength = 10_000

    /// Every problem with an answer; empty when it can be saved.
    public static func problems(in answer: Answer, catalog: Catalog) -> [AnswerProblem] {
        var problems: [AnswerProblem] = []
        if catalog.item(id: answer.itemID) == nil {
            problems.append(AnswerProblem(field: "item_id", message: LocalizedText(ja: "ガイドラインにない項目です（\(answer.itemID)）。", en: "no such guideline item (\(answer.itemID)).")))
        }
        if answer.status == .notApplicable, (answer.notApplicableReason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(AnswerProblem(field: "not_applicable_reason", message: LocalizedText(ja: "対象外とする理由を記入してください。", en: "give the reason why the item does not apply.")))
        }
        if let date = answer.targetDate, !date.isEmpty, ISODate(date) == nil {
            problems.append(AnswerProblem(field: "target_date", message: LocalizedText(ja: "日付は YYYY-MM-DD 形式で入力してください（\(date.prefix(20))）。", en: "use a date as YYYY-MM-DD (got \(date.prefix(20))).")))
        }
        for (field, text) in [("evidence_text", answer.evidenceText), ("owner", answer.owner), ("comment", answer.comment), ("not_applicable_reason", answer.notApplicableReason)] {
            if let text, text.count > maximumTextLength {
                problems.append(AnswerProblem(field: field, message: LocalizedText(ja: "\(maximumTextLength) 文字以内にしてください。", en: "must be at most \(maximumTextLength) characters.")))
            }
        }
        return problems
    }
}

/// A calendar date in ISO 8601 form, compared as a date (no time zone games).
public struct ISODate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1, day <= ISODate.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Today in Japan, where Kamae's users work.
    public static func today(now: Date = Date()) -> ISODate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tokyo") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return ISODate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// YYYY-MM-DD, written by hand: String(format:) is slow on pages that show hundreds of dates.
    public var description: String {
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
    }

    public static func < (lhs: ISODate, rhs: ISODate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = ISODate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD date: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
