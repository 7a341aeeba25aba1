/// The module grid of one QR symbol while it is being built: function patterns
/// first, then the codeword bits, a mask, and the format and version information.
struct QRCodeMatrix: Sendable {
    let version: QRCodeVersion
    private(set) var isDark: [Bool]
    /// Modules that belong to finder, timing, alignment, format or version patterns:
    /// data never goes there and masks never flip them.
    private(set) var isFunction: [Bool]

    var size: Int { version.size }

    /// Sets up the function patterns, with format and version areas reserved (light).
    init(version: QRCodeVersion) {
        self.version = version
        let cellCount = version.size * version.size
        isDark = [Bool](repeating: false, count: cellCount)
        isFunction = [Bool](repeating: false, count: cellCount)
        drawTimingPatterns()
        drawFinderPatterns()
        drawAlignmentPatterns()
        reserveFormatAreas()
        if version.number >= 7 {
            drawVersionInformation()
        }
    }

    subscript(row: Int, column: Int) -> Bool {
        isDark[row * size + column]
    }

    var dataModuleCount: Int { isFunction.count { !$0 } }

    var rows: [[Bool]] {
        (0..<size).map { row in Array(isDark[(row * size)..<((row + 1) * size)]) }
    }

    // MARK: Function patterns

    private mutating func setFunction(row: Int, column: Int, dark: Bool) {
        isDark[row * size + column] = dark
        isFunction[row * size + column] = true
    }

    private mutating func drawTimingPatterns() {
        for index in 0..<size {
            setFunction(row: 6, column: index, dark: index % 2 == 0)
            setFunction(row: index, column: 6, dark: index % 2 == 0)
        }
    }

    /// Each finder is drawn with its light separator: by Chebyshev distance from the
    /// centre, 0–1 is the dark core, 2 light, 3 the dark ring, 4 the separator.
    private mutating func drawFinderPatterns() {
        for (centreRow, centreColumn) in [(3, 3), (3, size - 4), (size - 4, 3)] {
            for rowOffset in -4...4 {
                for columnOffset in -4...4 {
                    let row = centreRow + rowOffset, column = centreColumn + columnOffset
                    guard (0..<size).contains(row), (0..<size).contains(column) else { continue }
                    let distance = max(abs(rowOffset), abs(columnOffset))
                    setFunction(row: row, column: column, dark: distance != 2 && distance != 4)
                }
            }
        }
    }

    /// 5×5 patterns at every pair of listed centres, except the three corners the
    /// finders already occupy.
    private mutating func drawAlignmentPatterns() {
        let centres = version.alignmentPatternCentres
        guard let first = centres.first, let last = centres.last else { return }
        for centreRow in centres {
            for centreColumn in centres {
                let overlapsFinder = (centreRow == first && centreColumn == first)
                    || (centreRow == first && centreColumn == last)
                    || (centreRow == last && centreColumn == first)
                if overlapsFinder { continue }
                for rowOffset in -2...2 {
                    for columnOffset in -2...2 {
                        setFunction(
                            row: centreRow + rowOffset,
                            column: centreColumn + columnOffset,
                            dark: max(abs(rowOffset), abs(columnOffset)) != 1
                        )
                    }
                }
            }
        }
    }

    private mutating func reserveFormatAreas() {
        drawFormatInformation(bits: 0)
    }

    /// Writes the 15-bit format word (bit 14 first) in both of its copies, plus the
    /// always-dark module beside the lower-left copy.
    private mutating func drawFormatInformation(bits: Int) {
        func bit(_ index: Int) -> Bool { (bits >> index) & 1 == 1 }
        // Copy 1, around the top-left finder: bits 0–7 down column 8 (skipping the
        // timing row), bits 8–14 leftwards along row 8 (skipping the timing column).
        let columnEightRows = [0, 1, 2, 3, 4, 5, 7, 8]
        for (index, row) in columnEightRows.enumerated() {
            setFunction(row: row, column: 8, dark: bit(index))
        }
        let rowEightColumns = [7, 5, 4, 3, 2, 1, 0]
        for (offset, column) in rowEightColumns.enumerated() {
            setFunction(row: 8, column: column, dark: bit(8 + offset))
        }
        // Copy 2: bits 0–7 leftwards from the right edge along row 8, bits 8–14
        // down column 8 to the bottom edge.
        for index in 0..<8 {
            setFunction(row: 8, column: size - 1 - index, dark: bit(index))
        }
        for index in 8..<15 {
            setFunction(row: size - 15 + index, column: 8, dark: bit(index))
        }
        setFunction(row: size - 8, column: 8, dark: true)
    }

    /// The 18-bit version word, in a 6×3 block above the lower-left finder and its
    /// transpose left of the upper-right finder; bit 0 is nearest the corner.
    private mutating func drawVersionInformation() {
        let bits = BCHCode.versionWord(version.number)
        for index in 0..<18 {
            let dark = (bits >> index) & 1 == 1
            let near = index / 3, far = size - 11 + index % 3
            setFunction(row: near, column: far, dark: dark)
            setFunction(row: far, column: near, dark: dark)
        }
    }

    // MARK: Data

    /// Places codeword bits, most significant first, in the standard zigzag: column
    /// pairs from the right edge leftwards, alternately upwards and downwards,
    /// skipping function modules and the vertical timing column. Leftover
    /// (remainder) modules stay light.
    mutating func placeCodewords(_ codewords: [UInt8]) {
        let bitCount = codewords.count * 8
        var bitIndex = 0
        var rightColumn = size - 1
        var upwards = true
        while rightColumn > 0 {
            if rightColumn == 6 { rightColumn = 5 }
            for step in 0..<size {
                let row = upwards ? size - 1 - step : step
                for column in [rightColumn, rightColumn - 1] where !isFunction[row * size + column] {
                    if bitIndex < bitCount {
                        isDark[row * size + column] = (codewords[bitIndex / 8] >> (7 - bitIndex % 8)) & 1 == 1
                    }
                    bitIndex += 1
                }
            }
            upwards.toggle()
            rightColumn -= 2
        }
    }

    /// Flips every non-function module where the mask's condition holds, and writes
    /// the format information that tells a reader which mask and level were used.
    func masked(with mask: Int, level: QRCode.ErrorCorrectionLevel) -> QRCodeMatrix {
        var result = self
        for row in 0..<size {
            for column in 0..<size where !isFunction[row * size + column] && Self.maskCondition(mask, row: row, column: column) {
                result.isDark[row * size + column].toggle()
            }
        }
        result.drawFormatInformation(bits: BCHCode.formatWord(level: level, mask: mask))
        return result
    }

    /// ISO/IEC 18004 Table 10, with i the row and j the column.
    static func maskCondition(_ mask: Int, row i: Int, column j: Int) -> Bool {
        switch mask {
        case 0: (i + j) % 2 == 0
        case 1: i % 2 == 0
        case 2: j % 3 == 0
        case 3: (i + j) % 3 == 0
        case 4: (i / 2 + j / 3) % 2 == 0
        case 5: (i * j) % 2 + (i * j) % 3 == 0
        case 6: ((i * j) % 2 + (i * j) % 3) % 2 == 0
        case 7: ((i + j) % 2 + (i * j) % 3) % 2 == 0
        default: preconditionFailure("QR mask patterns are numbered 0–7")
        }
    }
}

/// The BCH codes protecting format and version information (ISO/IEC 18004 Annex C).
enum BCHCode {
    /// 5 data bits (level indicator, mask) + 10 check bits, XORed with 101010000010010
    /// so that no format word is all light.
    static func formatWord(level: QRCode.ErrorCorrectionLevel, mask: Int) -> Int {
        let levelIndicator = switch level {
        case .low: 0b01
        case .medium: 0b00
        case .quartile: 0b11
        case .high: 0b10
        }
        let data = levelIndicator << 3 | mask
        return (data << 10 | remainder(of: data << 10, generator: 0b101_0011_0111)) ^ 0b101_0100_0001_0010
    }

    /// 6 data bits (the version number) + 12 check bits.
    static func versionWord(_ version: Int) -> Int {
        version << 12 | remainder(of: version << 12, generator: 0b1_1111_0010_0101)
    }

    /// Polynomial remainder over GF(2).
    private static func remainder(of value: Int, generator: Int) -> Int {
        let generatorDegree = Int.bitWidth - generator.leadingZeroBitCount - 1
        var remainder = value
        while remainder != 0, Int.bitWidth - remainder.leadingZeroBitCount - 1 >= generatorDegree {
            let shift = (Int.bitWidth - remainder.leadingZeroBitCount - 1) - generatorDegree
            remainder ^= generator << shift
        }
        return remainder
    }
}
