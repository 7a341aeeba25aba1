import Foundation
import Testing

/// The hand-written SBOM, OSV, CSAF, NVD and VEX samples under Fixtures/ingest.
enum IngestFixtures {
    static func url(_ name: String) throws -> URL {
        let directory = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return directory.appendingPathComponent("ingest").appendingPathComponent(name)
    }

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: url(name))
    }

    /// A fresh empty directory under the temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kamae-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A small deterministic generator (SplitMix64) for the garbage-input tests, so a failure can be replayed.
struct FuzzGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    /// `data` with a few bytes overwritten by JSON-significant or random bytes.
    mutating func mutated(_ data: Data) -> Data {
        var bytes = [UInt8](data)
        let interesting: [UInt8] = Array("{}[]\",:\\0123456789-eE tfn".utf8) + [0, 0x80, 0xFF, 0xC3]
        for _ in 0...below(4) where !bytes.isEmpty {
            let position = below(bytes.count)
            bytes[position] = below(3) == 0 ? UInt8(truncatingIfNeeded: next()) : interesting[below(interesting.count)]
        }
        return Data(bytes)
    }
}
