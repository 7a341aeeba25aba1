/// One advisory from any source (OSV, CSAF, NVD, JVN) in a common shape: which packages or CPE platforms it affects.
public struct Advisory: Sendable, Hashable {
    public var id: String
    /// Other ids of the same vulnerability (CVE, GHSA, JVNDB …), without `id` itself.
    public var aliases: [String]
    public var source: AdvisorySource
    public var summary: String?
    /// Scores at the advisory level (OSV `severity`, NVD metrics, CSAF scores).
    public var severity: [SeverityScore]
    /// A qualitative rating from the database, e.g. GHSA's `database_specific.severity` ("HIGH", "MODERATE").
    public var databaseSeverity: String?
    /// OSV `withdrawn`, NVD "Rejected": such advisories must not produce matches.
    public var isWithdrawn: Bool
    /// Affected packages named by ecosystem and name (OSV) or by purl (CSAF).
    public var packages: [AffectedPackage]
    /// Affected platforms named by CPE (NVD configurations, CSAF/JVN CPE products).
    public var platforms: [CPEApplicability]

    public init(id: String, aliases: [String] = [], source: AdvisorySource, summary: String? = nil,
                severity: [SeverityScore] = [], databaseSeverity: String? = nil, isWithdrawn: Bool = false,
                packages: [AffectedPackage] = [], platforms: [CPEApplicability] = []) {
        self.id = id
        self.aliases = aliases
        self.source = source
        self.summary = summary
        self.severity = severity
        self.databaseSeverity = databaseSeverity
        self.isWithdrawn = isWithdrawn
        self.packages = packages
        self.platforms = platforms
    }

    /// `id` followed by its aliases.
    public var allIDs: [String] { [id] + aliases }

    /// The severity to show in one field: the newest CVSS vector (v4, then v3, then v2) at the advisory level, then
    /// at the package level, then the database's own rating (GHSA `database_specific.severity`), then other kinds
    /// (e.g. Ubuntu priority). A vector rather than a number, because the vector is what the source published.
    public var preferredSeverity: String? {
        let ranked = ["CVSS_V4", "CVSS_V3", "CVSS_V2"]
        for scores in [severity, packages.flatMap(\.severity)] {
            for type in ranked {
                if let score = scores.first(where: { $0.type == type })?.score { return score }
            }
        }
        if let databaseSeverity { return databaseSeverity }
        return (severity + packages.flatMap(\.severity)).first?.score
    }
}

/// Where an advisory came from.
public enum AdvisorySource: String, Sendable, Hashable, Codable {
    case osv, csaf, nvd, jvn
}

/// A severity as published: its kind (`CVSS_V3`, `CVSS_V4`, `CVSS_V2`, `Ubuntu` …) and its vector or rating.
public struct SeverityScore: Sendable, Hashable, Codable {
    public var type: String
    public var score: String

    public init(type: String, score: String) {
        self.type = type
        self.score = score
    }
}

/// OSV `affected[]`: a package and the versions of it that are affected.
public struct AffectedPackage: Sendable, Hashable {
    /// As written, possibly with a release suffix: `PyPI`, `Debian:12`, `Alpine:v3.19`, `Ubuntu:22.04:LTS`.
    public var ecosystem: String
    public var name: String
    public var purl: String?
    public var ranges: [AffectedRange]
    /// Explicitly listed affected versions.
    public var versions: [String]
    /// A `vers:` range (CSAF, VEX), evaluated as written besides `ranges` and `versions`.
    public var vers: VersRange?
    public var severity: [SeverityScore]

    public init(ecosystem: String, name: String, purl: String? = nil, ranges: [AffectedRange] = [],
                versions: [String] = [], vers: VersRange? = nil, severity: [SeverityScore] = []) {
        self.ecosystem = ecosystem
        self.name = name
        self.purl = purl
        self.ranges = ranges
        self.versions = versions
        self.vers = vers
        self.severity = severity
    }
}

/// OSV `affected[].ranges[]`.
public struct AffectedRange: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case semver, ecosystem, git
        case other(String)

        public init(_ text: String) {
            switch text {
            case "SEMVER": self = .semver
            case "ECOSYSTEM": self = .ecosystem
            case "GIT": self = .git
            default: self = .other(text)
            }
        }
    }

    public var kind: Kind
    public var events: [RangeEvent]

    public init(kind: Kind, events: [RangeEvent]) {
        self.kind = kind
        self.events = events
    }
}

/// One OSV range event, in the order the record lists it (the evaluation sorts them).
public enum RangeEvent: Sendable, Hashable {
    case introduced(String)
    case fixed(String)
    case lastAffected(String)
    case limit(String)

    public var version: String {
        switch self {
        case let .introduced(version), let .fixed(version), let .lastAffected(version), let .limit(version): version
        }
    }
}
