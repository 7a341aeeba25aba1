import Fluent
import Foundation
import KamaeCore
import KamaeVulnerabilities
import KamaeXLSX
@testable import KamaeWeb
import Testing
import Vapor

extension WebTests {
    /// Real headless Chromium against a real Kamae server on loopback.
    @Suite(.enabled(if: BrowserEnvironment.available, BrowserEnvironment.skipReason))
    struct BrowserTests {

        /// Starts Kamae on a free loopback port and a browser, runs `body`, and stops both.
        func withBrowser(language: String = "ja", _ body: (WebDriver, String, Application) async throws -> Void) async throws {
            try await withKamaeApp { app in
                app.passwords.use(.bcrypt(cost: 4))
                app.http.server.configuration.hostname = "127.0.0.1"
                app.http.server.configuration.port = 0
                try app.server.start()
                let port = try #require(app.http.server.shared.localAddress?.port)
                let browser = try await WebDriver.start(client: app.client, language: language)
                do {
                    try await body(browser, "http://127.0.0.1:\(port)", app)
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
            try await withBrowser { browser, site, _ in
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

        @Test func editorAnswersSubmitsAndAnotherPersonApproves() async throws {
            try await withBrowser { browser, site, app in
                _ = try await DemoData.seed(on: app.db, secrets: app.sealedSecrets)
                let year = FiscalYear.current()
                try await signIn(browser, site, as: "demo-editor", returnTo: "/assessments/\(year)")
                try await browser.waitForText("\(year) 年度 自己評価", in: "h1")

                // Answer an unanswered basic item from the "unanswered" filter.
                try await browser.click("#filter-unanswered")
                try await browser.waitForText("未回答", in: ".filters .current")
                try await browser.click("a.citation[data-item-id='2.1.1-B5']")
                try await browser.waitForText("新商品", in: "h1")
                try await browser.click("#status-partial")
                try await browser.click("#maturity option[value='2']")
                try await browser.type("DX 推進規程 第 5 条（2026 年 4 月改定）", into: "#evidence_text")
                try await browser.type("システム部", into: "#owner")
                try await browser.click("#save-answer")
                try await browser.waitForText("保存しました。", in: "#notice")
                #expect(try await browser.text("#history").contains("一部実施"))

                // Refused input keeps what was typed and says why.
                try await browser.click("#status-not_applicable")
                try await browser.click("#save-answer")
                try await browser.waitForText("対象外とする理由を記入してください。", in: "#notice")

                // Submit for approval.
                try await browser.open("\(site)/assessments/\(year)")
                try await browser.click("#workflow-submit")
                try await browser.waitForText("承認待ち", in: "#assessment-state")
                #expect(try await browser.count("#workflow-approve") == 0)

                // The approver, a different person, approves.
                try await browser.click("#logout")
                // Wait for the sign-out to finish: a later navigation must not race its cookie-clearing answer.
                try await browser.waitForText("ログイン", in: "h1")
                try await signIn(browser, site, as: "demo-approver", returnTo: "/assessments/\(year)")
                try await browser.click("#workflow-approve")
                try await browser.waitForText("承認済", in: "#assessment-state")
                #expect(try await browser.text(".events").contains("承認"))

                // The Excel link serves the workbook to the signed-in user, with the answer just saved.
                let href = try #require(try await browser.attribute("#export-xlsx", "href"))
                let cookie = try #require(try await browser.cookie(named: Sessions.cookieName))
                let download = try await app.client.get(URI(string: site + href), headers: ["Cookie": "\(Sessions.cookieName)=\(cookie)"])
                #expect(download.status == .ok)
                let workbook = try XLSXReader().read(Data(buffer: try #require(download.body)))
                let answers = try #require(workbook.sheet(named: "回答"))
                let row = try #require(answers.rows.first { $0.first?.text == "2.1.1-B5" })
                #expect(row[6].text == "一部実施")
                #expect(row[9].text == "DX 推進規程 第 5 条（2026 年 4 月改定）")
                try await browser.screenshot(to: "/tmp/kamae-assessment-approved.png")
            }
        }

        func signIn(_ browser: WebDriver, _ site: String, as login: String, returnTo: String) async throws {
            try await browser.open("\(site)/login?return=\(returnTo)")
            try await browser.type(login, into: "#login")
            try await browser.type(DemoData.password, into: "#password")
            try await browser.click("#login-submit")
            let role = Role(rawValue: String(login.dropFirst("demo-".count))) ?? .approver
            if Authorization.requiresSecondFactor(role) {
                // The demo approver's second factor: the page shows the demo secret's current code.
                try await browser.waitForText("コード", in: "#demo-code")
                let code = try await browser.text("#demo-code strong")
                try await browser.type(code, into: "#code")
                try await browser.click("#mfa-submit")
            }
            try await browser.waitForText(role.name.ja, in: "#current-user")
        }

        @Test func supervisorReadsTheSectorAnalysisAndTheBankItsFeedback() async throws {
            try await withBrowser { browser, site, app in
                _ = try await DemoData.seed(on: app.db, secrets: app.sealedSecrets)
                _ = try await DemoSupervisor.seed(on: app.db, secrets: app.sealedSecrets)
                let year = FiscalYear.current() - 1
                try await signIn(browser, site, as: DemoSupervisor.login, returnTo: "/supervision/analysis")
                try await browser.waitForText("セクター分析", in: "h1")
                #expect(try await browser.count("#section-boxplots") == 1)
                #expect(try await browser.count("#item-heatmap") == 1)
                #expect(try await browser.count("#section-boxplots rect") > 0)
                // Another grouping: the form keeps the choice and the charts follow.
                try await browser.click("#grouping option[value='size_band']")
                try await browser.click("#analysis-submit")
                try await browser.waitForText("セクター分析", in: "h1")
                #expect(try await browser.currentURL.contains("grouping=size_band"))
                #expect(try await browser.text(".chart-legend").contains("大規模"))
                try await browser.screenshot(to: "/tmp/kamae-sector-analysis.png")

                let bank = try await institutionID(app)
                try await browser.open("\(site)/supervision/feedback/\(bank)?year=\(year)")
                try await browser.waitForText("還元資料", in: "#feedback-title")
                #expect(try await browser.count("#feedback-sections") == 1)

                // The bank's own Kamae shows the report it received, and nothing of the supervisor's workspace.
                try await browser.click("#logout")
                // Wait for the sign-out to finish: a later navigation must not race its cookie-clearing answer.
                try await browser.waitForText("ログイン", in: "h1")
                try await signIn(browser, site, as: "demo-viewer", returnTo: "/submission")
                try await browser.click("#feedback-list a")
                try await browser.waitForText("還元資料", in: "#feedback-title")
                #expect(try await browser.text("main").contains(DemoSupervisor.name))
                try await browser.screenshot(to: "/tmp/kamae-feedback-report.png")
                try await browser.open("\(site)/supervision/analysis")
                #expect(try await browser.text("h1") == "権限がありません")
            }
        }

        @Test func editorRegistersASystemAndItsSoftwareAndManagementAcceptsTheRisk() async throws {
            try await withBrowser { browser, site, app in
                _ = try await DemoData.seed(on: app.db, secrets: app.sealedSecrets)
                try await signIn(browser, site, as: "demo-editor", returnTo: "/registers/systems/new")
                try await browser.waitForText("新規登録", in: "h1")
                try await browser.type("SYS-010", into: "#code")
                try await browser.type("外為決済システム", into: "#name")
                try await browser.click("#kind option[value='information_system']")
                try await browser.type("国際部", into: "#owner_department")
                try await browser.click("#criticality option[value='high']")
                for field in ["confidentiality", "integrity", "availability"] { try await browser.click("#\(field) option[value='high']") }
                // A zone that is not in the register is refused by the server, naming it, and what was typed stays.
                try await browser.type("Z-NOPE", into: "#zone")
                try await browser.click("#save-record")
                try await browser.waitForText("保存していません", in: "#form-errors")
                #expect(try await browser.text("#form-errors").contains("Z-NOPE"))
                #expect(try await browser.attribute("#name", "value") == "外為決済システム")
                try await browser.type("Z-INT", into: "#zone")
                try await browser.click("#save-record")
                try await browser.waitForText("保存しました", in: "#saved-notice")

                try await browser.open("\(site)/registers/components/new")
                try await browser.type("SW-0900", into: "#code")
                try await browser.type("SYS-010", into: "#system")
                try await browser.click("#kind option[value='software']")
                try await browser.type("log4j-core", into: "#product")
                try await browser.type("2.14.1", into: "#version")
                try await browser.type("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", into: "#purl")
                try await browser.click("#save-record")
                try await browser.waitForText("保存しました", in: "#saved-notice")

                // The stored advisory reaches the new system at once.
                try await browser.open("\(site)/vulnerabilities/reach?id=CVE-2021-44228")
                try await browser.waitForText("3 システム", in: "#reach-summary")
                try await browser.open("\(site)/vulnerabilities/findings?q=SW-0900")
                try await browser.waitForText("1 件", in: "#finding-count")
                try await browser.click(".finding-link")
                try await browser.waitForText("CVE-2021-44228", in: "h1")
                #expect(try await browser.text("#finding-deadline").contains("緊急"))

                // The editor asks for an exception (here through the store: date inputs differ per browser locale) …
                let institution = try #require(try await InstitutionRecord.query(on: app.db).filter(\.$name == DemoData.institutionName).first()).requireID()
                let finding = try #require(try await FindingQueries.list(FindingQuery(scope: .active, search: "SW-0900"), institutionID: institution, on: app.db).data.first)
                let editor = try #require(try await UserRecord.query(on: app.db).filter(\.$login == "demo-editor").first()).requireID()
                _ = try await RiskExceptions.request(
                    RiskExceptionRequest(reason: "外為システムの更改（来月）で置き換え", compensatingControls: "外部から到達不可、WAF で遮断", expiry: ISODate.today().adding(days: 45)),
                    findingID: finding.id, institutionID: institution, actor: AuditActor(id: editor, login: "demo-editor", institutionID: institution, via: .web), on: app.db
                )
                // … and an approver (management, signed in with the second factor) approves it on the page.
                try await browser.deleteCookies()
                try await signIn(browser, site, as: "demo-approver", returnTo: "/vulnerabilities/exceptions?state=requested")
                try await browser.waitForText("リスク受容", in: "h1")
                try await browser.click("button[value='approve']")
                try await browser.waitForText("承認済", in: ".exception-approved")
                try await browser.open("\(site)/vulnerabilities/findings/\(finding.id.uuidString)")
                try await browser.waitForText("リスク受容", in: "#finding-status")

                // The same pages speak English.
                try await browser.open("\(site)/registers/components?q=SW-0900")
                try await browser.click("#lang-en")
                try await browser.waitForText("Hardware and software", in: "h1")
                #expect(try await browser.text("#record-count") == "1 records")
            }
        }

        @Test func searchWithNoResultsExplainsWhatToDo() async throws {
            try await withBrowser { browser, site, _ in
                try await browser.open("\(site)/catalog?q=zzzz-no-such-word")
                #expect(try await browser.text("#result-count") == "0 件")
                #expect(try await browser.text(".empty").contains("検索語"))
            }
        }
    }
}
