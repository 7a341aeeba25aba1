/// Reads a vector string byte by byte: no regular expressions, no splitting into substrings, no allocation
/// unless the vector is invalid.
enum VectorParser {
    private static let slash = UInt8(ascii: "/")
    private static let colon = UInt8(ascii: ":")

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<CVSSVector, CVSSError> {
        if bytes.isEmpty { return .failure(.empty) }
        guard bytes.count >= 5, bytes[0] == UInt8(ascii: "C"), bytes[1] == UInt8(ascii: "V"),
              bytes[2] == UInt8(ascii: "S"), bytes[3] == UInt8(ascii: "S"), bytes[4] == colon
        else { return .failure(.missingPrefix) }
        var versionEnd = 5
        while versionEnd < bytes.count, bytes[versionEnd] != slash { versionEnd += 1 }
        guard let version = versionNamed(bytes[5..<versionEnd]) else {
            return .failure(.unsupportedVersion(String(decoding: bytes[5..<versionEnd], as: UTF8.self)))
        }
        switch version {
        case .v3_0, .v3_1:
            return parseMetrics(bytes, from: versionEnd, table: CVSS3Metric.table, version: version)
                .map { .v3(CVSS3Vector(version: version, metrics: $0)) }
        case .v4_0:
            return parseMetrics(bytes, from: versionEnd, table: CVSS4Metric.table, version: version)
                .map { .v4(CVSS4Vector(metrics: $0)) }
        }
    }

    private static func versionNamed(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> CVSSVersion? {
        guard bytes.count == 3, bytes[bytes.startIndex + 1] == UInt8(ascii: ".") else { return nil }
        switch (bytes[bytes.startIndex], bytes[bytes.startIndex + 2]) {
        case (UInt8(ascii: "3"), UInt8(ascii: "0")): return .v3_0
        case (UInt8(ascii: "3"), UInt8(ascii: "1")): return .v3_1
        case (UInt8(ascii: "4"), UInt8(ascii: "0")): return .v4_0
        default: return nil
        }
    }

    /// Parses the `/METRIC:VALUE` fields that start at `start` (a slash, or the end of the vector).
    private static func parseMetrics(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, table: MetricTable, version: CVSSVersion
    ) -> Result<PackedMetrics, CVSSError> {
        let keys = table.keys
        let valueCodes = table.valueCodes
        var metrics = PackedMetrics()
        var seen: UInt64 = 0
        var lastIndex = -1
        var position = 0
        var cursor = start
        while cursor < bytes.count {
            cursor += 1  // the slash
            position += 1
            let fieldStart = cursor
            var colonAt = -1
            while cursor < bytes.count, bytes[cursor] != slash {
                if colonAt < 0, bytes[cursor] == colon { colonAt = cursor }
                cursor += 1
            }
            if cursor == fieldStart { return .failure(.emptyField(position: position)) }
            guard colonAt > fieldStart else {
                return .failure(.malformedField(String(decoding: bytes[fieldStart..<cursor], as: UTF8.self), position: position))
            }
            let name = bytes[fieldStart..<colonAt]
            let key = name.count <= 8 ? MetricTable.pack(name) : 0
            guard let index = metricIndex(of: key, in: keys, hint: lastIndex + 1) else {
                return .failure(.unknownMetric(String(decoding: name, as: UTF8.self), version: version, position: position))
            }
            if seen & (1 << UInt64(index)) != 0 {
                return .failure(.duplicateMetric(table.definitions[index].abbreviation))
            }
            let value = bytes[(colonAt + 1)..<cursor]
            let code = (1...8).contains(value.count) ? MetricTable.pack(value) : 0
            guard let valueIndex = valueIndex(of: code, metric: index, in: valueCodes) else {
                let definition = table.definitions[index]
                return .failure(.invalidValue(metric: definition.abbreviation, value: String(decoding: value, as: UTF8.self),
                                              allowed: definition.values))
            }
            if table.requiresOrder, index < lastIndex {
                return .failure(.outOfOrder(metric: table.definitions[index].abbreviation,
                                            follows: table.definitions[lastIndex].abbreviation))
            }
            seen |= 1 << UInt64(index)
            metrics[index] = valueIndex
            lastIndex = max(lastIndex, index)
        }
        let missing = table.mandatoryMask & ~seen
        if missing != 0 {
            let names = table.definitions.indices.filter { missing & (1 << UInt64($0)) != 0 }
                .map { table.definitions[$0].abbreviation }
            return .failure(.missingMetrics(names, version: version))
        }
        return .success(metrics)
    }

    /// Vectors usually list metrics in specification order, so the metric after the previous one is tried first.
    @inline(__always)
    private static func metricIndex(of key: UInt64, in keys: [UInt64], hint: Int) -> Int? {
        if hint < keys.count, keys[hint] == key { return hint }
        return keys.firstIndex(of: key)
    }

    @inline(__always)
    private static func valueIndex(of code: UInt64, metric: Int, in valueCodes: [UInt64]) -> Int? {
        guard code != 0 else { return nil }
        let base = metric * MetricTable.valueStride
        for slot in 0..<MetricTable.valueStride where valueCodes[base + slot] == code {
            return slot
        }
        return nil
    }
}
