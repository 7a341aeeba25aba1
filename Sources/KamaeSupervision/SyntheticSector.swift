import Foundation
import KamaeCore

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fast, seedable generator. Our own code, so that the same seed
/// gives the same sector on every platform and Swift version (the standard library's `random(in:using:)`
/// algorithms are not promised to stay the same, so the helpers below use only integer and IEEE arithmetic).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in 0..<bound (Lemire's multiply-shift with rejection; unbiased).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        let limit = UInt64(bound)
        while true {
            let product = next().multipliedFullWidth(by: limit)
            if product.low >= (0 &- limit) % limit { return Int(product.high) }
        }
    }

    /// Approximately standard normal: the sum of four uniforms, centred and scaled (Irwin–Hall), arithmetic only.
    public mutating func normal() -> Double {
        (unit() + unit() + unit() + unit() - 2) * 1.7320508075688772
    }

    /// An index drawn with the given non-negative weights.
    public mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var target = unit() * total
        for (index, weight) in weights.enumerated() {
            target -= weight
            if target < 0 { return index }
        }
        return weights.count - 1
    }

    /// A version 4 UUID from 128 random bits.
    public mutating func uuid() -> UUID {
        let (a, b) = (next(), next())
        var bytes = (0..<8).map { UInt8(truncatingIfNeeded: a >> (8 * $0)) } + (0..<8).map { UInt8(truncatingIfNeeded: b >> (8 * $0)) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}

/// A made-up sector for tests, benchmarks and demonstrations: institutions and their answers over several years.
///
/// The answers are correlated the way real ones are: each institution has a capability that grows with its size
/// (large > medium > small) and varies by type and by chance; each item has a difficulty (basic items are easier
/// than desirable ones); the chance of 実施済 or 一部実施 rises with capability minus difficulty, and rises each
/// year. The same underlying draw is reused for an item across years, so institutions mostly improve rather than
/// flip back and forth. A few items are 対象外 (more often desirable ones and at small institutions), the same
/// every year, and a few are left unanswered.
public struct SyntheticSector: Sendable {
    public let institutions: [InstitutionProfile]
    public let submissions: [SectorSubmission]
    public let years: [Int]

    /// Region weights: roughly the distribution of Japan's financial institutions.
    public static let regionWeights: [Region: Double] = [
        .hokkaido: 5, .tohoku: 9, .kanto: 30, .chubu: 15, .kinki: 17, .chugoku: 7, .shikoku: 5, .kyushuOkinawa: 12,
    ]

    /// - Parameters:
    ///   - typeIDs: institution types to draw from (e.g. `catalog.institutionTypes.map(\.id)`), weighted towards the first.
    ///   - years: fiscal years, each institution submits every year (apart from `missingRate`).
    ///   - missingRate: chance that an institution skips a year.
    public static func generate(
        catalog: Catalog, institutionCount: Int, years: [Int], typeIDs: [String], seed: UInt64, missingRate: Double = 0
    ) -> SyntheticSector {
        precondition(!typeIDs.isEmpty && institutionCount >= 0)
        var random = SplitMix64(seed: seed)
        let items = catalog.items
        let itemDifficulty = items.map { item in
            item.kind == .basic ? -0.7 + 0.7 * random.normal() : 0.9 + 0.7 * random.normal()
        }
        let typeEffect = typeIDs.map { _ in 0.35 * random.normal() }
        let typeWeights = typeIDs.indices.map { 1 / Double($0 + 2) }
        let regions = Region.allCases
        let regionDraw = regions.map { Self.regionWeights[$0] ?? 1 }
        let sizes: [SizeBand] = [.large, .medium, .small]
        let sizeWeights = [0.12, 0.33, 0.55]
        let sizeEffect: [SizeBand: Double] = [.large: 1.1, .medium: 0.25, .small: -0.45]

        var institutions: [InstitutionProfile] = []
        var submissions: [SectorSubmission] = []
        for number in 0..<institutionCount {
            let type = random.weighted(typeWeights)
            let size = sizes[random.weighted(sizeWeights)]
            let region = regions[random.weighted(regionDraw)]
            let institution = InstitutionProfile(
                id: random.uuid(), name: String(format: "サンプル金融機関%04d", number + 1),
                typeID: typeIDs[type], sizeBand: size, region: region
            )
            institutions.append(institution)
            let capability = (sizeEffect[size] ?? 0) + typeEffect[type] + 0.6 * random.normal()
            let pace = 0.35 + 0.15 * random.normal()
            let notApplicableChance = size == .small ? 0.05 : 0.015
            // Per item: one draw reused every year, and whether the item applies at all.
            var draws: [Double] = []
            var applies: [Bool] = []
            draws.reserveCapacity(items.count)
            applies.reserveCapacity(items.count)
            for item in items {
                draws.append(random.unit())
                let chance = item.kind == .desirable ? notApplicableChance * 2 : notApplicableChance / 2
                applies.append(random.unit() >= chance)
            }
            for (yearIndex, year) in years.enumerated() {
                if missingRate > 0, random.unit() < missingRate { continue }
                var statuses: [String: AnswerStatus] = [:]
                statuses.reserveCapacity(items.count)
                for (index, item) in items.enumerated() {
                    let jitter = 0.08 * (random.unit() - 0.5)
                    if random.unit() < 0.005 { continue } // unanswered
                    guard applies[index] else {
                        statuses[item.id] = .notApplicable
                        continue
                    }
                    let z = capability - itemDifficulty[index] + pace * Double(yearIndex)
                    let draw = Swift.min(Swift.max(draws[index] + jitter, 0), 1)
                    if draw < sigmoid(1.4 * z) {
                        statuses[item.id] = .implemented
                    } else if draw < sigmoid(1.4 * (z + 1.0)) {
                        statuses[item.id] = .partial
                    } else {
                        statuses[item.id] = .notImplemented
                    }
                }
                submissions.append(SectorSubmission(institutionID: institution.id, fiscalYear: year, statuses: statuses))
            }
        }
        return SyntheticSector(institutions: institutions, submissions: submissions, years: years)
    }

    /// A logistic-shaped curve from 0 to 1 (the "Elliott" sigmoid), arithmetic only so results never depend on libm.
    static func sigmoid(_ x: Double) -> Double { 0.5 + 0.5 * x / (1 + Swift.abs(x)) }

    public func dataset(catalog: Catalog) throws(SectorDatasetError) -> SectorDataset {
        try SectorDataset(catalog: catalog, institutions: institutions, submissions: submissions)
    }
}
