/// A package ecosystem as OSV names it, with its own version order and name normalisation.
public enum Ecosystem: String, Sendable, Hashable, CaseIterable, Codable {
    case pypi = "PyPI"
    case npm
    case go = "Go"
    case maven = "Maven"
    case debian = "Debian"
    case ubuntu = "Ubuntu"
    case alpine = "Alpine"
    case rubygems = "RubyGems"
    case nuget = "NuGet"
    case packagist = "Packagist"
    case cargo = "crates.io"
    /// Anything else: compared as generic semver.
    case generic = "generic"
}
