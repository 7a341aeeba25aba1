/// How each ecosystem compares package names, so the same package matches however it was spelled.
enum PackageNameNormalization {
    static func normalized(_ name: String, in ecosystem: Ecosystem) -> String {
        switch ecosystem {
        case .pypi: pep503(name)
        // Composer, NuGet and dpkg names are case-insensitive (Debian's are lower case by policy).
        case .packagist, .nuget, .debian, .ubuntu: name.lowercased()
        // crates.io treats case and `-`/`_` as the same crate name.
        case .cargo: String(name.lowercased().map { $0 == "_" ? "-" : $0 })
        // npm, Go module paths, Maven group:artifact, RubyGems and apk names are case-sensitive.
        case .npm, .go, .maven, .rubygems, .alpine, .generic: name
        }
    }

    /// PEP 503: lower case, every run of `-`, `_` and `.` becomes one `-`.
    private static func pep503(_ name: String) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(name.utf8.count)
        var inSeparatorRun = false
        for byte in name.utf8 {
            if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") {
                if !inSeparatorRun { result.append(UInt8(ascii: "-")) }
                inSeparatorRun = true
            } else {
                result.append(byte.lowercasedASCII)
                inSeparatorRun = false
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
