import Foundation
import Testing
import KamaeVulnerabilities

/// Runs every line of osv-scalibr's published comparison fixtures (Fixtures/versions, Apache-2.0) through
/// `Ecosystem.compare`, in both directions.
@Suite struct VersionFixtureTests {
    struct FixtureRun: CustomTestStringConvertible, Sendable {
        let ecosystem: Ecosystem
        let file: String
        var testDescription: String { "\(ecosystem.rawValue) ← \(file)" }
    }

    static let runs: [FixtureRun] = [
        .init(ecosystem: .npm, file: "semver-versions.txt"),
        .init(ecosystem: .cargo, file: "semver-versions.txt"),
        .init(ecosystem: .go, file: "semver-versions.txt"),
        .init(ecosystem: .generic, file: "semver-versions.txt"),
        .init(ecosystem: .pypi, file: "pypi-versions.txt"),
        .init(ecosystem: .pypi, file: "pypi-versions-generated.txt"),
        .init(ecosystem: .maven, file: "maven-versions.txt"),
        .init(ecosystem: .maven, file: "maven-versions-generated.txt"),
        .init(ecosystem: .debian, file: "debian-versions.txt"),
        .init(ecosystem: .debian, file: "debian-versions-generated.txt"),
        .init(ecosystem: .ubuntu, file: "debian-versions.txt"),
        .init(ecosystem: .alpine, file: "alpine-versions.txt"),
        .init(ecosystem: .alpine, file: "alpine-versions-generated.txt"),
        .init(ecosystem: .rubygems, file: "rubygems-versions.txt"),
        .init(ecosystem: .rubygems, file: "rubygems-versions-generated.txt"),
        .init(ecosystem: .nuget, file: "nuget-versions.txt"),
        .init(ecosystem: .packagist, file: "packagist-versions.txt"),
        .init(ecosystem: .packagist, file: "packagist-versions-generated.txt"),
    ]

    /// Hand-written fixture lines that the ecosystem's own implementation contradicts; Kamae follows the
    /// implementation, and the test pins Kamae's answer (the sign of compare(A, B)) for these lines.
    static let implementationOverrides: [String: Int] = [
        // Maven's ComparableVersion (maven-artifact 3.8.7, run locally) answers "1-1 > 1-ga-1": trimming `ga`
        // before a hyphen leaves a nested list, [1, [[1]]], which orders below [1, [1]]. The line restates the
        // pom.xml reference text, not the code.
        "maven-versions.txt|1-1 = 1-ga-1": 1,
        // `#` is PHP's internal stand-in for "a number"; in a version string PHP's canonicalisation turns it
        // into a separator, so `1.2.3.#` is `1.2.3`, which orders before `1.2.3.1`.
        "packagist-versions.txt|1.2.3.# = 1.2.3.1": -1,
    ]

    @Test(arguments: runs)
    func everyFixtureLineHolds(_ run: FixtureRun) throws {
        let url = try #require(
            Bundle.module.url(forResource: "Fixtures", withExtension: nil)?
                .appendingPathComponent("versions").appendingPathComponent(run.file))
        let text = try String(contentsOf: url, encoding: .utf8)
        var checked = 0
        var failures: [String] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("# ") || line.hasPrefix("// ") { continue }
            let pieces = line.split(separator: " ")
            try #require(pieces.count == 3, "\(run.file):\(offset + 1) is not 'A op B'")
            var expected: Int
            switch pieces[1] {
            case "<": expected = -1
            case "=": expected = 0
            case ">": expected = 1
            default: Issue.record("\(run.file):\(offset + 1): unknown operator \(pieces[1])"); continue
            }
            let (left, right) = (String(pieces[0]), String(pieces[2]))
            if let pinned = Self.implementationOverrides["\(run.file)|\(line)"] { expected = pinned }
            checked += 1
            let forward = run.ecosystem.compare(left, right).map { $0.signum() }
            let backward = run.ecosystem.compare(right, left).map { $0.signum() }
            if forward != expected || backward != -expected {
                failures.append(
                    "\(run.file):\(offset + 1): \(line) — got \(forward.map(String.init) ?? "nil") / reverse \(backward.map(String.init) ?? "nil")")
            }
        }
        print("\(run.testDescription): \(checked - failures.count) of \(checked) lines hold")
        #expect(checked > 0)
        #expect(failures.isEmpty, "\(failures.count) of \(checked) failed:\n\(failures.prefix(40).joined(separator: "\n"))")
    }
}
