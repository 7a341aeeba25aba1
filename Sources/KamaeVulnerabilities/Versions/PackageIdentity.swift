/// A package as OSV names it (ecosystem plus package name), built from a purl or from an advisory.
///
/// `name` is the spelling OSV uses for the ecosystem; `key` is the normalised form to index and look up by,
/// so `pkg:pypi/Django_REST` and OSV's `django-rest` meet. Two identities are equal (and hash alike) when
/// their keys are.
public struct PackageIdentity: Hashable, Sendable {
    public let ecosystem: Ecosystem
    /// The OSV package name: Maven `group:artifact`, npm `@scope/name`, Go and Composer `namespace/name`,
    /// otherwise the purl name.
    public let name: String
    /// `ecosystem.normalizedName(name)`.
    public let normalizedName: String

    /// An advisory's package: an OSV ecosystem and package name.
    public init(ecosystem: Ecosystem, name: String) {
        self.ecosystem = ecosystem
        self.name = name
        normalizedName = ecosystem.normalizedName(name)
    }

    /// A component's package from its purl parts (already percent-decoded). `deb` purls with the `ubuntu`
    /// namespace are Ubuntu packages. Nil when the purl type has no ecosystem here or the name is empty.
    public init?(purlType: String, namespace: String?, name: String) {
        guard !name.isEmpty, var ecosystem = Ecosystem(purlType: purlType) else { return nil }
        let namespace = namespace.flatMap { $0.isEmpty ? nil : $0 }
        if ecosystem == .debian, namespace?.lowercased() == "ubuntu" { ecosystem = .ubuntu }
        let osvName: String
        switch (ecosystem, namespace) {
        case let (.maven, namespace?): osvName = "\(namespace):\(name)"
        case let (.npm, namespace?): osvName = namespace.hasPrefix("@") ? "\(namespace)/\(name)" : "@\(namespace)/\(name)"
        case let (.go, namespace?), let (.packagist, namespace?): osvName = "\(namespace)/\(name)"
        default: osvName = name
        }
        self.init(ecosystem: ecosystem, name: osvName)
    }

    /// What to index and look packages up by: the ecosystem with the normalised name.
    public var key: Key { Key(ecosystem: ecosystem, normalizedName: normalizedName) }

    public struct Key: Hashable, Sendable {
        public let ecosystem: Ecosystem
        public let normalizedName: String
    }

    public static func == (lhs: PackageIdentity, rhs: PackageIdentity) -> Bool { lhs.key == rhs.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }
}
