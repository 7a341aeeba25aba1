import Foundation
import KamaeVulnerabilities

// kamae-bench-vuln: generates a synthetic portfolio (CycloneDX SBOM + OSV database as files and as a zip) and
// reports the full match time with peak memory, the time to match one new advisory against the indexed
// inventory, CVSS scoring throughput, and the same full match done by a straightforward Python reference using
// `univers`.
//
//   swift run -c release kamae-bench-vuln [--components N] [--advisories N] [--keep DIR [--regenerate]] [--no-reference]
//
// The full match runs in a child process (`measure-full SBOM OSV`) so that its peak RSS is its own.

let arguments = Array(CommandLine.arguments.dropFirst())

if arguments.first == "measure-full", arguments.count == 3 {
    let start = Date()
    do {
        let report = try VulnerabilityScan.run(sbom: URL(fileURLWithPath: arguments[1]), osv: URL(fileURLWithPath: arguments[2]))
        let seconds = Date().timeIntervalSince(start)
        print("seconds=\(seconds) findings=\(report.findings.count) records=\(report.statistics.records) "
            + "withdrawn=\(report.statistics.withdrawn) peak_rss_mb=\(Measurement.peakResidentMegabytes())")
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        exit(1)
    }
    exit(0)
}

func option(_ name: String) -> String? {
    guard let position = arguments.firstIndex(of: name), position + 1 < arguments.count else { return nil }
    return arguments[position + 1]
}

var sizes = Portfolio.Sizes()
sizes.components = option("--components").flatMap(Int.init) ?? sizes.components
sizes.advisories = option("--advisories").flatMap(Int.init) ?? sizes.advisories
let runReference = !arguments.contains("--no-reference")
let referenceScript = option("--reference")
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("reference_univers.py").path

let workDirectory = URL(fileURLWithPath: option("--keep") ?? NSTemporaryDirectory() + "kamae-bench-vuln-\(getpid())")
let sbomURL = workDirectory.appendingPathComponent("sbom.cdx.json")
let osvDirectory = workDirectory.appendingPathComponent("osv")
let zipURL = workDirectory.appendingPathComponent("osv-all.zip")

print("Kamae vulnerability benchmark: \(sizes.components) components × \(sizes.advisories) OSV advisories, "
    + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
print("Data: \(workDirectory.path)")

// MARK: Generate (or reuse what an earlier run with the same --keep left)

var sampleAdvisories: [Data] = []
let sampleEvery = max(1, sizes.advisories / 1000)
let reuse = option("--keep") != nil && !arguments.contains("--regenerate")
    && FileManager.default.fileExists(atPath: zipURL.path) && FileManager.default.fileExists(atPath: sbomURL.path)
if reuse {
    let names = try FileManager.default.contentsOfDirectory(atPath: osvDirectory.path).sorted()
    for name in stride(from: 0, to: names.count, by: sampleEvery).map({ names[$0] }) {
        sampleAdvisories.append(try Data(contentsOf: osvDirectory.appendingPathComponent(name)))
    }
    print("Reusing the data generated earlier (--regenerate to make it anew)")
} else {
    var portfolio = Portfolio(sizes: sizes)
    let generationTime = try Measurement.time {
        try FileManager.default.createDirectory(at: osvDirectory, withIntermediateDirectories: true)
        try Measurement.writeFile(sbomURL.path, portfolio.sbomJSON())
        for number in 0..<sizes.advisories {
            let (id, json) = portfolio.advisoryJSON(number: number)
            try Measurement.writeFile(osvDirectory.path + "/" + id + ".json", json)
            if number % sampleEvery == 0 { sampleAdvisories.append(Data(json.utf8)) }
        }
        try Measurement.run("/usr/bin/env", ["python3", "-c", """
            import os, sys, zipfile
            source, target = sys.argv[1], sys.argv[2]
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
                for name in sorted(os.listdir(source)):
                    archive.write(os.path.join(source, name), name)
            """, osvDirectory.path, zipURL.path])
    }
    print(String(format: "Generated in %.1f s (zip %.0f MB)", generationTime, Measurement.megabytes(ofFile: zipURL.path)))
}

// MARK: Full match, in a child process each

func measureFull(_ osv: URL) throws -> [String: String] {
    let output = try Measurement.run(CommandLine.arguments[0], ["measure-full", sbomURL.path, osv.path])
    return Dictionary(output.split(separator: " ").compactMap { pair in
        let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        return parts.count == 2 ? (parts[0], parts[1]) : nil
    }, uniquingKeysWith: { $1 })
}

let fromDirectory = try measureFull(osvDirectory)
let fromZip = try measureFull(zipURL)
let swiftSeconds = Double(fromDirectory["seconds"] ?? "") ?? .nan
print(String(format: "Full match, directory: %.2f s, peak RSS %@ MB, %@ findings (%@ records, %@ withdrawn skipped)",
             swiftSeconds, fromDirectory["peak_rss_mb"] ?? "?", fromDirectory["findings"] ?? "?",
             fromDirectory["records"] ?? "?", fromDirectory["withdrawn"] ?? "?"))
print(String(format: "Full match, zip:       %.2f s, peak RSS %@ MB, %@ findings",
             Double(fromZip["seconds"] ?? "") ?? .nan, fromZip["peak_rss_mb"] ?? "?", fromZip["findings"] ?? "?"))

// MARK: One new advisory against the indexed inventory

let inventory = InventoryIndex(components: try SBOMReader.read(contentsOf: sbomURL).components)
var durations: [Double] = []
var affected = 0
for data in sampleAdvisories {
    let started = DispatchTime.now().uptimeNanoseconds
    for advisory in try OSVDatabase.advisories(in: data, file: "sample") {
        affected += inventory.affectedComponents(by: advisory).count
    }
    durations.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
}
durations.sort()
print(String(format: "One new advisory (parse + match, %d samples): mean %.4f ms, p99 %.4f ms, max %.4f ms (%d components hit)",
             durations.count, durations.reduce(0, +) / Double(max(1, durations.count)),
             durations[min(durations.count - 1, durations.count * 99 / 100)], durations.last ?? .nan, affected))

// MARK: CVSS scoring throughput

/// Every base vector is a choice per metric; a seeded walk over the choices gives a realistic mix of v3.1 and v4.0.
func cvssVectors(count: Int) -> [String] {
    let v3: [(String, [String])] = [("AV", ["N", "A", "L", "P"]), ("AC", ["L", "H"]), ("PR", ["N", "L", "H"]), ("UI", ["N", "R"]),
                                    ("S", ["U", "C"]), ("C", ["H", "L", "N"]), ("I", ["H", "L", "N"]), ("A", ["H", "L", "N"])]
    let v4: [(String, [String])] = [("AV", ["N", "A", "L", "P"]), ("AC", ["L", "H"]), ("AT", ["N", "P"]), ("PR", ["N", "L", "H"]),
                                    ("UI", ["N", "P", "A"]), ("VC", ["H", "L", "N"]), ("VI", ["H", "L", "N"]), ("VA", ["H", "L", "N"]),
                                    ("SC", ["H", "L", "N"]), ("SI", ["H", "L", "N"]), ("SA", ["H", "L", "N"])]
    var state: UInt64 = 0x5EED
    func next() -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int(truncatingIfNeeded: state >> 33)
    }
    return (0..<count).map { index in
        let (prefix, metrics) = index % 2 == 0 ? ("CVSS:3.1", v3) : ("CVSS:4.0", v4)
        return prefix + metrics.map { "/\($0.0):\($0.1[next() % $0.1.count])" }.joined()
    }
}

let vectors = cvssVectors(count: 1_000_000)
var scored = 0
let cvssSeconds = Measurement.time {
    for vector in vectors where (try? CVSS.score(vector)) != nil { scored += 1 }
}
print(String(format: "CVSS scoring, one core: %.0f vectors/s (%d vectors, half v3.1, half v4.0; %d scored)",
             Double(vectors.count) / cvssSeconds, vectors.count, scored))

// MARK: Python reference

if runReference {
    do {
        let started = Date()
        let output = try Measurement.run("/usr/bin/env", ["python3", referenceScript, "--sbom", sbomURL.path, "--osv", osvDirectory.path])
        let pythonSeconds = Date().timeIntervalSince(started)
        print("Python reference (univers, name index): " + output.trimmingCharacters(in: .whitespacesAndNewlines)
            + String(format: ", wall %.1f s", pythonSeconds))
        let zipSeconds = Double(fromZip["seconds"] ?? "") ?? .nan
        print(String(format: "Ratio Python / Swift: %.1f× (Swift from the same directory), %.1f× (Swift from the zip)",
                     pythonSeconds / swiftSeconds, pythonSeconds / zipSeconds))
    } catch {
        print("Python reference did not run: \(error) (pip install univers)")
    }
}

if option("--keep") == nil {
    try? FileManager.default.removeItem(at: workDirectory)
}
