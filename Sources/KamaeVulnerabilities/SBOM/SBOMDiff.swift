/// What changed between two SBOMs of one system: packages added, removed, or at another version.
public struct SBOMDiff: Sendable {
    public var added: [Component]
    public var removed: [Component]
    public var changed: [(before: Component, after: Component)]
    public var unchangedCount: Int

    public init(before: [Component], after: [Component]) {
        var old: [String: Component] = [:]
        for component in before { old[Self.identity(of: component)] = component }
        var new: [String: Component] = [:]
        for component in after { new[Self.identity(of: component)] = component }
        added = new.keys.filter { old[$0] == nil }.sorted().compactMap { new[$0] }
        removed = old.keys.filter { new[$0] == nil }.sorted().compactMap { old[$0] }
        var changed: [(Component, Component)] = []
        var unchanged = 0
        for key in new.keys.sorted() {
            guard let current = new[key], let previous = old[key] else { continue }
            if (previous.version ?? "") == (current.version ?? "") { unchanged += 1 } else { changed.append((previous, current)) }
        }
        self.changed = changed
        unchangedCount = unchanged
    }

    /// A package's identity across versions: its purl without version, qualifiers or subpath, else group and name.
    public static func identity(of component: Component) -> String {
        if let text = component.purl, let purl = try? PackageURL(parsing: text) {
            return "pkg:\(purl.type)/\(purl.namespace.map { $0 + "/" } ?? "")\(purl.name)".lowercased()
        }
        return "\(component.kind ?? "")|\(component.group ?? "")|\(component.name)".lowercased()
    }
}
