import Foundation
import KamaeCore
import KamaeSupervision

// `swift run -c release supervision-bench [institutions] [runs]`
// Times the supervisor's sector statistics on a synthetic sector: 2,000 institutions × 176 items × 3 years by default.

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let institutionCount = arguments.first ?? 2000
let runs = arguments.dropFirst().first ?? 20
let catalog = Catalog.bundled
let years = [2023, 2024, 2025]

func milliseconds(_ work: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try work()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
}

/// Best and median of `runs` timings.
func measure(_ label: String, _ work: () -> Int) {
    var times: [Double] = []
    var checksum = 0
    for _ in 0..<runs { times.append(milliseconds { checksum &+= work() }) }
    times.sort()
    let padded = label.padding(toLength: 60, withPad: " ", startingAt: 0)
    print(padded + String(format: "best %7.2f ms   median %7.2f ms", times[0], times[times.count / 2]) + "   (check \(checksum % 1000))")
}

var sector: SyntheticSector!
let generation = milliseconds {
    sector = SyntheticSector.generate(catalog: catalog, institutionCount: institutionCount, years: years, typeIDs: catalog.institutionTypes.map(\.id), seed: 2025)
}
var dataset: SectorDataset!
let ingest = try milliseconds { dataset = try sector.dataset(catalog: catalog) }
let analysis = SectorAnalysis(dataset: dataset)

print("supervision-bench: \(institutionCount) institutions × \(dataset.itemIDs.count) items × \(years.count) years = \(dataset.rowCount) submissions, \(dataset.sectionNumbers.count) sections (incl. overall), \(runs) runs")
print("synthetic sector generation".padding(toLength: 60, withPad: " ", startingAt: 0) + String(format: "once %7.2f ms", generation))
print("dataset build (answers → flat rates, KamaeCore rules)".padding(toLength: 60, withPad: " ", startingAt: 0) + String(format: "once %7.2f ms", ingest))
measure("all section distributions, all groupings, all years") {
    analysis.allSectionDistributions().reduce(0) { $0 + $1.cells.count }
}
measure("section distributions, one grouping at a time (4×3 calls)") {
    years.reduce(0) { sum, year in PeerGrouping.allCases.reduce(sum) { $0 + analysis.sectionDistributions(year: year, grouping: $1).cells.count } }
}
measure("heat maps items × groups, all groupings, all years") {
    years.reduce(0) { sum, year in PeerGrouping.allCases.reduce(sum) { $0 + analysis.heatMap(year: year, grouping: $1).cells.count } }
}
measure("median movement 2023→2025, all groupings") {
    PeerGrouping.allCases.reduce(0) { $0 + analysis.medianMovement(from: 2023, to: 2025, grouping: $1).cells.count }
}
measure("lowest 20 items + basic coverage < 60 % list (2025)") {
    analysis.lowestItems(year: 2025, count: 20).count + analysis.institutionsBelow(basicCoverage: 0.6, year: 2025).count
}
let sample = dataset.institutions.prefix(100).map(\.id)
measure("feedback for 100 institutions (by type, 2025)") {
    sample.reduce(0) { $0 + (analysis.feedback(for: $1, year: 2025, grouping: .institutionType)?.weakItems.count ?? 0) }
}
