import Foundation
#if canImport(Glibc)
import Glibc
#endif

enum Measurement {
    struct CommandFailed: Error, CustomStringConvertible {
        let description: String
    }

    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }

    /// Runs a program to completion and returns its standard output; a non-zero exit is an error with its stderr.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailed(description: "\(executable) \(arguments.first ?? "") exited with \(process.terminationStatus): "
                + String(decoding: errorData, as: UTF8.self).suffix(500))
        }
        return String(decoding: outputData, as: UTF8.self)
    }

    /// The process's peak resident set (VmHWM in /proc/self/status), in MB; 0 where /proc is unavailable.
    static func peakResidentMegabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
        return kilobytes / 1024
    }

    /// Writes a file without the fsync that `Data.write` does: the benchmark writes hundreds of thousands of them.
    static func writeFile(_ path: String, _ text: String) throws {
        guard let file = fopen(path, "wb") else { throw CommandFailed(description: "cannot create \(path)") }
        defer { fclose(file) }
        var text = text
        let written = text.withUTF8 { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == text.utf8.count else { throw CommandFailed(description: "cannot write \(path)") }
    }

    static func megabytes(ofFile path: String) -> Double {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.doubleValue ?? 0
        return size / 1_048_576
    }
}
