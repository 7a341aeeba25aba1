import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import Testing
import Vapor

/// Where Chromium's WebDriver is. Browser tests run when it is installed, and always in CI, where a missing
/// driver must fail the run instead of skipping it.
enum BrowserEnvironment {
    static let chromedriver = ProcessInfo.processInfo.environment["KAMAE_CHROMEDRIVER"] ?? "/usr/bin/chromedriver"
    static let chromium = ProcessInfo.processInfo.environment["KAMAE_CHROMIUM"] ?? "/usr/bin/chromium"
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
    static var available: Bool { isCI || FileManager.default.isExecutableFile(atPath: chromedriver) }
    static let skipReason: Comment = "chromedriver not found (apt-get install chromium chromium-driver): browser tests skipped"
}

struct WebDriverError: Error, CustomStringConvertible {
    var description: String
}

/// A minimal W3C WebDriver client: enough to drive real headless Chromium through Kamae's pages.
final class WebDriver: @unchecked Sendable {
    private let client: any Client
    private let driverProcess: Process
    private let base: String
    private var sessionID = ""

    private init(client: any Client, process: Process, port: Int) {
        self.client = client
        self.driverProcess = process
        self.base = "http://127.0.0.1:\(port)"
    }

    static func start(client: any Client, language: String = "ja") async throws -> WebDriver {
        guard FileManager.default.isExecutableFile(atPath: BrowserEnvironment.chromedriver) else {
            throw WebDriverError(description: "\(BrowserEnvironment.chromedriver) is missing; install chromium-driver")
        }
        let port = Int.random(in: 20000...40000)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BrowserEnvironment.chromedriver)
        process.arguments = ["--port=\(port)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let driver = WebDriver(client: client, process: process, port: port)
        for _ in 0..<100 {
            if (try? await driver.call(.GET, "/status")) != nil { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let options: [String: Any] = [
            "binary": BrowserEnvironment.chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000", "--lang=\(language)"],
            "prefs": ["intl.accept_languages": language],
        ]
        let response = try await driver.call(.POST, "/session", ["capabilities": ["alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": options]]])
        guard let value = response["value"] as? [String: Any], let session = value["sessionId"] as? String else {
            driver.stop()
            throw WebDriverError(description: "could not start Chromium: \(response)")
        }
        driver.sessionID = session
        return driver
    }

    func quit() async {
        _ = try? await call(.DELETE, "/session/\(sessionID)")
        stop()
    }

    private func stop() {
        // SIGKILL because the driver inherits a signal mask that blocks SIGTERM; the session is already closed.
        // No waitUntilExit: it would block a thread of the cooperative pool that the server under test needs.
        kill(driverProcess.processIdentifier, SIGKILL)
    }

    func open(_ url: String) async throws {
        _ = try await session(.POST, "/url", ["url": url])
    }

    var currentURL: String {
        get async throws { try await session(.GET, "/url")["value"] as? String ?? "" }
    }

    /// Finds one element by CSS selector, waiting briefly for it to appear.
    func element(_ selector: String, timeout: Duration = .seconds(5)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            let response = try await session(.POST, "/elements", ["using": "css selector", "value": selector])
            if let found = (response["value"] as? [[String: Any]])?.first, let id = found.values.first as? String {
                return id
            }
            if ContinuousClock.now > deadline { throw WebDriverError(description: "no element matches \(selector)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    func count(_ selector: String) async throws -> Int {
        let response = try await session(.POST, "/elements", ["using": "css selector", "value": selector])
        return (response["value"] as? [Any])?.count ?? 0
    }

    func text(_ selector: String) async throws -> String {
        let id = try await element(selector)
        return try await session(.GET, "/element/\(id)/text")["value"] as? String ?? ""
    }

    func attribute(_ selector: String, _ name: String) async throws -> String? {
        let id = try await element(selector)
        return try await session(.GET, "/element/\(id)/attribute/\(name)")["value"] as? String
    }

    func click(_ selector: String) async throws {
        let id = try await element(selector)
        _ = try await session(.POST, "/element/\(id)/click", [:])
    }

    func type(_ text: String, into selector: String) async throws {
        let id = try await element(selector)
        _ = try await session(.POST, "/element/\(id)/clear", [:])
        _ = try await session(.POST, "/element/\(id)/value", ["text": text])
    }

    /// Waits until the page's text shows `expected` (after a navigation or form submission).
    func waitForText(_ expected: String, in selector: String, timeout: Duration = .seconds(5)) async throws {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            last = (try? await text(selector)) ?? ""
            if last.contains(expected) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw WebDriverError(description: "\(selector) never showed \"\(expected)\"; last: \"\(last.prefix(200))\"")
    }

    /// The value of a cookie the browser holds for the current site.
    func cookie(named name: String) async throws -> String? {
        let response = try await session(.GET, "/cookie/\(name)")
        return (response["value"] as? [String: Any])?["value"] as? String
    }

    func deleteCookies() async throws {
        _ = try await session(.DELETE, "/cookie")
    }

    /// Saves a PNG of the viewport (for people looking at CI artefacts).
    func screenshot(to path: String) async throws {
        let response = try await session(.GET, "/screenshot")
        if let encoded = response["value"] as? String, let data = Data(base64Encoded: encoded) {
            try data.write(to: URL(fileURLWithPath: path))
        }
    }

    private func session(_ method: HTTPMethod, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        try await call(method, "/session/\(sessionID)\(path)", body)
    }

    private func call(_ method: HTTPMethod, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        var headers = HTTPHeaders()
        headers.contentType = .json
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let response = try await client.send(method, headers: headers, to: URI(string: base + path)) { request in
            if let payload { request.body = ByteBuffer(data: payload) }
        }
        guard let buffer = response.body, let json = try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any] else {
            throw WebDriverError(description: "\(method) \(path): empty answer (\(response.status))")
        }
        if response.status.code >= 400 {
            throw WebDriverError(description: "\(method) \(path): \(response.status) \(json["value"] ?? "")")
        }
        return json
    }
}
