import Fluent
import Foundation
import KamaeCore
import KamaeVulnerabilities
@testable import KamaeWeb
import KamaeXLSX
import SQLKit
import Testing
import Vapor
import VaporTesting

extension WebTests {
    /// The registers of §2.2.1 and vulnerability management (§2.2.3) as a bank's IT-risk team uses them: entering and
    /// importing records, feeds matched against the inventory, deadlines, exceptions approved by management.
    @Suite struct RegisterWebTests {
        func call(_ app: Application, _ method: HTTPMethod, _ path: String, token: String, body: String? = nil, bytes: [UInt8]? = nil, type: HTTPMediaType = .json) async throws -> TestingHTTPResponse {
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: token)
            let buffer = bytes.map { ByteBuffer(bytes: $0) } ?? body.map { ByteBuffer(string: $0) }
            if buffer != nil { headers.contentType = type }
            var result: TestingHTTPResponse?
            try await app.testing().test(method, path, headers: headers, body: buffer) { result = $0 }
            return try #require(result)
        }

        func object(_ response: TestingHTTPResponse) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
        }

        func problems(_ response: TestingHTTPResponse) throws -> [String] {
            try ((object(response)["problems"] as? [[String: Any]]) ?? []).map { "\($0["field"] ?? ""): \($0["message"] ?? "")" }
        }

        func institution(_ app: Application) async throws -> UUID {
            try #require(try await InstitutionRecord.query(on: app.db).filter(\.$name == DemoData.institutionName).first()).requireID()
        }

        func findings(_ app: Application, component prefix: String) async throws -> [StoredFinding] {
            try await FindingQueries.list(FindingQuery(scope: .all), institutionID: try await institution(app), on: app.db).data.filter { $0.componentLabel.hasPrefix(prefix) }
        }

        @Test func aRecordIsCheckedFieldByFieldAndReferencesMustExist() async throws {
            try await withDemoApp { app in
                let editor = try await APITokenFixtures.make(app, role: .editor)
                let before = try await RegisterStore.count(.systems, institutionID: try await institution(app), on: app.db)
                let refused = try await call(app, .POST, "/api/v1/registers/systems", token: editor,
                                             body: #"{"code":"SYS 9","kind":"mainframe","criticality":"high","zone":"Z-NONE","critical_business":true}"#)
                #expect(refused.status == .unprocessableEntity)
                let found = try problems(refused)
                for field in ["code", "name", "kind", "owner_department", "confidentiality"] {
                    #expect(found.contains { $0.hasPrefix(field + ":") }, "no problem named for \(field): \(found)")
                }
                #expect(try await RegisterStore.count(.systems, institutionID: try await institution(app), on: app.db) == before)

                let unknownZone = try await call(app, .POST, "/api/v1/registers/systems", token: editor, body: """
                    {"code":"SYS-009","name":"データ分析基盤","kind":"information_system","owner_department":"経営企画部","criticality":"low",
                     "confidentiality":"high","integrity":"medium","availability":"low","zone":"Z-NONE"}
                    """)
                #expect(try problems(unknownZone).contains { $0.hasPrefix("zone:") && $0.contains("Z-NONE") })
                let created = try await call(app, .POST, "/api/v1/registers/systems", token: editor, body: """
                    {"code":"SYS-009","name":"データ分析基盤","kind":"information_system","owner_department":"経営企画部","criticality":"低",
                     "confidentiality":"high","integrity":"medium","availability":"low","zone":"Z-CLOUD","critical_business":false}
                    """)
                #expect(created.status == .created)
                let record = try object(created)
                #expect(record["criticality"] as? String == "low", "a choice may be given by its Japanese name")
                #expect(record["zone"] as? String == "Z-CLOUD")
                #expect(record["critical_business"] as? Bool == false)
                let duplicate = try await call(app, .POST, "/api/v1/registers/systems", token: editor, body: """
                    {"code":"SYS-009","name":"別","kind":"information_system","owner_department":"x","criticality":"low","confidentiality":"low","integrity":"low","availability":"low"}
                    """)
                #expect(try problems(duplicate).contains { $0.hasPrefix("code:") })

                // Search, filter, sort and page.
                let listed = try object(try await call(app, .GET, "/api/v1/registers/systems?criticality=high&sort=name&direction=desc&per_page=1", token: editor))
                let meta = try #require(listed["meta"] as? [String: Any])
                #expect(meta["total"] as? Int == 2 && meta["total_pages"] as? Int == 2)
                #expect(((listed["data"] as? [[String: Any]])?.first?["code"] as? String) == "SYS-001", "勘定系システム sorts after インターネットバンキング, so first descending")
                let searched = try object(try await call(app, .GET, "/api/v1/registers/components?q=LOG4J", token: editor))
                #expect((searched["data"] as? [[String: Any]])?.compactMap { $0["code"] as? String }.sorted() == ["SW-0001", "SW-0005"])
            }
        }

        @Test func concurrentSavesAllLand() async throws {
            try await withDemoApp { app in
                let editor = try await APITokenFixtures.make(app, role: .editor)
                let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for index in 0..<20 {
                        group.addTask {
                            try await call(app, .POST, "/api/v1/registers/zones", token: editor, body: #"{"code":"Z-C\#(index)","name":"同時 \#(index)","kind":"dmz"}"#).status
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.allSatisfy { $0 == .created }, "\(statuses)")
                #expect(try await RegisterStore.count(.zones, institutionID: try await institution(app), on: app.db) == 24)
            }
        }

        @Test func aStaleEditAndADeleteOfSomethingInUseAreRefused() async throws {
            try await withDemoApp { app in
                let editor = try await APITokenFixtures.make(app, role: .editor)
                let zone = try #require(try await RegisterStore.find(.zones, code: "Z-INT", institutionID: try await institution(app), on: app.db))
                let body = #"{"code":"Z-INT","name":"行内 LAN","kind":"internal","revision":\#(zone.revision)}"#
                #expect(try await call(app, .PUT, "/api/v1/registers/zones/records/\(zone.id)", token: editor, body: body).status == .ok)
                #expect(try await call(app, .PUT, "/api/v1/registers/zones/records/\(zone.id)", token: editor, body: body).status == .conflict, "saved over a newer save")
                let inUse = try await call(app, .DELETE, "/api/v1/registers/zones/records/\(zone.id)", token: editor)
                #expect(inUse.status == .conflict)
                #expect(inUse.body.string.contains("情報システム・外部システムサービス"))
                #expect(try await RegisterStore.find(.zones, code: "Z-INT", institutionID: try await institution(app), on: app.db) != nil)
            }
        }

        @Test func anImportNamesEveryBadRowAndWritesNothingUntilAllAreRight() async throws {
            try await withDemoApp { app in
                let editor = try await APITokenFixtures.make(app, role: .editor)
                let institutionID = try await institution(app)
                let before = try await RegisterStore.all(.components, institutionID: institutionID, on: app.db)
                let bad = """
                    code,system,kind,product,version,end_of_support
                    SW-0100,SYS-001,software,OpenSSL,3.0.13,2026-09-07
                    SW-0101,SYS-404,software,"Apache httpd, worker",2.4.58,2026/13/01
                    SW-0100,SYS-001,firmware,BIOS,1.0,
                    """
                let refused = try await call(app, .POST, "/api/v1/registers/components/import?filename=hw.csv", token: editor, body: bad, type: .plainText)
                #expect(refused.status == .unprocessableEntity)
                let found = try problems(refused)
                #expect(found.contains { $0.hasPrefix("line 3 end_of_support") })
                #expect(found.contains { $0.hasPrefix("line 4 kind") })
                #expect(found.contains { $0.hasPrefix("line 4 code") && $0.contains("line 2") }, "a code twice in one file: \(found)")
                #expect(try await RegisterStore.all(.components, institutionID: institutionID, on: app.db).count == before.count)

                let unknownSystem = "code,system,kind,product\nSW-0101,SYS-404,software,httpd\n"
                let refusedReference = try await call(app, .POST, "/api/v1/registers/components/import?filename=hw.csv", token: editor, body: unknownSystem, type: .plainText)
                #expect(try problems(refusedReference).contains { $0.hasPrefix("line 2 system") && $0.contains("SYS-404") })

                // Japanese headers are understood; a known code updates, a new one is added.
                let good = "管理番号,システム,区分,製品名,バージョン,サポート終了日\nSW-0100,SYS-001,software,OpenSSL,3.0.13,2026-9-7\nSW-0002,SYS-002,software,nginx,1.26.1,2028-04-30\n"
                let imported = try object(try await call(app, .POST, "/api/v1/registers/components/import?filename=hw.csv", token: editor, body: good, type: .plainText))
                #expect(imported["created"] as? Int == 1 && imported["updated"] as? Int == 1)
                let nginx = try #require(try await RegisterStore.find(.components, code: "SW-0002", institutionID: institutionID, on: app.db))
                #expect(nginx.text("version") == "1.26.1" && nginx.text("end_of_support") == "2028-04-30")
                #expect(try await RegisterStore.find(.components, code: "SW-0100", institutionID: institutionID, on: app.db)?.text("end_of_support") == "2026-09-07")

                // What is exported imports back unchanged, as CSV and as XLSX, for every register.
                for schema in RegisterSchema.all {
                    let before = try await RegisterStore.all(schema, institutionID: institutionID, on: app.db)
                    for format in ["csv", "xlsx"] {
                        let exported = try await call(app, .GET, "/api/v1/registers/\(schema.id.rawValue)/export?format=\(format)", token: editor)
                        #expect(exported.status == .ok)
                        let back = try object(try await call(app, .POST, "/api/v1/registers/\(schema.id.rawValue)/import?filename=\(schema.id.rawValue).\(format)", token: editor,
                                                             bytes: Array(exported.body.readableBytesView), type: format == "csv" ? .plainText : .binary))
                        #expect(back["created"] as? Int == 0 && back["updated"] as? Int == before.count, "\(schema.id) \(format): \(back)")
                    }
                    let after = try await RegisterStore.all(schema, institutionID: institutionID, on: app.db)
                    #expect(after.map(\.values) == before.map(\.values), "\(schema.id): a round trip changed a value")
                }
                let data = try #require(try await RegisterStore.find(.data, code: "D-001", institutionID: institutionID, on: app.db))
                #expect(data.values["systems"] == .codes(["SYS-001", "SYS-002"]))
                let workbook = try XLSXReader.read(Data(try await call(app, .GET, "/api/v1/registers/systems/export?format=xlsx", token: editor).body.readableBytesView))
                #expect(workbook.sheetNames == ["systems", "columns"])
                #expect(workbook.sheets[0].rows.first?.first == .text("code"))
            }
        }

        @Test func feedsCreateFindingsWithPolicyDeadlinesAndKEVAndEPSSShortenThem() async throws {
            try await withDemoApp { app in
                let editor = try await APITokenFixtures.make(app, role: .editor)
                let approver = try await APITokenFixtures.make(app, role: .approver)
                let finding = try #require(try await findings(app, component: "SW-0001").first)
                #expect(finding.vulnerabilityID == "CVE-2021-44228")
                #expect(finding.severity == .critical && finding.criticality == .high)
                #expect(finding.deadline == finding.discoveredOn.adding(days: 7), "critical × high criticality: 7 days by the standard policy")
                #expect(try await findings(app, component: "SW-0002").isEmpty, "nginx is not log4j")

                // Management relaxes the policy: open findings follow.
                var policy = DeadlinePolicy.standard
                policy.setDays(12, for: .critical, criticality: .high)
                policy.kevMaximumDays = 10
                let json = String(decoding: try JSONEncoder().encode(policy), as: UTF8.self)
                #expect(try await call(app, .PUT, "/api/v1/vulnerabilities/policy", token: editor, body: json).status == .forbidden, "an editor does not set the policy")
                #expect(try await call(app, .PUT, "/api/v1/vulnerabilities/policy", token: approver, body: json).status == .ok)
                #expect(try await findings(app, component: "SW-0001").first?.deadline == finding.discoveredOn.adding(days: 12))

                // KEV caps it at 10 days and marks it urgent; EPSS is recorded.
                let kev = #"{"title":"CISA Catalog of Known Exploited Vulnerabilities","catalogVersion":"2026.11.25","count":1,"vulnerabilities":[{"cveID":"CVE-2021-44228","vendorProject":"Apache","product":"Log4j2","vulnerabilityName":"Apache Log4j2 RCE","dateAdded":"2021-12-10","dueDate":"2021-12-24","knownRansomwareCampaignUse":"Known"}]}"#
                let imported = try object(try await call(app, .POST, "/api/v1/vulnerabilities/feeds?filename=kev.json", token: editor, body: kev))
                #expect(imported["kind"] as? String == "kev" && imported["deadlines_changed"] as? Int == 2)
                let exploited = try #require(try await findings(app, component: "SW-0001").first)
                #expect(exploited.knownExploited && exploited.priority == .urgent)
                #expect(exploited.deadline == finding.discoveredOn.adding(days: 10))
                let epss = "#model_version:v2025.03.14,score_date:2026-11-25T00:00:00+0000\ncve,epss,percentile\nCVE-2021-44228,0.94358,0.99957\n"
                #expect(try await call(app, .POST, "/api/v1/vulnerabilities/feeds?filename=epss.csv", token: editor, body: epss, type: .plainText).status == .ok)
                #expect(try await findings(app, component: "SW-0001").first?.epss == 0.94358)

                // A broken feed names the file and place and changes nothing.
                let broken = try await call(app, .POST, "/api/v1/vulnerabilities/feeds?filename=epss-bad.csv", token: editor, body: "cve,epss,percentile\nCVE-2021-44228,1.5,0.9\n", type: .plainText)
                #expect(broken.status == .unprocessableEntity)
                #expect(try problems(broken).first?.contains("line 2") == true)
                #expect(try await findings(app, component: "SW-0001").first?.epss == 0.94358)

                // "Which systems does CVE-X reach?", by any of its ids.
                for id in ["CVE-2021-44228", "kamae-demo-2021-0001"] {
                    let reach = try object(try await call(app, .GET, "/api/v1/vulnerabilities/reach?id=\(id)", token: editor))
                    #expect(reach["systems"] as? [String] == ["SYS-001 勘定系システム", "SYS-002 インターネットバンキング"], "\(id)")
                }
            }
        }

        @Test func theInventoryIsMatchedAgainWhenItChanges() async throws {
            try await withDemoApp { app in
                let editor = try await APITokenFixtures.make(app, role: .editor)
                let institutionID = try await institution(app)
                let component = try #require(try await RegisterStore.find(.components, code: "SW-0001", institutionID: institutionID, on: app.db))
                let upgraded = try await call(app, .PUT, "/api/v1/registers/components/records/\(component.id)", token: editor, body: """
                    {"code":"SW-0001","system":"SYS-002","kind":"software","product":"log4j-core","vendor":"Apache","version":"2.17.1",
                     "purl":"pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1","end_of_support":"2030-12-31"}
                    """)
                #expect(upgraded.status == .ok)
                let fixed = try #require(try await findings(app, component: "SW-0001").first)
                #expect(fixed.status == .fixed && fixed.closedOn == ISODate.today() && fixed.closedWithinPolicy == true)
                // Rolled back: the same finding opens again with its first deadline; a rollback buys no time.
                let rolledBack = try #require(try await RegisterStore.find(.components, code: "SW-0001", institutionID: institutionID, on: app.db))
                var back = Dictionary(uniqueKeysWithValues: RegisterSchema.components.fields.map { ($0.key, rolledBack.text($0.key)) })
                (back["version"], back["purl"]) = ("2.14.1", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")
                _ = try await RegisterStore.save(.components, raw: back, id: rolledBack.id, expectedRevision: rolledBack.revision, institutionID: institutionID, actor: .cli(institutionID: institutionID), on: app.db)
                let reopened = try #require(try await findings(app, component: "SW-0001").first)
                #expect(reopened.id == fixed.id && reopened.status == .open && reopened.deadline == fixed.deadline)
                #expect(try await findings(app, component: "SW-0001").count == 1)
                // A finding a person closed stays closed when an unrelated edit matches the component again.
                #expect(try await call(app, .POST, "/api/v1/vulnerabilities/findings/\(reopened.id)/status", token: editor, body: #"{"status":"fixed","note":"ベンダーのバックポート修正を適用"}"#).status == .ok)
                back["location"] = "本店"
                let current = try #require(try await RegisterStore.find(.components, code: "SW-0001", institutionID: institutionID, on: app.db))
                _ = try await RegisterStore.save(.components, raw: back, id: current.id, expectedRevision: current.revision, institutionID: institutionID, actor: .cli(institutionID: institutionID), on: app.db)
                #expect(try await findings(app, component: "SW-0001").first?.status == .fixed)

                let added = try await call(app, .POST, "/api/v1/registers/components", token: editor, body: """
                    {"code":"SW-0200","system":"SYS-003","kind":"software","product":"log4j-core","version":"2.14.0","purl":"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.0"}
                    """)
                #expect(added.status == .created)
                let found = try #require(try await findings(app, component: "SW-0200").first)
                #expect(found.status == .open && found.criticality == .medium && found.deadline == found.discoveredOn.adding(days: 14))

                // Raising the system's criticality brings the deadline forward.
                let system = try #require(try await RegisterStore.find(.systems, code: "SYS-003", institutionID: institutionID, on: app.db))
                var raw = Dictionary(uniqueKeysWithValues: RegisterSchema.systems.fields.map { ($0.key, system.text($0.key)) })
                raw["criticality"] = "high"
                _ = try await RegisterStore.save(.systems, raw: raw, id: system.id, expectedRevision: system.revision, institutionID: institutionID, actor: .cli(institutionID: institutionID), on: app.db)
                #expect(try await findings(app, component: "SW-0200").first?.deadline == found.discoveredOn.adding(days: 7))

                // SBOMs: each upload is a version; entries follow the newest; a diff says what changed.
                let v1 = #"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"type":"library","bom-ref":"a","name":"log4j-core","group":"org.apache.logging.log4j","version":"2.14.1","purl":"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"},{"type":"library","bom-ref":"b","name":"left-pad","version":"1.3.0","purl":"pkg:npm/left-pad@1.3.0"}]}"#
                let v2 = #"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"type":"library","bom-ref":"a","name":"log4j-core","group":"org.apache.logging.log4j","version":"2.17.1","purl":"pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1"},{"type":"library","bom-ref":"c","name":"lodash","version":"4.17.21","purl":"pkg:npm/lodash@4.17.21"}]}"#
                let actor = AuditActor.cli(institutionID: institutionID)
                _ = try await SBOMUploads.upload(Data(v1.utf8), file: "v1.json", systemID: system.id, institutionID: institutionID, actor: actor, on: app.db)
                let sbomFinding = try #require(try await FindingQueries.list(FindingQuery(scope: .active, systemID: system.id), institutionID: institutionID, on: app.db).data
                    .first { $0.componentLabel.hasPrefix("SBOM-") })
                let (version, diff) = try await SBOMUploads.upload(Data(v2.utf8), file: "v2.json", systemID: system.id, institutionID: institutionID, actor: actor, on: app.db)
                #expect(version == 2 && diff.added.count == 1 && diff.removed.count == 1 && diff.changed.count == 1 && diff.unchangedCount == 0)
                #expect(try await VulnerabilityStore.finding(sbomFinding.id, institutionID: institutionID, on: app.db)?.status == .fixed, "upgraded in the SBOM")
                let entries = try await RegisterStore.list(.components, institutionID: institutionID, query: RegisterQuery(filters: ["system": "SYS-003"], page: PageRequest(page: 1, perPage: 50)), on: app.db).data
                #expect(Set(entries.filter { $0.sbomUploadID != nil }.map { $0.text("product") }) == ["log4j-core", "lodash"])
                let page = try await Visitor.signIn(app, as: "demo-viewer").get("/registers/systems/\(system.id)/sbom/2/diff")
                #expect(page.body.string.contains("追加 1、削除 1、バージョン変更 1"))
            }
        }

        @Test func riskIsAcceptedOnlyByAnotherPersonInManagementAndExpiredExceptionsReopen() async throws {
            try await withDemoApp { app in
                let editor = try await APITokenFixtures.make(app, role: .editor)
                let approver = try await APITokenFixtures.make(app, role: .approver)
                let institutionID = try await institution(app)
                let finding = try #require(try await findings(app, component: "SW-0001").first)
                let tooLong = try await call(app, .POST, "/api/v1/vulnerabilities/findings/\(finding.id)/exceptions", token: editor,
                                             body: #"{"reason":"待ち","compensating_controls":" ","expiry":"\#(ISODate.today().adding(days: 2000))"}"#)
                #expect(tooLong.status == .unprocessableEntity)
                #expect(Set(try problems(tooLong).map { String($0.prefix { $0 != ":" }) }) == ["compensating_controls", "expiry"])
                let requested = try await call(app, .POST, "/api/v1/vulnerabilities/findings/\(finding.id)/exceptions", token: editor,
                                               body: #"{"reason":"ベンダー修正版の検証中","compensating_controls":"WAF で JNDI 文字列を遮断","expiry":"\#(ISODate.today().adding(days: 30))"}"#)
                #expect(requested.status == .created)
                let exceptionID = try #require(try object(requested)["id"] as? String)
                #expect(try await call(app, .POST, "/api/v1/vulnerabilities/exceptions/\(exceptionID)/decision", token: editor, body: #"{"decision":"approve"}"#).status == .forbidden)
                #expect(try await call(app, .POST, "/api/v1/vulnerabilities/findings/\(finding.id)/status", token: editor, body: #"{"status":"accepted"}"#).status == .unprocessableEntity,
                        "accepting a risk goes through an approved exception")
                // The requester cannot decide even holding the approver role.
                let exception = try #require(UUID(uuidString: exceptionID))
                let requester = try #require(try await RiskExceptions.find(exception, institutionID: institutionID, on: app.db)?.requestedBy)
                await #expect(throws: WebError.self) {
                    try await RiskExceptions.decide(.approve, exceptionID: exception, note: nil, institutionID: institutionID,
                                                    actor: AuditActor(id: requester, login: "demo-editor", institutionID: institutionID, via: .api), on: app.db)
                }
                #expect(try await call(app, .POST, "/api/v1/vulnerabilities/exceptions/\(exceptionID)/decision", token: approver, body: #"{"decision":"approve","note":"次回保守で適用"}"#).status == .noContent)
                #expect(try await VulnerabilityStore.finding(finding.id, institutionID: institutionID, on: app.db)?.status == .accepted)

                // The end date passes: the next look at the findings shows it open again, and the trail says why.
                try await (app.db as! any SQLDatabase).raw("UPDATE finding_exceptions SET expiry = \(bind: ISODate.today().adding(days: -1).description) WHERE id = \(bind: exception)").run()
                let list = try object(try await call(app, .GET, "/api/v1/vulnerabilities/findings?q=SW-0001", token: editor))
                #expect(((list["data"] as? [[String: Any]])?.first?["status"] as? String) == "open")
                #expect(try await RiskExceptions.find(exception, institutionID: institutionID, on: app.db)?.state == .expired)
                #expect(try await AuditLogFixtures.actions(app).contains("vulnerability.exception_expired"))
            }
        }

        @Test func overdueFindingsAndTheMonthlyFiguresShowOnThePages() async throws {
            try await withDemoApp { app in
                let institutionID = try await institution(app)
                let finding = try #require(try await findings(app, component: "SW-0005").first)
                let lastMonth = ISODate.today().monthStart.addingMonths(-1)
                try await (app.db as! any SQLDatabase).raw("""
                    UPDATE findings SET discovered_on = \(bind: lastMonth.description), deadline = \(bind: lastMonth.adding(days: 7).description) WHERE id = \(bind: finding.id)
                    """).run()
                let viewer = try await Visitor.signIn(app, as: "demo-viewer")
                let overdue = try await viewer.get("/vulnerabilities/overdue").body.string
                // The list is drawn once per change: a fix shows at once.
                let editor = try await APITokenFixtures.make(app, role: .editor)
                #expect(try await call(app, .POST, "/api/v1/vulnerabilities/findings/\(finding.id)/status", token: editor, body: #"{"status":"fixed"}"#).status == .ok)
                #expect(!(try await viewer.get("/vulnerabilities/overdue").body.string.contains("SW-0005")))
                try await (app.db as! any SQLDatabase).raw("UPDATE findings SET status = 'open', closed_on = NULL, closed_within_policy = NULL, updated_at = \(bind: Date()) WHERE id = \(bind: finding.id)").run()
                let beyond = try await viewer.get("/vulnerabilities/overdue?page=999")
                #expect(beyond.status == .ok && beyond.body.string.contains("page=1"), "a page past the last still answers, with a way back")
                #expect(overdue.contains("row-overdue") && overdue.contains("SW-0005") && !overdue.contains("SW-0001 log4j"))
                let metrics = try await FindingQueries.lifecycles(institutionID: institutionID, on: app.db)
                let points = VulnerabilityMetrics.monthly(metrics, through: .today(), months: 2)
                #expect(points.first?.due == 1 && points.first?.closedOnTime == 0 && points.first?.responseRate == 0)
                #expect(points.last?.open == 2 && points.last?.overdue == 1)
                let dashboard = try await viewer.get("/vulnerabilities").body.string
                #expect(dashboard.contains("vulnerability-metrics-chart") && dashboard.contains(#"id="overdue-count""#))
                let csv = try await viewer.get("/vulnerabilities/metrics.csv").body.string
                #expect(csv.contains("\(lastMonth.monthLabel),1,1,1,0,0.0"))

                // The assessment item shows the registers' live facts.
                let item = try await viewer.get("/assessments/\(FiscalYear.current())/items/2.2.1.2-B1").body.string
                #expect(item.contains("サポート終了日が未登録 2 件"), "HW-0001 and SW-0004 have no date")
                #expect(item.contains("未承認（シャドー IT）1 件"))
                let vulnerabilityItem = try await viewer.get("/assessments/\(FiscalYear.current())/items/2.2.3-B1").body.string
                #expect(vulnerabilityItem.contains("うち期限超過 1 件"))
            }
        }

        @Test func theDiagramIsDrawnFromTheRegisters() async throws {
            try await withDemoApp { app in
                let viewer = try await Visitor.signIn(app, as: "demo-viewer")
                let page = try await viewer.get("/registers/network").body.string
                for code in ["SYS-001", "SYS-002", "SYS-003", "SVC-001"] { #expect(page.contains(code)) }
                let svg = try await viewer.get("/registers/network.svg")
                #expect(svg.headers.contentType?.subType == "svg+xml")
                #expect(svg.body.string.hasPrefix("<?xml") && svg.body.string.contains("暗号化なし"))
                // A system's page lists what refers to it: its software, the data it processes, its flows.
                let core = try #require(try await RegisterStore.find(.systems, code: "SYS-001", institutionID: try await institution(app), on: app.db))
                let corePage = try await viewer.get("/registers/systems/\(core.id)").body.string
                for expected in ["HW-0001", "SW-0005", "D-001 顧客基本情報", "F-001", "F-002"] { #expect(corePage.contains(expected), "\(expected)") }
                #expect(!corePage.contains("D-002"))
                let onlyDMZ = try await viewer.get("/registers/network?zone=Z-DMZ").body.string
                #expect(onlyDMZ.contains("SYS-002") && !onlyDMZ.contains("SYS-003"))
            }
        }
    }
}
