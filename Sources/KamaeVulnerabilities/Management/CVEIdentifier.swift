/// A CVE id, `CVE-YYYY-NNNN…` (a four-digit year, then four or more digits), in any letter case; ordered by year,
/// then number, so `CVE-2021-9999` comes before `CVE-2021-10000`.
struct CVEIdentifier: Hashable, Comparable, Sendable {
    let year: Int
    let number: Int

    /// Works on UTF-8 bytes so that the EPSS reader can check hundreds of thousands of ids without making strings.
    init?(utf8 bytes: some Collection<UInt8>) {
        var iterator = bytes.makeIterator()
        for expected in "cve-".utf8 {
            guard let byte = iterator.next(), byte == expected || (expected != UInt8(ascii: "-") && byte | 0x20 == expected)
            else { return nil }
        }
        var year = 0, yearDigits = 0
        var number = 0, numberDigits = 0
        var inNumber = false
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "-"), !inNumber, yearDigits == 4 {
                inNumber = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            if inNumber {
                number = number * 10 + Int(byte - UInt8(ascii: "0"))
                numberDigits += 1
            } else {
                year = year * 10 + Int(byte - UInt8(ascii: "0"))
                yearDigits += 1
            }
            // Real CVE numbers have at most seven digits; the bound keeps the arithmetic from overflowing.
            guard yearDigits <= 4, numberDigits <= 12 else { return nil }
        }
        guard inNumber, numberDigits >= 4 else { return nil }
        self.year = year
        self.number = number
    }

    init?(_ text: String) {
        self.init(utf8: text.utf8)
    }

    /// The id in upper case, the form used as a key, or nil when `text` is not a CVE id.
    static func canonical(_ text: String) -> String? {
        CVEIdentifier(text) == nil ? nil : text.uppercased()
    }

    static func < (lhs: CVEIdentifier, rhs: CVEIdentifier) -> Bool {
        (lhs.year, lhs.number) < (rhs.year, rhs.number)
    }
}
