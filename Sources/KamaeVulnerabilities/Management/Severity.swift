import Foundation
import KamaeCore

/// How serious a vulnerability is, on the CVSS qualitative scale, plus `unknown` for advisories that publish no
/// readable rating. Ordered from `unknown` (least known) through `none` up to `critical`, so `max()` is the most severe.
public enum Severity: String, Codable, CaseIterable, Comparable, Sendable {
    case critical, high, medium, low, none, unknown

    /// Reads what an advisory published: a CVSS vector (2.0, 3.0, 3.1 or 4.0), a bare score (`7.5`) or a rating word
    /// (`CRITICAL`, `Important`, `moderate`, `negligible` …, any case). Anything unreadable is `unknown`.
    public init(published: String?) {
        guard let text = published?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            self = .unknown
            return
        }
        if let score = Severity.score(published: text) {
            self = Severity.from(score: score)
        } else {
            self = Severity.ratingWords[text.lowercased()] ?? .unknown
        }
    }

    /// The CVSS qualitative rating of a score: 0 none, 0.1–3.9 low, 4.0–6.9 medium, 7.0–8.9 high, 9.0–10 critical.
    /// A score outside 0…10 (or not a number) is `unknown`.
    public static func from(score: Double) -> Severity {
        guard score.isFinite, (0...10).contains(score) else { return .unknown }
        return switch Int((score * 10).rounded()) {
        case 0: .none
        case 1...39: .low
        case 40...69: .medium
        case 70...89: .high
        default: .critical
        }
    }

    /// The numeric score of a published CVSS vector or bare score; nil for rating words and unreadable text.
    /// CVSS 2.0 vectors get their base score (temporal and environmental metrics are left out).
    public static func score(published: String?) -> Double? {
        guard let text = published?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        if text.hasPrefix("CVSS:") {
            return try? CVSS.score(text).value
        }
        if let score = CVSS2BaseScore.score(text) { return score }
        if let number = Double(text), number.isFinite, (0...10).contains(number) { return number }
        return nil
    }

    public var name: LocalizedText {
        switch self {
        case .critical: LocalizedText(ja: "緊急", en: "Critical")
        case .high: LocalizedText(ja: "重要", en: "High")
        case .medium: LocalizedText(ja: "警告", en: "Medium")
        case .low: LocalizedText(ja: "注意", en: "Low")
        case .none: LocalizedText(ja: "なし", en: "None")
        case .unknown: LocalizedText(ja: "不明", en: "Unknown")
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .unknown: 0
        case .none: 1
        case .low: 2
        case .medium: 3
        case .high: 4
        case .critical: 5
        }
    }

    /// Vendor and distribution ratings (GHSA, Red Hat, Ubuntu, Debian, Microsoft, JVN) on the CVSS scale.
    private static let ratingWords: [String: Severity] = [
        "critical": .critical, "緊急": .critical,
        "high": .high, "important": .high, "重要": .high, "高": .high,
        "medium": .medium, "moderate": .medium, "警告": .medium, "中": .medium,
        "low": .low, "negligible": .low, "unimportant": .low, "注意": .low, "低": .low,
        "none": .none, "なし": .none,
    ]
}

/// The CVSS 2.0 base equation, for advisories (older NVD and JVN entries) that publish only a v2 vector such as
/// `AV:N/AC:L/Au:N/C:P/I:P/A:P` or `(AV:N/AC:L/Au:N/C:P/I:P/A:P)`.
enum CVSS2BaseScore {
    static func score(_ text: String) -> Double? {
        var body = Substring(text)
        if body.hasPrefix("("), body.hasSuffix(")") { body = body.dropFirst().dropLast() }
        if body.hasPrefix("CVSS2#") { body = body.dropFirst(6) }
        var values: [Substring: Substring] = [:]
        for metric in body.split(separator: "/", omittingEmptySubsequences: false) {
            let parts = metric.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, values.updateValue(parts[1], forKey: parts[0]) == nil else { return nil }
        }
        guard let accessVector = values["AV"].flatMap({ ["L": 0.395, "A": 0.646, "N": 1.0][$0] }),
              let accessComplexity = values["AC"].flatMap({ ["H": 0.35, "M": 0.61, "L": 0.71][$0] }),
              let authentication = values["Au"].flatMap({ ["M": 0.45, "S": 0.56, "N": 0.704][$0] }),
              let confidentiality = values["C"].flatMap(impact),
              let integrity = values["I"].flatMap(impact),
              let availability = values["A"].flatMap(impact)
        else { return nil }
        let impactScore = 10.41 * (1 - (1 - confidentiality) * (1 - integrity) * (1 - availability))
        let exploitability = 20 * accessVector * accessComplexity * authentication
        let scale = impactScore == 0 ? 0 : 1.176
        let base = (0.6 * impactScore + 0.4 * exploitability - 1.5) * scale
        return max(0, (base * 10).rounded() / 10)
    }

    private static func impact(_ value: Substring) -> Double? {
        ["N": 0.0, "P": 0.275, "C": 0.660][value]
    }
}
