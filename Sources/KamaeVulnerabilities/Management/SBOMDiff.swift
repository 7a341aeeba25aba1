/// What changed between two SBOMs of the same product: components added, removed, or at a new version.
public struct SBOMDiff: Sendable {
    /// Sorted by identity, then version.
    public var added: [Component]
    public var removed: [Component]
    /// Same package identity, another version.
    public var changed: [(before: Component, after: Component)]
    /// Components present at the same version in both.
    public var unchangedCount: Int

    public init(before: [Component], after: [Component]) {
        let beforeByIdentity = Dictionary(grouping: before.map(Entry.init), by: \.identity)
        let afterByIdentity = Dictionary(grouping: after.map(Entry.init), by: \.identity)
        var added: [Component] = [], removed: [Component] = []
        var changed: [(before: Component, after: Component)] = []
        var unchangedCount = 0
        for identity in Set(beforeByIdentity.keys).union(afterByIdentity.keys).sorted() {
            // A package may appear at several versions; versions present on both sides are unchanged, and the rest
            // pair up in version order, the surplus being removed or added.
            var remainingAfter = (afterByIdentity[identity] ?? []).sorted()
            var remainingBefore: [Entry] = []
            for entry in (beforeByIdentity[identity] ?? []).sorted() {
                if let match = remainingAfter.firstIndex(where: { $0.version == entry.version }) {
                    remainingAfter.remove(at: match)
                    unchangedCount += 1
                } else {
                    remainingBefore.append(entry)
                }
            }
            let pairs = min(remainingBefore.count, remainingAfter.count)
            changed += zip(remainingBefore, remainingAfter).map { (before: $0.component, after: $1.component) }
            removed += remainingBefore.dropFirst(pairs).map(\.component)
            added += remainingAfter.dropFirst(pairs).map(\.component)
        }
        self.added = added
        self.removed = removed
        self.changed = changed
        self.unchangedCount = unchangedCount
    }

    /// What makes two components the same package across SBOMs: the purl without version, qualifiers and subpath
    /// when it can be read, else the kind, group and name.
    public static func identity(of component: Component) -> String {
        Entry(component).identity
    }

    /// A component with its identity and version worked out once.
    private struct Entry: Comparable {
        let component: Component
        let identity: String
        let version: String

        init(_ component: Component) {
            self.component = component
            if let text = component.purl, let purl = try? PackageURL(parsing: text) {
                identity = PackageURL(type: purl.type, namespace: purl.namespace, name: purl.name).description
                version = purl.version ?? component.version ?? ""
            } else {
                identity = "component:\(component.kind ?? "")/\(component.group ?? "")/\(component.name)"
                version = component.version ?? ""
            }
        }

        static func < (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.version, lhs.component.reference) < (rhs.version, rhs.component.reference)
        }

        static func == (lhs: Entry, rhs: Entry) -> Bool {
            lhs.version == rhs.version && lhs.component.reference == rhs.component.reference
        }
    }
}
