/// Reads the PEP 440 grammar from lower-cased bytes; `parse()` is nil when the whole string is not PEP 440.
struct PEP440Parser {
    let bytes: [UInt8]
    private var index = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func parse() -> PyPIVersion? {
        if index < bytes.count, bytes[index] == UInt8(ascii: "v") { index += 1 }
        var epoch = VersionNumber.zero
        let epochEnd = VersionBytes.digitRunEnd(bytes, from: index)
        if epochEnd > index, epochEnd < bytes.count, bytes[epochEnd] == UInt8(ascii: "!") {
            epoch = VersionNumber(digits: bytes, index..<epochEnd)
            index = epochEnd + 1
        }
        guard let release = readRelease() else { return nil }
        let pre = readPreRelease()
        let post = readPostRelease()
        let dev = readDevRelease()
        var local: [PyPIVersion.LocalSegment] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") {
            index += 1
            guard let segments = readLocal() else { return nil }
            local = segments
        }
        guard index == bytes.count else { return nil }
        return PyPIVersion(epoch: epoch, release: release, pre: pre, post: post, dev: dev, local: local)
    }

    private mutating func readRelease() -> [VersionNumber]? {
        var release: [VersionNumber] = []
        release.reserveCapacity(4)
        while true {
            let end = VersionBytes.digitRunEnd(bytes, from: index)
            guard end > index else { return release.isEmpty ? nil : release }
            release.append(VersionNumber(digits: bytes, index..<end))
            index = end
            // A dot belongs to the release only when a number follows it (`1.0.post1` keeps `.post1`).
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "."), bytes[index + 1].isASCIIDigit else {
                return release
            }
            index += 1
        }
    }

    private func isSeparator(_ position: Int) -> Bool {
        guard position < bytes.count else { return false }
        let byte = bytes[position]
        return byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
    }

    /// Reads `[sep]label[sep][number]` for the first label in `labels` found at the cursor, longest first.
    private mutating func readLabelled(_ labels: [(word: StaticString, tag: Int)]) -> (tag: Int, number: VersionNumber)? {
        var position = index
        if isSeparator(position) { position += 1 }
        for (word, tag) in labels where VersionBytes.hasWord(bytes, at: position, word) {
            position += word.utf8CodeUnitCount
            var number = VersionNumber.zero
            let numberStart = isSeparator(position) ? position + 1 : position
            let numberEnd = VersionBytes.digitRunEnd(bytes, from: numberStart)
            if numberEnd > numberStart {
                number = VersionNumber(digits: bytes, numberStart..<numberEnd)
                position = numberEnd
            }
            index = position
            return (tag, number)
        }
        return nil
    }

    private static let preLabels: [(word: StaticString, tag: Int)] = [
        ("alpha", 0), ("a", 0), ("beta", 1), ("b", 1), ("preview", 2), ("pre", 2), ("c", 2), ("rc", 2),
    ]
    private static let postLabels: [(word: StaticString, tag: Int)] = [("post", 0), ("rev", 0), ("r", 0)]
    private static let devLabels: [(word: StaticString, tag: Int)] = [("dev", 0)]

    private mutating func readPreRelease() -> PyPIVersion.PreRelease? {
        guard let (tag, number) = readLabelled(Self.preLabels),
            let kind = PyPIVersion.PreReleaseKind(rawValue: UInt8(tag))
        else { return nil }
        return PyPIVersion.PreRelease(kind: kind, number: number)
    }

    private mutating func readPostRelease() -> VersionNumber? {
        // The implicit spelling `1.0-1` is a post-release too.
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            let end = VersionBytes.digitRunEnd(bytes, from: index + 1)
            if end > index + 1 {
                defer { index = end }
                return VersionNumber(digits: bytes, (index + 1)..<end)
            }
        }
        return readLabelled(Self.postLabels)?.number
    }

    private mutating func readDevRelease() -> VersionNumber? {
        readLabelled(Self.devLabels)?.number
    }

    private mutating func readLocal() -> [PyPIVersion.LocalSegment]? {
        var segments: [PyPIVersion.LocalSegment] = []
        while true {
            var end = index
            var allDigits = true
            while end < bytes.count, bytes[end].isASCIIAlphanumeric {
                if !bytes[end].isASCIIDigit { allDigits = false }
                end += 1
            }
            guard end > index else { return nil }
            segments.append(
                allDigits
                    ? .numeric(VersionNumber(digits: bytes, index..<end))
                    : .text(VersionBytes.string(bytes, index..<end)))
            index = end
            guard isSeparator(index) else { return segments }
            index += 1
        }
    }
}
