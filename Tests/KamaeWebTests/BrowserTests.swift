import Foundation
@testable import KamaeWeb
import Testing
import Vapor

extension WebTests {
    /// Real headless Chromium against a real Kamae server on loopback.
    @Suite(.enabled(if: BrowserEnvironment.available, BrowserEnvironment.skipReason))
    struct BrowserTests {
        /// Starts Kamae on a free loopback port and a browser, runs `body`, and stops both.
        func withBrowser(language: String = "ja", _ body: (WebDriver, String) async throws -> Void) async throws {
            try await withKamaeApp { app in
                app.http.server.configuration.hostname = "127.0.0.1"
                app.http.server.configuration.port = 0
                try app.server.start()
                let port = try #require(app.http.server.shared.localAddress?.port)
                let browser = try await WebDriver.start(client: app.client, language: language)
                do {
                    try await body(browser, "http://127.0.0.1:\(port)")
                } catch {
                    try? await browser.screenshot(to: "/tmp/kamae-browser-failure.png")
                    await browser.quit()
                    await app.server.shutdown()
                    throw error
                }
                await browser.quit()
                await app.server.shutdown()
            }
        }

        @Test func catalogSearchAndLanguageSwitch() async throws {
            try await withBrowser { browser, site in
                try await browser.open("\(site)/catalog")
                #expect(try await browser.text("h1") == "ガイドライン項目")
                #expect(try await browser.text("#catalog-totals").contains("計 176 項目"))
                #expect(try await browser.count(".item-card") == 50)

                // Search in Japanese: the form submits and the results narrow down.
                try await browser.type("多要素認証", into: "#q")
                try await browser.click("#search-submit")
                try await browser.waitForText("件中", in: "#result-count")
                #expect(try await browser.count("[data-item-id='2.3.1-B5']") == 1)
                #expect(try await browser.count(".item-card") < 10)

                // Switch to English: the same search stays, the page speaks English.
                try await browser.click("#lang-en")
                try await browser.waitForText("Guideline catalog", in: "h1")
                #expect(try await browser.attribute("html", "lang") == "en")
                #expect(try await browser.currentURL.contains("q=%E5%A4%9A"))
                #expect(try await browser.count("[data-item-id='2.3.1-B5']") == 1)

                // Filter by kind with the select, then open an item.
                try await browser.open("\(site)/catalog?section=2.2.3")
                try await browser.click("#kind option[value='desirable']")
                try await browser.click("#search-submit")
                try await browser.waitForText("1 of 1", in: "#result-count")
                try await browser.click("[data-item-id='2.2.3-Da'] h3 a")
                try await browser.waitForText("2.2.3", in: ".breadcrumbs")
                #expect(try await browser.currentURL.hasSuffix("/catalog/items/2.2.3-Da"))

                // Back to Japanese for the next visitor on this browser.
                try await browser.click("#lang-ja")
                try await browser.waitForText("ガイドライン項目", in: ".breadcrumbs")
                try await browser.screenshot(to: "/tmp/kamae-catalog-item.png")
            }
        }

        @Test func searchWithNoResultsExplainsWhatToDo() async throws {
            try await withBrowser { browser, site in
                try await browser.open("\(site)/catalog?q=zzzz-no-such-word")
                #expect(try await browser.text("#result-count") == "0 件")
                #expect(try await browser.text(".empty").contains("検索語"))
            }
        }
    }
}
