import Foundation
import KamaeCore
import KamaeHTML

/// Shared pieces of pages: one pager, one badge style, one breadcrumb.
enum Components {
    /// Previous/next and numbered page links that keep the other query parameters.
    static func pager(_ meta: PageMeta, path: String, query: [(String, String)], context: PageContext) -> HTML {
        guard meta.totalPages > 1 || meta.page > 1 else { return .empty }
        func link(to page: Int) -> String {
            URLBuilder.url(path, query + [("page", String(page))])
        }
        // A page beyond the last (an old link after deletions) still gets links back to the pages that exist.
        let last = min(meta.totalPages, meta.page + 3)
        let window = min(max(1, meta.page - 3), last)...last
        return nav(.class("pager"), .aria("label", context.t("ページ送り", "Pagination"))) {
            if meta.page > 1 {
                a(.href(link(to: min(meta.page - 1, meta.totalPages))), .rel("prev")) { context.t("← 前へ", "← Previous") }
            }
            for page in window {
                if page == meta.page {
                    span(.class("current"), .aria("current", "page")) { String(page) }
                } else {
                    a(.href(link(to: page))) { String(page) }
                }
            }
            if meta.page < meta.totalPages {
                a(.href(link(to: meta.page + 1)), .rel("next")) { context.t("次へ →", "Next →") }
            }
        }
    }

    static func kindBadge(_ kind: ItemKind, context: PageContext) -> HTML {
        span(.class("badge badge-\(kind.rawValue)"), .title(context.t(kind.name))) { context.t(kind.shortName) }
    }

    static func breadcrumbs(_ trail: [(title: String, href: String?)], context: PageContext) -> HTML {
        nav(.class("breadcrumbs"), .aria("label", context.t("現在位置", "Breadcrumb"))) {
            ol {
                for crumb in trail {
                    li {
                        if let href = crumb.href {
                            a(.href(href)) { crumb.title }
                        } else {
                            span(.aria("current", "page")) { crumb.title }
                        }
                    }
                }
            }
        }
    }
}

/// Builds links with properly encoded query strings.
enum URLBuilder {
    static func url(_ path: String, _ query: [(String, String)]) -> String {
        let pairs = query.filter { !$0.1.isEmpty }
        guard !pairs.isEmpty else { return path }
        let encoded = pairs.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "")"
        }
        return path + "?" + encoded.joined(separator: "&")
    }
}
