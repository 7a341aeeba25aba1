import Foundation
import KamaeCore
import Testing
@testable import KamaeSupervision

@Suite struct SyntheticSectorTests {
    static let catalog = TestSectors.catalog

    @Test func splitMix64MatchesTheReference() {
        // Reference outputs of SplitMix64 (Vigna's splitmix64.c) for seed 1234567.
        var random = SplitMix64(seed: 1_234_567)
        #expect((0..<5).map { _ in random.next() } == [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423, 4_593_380_528_125_082_431, 16_408_922_859_458_223_821])
        var bounded = SplitMix64(seed: 7)
        for _ in 0..<1000 {
            let value = bounded.below(7)
            #expect((0..<7).contains(value))
            #expect((0..<1).contains(bounded.unit()))
        }
    }

    @Test func sameSeedSameSector() {
        let types = ["regional-banks", "insurers"]
        let a = SyntheticSector.generate(catalog: Self.catalog, institutionCount: 30, years: [2024, 2025], typeIDs: types, seed: 11)
        let b = SyntheticSector.generate(catalog: Self.catalog, institutionCount: 30, years: [2024, 2025], typeIDs: types, seed: 11)
        let c = SyntheticSector.generate(catalog: Self.catalog, institutionCount: 30, years: [2024, 2025], typeIDs: types, seed: 12)
        #expect(a.institutions == b.institutions)
        #expect(a.submissions == b.submissions)
        #expect(a.institutions != c.institutions)
        #expect(a.submissions.count == 60)
        #expect(Set(a.institutions.map(\.typeID)).isSubset(of: types))
        #expect(a.institutions[0].name == "サンプル金融機関0001")
    }

    @Test func answersAreRealisticallyCorrelated() throws {
        let sector = SyntheticSector.generate(
            catalog: Self.catalog, institutionCount: 600, years: [2023, 2024, 2025], typeIDs: Self.catalog.institutionTypes.map(\.id), seed: 2025
        )
        let analysis = SectorAnalysis(dataset: try sector.dataset(catalog: Self.catalog))
        let bySize = analysis.sectionDistributions(year: 2025, grouping: .sizeBand)
        let large = try #require(bySize[PeerGroup(grouping: .sizeBand, value: "large"), "2"]?.value)
        let medium = try #require(bySize[PeerGroup(grouping: .sizeBand, value: "medium"), "2"]?.value)
        let small = try #require(bySize[PeerGroup(grouping: .sizeBand, value: "small"), "2"]?.value)
        #expect(large.median > medium.median && medium.median > small.median)

        // Basic items are implemented more than desirable ones.
        let map = analysis.heatMap(year: 2025, grouping: .all)
        func meanShare(_ kind: ItemKind) -> Double {
            let shares = map.cells.indices.filter { analysis.dataset.itemKinds[$0] == kind }.compactMap { map.cells[$0][0].value }
            return shares.reduce(0, +) / Double(shares.count)
        }
        #expect(meanShare(.basic) > meanShare(.desirable) + 0.15)

        // Improvement each year, for most institutions.
        let dataset = analysis.dataset
        var improved = 0
        for institution in sector.institutions {
            let before = try #require(dataset.rate(institutionID: institution.id, year: 2023, section: "2"))
            let after = try #require(dataset.rate(institutionID: institution.id, year: 2025, section: "2"))
            if after > before { improved += 1 }
        }
        #expect(improved > sector.institutions.count * 8 / 10)

        // Every region appears, Kanto most.
        let regions = Dictionary(grouping: sector.institutions, by: \.region).mapValues(\.count)
        #expect(Set(regions.keys) == Set(Region.allCases))
        #expect(regions[.kanto] == regions.values.max())
        // Some 対象外 and some unanswered, but not many.
        let codes = dataset.statusCodes
        let notApplicable = codes.filter { $0 == SectorDataset.Code.notApplicable }.count
        let unanswered = codes.filter { $0 == SectorDataset.Code.unanswered }.count
        #expect(notApplicable > 0 && notApplicable < codes.count / 20)
        #expect(unanswered > 0 && unanswered < codes.count / 100)
    }
}
