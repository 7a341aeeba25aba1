/// A Semantic Versioning 2.0 version, the order of npm, crates.io, Go modules (with or without their `v`; pseudo-versions
/// order as pre-releases by timestamp, `+incompatible` is ignored build metadata) and of ecosystems Kamae has no own order for.
///
/// Lenient where real inventories are: a leading `v` or `=` (npm), fewer than three components (`1.2` is
/// `1.2.0`), numbers of any size. Pre-releases order before their release, identifiers numerically when both
/// are numbers and by ASCII otherwise; build metadata after `+` is ignored.
public struct SemanticVersion: EcosystemVersion {
    let parts: SemanticVersionParts

    public init?(_ text: String) {
        let rules = SemanticVersionParts.Rules(
            acceptsPrefix: true, maximumReleaseComponents: .max, caseInsensitivePrerelease: false)
        guard let parts = SemanticVersionParts(text, rules: rules) else { return nil }
        self.parts = parts
    }

    /// Whether the version carries pre-release identifiers (`1.0.0-rc.1`).
    public var isPrerelease: Bool { !parts.prerelease.isEmpty }

    public func compare(to other: SemanticVersion) -> Int { parts.compare(to: other.parts) }
}

/// A NuGet version: SemVer 2.0 with up to four numeric components (`1.0.0.1`), leading zeros allowed
/// (`1.0.01` is `1.0.1`), case-insensitive pre-release labels and ignored build metadata.
///
/// A pre-release orders before its release, so an advisory range "fixed in 2.0.0" covers `2.0.0-rc.1`, and
/// `1.0.0.1-alpha` still orders after `1.0.0`.
public struct NuGetVersion: EcosystemVersion {
    let parts: SemanticVersionParts

    public init?(_ text: String) {
        let rules = SemanticVersionParts.Rules(
            acceptsPrefix: false, maximumReleaseComponents: 4, caseInsensitivePrerelease: true)
        guard let parts = SemanticVersionParts(text, rules: rules) else { return nil }
        self.parts = parts
    }

    public var isPrerelease: Bool { !parts.prerelease.isEmpty }

    public func compare(to other: NuGetVersion) -> Int { parts.compare(to: other.parts) }
}
