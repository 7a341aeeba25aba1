import Foundation

/// A deterministic pseudo-random source (SplitMix64), so that every run benchmarks the same data.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}

/// The synthetic portfolio: package names per ecosystem, the SBOM components using them, and OSV advisories about
/// both those names and names nobody in the portfolio uses (most advisories never hit a given bank).
struct Portfolio {
    enum Kind: CaseIterable {
        case npm, pypi, maven, go, debian

        /// How many distinct package names the portfolio draws from, per ecosystem.
        var namePool: Int {
            switch self {
            case .npm: 12000
            case .pypi: 10000
            case .maven: 8000
            case .go: 6000
            case .debian: 4000
            }
        }

        /// Share of components (percent).
        var share: Int {
            switch self {
            case .npm: 30
            case .pypi: 25
            case .maven: 20
            case .go: 15
            case .debian: 10
            }
        }

        var osvEcosystem: String {
            switch self {
            case .npm: "npm"
            case .pypi: "PyPI"
            case .maven: "Maven"
            case .go: "Go"
            case .debian: "Debian:12"
            }
        }

        var idPrefix: String {
            switch self {
            case .npm, .maven: "GHSA"
            case .pypi: "PYSEC"
            case .go: "GO"
            case .debian: "DEBIAN-CVE"
            }
        }

        var rangeType: String { self == .go || self == .npm ? "SEMVER" : "ECOSYSTEM" }

        /// The name as OSV writes it (index ≥ namePool: a package no component uses).
        func osvName(_ index: Int) -> String {
            switch self {
            case .npm: index % 5 == 0 ? "@scope\(index % 50)/lib-\(index)" : "pkg-\(index)"
            // Mixed case and separators: only PEP 503 normalisation makes these meet the SBOM's spelling.
            case .pypi: "Py_Lib.\(index)"
            case .maven: "org.example\(index % 100):artifact-\(index)"
            case .go: "github.com/org\(index % 300)/mod\(index)"
            case .debian: "libfoo\(index)"
            }
        }

        func purl(_ index: Int, version: String) -> String {
            switch self {
            case .npm:
                index % 5 == 0 ? "pkg:npm/%40scope\(index % 50)/lib-\(index)@\(version)" : "pkg:npm/pkg-\(index)@\(version)"
            case .pypi: "pkg:pypi/py-lib-\(index)@\(version)"
            case .maven: "pkg:maven/org.example\(index % 100)/artifact-\(index)@\(version)"
            case .go: "pkg:golang/github.com/org\(index % 300)/mod\(index)@v\(version)"
            case .debian: "pkg:deb/debian/libfoo\(index)@\(version)?arch=amd64&distro=debian-12"
            }
        }

        /// A version in this ecosystem's usual shape, from three small numbers.
        func version(_ major: Int, _ minor: Int, _ patch: Int) -> String {
            switch self {
            case .debian: major % 4 == 0 ? "1:\(major).\(minor).\(patch)-1" : "\(major).\(minor).\(patch)-\(patch % 3 + 1)+deb12u1"
            default: "\(major).\(minor).\(patch)"
            }
        }
    }

    struct Sizes {
        var components = 100_000
        var advisories = 200_000
    }

    let sizes: Sizes
    private var random = SplitMix64(seed: 0x4B41_4D41_45)

    init(sizes: Sizes) { self.sizes = sizes }

    private mutating func kind() -> Kind {
        var roll = random.below(100)
        for kind in Kind.allCases {
            if roll < kind.share { return kind }
            roll -= kind.share
        }
        return .npm
    }

    private mutating func triple() -> (Int, Int, Int) {
        (random.below(10), random.below(20), random.below(30))
    }

    /// A CycloneDX 1.6 JSON SBOM.
    mutating func sbomJSON() -> String {
        var lines: [String] = []
        lines.reserveCapacity(sizes.components)
        for number in 0..<sizes.components {
            let kind = kind()
            let index = random.below(kind.namePool)
            let (major, minor, patch) = triple()
            let version = kind.version(major, minor, patch)
            let name = kind.osvName(index).replacingOccurrences(of: "\"", with: "")
            lines.append("""
                {"type":"library","bom-ref":"c\(number)","name":"\(name)","version":"\(version)","purl":"\(kind.purl(index, version: version))"}
            """)
        }
        return """
        {"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
         "metadata":{"component":{"type":"application","bom-ref":"portfolio","name":"synthetic-portfolio"}},
         "components":[
        \(lines.joined(separator: ",\n"))
        ]}
        """
    }

    /// One OSV record; `number` makes its id unique.
    mutating func advisoryJSON(number: Int) -> (id: String, json: String) {
        let kind = kind()
        // 60 % about names the portfolio uses, 40 % about other packages of the ecosystem.
        let index = random.chance(60) ? random.below(kind.namePool) : kind.namePool + random.below(kind.namePool * 4)
        let id = "\(kind.idPrefix)-BENCH-\(number)"
        // Every tenth CVE is shared with the next advisory, as GHSA and PYSEC records of one CVE are.
        let cve = "CVE-2024-\(number / 10 * 10 + (number % 10 == 1 ? 0 : number % 10) + 100000)"
        let withdrawn = random.chance(1) ? "\"withdrawn\":\"2024-06-01T00:00:00Z\"," : ""
        var events: [String] = []
        let (major, minor, patch) = triple()
        let start = random.chance(30) ? "0" : kind.version(major, minor, 0)
        let end = kind.version(major + random.below(2), minor + 1 + random.below(5), patch)
        events.append("{\"introduced\":\"\(start)\"}")
        events.append(random.chance(10) ? "{\"last_affected\":\"\(end)\"}" : "{\"fixed\":\"\(end)\"}")
        if random.chance(10) {
            events.append("{\"introduced\":\"\(kind.version(major + 2, 0, 0))\"}")
            events.append("{\"fixed\":\"\(kind.version(major + 2, 3, 1))\"}")
        }
        if random.chance(20) { events.shuffle(using: &random) }
        let versions = random.chance(5) ? ",\"versions\":[\"\(kind.version(major, minor, patch))\"]" : ""
        let name = kind.osvName(index)
        let json = """
        {"schema_version":"1.6.0","id":"\(id)","modified":"2024-05-01T12:00:00Z","published":"2024-04-01T12:00:00Z",\(withdrawn)
         "aliases":["\(cve)"],
         "summary":"Improper input validation in \(name)",
         "details":"A crafted request lets a remote attacker cause excessive resource use or bypass a check in \(name). Upgrade to a fixed version. This text is here so that records have a realistic size.",
         "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:\(["N", "L", "H"][number % 3])/I:L/A:H"}],
         "affected":[{"package":{"ecosystem":"\(kind.osvEcosystem)","name":"\(name)"},
           "ranges":[{"type":"\(kind.rangeType)","events":[\(events.joined(separator: ","))]}]\(versions),
           "database_specific":{"source":"synthetic"}}],
         "references":[{"type":"ADVISORY","url":"https://example.org/advisories/\(id)"},{"type":"WEB","url":"https://example.org/issues/\(number)"}],
         "database_specific":{"severity":"\(["LOW", "MODERATE", "HIGH", "CRITICAL"][number % 4])"}}
        """
        return (id, json)
    }
}

extension SplitMix64: RandomNumberGenerator {}
