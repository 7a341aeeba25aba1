import KamaeCore
import KamaeHTML
import Vapor

/// The start page: what Kamae is and where to begin.
struct HomeController: RouteCollection {
    let catalog: Catalog

    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
    }

    @Sendable func home(req: Request) -> Response {
        let context = PageContext(request: req)
        let totals = catalog.totals
        return Layout.page(context, title: context.t("ホーム", "Home")) {
            section(.class("hero")) {
                h1 { context.t("Kamae — サイバーセキュリティ管理態勢", "Kamae — cyber-security management posture") }
                p {
                    context.t(
                        "金融庁「金融分野におけるサイバーセキュリティに関するガイドライン」に沿って、自己評価・台帳・報告を一つにまとめます。",
                        "Self-assessment, registers and reporting against the FSA's Guidelines for Cybersecurity in the Financial Sector, in one place."
                    )
                }
                p {
                    a(.class("button"), .href("/catalog")) {
                        context.t("ガイドライン項目 \(totals.total) 件を見る", "Browse the \(totals.total) guideline items")
                    }
                }
            }
            section(.class("overview")) {
                h2 { context.t("章立て", "Chapters") }
                ul(.class("chapter-list")) {
                    for top in catalog.children(of: catalog.root.number) {
                        let counts = catalog.counts(under: top.number)
                        li {
                            a(.href("/catalog?section=\(top.number)")) { "\(top.number) \(context.t(top.title))" }
                            span(.class("counts")) {
                                context.t(" 基本 \(counts.basic)・望ましい \(counts.desirable)", " \(counts.basic) basic, \(counts.desirable) desirable")
                            }
                        }
                    }
                }
            }
        }.response()
    }
}
