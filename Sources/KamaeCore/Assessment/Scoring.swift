/// An implementation rate: 実施済 = 1, 一部実施 = 0.5, 未実施 (and unanswered) = 0, 対象外 excluded.
/// Kept as exact halves so that sums and comparisons never suffer from floating point.
public struct ImplementationRate: Sendable, Hashable, Codable {
    /// Sum of weights in halves (実施済 counts 2, 一部実施 1).
    public var halves: Int
    /// Items that count: every applicable item, answered or not.
    public var applicable: Int
    public var implemented: Int
    public var partial: Int
    public var notImplemented: Int
    public var unanswered: Int
    public var notApplicable: Int

    public init() {
        halves = 0; applicable = 0; implemented = 0; partial = 0; notImplemented = 0; unanswered = 0; notApplicable = 0
    }

    /// 0…1, or nil when nothing applies.
    public var value: Double? {
        applicable == 0 ? nil : Double(halves) / Double(2 * applicable)
    }

    /// Percentage rounded half up to one decimal, e.g. 66.7.
    public var percent: Double? {
        guard applicable > 0 else { return nil }
        // round-half-up of 1000 * halves / (2 * applicable), in integers
        let numerator = 1000 * halves
        let denominator = 2 * applicable
        return Double((2 * numerator + denominator) / (2 * denominator)) / 10
    }

    public var answered: Int { implemented + partial + notImplemented + notApplicable }

    mutating func add(_ status: AnswerStatus?) {
        switch status {
        case .implemented: implemented += 1; applicable += 1; halves += 2
        case .partial: partial += 1; applicable += 1; halves += 1
        case .notImplemented: notImplemented += 1; applicable += 1
        case .notApplicable: notApplicable += 1
        case nil: unanswered += 1; applicable += 1
        }
    }
}

/// The scores of one assessment, computed from the catalog and the answers alone.
public struct AssessmentScore: Sendable, Hashable {
    public var overall: ImplementationRate
    public var byKind: [ItemKind: ImplementationRate]
    /// Per section number, including the items of its subsections (2.2 covers 2.2.1.1 …).
    public var bySection: [String: ImplementationRate]
    /// Per section and kind, with subsections included (for basic-versus-desirable charts).
    public var bySectionAndKind: [String: [ItemKind: ImplementationRate]]
    /// Mean maturity over answered, applicable items that carry a maturity level; nil when none does.
    public var averageMaturity: Double?
    public var maturityByKind: [ItemKind: Double]

    /// The headline: implementation rate of the basic measures (基本的な対応事項).
    public var basicCoverage: ImplementationRate { byKind[.basic] ?? ImplementationRate() }

    public func section(_ number: String) -> ImplementationRate { bySection[number] ?? ImplementationRate() }

    public func section(_ number: String, kind: ItemKind) -> ImplementationRate {
        bySectionAndKind[number]?[kind] ?? ImplementationRate()
    }
}

public enum Scoring {
    public static func score(catalog: Catalog, answers: [String: Answer]) -> AssessmentScore {
        var overall = ImplementationRate()
        var byKind: [ItemKind: ImplementationRate] = [:]
        var bySection: [String: ImplementationRate] = [:]
        var bySectionAndKind: [String: [ItemKind: ImplementationRate]] = [:]
        var maturitySum: [ItemKind: Int] = [:]
        var maturityCount: [ItemKind: Int] = [:]
        for item in catalog.items {
            let answer = answers[item.id]
            let status = answer?.status
            overall.add(status)
            byKind[item.kind, default: ImplementationRate()].add(status)
            for ancestor in sectionChain(item.section) {
                bySection[ancestor, default: ImplementationRate()].add(status)
                bySectionAndKind[ancestor, default: [:]][item.kind, default: ImplementationRate()].add(status)
            }
            if let maturity = answer?.maturity, status != nil, status != .notApplicable {
                maturitySum[item.kind, default: 0] += maturity.rawValue
                maturityCount[item.kind, default: 0] += 1
            }
        }
        let totalCount = maturityCount.values.reduce(0, +)
        let average = totalCount == 0 ? nil : Double(maturitySum.values.reduce(0, +)) / Double(totalCount)
        var maturityByKind: [ItemKind: Double] = [:]
        for (kind, count) in maturityCount where count > 0 {
            maturityByKind[kind] = Double(maturitySum[kind] ?? 0) / Double(count)
        }
        return AssessmentScore(overall: overall, byKind: byKind, bySection: bySection, bySectionAndKind: bySectionAndKind, averageMaturity: average, maturityByKind: maturityByKind)
    }

    /// "2.2.1.2" → ["2.2", "2.2.1", "2.2.1.2"] (every level below chapter 2).
    static func sectionChain(_ number: String) -> [String] {
        let parts = number.split(separator: ".")
        guard parts.count >= 2 else { return [number] }
        return (2...parts.count).map { parts.prefix($0).joined(separator: ".") }
    }
}

/// One item that is not fully implemented.
public struct Gap: Sendable, Hashable {
    public var item: CatalogItem
    /// nil when the item has not been answered yet.
    public var status: AnswerStatus?
    public var maturity: MaturityLevel?
}

public enum GapAnalysis {
    /// Basic items not fully implemented first, then desirable ones; within each, 未実施 and unanswered before
    /// 一部実施, then the guideline's order. 実施済 and 対象外 are not gaps.
    public static func gaps(catalog: Catalog, answers: [String: Answer]) -> [Gap] {
        let gaps = catalog.items.enumerated().compactMap { index, item -> (Int, Gap)? in
            let answer = answers[item.id]
            switch answer?.status {
            case .implemented, .notApplicable: return nil
            default: return (index, Gap(item: item, status: answer?.status, maturity: answer?.maturity))
            }
        }
        return gaps.sorted { lhs, rhs in
            let (l, r) = (lhs.1, rhs.1)
            if l.item.kind != r.item.kind { return l.item.kind == .basic }
            let (lp, rp) = (l.status == .partial, r.status == .partial)
            if lp != rp { return !lp }
            return lhs.0 < rhs.0
        }.map(\.1)
    }
}

/// What changed for one item between two years.
public struct YearOverYearChange: Sendable, Hashable {
    public var itemID: String
    public var previousStatus: AnswerStatus?
    public var currentStatus: AnswerStatus?
    public var previousMaturity: MaturityLevel?
    public var currentMaturity: MaturityLevel?

    /// +1 better, -1 worse, 0 same status (maturity may still have moved).
    public var direction: Int {
        let before = previousStatus?.halves ?? 0
        let after = currentStatus?.halves ?? 0
        return after > before ? 1 : (after < before ? -1 : 0)
    }
}

public enum YearOverYear {
    /// Items whose status or maturity differs between last year and this year, in catalog order.
    public static func changes(catalog: Catalog, previous: [String: Answer], current: [String: Answer]) -> [YearOverYearChange] {
        catalog.items.compactMap { item in
            let before = previous[item.id]
            let after = current[item.id]
            guard before?.status != after?.status || before?.maturity != after?.maturity else { return nil }
            return YearOverYearChange(
                itemID: item.id, previousStatus: before?.status, currentStatus: after?.status,
                previousMaturity: before?.maturity, currentMaturity: after?.maturity
            )
        }
    }
}
