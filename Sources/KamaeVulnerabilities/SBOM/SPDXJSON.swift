import Foundation

/// The parts of an SPDX 2.3 JSON document that the engine uses: packages, their purl/CPE references, relationships.
struct SPDXJSONDocument: Decodable {
    struct Package: Decodable {
        var spdxID: String
        var name: String
        var versionInfo: String?
        var externalRefs: [ExternalReference]?
        var primaryPackagePurpose: String?

        enum CodingKeys: String, CodingKey {
            case name, versionInfo, externalRefs, primaryPackagePurpose
            case spdxID = "SPDXID"
        }
    }

    struct ExternalReference: Decodable {
        var referenceCategory: String
        var referenceType: String
        var referenceLocator: String
    }

    struct Relationship: Decodable {
        var spdxElementId: String
        var relationshipType: String
        var relatedSpdxElement: String
    }

    var spdxVersion: String
    var documentDescribes: [String]?
    var packages: [Package]?
    var relationships: [Relationship]?

    func sbom() -> SBOM {
        var parents: [String: String] = [:]
        var graph: [String: [String]] = [:]
        var described = documentDescribes ?? []
        for relationship in relationships ?? [] {
            let from = relationship.spdxElementId, to = relationship.relatedSpdxElement
            switch relationship.relationshipType.uppercased() {
            case "DEPENDS_ON": graph[from, default: []].append(to)
            // DEPENDENCY_OF and its specialised kinds (DEV_, BUILD_, RUNTIME_, OPTIONAL_ …) point the other way.
            case let type where type.hasSuffix("DEPENDENCY_OF"): graph[to, default: []].append(from)
            case "CONTAINS": parents[to] = from
            case "CONTAINED_BY": parents[from] = to
            case "DESCRIBES" where !described.contains(to): described.append(to)
            default: break
            }
        }
        let components = (packages ?? []).map { package in
            let references = package.externalRefs ?? []
            // SPDX 2.3 spells the category PACKAGE-MANAGER; 2.2 JSON used PACKAGE_MANAGER.
            let purl = references.first {
                $0.referenceType.lowercased() == "purl"
                    && $0.referenceCategory.uppercased().replacingOccurrences(of: "_", with: "-") == "PACKAGE-MANAGER"
            }?.referenceLocator
            let cpes = references.filter { ["cpe23type", "cpe22type"].contains($0.referenceType.lowercased()) }
                .map(\.referenceLocator)
            return Component(reference: package.spdxID, name: package.name, version: package.versionInfo, purl: purl,
                             cpes: cpes, parent: parents[package.spdxID], kind: package.primaryPackagePurpose?.lowercased())
        }
        let version = spdxVersion.hasPrefix("SPDX-") ? String(spdxVersion.dropFirst(5)) : spdxVersion
        return SBOM(format: .spdxJSON(specVersion: version), subject: described.first, components: components,
                    dependencies: graph)
    }
}
