/// One piece of software listed in an SBOM, flattened: nested components keep a link to their parent.
public struct Component: Sendable, Hashable {
    /// The SBOM's own identifier (CycloneDX `bom-ref`, SPDX `SPDXID`); synthesised when the SBOM gives none.
    public var reference: String
    public var name: String
    public var version: String?
    /// CycloneDX `group` (e.g. a Maven groupId).
    public var group: String?
    /// The purl exactly as written in the SBOM.
    public var purl: String?
    /// CPE 2.3 (or 2.2 URI) names as written in the SBOM.
    public var cpes: [String]
    /// The `reference` of the component this one is nested in (CycloneDX) or contained by (SPDX CONTAINS).
    public var parent: String?
    /// CycloneDX `type` or SPDX `primaryPackagePurpose`, lower case, when given.
    public var kind: String?

    public init(reference: String, name: String, version: String? = nil, group: String? = nil, purl: String? = nil,
                cpes: [String] = [], parent: String? = nil, kind: String? = nil) {
        self.reference = reference
        self.name = name
        self.version = version
        self.group = group
        self.purl = purl
        self.cpes = cpes
        self.parent = parent
        self.kind = kind
    }
}

/// The SBOM formats this engine reads.
public enum SBOMFormat: Sendable, Hashable, CustomStringConvertible {
    case cycloneDXJSON(specVersion: String)
    case cycloneDXXML(specVersion: String)
    case spdxJSON(specVersion: String)

    public var description: String {
        switch self {
        case let .cycloneDXJSON(version): "CycloneDX \(version) JSON"
        case let .cycloneDXXML(version): "CycloneDX \(version) XML"
        case let .spdxJSON(version): "SPDX \(version) JSON"
        }
    }
}

/// A parsed SBOM: every component (the described product first, when the SBOM names one) and the dependency graph.
public struct SBOM: Sendable {
    public var format: SBOMFormat
    /// The product the SBOM describes (CycloneDX `metadata.component`, SPDX `documentDescribes`), if named.
    public var subject: String?
    public var components: [Component]
    /// `reference` → the references it depends on directly.
    public var dependencies: [String: [String]]

    public init(format: SBOMFormat, subject: String? = nil, components: [Component], dependencies: [String: [String]] = [:]) {
        self.format = format
        self.subject = subject
        self.components = components
        self.dependencies = dependencies
    }
}
