import Foundation
import KamaeCore
import PropertyBased
import Testing
@testable import KamaeSupervision

/// Everything a grouping publishes, for comparing before and after a change.
struct GroupingOutputs: Equatable {
    var sections: [PeerGroup: [PeerStatistic<PeerDistribution>]] = [:]
    var heat: [PeerGroup: [PeerStatistic<Double>]] = [:]
    var movement: [PeerGroup: [PeerStatistic<MedianMovement>]] = [:]
    var questionnaire: [PeerGroup: [PeerStatistic<AnswerBreakdown>]] = [:]

    init(analysis: SectorAnalysis, grouping: PeerGrouping, responses: [UUID: QuestionnaireResponse]) {
        for year in TestSectors.years {
            let table = analysis.sectionDistributions(year: year, grouping: grouping)
            for (g, group) in table.groups.enumerated() { sections[group, default: []] += table.cells[g] }
            let map = analysis.heatMap(year: year, grouping: grouping)
            for (g, group) in map.groups.enumerated() { heat[group, default: []] += map.cells.map { $0[g] } }
        }
        let moves = analysis.medianMovement(from: TestSectors.years[0], to: TestSectors.years[1], grouping: grouping)
        for (g, group) in moves.groups.enumerated() { movement[group] = moves.cells[g] }
        for question in QuestionnaireAnalysis.distribution(of: TestSectors.questionnaire, responses: responses, institutions: analysis.dataset.institutions, grouping: grouping) {
            for (g, group) in question.groups.enumerated() { questionnaire[group, default: []].append(question.breakdowns[g]) }
        }
    }

    /// The outputs of every group but one.
    func without(_ group: PeerGroup) -> GroupingOutputs {
        var copy = self
        copy.sections[group] = nil
        copy.heat[group] = nil
        copy.movement[group] = nil
        copy.questionnaire[group] = nil
        return copy
    }

    /// Every statistic of one group, with whether each is suppressed.
    func all(_ group: PeerGroup) -> [Bool] {
        (sections[group] ?? []).map(\.isSuppressed) + (heat[group] ?? []).map(\.isSuppressed)
            + (movement[group] ?? []).map(\.isSuppressed) + (questionnaire[group] ?? []).map(\.isSuppressed)
    }
}

@Suite struct KAnonymityTests {
    @Test func kCannotBeLowered() {
        #expect(KAnonymity(k: 2).k == 5)
        #expect(KAnonymity(k: 8).k == 8)
        #expect(KAnonymity().disclose(contributors: 4) { 1.0 } == .suppressed(count: 4))
        #expect(KAnonymity().disclose(contributors: 5) { 1.0 } == .published(1.0))
    }

    /// No published statistic, of any kind and grouping, comes from fewer than five institutions.
    @Test func nothingPublishedFromFewerThanFive() async {
        await propertyCheck(count: 25, input: Gen.uint64()) { seed in
            let sector = TestSectors.small(seed: seed)
            let analysis = try TestSectors.analysis(sector.institutions, sector.submissions)
            let dataset = analysis.dataset
            let responses = TestSectors.responses(for: sector.institutions, seed: seed)
            for grouping in PeerGrouping.allCases {
                for year in TestSectors.years {
                    let rows = dataset.rowsByYear[year] ?? []
                    let members: (PeerGroup) -> [Int] = { group in rows.filter { grouping.group(of: dataset.institutions[dataset.rowInstitution[$0]]) == group } }
                    let table = analysis.sectionDistributions(year: year, grouping: grouping)
                    for (g, group) in table.groups.enumerated() {
                        let groupRows = members(group)
                        for (s, cell) in table.cells[g].enumerated() {
                            let contributors = groupRows.filter { !dataset.sectionRates[$0 * dataset.sectionNumbers.count + s].isNaN }.count
                            switch cell {
                            case let .published(distribution):
                                #expect(distribution.count >= 5 && distribution.count == contributors)
                            case let .suppressed(count):
                                #expect(count < 5 && count == contributors)
                            }
                        }
                    }
                    let map = analysis.heatMap(year: year, grouping: grouping)
                    for (g, group) in map.groups.enumerated() {
                        let groupRows = members(group)
                        for (item, row) in map.cells.enumerated() {
                            let contributors = groupRows.filter { dataset.status(row: $0, item: item) != SectorDataset.Code.notApplicable }.count
                            #expect(row[g].isSuppressed == (contributors < 5))
                        }
                    }
                    for institution in sector.institutions.prefix(10) {
                        guard let feedback = analysis.feedback(for: institution.id, year: year, grouping: grouping) else { continue }
                        for section in feedback.sections {
                            if let published = section.peers.value { #expect(published.count >= 5) }
                            if section.percentileRank != nil { #expect((feedback.peerCount.value ?? 0) >= 5) }
                        }
                        // Item adoption needs five *other* contributors.
                        #expect(feedback.peerCount.isSuppressed == (members(feedback.peerGroup).count < 5))
                        if (feedback.peerCount.value ?? 0) < 6 {
                            #expect(feedback.weakItems.isEmpty)
                            #expect(feedback.priorities.allSatisfy { $0.peerAdoption == nil })
                        }
                    }
                }
                for question in QuestionnaireAnalysis.distribution(of: TestSectors.questionnaire, responses: responses, institutions: sector.institutions, grouping: grouping) {
                    for breakdown in question.breakdowns {
                        if let value = breakdown.value { #expect(value.respondents >= 5) }
                    }
                }
                for year in TestSectors.years {
                    for item in analysis.lowestItems(year: year, count: 500) { #expect(item.contributors >= 5) }
                }
            }
        }
    }

    /// The answers of the members of a group smaller than five never reach anything the grouping publishes:
    /// redrawing all their answers leaves every output of that grouping exactly as it was.
    @Test func smallGroupValuesNeverReachOutputs() async {
        await propertyCheck(count: 20, input: Gen.uint64()) { seed in
            let sector = TestSectors.small(seed: seed)
            let responses = TestSectors.responses(for: sector.institutions, seed: seed)
            let before = try TestSectors.analysis(sector.institutions, sector.submissions)
            for grouping in PeerGrouping.allCases {
                let sizes = Dictionary(grouping: sector.institutions, by: grouping.group(of:))
                for (group, members) in sizes where members.count < 5 {
                    let ids = Set(members.map(\.id))
                    let redrawn = TestSectors.redraw(sector.submissions, of: ids, seed: seed ^ 0xA5A5)
                    let otherResponses = TestSectors.redrawResponses(responses, of: ids, seed: seed ^ 0x5A5A)
                    let after = try TestSectors.analysis(sector.institutions, redrawn)
                    let old = GroupingOutputs(analysis: before, grouping: grouping, responses: responses)
                    let new = GroupingOutputs(analysis: after, grouping: grouping, responses: otherResponses)
                    #expect(old == new, "grouping \(grouping), group \(group) of \(members.count)")
                    #expect(old.all(group).allSatisfy { $0 })
                    // Feedback to institutions outside the group is unchanged too.
                    for institution in sector.institutions.filter({ !ids.contains($0.id) }).prefix(3) {
                        #expect(before.feedback(for: institution.id, year: 2024, grouping: grouping) == after.feedback(for: institution.id, year: 2024, grouping: grouping))
                    }
                }
            }
        }
    }

    /// Removing a member from a group smaller than five, or adding one while it stays below five, changes no
    /// published output of the grouping: the group stays suppressed and every other group is untouched.
    @Test func addingOrRemovingInSmallGroupsChangesNothingPublished() async {
        await propertyCheck(count: 20, input: Gen.uint64()) { seed in
            let sector = TestSectors.small(seed: seed)
            var random = SplitMix64(seed: seed)
            let responses = TestSectors.responses(for: sector.institutions, seed: seed)
            let before = try TestSectors.analysis(sector.institutions, sector.submissions)
            for grouping in PeerGrouping.allCases {
                let old = GroupingOutputs(analysis: before, grouping: grouping, responses: responses)
                let sizes = Dictionary(grouping: sector.institutions, by: grouping.group(of:))
                for (group, members) in sizes where members.count < 5 {
                    // Remove one.
                    let leaving = members[random.below(members.count)].id
                    let removed = try TestSectors.analysis(
                        sector.institutions.filter { $0.id != leaving }, sector.submissions.filter { $0.institutionID != leaving }
                    )
                    var fewerResponses = responses
                    fewerResponses[leaving] = nil
                    let afterRemoval = GroupingOutputs(analysis: removed, grouping: grouping, responses: fewerResponses)
                    #expect(afterRemoval.without(group) == old.without(group))
                    #expect(afterRemoval.all(group).allSatisfy { $0 })
                    // Add one with the same group attributes and random answers, if the group stays below five.
                    guard members.count < 4 else { continue }
                    var newcomer = members[0]
                    newcomer.id = random.uuid()
                    newcomer.name = "新規参加"
                    let extra = SyntheticSector.generate(catalog: TestSectors.catalog, institutionCount: 1, years: TestSectors.years, typeIDs: [newcomer.typeID], seed: random.next())
                    let submissions = extra.submissions.map { SectorSubmission(institutionID: newcomer.id, fiscalYear: $0.fiscalYear, statuses: $0.statuses) }
                    let added = try TestSectors.analysis(sector.institutions + [newcomer], sector.submissions + submissions)
                    var moreResponses = responses
                    moreResponses[newcomer.id] = TestSectors.responses(for: [newcomer], seed: random.next())[newcomer.id]
                    let afterAddition = GroupingOutputs(analysis: added, grouping: grouping, responses: moreResponses)
                    #expect(afterAddition.without(group) == old.without(group))
                    #expect(afterAddition.all(group).allSatisfy { $0 })
                }
            }
        }
    }
}
