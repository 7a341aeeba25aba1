/// OSV's evaluation of whether a version of a package is affected (schema section "Evaluation"), prepared once per
/// advisory package so that every indexed component of that package is checked without parsing again.
///
/// A version is affected when `versions` lists it or any range contains it. Inside a range the events are sorted by
/// version ("0" first; events of equal or unorderable versions keep their order) and walked: `introduced` turns
/// affected on at v ≥ introduced, `fixed` off at v ≥ fixed, `last_affected` off at v > last_affected; `limit`
/// events bound the range (v must be below at least one). `database_specific` takes no part, so a GHSA `<=` bound
/// kept only there leaves the range open-ended, as the specification says.
/// GIT ranges name commits and cannot be evaluated against a version; their `versions` list still counts.
/// A component version its ecosystem cannot parse is affected only by listed versions and by ranges that affect
/// every version (introduced "0" and nothing else).
struct AffectedVersions {
    private struct Event {
        let event: RangeEvent
        let version: AnyVersion?
    }

    private struct PreparedRange {
        /// The ecosystem whose order the range uses (SEMVER ranges: SemVer precedence).
        let order: Ecosystem
        let events: [Event]
        let limits: [Event]
        let affectsEveryVersion: Bool
    }

    let ecosystem: Ecosystem
    private let listed: [(text: String, version: AnyVersion?)]
    private let ranges: [PreparedRange]
    private let vers: VersRange?

    init(_ package: AffectedPackage, ecosystem: Ecosystem) {
        self.ecosystem = ecosystem
        vers = package.vers
        listed = package.versions.map { ($0, ecosystem.parse($0)) }
        ranges = package.ranges.compactMap { range in
            guard range.kind != .git else { return nil }
            let order = Self.order(for: range.kind, in: ecosystem)
            var events: [Event] = []
            var limits: [Event] = []
            for event in range.events {
                let prepared = Event(event: event, version: event.version == "0" ? nil : order.parse(event.version))
                if case .limit = event { limits.append(prepared) } else { events.append(prepared) }
            }
            let affectsEveryVersion = limits.isEmpty && events.allSatisfy { if case .introduced("0") = $0.event { true } else { false } }
                && !events.isEmpty
            return PreparedRange(order: order, events: Self.sorted(events), limits: limits, affectsEveryVersion: affectsEveryVersion)
        }
    }

    /// `parsed` is `version` parsed in `ecosystem`'s order (nil when it cannot be).
    func contains(_ version: String, parsed: AnyVersion?) -> Bool {
        if listed.contains(where: { $0.text == version || ($0.version != nil && $0.version == parsed) }) { return true }
        if let vers {
            // A range that cannot be read in this ecosystem's order affects nothing rather than everything.
            if let parsed, vers.contains(parsed, in: ecosystem) == true { return true }
            if parsed == nil, vers.matchesEveryVersion { return true }
        }
        return ranges.contains { range in
            let subject = range.order == ecosystem ? parsed : range.order.parse(version)
            guard let subject else { return range.affectsEveryVersion }
            return Self.contains(subject, range)
        }
    }

    private static func contains(_ version: AnyVersion, _ range: PreparedRange) -> Bool {
        if !range.limits.isEmpty {
            let belowALimit = range.limits.contains { limit in
                limit.event.version.contains("*") || limit.version.map { version < $0 } == true
            }
            guard belowALimit else { return false }
        }
        var affected = false
        for event in range.events {
            switch event.event {
            case .introduced("0"):
                affected = true
            case .introduced:
                if let start = event.version, version >= start { affected = true }
            case .fixed:
                if let end = event.version, version >= end { affected = false }
            case .lastAffected:
                if let end = event.version, version > end { affected = false }
            case .limit:
                break
            }
        }
        return affected
    }

    /// SEMVER ranges use SemVer precedence: the ecosystem's own order where it is SemVer (npm, Go with its `v`,
    /// crates.io), generic SemVer elsewhere. ECOSYSTEM ranges use the ecosystem's order.
    static func order(for kind: AffectedRange.Kind, in ecosystem: Ecosystem) -> Ecosystem {
        guard kind == .semver else { return ecosystem }
        switch ecosystem {
        case .npm, .go, .cargo: return ecosystem
        default: return .generic
        }
    }

    /// A stable insertion sort (ranges hold a handful of events) with `introduced: "0"` before everything.
    private static func sorted(_ events: [Event]) -> [Event] {
        var result = events
        guard result.count > 1 else { return result }
        for index in 1..<result.count {
            var position = index
            while position > 0, precedes(result[position], result[position - 1]) {
                result.swapAt(position, position - 1)
                position -= 1
            }
        }
        return result
    }

    private static func precedes(_ lhs: Event, _ rhs: Event) -> Bool {
        if case .introduced("0") = rhs.event { return false }
        if case .introduced("0") = lhs.event { return true }
        guard let left = lhs.version, let right = rhs.version else { return false }
        return left < right
    }
}

/// String comparison in an ecosystem's order, for the places that compare a few versions once (CPE ranges, VEX).
struct MatchVersionOrder: Sendable {
    let ecosystem: Ecosystem

    func compare(_ lhs: String, _ rhs: String) -> Int? {
        ecosystem.compare(lhs, rhs)
    }

    func equal(_ lhs: String, _ rhs: String) -> Bool {
        lhs == rhs || compare(lhs, rhs) == 0
    }
}
