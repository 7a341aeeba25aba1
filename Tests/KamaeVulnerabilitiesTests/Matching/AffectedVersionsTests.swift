import Testing
@testable import KamaeVulnerabilities

/// OSV's evaluation algorithm, case by case.
@Suite struct AffectedVersionsTests {
    private func affected(_ version: String, _ events: [RangeEvent], kind: AffectedRange.Kind = .ecosystem,
                          ecosystem: Ecosystem = .pypi, versions: [String] = []) -> Bool {
        let package = AffectedPackage(ecosystem: ecosystem.rawValue, name: "p",
                                      ranges: [AffectedRange(kind: kind, events: events)], versions: versions)
        return AffectedVersions(package, ecosystem: ecosystem).contains(version, parsed: ecosystem.parse(version))
    }

    @Test func introducedZeroAndFixed() {
        let events: [RangeEvent] = [.introduced("0"), .fixed("1.0.2")]
        #expect(affected("0.0.1", events))
        #expect(affected("1.0.1", events))
        #expect(!affected("1.0.2", events))
        #expect(!affected("2.0", events))
    }

    @Test func ecosystemOrderNotStringOrder() {
        // PEP 440: 1.10 is after 1.9, and 1.10rc1 before 1.10.
        #expect(affected("1.9", [.introduced("1.0"), .fixed("1.10")]))
        #expect(affected("1.10rc1", [.introduced("1.0"), .fixed("1.10")]))
        #expect(!affected("1.10", [.introduced("1.0"), .fixed("1.10")]))
    }

    @Test func severalIntroducedFixedPairsInAnyOrder() {
        let sorted: [RangeEvent] = [.introduced("2.0-beta9"), .fixed("2.3.1"), .introduced("2.4"), .fixed("2.12.2"),
                                    .introduced("2.13.0"), .fixed("2.15.0")]
        for events in [sorted, sorted.reversed(), [sorted[4], sorted[5], sorted[0], sorted[1], sorted[2], sorted[3]]] {
            #expect(affected("2.14.1", events, ecosystem: .maven))
            #expect(affected("2.0", events, ecosystem: .maven))
            #expect(!affected("2.3.1", events, ecosystem: .maven))
            #expect(affected("2.12.1", events, ecosystem: .maven))
            #expect(!affected("2.12.4", events, ecosystem: .maven))
            #expect(!affected("2.15.0", events, ecosystem: .maven))
            #expect(!affected("2.0-beta8", events, ecosystem: .maven))
        }
    }

    @Test func lastAffectedIsInclusive() {
        let events: [RangeEvent] = [.introduced("0"), .lastAffected("15.2.0")]
        #expect(affected("15.2.0", events, kind: .semver, ecosystem: .npm))
        #expect(!affected("15.2.1", events, kind: .semver, ecosystem: .npm))
        // A pre-release of the next version sorts after 15.2.0 and is outside.
        #expect(!affected("15.2.1-rc.1", events, kind: .semver, ecosystem: .npm))
    }

    @Test func theGHSAUpperBoundCountsOnlyAsLastAffected() {
        // An export that kept GitHub's "<= 1.4.0" only in database_specific has a range with `introduced` alone:
        // by the specification every later version is affected; database_specific never narrows it.
        let onlyIntroduced: [RangeEvent] = [.introduced("0")]
        #expect(affected("1.4.0", onlyIntroduced, kind: .semver, ecosystem: .npm))
        #expect(affected("9.9.9", onlyIntroduced, kind: .semver, ecosystem: .npm))
        let asLastAffected: [RangeEvent] = [.introduced("0"), .lastAffected("1.4.0")]
        #expect(affected("1.4.0", asLastAffected, kind: .semver, ecosystem: .npm))
        #expect(!affected("1.4.1", asLastAffected, kind: .semver, ecosystem: .npm))
    }

    @Test func limitsBoundTheRange() {
        let events: [RangeEvent] = [.introduced("1.0.0"), .limit("2.0.0")]
        #expect(affected("1.5.0", events, kind: .semver, ecosystem: .npm))
        #expect(!affected("2.0.0", events, kind: .semver, ecosystem: .npm))
        #expect(affected("7.0.0", [.introduced("1.0.0"), .limit("*")], kind: .semver, ecosystem: .npm))
        #expect(affected("3.1.0", [.introduced("1.0.0"), .limit("2.0.0"), .limit("4.0.0")], kind: .semver, ecosystem: .npm))
    }

    @Test func explicitVersionsAndGitRanges() {
        let package = AffectedPackage(ecosystem: "PyPI", name: "p",
                                      ranges: [AffectedRange(kind: .git, events: [.introduced("0"), .fixed("abc123")])],
                                      versions: ["2.10", "2.10.1"])
        let versions = AffectedVersions(package, ecosystem: .pypi)
        #expect(versions.contains("2.10.1", parsed: Ecosystem.pypi.parse("2.10.1")))
        // PEP 440 equality: 2.10.0 is 2.10.
        #expect(versions.contains("2.10.0", parsed: Ecosystem.pypi.parse("2.10.0")))
        // A GIT range cannot be evaluated against a version number.
        #expect(!versions.contains("1.0", parsed: Ecosystem.pypi.parse("1.0")))
    }

    @Test func goVersionsWithAndWithoutThePrefixMeet() {
        #expect(affected("v0.16.0", [.introduced("0"), .fixed("0.17.0")], kind: .semver, ecosystem: .go))
        #expect(!affected("v0.17.0", [.introduced("0"), .fixed("0.17.0")], kind: .semver, ecosystem: .go))
    }

    @Test func unparseableVersionsMatchOnlyUnboundedRanges() {
        #expect(!affected("not a version!", [.introduced("0"), .fixed("1.0")], kind: .semver, ecosystem: .npm))
        #expect(affected("not a version!", [.introduced("0")], kind: .semver, ecosystem: .npm))
    }

    @Test func equalVersionsKeepTheirOrder() {
        // introduced and fixed at the same version: walked in the record's order.
        #expect(!affected("1.0.0", [.introduced("1.0.0"), .fixed("1.0.0")], kind: .semver, ecosystem: .npm))
    }
}
