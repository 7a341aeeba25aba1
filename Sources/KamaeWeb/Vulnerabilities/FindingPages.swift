import Foundation
import KamaeCore
import KamaeHTML
import KamaeTrust
import KamaeVulnerabilities

enum FindingPages {
    static let policyRows: [Severity] = [.critical, .high, .medium, .low, .unknown]

    static func subnav(_ context: PageContext) -> HTML {
        KamaeHTML.nav(.class("subnav"), .aria("label", context.t("脆弱性管理", "Vulnerability management"))) {
            ul {
                li { a(.href("/vulnerabilities")) { context.t("概要", "Overview") } }
                li { a(.href("/vulnerabilities/overdue"), .id("nav-overdue")) { context.t("期限超過", "Overdue") } }
                li { a(.href("/vulnerabilities/findings")) { context.t("指摘一覧", "Findings") } }
                li { a(.href("/vulnerabilities/systems")) { context.t("システム別", "By system") } }
                li { a(.href("/vulnerabilities/reach")) { context.t("脆弱性から検索", "By advisory") } }
                li { a(.href("/vulnerabilities/exceptions")) { context.t("リスク受容（例外）", "Risk exceptions") } }
                li { a(.href("/vulnerabilities/policy")) { context.t("対応期限ポリシー", "Deadline policy") } }
            }
        }
    }

    static func severityBadge(_ severity: Severity, context: PageContext) -> HTML {
        span(.class("badge severity-\(severity.rawValue)")) { context.t(severity.name) }
    }

    static func dashboard(
        summary: FindingQueries.Summary, points: [MonthlyVulnerabilityPoint], systems: [SystemExposure], feeds: [FindingQueries.FeedRecord],
        results: [Result<FeedImportResult, RegisterRefusal>]?, context: PageContext
    ) -> HTML {
        Layout.page(context, title: context.t("脆弱性管理", "Vulnerability management")) {
            h1 { context.t("脆弱性管理（§2.2.3）", "Vulnerability management (§2.2.3)") }
            subnav(context)
            if let results {
                div(.class(results.contains { if case .failure = $0 { true } else { false } } ? "error-summary" : "notice"), .id("feed-results"), .role("status")) {
                    ul {
                        for result in results {
                            switch result {
                            case let .success(done):
                                li { context.t("\(done.file): \(done.kind) \(done.entries) 件を取り込み、新しい指摘 \(done.findingsCreated) 件、期限の見直し \(done.deadlinesChanged) 件。",
                                               "\(done.file): \(done.entries) \(done.kind) entries, \(done.findingsCreated) new findings, \(done.deadlinesChanged) deadlines changed.") }
                            case let .failure(refusal):
                                for problem in refusal.problems { li(.class("form-error")) { "\(problem.field): \(context.t(problem.message))" } }
                            }
                        }
                    }
                }
            }
            ul(.class("stat-list"), .id("vulnerability-summary")) {
                li(.class("stat")) { a(.href("/vulnerabilities/findings?status=open")) { strong { String(summary.open) }; " "; context.t("未着手", "Open") } }
                li(.class("stat")) { a(.href("/vulnerabilities/findings?status=in_progress")) { strong { String(summary.inProgress) }; " "; context.t("対応中", "In progress") } }
                li(.class(summary.overdue > 0 ? "stat alert" : "stat")) { a(.href("/vulnerabilities/overdue"), .id("overdue-count")) { strong { String(summary.overdue) }; " "; context.t("期限超過", "Overdue") } }
                li(.class(summary.knownExploited > 0 ? "stat alert" : "stat")) { a(.href("/vulnerabilities/findings?priority=urgent")) { strong { String(summary.knownExploited) }; " "; context.t("悪用確認済（KEV）", "Known exploited (KEV)") } }
                li(.class("stat")) { a(.href("/vulnerabilities/exceptions?state=requested")) { strong { String(summary.pendingExceptions) }; " "; context.t("承認待ちの例外", "Exceptions awaiting approval") } }
                li(.class("stat")) { a(.href("/vulnerabilities/findings?status=accepted&scope=all")) { strong { String(summary.acceptedRisks) }; " "; context.t("リスク受容中", "Risks accepted") } }
            }
            section(.class("panel"), .id("metrics")) {
                h2 { context.t("KPI 脆弱性対応率・KRI 未対応の脆弱性件数（月次）", "KPI response rate and KRI open vulnerabilities (monthly)") }
                metricsChart(points, context: context)
                Tables.table(caption: nil, headers: [context.t("月", "Month"), context.t("未対応（月末）", "Open (month end)"), context.t("うち期限超過", "Overdue"),
                                                     context.t("期限到来", "Due"), context.t("期限内に対応", "Closed on time"), context.t("対応率", "Response rate")],
                             numeric: [1, 2, 3, 4, 5],
                             rows: points.map { point in
                                 [.text(point.month), .text(String(point.open)), .text(String(point.overdue)), .text(String(point.due)), .text(String(point.closedOnTime)),
                                  .text(point.responseRate.map { Charts.formatPercent($0 * 100) } ?? "—")]
                             })
                p(.class("hint")) {
                    context.t("対応率 = その月に期限を迎えた指摘のうち、期限内に対応（修正またはリスク受容の承認）したものの割合。未対応件数 = 月末時点で未対応・対応中の指摘数。",
                              "Response rate = of the findings due in the month, the share closed (fixed or risk accepted) by their deadline. Open = findings not closed at month end.")
                    " "
                    a(.href("/vulnerabilities/metrics.csv")) { "CSV" }
                }
            }
            section(.class("panel")) {
                h2 { context.t("影響の大きいシステム", "Most exposed systems") }
                bySystemTable(systems, context: context)
            }
            if let user = context.user, user.may(.importFeeds) {
                section(.class("panel"), .id("feed-import")) {
                    h2 { context.t("アドバイザリ・KEV・EPSS の取込", "Import advisories, KEV and EPSS") }
                    p(.class("hint")) {
                        context.t("OSV（JSON・zip）、CSAF 2.0、NVD（CVE API 2.0 JSON）、JVN iPedia（VULDEF XML）、CISA KEV（JSON）、EPSS（CSV）。インターネット接続は不要です。取り込んだ脆弱性は全システムの HW/SW と照合され、指摘と対応期限が作られます。",
                                  "OSV (JSON or zip), CSAF 2.0, NVD (CVE API 2.0 JSON), JVN iPedia (VULDEF XML), CISA KEV (JSON), EPSS (CSV); no internet needed. Advisories are matched against every system's inventory and findings get deadlines.")
                    }
                    KamaeHTML.form(.method("post"), .action("/vulnerabilities/feeds"), .attr("enctype", "multipart/form-data"), .class("stacked")) {
                        Forms.csrf(user)
                        Forms.field(id: "feed-files", label: context.t("ファイル（複数可）", "Files (several allowed)"), error: nil) {
                            input(.type("file"), .id("feed-files"), .name("files[]"), .flag("multiple"), .flag("required"))
                        }
                        button(.type("submit"), .id("feed-submit")) { context.t("取り込む", "Import") }
                    }
                }
            }
            section(.class("panel"), .id("feed-history")) {
                h2 { context.t("取込履歴", "Import history") }
                Tables.table(caption: nil, headers: [context.t("日時", "When"), context.t("ファイル", "File"), context.t("種類", "Kind"), context.t("件数", "Entries"), context.t("新しい指摘", "New findings"), context.t("実行者", "By")],
                             numeric: [3, 4],
                             rows: feeds.map { feed in
                                 [.text(SubmissionTimestamp.string(from: feed.importedAt)), .text(feed.file), .text(feed.kind), .text(String(feed.entries)), .text(String(feed.findingsCreated)), .text(feed.importedBy ?? "CLI")]
                             })
            }
        }
    }

    /// KRI as bars (open findings at each month end, overdue part darker), KPI as a line on a 0–100 % axis.
    static func metricsChart(_ points: [MonthlyVulnerabilityPoint], context: PageContext) -> HTML {
        let width = 640.0, height = 240.0, left = 48.0, right = 48.0, top = 12.0, bottom = 30.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let maximum = max(1, points.map(\.open).max() ?? 1)
        let step = plotWidth / Double(max(points.count, 1))
        func y(count: Int) -> Double { top + plotHeight * (1 - Double(count) / Double(maximum)) }
        func y(rate: Double) -> Double { top + plotHeight * (1 - rate) }
        let title = context.t("未対応の脆弱性件数（棒）と対応率（線）", "Open vulnerabilities (bars) and response rate (line)")
        return .group {
            Charts.svg(width: width, height: height, title: title, id: "vulnerability-metrics-chart") {
                for tick in stride(from: 0, through: 100, by: 25) {
                    Charts.line(x1: left, y1: y(rate: Double(tick) / 100), x2: width - right, y2: y(rate: Double(tick) / 100), cssClass: "grid")
                    Charts.text(x: width - right + 6, y: y(rate: Double(tick) / 100) + 4, anchor: "start", cssClass: "axis") { "\(tick)%" }
                }
                Charts.text(x: left - 6, y: top + 8, anchor: "end", cssClass: "axis") { String(maximum) }
                Charts.text(x: left - 6, y: top + plotHeight, anchor: "end", cssClass: "axis") { "0" }
                for (index, point) in points.enumerated() {
                    let x = left + step * Double(index) + step * 0.15
                    Charts.rect(x: x, y: y(count: point.open), width: step * 0.7, height: max(0.5, top + plotHeight - y(count: point.open)), cssClass: "series-1") {
                        HTML.element("title") { "\(point.month): \(context.t("未対応", "open")) \(point.open), \(context.t("期限超過", "overdue")) \(point.overdue)" }
                    }
                    if point.overdue > 0 {
                        Charts.rect(x: x, y: y(count: point.overdue), width: step * 0.7, height: top + plotHeight - y(count: point.overdue), cssClass: "series-overdue") {
                            HTML.element("title") { "\(point.month): \(context.t("期限超過", "overdue")) \(point.overdue)" }
                        }
                    }
                    if index % max(1, points.count / 6) == 0 || index == points.count - 1 {
                        Charts.text(x: x + step * 0.35, y: height - 10, anchor: "middle", cssClass: "axis") { point.month }
                    }
                }
                let rated = points.enumerated().compactMap { index, point in point.responseRate.map { (left + step * (Double(index) + 0.5), y(rate: $0)) } }
                if rated.count > 1 {
                    HTML.element("polyline", [Attribute("points", rated.map { "\(Charts.format($0.0)),\(Charts.format($0.1))" }.joined(separator: " ")), .class("trend series-0")])
                }
                for (x, yValue) in rated { HTML.element("circle", [Attribute("cx", Charts.format(x)), Attribute("cy", Charts.format(yValue)), Attribute("r", "3"), .class("series-0")]) }
            }
            Charts.legend([context.t("対応率（KPI）", "Response rate (KPI)"), context.t("未対応件数（KRI）", "Open (KRI)")])
        }
    }

    static func table(_ findings: [StoredFinding], context: PageContext) -> HTML {
        let today = ISODate.today()
        return Tables.table(
            caption: nil,
            headers: [context.t("脆弱性", "Vulnerability"), context.t("深刻度", "Severity"), context.t("優先度", "Priority"), context.t("システム", "System"),
                      context.t("HW/SW", "Component"), context.t("対応期限", "Deadline"), context.t("状態", "Status")],
            rows: findings.map { finding in
                let late = finding.isOverdue(today: today)
                return [
                    a(.href("/vulnerabilities/findings/\(finding.id.uuidString)"), .class("finding-link")) { finding.vulnerabilityID },
                    severityBadge(finding.severity, context: context),
                    span(.class("priority-\(finding.priority.rawValue)")) { context.t(finding.priority.name); finding.knownExploited ? " KEV" : "" },
                    finding.systemID.map { id in a(.href("/registers/systems/\(id.uuidString)")) { finding.systemLabel } } ?? .text(finding.systemLabel),
                    .text(finding.componentLabel),
                    span(.class(late ? "overdue-date" : "")) { finding.deadline.description; late ? context.t("（\(finding.deadline.days(until: today)) 日超過）", " (\(finding.deadline.days(until: today)) days late)") : "" },
                    .text(context.t(finding.status.name)),
                ]
            },
            rowClass: { findings[$0].isOverdue(today: today) ? "row-overdue" : "" }
        )
    }

    static func list(_ page: Paged<StoredFinding>, query: FindingQuery, path: String, context: PageContext) -> HTML {
        let title = query.scope == .overdue ? context.t("期限超過の指摘", "Overdue findings") : context.t("脆弱性の指摘", "Findings")
        return Layout.page(context, title: title) {
            h1 { title }
            subnav(context)
            KamaeHTML.form(.method("get"), .action(path), .class("filters"), .id("finding-filters")) {
                Forms.field(id: "q", label: context.t("検索（CVE・製品・システム）", "Search (CVE, product, system)"), error: nil) {
                    input(.type("search"), .id("q"), .name("q"), .value(query.search), .attr("maxlength", "200"))
                }
                Forms.field(id: "scope", label: context.t("範囲", "Scope"), error: nil) {
                    select(.id("scope"), .name("scope")) {
                        CatalogPages.selectableOption("active", context.t("未対応・対応中", "Open and in progress"), selected: query.scope == .active)
                        CatalogPages.selectableOption("overdue", context.t("期限超過", "Overdue"), selected: query.scope == .overdue)
                        CatalogPages.selectableOption("all", context.t("すべて", "All"), selected: query.scope == .all)
                    }
                }
                Forms.field(id: "status", label: context.t("状態", "Status"), error: nil) {
                    select(.id("status"), .name("status")) {
                        option(.value("")) { context.t("すべて", "All") }
                        for status in FindingStatus.allCases { CatalogPages.selectableOption(status.rawValue, context.t(status.name), selected: query.status == status) }
                    }
                }
                Forms.field(id: "severity", label: context.t("深刻度", "Severity"), error: nil) {
                    select(.id("severity"), .name("severity")) {
                        option(.value("")) { context.t("すべて", "All") }
                        for severity in Severity.allCases { CatalogPages.selectableOption(severity.rawValue, context.t(severity.name), selected: query.severity == severity) }
                    }
                }
                Forms.field(id: "priority", label: context.t("優先度", "Priority"), error: nil) {
                    select(.id("priority"), .name("priority")) {
                        option(.value("")) { context.t("すべて", "All") }
                        for priority in FindingPriority.allCases { CatalogPages.selectableOption(priority.rawValue, context.t(priority.name), selected: query.priority == priority) }
                    }
                }
                Forms.field(id: "sort", label: context.t("並べ替え", "Sort by"), error: nil) {
                    select(.id("sort"), .name("sort")) {
                        for (order, name) in [(FindingQuery.Order.deadline, LocalizedText(ja: "対応期限", en: "Deadline")), (.severity, LocalizedText(ja: "深刻度", en: "Severity")),
                                              (.discovered, LocalizedText(ja: "検出日", en: "Discovered")), (.system, LocalizedText(ja: "システム", en: "System")),
                                              (.vulnerability, LocalizedText(ja: "脆弱性 ID", en: "Vulnerability id"))] {
                            CatalogPages.selectableOption(order.rawValue, context.t(name), selected: query.order == order)
                        }
                    }
                }
                if let system = query.systemID { input(.type("hidden"), .name("system"), .value(system.uuidString)) }
                button(.type("submit")) { context.t("表示", "Apply") }
            }
            p(.class("hint"), .id("finding-count")) { context.t("\(page.meta.total) 件", "\(page.meta.total) findings") }
            table(page.data, context: context)
            Components.pager(page.meta, path: path, query: query.parameters, context: context)
        }
    }

    static func detail(_ finding: StoredFinding, exceptions: [StoredRiskException], problems: [FieldProblem], form exceptionForm: VulnerabilityController.ExceptionForm? = nil, context: PageContext) -> HTML {
        let today = ISODate.today()
        let errors = Dictionary(problems.map { ($0.field, context.t($0.message)) }, uniquingKeysWith: { $0 + " " + $1 })
        return Layout.page(context, title: finding.vulnerabilityID) {
            Components.breadcrumbs([(context.t("脆弱性管理", "Vulnerabilities"), "/vulnerabilities"), (context.t("指摘一覧", "Findings"), "/vulnerabilities/findings"), (finding.vulnerabilityID, nil)], context: context)
            h1 { finding.vulnerabilityID; " "; severityBadge(finding.severity, context: context) }
            dl(.class("facts"), .id("finding-facts")) {
                dt { context.t("状態", "Status") }; dd(.id("finding-status")) { context.t(finding.status.name) }
                dt { context.t("システム", "System") }; dd { finding.systemLabel }
                dt { context.t("HW/SW", "Component") }; dd { finding.componentLabel }
                dt { context.t("アドバイザリ", "Advisory") }; dd { ([finding.advisoryID] + finding.aliases.filter { $0 != finding.advisoryID }).joined(separator: ", ") }
                if let summary = finding.summary { dt { context.t("概要", "Summary") }; dd { summary } }
                dt { context.t("検出日", "Discovered") }; dd { finding.discoveredOn.description }
                dt { context.t("対応期限", "Deadline") }
                dd(.id("finding-deadline"), .class(finding.isOverdue(today: today) ? "overdue-date" : "")) {
                    finding.deadline.description
                    ul { for reason in finding.deadlineReasons { li { context.t(reason) } } }
                }
                dt { context.t("優先度", "Priority") }; dd { context.t(finding.priority.name); finding.knownExploited ? context.t("（CISA KEV 掲載）", " (in CISA KEV)") : "" }
                if let epss = finding.epss { dt { "EPSS" }; dd { Charts.formatPercent(epss * 100) } }
                if let closed = finding.closedOn { dt { context.t("完了日", "Closed") }; dd { closed.description; finding.closedWithinPolicy == false ? context.t("（期限後）", " (after the deadline)") : "" } }
                if let note = finding.note { dt { context.t("メモ", "Note") }; dd { note } }
            }
            if let user = context.user, user.may(.manageFindings) {
                section(.class("panel"), .id("status-change")) {
                    h2 { context.t("状態の変更", "Change status") }
                    KamaeHTML.form(.method("post"), .action("/vulnerabilities/findings/\(finding.id.uuidString)/status"), .class("stacked")) {
                        Forms.csrf(user)
                        input(.type("hidden"), .name("revision"), .value(String(finding.revision)))
                        Forms.field(id: "status-select", label: context.t("状態", "Status"), error: nil) {
                            select(.id("status-select"), .name("status")) {
                                for status in FindingStatus.allCases where status == finding.status || FindingStatus.canMove(from: finding.status, to: status) {
                                    CatalogPages.selectableOption(status.rawValue, context.t(status.name), selected: status == finding.status)
                                }
                            }
                        }
                        Forms.field(id: "status-note", label: context.t("メモ（対応内容など）", "Note (what was done)"), error: nil) {
                            HTML.element("textarea", [.id("status-note"), .name("note"), .attr("maxlength", "2000"), .attr("rows", "2")])
                        }
                        button(.type("submit"), .id("status-submit")) { context.t("更新", "Update") }
                    }
                }
                if !finding.status.isClosed {
                    section(.class("panel"), .id("exception-request")) {
                        h2 { context.t("リスク受容（例外）を申請", "Ask for a risk exception") }
                        p(.class("hint")) { context.t("経営陣等（承認者）の承認で「リスク受容」になります。有効期限を過ぎると自動的に未対応に戻ります。", "Management (an approver) must approve; when the expiry passes, the finding opens again.") }
                        if !problems.isEmpty { div(.class("error-summary"), .role("alert"), .id("exception-errors")) { ul { for problem in problems { li { context.t(problem.message) } } } } }
                        KamaeHTML.form(.method("post"), .action("/vulnerabilities/findings/\(finding.id.uuidString)/exceptions"), .class("stacked")) {
                            Forms.csrf(user)
                            Forms.field(id: "reason", label: context.t("理由", "Reason"), error: errors["reason"]) {
                                HTML.element("textarea", [.id("reason"), .name("reason"), .attr("maxlength", "2000"), .attr("rows", "3"), .flag("required")]) { exceptionForm?.reason ?? "" }
                            }
                            Forms.field(id: "compensating_controls", label: context.t("代替策（補完的統制）", "Compensating controls"), error: errors["compensating_controls"]) {
                                HTML.element("textarea", [.id("compensating_controls"), .name("compensating_controls"), .attr("maxlength", "2000"), .attr("rows", "3"), .flag("required")]) { exceptionForm?.compensatingControls ?? "" }
                            }
                            Forms.field(id: "expiry", label: context.t("有効期限", "Expiry"), error: errors["expiry"], hint: context.t("最長 3 年", "At most 3 years")) {
                                input(.type("date"), .id("expiry"), .name("expiry"), .value(exceptionForm?.expiry ?? ""), .flag("required"))
                            }
                            button(.type("submit"), .id("exception-submit")) { context.t("申請", "Request") }
                        }
                    }
                }
            }
            section(.class("panel"), .id("finding-exceptions")) {
                h2 { context.t("例外の履歴", "Exceptions") }
                exceptionTable(exceptions, context: context)
            }
        }
    }

    static func exceptionTable(_ exceptions: [StoredRiskException], context: PageContext) -> HTML {
        let canDecide = context.user?.may(.approveRiskAcceptance) ?? false
        return Tables.table(
            caption: nil,
            headers: [context.t("脆弱性", "Vulnerability"), context.t("システム", "System"), context.t("理由", "Reason"), context.t("代替策", "Compensating controls"),
                      context.t("有効期限", "Expiry"), context.t("状態", "State"), context.t("申請・判断", "Requested / decided"), ""],
            rows: exceptions.map { exception in
                [
                    a(.href("/vulnerabilities/findings/\(exception.findingID.uuidString)")) { exception.vulnerabilityID },
                    .text(exception.systemLabel), .text(exception.reason), .text(exception.compensatingControls), .text(exception.expiry.description),
                    span(.class("exception-\(exception.state.rawValue)")) { context.t(exception.state.name) },
                    .text("\(exception.requesterLogin ?? "—") \(SubmissionTimestamp.string(from: exception.requestedAt))" + (exception.deciderLogin.map { " / \($0)" } ?? "") + (exception.decisionNote.map { " — \($0)" } ?? "")),
                    canDecide ? decisionForms(exception, context: context) : .empty,
                ]
            }
        )
    }

    static func decisionForms(_ exception: StoredRiskException, context: PageContext) -> HTML {
        guard let user = context.user else { return .empty }
        let decisions: [(String, LocalizedText)] = switch exception.state {
        case .requested: [("approve", LocalizedText(ja: "承認", en: "Approve")), ("reject", LocalizedText(ja: "却下", en: "Reject"))]
        case .approved: [("revoke", LocalizedText(ja: "取消", en: "Revoke"))]
        default: []
        }
        guard !decisions.isEmpty else { return .empty }
        return KamaeHTML.form(.method("post"), .action("/vulnerabilities/exceptions/\(exception.id.uuidString)/decision"), .class("inline-form")) {
            Forms.csrf(user)
            input(.type("text"), .name("note"), .aria("label", context.t("判断のコメント", "Decision note")), .attr("maxlength", "2000"), .attr("placeholder", context.t("コメント", "Note")))
            for (value, name) in decisions {
                button(.type("submit"), .name("decision"), .value(value), .class("small"), .id("decision-\(value)-\(exception.id.uuidString.prefix(8))")) { context.t(name) }
            }
        }
    }

    static func exceptions(_ list: [StoredRiskException], state: StoredRiskException.State?, context: PageContext) -> HTML {
        Layout.page(context, title: context.t("リスク受容（例外）", "Risk exceptions")) {
            h1 { context.t("リスク受容（例外）", "Risk exceptions") }
            subnav(context)
            p(.class("filters")) {
                a(.href("/vulnerabilities/exceptions")) { context.t("すべて", "All") }
                for option in StoredRiskException.State.allCases {
                    " · "
                    a(.href("/vulnerabilities/exceptions?state=\(option.rawValue)"), .class(option == state ? "current" : "")) { context.t(option.name) }
                }
            }
            exceptionTable(list, context: context)
        }
    }

    static func bySystemTable(_ systems: [SystemExposure], context: PageContext) -> HTML {
        Tables.table(
            caption: nil,
            headers: [context.t("システム", "System"), context.t("重要度", "Criticality"), context.t("未対応", "Open"), context.t("期限超過", "Overdue"), context.t("緊急", "Critical"), "KEV"],
            numeric: [2, 3, 4, 5],
            rows: systems.map { system in
                [a(.href(URLBuilder.url("/vulnerabilities/findings", [("system", system.systemID.uuidString)]))) { system.label }, .text(context.t(system.criticality.name)),
                 .text(String(system.open)), .text(String(system.overdue)), .text(String(system.critical)), .text(String(system.knownExploited))]
            },
            rowClass: { systems[$0].overdue > 0 ? "row-overdue" : "" }
        )
    }

    static func bySystem(_ systems: [SystemExposure], context: PageContext) -> HTML {
        Layout.page(context, title: context.t("システム別の脆弱性", "Vulnerabilities by system")) {
            h1 { context.t("システム別の脆弱性", "Vulnerabilities by system") }
            subnav(context)
            bySystemTable(systems, context: context)
        }
    }

    static func reach(_ reach: FindingQueries.Reach?, context: PageContext) -> HTML {
        Layout.page(context, title: context.t("脆弱性の影響範囲", "Which systems does it reach?")) {
            h1 { context.t("脆弱性の影響範囲", "Which systems does a vulnerability reach?") }
            subnav(context)
            KamaeHTML.form(.method("get"), .action("/vulnerabilities/reach"), .class("filters")) {
                Forms.field(id: "reach-id", label: context.t("CVE・JVNDB・GHSA などの ID", "CVE, JVNDB, GHSA … id"), error: nil) {
                    input(.type("search"), .id("reach-id"), .name("id"), .value(reach?.query ?? ""), .attr("placeholder", "CVE-2021-44228"), .flag("required"))
                }
                button(.type("submit"), .id("reach-submit")) { context.t("検索", "Search") }
            }
            if let reach {
                if reach.advisories.isEmpty {
                    p(.class("notice"), .id("reach-unknown")) { context.t("取り込んだアドバイザリに \(reach.query) はありません。", "\(reach.query) is in no imported advisory.") }
                } else {
                    ul { for advisory in reach.advisories { li { "\(advisory.id) (\(advisory.source)) "; severityBadge(advisory.severity, context: context); " \(advisory.summary ?? "")" } } }
                }
                let systems = Set(reach.findings.compactMap(\.systemID)).count
                p(.id("reach-summary"), .class(systems > 0 ? "form-error" : "notice")) {
                    context.t("\(systems) システム、\(reach.findings.count) 件の HW/SW に該当します。", "Reaches \(systems) systems through \(reach.findings.count) components.")
                }
                table(reach.findings, context: context)
            }
        }
    }

    static func policy(_ policy: DeadlinePolicy, problems: [FieldProblem], context: PageContext) -> HTML {
        let canEdit = context.user?.may(.setVulnerabilityPolicy) ?? false
        let errors = Dictionary(problems.map { ($0.field, context.t($0.message)) }, uniquingKeysWith: { $0 + " " + $1 })
        return Layout.page(context, title: context.t("対応期限ポリシー", "Deadline policy")) {
            h1 { context.t("対応期限ポリシー", "Deadline policy") }
            subnav(context)
            p(.class("hint")) {
                context.t("指摘の対応期限は、検出日から「深刻度 × システムの重要度」の日数です。CISA KEV 掲載や EPSS が閾値以上なら、より短い上限が適用されます。変更は未対応の指摘すべてに反映され、監査ログに残ります。経営陣等（承認者）が設定します。",
                          "A finding is due this many days after discovery, by severity × the system's criticality. KEV listing or an EPSS score at or above the threshold caps it shorter. Changes apply to every open finding and are audited. Set by management (approvers).")
            }
            if context.currentURL.contains("changed=") { p(.class("notice"), .id("policy-saved"), .role("status")) { context.t("保存し、未対応の指摘に反映しました。", "Saved and applied to open findings.") } }
            if !problems.isEmpty { div(.class("error-summary"), .role("alert"), .id("policy-errors")) { ul { for problem in problems { li { "\(problem.field): \(context.t(problem.message))" } } } } }
            KamaeHTML.form(.method("post"), .action("/vulnerabilities/policy"), .class("stacked"), .id("policy-form")) {
                if let user = context.user { Forms.csrf(user) }
                Tables.table(
                    caption: context.t("対応期限（日数）", "Days to fix"),
                    headers: [context.t("深刻度 ＼ 重要度", "Severity \\ criticality")] + Criticality.allCases.map { context.t($0.name) },
                    rows: policyRows.map { severity in
                        [severityBadge(severity, context: context)] + Criticality.allCases.map { criticality in
                            let key = "\(severity.rawValue).\(criticality.rawValue)"
                            return input(.type("number"), .name(key), .id("policy-\(key)"), .value(String(policy.days(for: severity, criticality: criticality))), .attr("min", "1"), .attr("max", "3650"),
                                         .aria("label", "\(context.t(severity.name)) × \(context.t(criticality.name))"), canEdit ? .class(errors[key] == nil ? "" : "has-error") : .flag("disabled"))
                        }
                    }
                )
                div(.class("field-row")) {
                    Forms.field(id: "kev_maximum_days", label: context.t("KEV 掲載時の上限（日）", "Cap when in KEV (days)"), error: errors["kev_maximum_days"]) {
                        input(.type("number"), .id("kev_maximum_days"), .name("kev_maximum_days"), .value(String(policy.kevMaximumDays)), .attr("min", "1"), canEdit ? .class("") : .flag("disabled"))
                    }
                    Forms.field(id: "epss_threshold", label: context.t("EPSS 閾値（%）", "EPSS threshold (%)"), error: errors["epss_threshold"]) {
                        input(.type("number"), .id("epss_threshold"), .name("epss_threshold"), .value(Charts.format(policy.epssThreshold * 100)), .attr("min", "0"), .attr("max", "100"), .attr("step", "0.1"), canEdit ? .class("") : .flag("disabled"))
                    }
                    Forms.field(id: "epss_maximum_days", label: context.t("EPSS 閾値以上の上限（日）", "Cap at or above the EPSS threshold (days)"), error: errors["epss_maximum_days"]) {
                        input(.type("number"), .id("epss_maximum_days"), .name("epss_maximum_days"), .value(String(policy.epssMaximumDays)), .attr("min", "1"), canEdit ? .class("") : .flag("disabled"))
                    }
                }
                if canEdit { button(.type("submit"), .id("policy-submit")) { context.t("保存して反映", "Save and apply") } }
            }
        }
    }
}
