/// How far an item is implemented. 対象外 needs a reason and is left out of every rate.
public enum AnswerStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case implemented
    case partial
    case notImplemented = "not_implemented"
    case notApplicable = "not_applicable"

    public var name: LocalizedText {
        switch self {
        case .implemented: LocalizedText(ja: "実施済", en: "Implemented")
        case .partial: LocalizedText(ja: "一部実施", en: "Partially implemented")
        case .notImplemented: LocalizedText(ja: "未実施", en: "Not implemented")
        case .notApplicable: LocalizedText(ja: "対象外", en: "Not applicable")
        }
    }

    /// Weight in the implementation rate, in halves (実施済 = 2/2, 一部実施 = 1/2, 未実施 = 0); nil when excluded.
    public var halves: Int? {
        switch self {
        case .implemented: 2
        case .partial: 1
        case .notImplemented: 0
        case .notApplicable: nil
        }
    }

    /// Parses the Japanese label used in spreadsheets as well as the API value.
    public init?(label: String) {
        let trimmed = label.trimmingCharacters(in: .whitespaces)
        if let status = AnswerStatus(rawValue: trimmed) {
            self = status
            return
        }
        guard let status = AnswerStatus.allCases.first(where: { $0.name.ja == trimmed || $0.name.en.lowercased() == trimmed.lowercased() }) else {
            return nil
        }
        self = status
    }
}

/// Maturity 0–5, each level with its meaning written out so that answers are comparable across people and years.
public enum MaturityLevel: Int, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case nonExistent = 0
    case initial = 1
    case repeatable = 2
    case defined = 3
    case managed = 4
    case optimised = 5

    public static func < (lhs: MaturityLevel, rhs: MaturityLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    public var name: LocalizedText {
        switch self {
        case .nonExistent: LocalizedText(ja: "未整備", en: "Non-existent")
        case .initial: LocalizedText(ja: "初期", en: "Initial")
        case .repeatable: LocalizedText(ja: "反復可能", en: "Repeatable")
        case .defined: LocalizedText(ja: "定義済", en: "Defined")
        case .managed: LocalizedText(ja: "管理", en: "Managed")
        case .optimised: LocalizedText(ja: "最適化", en: "Optimised")
        }
    }

    public var meaning: LocalizedText {
        switch self {
        case .nonExistent:
            LocalizedText(ja: "取組みがなく、必要性も認識されていない。", en: "Nothing is in place and the need is not recognised.")
        case .initial:
            LocalizedText(ja: "個人の判断で場当たり的に行われ、手順や記録がない。", en: "Done ad hoc by individuals, without procedures or records.")
        case .repeatable:
            LocalizedText(ja: "担当者の経験で繰り返し行われているが、文書化・標準化は不十分。", en: "Repeated from experience, but not documented or standardised.")
        case .defined:
            LocalizedText(ja: "規程・手順が文書化・承認され、組織全体で一貫して実施されている。", en: "Documented, approved procedures are followed consistently across the organisation.")
        case .managed:
            LocalizedText(ja: "実施状況が指標で測定・監視され、有効性が定期的に評価されている。", en: "Measured and monitored with indicators; effectiveness is reviewed regularly.")
        case .optimised:
            LocalizedText(ja: "評価結果や脅威動向を踏まえて継続的に改善され、先進的な水準にある。", en: "Continuously improved from results and threat trends; leading practice.")
        }
    }
}
