/// Keys for incremental matching: when a component or an advisory is new, only the other side's items sharing a
/// key need matching. The keys mirror InventoryIndex's own look-ups, so an advisory can affect a component only if
/// their keys intersect.
enum MatchKey {
    /// For CPE criteria or component CPEs whose vendor or product is not a plain value: the index compares such
    /// advisories with every component CPE.
    static let anyCPE = "*"

    static func package(_ key: PackageIdentity.Key) -> String {
        "package:\(key.ecosystem.rawValue)/\(key.normalizedName)"
    }

    static func product(_ vendorProduct: String) -> String {
        "cpe:\(vendorProduct)"
    }
}

extension Advisory {
    /// `package:<ecosystem>/<normalised name>` per package in a known ecosystem, `cpe:<vendor>:<product>` per
    /// platform, and `*` for a platform with a wildcard or ANY vendor or product.
    public var matchKeys: Set<String> {
        var keys: Set<String> = []
        for package in packages {
            guard let (ecosystem, _) = OSVPackageNaming.ecosystem(fromOSV: package.ecosystem) else { continue }
            keys.insert(MatchKey.package(PackageIdentity(ecosystem: ecosystem, name: package.name).key))
        }
        for platform in platforms {
            keys.insert(InventoryIndex.productKey(platform.criteria).map(MatchKey.product) ?? MatchKey.anyCPE)
        }
        return keys
    }
}

extension InventoryIndex {
    /// The component's package key (from its purl), `cpe:<vendor>:<product>` for each plain CPE, and `*` whenever it
    /// has a CPE, since advisories with wildcard criteria may match any of them.
    public static func matchKeys(for component: Component) -> Set<String> {
        var keys: Set<String> = []
        if let text = component.purl, let purl = try? PackageURL(parsing: text),
           let (identity, _) = OSVPackageNaming.package(for: purl) {
            keys.insert(MatchKey.package(identity.key))
        }
        for text in component.cpes {
            keys.insert(MatchKey.anyCPE)
            if let name = try? CPEName(parsing: text), let product = productKey(name) {
                keys.insert(MatchKey.product(product))
            }
        }
        return keys
    }
}
