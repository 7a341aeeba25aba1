/// A QR code (ISO/IEC 18004 Model 2) in byte mode, such as the otpauth URI an
/// authenticator app scans during TOTP enrolment.
///
/// Built here rather than imported so the server needs no image library: the
/// result is a module matrix and an SVG that any browser draws.
public struct QRCode: Sendable, Hashable {
    public enum ErrorCorrectionLevel: Sendable, Hashable, CaseIterable {
        /// Recovers about 7 % of codewords.
        case low
        /// Recovers about 15 %; the usual choice for screens.
        case medium
        /// Recovers about 25 %.
        case quartile
        /// Recovers about 30 %.
        case high
    }

    public enum EncodingError: Error, Sendable, Hashable {
        case dataTooLong(byteCount: Int, maximumByteCount: Int)
    }

    /// The symbol versions this encoder can produce (21×21 up to 177×177 modules).
    public static let supportedVersions = QRCodeVersion.supported

    /// Version 1–40; the symbol is 17 + 4 × version modules wide.
    public let version: Int
    public let errorCorrectionLevel: ErrorCorrectionLevel
    /// The mask pattern (0–7) that scored the lowest penalty.
    public let mask: Int
    /// Row-major, `true` = dark; no quiet zone included.
    public let modules: [[Bool]]

    /// Encodes the UTF-8 bytes of `text`. No ECI header is added: readers assume
    /// UTF-8 in practice, and ASCII (all an otpauth URI contains) reads the same either way.
    public init(text: String, errorCorrectionLevel: ErrorCorrectionLevel = .medium) throws(EncodingError) {
        try self.init(bytes: Array(text.utf8), errorCorrectionLevel: errorCorrectionLevel)
    }

    /// Picks the smallest version that holds `bytes` and the best-scoring mask.
    public init(bytes: [UInt8], errorCorrectionLevel: ErrorCorrectionLevel = .medium) throws(EncodingError) {
        try self.init(bytes: bytes, errorCorrectionLevel: errorCorrectionLevel, forcedVersion: nil, forcedMask: nil)
    }

    /// Lets tests pin the version and mask so the matrix can be compared with
    /// another encoder's output module for module.
    init(
        bytes: [UInt8],
        errorCorrectionLevel level: ErrorCorrectionLevel,
        forcedVersion: Int?,
        forcedMask: Int?
    ) throws(EncodingError) {
        let version = try Self.chooseVersion(byteCount: bytes.count, level: level, forced: forcedVersion)
        var base = QRCodeMatrix(version: version)
        base.placeCodewords(Self.interleavedCodewords(bytes: bytes, version: version, level: level))

        if let forcedMask {
            precondition((0..<8).contains(forcedMask), "QR mask patterns are numbered 0–7")
        }
        let mask = forcedMask ?? Self.lowestPenaltyMask(for: base, level: level)
        self.version = version.number
        self.errorCorrectionLevel = level
        self.mask = mask
        self.modules = base.masked(with: mask, level: level).rows
    }

    /// Ties go to the lower-numbered mask, so the choice is deterministic.
    private static func lowestPenaltyMask(for base: QRCodeMatrix, level: ErrorCorrectionLevel) -> Int {
        let scores = (0..<8).map { QRCodePenalty.score(base.masked(with: $0, level: level)) }
        return scores.indices.min { scores[$0] < scores[$1] } ?? 0
    }

    private static func chooseVersion(byteCount: Int, level: ErrorCorrectionLevel, forced: Int?) throws(EncodingError) -> QRCodeVersion {
        if let forced {
            precondition(supportedVersions.contains(forced), "QR versions run from 1 to 40")
            let version = QRCodeVersion(number: forced)
            let capacity = version.byteCapacity(for: level)
            guard byteCount <= capacity else {
                throw .dataTooLong(byteCount: byteCount, maximumByteCount: capacity)
            }
            return version
        }
        for number in supportedVersions {
            let version = QRCodeVersion(number: number)
            if byteCount <= version.byteCapacity(for: level) { return version }
        }
        let largest = QRCodeVersion(number: supportedVersions.upperBound)
        throw .dataTooLong(byteCount: byteCount, maximumByteCount: largest.byteCapacity(for: level))
    }

    /// Mode indicator, count, data, terminator and padding, split into blocks with
    /// their error-correction codewords, then interleaved column by column (all
    /// blocks' first data codewords, then the second, …, then the same for EC) so a
    /// smudge spoils a little of many blocks instead of all of one.
    static func interleavedCodewords(bytes: [UInt8], version: QRCodeVersion, level: ErrorCorrectionLevel) -> [UInt8] {
        let structure = version.blockStructure(for: level)
        let dataCodewords = paddedDataCodewords(bytes: bytes, version: version, capacity: structure.dataCodewords)

        var dataBlocks: [[UInt8]] = []
        var start = 0
        for length in structure.dataCodewordsPerBlock {
            dataBlocks.append(Array(dataCodewords[start..<(start + length)]))
            start += length
        }
        let correctionBlocks = dataBlocks.map {
            ReedSolomon.errorCorrectionCodewords(for: $0, count: structure.errorCorrectionCodewordsPerBlock)
        }

        var result: [UInt8] = []
        result.reserveCapacity(structure.totalCodewords)
        for index in 0..<(dataBlocks.map(\.count).max() ?? 0) {
            for block in dataBlocks where index < block.count {
                result.append(block[index])
            }
        }
        for index in 0..<structure.errorCorrectionCodewordsPerBlock {
            for block in correctionBlocks {
                result.append(block[index])
            }
        }
        return result
    }

    private static func paddedDataCodewords(bytes: [UInt8], version: QRCodeVersion, capacity: Int) -> [UInt8] {
        var bits = BitBuffer()
        bits.append(0b0100, bitCount: 4)
        bits.append(bytes.count, bitCount: version.characterCountBits)
        for byte in bytes {
            bits.append(Int(byte), bitCount: 8)
        }
        let capacityBits = capacity * 8
        bits.append(0, bitCount: min(4, capacityBits - bits.count))
        bits.append(0, bitCount: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        // Alternating 11101100 / 00010001 fills the rest (ISO/IEC 18004 §7.4.10).
        for padIndex in 0..<(capacity - codewords.count) {
            codewords.append(padIndex % 2 == 0 ? 0xEC : 0x11)
        }
        return codewords
    }

    /// An SVG drawing of the symbol: one `<path>` covering the dark modules, on a
    /// white background that includes the quiet zone scanners need around the code.
    /// Coordinates are in modules; `moduleSize` sets the rendered pixel size.
    public func svg(moduleSize: Int = 4, quietZone: Int = 4, label: String = "QR code") -> String {
        precondition(moduleSize > 0 && quietZone >= 0, "Module size must be positive and the quiet zone non-negative")
        let dimension = modules.count + 2 * quietZone
        let path = pathData(quietZone: quietZone)
        let pixels = dimension * moduleSize
        return """
        <svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="\(Self.xmlEscaped(label))" \
        width="\(pixels)" height="\(pixels)" viewBox="0 0 \(dimension) \(dimension)" shape-rendering="crispEdges">\
        <rect width="\(dimension)" height="\(dimension)" fill="#fff"/>\
        <path fill="#000" d="\(path)"/></svg>
        """
    }

    /// The dark modules as SVG path data in module units, offset by the quiet zone: horizontal runs of dark
    /// modules become one rectangle each, keeping the path short. The viewBox is `modules.count + 2 * quietZone`.
    public func pathData(quietZone: Int = 4) -> String {
        var path = ""
        for (row, line) in modules.enumerated() {
            var column = 0
            while column < line.count {
                guard line[column] else {
                    column += 1
                    continue
                }
                var runEnd = column
                while runEnd < line.count, line[runEnd] { runEnd += 1 }
                let width = runEnd - column
                path += "M\(column + quietZone) \(row + quietZone)h\(width)v1h-\(width)z"
                column = runEnd
            }
        }
        return path
    }

    private static func xmlEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

/// Appends values most significant bit first, as QR data segments are written.
private struct BitBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    mutating func append(_ value: Int, bitCount: Int) {
        for shift in stride(from: bitCount - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if (value >> shift) & 1 == 1 {
                bytes[bytes.count - 1] |= 0x80 >> UInt8(count % 8)
            }
            count += 1
        }
    }
}
