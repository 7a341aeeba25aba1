import Foundation

// Advisories are stored as compact JSON: empty lists, absent values and `false` flags are left out, and CPE names
// and `vers:` ranges are written as their canonical strings, parsed again when read.

extension Advisory: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, aliases, source, summary, severity
        case databaseSeverity = "database_severity"
        case isWithdrawn = "withdrawn"
        case packages, platforms
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(String.self, forKey: .id),
            aliases: try container.decodeIfPresent([String].self, forKey: .aliases) ?? [],
            source: try container.decode(AdvisorySource.self, forKey: .source),
            summary: try container.decodeIfPresent(String.self, forKey: .summary),
            severity: try container.decodeIfPresent([SeverityScore].self, forKey: .severity) ?? [],
            databaseSeverity: try container.decodeIfPresent(String.self, forKey: .databaseSeverity),
            isWithdrawn: try container.decodeIfPresent(Bool.self, forKey: .isWithdrawn) ?? false,
            packages: try container.decodeIfPresent([AffectedPackage].self, forKey: .packages) ?? [],
            platforms: try container.decodeIfPresent([CPEApplicability].self, forKey: .platforms) ?? [])
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encodeUnlessEmpty(aliases, forKey: .aliases)
        try container.encode(source, forKey: .source)
        try container.encodeIfPresent(summary, forKey: .summary)
        try container.encodeUnlessEmpty(severity, forKey: .severity)
        try container.encodeIfPresent(databaseSeverity, forKey: .databaseSeverity)
        if isWithdrawn { try container.encode(true, forKey: .isWithdrawn) }
        try container.encodeUnlessEmpty(packages, forKey: .packages)
        try container.encodeUnlessEmpty(platforms, forKey: .platforms)
    }
}

extension AffectedPackage: Codable {
    private enum CodingKeys: String, CodingKey {
        case ecosystem, name, purl, ranges, versions, vers, severity
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var vers: VersRange?
        if let text = try container.decodeIfPresent(String.self, forKey: .vers) {
            guard let range = VersRange(text) else {
                throw DecodingError.dataCorruptedError(forKey: .vers, in: container, debugDescription: "not a vers: range: \(text)")
            }
            vers = range
        }
        self.init(
            ecosystem: try container.decode(String.self, forKey: .ecosystem),
            name: try container.decode(String.self, forKey: .name),
            purl: try container.decodeIfPresent(String.self, forKey: .purl),
            ranges: try container.decodeIfPresent([AffectedRange].self, forKey: .ranges) ?? [],
            versions: try container.decodeIfPresent([String].self, forKey: .versions) ?? [],
            vers: vers,
            severity: try container.decodeIfPresent([SeverityScore].self, forKey: .severity) ?? [])
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ecosystem, forKey: .ecosystem)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(purl, forKey: .purl)
        try container.encodeUnlessEmpty(ranges, forKey: .ranges)
        try container.encodeUnlessEmpty(versions, forKey: .versions)
        try container.encodeIfPresent(vers?.description, forKey: .vers)
        try container.encodeUnlessEmpty(severity, forKey: .severity)
    }
}

/// OSV's own form: `{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.3"}]}`.
extension AffectedRange: Codable {
    private enum CodingKeys: String, CodingKey {
        case kind = "type"
        case events
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(kind: try container.decode(Kind.self, forKey: .kind),
                  events: try container.decode([RangeEvent].self, forKey: .events))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(events, forKey: .events)
    }
}

extension AffectedRange.Kind: Codable {
    /// The OSV range type: `SEMVER`, `ECOSYSTEM`, `GIT` or another as written.
    public var name: String {
        switch self {
        case .semver: "SEMVER"
        case .ecosystem: "ECOSYSTEM"
        case .git: "GIT"
        case let .other(text): text
        }
    }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}

/// OSV's own form: an object with one key, `introduced`, `fixed`, `last_affected` or `limit`.
extension RangeEvent: Codable {
    private enum CodingKeys: String, CodingKey {
        case introduced, fixed
        case lastAffected = "last_affected"
        case limit
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "a range event has exactly one of introduced, fixed, last_affected, limit"))
        }
        let version = try container.decode(String.self, forKey: key)
        self = switch key {
        case .introduced: .introduced(version)
        case .fixed: .fixed(version)
        case .lastAffected: .lastAffected(version)
        case .limit: .limit(version)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let key: CodingKeys = switch self {
        case .introduced: .introduced
        case .fixed: .fixed
        case .lastAffected: .lastAffected
        case .limit: .limit
        }
        try container.encode(version, forKey: key)
    }
}

extension CPEApplicability: Codable {
    private enum CodingKeys: String, CodingKey {
        case criteria
        case versionStartIncluding = "start_including"
        case versionStartExcluding = "start_excluding"
        case versionEndIncluding = "end_including"
        case versionEndExcluding = "end_excluding"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(criteria: try container.decode(CPEName.self, forKey: .criteria),
                  versionStartIncluding: try container.decodeIfPresent(String.self, forKey: .versionStartIncluding),
                  versionStartExcluding: try container.decodeIfPresent(String.self, forKey: .versionStartExcluding),
                  versionEndIncluding: try container.decodeIfPresent(String.self, forKey: .versionEndIncluding),
                  versionEndExcluding: try container.decodeIfPresent(String.self, forKey: .versionEndExcluding))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(criteria, forKey: .criteria)
        try container.encodeIfPresent(versionStartIncluding, forKey: .versionStartIncluding)
        try container.encodeIfPresent(versionStartExcluding, forKey: .versionStartExcluding)
        try container.encodeIfPresent(versionEndIncluding, forKey: .versionEndIncluding)
        try container.encodeIfPresent(versionEndExcluding, forKey: .versionEndExcluding)
    }
}

/// The CPE 2.3 formatted string.
extension CPEName: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The `vers:` string.
extension VersRange: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let range = VersRange(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a vers: range: \(text)")
        }
        self = range
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension KeyedEncodingContainer {
    fileprivate mutating func encodeUnlessEmpty<T: Encodable & Collection>(_ value: T, forKey key: Key) throws {
        if !value.isEmpty { try encode(value, forKey: key) }
    }
}
