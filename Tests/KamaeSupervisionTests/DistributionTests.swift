import Foundation
import Testing
@testable import KamaeSupervision

/// Reference values computed by NumPy (`percentile(method="linear")`, type 7) and SciPy
/// (`percentileofscore(kind="mean")`); see Scripts/quantile_fixtures.py.
struct QuantileFixtures: Decodable {
    struct Rank: Decodable {
        var value: Double
        var rank: Double
    }

    struct Case: Decodable {
        var name: String
        var values: [Double]
        var count: Int
        var min: Double
        var max: Double
        var mean: Double
        var q1: Double
        var median: Double
        var q3: Double
        var deciles: [Double]
        var percentile_ranks: [Rank]
    }

    var numpy: String
    var cases: [Case]

    static func load() throws -> QuantileFixtures {
        let url = try #require(Bundle.module.url(forResource: "quantiles", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(QuantileFixtures.self, from: Data(contentsOf: url))
    }
}

@Suite struct DistributionTests {
    func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
        abs(a - b) <= tolerance * Swift.max(1, abs(a), abs(b))
    }

    @Test func matchesNumPyType7() throws {
        let fixtures = try QuantileFixtures.load()
        #expect(fixtures.cases.count >= 10)
        for fixture in fixtures.cases {
            let distribution = try #require(Distribution(fixture.values))
            #expect(distribution.count == fixture.count)
            #expect(distribution.min == fixture.min && distribution.max == fixture.max, "\(fixture.name)")
            #expect(close(distribution.mean, fixture.mean), "\(fixture.name) mean")
            // Interpolated exactly as NumPy does it: equal to the last bit.
            #expect(distribution.q1 == fixture.q1, "\(fixture.name) q1 \(distribution.q1) vs \(fixture.q1)")
            #expect(distribution.median == fixture.median, "\(fixture.name) median")
            #expect(distribution.q3 == fixture.q3, "\(fixture.name) q3")
            let sorted = fixture.values.sorted()
            for (decile, expected) in fixture.deciles.enumerated() {
                #expect(close(Distribution.quantile(Double(decile) / 10, sorted: sorted), expected), "\(fixture.name) decile \(decile)")
            }
        }
    }

    @Test func percentileRankMatchesSciPyMeanKind() throws {
        for fixture in try QuantileFixtures.load().cases {
            let sorted = fixture.values.sorted()
            for probe in fixture.percentile_ranks {
                let linear = try #require(Distribution.percentileRank(of: probe.value, in: fixture.values))
                let binary = try #require(Distribution.percentileRank(of: probe.value, sorted: sorted))
                #expect(close(linear, probe.rank), "\(fixture.name) rank of \(probe.value): \(linear) vs \(probe.rank)")
                #expect(linear == binary)
            }
        }
    }

    @Test func percentileRankDefinition() {
        // Strictly below plus half the ties.
        #expect(Distribution.percentileRank(of: 0.5, in: [0.1, 0.5, 0.5, 0.9]) == 50)
        #expect(Distribution.percentileRank(of: 0.9, in: [0.1, 0.5, 0.5, 0.9]) == 87.5)
        #expect(Distribution.percentileRank(of: 0.0, in: [0.1, 0.5]) == 0)
        #expect(Distribution.percentileRank(of: 1, in: [0.1, 0.5]) == 100)
        #expect(Distribution.percentileRank(of: 1, in: []) == nil)
    }

    @Test func quartileBands() throws {
        let distribution = try #require(Distribution([0.1, 0.2, 0.3, 0.4, 0.5]))
        #expect((distribution.q1, distribution.median, distribution.q3) == (0.2, 0.3, 0.4))
        #expect(distribution.quartileBand(of: 0.1) == .first)
        #expect(distribution.quartileBand(of: 0.2) == .second)
        #expect(distribution.quartileBand(of: 0.35) == .third)
        #expect(distribution.quartileBand(of: 0.4) == .fourth)
        #expect(distribution.quartileBand(of: 0.5) == .fourth)
        // Everyone at 100 %: everyone is in the top band.
        let full = try #require(Distribution([1, 1, 1, 1, 1]))
        #expect(full.quartileBand(of: 1) == .fourth)
        #expect(full.quartileBand(of: 0.99) == .first)
    }

    @Test func emptyHasNoDistribution() {
        #expect(Distribution([]) == nil)
    }

    @Test func peerDistributionShowsNoExtremes() throws {
        let distribution = try #require(Distribution([0.05, 0.4, 0.5, 0.6, 0.99]))
        let published = distribution.quartiles
        let mirror = Mirror(reflecting: published).children.compactMap(\.label)
        #expect(Set(mirror) == ["count", "q1", "median", "q3"])
        #expect(![published.q1, published.median, published.q3].contains(0.05))
        #expect(![published.q1, published.median, published.q3].contains(0.99))
    }
}
