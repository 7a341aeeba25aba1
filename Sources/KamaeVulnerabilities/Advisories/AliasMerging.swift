/// Advisories about one vulnerability from different sources (OSV GHSA-…, PYSEC-…, NVD CVE-…, JVN JVNDB-…),
/// joined through their aliases.
public struct MergedAdvisory: Sendable, Hashable {
    /// The id to show: the CVE if there is one, else a GHSA id, else the smallest id.
    public var primaryID: String
    /// Every id of the vulnerability, sorted.
    public var ids: [String]
    /// The source records, in input order.
    public var advisories: [Advisory]

    /// The best severity any of the records gives (see `Advisory.preferredSeverity`), CVSS v4 before v3 before v2.
    public var preferredSeverity: String? {
        let candidates = advisories.compactMap(\.preferredSeverity)
        for prefix in ["CVSS:4", "CVSS:3", "AV:"] {
            if let vector = candidates.first(where: { $0.hasPrefix(prefix) }) { return vector }
        }
        return candidates.first
    }
}

/// Joins advisories whose ids or aliases overlap (transitively: A ↔ CVE ↔ B is one vulnerability).
/// Withdrawn advisories are left out, so a withdrawn record cannot pull two live ones together.
public enum AliasMerging {
    public static func merge(_ advisories: [Advisory]) -> [MergedAdvisory] {
        var groups = AliasGroups()
        let live = advisories.filter { !$0.isWithdrawn }
        for advisory in live {
            groups.join(advisory.allIDs)
        }
        var byRoot: [String: Int] = [:]
        var merged: [MergedAdvisory] = []
        for advisory in live {
            let root = groups.root(of: advisory.id)
            if let position = byRoot[root] {
                merged[position].advisories.append(advisory)
                merged[position].ids.append(contentsOf: advisory.allIDs)
            } else {
                byRoot[root] = merged.count
                merged.append(MergedAdvisory(primaryID: advisory.id, ids: advisory.allIDs, advisories: [advisory]))
            }
        }
        return merged.map { group in
            var group = group
            group.ids = Array(Set(group.ids)).sorted()
            group.primaryID = primaryID(of: group.ids)
            return group
        }
    }

    static func primaryID(of ids: [String]) -> String {
        ids.first { $0.hasPrefix("CVE-") } ?? ids.first { $0.hasPrefix("GHSA-") } ?? ids.min() ?? ""
    }
}

/// Union–find over advisory ids.
struct AliasGroups {
    private var parent: [String: String] = [:]

    mutating func join(_ ids: [String]) {
        guard let first = ids.first else { return }
        let base = root(of: first)
        for id in ids.dropFirst() {
            let other = root(of: id)
            if other != base { parent[other] = base }
        }
    }

    /// Also registers an id seen for the first time. Paths are compressed on the way.
    mutating func root(of id: String) -> String {
        var current = id
        var visited: [String] = []
        while let next = parent[current], next != current {
            visited.append(current)
            current = next
        }
        if parent[current] == nil { parent[current] = current }
        for node in visited { parent[node] = current }
        return current
    }
}
