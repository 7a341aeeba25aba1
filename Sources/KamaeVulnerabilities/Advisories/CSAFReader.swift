import Foundation

/// Reads a CSAF 2.0 document (security advisory or VEX profile; JVN publishes its JVNDB entries this way).
/// JVNDB ids come from `ids[]` (system JVNDB) or, for a one-vulnerability document, from `tracking.id`.
/// Products are identified through the product tree — branches, full product names and relationships — by the purl
/// or CPE of their `product_identification_helper`. Known-affected products become an advisory's packages (purl) and
/// platforms (CPE); every product status becomes a VEX statement.
public enum CSAFReader {
    public struct Result: Sendable {
        public var advisories: [Advisory]
        public var statements: [VEXStatement]
    }

    public static func read(_ data: Data, file: String) throws(IngestError) -> Result {
        let document = try JSONDocument.decode(Document.self, from: data, file: file)
        let products = document.productTree?.identities() ?? [:]
        let groups = Dictionary((document.productTree?.productGroups ?? []).map { ($0.groupID, $0.productIDs) },
                                uniquingKeysWith: { $0 + $1 })
        let trackingID = document.document.tracking?.id
        let timestamp = (document.document.tracking?.currentReleaseDate).flatMap(Self.date)
        var result = Result(advisories: [], statements: [])
        for (index, vulnerability) in (document.vulnerabilities ?? []).enumerated() {
            var ids = [vulnerability.cve].compactMap { $0 } + (vulnerability.ids ?? []).map(\.text)
            // A JVNDB document id names the vulnerability only when the document holds one; a JVNDB entry covering
            // several CVEs must not make them aliases of each other.
            if let trackingID, trackingID.uppercased().hasPrefix("JVNDB-"), document.vulnerabilities?.count == 1 {
                ids.append(trackingID)
            }
            ids = ids.reduce(into: []) { unique, id in if !unique.contains(id) { unique.append(id) } }
            let id = ids.first ?? "\(trackingID ?? file)#\(index)"
            let status = vulnerability.productStatus
            let affected = (status?.knownAffected ?? []) + (status?.firstAffected ?? []) + (status?.lastAffected ?? [])

            var packages: [AffectedPackage] = []
            var platforms: [CPEApplicability] = []
            for productID in affected {
                guard let identity = products[productID] else { continue }
                if let purlText = identity.purl, let package = Self.package(purl: purlText, range: identity.versionRange) {
                    packages.append(package)
                }
                if let cpeText = identity.cpe, let name = try? CPEName(parsing: cpeText) {
                    platforms.append(CPEApplicability(criteria: name))
                }
            }
            let severity = (vulnerability.scores ?? []).flatMap { score in
                [score.cvssV3.map { SeverityScore(type: "CVSS_V3", score: $0.vectorString) },
                 score.cvssV2.map { SeverityScore(type: "CVSS_V2", score: $0.vectorString) }].compactMap { $0 }
            }
            result.advisories.append(Advisory(
                id: id, aliases: Array(ids.dropFirst()), source: .csaf, summary: vulnerability.title ?? document.document.title,
                severity: severity, packages: packages, platforms: platforms
            ))

            func statements(_ productIDs: [String]?, _ status: VEXStatus) {
                for productID in productIDs ?? [] {
                    guard let identity = products[productID] else { continue }
                    let names: [VEXProduct] = [identity.vexPurl, identity.cpe.map(VEXProduct.cpe)].compactMap { $0 }
                    guard !names.isEmpty else { continue }
                    let flag = vulnerability.flags?.first { flag in
                        flag.productIDs?.contains(productID) == true
                            || flag.groupIDs?.contains { groups[$0]?.contains(productID) == true } == true
                    }
                    let impact = vulnerability.threats?.first { $0.category == "impact" && $0.productIDs?.contains(productID) == true }
                    result.statements.append(VEXStatement(
                        vulnerabilityIDs: ids.isEmpty ? [id] : ids, products: names, status: status,
                        justification: status == .notAffected ? flag?.label : nil,
                        impactStatement: status == .notAffected ? impact?.details : nil,
                        timestamp: timestamp, source: file
                    ))
                }
            }
            statements(status?.knownNotAffected, .notAffected)
            statements((status?.fixed ?? []) + (status?.firstFixed ?? []), .fixed)
            statements(status?.underInvestigation, .underInvestigation)
            statements(affected, .affected)
        }
        return result
    }

    /// A purl with a version names one affected version; without one, a `vers:` range from the product's branch
    /// gives the affected range. A purl with neither cannot be matched by version and is left out.
    private static func package(purl text: String, range: String?) -> AffectedPackage? {
        guard let purl = try? PackageURL(parsing: text), let (identity, release) = OSVPackageNaming.package(for: purl)
        else { return nil }
        let name = identity.name
        let ecosystemName = identity.ecosystem.rawValue + (release.map { ":" + $0 } ?? "")
        if let version = purl.version {
            return AffectedPackage(ecosystem: ecosystemName, name: name, purl: text, versions: [version])
        }
        guard let range, let vers = VersRange(range) else { return nil }
        return AffectedPackage(ecosystem: ecosystemName, name: name, purl: text, vers: vers)
    }

    private static func date(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601)
    }

    // MARK: Document

    struct Document: Decodable {
        var document: Meta
        var productTree: ProductTree?
        var vulnerabilities: [Vulnerability]?

        enum CodingKeys: String, CodingKey {
            case document, vulnerabilities
            case productTree = "product_tree"
        }
    }

    struct Meta: Decodable {
        struct Tracking: Decodable {
            var id: String?
            var currentReleaseDate: String?
            enum CodingKeys: String, CodingKey {
                case id
                case currentReleaseDate = "current_release_date"
            }
        }

        var title: String?
        var tracking: Tracking?
    }

    struct Helper: Decodable {
        var purl: String?
        var cpe: String?
    }

    struct FullProductName: Decodable {
        var productID: String
        var name: String?
        var helper: Helper?
        enum CodingKeys: String, CodingKey {
            case name
            case productID = "product_id"
            case helper = "product_identification_helper"
        }
    }

    struct Branch: Decodable {
        var category: String?
        var name: String?
        var branches: [Branch]?
        var product: FullProductName?
    }

    struct Relationship: Decodable {
        var fullProductName: FullProductName
        var productReference: String
        enum CodingKeys: String, CodingKey {
            case fullProductName = "full_product_name"
            case productReference = "product_reference"
        }
    }

    struct ProductGroup: Decodable {
        var groupID: String
        var productIDs: [String]
        enum CodingKeys: String, CodingKey {
            case groupID = "group_id"
            case productIDs = "product_ids"
        }
    }

    struct Identity {
        var purl: String?
        var cpe: String?
        /// A `vers:` range from an enclosing `product_version_range` branch.
        var versionRange: String?

        /// A versionless purl under a version-range branch speaks only of that range.
        var vexPurl: VEXProduct? {
            guard let purl else { return nil }
            if let versionRange, (try? PackageURL(parsing: purl))?.version == nil {
                return .purlRange(purl: purl, range: versionRange)
            }
            return .purl(purl)
        }
    }

    struct ProductTree: Decodable {
        var branches: [Branch]?
        var fullProductNames: [FullProductName]?
        var relationships: [Relationship]?
        var productGroups: [ProductGroup]?
        enum CodingKeys: String, CodingKey {
            case branches
            case fullProductNames = "full_product_names"
            case relationships
            case productGroups = "product_groups"
        }

        func identities() -> [String: Identity] {
            var identities: [String: Identity] = [:]
            func walk(_ branches: [Branch], range: String?) {
                for branch in branches {
                    let range = branch.category == "product_version_range" ? branch.name : range
                    if let product = branch.product {
                        identities[product.productID] = Identity(purl: product.helper?.purl, cpe: product.helper?.cpe, versionRange: range)
                    }
                    walk(branch.branches ?? [], range: range)
                }
            }
            walk(branches ?? [], range: nil)
            for product in fullProductNames ?? [] {
                identities[product.productID] = Identity(purl: product.helper?.purl, cpe: product.helper?.cpe)
            }
            // A relationship (e.g. "default_component_of") names a composed product; without its own helper it is
            // identified by the component it refers to.
            for relationship in relationships ?? [] {
                let own = relationship.fullProductName.helper
                let referenced = identities[relationship.productReference]
                identities[relationship.fullProductName.productID] = Identity(
                    purl: own?.purl ?? referenced?.purl, cpe: own?.cpe ?? referenced?.cpe, versionRange: referenced?.versionRange
                )
            }
            return identities
        }
    }

    struct Vulnerability: Decodable {
        struct ID: Decodable {
            var text: String
        }

        struct Flag: Decodable {
            var label: String
            var productIDs: [String]?
            var groupIDs: [String]?
            enum CodingKeys: String, CodingKey {
                case label
                case productIDs = "product_ids"
                case groupIDs = "group_ids"
            }
        }

        struct Threat: Decodable {
            var category: String
            var details: String?
            var productIDs: [String]?
            enum CodingKeys: String, CodingKey {
                case category, details
                case productIDs = "product_ids"
            }
        }

        struct Score: Decodable {
            struct Vector: Decodable { var vectorString: String }
            var cvssV3: Vector?
            var cvssV2: Vector?
            enum CodingKeys: String, CodingKey {
                case cvssV3 = "cvss_v3"
                case cvssV2 = "cvss_v2"
            }
        }

        struct ProductStatus: Decodable {
            var knownAffected: [String]?
            var firstAffected: [String]?
            var lastAffected: [String]?
            var knownNotAffected: [String]?
            var fixed: [String]?
            var firstFixed: [String]?
            var underInvestigation: [String]?
            enum CodingKeys: String, CodingKey {
                case fixed
                case knownAffected = "known_affected"
                case firstAffected = "first_affected"
                case lastAffected = "last_affected"
                case knownNotAffected = "known_not_affected"
                case firstFixed = "first_fixed"
                case underInvestigation = "under_investigation"
            }
        }

        var cve: String?
        var title: String?
        var ids: [ID]?
        var productStatus: ProductStatus?
        var flags: [Flag]?
        var threats: [Threat]?
        var scores: [Score]?
        enum CodingKeys: String, CodingKey {
            case cve, title, ids, flags, threats, scores
            case productStatus = "product_status"
        }
    }
}
