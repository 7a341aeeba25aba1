import ArgumentParser
import Foundation
import KamaeVulnerabilities

/// `kamae cvss [VECTOR…]`: score CVSS 3.0, 3.1 and 4.0 vectors. Scripts call this; keep the output stable.
struct CVSSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cvss",
        abstract: "Score CVSS 3.0, 3.1 and 4.0 vectors; prints vector, score and severity separated by tabs.",
        discussion: """
        With no vectors given, reads one vector per line from standard input and skips blank lines. \
        An invalid vector is reported on standard error; the others are still scored, and the exit status is 1.
        """
    )

    @Argument(help: "Vectors, e.g. CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
    var vectors: [String] = []

    func run() async throws {
        var failures = 0
        func report(_ outcome: CVSSBatch.Outcome) {
            if outcome.isFailure {
                failures += 1
                FileHandle.standardError.write(Data((outcome.text + "\n").utf8))
            } else {
                print(outcome.text)
            }
        }
        if vectors.isEmpty {
            var number = 0
            while let line = readLine() {
                number += 1
                if let outcome = CVSSBatch.outcome(line: line, number: number) { report(outcome) }
            }
        } else {
            CVSSBatch.process(arguments: vectors).forEach(report)
        }
        if failures > 0 {
            throw CommandFailure("\(failures) invalid CVSS vector\(failures == 1 ? "" : "s")")
        }
    }
}
