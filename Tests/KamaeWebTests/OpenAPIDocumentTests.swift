import Foundation
import KamaeCore
@testable import KamaeWeb
import Testing
import Vapor
import VaporTesting

extension WebTests {
    /// The OpenAPI document is the truth about the API: every route is in it, and every answer matches it.
    @Suite struct OpenAPIDocumentTests {
        let document = try! JSONSerialization.jsonObject(with: OpenAPIController.document) as! [String: Any]

        var documentedOperations: Set<String> {
            let paths = document["paths"] as! [String: [String: Any]]
            return Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        }

        @Test func everyAPIRouteIsDocumentedAndNothingElse() async throws {
            try await withKamaeApp { app in
                let served = Set(app.routes.all.compactMap { route -> String? in
                    let path = "/" + route.path.map { component -> String in
                        if case let .parameter(name) = component { return "{\(name)}" }
                        return component.description
                    }.joined(separator: "/")
                    guard path.hasPrefix("/api/") || path == "/health" else { return nil }
                    return "\(route.method.rawValue) \(path)"
                })
                #expect(served == documentedOperations)
            }
        }

        /// Parameters that name the guideline's sections and tags list exactly the catalog's, so that a client (or a
        /// fuzzer) never sends a well-formed value the server must refuse.
        @Test func sectionAndTagParametersListTheCatalog() throws {
            let components = (document["components"] as! [String: Any])["parameters"] as! [String: [String: Any]]
            let sections = (components["Section"]!["schema"] as! [String: Any])["enum"] as! [String]
            let catalog = Catalog.bundled
            #expect(Set(sections) == Set(["", catalog.root.number] + catalog.sections.map(\.number)))
            let items = (document["paths"] as! [String: [String: Any]])["/api/v1/catalog/items"]!["get"] as! [String: Any]
            let tag = (items["parameters"] as! [[String: Any]]).first { $0["name"] as? String == "tag" }!
            #expect(Set((tag["schema"] as! [String: Any])["enum"] as! [String]) == Set([""] + catalog.tags.map(\.id)))
            let itemIDs = ((document["components"] as! [String: Any])["schemas"] as! [String: [String: Any]])["ItemID"]!["enum"] as! [String]
            #expect(itemIDs == catalog.items.map(\.id))
        }

        /// A sample request per documented operation and outcome, with the status it must answer.
        struct Sample: Sendable {
            var method: HTTPMethod
            var path: String
            var body: String? = nil
            var token: Role? = nil
            var status: UInt
            /// The body's media type when it is neither JSON nor a form.
            var mediaType: HTTPMediaType? = nil
            /// Keeps the answer's `id` (or its first `data` element's) under this name: a later sample's path or body
            /// says `{name}` where a record that exists only at run time goes.
            var keep: String? = nil
        }

        static var year: Int { FiscalYear.current() }

        static var samples: [Sample] {
            let y = year
            let csv = HTTPMediaType(type: "text", subType: "csv")
            let expiry = ISODate.today().adding(days: 90)
            let policy = #"{"days": {"critical": {"high": 7, "medium": 14, "low": 30}, "high": {"high": 14, "medium": 30, "low": 60}, "medium": {"high": 30, "medium": 90, "low": 180}, "low": {"high": 90, "medium": 180, "low": 365}, "unknown": {"high": 14, "medium": 30, "low": 60}}, "kev_maximum_days": 7, "epss_threshold": 0.1, "epss_maximum_days": 14}"#
            return [
                Sample(method: .GET, path: "/health", status: 200),
                Sample(method: .GET, path: "/api/openapi.json", status: 200),
                Sample(method: .GET, path: "/api/v1/catalog", status: 200),
                Sample(method: .GET, path: "/api/v1/catalog/sections", status: 200),
                Sample(method: .GET, path: "/api/v1/catalog/items", status: 200),
                Sample(method: .GET, path: "/api/v1/catalog/items?q=SBOM&kind=desirable&sort=csf", status: 200),
                Sample(method: .GET, path: "/api/v1/catalog/items?per_page=0", status: 400),
                Sample(method: .GET, path: "/api/v1/catalog/items/2.2.1.2-B1", status: 200),
                Sample(method: .GET, path: "/api/v1/catalog/items/none", status: 404),
                Sample(method: .GET, path: "/api/v1/institution-types", status: 200),
                Sample(method: .GET, path: "/api/v1/assessments", status: 401),
                Sample(method: .GET, path: "/api/v1/assessments", token: .viewer, status: 200),
                Sample(method: .POST, path: "/api/v1/assessments", body: #"{"fiscal_year": \#(y + 1)}"#, token: .editor, status: 201),
                Sample(method: .POST, path: "/api/v1/assessments", body: #"{"fiscal_year": \#(y)}"#, token: .editor, status: 409),
                Sample(method: .POST, path: "/api/v1/assessments", body: #"{"year": 1}"#, token: .editor, status: 400),
                Sample(method: .POST, path: "/api/v1/assessments", body: #"{"fiscal_year": 2030}"#, token: .viewer, status: 403),
                Sample(method: .GET, path: "/api/v1/assessments/\(y)", token: .viewer, status: 200),
                Sample(method: .GET, path: "/api/v1/assessments/1999", token: .viewer, status: 404),
                Sample(method: .GET, path: "/api/v1/assessments/\(y)/answers?status=unanswered&per_page=5", token: .auditor, status: 200),
                Sample(method: .GET, path: "/api/v1/assessments/\(y)/answers?status=maybe", token: .auditor, status: 400),
                Sample(method: .PUT, path: "/api/v1/assessments/\(y)/answers/2.1.1-B5", body: #"{"status": "partial", "maturity": 2, "revision": 0}"#, token: .editor, status: 200),
                Sample(method: .PUT, path: "/api/v1/assessments/\(y)/answers/2.1.1-B5", body: #"{"status": "implemented", "revision": 0}"#, token: .editor, status: 409),
                Sample(method: .PUT, path: "/api/v1/assessments/\(y)/answers/2.1.1-B5", body: #"{"status": "not_applicable", "revision": 1}"#, token: .editor, status: 422),
                Sample(method: .PUT, path: "/api/v1/assessments/\(y)/answers/2.1.1-B5", body: #"{"status": "done", "revision": 1}"#, token: .editor, status: 400),
                Sample(method: .PUT, path: "/api/v1/assessments/\(y)/answers/9.9-B1", body: #"{"revision": 0}"#, token: .editor, status: 404),
                Sample(method: .PUT, path: "/api/v1/assessments/\(y)/answers/2.1.1-B5", body: "status=partial", token: .editor, status: 415),
                Sample(method: .PUT, path: "/api/v1/assessments/\(y)/answers/2.1.1-B5", body: #"{"revision": 1}"#, token: .approver, status: 403),
                Sample(method: .GET, path: "/api/v1/assessments/\(y)/items/2.1.1-B1", token: .viewer, status: 200),
                Sample(method: .GET, path: "/api/v1/assessments/\(y)/items/9.9-B1", token: .viewer, status: 404),
                Sample(method: .POST, path: "/api/v1/assessments/\(y)/items/2.1.1-B1/comments", body: #"{"body": "根拠資料の版を確認してください"}"#, token: .auditor, status: 201),
                Sample(method: .POST, path: "/api/v1/assessments/\(y)/items/2.1.1-B1/comments", body: #"{"body": "  "}"#, token: .auditor, status: 400),
                Sample(method: .POST, path: "/api/v1/assessments/\(y)/items/2.1.1-B1/comments", body: #"{"body": "x"}"#, token: .viewer, status: 403),
                Sample(method: .POST, path: "/api/v1/assessments/\(y)/items/2.1.1-B1/evidence?filename=規程.txt&effective_date=2026-04-01", body: "情報セキュリティ規程 第 3 版", token: .editor, status: 201, mediaType: .binary),
                Sample(method: .POST, path: "/api/v1/assessments/\(y)/items/2.1.1-B1/evidence?filename=tool.exe", body: "MZ\u{90}binary", token: .editor, status: 422, mediaType: .binary),
                Sample(method: .GET, path: "/api/v1/assessments/\(y)/evidence/\(UUID())", token: .viewer, status: 404),
                Sample(method: .DELETE, path: "/api/v1/assessments/\(y)/evidence/\(UUID())", token: .editor, status: 404),
                Sample(method: .POST, path: "/api/v1/assessments/\(y)/import", body: #"{"format": "kamae-assessment/1"}"#, token: .editor, status: 422),
                Sample(method: .POST, path: "/api/v1/assessments/\(y)/import", body: #"{"format": "kamae-assessment/1"}"#, token: .viewer, status: 403),
                Sample(method: .GET, path: "/api/v1/remediation", token: .viewer, status: 200),
                Sample(method: .POST, path: "/api/v1/remediation", body: #"{"title": "EOL 機器の更新", "owner": "システム部", "due_date": "2027-03-31", "item_ids": ["2.2.1.2-B1"]}"#, token: .editor, status: 201),
                Sample(method: .POST, path: "/api/v1/remediation", body: #"{"title": "x", "owner": "y", "due_date": "2027-03-31", "item_ids": ["9.9-B1"]}"#, token: .editor, status: 422),
                Sample(method: .POST, path: "/api/v1/remediation", body: #"{"title": "x", "owner": "y", "due_date": "2027-03-31", "item_ids": ["2.1.1-B1"]}"#, token: .viewer, status: 403),
                Sample(method: .PATCH, path: "/api/v1/remediation/\(UUID())", body: #"{"status": "done"}"#, token: .editor, status: 404),
                Sample(method: .POST, path: "/api/v1/assessments/\(y)/workflow", body: #"{"action": "approve"}"#, token: .approver, status: 409),
                Sample(method: .POST, path: "/api/v1/assessments/\(y)/workflow", body: #"{"action": "submit"}"#, token: .editor, status: 200),
                Sample(method: .POST, path: "/api/v1/assessments/\(y)/workflow", body: #"{"action": "return"}"#, token: .approver, status: 422),
                Sample(method: .GET, path: "/api/v1/assessments/\(y)/gaps", token: .viewer, status: 200),
                Sample(method: .GET, path: "/api/v1/assessments/\(y)/export/json", token: .viewer, status: 200),
                Sample(method: .GET, path: "/api/v1/assessments/\(y)/export/xml", token: .viewer, status: 404),
                Sample(method: .POST, path: "/api/v1/supervision/\(UUID())/submissions", body: #"{"format": "kamae-submission/1"}"#, status: 404),
                // Registers (§2.2.1).
                Sample(method: .GET, path: "/api/v1/registers/systems", status: 401),
                Sample(method: .GET, path: "/api/v1/registers/systems", token: .viewer, status: 200),
                Sample(method: .GET, path: "/api/v1/registers/components?q=log4j&kind=software&support=within_year&sort=version&direction=desc&per_page=5", token: .viewer, status: 200),
                Sample(method: .GET, path: "/api/v1/registers/components?support=soon", token: .viewer, status: 400),
                Sample(method: .GET, path: "/api/v1/registers/zones?sort=criticality", token: .viewer, status: 400),
                Sample(method: .GET, path: "/api/v1/registers/assets", token: .viewer, status: 404),
                Sample(method: .GET, path: "/api/v1/registers/zones?q=Z-INT", token: .viewer, status: 200, keep: "zone-in-use"),
                Sample(method: .GET, path: "/api/v1/registers/data?q=D-001", token: .auditor, status: 200, keep: "data"),
                Sample(method: .GET, path: "/api/v1/registers/systems?q=SYS-003", token: .viewer, status: 200, keep: "system"),
                Sample(method: .POST, path: "/api/v1/registers/systems/records/{system}/sbom?filename=bom.json", body: #"{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"type": "library", "bom-ref": "a", "name": "log4j-core", "group": "org.apache.logging.log4j", "version": "2.14.1", "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}]}"#, token: .editor, status: 200),
                Sample(method: .POST, path: "/api/v1/registers/systems/records/{system}/sbom?filename=bom.json", body: #"{"bomFormat": "CycloneDX"}"#, token: .editor, status: 422),
                Sample(method: .POST, path: "/api/v1/registers/systems/records/{system}/sbom", body: #"{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"type": "library", "bom-ref": "a", "name": "log4j-core", "group": "org.apache.logging.log4j", "version": "2.14.1", "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}]}"#, token: .viewer, status: 403),
                Sample(method: .POST, path: "/api/v1/registers/systems/records/\(UUID())/sbom", body: #"{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"type": "library", "bom-ref": "a", "name": "log4j-core", "group": "org.apache.logging.log4j", "version": "2.14.1", "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}]}"#, token: .editor, status: 404),
                Sample(method: .GET, path: "/api/v1/registers/data/records/{data}", token: .viewer, status: 200),
                Sample(method: .GET, path: "/api/v1/registers/flows/records/\(UUID())", token: .viewer, status: 404),
                Sample(method: .POST, path: "/api/v1/registers/zones", body: #"{"code": "Z-TEST", "name": "検証用ゾーン", "kind": "dmz", "description": null}"#, token: .editor, status: 201, keep: "zone"),
                Sample(method: .POST, path: "/api/v1/registers/zones", body: #"{"code": "Z-TEST", "name": "検証用ゾーン", "kind": "dmz"}"#, token: .editor, status: 422),
                Sample(method: .POST, path: "/api/v1/registers/zones", body: #"{"code": "Z-X", "name": "x", "kind": "dmz", "criticality": "high"}"#, token: .editor, status: 422),
                Sample(method: .POST, path: "/api/v1/registers/zones", body: "code=Z-X&name=x&kind=dmz", token: .editor, status: 415),
                Sample(method: .POST, path: "/api/v1/registers/zones", body: #"{"code": "Z-X", "name": "x", "kind": "dmz"}"#, token: .viewer, status: 403),
                Sample(method: .POST, path: "/api/v1/registers/systems", body: #"{"code": "SYS-900", "name": "検証システム", "kind": "external_service", "owner_department": "システム部", "criticality": "low", "confidentiality": "low", "integrity": "low", "availability": "low", "critical_business": false, "zone": "Z-CLOUD"}"#, token: .editor, status: 201),
                Sample(method: .POST, path: "/api/v1/registers/data", body: #"{"code": "D-900", "name": "検証データ", "category": "internal", "confidentiality": "low", "integrity": "low", "availability": "low", "storage": "ファイルサーバ", "systems": ["SYS-001", "SYS-900"], "retention": "1年"}"#, token: .editor, status: 201),
                Sample(method: .POST, path: "/api/v1/registers/flows", body: #"{"code": "F-900", "from_system": "SYS-001", "to_system": "SYS-404", "encrypted": true}"#, token: .editor, status: 422),
                Sample(method: .GET, path: "/api/v1/registers/zones/records/{zone}", token: .viewer, status: 200),
                Sample(method: .PUT, path: "/api/v1/registers/zones/records/{zone}", body: #"{"code": "Z-TEST", "name": "検証用ゾーン（更新）", "kind": "cloud", "revision": 1}"#, token: .editor, status: 200),
                Sample(method: .PUT, path: "/api/v1/registers/zones/records/{zone}", body: #"{"code": "Z-TEST", "name": "検証用ゾーン", "kind": "dmz", "revision": 1}"#, token: .editor, status: 409),
                Sample(method: .PUT, path: "/api/v1/registers/zones/records/{zone}", body: #"{"code": "Z-TEST", "kind": "cloud", "revision": 2}"#, token: .editor, status: 422),
                Sample(method: .PUT, path: "/api/v1/registers/zones/records/{zone}", body: #"{"code": "Z-TEST", "name": "x", "kind": 3}"#, token: .editor, status: 400),
                Sample(method: .PUT, path: "/api/v1/registers/zones/records/{zone}", body: "code=Z-TEST", token: .editor, status: 415),
                Sample(method: .PUT, path: "/api/v1/registers/zones/records/\(UUID())", body: #"{"code": "Z-NEW", "name": "x", "kind": "dmz"}"#, token: .editor, status: 404),
                Sample(method: .PUT, path: "/api/v1/registers/zones/records/{zone}", body: #"{"code": "Z-TEST", "name": "x", "kind": "dmz"}"#, token: .auditor, status: 403),
                Sample(method: .DELETE, path: "/api/v1/registers/zones/records/{zone-in-use}", token: .editor, status: 409),
                Sample(method: .DELETE, path: "/api/v1/registers/zones/records/{zone}", token: .viewer, status: 403),
                Sample(method: .DELETE, path: "/api/v1/registers/zones/records/{zone}", token: .editor, status: 204),
                Sample(method: .DELETE, path: "/api/v1/registers/zones/records/{zone}", token: .editor, status: 404),
                Sample(method: .GET, path: "/api/v1/registers/systems/export?format=csv", token: .viewer, status: 200),
                Sample(method: .GET, path: "/api/v1/registers/components/export?format=xlsx", token: .auditor, status: 200),
                Sample(method: .GET, path: "/api/v1/registers/systems/export?format=pdf", token: .viewer, status: 400),
                Sample(method: .GET, path: "/api/v1/registers/systems/export", status: 401),
                Sample(method: .POST, path: "/api/v1/registers/zones/import?filename=zones.csv", body: "code,name,kind\nZ-LAB,検証ラボ,internal\nZ-DMZ,インターネット DMZ,dmz\n", token: .editor, status: 200, mediaType: csv),
                Sample(method: .POST, path: "/api/v1/registers/zones/import?filename=zones.csv", body: "code,colour\nZ-1,red\n", token: .editor, status: 422, mediaType: csv),
                Sample(method: .POST, path: "/api/v1/registers/zones/import?filename=zones.csv", body: "code,name,kind\nZ-2,x,dmz\n", token: .viewer, status: 403, mediaType: csv),
                // Vulnerability management (§2.2.3).
                Sample(method: .GET, path: "/api/v1/vulnerabilities/findings", status: 401),
                Sample(method: .GET, path: "/api/v1/vulnerabilities/findings?q=CVE-2021-44228&scope=all&sort=severity&direction=desc", token: .viewer, status: 200, keep: "finding"),
                Sample(method: .GET, path: "/api/v1/vulnerabilities/findings?severity=severe", token: .viewer, status: 400),
                Sample(method: .GET, path: "/api/v1/vulnerabilities/findings/{finding}", token: .auditor, status: 200),
                Sample(method: .GET, path: "/api/v1/vulnerabilities/findings/\(UUID())", token: .viewer, status: 404),
                Sample(method: .POST, path: "/api/v1/vulnerabilities/findings/{finding}/status", body: #"{"status": "in_progress", "note": "修正版への更新を計画中", "revision": 1}"#, token: .editor, status: 200),
                Sample(method: .POST, path: "/api/v1/vulnerabilities/findings/{finding}/status", body: #"{"status": "fixed", "revision": 1}"#, token: .editor, status: 409),
                Sample(method: .POST, path: "/api/v1/vulnerabilities/findings/{finding}/status", body: #"{"status": "accepted"}"#, token: .editor, status: 422),
                Sample(method: .POST, path: "/api/v1/vulnerabilities/findings/{finding}/status", body: #"{"status": "done"}"#, token: .editor, status: 400),
                Sample(method: .POST, path: "/api/v1/vulnerabilities/findings/{finding}/status", body: "status=fixed", token: .editor, status: 415),
                Sample(method: .POST, path: "/api/v1/vulnerabilities/findings/{finding}/status", body: #"{"status": "fixed"}"#, token: .viewer, status: 403),
                Sample(method: .POST, path: "/api/v1/vulnerabilities/findings/\(UUID())/status", body: #"{"status": "fixed"}"#, token: .editor, status: 404),
                Sample(method: .POST, path: "/api/v1/vulnerabilities/findings/{finding}/exceptions", body: #"{"reason": "ベンダー修正版の検証中", "compensating_controls": "WAF で JNDI 参照文字列を遮断", "expiry": "\#(expiry)"}"#, token: .editor, status: 201, keep: "exception"),
                Sample(method: .POST, path: "/api/v1/vulnerabilities/findings/{finding}/exceptions", body: #"{"reason": "再申請", "compensating_controls": "WAF", "expiry": "\#(expiry)"}"#, token: .editor, status: 422),
                Sample(method: .POST, path: "/api/v1/vulnerabilities/findings/{finding}/exceptions", body: #"{"reason": " ", "compensating_controls": "WAF", "expiry": "2020-01-01"}"#, token: .editor, status: 422),
                Sample(method: .POST, path: "/api/v1/vulnerabilities/findings/{finding}/exceptions", body: #"{"reason": "x"}"#, token: .editor, status: 400),
                Sample(method: .POST, path: "/api/v1/vulnerabilities/findings/\(UUID())/exceptions", body: #"{"reason": "x", "compensating_controls": "y", "expiry": "\#(expiry)"}"#, token: .editor, status: 404),
                Sample(method: .POST, path: "/api/v1/vulnerabilities/exceptions/{exception}/decision", body: #"{"decision": "approve"}"#, token: .editor, status: 403),
                Sample(method: .POST, path: "/api/v1/vulnerabilities/exceptions/{exception}/decision", body: #"{"decision": "maybe"}"#, token: .approver, status: 400),
                Sample(method: .POST, path: "/api/v1/vulnerabilities/exceptions/{exception}/decision", body: #"{"decision": "approve", "note": "経営会議で承認"}"#, token: .approver, status: 204),
                Sample(method: .POST, path: "/api/v1/vulnerabilities/exceptions/{exception}/decision", body: #"{"decision": "approve"}"#, token: .approver, status: 422),
                Sample(method: .POST, path: "/api/v1/vulnerabilities/exceptions/\(UUID())/decision", body: #"{"decision": "reject"}"#, token: .approver, status: 404),
                Sample(method: .GET, path: "/api/v1/vulnerabilities/reach?id=cve-2021-44228", token: .viewer, status: 200),
                Sample(method: .GET, path: "/api/v1/vulnerabilities/reach?id=", token: .viewer, status: 400),
                Sample(method: .GET, path: "/api/v1/vulnerabilities/metrics?months=6", token: .viewer, status: 200),
                Sample(method: .GET, path: "/api/v1/vulnerabilities/metrics?months=0", token: .viewer, status: 400),
                Sample(method: .POST, path: "/api/v1/vulnerabilities/feeds?filename=kev.json", body: #"{"catalogVersion": "2026.11.01", "vulnerabilities": [{"cveID": "CVE-2021-44228", "dateAdded": "2021-12-10"}]}"#, token: .editor, status: 200),
                Sample(method: .POST, path: "/api/v1/vulnerabilities/feeds?filename=notes.txt", body: "メモ", token: .editor, status: 422, mediaType: .binary),
                Sample(method: .POST, path: "/api/v1/vulnerabilities/feeds?filename=kev.json", body: #"{"vulnerabilities": []}"#, token: .viewer, status: 403),
                Sample(method: .GET, path: "/api/v1/vulnerabilities/policy", token: .viewer, status: 200),
                Sample(method: .PUT, path: "/api/v1/vulnerabilities/policy", body: policy, token: .approver, status: 200),
                Sample(method: .PUT, path: "/api/v1/vulnerabilities/policy", body: policy.replacingOccurrences(of: #""critical": {"high": 7"#, with: #""critical": {"high": 20"#), token: .approver, status: 422),
                Sample(method: .PUT, path: "/api/v1/vulnerabilities/policy", body: #"{"days": {}}"#, token: .approver, status: 400),
                Sample(method: .PUT, path: "/api/v1/vulnerabilities/policy", body: "days=7", token: .approver, status: 415),
                Sample(method: .PUT, path: "/api/v1/vulnerabilities/policy", body: policy, token: .editor, status: 403),
            ]
        }

        /// The documented path template a concrete path belongs to ("/api/v1/assessments/2026" → "/api/v1/assessments/{year}").
        /// Like the router, a constant segment wins over a parameter ("/api/v1/registers/systems/export" is the export, not
        /// a record).
        func template(for path: String) -> String? {
            let parts = path.split(separator: "?").first!.split(separator: "/")
            let paths = document["paths"] as! [String: Any]
            let matching = paths.keys.filter { candidate in
                let pattern = candidate.split(separator: "/")
                return pattern.count == parts.count && zip(pattern, parts).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
            }
            func constants(_ template: String) -> [Bool] { template.split(separator: "/").map { !$0.hasPrefix("{") } }
            return matching.max { lhs, rhs in
                zip(constants(lhs), constants(rhs)).first { $0 != $1 }.map { !$0.0 && $0.1 } ?? false
            }
        }

        @Test func everyAnswerMatchesTheDocument() async throws {
            let validator = SchemaValidator(document: document)
            let paths = document["paths"] as! [String: [String: Any]]
            try await withDemoApp { app in
                var tokens: [Role: String] = [:]
                for role in OrganisationKind.institution.roles { tokens[role] = try await APITokenFixtures.make(app, role: role) }
                var kept: [String: String] = [:]
                for var sample in Self.samples {
                    let name = "\(sample.method) \(sample.path)"
                    for (key, id) in kept {
                        sample.path = sample.path.replacingOccurrences(of: "{\(key)}", with: id)
                        sample.body = sample.body?.replacingOccurrences(of: "{\(key)}", with: id)
                    }
                    try #require(!sample.path.contains("{"), "\(name): nothing kept under that name")
                    let documentedPath = try #require(self.template(for: sample.path), "\(name) is not documented")
                    let operation = try #require(paths[documentedPath]?[sample.method.rawValue.lowercased()] as? [String: Any], "\(name) is not documented")
                    let responses = operation["responses"] as! [String: [String: Any]]
                    var headers = HTTPHeaders()
                    if let role = sample.token { headers.bearerAuthorization = BearerAuthorization(token: tokens[role]!) }
                    if let body = sample.body { headers.contentType = sample.mediaType ?? (body.hasPrefix("{") ? .json : .urlEncodedForm) }
                    try await app.testing().test(sample.method, sample.path, headers: headers, body: sample.body.map { ByteBuffer(string: $0) }) { response in
                        #expect(response.status.code == sample.status, "\(name): \(response.body.string.prefix(300))")
                        if let keep = sample.keep {
                            let answer = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                            let id = answer?["id"] ?? (answer?["data"] as? [[String: Any]])?.first?["id"]
                            kept[keep] = try #require(id as? String, "\(name): no id to keep")
                        }
                        let documented = try #require(responses[String(response.status.code)], "\(name): status \(response.status.code) is not documented")
                        guard let content = documented["content"] as? [String: [String: Any]] else {
                            #expect(response.body.readableBytes == 0, "\(name): \(response.status.code) documents no body")
                            return
                        }
                        let mediaType = response.headers.contentType.map { "\($0.type)/\($0.subType)" } ?? ""
                        let schema = try #require(content[mediaType]?["schema"] as? [String: Any], "\(name): \(mediaType) is not documented")
                        guard mediaType.hasSuffix("json") else { return }
                        let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body), options: [.fragmentsAllowed])
                        let problems = validator.validate(body, against: schema)
                        #expect(problems.isEmpty, "\(name): \(problems.prefix(5))")
                    }
                }
            }
        }

        @Test func validatorCatchesWhatTheDocumentDoesNotSay() {
            let validator = SchemaValidator(document: document)
            let item = ["$ref": "#/components/schemas/PageMeta"]
            #expect(validator.validate(["page": 1, "per_page": 50, "total": 3, "total_pages": 1], against: item).isEmpty)
            #expect(validator.validate(["page": 1, "per_page": 50, "total": 3], against: item) == ["$: missing required total_pages"])
            #expect(validator.validate(["page": "1", "per_page": 50, "total": 3, "total_pages": 1], against: item) == ["$.page: expected integer, got string"])
            #expect(validator.validate(["page": 1, "per_page": 50, "total": 3, "total_pages": 1, "extra": true], against: item) == ["$.extra: not in the document"])
            #expect(validator.validate(["page": 0, "per_page": 50, "total": 3, "total_pages": 1], against: item) == ["$.page: below minimum 1.0"])
        }

        @Test func everyDocumentedOperationHasASample() {
            let sampled = Set(Self.samples.compactMap { sample in template(for: sample.path).map { "\(sample.method.rawValue) \($0)" } })
            #expect(sampled == documentedOperations)
        }
    }
}
