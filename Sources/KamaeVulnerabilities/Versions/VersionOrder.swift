// PUBLIC API CONTRACT (other code depends on these signatures).

extension Ecosystem {
    /// Compares two versions in this ecosystem's own order: negative if lhs < rhs, 0 if equal, positive if greater.
    /// Returns nil when either string is not a version this ecosystem can order.
    public func compare(_ lhs: String, _ rhs: String) -> Int? {
        guard let left = parse(lhs), let right = parse(rhs) else { return nil }
        return left.compare(to: right)
    }

    /// Parses a version once for repeated comparison in this ecosystem's order; nil when it cannot be ordered.
    public func parse(_ version: String) -> AnyVersion? {
        switch self {
        case .pypi: PyPIVersion(version).map(AnyVersion.init)
        // Go module versions are SemVer (OSV writes them without the `v`; pseudo-versions are pre-releases).
        case .npm, .cargo, .go, .generic: SemanticVersion(version).map(AnyVersion.init)
        case .maven: MavenVersion(version).map(AnyVersion.init)
        case .debian, .ubuntu: DebianVersion(version).map(AnyVersion.init)
        case .alpine: AlpineVersion(version).map(AnyVersion.init)
        case .rubygems: RubyGemsVersion(version).map(AnyVersion.init)
        case .nuget: NuGetVersion(version).map(AnyVersion.init)
        case .packagist: PackagistVersion(version).map(AnyVersion.init)
        }
    }

    /// The package name as the ecosystem compares names (e.g. PEP 503 for PyPI: lower case, runs of -_. as '-').
    public func normalizedName(_ name: String) -> String {
        PackageNameNormalization.normalized(name, in: self)
    }

    /// The ecosystem for a purl type (pypi, npm, golang, maven, deb, apk, gem, nuget, composer, cargo …).
    public init?(purlType: String) {
        switch purlType.lowercased() {
        case "pypi": self = .pypi
        case "npm": self = .npm
        case "golang": self = .go
        case "maven": self = .maven
        case "deb": self = .debian
        case "apk": self = .alpine
        case "gem": self = .rubygems
        case "nuget": self = .nuget
        case "composer": self = .packagist
        case "cargo": self = .cargo
        default: return nil
        }
    }

    /// The ecosystem of an OSV `affected[].package.ecosystem` value; distro releases such as `Debian:12`,
    /// `Alpine:v3.19` or `Ubuntu:22.04:LTS` map to their distribution. Nil for ecosystems Kamae does not know.
    public init?(osvEcosystem: String) {
        let base = osvEcosystem.split(separator: ":", maxSplits: 1).first.map(String.init) ?? osvEcosystem
        guard let ecosystem = Ecosystem(rawValue: base), ecosystem != .generic else { return nil }
        self = ecosystem
    }
}
