import Foundation
import KamaeCore

/// FIRST's Exploit Prediction Scoring System: the probability that a CVE is exploited in the next 30 days.
public struct EPSSScore: Sendable, Hashable, Codable {
    /// Probability, 0…1.
    public var epss: Double
    /// The share of all scored CVEs with a lower or equal score, 0…1.
    public var percentile: Double

    public init(epss: Double, percentile: Double) {
        self.epss = epss
        self.percentile = percentile
    }
}

/// FIRST's daily EPSS file (`epss_scores-YYYY-MM-DD.csv`, once gunzipped): an optional comment line
/// `#model_version:v2025.03.14,score_date:2025-06-01T00:00:00+0000`, the header `cve,epss,percentile`, then a row
/// per CVE.
public struct EPSSScores: Sendable {
    public var modelVersion: String?
    public var scoreDate: ISODate?
    /// By upper-case CVE id. When a CVE is listed twice, its first row is kept.
    public var scores: [String: EPSSScore]

    public init(modelVersion: String? = nil, scoreDate: ISODate? = nil, scores: [String: EPSSScore]) {
        self.modelVersion = modelVersion
        self.scoreDate = scoreDate
        self.scores = scores
    }

    /// The score of a CVE id in any letter case.
    public func score(for cveID: String) -> EPSSScore? {
        scores[cveID.uppercased()]
    }

    /// Reads the CSV; errors name the line (`line 7`) and what is wrong with it. The full file has about 300,000
    /// rows, so the reader works on the bytes and makes one string per row, its CVE id.
    public static func read(_ data: Data, file: String) throws(IngestError) -> EPSSScores {
        if data.starts(with: [0x1F, 0x8B]) {
            throw .unsupportedFormat(file: file, reason: "the file is gzip-compressed; gunzip it first (FIRST publishes epss_scores-YYYY-MM-DD.csv.gz)")
        }
        let result = data.withUnsafeBytes { buffer in
            var reader = Reader(bytes: buffer, file: file)
            return Result { () throws(IngestError) in try reader.read() }
        }
        return try result.get()
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        let file: String
        var position = 0
        var lineNumber = 0

        init(bytes: UnsafeRawBufferPointer, file: String) {
            self.bytes = bytes
            self.file = file
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        }

        /// The next line without its line break, or nil at the end.
        mutating func nextLine() -> Slice<UnsafeRawBufferPointer>? {
            guard position < bytes.count else { return nil }
            lineNumber += 1
            let start = position
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            position = end + 1
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            return bytes[start..<end]
        }

        func error(_ reason: String) -> IngestError {
            .malformed(file: file, location: "line \(lineNumber)", reason: reason)
        }

        mutating func read() throws(IngestError) -> EPSSScores {
            var modelVersion: String?
            var scoreDate: ISODate?
            var header: Slice<UnsafeRawBufferPointer>?
            while header == nil, let line = nextLine() {
                if line.first == UInt8(ascii: "#") {
                    for pair in String(decoding: line.dropFirst(), as: UTF8.self).split(separator: ",") {
                        let parts = pair.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                        guard parts.count == 2 else { continue }
                        switch parts[0] {
                        case "model_version": modelVersion = parts[1]
                        case "score_date": scoreDate = ISODate(String(parts[1].prefix(10)))
                        default: break
                        }
                    }
                } else if !line.allSatisfy(\.isJSONWhitespace) {
                    header = line
                }
            }
            guard let header else {
                throw .unsupportedFormat(file: file, reason: "no header line; expected an EPSS CSV starting cve,epss,percentile")
            }
            let names = header.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased() }
            guard let cveColumn = names.firstIndex(of: "cve") else {
                throw .unsupportedFormat(file: file, reason: "the header has no cve column; expected an EPSS CSV starting cve,epss,percentile")
            }
            guard let epssColumn = names.firstIndex(of: "epss") else { throw error("the header has no epss column") }
            guard let percentileColumn = names.firstIndex(of: "percentile") else { throw error("the header has no percentile column") }
            let columnCount = max(cveColumn, epssColumn, percentileColumn) + 1

            var scores: [String: EPSSScore] = [:]
            // Rows are about 30 bytes; reserving up front avoids rehashing a 300,000-entry table.
            scores.reserveCapacity(bytes.count / 28)
            var fields: [Slice<UnsafeRawBufferPointer>] = []
            fields.reserveCapacity(columnCount)
            while let line = nextLine() {
                if line.isEmpty { continue }
                fields.removeAll(keepingCapacity: true)
                var fieldStart = line.startIndex
                for index in line.indices where line[index] == UInt8(ascii: ",") {
                    fields.append(line[fieldStart..<index])
                    fieldStart = index + 1
                }
                fields.append(line[fieldStart..<line.endIndex])
                guard fields.count >= columnCount else {
                    let missing = [(cveColumn, "cve"), (epssColumn, "epss"), (percentileColumn, "percentile")]
                        .filter { $0.0 >= fields.count }.map(\.1)
                    throw error("missing column \(missing.joined(separator: ", "))")
                }
                let cveField = fields[cveColumn]
                guard CVEIdentifier(utf8: cveField) != nil else {
                    throw error("not a CVE id: \(String(decoding: cveField.prefix(40), as: UTF8.self))")
                }
                let epss = try probability(fields[epssColumn], column: "epss")
                let percentile = try probability(fields[percentileColumn], column: "percentile")
                var cveID = String(decoding: cveField, as: UTF8.self)
                if cveField.contains(where: { $0 >= UInt8(ascii: "a") }) { cveID = cveID.uppercased() }
                if scores[cveID] == nil { scores[cveID] = EPSSScore(epss: epss, percentile: percentile) }
            }
            return EPSSScores(modelVersion: modelVersion, scoreDate: scoreDate, scores: scores)
        }

        func probability(_ field: Slice<UnsafeRawBufferPointer>, column: String) throws(IngestError) -> Double {
            guard let value = DecimalText.value(field) else {
                throw error("\(column) is not a number: \(String(decoding: field.prefix(40), as: UTF8.self))")
            }
            guard (0...1).contains(value) else { throw error("\(column) \(value) is outside 0…1") }
            return value
        }
    }
}

/// Plain decimal numbers (`0.00043`, `1`, `.5`, `9.1e-05`) read straight from bytes.
enum DecimalText {
    static func value(_ bytes: Slice<UnsafeRawBufferPointer>) -> Double? {
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var fractionDigits = 0
        var sawDigit = false, sawPoint = false
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                sawDigit = true
                // Digits beyond what a UInt64 holds exactly go to the slow, exact path.
                guard significantDigits < 18 else { return slowValue(bytes) }
                if mantissa > 0 || byte != UInt8(ascii: "0") { significantDigits += 1 }
                mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
                if sawPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                return sawDigit ? slowValue(bytes) : nil
            } else {
                return nil
            }
            index += 1
        }
        guard sawDigit else { return nil }
        // Both operands are exact (mantissa < 2^53, 10^k for k ≤ 22), so one division rounds correctly.
        guard mantissa < 1 << 53, fractionDigits <= 22 else { return slowValue(bytes) }
        return Double(mantissa) / powersOfTen[fractionDigits]
    }

    private static let powersOfTen: [Double] = (0...22).map { pow(10, Double($0)) }

    private static func slowValue(_ bytes: Slice<UnsafeRawBufferPointer>) -> Double? {
        guard bytes.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || Array("+-.eE".utf8).contains($0) }),
              let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite
        else { return nil }
        return value
    }
}
