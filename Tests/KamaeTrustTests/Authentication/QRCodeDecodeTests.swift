import Foundation
import Testing
@testable import KamaeTrust

/// Reads our automatically masked symbols back with zxing-cpp, a reader that shares
/// no code with the encoder. Needs `pip install zxing-cpp numpy`; skipped without it.
@Suite(.enabled(if: ZXingDecoder.isAvailable, "python3 with zxing-cpp and numpy is not installed"))
struct QRCodeDecodeTests {
    static let payloads = [
        "A",
        "hello",
        "https://kamae.example.jp/assessment?lang=ja",
        "二要素認証の設定",
        TOTP(secret: Array("12345678901234567890".utf8)).provisioningURI(account: "alice@example.com"),
        TOTP(secret: TOTP.generateSecret(), algorithm: .sha512, digits: .eight)
            .provisioningURI(issuer: "Kamae 監査", account: "山田太郎@みずほ銀行.example.jp"),
        String(repeating: "Kamae self-assessment ", count: 40),
    ]

    @Test func zxingReadsEveryPayloadAtEveryLevel() throws {
        var symbols: [QRCode] = []
        var expected: [String] = []
        for payload in Self.payloads {
            for level in QRCode.ErrorCorrectionLevel.allCases {
                symbols.append(try QRCode(text: payload, errorCorrectionLevel: level))
                expected.append(Array(payload.utf8).map { String(format: "%02x", $0) }.joined())
            }
        }
        #expect(Set(symbols.map(\.mask)).count > 1, "different masks get exercised")
        let decoded = try ZXingDecoder.decode(symbols)
        try #require(decoded.count == expected.count)
        for (index, symbol) in symbols.enumerated() {
            #expect(decoded[index] == expected[index], "version \(symbol.version), mask \(symbol.mask)")
        }
    }
}

enum ZXingDecoder {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Scripts/qr_decode.py")

    static let isAvailable: Bool = {
        guard let (status, _) = try? runPython(arguments: ["-c", "import zxingcpp, numpy"], input: Data()) else { return false }
        return status == 0
    }()

    /// Lowercase hex of each decoded payload, nil where zxing-cpp found no code.
    static func decode(_ symbols: [QRCode]) throws -> [String?] {
        let request = symbols.map { ["rows": QRReferenceFixture.rowStrings($0.modules)] }
        let (status, output) = try runPython(arguments: [script.path], input: try JSONEncoder().encode(request))
        try #require(status == 0, "qr_decode.py failed")
        return try JSONDecoder().decode([String?].self, from: output)
    }

    private static func runPython(arguments: [String], input: Data) throws -> (Int32, Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The script reads all of stdin before writing, so writing first cannot deadlock.
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
