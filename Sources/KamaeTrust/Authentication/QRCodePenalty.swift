/// The mask-selection penalty of ISO/IEC 18004 §7.8.3: the encoder tries every mask
/// and keeps the one whose symbol has the fewest features that confuse scanners.
/// The finished symbol, format and version information included, is scored, since
/// that is what a scanner sees.
enum QRCodePenalty {
    static func score(_ matrix: QRCodeMatrix) -> Int {
        let size = matrix.size
        let rows = (0..<size).map { row in (0..<size).map { matrix[row, $0] } }
        let columns = (0..<size).map { column in (0..<size).map { matrix[$0, column] } }
        let lines = rows + columns
        return lines.reduce(0) { $0 + sameColourRunPenalty($1) + finderLikePenalty($1) }
            + sameColourBlockPenalty(rows)
            + darkProportionPenalty(rows)
    }

    /// N1: a run of five or more same-coloured modules costs 3, plus 1 per extra module.
    static func sameColourRunPenalty(_ line: [Bool]) -> Int {
        var penalty = 0
        var runLength = 0
        for (index, module) in line.enumerated() {
            runLength = index > 0 && line[index - 1] == module ? runLength + 1 : 1
            let runEndsHere = index == line.count - 1 || line[index + 1] != module
            if runEndsHere, runLength >= 5 {
                penalty += 3 + (runLength - 5)
            }
        }
        return penalty
    }

    /// N2: every 2×2 block of one colour costs 3 (overlapping blocks each count).
    static func sameColourBlockPenalty(_ rows: [[Bool]]) -> Int {
        var penalty = 0
        for row in 0..<(rows.count - 1) {
            for column in 0..<(rows.count - 1) {
                let colour = rows[row][column]
                if rows[row][column + 1] == colour, rows[row + 1][column] == colour, rows[row + 1][column + 1] == colour {
                    penalty += 3
                }
            }
        }
        return penalty
    }

    /// N3: a dark-light-dark×3-light-dark (1:1:3:1:1) run with four light modules
    /// on either side looks like a finder pattern and costs 40 each time it appears.
    /// Modules beyond the edge count as light, since the quiet zone is.
    static func finderLikePenalty(_ line: [Bool]) -> Int {
        let finderCore: [Bool] = [true, false, true, true, true, false, true]
        guard line.count >= finderCore.count else { return 0 }
        func isLight(_ range: Range<Int>) -> Bool {
            range.clamped(to: line.indices).allSatisfy { !line[$0] }
        }
        var penalty = 0
        for start in 0...(line.count - finderCore.count)
        where line[start..<(start + finderCore.count)].elementsEqual(finderCore) {
            let end = start + finderCore.count
            if isLight((start - 4)..<start) || isLight(end..<(end + 4)) {
                penalty += 40
            }
        }
        return penalty
    }

    /// N4: 10 points for each full 5 % step the dark share strays from 50 %.
    static func darkProportionPenalty(_ rows: [[Bool]]) -> Int {
        let total = rows.count * rows.count
        let dark = rows.reduce(0) { $0 + $1.count { $0 } }
        let deviationTimesTotal = abs(dark * 100 - total * 50)
        return deviationTimesTotal / (total * 5) * 10
    }
}
