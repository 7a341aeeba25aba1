import Crypto
import Foundation
import Testing
@testable import KamaeTrust

/// segno's output, written by Scripts/qr_reference.py (see Fixtures/README.md).
struct QRReferenceFixture: Decodable, Sendable {
    struct Matrix: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let input: String
        let version: Int
        let errorCorrection: String
        let mask: Int
        let rows: [String]
        var testDescription: String { "\(name) (\(version)-\(errorCorrection), mask \(mask))" }
    }

    struct SweepEntry: Decodable, Sendable, CustomTestStringConvertible {
        let version: Int
        let errorCorrection: String
        let byteCapacity: Int
        let mask: Int
        let rowsSHA256: String
        var testDescription: String { "\(version)-\(errorCorrection)" }
    }

    struct Automatic: Decodable, Sendable, CustomTestStringConvertible {
        let input: String
        let errorCorrection: String
        let version: Int
        let maskRowsSHA256: [String]
        var testDescription: String { "\(input.prefix(40))… at \(errorCorrection)" }
    }

    let sweepPattern: String
    let matrices: [Matrix]
    let capacitySweep: [SweepEntry]
    let automatic: [Automatic]

    static let loaded: QRReferenceFixture = {
        guard let url = Bundle.module.url(forResource: "qr-reference", withExtension: "json"),
              let data = try? Data(contentsOf: url),
              let fixture = try? JSONDecoder().decode(QRReferenceFixture.self, from: data)
        else { fatalError("Fixtures/qr-reference.json is missing or malformed; regenerate it with Scripts/qr_reference.py") }
        return fixture
    }()

    static func level(_ letter: String) -> QRCode.ErrorCorrectionLevel {
        switch letter {
        case "L": .low
        case "M": .medium
        case "Q": .quartile
        default: .high
        }
    }

    /// The same text form the fixture uses: '1' = dark, one string per row.
    static func rowStrings(_ modules: [[Bool]]) -> [String] {
        modules.map { row in String(row.map { $0 ? "1" : "0" }) }
    }

    /// Hex SHA-256 of the row strings joined by LF, as the fixture stores it.
    static func rowsDigest(_ modules: [[Bool]]) -> String {
        let rows = rowStrings(modules).joined(separator: "\n")
        return SHA256.hash(data: Array(rows.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

struct QRCodeReferenceTests {
    @Test func fixtureHasEnoughCases() {
        #expect(QRReferenceFixture.loaded.matrices.count >= 20)
        #expect(Set(QRReferenceFixture.loaded.matrices.map(\.mask)) == Set(0..<8))
        #expect(QRReferenceFixture.loaded.matrices.contains { $0.input.contains("%E5%B1%B1%E7%94%B0") })
        #expect(QRReferenceFixture.loaded.capacitySweep.count == 160)
    }

    @Test(arguments: QRReferenceFixture.loaded.matrices)
    func matchesSegnoModuleForModule(reference: QRReferenceFixture.Matrix) throws {
        let code = try QRCode(
            bytes: Array(reference.input.utf8),
            errorCorrectionLevel: QRReferenceFixture.level(reference.errorCorrection),
            forcedVersion: reference.version,
            forcedMask: reference.mask
        )
        #expect(code.version == reference.version)
        #expect(code.mask == reference.mask)
        let ours = QRReferenceFixture.rowStrings(code.modules)
        try #require(ours.count == reference.rows.count)
        for (index, (ourRow, theirRow)) in zip(ours, reference.rows).enumerated() {
            #expect(ourRow == theirRow, "row \(index)")
        }
    }

    /// Every version and level filled to capacity: checks the block table, capacity,
    /// interleaving and placement for all 160 combinations (compared by digest).
    @Test(arguments: QRReferenceFixture.loaded.capacitySweep)
    func matchesSegnoAtFullCapacity(reference: QRReferenceFixture.SweepEntry) throws {
        let level = QRReferenceFixture.level(reference.errorCorrection)
        let version = QRCodeVersion(number: reference.version)
        #expect(version.byteCapacity(for: level) == reference.byteCapacity)

        let pattern = Array(QRReferenceFixture.loaded.sweepPattern.utf8)
        let payload = (0..<reference.byteCapacity).map { pattern[$0 % pattern.count] }
        let code = try QRCode(bytes: payload, errorCorrectionLevel: level, forcedVersion: reference.version, forcedMask: reference.mask)
        #expect(QRReferenceFixture.rowsDigest(code.modules) == reference.rowsSHA256)

        #expect(throws: QRCode.EncodingError.dataTooLong(byteCount: payload.count + 1, maximumByteCount: reference.byteCapacity)) {
            try QRCode(bytes: payload + [0x41], errorCorrectionLevel: level, forcedVersion: reference.version, forcedMask: nil)
        }
    }

    /// Automatic choice: the same smallest version as segno, and exactly segno's symbol
    /// for whichever mask our penalty scoring picked.
    @Test(arguments: QRReferenceFixture.loaded.automatic)
    func automaticChoiceIsASymbolSegnoAlsoProduces(reference: QRReferenceFixture.Automatic) throws {
        let code = try QRCode(text: reference.input, errorCorrectionLevel: QRReferenceFixture.level(reference.errorCorrection))
        #expect(code.version == reference.version)
        #expect(QRReferenceFixture.rowsDigest(code.modules) == reference.maskRowsSHA256[code.mask])
    }
}
