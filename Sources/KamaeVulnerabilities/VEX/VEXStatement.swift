import Foundation

/// What a VEX statement says about a product and a vulnerability.
public enum VEXStatus: String, Sendable, Hashable, Codable {
    case notAffected = "not_affected"
    case affected
    case fixed
    case underInvestigation = "under_investigation"

    /// How cautious a status is: between statements of equal standing the more cautious one wins.
    var caution: Int {
        switch self {
        case .affected: 3
        case .underInvestigation: 2
        case .fixed: 1
        case .notAffected: 0
        }
    }
}

/// How a VEX statement names a product.
public enum VEXProduct: Sendable, Hashable {
    /// A purl; without a version it covers every version, without qualifiers every qualifier.
    case purl(String)
    /// A purl without a version plus a package-url `vers:` range (CSAF `product_version_range` branches).
    case purlRange(purl: String, range: String)
    /// A CPE name, matched like an NVD criterion.
    case cpe(String)
    /// A component's SBOM reference (CycloneDX bom-ref; the fragment of a BOM-link).
    case reference(String)
}

/// One VEX statement from CycloneDX VEX, OpenVEX or CSAF, in a common shape.
public struct VEXStatement: Sendable, Hashable {
    /// The vulnerability's id and aliases as the statement gives them.
    public var vulnerabilityIDs: [String]
    public var products: [VEXProduct]
    public var status: VEXStatus
    /// The machine-readable reason for not_affected (e.g. `vulnerable_code_not_present`), as the source spells it.
    public var justification: String?
    public var impactStatement: String?
    public var timestamp: Date?
    /// The file the statement came from, to show why a match has its status.
    public var source: String

    public init(vulnerabilityIDs: [String], products: [VEXProduct], status: VEXStatus, justification: String? = nil,
                impactStatement: String? = nil, timestamp: Date? = nil, source: String) {
        self.vulnerabilityIDs = vulnerabilityIDs
        self.products = products
        self.status = status
        self.justification = justification
        self.impactStatement = impactStatement
        self.timestamp = timestamp
        self.source = source
    }
}
