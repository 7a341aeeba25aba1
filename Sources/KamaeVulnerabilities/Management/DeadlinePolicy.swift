import Foundation
import KamaeCore

/// How many days an institution gives itself to fix a vulnerability: a table of days by severity (rows) and the
/// affected system's criticality (columns), shortened for vulnerabilities known to be exploited (CISA KEV) or likely
/// to be (EPSS at or above a threshold).
public struct DeadlinePolicy: Codable, Sendable, Equatable {
    /// The severities that have their own row; `none` uses the `low` row.
    public static let rowSeverities: [Severity] = [.critical, .high, .medium, .low, .unknown]
    public static let allowedDays = 1...3650

    /// Days per cell, row-major: rows in `rowSeverities` order, columns high, medium, low criticality.
    private var cells: [Int]
    public var kevMaximumDays: Int
    /// An EPSS probability in 0…1; at or above it the EPSS limit applies.
    public var epssThreshold: Double
    public var epssMaximumDays: Int

    /// Days for critical, high, medium, low and unknown severity, each for high, medium and low criticality.
    public static let standard = DeadlinePolicy(
        critical: (7, 14, 30), high: (14, 30, 60), medium: (30, 90, 180), low: (90, 180, 365), unknown: (14, 30, 60))

    private init(critical: (Int, Int, Int), high: (Int, Int, Int), medium: (Int, Int, Int), low: (Int, Int, Int),
                 unknown: (Int, Int, Int)) {
        cells = [critical, high, medium, low, unknown].flatMap { [$0.0, $0.1, $0.2] }
        kevMaximumDays = 7
        epssThreshold = 0.1
        epssMaximumDays = 14
    }

    public func days(for severity: Severity, criticality: Criticality) -> Int {
        cells[Self.cellIndex(severity, criticality)]
    }

    public mutating func setDays(_ days: Int, for severity: Severity, criticality: Criticality) {
        cells[Self.cellIndex(severity, criticality)] = days
    }

    private static func cellIndex(_ severity: Severity, _ criticality: Criticality) -> Int {
        let row = switch severity {
        case .critical: 0
        case .high: 1
        case .medium: 2
        case .low, .none: 3
        case .unknown: 4
        }
        let column = switch criticality {
        case .high: 0
        case .medium: 1
        case .low: 2
        }
        return row * 3 + column
    }

    // MARK: Validation

    /// Every problem with the policy; empty when it can be saved.
    public func problems() -> [PolicyProblem] {
        var problems: [PolicyProblem] = []
        func checkDays(_ days: Int, field: String) {
            guard !Self.allowedDays.contains(days) else { return }
            problems.append(PolicyProblem(field: field, message: LocalizedText(
                ja: "日数は \(Self.allowedDays.lowerBound)〜\(Self.allowedDays.upperBound) で指定してください（\(days)）。",
                en: "days must be from \(Self.allowedDays.lowerBound) to \(Self.allowedDays.upperBound) (got \(days)).")))
        }
        for severity in Self.rowSeverities {
            for criticality in Criticality.allCases {
                checkDays(days(for: severity, criticality: criticality), field: Self.field(severity, criticality))
            }
        }
        checkDays(kevMaximumDays, field: CodingKeys.kevMaximumDays.stringValue)
        checkDays(epssMaximumDays, field: CodingKeys.epssMaximumDays.stringValue)
        if !(epssThreshold.isFinite && (0...1).contains(epssThreshold)) {
            problems.append(PolicyProblem(field: CodingKeys.epssThreshold.stringValue, message: LocalizedText(
                ja: "EPSS のしきい値は 0〜1 で指定してください。", en: "the EPSS threshold must be from 0 to 1.")))
        }
        // A more severe vulnerability must never be given longer than a less severe one on the same system.
        let ordered: [Severity] = [.critical, .high, .medium, .low]
        for (moreSevere, lessSevere) in zip(ordered, ordered.dropFirst()) {
            for criticality in Criticality.allCases {
                let longer = days(for: moreSevere, criticality: criticality)
                let shorter = days(for: lessSevere, criticality: criticality)
                guard longer > shorter else { continue }
                problems.append(PolicyProblem(field: Self.field(moreSevere, criticality), message: LocalizedText(
                    ja: "重要度「\(criticality.name.ja)」で、深刻度「\(moreSevere.name.ja)」の日数（\(longer)）が「\(lessSevere.name.ja)」の日数（\(shorter)）より長くなっています。",
                    en: "for \(criticality.name.en) criticality, \(moreSevere.name.en) allows \(longer) days, more than \(lessSevere.name.en) (\(shorter)).")))
            }
        }
        return problems
    }

    private static func field(_ severity: Severity, _ criticality: Criticality) -> String {
        "\(severity.rawValue).\(criticality.rawValue)"
    }

    // MARK: Deadlines and priority

    /// The fix-by date of a finding: the shortest limit among the rules that apply. `reasons` lists each of them.
    public func deadline(discovered: ISODate, severity: Severity, criticality: Criticality, knownExploited: Bool,
                         epss: Double?) -> Deadline {
        var reasons: [DeadlineReason] = [.policy(severity, criticality, days: days(for: severity, criticality: criticality))]
        if knownExploited { reasons.append(.knownExploited(days: kevMaximumDays)) }
        if let epss, epss >= epssThreshold { reasons.append(.epss(score: epss, days: epssMaximumDays)) }
        let days = reasons.map(\.days).min() ?? 0
        return Deadline(date: discovered.adding(days: days), days: days, reasons: reasons)
    }

    /// Which findings to handle first: known exploitation, then likely exploitation or critical severity.
    public func priority(severity: Severity, knownExploited: Bool, epss: Double?) -> FindingPriority {
        if knownExploited { return .urgent }
        if severity == .critical || (epss.map { $0 >= epssThreshold } ?? false) { return .high }
        return switch severity {
        case .high, .medium, .unknown: .normal
        case .critical, .low, .none: .low
        }
    }

    // MARK: Codable

    /// `{"days":{"critical":{"high":7,"medium":14,"low":30},…},"kev_maximum_days":7,"epss_threshold":0.1,
    /// "epss_maximum_days":14}`; every cell is required.
    private enum CodingKeys: String, CodingKey {
        case days
        case kevMaximumDays = "kev_maximum_days"
        case epssThreshold = "epss_threshold"
        case epssMaximumDays = "epss_maximum_days"
    }

    private struct NameKey: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let rows = try container.nestedContainer(keyedBy: NameKey.self, forKey: .days)
        var cells: [Int] = []
        for severity in Self.rowSeverities {
            let row = try rows.nestedContainer(keyedBy: NameKey.self, forKey: NameKey(stringValue: severity.rawValue))
            for criticality in Criticality.allCases {
                cells.append(try row.decode(Int.self, forKey: NameKey(stringValue: criticality.rawValue)))
            }
        }
        self.cells = cells
        kevMaximumDays = try container.decode(Int.self, forKey: .kevMaximumDays)
        epssThreshold = try container.decode(Double.self, forKey: .epssThreshold)
        epssMaximumDays = try container.decode(Int.self, forKey: .epssMaximumDays)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var rows = container.nestedContainer(keyedBy: NameKey.self, forKey: .days)
        for severity in Self.rowSeverities {
            var row = rows.nestedContainer(keyedBy: NameKey.self, forKey: NameKey(stringValue: severity.rawValue))
            for criticality in Criticality.allCases {
                try row.encode(days(for: severity, criticality: criticality), forKey: NameKey(stringValue: criticality.rawValue))
            }
        }
        try container.encode(kevMaximumDays, forKey: .kevMaximumDays)
        try container.encode(epssThreshold, forKey: .epssThreshold)
        try container.encode(epssMaximumDays, forKey: .epssMaximumDays)
    }
}

/// A finding's fix-by date and the rules behind it.
public struct Deadline: Sendable, Hashable, Codable {
    public var date: ISODate
    /// Days from discovery to `date`: the shortest limit among `reasons`.
    public var days: Int
    /// Every rule that applied, the policy table first.
    public var reasons: [DeadlineReason]

    public init(date: ISODate, days: Int, reasons: [DeadlineReason]) {
        self.date = date
        self.days = days
        self.reasons = reasons
    }
}

/// One rule that limits a deadline.
public enum DeadlineReason: Sendable, Hashable, Codable {
    case policy(Severity, Criticality, days: Int)
    case knownExploited(days: Int)
    case epss(score: Double, days: Int)

    public var days: Int {
        switch self {
        case let .policy(_, _, days), let .knownExploited(days), let .epss(_, days): days
        }
    }

    public var text: LocalizedText {
        switch self {
        case let .policy(severity, criticality, days):
            LocalizedText(ja: "深刻度「\(severity.name.ja)」・重要度「\(criticality.name.ja)」の対応期限: \(days)日",
                          en: "\(severity.name.en) severity on a \(criticality.name.en.lowercased())-criticality system: \(days) days")
        case let .knownExploited(days):
            LocalizedText(ja: "悪用が確認されている脆弱性（CISA KEV）: \(days)日以内",
                          en: "known to be exploited (CISA KEV): within \(days) days")
        case let .epss(score, days):
            LocalizedText(ja: "悪用される可能性が高い（EPSS \(Self.formatted(score))）: \(days)日以内",
                          en: "likely to be exploited (EPSS \(Self.formatted(score))): within \(days) days")
        }
    }

    private static func formatted(_ score: Double) -> String { String(format: "%.3f", score) }
}

/// The order in which to work on findings.
public enum FindingPriority: String, Codable, CaseIterable, Comparable, Sendable {
    case urgent, high, normal, low

    public var name: LocalizedText {
        switch self {
        case .urgent: LocalizedText(ja: "緊急対応", en: "Urgent")
        case .high: LocalizedText(ja: "高", en: "High")
        case .normal: LocalizedText(ja: "中", en: "Normal")
        case .low: LocalizedText(ja: "低", en: "Low")
        }
    }

    public static func < (lhs: FindingPriority, rhs: FindingPriority) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .low: 0
        case .normal: 1
        case .high: 2
        case .urgent: 3
        }
    }
}
