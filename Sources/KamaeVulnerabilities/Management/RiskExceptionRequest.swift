import Foundation
import KamaeCore

/// A request to accept the risk of a finding instead of fixing it: why, what compensates, and until when.
public struct RiskExceptionRequest: Codable, Sendable, Hashable {
    public static let textLengths = 1...2000
    /// About three years: an exception must be looked at again at least that often.
    public static let maximumDaysAhead = 1096

    public var reason: String
    public var compensatingControls: String
    /// The last day the exception holds.
    public var expiry: ISODate

    public init(reason: String, compensatingControls: String, expiry: ISODate) {
        self.reason = reason
        self.compensatingControls = compensatingControls
        self.expiry = expiry
    }

    private enum CodingKeys: String, CodingKey {
        case reason
        case compensatingControls = "compensating_controls"
        case expiry
    }

    /// Every problem with the request on `today`; empty when it can be submitted.
    public func problems(today: ISODate) -> [PolicyProblem] {
        var problems: [PolicyProblem] = []
        for (key, text, label) in [(CodingKeys.reason, reason, LocalizedText(ja: "受容の理由", en: "the reason")),
                                   (.compensatingControls, compensatingControls, LocalizedText(ja: "代替策", en: "the compensating controls"))] {
            let length = text.trimmingCharacters(in: .whitespacesAndNewlines).count
            if length == 0 {
                problems.append(PolicyProblem(field: key.stringValue, message: LocalizedText(
                    ja: "\(label.ja)を記入してください。", en: "give \(label.en).")))
            } else if length > Self.textLengths.upperBound {
                problems.append(PolicyProblem(field: key.stringValue, message: LocalizedText(
                    ja: "\(label.ja)は \(Self.textLengths.upperBound) 文字以内にしてください。",
                    en: "\(label.en) must be at most \(Self.textLengths.upperBound) characters.")))
            }
        }
        if expiry <= today {
            problems.append(PolicyProblem(field: CodingKeys.expiry.stringValue, message: LocalizedText(
                ja: "有効期限は今日より後の日付にしてください。", en: "the expiry must be after today.")))
        } else if today.days(until: expiry) > Self.maximumDaysAhead {
            problems.append(PolicyProblem(field: CodingKeys.expiry.stringValue, message: LocalizedText(
                ja: "有効期限は今日から \(Self.maximumDaysAhead) 日以内（約3年）にしてください。",
                en: "the expiry must be at most \(Self.maximumDaysAhead) days (about three years) from today.")))
        }
        return problems
    }

    /// An exception lapses the day after its expiry date.
    public static func isExpired(expiry: ISODate, today: ISODate) -> Bool {
        today > expiry
    }
}
