import Foundation
import KamaeCore
import KamaeTrust
@testable import KamaeWeb
import SQLKit
import Testing
import Vapor

extension WebTests {
    /// The real server is killed (SIGKILL) in the middle of imports and approvals, again and again. After every
    /// restart the database is consistent: an import is there completely or not at all, a workflow step and its
    /// event and audit record exist together or not at all, whatever was answered 2xx before the kill is there, and
    /// the audit trail verifies.
    @Suite struct CrashSafetyTests {
        static let iterations = 20

        /// One `kamae serve` process on a database that outlives it.
        final class Server: @unchecked Sendable {
            let environment: [String: String]
            let port: Int
            var process: Process?

            init(environment: [String: String], port: Int) {
                self.environment = environment
                self.port = port
            }

            var base: String { "http://127.0.0.1:\(port)" }

            func start(demo: Bool = false) throws {
                let process = Process()
                process.executableURL = CommandLineTests.binary
                process.arguments = ["serve", "--port", String(port)] + (demo ? ["--demo"] : [])
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                self.process = process
                let deadline = Date().addingTimeInterval(60)
                while Date() < deadline {
                    if (try? HTTP.request(base + "/health").status) == 200 { return }
                    Thread.sleep(forTimeInterval: 0.02)
                }
                throw CommandFailure("kamae serve did not answer /health")
            }

            func kill() {
                guard let process else { return }
                Foundation.kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                self.process = nil
            }
        }

        /// curl, so that a request can be cut off by the kill without the test's own process noticing.
        enum HTTP {
            struct Answer {
                var status: Int
                var headers: String
                var body: String
            }

            static func request(_ url: String, _ arguments: [String] = []) throws -> Answer {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                let headerFile = FileManager.default.temporaryDirectory.appendingPathComponent("kamae-h-\(UUID().uuidString)").path
                defer { try? FileManager.default.removeItem(atPath: headerFile) }
                process.arguments = ["curl", "-s", "--max-time", "30", "-D", headerFile, "-w", "\n%{http_code}"] + arguments + [url]
                let out = Pipe()
                process.standardOutput = out
                process.standardError = FileHandle.nullDevice
                try process.run()
                let data = out.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                let text = String(decoding: data, as: UTF8.self)
                let status = Int(text.split(separator: "\n").last ?? "") ?? 0
                return Answer(status: status, headers: (try? String(contentsOfFile: headerFile, encoding: .utf8)) ?? "", body: text)
            }

            static func cookie(in headers: String) -> String? {
                headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie: kamae_session=") }
                    .map { String($0.dropFirst("set-cookie: kamae_session=".count).prefix { $0 != ";" }) }
            }
        }

        /// Signs in (with the demo second factor where the role needs one) and returns the session cookie and form token.
        static func signIn(_ server: Server, _ login: String) throws -> (cookie: String, csrf: String) {
            let answer = try HTTP.request(server.base + "/login", ["--data-urlencode", "login=\(login)", "--data-urlencode", "password=\(DemoData.password)"])
            var cookie = try #require(HTTP.cookie(in: answer.headers))
            if answer.headers.contains("location: /login/mfa") || answer.headers.contains("Location: /login/mfa") {
                let page = try HTTP.request(server.base + "/login/mfa", ["-H", "Cookie: kamae_session=\(cookie)"])
                let csrf = try #require(Visitor.csrfToken(in: page.body))
                let code = TOTP(secret: try Base32.decode(DemoData.mfaSecret)).code(at: Date())
                let done = try HTTP.request(server.base + "/login/mfa", ["-H", "Cookie: kamae_session=\(cookie)", "--data-urlencode", "_csrf=\(csrf)", "--data-urlencode", "code=\(code)"])
                cookie = try #require(HTTP.cookie(in: done.headers))
            }
            let page = try HTTP.request(server.base + "/account/password", ["-H", "Cookie: kamae_session=\(cookie)"])
            return (cookie, try #require(Visitor.csrfToken(in: page.body)))
        }

        static func database() throws -> (environment: [String: String], cleanUp: () -> Void) {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kamae-crash-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var environment = ["KAMAE_LOG_LEVEL": "error", "KAMAE_AUDIT_KEY_FILE": directory.appendingPathComponent("audit.key").path]
            if TestDatabase.isPostgres, let url = ProcessInfo.processInfo.environment["KAMAE_TEST_DATABASE_URL"] {
                // A schema of its own, so that the other suites' resets do not touch it.
                environment["KAMAE_DATABASE_URL"] = url + (url.contains("?") ? "&" : "?") + "search_path=crash_test"
            } else {
                environment["KAMAE_DATABASE_URL"] = "sqlite:\(directory.path)/kamae.sqlite"
            }
            return (environment, { try? FileManager.default.removeItem(at: directory) })
        }

        @Test func killedMidImportOrApprovalTheDatabaseStaysConsistent() async throws {
            if TestDatabase.isPostgres {
                try await withKamaeApp { app in
                    let sql = app.db as! any SQLDatabase
                    try await sql.raw("DROP SCHEMA IF EXISTS crash_test CASCADE").run()
                    try await sql.raw("CREATE SCHEMA crash_test").run()
                }
            }
            let (environment, cleanUp) = try Self.database()
            defer { cleanUp() }
            let server = Server(environment: environment, port: Int.random(in: 20_000...40_000))
            defer { server.kill() }
            try server.start(demo: true)
            let year = FiscalYear.current()
            let editor = try Self.signIn(server, "demo-editor")
            let approver = try Self.signIn(server, "demo-approver")
            let admin = try Self.signIn(server, "demo-admin")
            let export = try HTTP.request(server.base + "/assessments/\(year)/export/json", ["-H", "Cookie: kamae_session=\(editor.cookie)"])
            let json = String(export.body.dropLast(4))
            var document = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("kamae-crash-\(UUID().uuidString).json")
            defer { try? FileManager.default.removeItem(at: file) }
            var killedBeforeAnswer = 0
            var answeredBeforeKill = 0
            var committed = 0

            // Imports: each changes the evidence text of every answered item to a marker of its own.
            for iteration in 1...Self.iterations {
                let marker = "crash-\(iteration)"
                var answers = document["answers"] as! [[String: Any]]
                var changed = 0
                for index in answers.indices where answers[index]["status"] != nil && !(answers[index]["status"] is NSNull) {
                    answers[index]["evidence_text"] = marker
                    changed += 1
                }
                document["answers"] = answers
                try JSONSerialization.data(withJSONObject: document).write(to: file)
                let answer = Task.detached {
                    try HTTP.request(server.base + "/assessments/\(year)/import", [
                        "-H", "Cookie: kamae_session=\(editor.cookie)", "-F", "_csrf=\(editor.csrf)", "-F", "file=@\(file.path);type=application/json",
                    ])
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...150)))
                server.kill()
                let status = try await answer.value.status
                if status == 200 { answeredBeforeKill += 1 } else { killedBeforeAnswer += 1 }
                try server.start()
                let stored = try await Self.count(environment, "SELECT COUNT(*) AS n FROM answers a JOIN assessments s ON s.id = a.assessment_id WHERE s.fiscal_year = \(year) AND a.evidence_text = '\(marker)'")
                let recorded = try await Self.count(environment, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'answers.imported' AND details LIKE '%\"answers_changed\":\"\(changed)\"%'")
                #expect(stored == 0 || stored == changed, "import \(iteration): \(stored) of \(changed) answers written")
                if stored == changed { committed += 1 }
                if status == 200 { #expect(stored == changed, "import \(iteration) was answered 200 but is missing") }
                #expect(stored == 0 || recorded >= 1, "import \(iteration) is stored without its audit record")
            }

            // Approvals: submitted by the editor, approved by the approver while the server dies, reopened by the admin.
            for iteration in 1...Self.iterations {
                let submit = try HTTP.request(server.base + "/assessments/\(year)/workflow", ["-H", "Cookie: kamae_session=\(editor.cookie)", "--data-urlencode", "_csrf=\(editor.csrf)", "--data-urlencode", "action=submit"])
                #expect(submit.status == 303, "submit \(iteration): \(submit.status)")
                let approvalsBefore = try await Self.count(environment, "SELECT COUNT(*) AS n FROM assessment_events WHERE action = 'approve'")
                let answer = Task.detached {
                    try HTTP.request(server.base + "/assessments/\(year)/workflow", ["-H", "Cookie: kamae_session=\(approver.cookie)", "--data-urlencode", "_csrf=\(approver.csrf)", "--data-urlencode", "action=approve"])
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...60)))
                server.kill()
                let status = try await answer.value.status
                if status == 303 { answeredBeforeKill += 1 } else { killedBeforeAnswer += 1 }
                try server.start()
                let approved = try await Self.count(environment, "SELECT COUNT(*) AS n FROM assessments WHERE fiscal_year = \(year) AND state = 'approved'")
                let approvals = try await Self.count(environment, "SELECT COUNT(*) AS n FROM assessment_events WHERE action = 'approve'") - approvalsBefore
                let audited = try await Self.count(environment, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'assessment.approve'")
                #expect(approvals == approved, "approval \(iteration): state and event disagree")
                #expect(audited >= approvals, "approval \(iteration): event without audit record")
                if status == 303 { #expect(approved == 1, "approval \(iteration) was answered but is missing") }
                committed += approved
                let back = approved == 1
                    ? try HTTP.request(server.base + "/assessments/\(year)/workflow", ["-H", "Cookie: kamae_session=\(admin.cookie)", "--data-urlencode", "_csrf=\(admin.csrf)", "--data-urlencode", "action=reopen", "--data-urlencode", "reason=crash test \(iteration)"])
                    : try HTTP.request(server.base + "/assessments/\(year)/workflow", ["-H", "Cookie: kamae_session=\(approver.cookie)", "--data-urlencode", "_csrf=\(approver.csrf)", "--data-urlencode", "action=return", "--data-urlencode", "reason=crash test \(iteration)"])
                #expect(back.status == 303, "back to draft \(iteration): \(back.status)")
            }
            server.kill()
            let verify = try CommandLineTests().kamae("audit", "verify", environment: environment)
            #expect(verify.status == 0, "\(verify.stderr)")
            print("crash safety: \(Self.iterations * 2) kills (\(killedBeforeAnswer) before the answer, \(answeredBeforeKill) after; \(committed) of the interrupted writes had committed); audit: \(verify.stdout)")
        }

        /// One number from the database the server uses, read with a short-lived application of our own.
        static func count(_ environment: [String: String], _ query: String) async throws -> Int {
            let location = try DatabaseLocation.parse(environment["KAMAE_DATABASE_URL"]!)
            let app = try await Application.make(.testing)
            app.logger.logLevel = .error
            do {
                try configure(app, KamaeConfiguration(database: location, auditKeyPath: environment["KAMAE_AUDIT_KEY_FILE"]))
                let value = try await (app.db as! any SQLDatabase).raw(SQLQueryString(query)).first()?.decode(column: "n", as: Int.self) ?? -1
                try await app.asyncShutdown()
                return value
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
        }
    }
}
