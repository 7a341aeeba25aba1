import Foundation
import KamaeCore
import Testing
@testable import KamaeSupervision

@Suite struct SectorAnalysisTests {
    static let catalog = TestSectors.catalog
    static let sector = SyntheticSector.generate(
        catalog: catalog, institutionCount: 300, years: [2023, 2024, 2025], typeIDs: ["regional-banks", "insurers", "money-lenders", "funds-transfer-providers"], seed: 42
    )
    static let analysis = SectorAnalysis(dataset: try! sector.dataset(catalog: catalog))

    /// The dataset's rates are KamaeCore's scoring, section by section.
    @Test func ratesMatchKamaeCoreScoring() throws {
        let dataset = Self.analysis.dataset
        for submission in Self.sector.submissions.prefix(40) {
            let answers = Dictionary(uniqueKeysWithValues: submission.statuses.map { ($0.key, Answer(itemID: $0.key, status: $0.value)) })
            let score = Scoring.score(catalog: Self.catalog, answers: answers)
            let id = submission.institutionID
            #expect(dataset.rate(institutionID: id, year: submission.fiscalYear, section: "2") == score.overall.value)
            for section in Self.catalog.sections {
                #expect(dataset.rate(institutionID: id, year: submission.fiscalYear, section: section.number) == score.section(section.number).value, "\(section.number)")
            }
            let row = try #require(dataset.row(institutionID: id, year: submission.fiscalYear))
            #expect(dataset.basicCoverage[row] == score.basicCoverage.value)
        }
    }

    @Test func lastSubmissionOfAYearWins() throws {
        let institution = InstitutionProfile(id: UUID(), name: "A", typeID: "insurers", sizeBand: .small, region: .shikoku)
        let first = SectorSubmission(institutionID: institution.id, fiscalYear: 2025, statuses: ["2.1.1-B1": .notImplemented])
        let second = SectorSubmission(institutionID: institution.id, fiscalYear: 2025, statuses: ["2.1.1-B1": .implemented])
        let dataset = try SectorDataset(catalog: Self.catalog, institutions: [institution], submissions: [first, second])
        #expect(dataset.rowCount == 1)
        #expect(dataset.status(row: 0, item: dataset.itemIDs.firstIndex(of: "2.1.1-B1")!) == SectorDataset.Code.implemented)
        #expect(throws: SectorDatasetError.unknownInstitution(UUID(uuidString: "00000000-0000-0000-0000-000000000001")!)) {
            try SectorDataset(catalog: Self.catalog, institutions: [institution], submissions: [SectorSubmission(institutionID: UUID(uuidString: "00000000-0000-0000-0000-000000000001")!, fiscalYear: 2025, statuses: [:])])
        }
        #expect(throws: SectorDatasetError.duplicateInstitution(institution.id)) {
            try SectorDataset(catalog: Self.catalog, institutions: [institution, institution], submissions: [])
        }
    }

    /// Each cell equals a distribution computed the slow way from the group's own rates.
    @Test func sectionDistributionsMatchDirectComputation() throws {
        let dataset = Self.analysis.dataset
        for grouping in PeerGrouping.allCases {
            let table = Self.analysis.sectionDistributions(year: 2025, grouping: grouping)
            #expect(table.sections.first == "2")
            #expect(table.groups == table.groups.sorted())
            for (g, group) in table.groups.enumerated() {
                let members = dataset.institutions.filter { grouping.group(of: $0) == group }
                for (s, section) in table.sections.enumerated() {
                    let values = members.compactMap { dataset.rate(institutionID: $0.id, year: 2025, section: section) }
                    if values.count >= 5 {
                        let expected = try #require(Distribution(values)).quartiles
                        #expect(table.cells[g][s] == .published(expected), "\(group) \(section)")
                    } else {
                        #expect(table.cells[g][s] == .suppressed(count: values.count))
                    }
                }
            }
        }
        // All groupings at once give the same tables as one at a time.
        let together = Self.analysis.sectionDistributions(year: 2024, groupings: PeerGrouping.allCases)
        for table in together { #expect(table == Self.analysis.sectionDistributions(year: 2024, grouping: table.grouping)) }
        #expect(Self.analysis.allSectionDistributions().count == 3 * PeerGrouping.allCases.count)
    }

    @Test func groupsSortInAFixedOrder() {
        #expect(Self.analysis.groups(.sizeBand).map(\.value) == ["large", "medium", "small"])
        #expect(Self.analysis.groups(.region).map(\.value) == Region.allCases.map(\.rawValue))
        #expect(Self.analysis.groups(.all) == [.all])
        #expect(Self.analysis.groups(.institutionType).map(\.value) == ["funds-transfer-providers", "insurers", "money-lenders", "regional-banks"])
        #expect(Region.kyushuOkinawa.name.ja == "九州・沖縄")
    }

    @Test func heatMapSharesAndLowestItems() throws {
        let dataset = Self.analysis.dataset
        let map = Self.analysis.heatMap(year: 2025, grouping: .sizeBand)
        #expect(map.itemIDs.count == 176)
        #expect(map.groups.count == 3)
        for (item, row) in map.cells.enumerated() {
            for (g, group) in map.groups.enumerated() {
                let rows = dataset.rowsByYear[2025]!.filter { SizeBand(rawValue: group.value) == dataset.institutions[dataset.rowInstitution[$0]].sizeBand }
                let applicable = rows.filter { dataset.status(row: $0, item: item) != SectorDataset.Code.notApplicable }
                let implemented = applicable.filter { dataset.status(row: $0, item: item) == SectorDataset.Code.implemented }
                if applicable.count >= 5 {
                    #expect(row[g] == .published(Double(implemented.count) / Double(applicable.count)))
                } else {
                    #expect(row[g] == .suppressed(count: applicable.count))
                }
            }
        }
        let lowest = Self.analysis.lowestItems(year: 2025, count: 10)
        #expect(lowest.count == 10)
        #expect(lowest.map(\.share) == lowest.map(\.share).sorted())
        let all = Self.analysis.heatMap(year: 2025, grouping: .all)
        let minimum = all.cells.compactMap { $0[0].value }.min()
        #expect(lowest.first?.share == minimum)
        #expect(Self.analysis.lowestItems(year: 2025, count: 5, kind: .basic).allSatisfy { $0.kind == .basic })
        // Realism: desirable items dominate the bottom of the list.
        #expect(lowest.filter { $0.kind == .desirable }.count >= 7)
    }

    @Test func mediansImproveYearOverYear() throws {
        let movement = Self.analysis.medianMovement(from: 2023, to: 2025, grouping: .all)
        let overall = try #require(movement[.all, "2"]?.value)
        #expect(overall.change > 0.03)
        #expect(overall.previous < overall.current)
        // Suppressed when either year's group is below k.
        let institution = InstitutionProfile(id: UUID(), name: "A", typeID: "insurers", sizeBand: .small, region: .shikoku)
        let lonely = SectorAnalysis(dataset: try SectorDataset(catalog: Self.catalog, institutions: [institution], submissions: [
            SectorSubmission(institutionID: institution.id, fiscalYear: 2024, statuses: [:]),
            SectorSubmission(institutionID: institution.id, fiscalYear: 2025, statuses: [:]),
        ]))
        #expect(lonely.medianMovement(from: 2024, to: 2025, grouping: .all)[.all, "2"] == .suppressed(count: 1))
    }

    @Test func supervisorListsNameInstitutions() throws {
        let flags = Self.analysis.institutionsBelow(basicCoverage: 0.5, year: 2025)
        #expect(!flags.isEmpty)
        #expect(flags.map(\.basicCoverage) == flags.map(\.basicCoverage).sorted())
        let dataset = Self.analysis.dataset
        for flag in flags {
            let row = try #require(dataset.row(institutionID: flag.institution.id, year: 2025))
            #expect(dataset.basicCoverage[row] == flag.basicCoverage && flag.basicCoverage < 0.5)
            #expect(flag.basicItemsNotImplemented > 0)
        }
        let expected = dataset.rowsByYear[2025]!.filter { dataset.basicCoverage[$0] < 0.5 }.count
        #expect(flags.count == expected)
        // Small institutions dominate the list.
        #expect(flags.filter { $0.institution.sizeBand == .small }.count > flags.count / 2)

        let partial = SyntheticSector.generate(catalog: Self.catalog, institutionCount: 50, years: [2025], typeIDs: ["insurers"], seed: 9, missingRate: 0.2)
        let missing = SectorAnalysis(dataset: try partial.dataset(catalog: Self.catalog)).missingSubmissions(year: 2025)
        #expect(missing.count == 50 - partial.submissions.count)
    }
}
