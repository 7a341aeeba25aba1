import Foundation
import KamaeCore

/// How widely an item is implemented among an institution's peers, in quarter bands rather than an exact share.
///
/// Bands are computed over the *other* members of the peer group and only when at least k (5) of them
/// contribute. With five or more contributors each band is consistent with at least two different counts,
/// so no band can tell an institution that every peer (or no peer) implemented an item — the one case in
/// which a share reveals individual answers.
public enum PeerAdoption: Int, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Fewer than 25 % of peers.
    case rare = 0
    /// 25 % to under 50 %.
    case uncommon = 1
    /// 50 % to under 75 %.
    case common = 2
    /// 75 % or more.
    case widespread = 3

    public init(share: Double) {
        switch share {
        case ..<0.25: self = .rare
        case ..<0.5: self = .uncommon
        case ..<0.75: self = .common
        default: self = .widespread
        }
    }

    /// The lowest share in the band.
    public var lowerBound: Double { Double(rawValue) * 0.25 }

    public var name: LocalizedText {
        switch self {
        case .rare: LocalizedText(ja: "同業の25%未満が実施", en: "Implemented by under 25% of peers")
        case .uncommon: LocalizedText(ja: "同業の25〜50%が実施", en: "Implemented by 25–50% of peers")
        case .common: LocalizedText(ja: "同業の50〜75%が実施", en: "Implemented by 50–75% of peers")
        case .widespread: LocalizedText(ja: "同業の75%以上が実施", en: "Implemented by 75% or more of peers")
        }
    }

    public static func < (lhs: PeerAdoption, rhs: PeerAdoption) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// An institution's rate in one section against its peer group.
public struct SectionPosition: Sendable, Hashable, Codable {
    public let section: String
    /// The institution's own rate, 0…1; nil when nothing in the section applies to it.
    public let rate: Double?
    /// The peer group's quartiles and median (the institution included), or suppressed below k.
    public let peers: PeerStatistic<PeerDistribution>
    /// 0…100: peers strictly below plus half the ties, the institution counted among its group; nil when
    /// suppressed or when the institution has no rate.
    public let percentileRank: Double?
    public let band: QuartileBand?
}

/// An item the institution has not fully implemented although most peers have.
public struct WeakItem: Sendable, Hashable, Codable {
    public let itemID: String
    public let kind: ItemKind
    /// nil when unanswered.
    public let status: AnswerStatus?
    public let peerAdoption: PeerAdoption
    /// `peerAdoption.lowerBound` minus the institution's own weight (一部実施 ½, otherwise 0).
    public let gap: Double
}

/// A basic item to work on next.
public struct PriorityItem: Sendable, Hashable, Codable {
    public let itemID: String
    public let status: AnswerStatus?
    /// nil when too few peers contribute to say.
    public let peerAdoption: PeerAdoption?
}

/// What the supervisor sends back to one institution: a pure value; rendering happens elsewhere.
/// It holds the institution's own figures and peer-group aggregates only, never another institution's value.
public struct InstitutionFeedback: Sendable, Hashable, Codable {
    public let institutionID: UUID
    public let fiscalYear: Int
    public let peerGroup: PeerGroup
    /// Institutions of the peer group that submitted this year, the institution included; itself a statistic of the
    /// group, so below k only "fewer than k" is said.
    public let peerCount: PeerStatistic<Int>
    /// "2" (overall) first, then every section in document order.
    public let sections: [SectionPosition]
    /// Weakest items first (largest gap, then basic before desirable, then catalog order).
    public let weakItems: [WeakItem]
    public let priorities: [PriorityItem]
}

extension SectorAnalysis {
    /// Feedback for one institution against its peer group in `grouping`; nil when it did not submit that year.
    ///
    /// - weak items: items not fully implemented (not 対象外) whose peer adoption is `.common` or `.widespread`,
    ///   ranked by gap;
    /// - priorities: basic items not fully implemented, those most peers have implemented first (by adoption band,
    ///   unknown last), then 未実施/unanswered before 一部実施, then catalog order.
    public func feedback(for institutionID: UUID, year: Int, grouping: PeerGrouping, weakItemLimit: Int = 10, priorityLimit: Int = 10) -> InstitutionFeedback? {
        guard let row = dataset.row(institutionID: institutionID, year: year),
              let institution = dataset.institution(id: institutionID)
        else { return nil }
        let index = groupIndexes[grouping]!
        let peerGroup = grouping.group(of: institution)
        let group = index.groups.firstIndex(of: peerGroup)!
        let peerRows = (dataset.rowsByYear[year] ?? []).filter { index.groupOfInstitution[dataset.rowInstitution[$0]] == group }
        let sectionCount = dataset.sectionNumbers.count

        let sections = dataset.sectionNumbers.indices.map { section -> SectionPosition in
            let values = sortedRates(year: year, section: section, grouping: grouping, group: group)
            let peers = policy.disclose(contributors: values.count) { PeerDistribution(sorted: values) }
            let own = dataset.sectionRates[row * sectionCount + section]
            let rate: Double? = own.isNaN ? nil : own
            guard let rate, let distribution = peers.value else {
                return SectionPosition(section: dataset.sectionNumbers[section], rate: rate, peers: peers, percentileRank: nil, band: nil)
            }
            return SectionPosition(
                section: dataset.sectionNumbers[section], rate: rate, peers: peers,
                percentileRank: Distribution.percentileRank(of: rate, sorted: values), band: distribution.band(of: rate)
            )
        }

        // Adoption among the other members of the group, per item.
        let itemCount = dataset.itemIDs.count
        let adoption: [PeerAdoption?] = (0..<itemCount).map { item in
            var applicable = 0
            var implemented = 0
            for peer in peerRows where peer != row {
                let code = dataset.status(row: peer, item: item)
                guard code != SectorDataset.Code.notApplicable else { continue }
                applicable += 1
                if code == SectorDataset.Code.implemented { implemented += 1 }
            }
            return policy.disclose(contributors: applicable) { PeerAdoption(share: Double(implemented) / Double(applicable)) }.value
        }

        var weak: [(Int, WeakItem)] = []
        var priorities: [(Int, PriorityItem)] = []
        for item in 0..<itemCount {
            let code = dataset.status(row: row, item: item)
            guard code != SectorDataset.Code.implemented, code != SectorDataset.Code.notApplicable else { continue }
            let status = Self.status(code)
            if let band = adoption[item], band >= .common {
                let own = code == SectorDataset.Code.partial ? 0.5 : 0
                weak.append((item, WeakItem(itemID: dataset.itemIDs[item], kind: dataset.itemKinds[item], status: status, peerAdoption: band, gap: band.lowerBound - own)))
            }
            if dataset.itemKinds[item] == .basic {
                priorities.append((item, PriorityItem(itemID: dataset.itemIDs[item], status: status, peerAdoption: adoption[item])))
            }
        }
        weak.sort { lhs, rhs in
            if lhs.1.gap != rhs.1.gap { return lhs.1.gap > rhs.1.gap }
            if lhs.1.kind != rhs.1.kind { return lhs.1.kind == .basic }
            return lhs.0 < rhs.0
        }
        priorities.sort { lhs, rhs in
            let (l, r) = (lhs.1.peerAdoption?.rawValue ?? -1, rhs.1.peerAdoption?.rawValue ?? -1)
            if l != r { return l > r }
            let (lp, rp) = (lhs.1.status == .partial, rhs.1.status == .partial)
            if lp != rp { return !lp }
            return lhs.0 < rhs.0
        }
        return InstitutionFeedback(
            institutionID: institutionID, fiscalYear: year, peerGroup: peerGroup, peerCount: policy.disclose(contributors: peerRows.count) { peerRows.count }, sections: sections,
            weakItems: weak.prefix(Swift.max(weakItemLimit, 0)).map(\.1), priorities: priorities.prefix(Swift.max(priorityLimit, 0)).map(\.1)
        )
    }

    static func status(_ code: UInt8) -> AnswerStatus? {
        switch code {
        case SectorDataset.Code.implemented: .implemented
        case SectorDataset.Code.partial: .partial
        case SectorDataset.Code.notImplemented: .notImplemented
        case SectorDataset.Code.notApplicable: .notApplicable
        default: nil
        }
    }
}
