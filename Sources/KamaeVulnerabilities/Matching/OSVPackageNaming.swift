/// The distribution release a component or an advisory is about: purl `distro` qualifiers (`debian-12`,
/// `bookworm`, `alpine-3.19.1`, `ubuntu-22.04`) and OSV ecosystem suffixes (`Debian:12`, `Alpine:v3.19`,
/// `Ubuntu:22.04:LTS`) brought to one form so they can be compared.
enum OSVPackageNaming {
    /// The ecosystem, the OSV package (from the version-order module's `PackageIdentity`) and the release of a purl.
    static func package(for purl: PackageURL) -> (identity: PackageIdentity, release: String?)? {
        guard let identity = PackageIdentity(purlType: purl.type, namespace: purl.namespace, name: purl.name) else { return nil }
        return (identity, release(ofDistro: purl.qualifiers["distro"], ecosystem: identity.ecosystem))
    }

    /// `Debian:12` → (.debian, "12"); `Alpine:v3.19` → (.alpine, "v3.19"); `PyPI` → (.pypi, nil).
    /// Unknown ecosystems give nil: they cannot be matched by name.
    static func ecosystem(fromOSV text: String) -> (ecosystem: Ecosystem, release: String?)? {
        guard let ecosystem = Ecosystem(osvEcosystem: text) else { return nil }
        guard [.debian, .ubuntu, .alpine].contains(ecosystem), let colon = text.firstIndex(of: ":") else {
            // Maven and Packagist suffixes name a repository, not a release.
            return (ecosystem, nil)
        }
        return (ecosystem, advisoryRelease(String(text[text.index(after: colon)...]), ecosystem: ecosystem))
    }

    private static let debianCodenames = [
        "jessie": "8", "stretch": "9", "buster": "10", "bullseye": "11", "bookworm": "12", "trixie": "13", "forky": "14",
    ]
    private static let ubuntuCodenames = [
        "xenial": "16.04", "bionic": "18.04", "focal": "20.04", "jammy": "22.04", "noble": "24.04",
        "mantic": "23.10", "lunar": "23.04", "oracular": "24.10", "plucky": "25.04",
    ]

    /// A purl `distro` qualifier (`debian-12`, `bookworm`, `alpine-3.19.1`, `ubuntu-22.04`) in OSV's release form.
    static func release(ofDistro distro: String?, ecosystem: Ecosystem) -> String? {
        guard var value = distro?.lowercased(), !value.isEmpty else { return nil }
        for prefix in ["debian-", "ubuntu-", "alpine-"] where value.hasPrefix(prefix) {
            value.removeFirst(prefix.count)
        }
        switch ecosystem {
        case .debian:
            if let number = debianCodenames[value] { return number }
            return value.split(separator: ".").first.map(String.init)
        case .ubuntu:
            if let number = ubuntuCodenames[value] { return number }
            return value.split(separator: ".").prefix(2).joined(separator: ".")
        case .alpine:
            if value.hasPrefix("v") { value.removeFirst() }
            return "v" + value.split(separator: ".").prefix(2).joined(separator: ".")
        default:
            return nil
        }
    }

    /// The release part of an OSV ecosystem string, in the same form as `release(ofDistro:)`.
    private static func advisoryRelease(_ suffix: String, ecosystem: Ecosystem) -> String? {
        switch ecosystem {
        case .ubuntu:
            // `22.04:LTS`, `Pro:18.04:LTS`, `24.04`: the numeric segment is the release.
            return suffix.split(separator: ":").first { $0.first?.isNumber == true }.map(String.init)
        case .alpine:
            return suffix.lowercased()
        default:
            return suffix.split(separator: ":").first.map(String.init)
        }
    }
}
