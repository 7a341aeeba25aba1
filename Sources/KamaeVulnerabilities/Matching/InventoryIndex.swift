/// An inventory of components indexed for matching: by ecosystem and normalised package name (from purls) and by
/// CPE vendor:product. Built once; then each advisory is matched by a few hash look-ups, not a scan.
public struct InventoryIndex: Sendable {
    /// A component that takes part in package matching, with its purl read once.
    struct PackageEntry: Sendable {
        let component: Int
        let version: String
        /// Parsed once here, compared for every advisory of the package.
        let parsed: AnyVersion?
        let release: String?
    }

    typealias PackageKey = PackageIdentity.Key

    struct CPEEntry: Sendable {
        let component: Int
        let name: CPEName
        let ecosystem: Ecosystem
    }

    public let components: [Component]
    /// Components that cannot be matched, with the reason (no version, unreadable purl, unknown ecosystem …).
    public let unmatchable: [(reference: String, reason: String)]
    private let packages: [PackageKey: [PackageEntry]]
    private let cpeProducts: [String: [CPEEntry]]
    private let allCPEs: [CPEEntry]

    public init(components: [Component]) {
        self.components = components
        var packages: [PackageKey: [PackageEntry]] = [:]
        var cpeProducts: [String: [CPEEntry]] = [:]
        var allCPEs: [CPEEntry] = []
        var unmatchable: [(String, String)] = []
        for (index, component) in components.enumerated() {
            var ecosystem = Ecosystem.generic
            var usable = false
            if let purlText = component.purl {
                switch Self.packageEntry(index: index, component: component, purl: purlText) {
                case let .success((key, entry)):
                    packages[key, default: []].append(entry)
                    ecosystem = key.ecosystem
                    usable = true
                case let .failure(reason):
                    unmatchable.append((component.reference, reason.description))
                }
            }
            for cpeText in component.cpes {
                guard let name = try? CPEName(parsing: cpeText) else {
                    unmatchable.append((component.reference, "unreadable CPE \(cpeText)"))
                    continue
                }
                let entry = CPEEntry(component: index, name: name, ecosystem: ecosystem)
                allCPEs.append(entry)
                if let key = Self.productKey(name) { cpeProducts[key, default: []].append(entry) }
                usable = true
            }
            if !usable && component.purl == nil {
                unmatchable.append((component.reference, "no purl or CPE"))
            }
        }
        self.packages = packages
        self.cpeProducts = cpeProducts
        self.allCPEs = allCPEs
        self.unmatchable = unmatchable
    }

    /// Indices into `components` of the components the advisory affects, ascending, each once.
    /// Withdrawn advisories affect nothing.
    public func affectedComponents(by advisory: Advisory) -> [Int] {
        guard !advisory.isWithdrawn else { return [] }
        var hits: [Int] = []
        for package in advisory.packages {
            guard let (ecosystem, release) = OSVPackageNaming.ecosystem(fromOSV: package.ecosystem),
                  let entries = packages[PackageIdentity(ecosystem: ecosystem, name: package.name).key]
            else { continue }
            let versions = AffectedVersions(package, ecosystem: ecosystem)
            for entry in entries where Self.sameRelease(entry.release, release) {
                if versions.contains(entry.version, parsed: entry.parsed) { hits.append(entry.component) }
            }
        }
        for platform in advisory.platforms {
            let candidates = Self.productKey(platform.criteria).map { cpeProducts[$0] ?? [] } ?? allCPEs
            for entry in candidates where platform.applies(to: entry.name, ecosystem: entry.ecosystem) {
                hits.append(entry.component)
            }
        }
        guard hits.count > 1 else { return hits }
        return Array(Set(hits)).sorted()
    }

    // MARK: Building

    private static func packageEntry(index: Int, component: Component, purl text: String)
        -> Result<(PackageKey, PackageEntry), IndexingFailure> {
        let purl: PackageURL
        do {
            purl = try PackageURL(parsing: text)
        } catch {
            return .failure(IndexingFailure("unreadable purl \(text): \(error)"))
        }
        guard let (identity, release) = OSVPackageNaming.package(for: purl) else {
            return .failure(IndexingFailure("purl type \(purl.type) has no OSV ecosystem"))
        }
        guard let version = purl.version ?? component.version, !version.isEmpty else {
            return .failure(IndexingFailure("no version"))
        }
        return .success((identity.key, PackageEntry(component: index, version: version,
                                                    parsed: identity.ecosystem.parse(version), release: release)))
    }

    struct IndexingFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Distribution advisories (`Debian:12`) only apply to the same release; when either side does not say, the
    /// match stands, because leaving it out could hide a real exposure.
    private static func sameRelease(_ component: String?, _ advisory: String?) -> Bool {
        guard let component, let advisory else { return true }
        return component == advisory
    }

    static func productKey(_ name: CPEName) -> String? {
        guard case let .value(vendor) = name.vendor, case let .value(product) = name.product,
              !vendor.hasWildcards, !product.hasWildcards else { return nil }
        return vendor.text + ":" + product.text
    }
}
