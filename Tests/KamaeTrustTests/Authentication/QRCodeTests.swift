import Foundation
import PropertyBased
import Testing
@testable import KamaeTrust

struct QRCodeTests {
    /// ISO/IEC 18004 Annex I: "01234567" as version 1-M gives these codewords. Our encoder
    /// would put it in byte mode, so only the Reed–Solomon step is checked here.
    @Test func reedSolomonMatchesTheStandardsWorkedExample() {
        let data: [UInt8] = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        #expect(ReedSolomon.errorCorrectionCodewords(for: data, count: 10)
            == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    @Test func fieldMultiplicationWrapsAtTheFieldPolynomial() {
        #expect(ReedSolomon.multiply(0x80, 0x02) == 0x1D)
        #expect(ReedSolomon.multiply(0x53, 0xCA) == 0x8F)
        #expect(ReedSolomon.multiply(0, 0xFF) == 0)
    }

    /// Known format words (ISO/IEC 18004 Table C.1).
    @Test(arguments: [
        (QRCode.ErrorCorrectionLevel.low, 0, 0b111_0111_1100_0100),
        (.medium, 0, 0b101_0100_0001_0010),
        (.quartile, 0, 0b011_0101_0101_1111),
        (.high, 0, 0b001_0110_1000_1001),
        (.medium, 5, 0b100_0000_1100_1110),
        (.high, 7, 0b000_1000_0011_1011),
    ])
    func formatWords(level: QRCode.ErrorCorrectionLevel, mask: Int, expected: Int) {
        #expect(BCHCode.formatWord(level: level, mask: mask) == expected)
    }

    /// Known version words (ISO/IEC 18004 Table D.1).
    @Test(arguments: [(7, 0x07C94), (8, 0x085BC), (21, 0x15683), (40, 0x28C69)])
    func versionWords(version: Int, expected: Int) {
        #expect(BCHCode.versionWord(version) == expected)
    }

    /// ISO/IEC 18004 Annex E, including version 32's irregular spacing.
    @Test(arguments: [
        (1, []), (2, [6, 18]), (7, [6, 22, 38]), (16, [6, 26, 50, 74]),
        (32, [6, 34, 60, 86, 112, 138]), (36, [6, 24, 50, 76, 102, 128, 154]),
        (40, [6, 30, 58, 86, 114, 142, 170]),
    ])
    func alignmentPatternCentres(version: Int, expected: [Int]) {
        #expect(QRCodeVersion(number: version).alignmentPatternCentres == expected)
    }

    @Test func penaltyRules() {
        #expect(QRCodePenalty.sameColourRunPenalty([true, true, true, true]) == 0)
        #expect(QRCodePenalty.sameColourRunPenalty([false, true, true, true, true, true, false]) == 3)
        #expect(QRCodePenalty.sameColourRunPenalty(Array(repeating: false, count: 7)) == 5)
        let finderThenLight: [Bool] = [true, false, true, true, true, false, true, false, false, false, false]
        #expect(QRCodePenalty.finderLikePenalty(finderThenLight) == 40)
        #expect(QRCodePenalty.finderLikePenalty([false] + finderThenLight.reversed()) == 40)
        // At the edge the quiet zone supplies the light side.
        #expect(QRCodePenalty.finderLikePenalty([true, false, true, true, true, false, true, true, true]) == 40)
        #expect(QRCodePenalty.finderLikePenalty([true, true, false, true, true, true, false, true, false, false, false, true]) == 0)
        #expect(QRCodePenalty.sameColourBlockPenalty([[true, true, true], [true, true, true], [false, true, true]]) == 9)
        let half = [[true, false], [false, true]]
        #expect(QRCodePenalty.darkProportionPenalty(half) == 0)
        #expect(QRCodePenalty.darkProportionPenalty([[true, true], [true, false]]) == 50)
    }

    @Test func automaticMaskHasTheLowestPenalty() throws {
        let text = "otpauth://totp/Kamae:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Kamae"
        let chosen = try QRCode(text: text)
        var matrix = QRCodeMatrix(version: QRCodeVersion(number: chosen.version))
        matrix.placeCodewords(QRCode.interleavedCodewords(bytes: Array(text.utf8), version: matrix.version, level: .medium))
        let scores = (0..<8).map { QRCodePenalty.score(matrix.masked(with: $0, level: .medium)) }
        #expect(scores[chosen.mask] == scores.min())
        #expect(scores.firstIndex(of: scores.min() ?? 0) == chosen.mask)
    }

    @Test func defaultsToLevelMAndTheSmallestVersion() throws {
        let code = try QRCode(text: "hello")
        #expect(code.errorCorrectionLevel == .medium)
        #expect(code.version == 1)
        #expect(code.modules.count == 21)
        #expect(code.modules.allSatisfy { $0.count == 21 })
    }

    @Test func throwsWhenNothingIsLargeEnough() {
        #expect(throws: QRCode.EncodingError.dataTooLong(byteCount: 2332, maximumByteCount: 2331)) {
            try QRCode(bytes: Array(repeating: 0x61, count: 2332))
        }
        #expect(throws: QRCode.EncodingError.dataTooLong(byteCount: 2954, maximumByteCount: 2953)) {
            try QRCode(bytes: Array(repeating: 0x61, count: 2954), errorCorrectionLevel: .low)
        }
    }

    @Test func automaticVersionIsTheSmallestThatFits() async {
        await propertyCheck(
            input: Gen<UInt8>.value(in: 0...255).array(of: 0...300),
            Gen<QRCode.ErrorCorrectionLevel>.case
        ) { bytes, level in
            let code = try QRCode(bytes: bytes, errorCorrectionLevel: level)
            #expect(code.modules.count == 17 + 4 * code.version)
            #expect(bytes.count <= QRCodeVersion(number: code.version).byteCapacity(for: level))
            if code.version > 1 {
                #expect(bytes.count > QRCodeVersion(number: code.version - 1).byteCapacity(for: level))
            }
            // The three finder patterns' centres are dark, the timing patterns alternate.
            let last = code.modules.count - 1
            #expect(code.modules[3][3] && code.modules[3][last - 3] && code.modules[last - 3][3])
            #expect((8...(last - 8)).allSatisfy { code.modules[6][$0] == ($0 % 2 == 0) })
        }
    }

    // MARK: SVG

    @Test func svgIsOnePathWithTheDarkModules() throws {
        let code = try QRCode(text: "otpauth://totp/Kamae:alice?secret=JBSWY3DPEHPK3PXP")
        let svg = code.svg()
        let dimension = code.modules.count + 8
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("shape-rendering=\"crispEdges\""))
        #expect(svg.contains("viewBox=\"0 0 \(dimension) \(dimension)\""))
        #expect(svg.contains("width=\"\(dimension * 4)\""))
        #expect(svg.components(separatedBy: "<path").count == 2)
        #expect(!svg.lowercased().contains("script"))
        #expect(!svg.contains(" on"), "no event handler attributes")
        #expect(svg.hasSuffix("</svg>"))

        // Each "h<width>v1" draws <width> dark modules in a row; together they cover exactly the dark ones.
        let darkCount = code.modules.reduce(0) { $0 + $1.count { $0 } }
        let drawn = try svgRunWidths(svg).reduce(0, +)
        #expect(drawn == darkCount)
        // Top-left finder corner sits just inside the quiet zone.
        #expect(svg.contains("d=\"M4 4h7v1h-7z"))
    }

    @Test func svgHonoursModuleSizeQuietZoneAndEscapesTheLabel() throws {
        let code = try QRCode(text: "A")
        let svg = code.svg(moduleSize: 10, quietZone: 2, label: "二要素認証 <\"&'>")
        #expect(svg.contains("width=\"250\" height=\"250\" viewBox=\"0 0 25 25\""))
        #expect(svg.contains("aria-label=\"二要素認証 &lt;&quot;&amp;&apos;&gt;\""))
        #expect(svg.contains("d=\"M2 2h7v1h-7z"))
    }

    private func svgRunWidths(_ svg: String) throws -> [Int] {
        let pathData = try #require(svg.split(separator: "d=\"").last?.split(separator: "\"").first)
        return pathData.split(separator: "z").compactMap { segment in
            segment.split(separator: "h").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) }
        }
    }
}
