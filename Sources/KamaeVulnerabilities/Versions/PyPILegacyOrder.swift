extension PyPIVersion {
    /// setuptools' legacy comparison key, which `packaging` used for non-PEP 440 strings: runs of digits
    /// (zero-padded to 8 so they sort as text), runs of letters, `-` and other text, with `pre`/`preview`/`rc`
    /// read as `c`, `dev` as `@` (before everything), `-` as `final-`, and trailing zeros dropped before
    /// letters and at the end.
    static func legacyKey(_ bytes: [UInt8]) -> [String] {
        var parts: [String] = []
        for component in legacyComponents(bytes) + ["*final"] {
            if component.hasPrefix("*") {
                if component < "*final" {
                    while parts.last == "*final-" { parts.removeLast() }
                }
                while parts.last == "00000000" { parts.removeLast() }
            }
            parts.append(component)
        }
        return parts
    }

    private static func legacyComponents(_ bytes: [UInt8]) -> [String] {
        var components: [String] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            var end = index + 1
            if byte.isASCIIDigit {
                end = VersionBytes.digitRunEnd(bytes, from: index)
            } else if byte.isASCIILetter {
                end = VersionBytes.letterRunEnd(bytes, from: index)
            } else if byte != UInt8(ascii: ".") && byte != UInt8(ascii: "-") {
                while end < bytes.count, !bytes[end].isASCIIAlphanumeric, bytes[end] != UInt8(ascii: "."),
                    bytes[end] != UInt8(ascii: "-")
                {
                    end += 1
                }
            }
            let text = VersionBytes.string(bytes, index..<end)
            index = end
            switch text {
            case ".": continue
            case "pre", "preview", "rc": components.append("*c")
            case "dev": components.append("*@")
            case "-": components.append("*final-")
            default:
                if byte.isASCIIDigit {
                    components.append(String(repeating: "0", count: max(0, 8 - text.utf8.count)) + text)
                } else {
                    components.append("*" + text)
                }
            }
        }
        return components
    }
}
