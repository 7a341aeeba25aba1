import Foundation
import KamaeCore

/// Section rate distributions of every peer group of one grouping in one year (groups × sections).
public struct SectionDistributionTable: Sendable, Hashable {
    public let year: Int
    public let grouping: PeerGrouping
    public let groups: [PeerGroup]
    /// "2" (overall) first, then every section in document order.
    public let sections: [String]
    /// cells[group][section].
    public let cells: [[PeerStatistic<PeerDistribution>]]

    public subscript(group: PeerGroup, section: String) -> PeerStatistic<PeerDistribution>? {
        guard let g = groups.firstIndex(of: group), let s = sections.firstIndex(of: section) else { return nil }
        return cells[g][s]
    }
}

/// Share of institutions that implemented each item (実施済), per peer group: items × groups.
/// Institutions for which the item is 対象外 are left out; unanswered counts as not implemented.
public struct HeatMap: Sendable, Hashable {
    public let year: Int
    public let grouping: PeerGrouping
    public let itemIDs: [String]
    public let groups: [PeerGroup]
    /// cells[item][group], 0…1; suppressed cells carry the number of contributing institutions.
    public let cells: [[PeerStatistic<Double>]]

    public subscript(item: String, group: PeerGroup) -> PeerStatistic<Double>? {
        guard let i = itemIDs.firstIndex(of: item), let g = groups.firstIndex(of: group) else { return nil }
        return cells[i][g]
    }
}

/// One item's implementation share across a group.
public struct ItemShare: Sendable, Hashable {
    public let itemID: String
    public let kind: ItemKind
    /// 0…1.
    public let share: Double
    public let contributors: Int
}

/// How a group's median moved between two years.
public struct MedianMovement: Sendable, Hashable, Codable {
    public let previous: Double
    public let current: Double
    public var change: Double { current - previous }
}

public struct MedianMovementTable: Sendable, Hashable {
    public let fromYear: Int
    public let toYear: Int
    public let grouping: PeerGrouping
    public let groups: [PeerGroup]
    public let sections: [String]
    /// cells[group][section]; suppressed when either year's group is below k (with the smaller count).
    public let cells: [[PeerStatistic<MedianMovement>]]

    public subscript(group: PeerGroup, section: String) -> PeerStatistic<MedianMovement>? {
        guard let g = groups.firstIndex(of: group), let s = sections.firstIndex(of: section) else { return nil }
        return cells[g][s]
    }
}

/// An institution whose basic-item coverage is below the supervisor's threshold.
/// **For the supervisor only**: it names the institution and must never be shown to another institution.
public struct CoverageFlag: Sendable, Hashable {
    public let institution: InstitutionProfile
    /// 0…1, the implementation rate of the basic items (KamaeCore's `basicCoverage`).
    public let basicCoverage: Double
    /// Applicable basic items not fully implemented (一部実施, 未実施 or unanswered).
    public let basicItemsNotImplemented: Int
}

/// The supervisor's sector analysis over a `SectorDataset`, with k-anonymity on every group statistic.
public struct SectorAnalysis: Sendable {
    public let dataset: SectorDataset
    public let policy: KAnonymity
    let groupIndexes: [PeerGrouping: GroupIndex]

    struct GroupIndex: Sendable {
        let groups: [PeerGroup]
        /// Institution index → group index.
        let groupOfInstitution: [Int]
    }

    public init(dataset: SectorDataset, policy: KAnonymity = KAnonymity()) {
        self.dataset = dataset
        self.policy = policy
        var indexes: [PeerGrouping: GroupIndex] = [:]
        for grouping in PeerGrouping.allCases {
            let groups = Set(dataset.institutions.map(grouping.group(of:))).union(grouping == .all ? [PeerGroup.all] : []).sorted()
            var position: [PeerGroup: Int] = [:]
            for (index, group) in groups.enumerated() { position[group] = index }
            indexes[grouping] = GroupIndex(groups: groups, groupOfInstitution: dataset.institutions.map { position[grouping.group(of: $0)]! })
        }
        groupIndexes = indexes
    }

    /// The groups of a grouping, in their fixed order (every group with at least one registered institution).
    public func groups(_ grouping: PeerGrouping) -> [PeerGroup] { groupIndexes[grouping]!.groups }

    public func group(of institutionID: UUID, in grouping: PeerGrouping) -> PeerGroup? {
        dataset.institution(id: institutionID).map(grouping.group(of:))
    }

    // MARK: Section distributions

    public func sectionDistributions(year: Int, grouping: PeerGrouping) -> SectionDistributionTable {
        sectionDistributions(year: year, groupings: [grouping])[0]
    }

    /// Tables for several groupings at once: each section's values are sorted once and then dealt out to the groups
    /// in order, so every group's list arrives already sorted.
    public func sectionDistributions(year: Int, groupings: [PeerGrouping]) -> [SectionDistributionTable] {
        let rows = dataset.rowsByYear[year] ?? []
        let sectionCount = dataset.sectionNumbers.count
        let indexes = groupings.map { groupIndexes[$0]! }
        var cells: [[[PeerStatistic<PeerDistribution>]]] = indexes.map {
            Array(repeating: Array(repeating: .suppressed(count: 0), count: sectionCount), count: $0.groups.count)
        }
        var buckets: [[[Double]]] = indexes.map { index in
            index.groups.map { _ in var bucket: [Double] = []; bucket.reserveCapacity(rows.count); return bucket }
        }
        var pairs: [(value: Double, institution: Int)] = []
        pairs.reserveCapacity(rows.count)
        dataset.sectionRates.withUnsafeBufferPointer { rates in
            for section in 0..<sectionCount {
                pairs.removeAll(keepingCapacity: true)
                for row in rows {
                    let value = rates[row * sectionCount + section]
                    if !value.isNaN { pairs.append((value, dataset.rowInstitution[row])) }
                }
                pairs.sort { $0.value < $1.value }
                for (g, index) in indexes.enumerated() {
                    for bucket in buckets[g].indices { buckets[g][bucket].removeAll(keepingCapacity: true) }
                    for pair in pairs { buckets[g][index.groupOfInstitution[pair.institution]].append(pair.value) }
                    for group in index.groups.indices {
                        let values = buckets[g][group]
                        cells[g][group][section] = policy.disclose(contributors: values.count) { PeerDistribution(sorted: values) }
                    }
                }
            }
        }
        return groupings.indices.map { g in
            SectionDistributionTable(year: year, grouping: groupings[g], groups: indexes[g].groups, sections: dataset.sectionNumbers, cells: cells[g])
        }
    }

    /// Every year × every grouping.
    public func allSectionDistributions() -> [SectionDistributionTable] {
        dataset.years.flatMap { sectionDistributions(year: $0, groupings: PeerGrouping.allCases) }
    }

    /// The sorted section rates of one group in one year (for the supervisor and for feedback positions).
    func sortedRates(year: Int, section: Int, grouping: PeerGrouping, group: Int) -> [Double] {
        let index = groupIndexes[grouping]!
        let sectionCount = dataset.sectionNumbers.count
        var values: [Double] = []
        for row in dataset.rowsByYear[year] ?? [] where index.groupOfInstitution[dataset.rowInstitution[row]] == group {
            let value = dataset.sectionRates[row * sectionCount + section]
            if !value.isNaN { values.append(value) }
        }
        return values.sorted()
    }

    // MARK: Item shares

    public func heatMap(year: Int, grouping: PeerGrouping) -> HeatMap {
        let index = groupIndexes[grouping]!
        let itemCount = dataset.itemIDs.count
        let groupCount = index.groups.count
        var implemented = [Int](repeating: 0, count: itemCount * groupCount)
        var applicable = [Int](repeating: 0, count: itemCount * groupCount)
        dataset.statusCodes.withUnsafeBufferPointer { codes in
            for row in dataset.rowsByYear[year] ?? [] {
                let base = index.groupOfInstitution[dataset.rowInstitution[row]] * itemCount
                let rowBase = row * itemCount
                for item in 0..<itemCount {
                    let code = codes[rowBase + item]
                    if code == SectorDataset.Code.notApplicable { continue }
                    applicable[base + item] += 1
                    if code == SectorDataset.Code.implemented { implemented[base + item] += 1 }
                }
            }
        }
        let cells = (0..<itemCount).map { item in
            (0..<groupCount).map { group in
                let cell = group * itemCount + item
                return policy.disclose(contributors: applicable[cell]) { Double(implemented[cell]) / Double(applicable[cell]) }
            }
        }
        return HeatMap(year: year, grouping: grouping, itemIDs: dataset.itemIDs, groups: index.groups, cells: cells)
    }

    /// The `count` items least often implemented across the sector (published shares only), lowest first;
    /// ties in catalog order.
    public func lowestItems(year: Int, count: Int, kind: ItemKind? = nil) -> [ItemShare] {
        let map = heatMap(year: year, grouping: .all)
        let shares: [(Int, ItemShare)] = map.cells.enumerated().compactMap { item, row in
            guard kind == nil || dataset.itemKinds[item] == kind, case let .published(share) = row[0] else { return nil }
            return (item, ItemShare(itemID: map.itemIDs[item], kind: dataset.itemKinds[item], share: share, contributors: contributors(year: year, item: item)))
        }
        return shares.sorted { ($0.1.share, $0.0) < ($1.1.share, $1.0) }.prefix(Swift.max(count, 0)).map(\.1)
    }

    func contributors(year: Int, item: Int) -> Int {
        (dataset.rowsByYear[year] ?? []).reduce(0) { $0 + (dataset.status(row: $1, item: item) == SectorDataset.Code.notApplicable ? 0 : 1) }
    }

    // MARK: Year over year

    /// The movement of each group's median section rate between two years (cross-sections: each year's submitters).
    public func medianMovement(from previousYear: Int, to currentYear: Int, grouping: PeerGrouping) -> MedianMovementTable {
        let before = sectionDistributions(year: previousYear, grouping: grouping)
        let after = sectionDistributions(year: currentYear, grouping: grouping)
        let cells = before.groups.indices.map { g in
            before.sections.indices.map { s -> PeerStatistic<MedianMovement> in
                switch (before.cells[g][s], after.cells[g][s]) {
                case let (.published(old), .published(new)):
                    .published(MedianMovement(previous: old.median, current: new.median))
                case let (.published(old), .suppressed(count)), let (.suppressed(count), .published(old)):
                    .suppressed(count: Swift.min(count, old.count))
                case let (.suppressed(oldCount), .suppressed(newCount)):
                    .suppressed(count: Swift.min(oldCount, newCount))
                }
            }
        }
        return MedianMovementTable(fromYear: previousYear, toYear: currentYear, grouping: grouping, groups: before.groups, sections: before.sections, cells: cells)
    }

    // MARK: Supervisor-only lists

    /// Institutions whose basic-item coverage is below `threshold` (0…1), lowest first, then by name.
    /// **Names institutions: for the supervisor only.**
    public func institutionsBelow(basicCoverage threshold: Double, year: Int) -> [CoverageFlag] {
        let itemCount = dataset.itemIDs.count
        let flags: [CoverageFlag] = (dataset.rowsByYear[year] ?? []).compactMap { row in
            let coverage = dataset.basicCoverage[row]
            guard !coverage.isNaN, coverage < threshold else { return nil }
            var gaps = 0
            for item in 0..<itemCount where dataset.itemKinds[item] == .basic {
                let code = dataset.statusCodes[row * itemCount + item]
                if code != SectorDataset.Code.implemented, code != SectorDataset.Code.notApplicable { gaps += 1 }
            }
            return CoverageFlag(institution: dataset.institutions[dataset.rowInstitution[row]], basicCoverage: coverage, basicItemsNotImplemented: gaps)
        }
        return flags.sorted { ($0.basicCoverage, $0.institution.name, $0.institution.id.uuidString) < ($1.basicCoverage, $1.institution.name, $1.institution.id.uuidString) }
    }

    /// Registered institutions with no submission for the year. **For the supervisor only.**
    public func missingSubmissions(year: Int) -> [InstitutionProfile] {
        dataset.institutions.filter { dataset.row(institutionID: $0.id, year: year) == nil }
    }
}
