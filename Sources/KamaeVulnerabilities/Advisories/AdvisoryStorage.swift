import Foundation

// Advisories are stored as JSON so that a component added later is matched against them without the feed file.
// Names (CPE, vers) are written as their canonical text and parsed again on reading.

extension Advisory: Codable {
    private enum Keys: String, CodingKey {
        case id, aliases, source, summary, severity, databaseSeverity = "database_severity", withdrawn, packages, platforms
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        self.init(
            id: try container.decode(String.self, forKey: .id), aliases: try container.decode([String].self, forKey: .aliases),
            source: try container.decode(AdvisorySource.self, forKey: .source), summary: try container.decodeIfPresent(String.self, forKey: .summary),
            severity: try container.decode([SeverityScore].self, forKey: .severity), databaseSeverity: try container.decodeIfPresent(String.self, forKey: .databaseSeverity),
            isWithdrawn: try container.decode(Bool.self, forKey: .withdrawn), packages: try container.decode([AffectedPackage].self, forKey: .packages),
            platforms: try container.decode([CPEApplicability].self, forKey: .platforms)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(id, forKey: .id)
        try container.encode(aliases, forKey: .aliases)
        try container.encode(source, forKey: .source)
        try container.encodeIfPresent(summary, forKey: .summary)
        try container.encode(severity, forKey: .severity)
        try container.encodeIfPresent(databaseSeverity, forKey: .databaseSeverity)
        try container.encode(isWithdrawn, forKey: .withdrawn)
        try container.encode(packages, forKey: .packages)
        try container.encode(platforms, forKey: .platforms)
    }

    /// The key under which findings of one vulnerability from different feeds merge: the lowest CVE id among the
    /// advisory's ids (by year, then number), else its own id.
    public var vulnerabilityID: String {
        let cves = allIDs.compactMap { id -> (Int, Int, String)? in
            let parts = id.uppercased().split(separator: "-")
            guard parts.count == 3, parts[0] == "CVE", let year = Int(parts[1]), let number = Int(parts[2]) else { return nil }
            return (year, number, id.uppercased())
        }
        return cves.min { ($0.0, $0.1) < ($1.0, $1.1) }?.2 ?? id
    }

    /// Keys a component must share with the advisory to be affected by it (see `InventoryIndex.matchKeys(for:)`).
    public var matchKeys: Set<String> {
        var keys = Set<String>()
        for package in packages {
            if let (ecosystem, _) = OSVPackageNaming.ecosystem(fromOSV: package.ecosystem) {
                keys.insert(Self.packageKey(PackageIdentity(ecosystem: ecosystem, name: package.name).key))
            }
        }
        for platform in platforms {
            keys.insert(InventoryIndex.cpeKey(platform.criteria) ?? "*")
        }
        return keys
    }

    static func packageKey(_ key: PackageIdentity.Key) -> String { "pkg:\(key.ecosystem.rawValue):\(key.normalizedName)" }
}

extension InventoryIndex {
    /// A component can be affected by an advisory only if their match keys meet: its package identity and CPE
    /// vendor:product; `*` stands for advisories whose CPE names no single product.
    public static func matchKeys(for component: Component) -> Set<String> {
        var keys = Set<String>()
        if let text = component.purl, let purl = try? PackageURL(parsing: text), let (identity, _) = OSVPackageNaming.package(for: purl) {
            keys.insert(Advisory.packageKey(identity.key))
        }
        for text in component.cpes {
            guard let name = try? CPEName(parsing: text) else { continue }
            keys.insert("*")
            if let key = cpeKey(name) { keys.insert(key) }
        }
        return keys
    }

    static func cpeKey(_ name: CPEName) -> String? {
        guard case let .value(vendor) = name.vendor, case let .value(product) = name.product, !vendor.hasWildcards, !product.hasWildcards else { return nil }
        return "cpe:" + vendor.text + ":" + product.text
    }
}


extension AffectedPackage: Codable {
    private enum Keys: String, CodingKey { case ecosystem, name, purl, ranges, versions, vers, severity }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let versText = try container.decodeIfPresent(String.self, forKey: .vers)
        self.init(
            ecosystem: try container.decode(String.self, forKey: .ecosystem), name: try container.decode(String.self, forKey: .name),
            purl: try container.decodeIfPresent(String.self, forKey: .purl), ranges: try container.decode([AffectedRange].self, forKey: .ranges),
            versions: try container.decode([String].self, forKey: .versions), vers: versText.flatMap(VersRange.init),
            severity: try container.decode([SeverityScore].self, forKey: .severity)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(ecosystem, forKey: .ecosystem)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(purl, forKey: .purl)
        try container.encode(ranges, forKey: .ranges)
        try container.encode(versions, forKey: .versions)
        try container.encodeIfPresent(vers?.canonicalText, forKey: .vers)
        try container.encode(severity, forKey: .severity)
    }
}

extension VersRange {
    /// The range written back as `vers:` text that parses to an equal range.
    public var canonicalText: String {
        "vers:\(scheme)/" + (matchesEveryVersion ? "*" : constraints.map { $0.comparator.rawValue + $0.version }.joined(separator: "|"))
    }
}

extension AffectedRange: Codable {
    private enum Keys: String, CodingKey { case type, events }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        self.init(kind: Kind(try container.decode(String.self, forKey: .type)), events: try container.decode([RangeEvent].self, forKey: .events))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        let type = switch kind {
        case .semver: "SEMVER"
        case .ecosystem: "ECOSYSTEM"
        case .git: "GIT"
        case let .other(text): text
        }
        try container.encode(type, forKey: .type)
        try container.encode(events, forKey: .events)
    }
}

extension RangeEvent: Codable {
    private enum Keys: String, CodingKey { case introduced, fixed, lastAffected = "last_affected", limit }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if let version = try container.decodeIfPresent(String.self, forKey: .introduced) { self = .introduced(version) }
        else if let version = try container.decodeIfPresent(String.self, forKey: .fixed) { self = .fixed(version) }
        else if let version = try container.decodeIfPresent(String.self, forKey: .lastAffected) { self = .lastAffected(version) }
        else { self = .limit(try container.decode(String.self, forKey: .limit)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        switch self {
        case let .introduced(version): try container.encode(version, forKey: .introduced)
        case let .fixed(version): try container.encode(version, forKey: .fixed)
        case let .lastAffected(version): try container.encode(version, forKey: .lastAffected)
        case let .limit(version): try container.encode(version, forKey: .limit)
        }
    }
}

extension CPEApplicability: Codable {
    private enum Keys: String, CodingKey {
        case criteria, startIncluding = "start_including", startExcluding = "start_excluding", endIncluding = "end_including", endExcluding = "end_excluding"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let text = try container.decode(String.self, forKey: .criteria)
        let criteria: CPEName
        do { criteria = try CPEName(parsing: text) } catch {
            throw DecodingError.dataCorruptedError(forKey: .criteria, in: container, debugDescription: "unreadable CPE \(text)")
        }
        self.init(criteria: criteria, versionStartIncluding: try container.decodeIfPresent(String.self, forKey: .startIncluding),
                  versionStartExcluding: try container.decodeIfPresent(String.self, forKey: .startExcluding),
                  versionEndIncluding: try container.decodeIfPresent(String.self, forKey: .endIncluding),
                  versionEndExcluding: try container.decodeIfPresent(String.self, forKey: .endExcluding))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(criteria.description, forKey: .criteria)
        try container.encodeIfPresent(versionStartIncluding, forKey: .startIncluding)
        try container.encodeIfPresent(versionStartExcluding, forKey: .startExcluding)
        try container.encodeIfPresent(versionEndIncluding, forKey: .endIncluding)
        try container.encodeIfPresent(versionEndExcluding, forKey: .endExcluding)
    }
}
