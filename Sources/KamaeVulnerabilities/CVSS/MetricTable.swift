/// One metric of a CVSS version as the parser sees it: its abbreviation and allowed values.
struct MetricDefinition: Sendable {
    let abbreviation: String
    /// Allowed values; for optional metrics the first is "X" (Not Defined), so value index 0 means "not given".
    let values: [String]
    let isMandatory: Bool
}

/// The metrics of one CVSS version, laid out flat for a parser that works on bytes.
struct MetricTable: Sendable {
    /// The most values any metric has (e.g. CVSS 4.0 MAV: X, N, A, L, P).
    static let valueStride = 5

    let definitions: [MetricDefinition]
    /// Abbreviations packed by `pack`, one per metric.
    let keys: [UInt64]
    /// Values packed by `pack`, `valueStride` slots per metric, unused slots 0.
    let valueCodes: [UInt64]
    let mandatoryMask: UInt64
    /// Whether the version requires the metrics in specification order (4.0 does; 3.x allows any order).
    let requiresOrder: Bool

    init(definitions: [MetricDefinition], requiresOrder: Bool) {
        self.definitions = definitions
        self.requiresOrder = requiresOrder
        keys = definitions.map { Self.pack(Array($0.abbreviation.utf8)[...]) }
        var codes = [UInt64](repeating: 0, count: definitions.count * Self.valueStride)
        var mask: UInt64 = 0
        for (index, definition) in definitions.enumerated() {
            for (slot, value) in definition.values.enumerated() {
                codes[index * Self.valueStride + slot] = Self.pack(Array(value.utf8)[...])
            }
            if definition.isMandatory { mask |= 1 << UInt64(index) }
        }
        valueCodes = codes
        mandatoryMask = mask
    }

    /// Up to eight ASCII bytes as one integer, so that abbreviations and values compare in one instruction.
    static func pack<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var code: UInt64 = 0
        for byte in bytes { code = code << 8 | UInt64(byte) }
        return code
    }

    /// The canonical text of a vector: prefix, then every given metric in specification order, omitting Not Defined.
    func render(_ values: PackedMetrics, version: CVSSVersion) -> String {
        var text = "CVSS:\(version.rawValue)"
        for (index, definition) in definitions.enumerated() {
            let value = values[index]
            if definition.isMandatory || value != 0 {
                text += "/\(definition.abbreviation):\(definition.values[value])"
            }
        }
        return text
    }
}

/// The value index of each metric of a vector, four bits per metric, for up to 32 metrics.
struct PackedMetrics: Sendable, Hashable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    subscript(index: Int) -> Int {
        get {
            let word = index < 16 ? low : high
            return Int(truncatingIfNeeded: word >> UInt64((index & 15) * 4)) & 0xF
        }
        set {
            let shift = UInt64((index & 15) * 4)
            let bits = UInt64(newValue & 0xF) << shift
            if index < 16 {
                low = low & ~(0xF << shift) | bits
            } else {
                high = high & ~(0xF << shift) | bits
            }
        }
    }
}
