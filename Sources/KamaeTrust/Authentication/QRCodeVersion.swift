/// Per-version facts from ISO/IEC 18004: error-correction block structure
/// (Table 9), alignment pattern centres (Annex E) and character-count widths.
struct QRCodeVersion: Sendable, Hashable {
    static let supported = 1...40

    let number: Int

    var size: Int { 17 + 4 * number }

    /// Byte mode's character count indicator grows from 8 to 16 bits at version 10.
    var characterCountBits: Int { number < 10 ? 8 : 16 }

    /// All codewords the symbol holds: its non-function modules, 8 per codeword
    /// (0, 3, 4 or 7 remainder modules are left over and carry zero bits).
    var totalCodewords: Int { Self.totalCodewordsByVersion[number - 1] }

    func blockStructure(for level: QRCode.ErrorCorrectionLevel) -> BlockStructure {
        let row = Self.errorCorrectionTable[number - 1]
        let column = switch level {
        case .low: 0
        case .medium: 1
        case .quartile: 2
        case .high: 3
        }
        let (codewordsPerBlock, blockCount) = row[column]
        return BlockStructure(
            totalCodewords: totalCodewords,
            errorCorrectionCodewordsPerBlock: codewordsPerBlock,
            blockCount: blockCount
        )
    }

    /// Bytes that fit in byte mode after the mode indicator and count.
    func byteCapacity(for level: QRCode.ErrorCorrectionLevel) -> Int {
        let dataBits = blockStructure(for: level).dataCodewords * 8
        return (dataBits - 4 - characterCountBits) / 8
    }

    /// Row (and column) coordinates of alignment pattern centres: the first at 6,
    /// the last at size − 7, the rest evenly spaced by an even step chosen so the
    /// spacing is as uniform as possible; version 32 is the spec's one exception.
    var alignmentPatternCentres: [Int] {
        guard number > 1 else { return [] }
        let count = number / 7 + 2
        let step = number == 32 ? 26 : ((number * 4 + count * 2 + 1) / (count * 2 - 2)) * 2
        let last = size - 7
        return [6] + (0..<(count - 1)).map { last - step * $0 }.reversed()
    }

    struct BlockStructure: Sendable, Hashable {
        let totalCodewords: Int
        let errorCorrectionCodewordsPerBlock: Int
        let blockCount: Int

        var dataCodewords: Int { totalCodewords - errorCorrectionCodewordsPerBlock * blockCount }

        /// When codewords don't split evenly, the first blocks are one data codeword
        /// shorter than the rest (ISO/IEC 18004 Table 9's two groups).
        var dataCodewordsPerBlock: [Int] {
            let shortLength = totalCodewords / blockCount - errorCorrectionCodewordsPerBlock
            let longBlockCount = totalCodewords % blockCount
            return (0..<blockCount).map { $0 < blockCount - longBlockCount ? shortLength : shortLength + 1 }
        }
    }

    private static let totalCodewordsByVersion: [Int] = supported.map { number in
        QRCodeMatrix(version: QRCodeVersion(number: number)).dataModuleCount / 8
    }

    /// (error-correction codewords per block, number of blocks) for L, M, Q, H.
    private static let errorCorrectionTable: [[(Int, Int)]] = [
        [(7, 1), (10, 1), (13, 1), (17, 1)],
        [(10, 1), (16, 1), (22, 1), (28, 1)],
        [(15, 1), (26, 1), (18, 2), (22, 2)],
        [(20, 1), (18, 2), (26, 2), (16, 4)],
        [(26, 1), (24, 2), (18, 4), (22, 4)],
        [(18, 2), (16, 4), (24, 4), (28, 4)],
        [(20, 2), (18, 4), (18, 6), (26, 5)],
        [(24, 2), (22, 4), (22, 6), (26, 6)],
        [(30, 2), (22, 5), (20, 8), (24, 8)],
        [(18, 4), (26, 5), (24, 8), (28, 8)],
        [(20, 4), (30, 5), (28, 8), (24, 11)],
        [(24, 4), (22, 8), (26, 10), (28, 11)],
        [(26, 4), (22, 9), (24, 12), (22, 16)],
        [(30, 4), (24, 9), (20, 16), (24, 16)],
        [(22, 6), (24, 10), (30, 12), (24, 18)],
        [(24, 6), (28, 10), (24, 17), (30, 16)],
        [(28, 6), (28, 11), (28, 16), (28, 19)],
        [(30, 6), (26, 13), (28, 18), (28, 21)],
        [(28, 7), (26, 14), (26, 21), (26, 25)],
        [(28, 8), (26, 16), (30, 20), (28, 25)],
        [(28, 8), (26, 17), (28, 23), (30, 25)],
        [(28, 9), (28, 17), (30, 23), (24, 34)],
        [(30, 9), (28, 18), (30, 25), (30, 30)],
        [(30, 10), (28, 20), (30, 27), (30, 32)],
        [(26, 12), (28, 21), (30, 29), (30, 35)],
        [(28, 12), (28, 23), (28, 34), (30, 37)],
        [(30, 12), (28, 25), (30, 34), (30, 40)],
        [(30, 13), (28, 26), (30, 35), (30, 42)],
        [(30, 14), (28, 28), (30, 38), (30, 45)],
        [(30, 15), (28, 29), (30, 40), (30, 48)],
        [(30, 16), (28, 31), (30, 43), (30, 51)],
        [(30, 17), (28, 33), (30, 45), (30, 54)],
        [(30, 18), (28, 35), (30, 48), (30, 57)],
        [(30, 19), (28, 37), (30, 51), (30, 60)],
        [(30, 19), (28, 38), (30, 53), (30, 63)],
        [(30, 20), (28, 40), (30, 56), (30, 66)],
        [(30, 21), (28, 43), (30, 59), (30, 70)],
        [(30, 22), (28, 45), (30, 62), (30, 74)],
        [(30, 24), (28, 47), (30, 65), (30, 77)],
        [(30, 25), (28, 49), (30, 68), (30, 81)],
    ]
}
