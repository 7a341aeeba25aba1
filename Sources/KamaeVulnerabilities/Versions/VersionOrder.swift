// PUBLIC API CONTRACT (other code depends on these signatures; the implementation behind them is owned by the
// version-order work and replaces this placeholder).

extension Ecosystem {
    /// Compares two versions in this ecosystem's own order: negative if lhs < rhs, 0 if equal, positive if greater.
    /// Returns nil when either string is not a version this ecosystem can order.
    public func compare(_ lhs: String, _ rhs: String) -> Int? {
        lhs == rhs ? 0 : (lhs < rhs ? -1 : 1)
    }

    /// The package name as the ecosystem compares names (e.g. PEP 503 for PyPI: lower case, runs of -_. as '-').
    public func normalizedName(_ name: String) -> String {
        name
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
}
