import Foundation
import KamaeCore
@testable import KamaeWeb
import Testing
import Vapor
import VaporTesting

extension WebTests {
    @Suite struct CatalogPageTests {
        @Test func catalogPageIsJapaneseByDefault() async throws {
            try await withKamaeApp { app in
                try await app.testing().test(.GET, "/catalog") { response in
                    #expect(response.status == .ok)
                    #expect(response.headers.contentType == .html)
                    #expect(response.text.contains("<html lang=\"ja\">"))
                    #expect(response.text.contains("基本的な対応事項 126 項目、対応が望ましい事項 50 項目、計 176 項目"))
                    #expect(response.text.contains("176 件中 1–50 件を表示"))
                }
            }
        }

        @Test func acceptLanguageAndCookieChooseEnglish() async throws {
            try await withKamaeApp { app in
                try await app.testing().test(.GET, "/catalog", headers: ["Accept-Language": "en-GB,en;q=0.9"]) { response in
                    #expect(response.text.contains("<html lang=\"en\">"))
                    #expect(response.text.contains("126 basic and 50 desirable measures, 176 in all"))
                }
                // An explicit choice wins over the browser's preference.
                try await app.testing().test(.GET, "/catalog", headers: ["Accept-Language": "en", "Cookie": "kamae_lang=ja"]) { response in
                    #expect(response.text.contains("<html lang=\"ja\">"))
                }
            }
        }

        @Test func languageSwitchSetsACookieAndReturnsOnlyToThisSite() async throws {
            try await withKamaeApp { app in
                try await app.testing().test(.GET, "/language/en?return=/catalog%3Fq%3DSBOM") { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers.first(name: .location) == "/catalog?q=SBOM")
                    #expect(response.headers.setCookie?[Request.languageCookie]?.string == "en")
                }
                for hostile in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
                    let encoded = hostile.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                    try await app.testing().test(.GET, "/language/ja?return=\(encoded)") { response in
                        #expect(response.headers.first(name: .location) == "/", "\(hostile)")
                    }
                }
                try await app.testing().test(.GET, "/language/xx") { response in
                    #expect(response.status == .notFound)
                }
            }
        }

        @Test func searchFiltersAndPages() async throws {
            try await withKamaeApp { app in
                try await app.testing().test(.GET, "/catalog?q=SBOM") { response in
                    #expect(response.text.contains("data-item-id=\"2.2.1.2-De\""))
                    #expect(!response.text.contains("data-item-id=\"2.1.1-B1\""))
                }
                try await app.testing().test(.GET, "/catalog?section=2.2.3&kind=basic") { response in
                    #expect(response.text.contains("6 件中 1–6 件を表示"))
                }
                try await app.testing().test(.GET, "/catalog?page=4") { response in
                    #expect(response.text.contains("176 件中 151–176 件を表示"))
                    #expect(response.text.contains("rel=\"prev\""))
                }
                try await app.testing().test(.GET, "/catalog?sort=kind&per_page=200") { response in
                    let firstDesirable = response.text.range(of: "data-item-id=\"2.1.1-Da\"")!.lowerBound
                    let lastBasic = response.text.range(of: "data-item-id=\"2.6-B10\"")!.lowerBound
                    #expect(lastBasic < firstDesirable)
                }
            }
        }

        @Test func badFiltersGetAnExplainedErrorPage() async throws {
            try await withKamaeApp { app in
                try await app.testing().test(.GET, "/catalog?kind=optional") { response in
                    #expect(response.status == .badRequest)
                    #expect(response.text.contains("kind: basic または desirable を指定してください。"))
                }
                try await app.testing().test(.GET, "/catalog?section=9.9", headers: ["Accept-Language": "en"]) { response in
                    #expect(response.status == .badRequest)
                    #expect(response.text.contains("section: no such section in the guideline (9.9)."))
                }
            }
        }

        @Test func hostileSearchTextIsShownEscaped() async throws {
            try await withKamaeApp { app in
                let hostile = "\"><script>alert(1)</script>"
                let encoded = hostile.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                try await app.testing().test(.GET, "/catalog?q=\(encoded)") { response in
                    #expect(response.status == .ok)
                    #expect(!response.text.contains("<script>alert(1)"))
                    #expect(response.text.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""))
                }
            }
        }

        @Test func itemPageShowsSummarySubpointsAndMapping() async throws {
            try await withKamaeApp { app in
                try await app.testing().test(.GET, "/catalog/items/2.2.1.2-B1") { response in
                    #expect(response.status == .ok)
                    let item = Catalog.bundled.item(id: "2.2.1.2-B1")!
                    #expect(response.text.contains(item.titleJa))
                    #expect(response.text.contains(item.subpoints[0].ja))
                    #expect(response.text.contains("ID.AM"))
                    #expect(response.text.contains("href=\"/catalog?section=2.2.1\""))
                }
                try await app.testing().test(.GET, "/catalog/items/9.9-B1") { response in
                    #expect(response.status == .notFound)
                    #expect(response.text.contains("見つかりません"))
                }
            }
        }

        @Test func pagesCarrySecurityHeaders() async throws {
            try await withKamaeApp { app in
                try await app.testing().test(.GET, "/catalog") { response in
                    let csp = response.headers.first(name: "Content-Security-Policy") ?? ""
                    #expect(csp.contains("frame-ancestors 'none'"))
                    #expect(!csp.contains("unsafe-inline"))
                    #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                    #expect(response.headers.first(name: "Referrer-Policy") == "same-origin")
                    #expect(response.headers.first(name: "Strict-Transport-Security") == nil)
                }
                try await app.testing().test(.GET, "/catalog", headers: ["X-Forwarded-Proto": "https"]) { response in
                    #expect(response.headers.first(name: "Strict-Transport-Security") != nil)
                }
                try await app.testing().test(.GET, "/assets/kamae.css") { response in
                    #expect(response.status == .ok)
                    #expect(response.headers.contentType == .css)
                }
            }
        }
    }

    @Suite struct CatalogAPITests {
        @Test func listsItemsWithOnePaginationScheme() async throws {
            try await withKamaeApp { app in
                try await app.testing().test(.GET, "/api/v1/catalog/items?per_page=20&page=9") { response in
                    #expect(response.status == .ok)
                    let page = try response.content.decode(Paged<ItemDTO>.self)
                    #expect(page.meta == PageMeta(page: 9, perPage: 20, total: 176))
                    #expect(page.meta.totalPages == 9)
                    #expect(page.data.count == 16)
                    #expect(page.data.last?.id == "2.6-De")
                }
            }
        }

        @Test func filtersMatchTheCatalog() async throws {
            try await withKamaeApp { app in
                try await app.testing().test(.GET, "/api/v1/catalog/items?kind=desirable&per_page=200") { response in
                    let page = try response.content.decode(Paged<ItemDTO>.self)
                    #expect(page.meta.total == 50)
                    #expect(page.data.allSatisfy { $0.kind == "desirable" })
                }
                try await app.testing().test(.GET, "/api/v1/catalog/items?q=%E5%A4%9A%E8%A6%81%E7%B4%A0%E8%AA%8D%E8%A8%BC&tag=access") { response in
                    let page = try response.content.decode(Paged<ItemDTO>.self)
                    #expect(page.data.contains { $0.id == "2.3.1-B5" })
                }
            }
        }

        @Test(arguments: [
            ("kind=x", "kind"), ("page=0", "page"), ("per_page=201", "per_page"), ("page=abc", "page"),
            ("section=2.x", "section"), ("tag=nope", "tag"), ("sort=random", "sort"),
        ])
        func invalidParametersAreProblemsNamingTheParameter(query: String, parameter: String) async throws {
            try await withKamaeApp { app in
                try await app.testing().test(.GET, "/api/v1/catalog/items?\(query)") { response in
                    #expect(response.status == .badRequest)
                    #expect(response.headers.contentType?.description.hasPrefix("application/problem+json") == true)
                    let problem = try JSONDecoder().decode(Problem.self, from: Data(buffer: response.body))
                    #expect(problem.status == 400)
                    #expect(problem.parameter == parameter)
                    #expect(problem.detail.hasPrefix("\(parameter):"))
                }
            }
        }

        @Test func unknownItemIsA404Problem() async throws {
            try await withKamaeApp { app in
                try await app.testing().test(.GET, "/api/v1/catalog/items/2.9-B1") { response in
                    #expect(response.status == .notFound)
                    let problem = try JSONDecoder().decode(Problem.self, from: Data(buffer: response.body))
                    #expect(problem.instance == "/api/v1/catalog/items/2.9-B1")
                }
                try await app.testing().test(.GET, "/api/v1/no-such-endpoint") { response in
                    #expect(response.status == .notFound)
                    #expect(response.headers.contentType?.description.hasPrefix("application/problem+json") == true)
                }
            }
        }

        @Test func sectionsCarryOwnAndTotalCounts() async throws {
            try await withKamaeApp { app in
                try await app.testing().test(.GET, "/api/v1/catalog/sections") { response in
                    let sections = try response.content.decode([SectionDTO].self)
                    #expect(sections.count == 42)
                    let identify = sections.first { $0.number == "2.2" }
                    #expect(identify?.basicItems == 0)
                    #expect(identify?.basicItemsTotal == 30)
                    #expect(identify?.desirableItemsTotal == 21)
                    #expect(sections.map(\.basicItems).reduce(0, +) == 126)
                }
                try await app.testing().test(.GET, "/api/v1/catalog") { response in
                    let summary = try response.content.decode(CatalogSummaryDTO.self)
                    #expect(summary.totalItems == 176)
                    #expect(summary.amended == "2025-07-04")
                }
                try await app.testing().test(.GET, "/api/v1/institution-types") { response in
                    let types = try response.content.decode([InstitutionTypeDTO].self)
                    #expect(types.count == 21)
                }
            }
        }
    }
}
