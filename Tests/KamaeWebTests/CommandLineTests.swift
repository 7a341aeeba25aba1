import Foundation
import Testing

/// Runs the real `kamae` binary the way scripts do, and checks the contract they rely on.
@Suite struct CommandLineTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: URL {
        // The test bundle sits in the same build folder as the executable.
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("kamae")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/kamae")
    }

    func kamae(_ arguments: String..., environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func catalogListJSONHasTheContractFields() throws {
        let run = try kamae("catalog", "list", "--json")
        #expect(run.status == 0)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(items.count == 176)
        for item in items {
            for key in ["id", "section", "label", "kind", "title_ja", "title_en", "summary_ja", "summary_en", "csf"] {
                #expect(item[key] != nil, "\(key) missing in \(item["id"] ?? "?")")
            }
            #expect(["basic", "desirable"].contains(item["kind"] as? String ?? ""))
        }
    }

    @Test func catalogListFilters() throws {
        let run = try kamae("catalog", "list", "--section", "2.2.3", "--kind", "basic", "--json")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(items.map { $0["id"] as? String } == (1...6).map { "2.2.3-B\($0)" })
        let table = try kamae("catalog", "list", "--section", "2.6")
        #expect(table.status == 0)
        #expect(table.stdout.contains("2.6-B10"))
        #expect(table.stdout.contains("15 items (basic 10, desirable 5)"))
    }

    @Test func catalogShowAndSections() throws {
        let show = try kamae("catalog", "show", "2.2.1.2-De")
        #expect(show.status == 0)
        #expect(show.stdout.contains("SBOM"))
        let sections = try kamae("catalog", "sections", "--json")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(sections.stdout.utf8)) as? [[String: Any]])
        #expect(parsed.count == 42)
        let text = try kamae("catalog", "sections")
        #expect(text.stdout.contains("Total: 126 basic + 50 desirable = 176 items"))
    }

    @Test func errorsAreOneLineAndNonZero() throws {
        let unknown = try kamae("catalog", "show", "9.9-B1")
        #expect(unknown.status != 0)
        #expect(unknown.stderr.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1)
        #expect(unknown.stderr.contains("no item with id 9.9-B1"))
        let badSection = try kamae("catalog", "list", "--section", "7")
        #expect(badSection.status != 0)
        #expect(badSection.stderr.contains("no section 7"))
        let badKind = try kamae("catalog", "list", "--kind", "optional")
        #expect(badKind.status != 0)
        let badDatabase = try kamae("migrate", environment: ["KAMAE_DATABASE_URL": "mysql://localhost/kamae"])
        #expect(badDatabase.status != 0)
        #expect(badDatabase.stderr.contains("KAMAE_DATABASE_URL"))
    }

    @Test func versionAndHelp() throws {
        #expect(try kamae("--version").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
        for command in [["--help"], ["serve", "--help"], ["catalog", "list", "--help"], ["migrate", "--help"], ["demo", "--help"]] {
            let run = try kamae(command[0], command.count > 1 ? command[1] : "--help", command.count > 2 ? command[2] : "--help")
            #expect(run.status == 0, "\(command)")
            #expect(run.stdout.contains("USAGE"), "\(command)")
        }
    }

    @Test func migrateAndDemoWorkOnAFreshSQLiteFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kamae-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = ["KAMAE_DATABASE_URL": "sqlite:\(directory.path)/kamae.sqlite", "KAMAE_LOG_LEVEL": "error"]
        #expect(try kamae("migrate", environment: database).status == 0)
        let demo = try kamae("demo", environment: database)
        #expect(demo.status == 0)
        #expect(demo.stdout.contains("demo-approver"))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("kamae.sqlite").path))
    }

    /// The supervision commands as scripts call them: the bank's key and signed export, the supervisor's verify,
    /// import and feedback (the demo holds both sides in one database).
    @Test func registerAndFeedCommandsKeepTheirContract() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kamae-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("feeds"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = ["KAMAE_DATABASE_URL": "sqlite:\(directory.path)/kamae.sqlite", "KAMAE_LOG_LEVEL": "error"]
        #expect(try kamae("demo", environment: database).status == 0)
        let csv = directory.appendingPathComponent("systems.csv")
        #expect(try kamae("register", "export", "--institution", "デモ銀行", "systems", "-o", csv.path, environment: database).status == 0)
        let exported = try String(contentsOf: csv, encoding: .utf8)
        #expect(try Data(contentsOf: csv).starts(with: [0xEF, 0xBB, 0xBF]), "a byte-order mark, so Excel reads the Japanese")
        #expect(exported.contains("code,name,kind,owner_department,criticality") && exported.contains("SYS-002,インターネットバンキング"))
        #expect(try kamae("register", "export", "--institution", "デモ銀行", "components", "-o", directory.appendingPathComponent("c.xlsx").path, environment: database).status == 0)

        let bad = directory.appendingPathComponent("bad.csv")
        try "code,system,kind,product\nX1,SYS-404,software,a\nX2,SYS-001,weird,b\n".write(to: bad, atomically: true, encoding: .utf8)
        let refused = try kamae("register", "import", "--institution", "デモ銀行", "components", bad.path, environment: database)
        #expect(refused.status == 1 && refused.stderr.contains("bad.csv line 3 kind") && refused.stderr.contains("bad.csv line 2 system") && refused.stderr.contains("nothing was imported"))
        let reimported = try kamae("register", "import", "--institution", "デモ銀行", "systems", csv.path, environment: database)
        #expect(reimported.status == 0 && reimported.stdout.contains("0 added, 4 updated"))

        try "cve,epss,percentile\nCVE-2021-44228,0.9,0.99\n".write(to: directory.appendingPathComponent("feeds/epss.csv"), atomically: true, encoding: .utf8)
        try "{}".write(to: directory.appendingPathComponent("feeds/broken.json"), atomically: true, encoding: .utf8)
        let feeds = try kamae("vuln", "import", "--institution", "デモ銀行", directory.appendingPathComponent("feeds").path, environment: database)
        #expect(feeds.status == 1 && feeds.stderr.contains("broken.json") && feeds.stdout.hasPrefix("epss.csv\tepss\t1\t0\t2\t"))
    }

    @Test func supervisionCommandsKeepTheirContract() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kamae-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("inbox"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = ["KAMAE_DATABASE_URL": "sqlite:\(directory.path)/kamae.sqlite", "KAMAE_LOG_LEVEL": "error"]
        #expect(try kamae("demo", environment: database).status == 0)
        let bank = "デモ銀行"
        // The demo's approved assessment is last fiscal year's (fiscal years start in April).
        let today = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
        let year = String((today.month! >= 4 ? today.year! : today.year! - 1) - 1)

        let key = try kamae("keys", "show", "--institution", bank, environment: database)
        #expect(key.status == 0 && key.stdout.contains("-----BEGIN PUBLIC KEY-----") && key.stdout.contains("Key ID: "))
        let draft = try kamae("submission", "export", "--institution", bank, "--year", String(Int(year)! + 1), "-o", directory.appendingPathComponent("draft.json").path, environment: database)
        #expect(draft.status != 0 && draft.stderr.contains("not approved"))
        let file = directory.appendingPathComponent("inbox/submission.json")
        #expect(try kamae("submission", "export", "--institution", bank, "--year", year, "-o", file.path, environment: database).status == 0)

        let verified = try kamae("supervision", "verify", file.path, environment: database)
        #expect(verified.status == 0 && verified.stdout.hasPrefix("OK: デモ銀行"))
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"status\":\"not_implemented\"", with: "\"status\":\"implemented\"")
        let tampered = directory.appendingPathComponent("tampered.json")
        try text.write(to: tampered, atomically: true, encoding: .utf8)
        let refused = try kamae("supervision", "verify", tampered.path, environment: database)
        #expect(refused.status == 1 && refused.stderr.contains("signature_invalid"))

        // The demo's round for that year closed last June: signed today, the package is late until the deadline moves.
        let late = try kamae("supervision", "import", directory.appendingPathComponent("inbox").path, environment: database)
        #expect(late.status == 1 && late.stdout.contains("refused (late)"))
        #expect(try kamae("supervision", "round", "--year", year, "--deadline", "2099-12-31", environment: database).status == 0)
        let imported = try kamae("supervision", "import", directory.appendingPathComponent("inbox").path, environment: database)
        #expect(imported.status == 0 && imported.stdout.contains("1 accepted"))
        let again = try kamae("supervision", "import", directory.appendingPathComponent("inbox").path, environment: database)
        #expect(again.status == 0 && again.stdout.contains("already received"))
        try FileManager.default.copyItem(at: tampered, to: directory.appendingPathComponent("inbox/zz-tampered.json"))
        #expect(try kamae("supervision", "import", directory.appendingPathComponent("inbox").path, environment: database).status == 1)

        let feedback = try kamae("supervision", "feedback", "--year", year, "-o", directory.appendingPathComponent("feedback").path, environment: database)
        #expect(feedback.status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("feedback").path)
        #expect(files.filter { $0.hasSuffix(".json") }.count == 41 && files.filter { $0.hasSuffix(".html") }.count == 41 && files.contains("index.csv"))
    }
}
