/// A version parsed for a given ecosystem: parse each string once with `Ecosystem.parse(_:)`, then compare
/// as often as needed.
///
/// The parsed value sits in one shared, immutable box, so copying an `AnyVersion` (into indexes, arrays,
/// closures) costs one reference count and comparing reads both values in place.
///
/// Only versions of the same ecosystem are meaningfully ordered; comparing across ecosystems orders by
/// ecosystem family first, which keeps `<` a total order but carries no version meaning.
public struct AnyVersion: Comparable, Sendable {
    private enum Storage: Sendable {
        case pypi(VersionBox<PyPIVersion>)
        case semantic(VersionBox<SemanticVersion>)
        case maven(VersionBox<MavenVersion>)
        case debian(VersionBox<DebianVersion>)
        case alpine(VersionBox<AlpineVersion>)
        case rubygems(VersionBox<RubyGemsVersion>)
        case nuget(VersionBox<NuGetVersion>)
        case packagist(VersionBox<PackagistVersion>)
    }

    private let storage: Storage

    init(_ version: PyPIVersion) { storage = .pypi(VersionBox(version)) }
    init(_ version: SemanticVersion) { storage = .semantic(VersionBox(version)) }
    init(_ version: MavenVersion) { storage = .maven(VersionBox(version)) }
    init(_ version: DebianVersion) { storage = .debian(VersionBox(version)) }
    init(_ version: AlpineVersion) { storage = .alpine(VersionBox(version)) }
    init(_ version: RubyGemsVersion) { storage = .rubygems(VersionBox(version)) }
    init(_ version: NuGetVersion) { storage = .nuget(VersionBox(version)) }
    init(_ version: PackagistVersion) { storage = .packagist(VersionBox(version)) }

    /// Negative, zero or positive as `self` orders before, equal to or after `other`.
    public func compare(to other: AnyVersion) -> Int {
        switch (storage, other.storage) {
        case let (.pypi(left), .pypi(right)): left.value.compare(to: right.value)
        case let (.semantic(left), .semantic(right)): left.value.compare(to: right.value)
        case let (.maven(left), .maven(right)): left.value.compare(to: right.value)
        case let (.debian(left), .debian(right)): left.value.compare(to: right.value)
        case let (.alpine(left), .alpine(right)): left.value.compare(to: right.value)
        case let (.rubygems(left), .rubygems(right)): left.value.compare(to: right.value)
        case let (.nuget(left), .nuget(right)): left.value.compare(to: right.value)
        case let (.packagist(left), .packagist(right)): left.value.compare(to: right.value)
        default: threeWay(kindOrder, other.kindOrder)
        }
    }

    /// Whether this is a pre-release where the ecosystem has the notion (PyPI, SemVer, Go, NuGet, RubyGems).
    public var isPrerelease: Bool {
        switch storage {
        case .pypi(let box): box.value.isPrerelease
        case .semantic(let box): box.value.isPrerelease
        case .rubygems(let box): box.value.isPrerelease
        case .nuget(let box): box.value.isPrerelease
        case .maven, .debian, .alpine, .packagist: false
        }
    }

    private var kindOrder: Int {
        switch storage {
        case .pypi: 0
        case .semantic: 1
        case .maven: 2
        case .debian: 3
        case .alpine: 4
        case .rubygems: 5
        case .nuget: 6
        case .packagist: 7
        }
    }

    public static func < (lhs: AnyVersion, rhs: AnyVersion) -> Bool { lhs.compare(to: rhs) < 0 }
    public static func == (lhs: AnyVersion, rhs: AnyVersion) -> Bool { lhs.compare(to: rhs) == 0 }
}

/// An immutable heap home for a parsed version, shared by every copy of its `AnyVersion`.
private final class VersionBox<Value: EcosystemVersion>: Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
