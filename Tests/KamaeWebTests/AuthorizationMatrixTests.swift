import Fluent
import Foundation
import KamaeCore
import KamaeVulnerabilities
@testable import KamaeWeb
import SQLKit
import Testing
import Vapor
import VaporTesting

extension WebTests {
    /// Every route, as every role of the demo bank, as a person of another institution and as nobody: the exact
    /// outcome each gets, and proof that nothing of the demo bank is read or changed from outside.
    @Suite struct AuthorizationMatrixTests {
        /// Who may call a route.
        enum Rule: Sendable {
            case everyone
            case signedIn
            case activity(Activity)
            case workflow(WorkflowAction)
        }

        /// What a route needs to find in the demo bank.
        struct Fixture: Sendable {
            var year: Int
            var lastYear: Int
            var evidenceID: UUID
            var remediationID: UUID
            var tokenID: UUID
            /// A non-admin person of the demo bank an API token can be issued for.
            var viewerID: UUID
            /// A person with a second factor to reset.
            var approverID: UUID
            /// The stored revision of 2.1.1-B1, which a save must name.
            var revision: Int
            /// The current year's answers as exported: an import that is valid.
            var exported: [UInt8]
            /// A questionnaire the demo bank received, being answered.
            var questionnaireID: UUID
            /// A supervisor organisation (without people here) that submissions can be posted to.
            var supervisorID: UUID
            /// Register records of the demo bank: a zone to edit, a zone nothing refers to (to delete), a system with
            /// an SBOM, a finding to work on and an exception awaiting approval (asked by the editor), an evidence link.
            var zoneID: UUID
            var spareZoneID: UUID
            var systemID: UUID
            var findingID: UUID
            var exceptionID: UUID
            var evidenceLinkID: UUID
        }

        enum Body: Sendable {
            case none
            case form([String: String])
            case multipart(field: String, filename: String, bytes: [UInt8], fields: [String: String])
            case json(String)
            case raw([UInt8], HTTPMediaType)
        }

        struct Endpoint: Sendable, CustomTestStringConvertible {
            var method: HTTPMethod
            /// The route as registered (checked against the application's routes).
            var route: String
            var path: @Sendable (Fixture) -> String
            var body: @Sendable (Fixture) -> Body = { _ in .none }
            var rule: Rule
            /// Prepares the state the call needs (e.g. an assessment submitted before it can be approved).
            var setUp: (@Sendable (Application) async throws -> Void)?
            /// For a route that addresses a record of the demo bank by id: another institution gets 404.
            var addressesRecord = false
            /// Answers that also count as carried out for an allowed caller (a form refused for its content).
            var accepts: [HTTPResponseStatus] = []

            var testDescription: String { "\(method.rawValue) \(route)" }
            var isAPI: Bool { route.hasPrefix("/api/") }
        }

        static let pdf = Array("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)
        static let sbom = Array(#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"type":"library","bom-ref":"lp","name":"left-pad","version":"1.3.0","purl":"pkg:npm/left-pad@1.3.0"}]}"#.utf8)

        static let endpoints: [Endpoint] = [
            Endpoint(method: .GET, route: "/", path: { _ in "/" }, rule: .everyone),
            Endpoint(method: .GET, route: "/health", path: { _ in "/health" }, rule: .everyone),
            Endpoint(method: .GET, route: "/assets/:name", path: { _ in "/assets/kamae.css" }, rule: .everyone),
            Endpoint(method: .GET, route: "/language/:code", path: { _ in "/language/en?return=/" }, rule: .everyone),
            Endpoint(method: .GET, route: "/login", path: { _ in "/login" }, rule: .everyone),
            Endpoint(method: .POST, route: "/login", path: { _ in "/login" }, body: { _ in .form(["login": "demo-viewer", "password": DemoData.password]) }, rule: .everyone),
            Endpoint(method: .GET, route: "/catalog", path: { _ in "/catalog" }, rule: .everyone),
            Endpoint(method: .GET, route: "/catalog/items/:id", path: { _ in "/catalog/items/2.1.1-B1" }, rule: .everyone),
            Endpoint(method: .GET, route: "/api/openapi.json", path: { _ in "/api/openapi.json" }, rule: .everyone),
            Endpoint(method: .GET, route: "/api/v1/catalog", path: { _ in "/api/v1/catalog" }, rule: .everyone),
            Endpoint(method: .GET, route: "/api/v1/catalog/sections", path: { _ in "/api/v1/catalog/sections" }, rule: .everyone),
            Endpoint(method: .GET, route: "/api/v1/catalog/items", path: { _ in "/api/v1/catalog/items" }, rule: .everyone),
            Endpoint(method: .GET, route: "/api/v1/catalog/items/:id", path: { _ in "/api/v1/catalog/items/2.1.1-B1" }, rule: .everyone),
            Endpoint(method: .GET, route: "/api/v1/institution-types", path: { _ in "/api/v1/institution-types" }, rule: .everyone),

            Endpoint(method: .GET, route: "/account/password", path: { _ in "/account/password" }, rule: .signedIn),
            Endpoint(method: .GET, route: "/account/mfa", path: { _ in "/account/mfa" }, rule: .signedIn),
            Endpoint(method: .POST, route: "/account/mfa/enable", path: { _ in "/account/mfa/enable" }, body: { _ in .form(["code": "000000"]) }, rule: .signedIn, accepts: [.unprocessableEntity]),
            Endpoint(method: .POST, route: "/account/mfa/recovery-codes", path: { _ in "/account/mfa/recovery-codes" }, rule: .signedIn),
            Endpoint(method: .POST, route: "/account/sessions/end-others", path: { _ in "/account/sessions/end-others" }, rule: .signedIn),
            // Only for a sign-in half-way through its second factor; everyone else is sent back to /login.
            Endpoint(method: .GET, route: "/login/mfa", path: { _ in "/login/mfa" }, rule: .everyone),
            Endpoint(method: .POST, route: "/login/mfa", path: { _ in "/login/mfa" }, body: { _ in .form(["code": "000000"]) }, rule: .signedIn),
            Endpoint(method: .GET, route: "/account/tokens", path: { _ in "/account/tokens" }, rule: .activity(.issueAPITokens)),
            Endpoint(method: .POST, route: "/account/tokens", path: { _ in "/account/tokens" }, body: { .form(["name": "matrix", "user": $0.viewerID.uuidString, "days": "30"]) }, rule: .activity(.issueAPITokens)),
            Endpoint(method: .POST, route: "/account/tokens/:id/revoke", path: { "/account/tokens/\($0.tokenID)/revoke" }, rule: .activity(.issueAPITokens), addressesRecord: true),

            Endpoint(method: .GET, route: "/assessments", path: { _ in "/assessments" }, rule: .activity(.readAssessment)),
            Endpoint(method: .POST, route: "/assessments", path: { _ in "/assessments" }, body: { .form(["year": String($0.year + 1)]) }, rule: .activity(.createAssessment)),
            Endpoint(method: .GET, route: "/assessments/:year", path: { "/assessments/\($0.year)" }, rule: .activity(.readAssessment), addressesRecord: true),
            Endpoint(method: .GET, route: "/assessments/:year/items/:item", path: { "/assessments/\($0.year)/items/2.1.1-B1" }, rule: .activity(.readAssessment), addressesRecord: true),
            Endpoint(
                method: .POST, route: "/assessments/:year/items/:item", path: { "/assessments/\($0.year)/items/2.1.1-B1" },
                body: { .form(["status": "partial", "maturity": "2", "evidence_text": "matrix", "revision": String($0.revision)]) }, rule: .activity(.editAnswers), addressesRecord: true
            ),
            Endpoint(
                method: .POST, route: "/assessments/:year/items/:item/comments", path: { "/assessments/\($0.year)/items/2.1.1-B1/comments" },
                body: { _ in .form(["body": "matrix comment"]) }, rule: .activity(.comment), addressesRecord: true
            ),
            Endpoint(
                method: .POST, route: "/assessments/:year/workflow", path: { "/assessments/\($0.year)/workflow" },
                body: { _ in .form(["action": "submit"]) }, rule: .workflow(.submit), addressesRecord: true
            ),
            Endpoint(
                method: .POST, route: "/assessments/:year/workflow", path: { "/assessments/\($0.year)/workflow" },
                body: { _ in .form(["action": "approve"]) }, rule: .workflow(.approve), setUp: submitCurrentYear, addressesRecord: true
            ),
            Endpoint(
                method: .POST, route: "/assessments/:year/workflow", path: { "/assessments/\($0.year)/workflow" },
                body: { _ in .form(["action": "return", "reason": "根拠が不足"]) }, rule: .workflow(.returnForRevision), setUp: submitCurrentYear, addressesRecord: true
            ),
            Endpoint(
                method: .POST, route: "/assessments/:year/workflow", path: { "/assessments/\($0.lastYear)/workflow" },
                body: { _ in .form(["action": "reopen", "reason": "監査指摘の反映"]) }, rule: .workflow(.reopen), addressesRecord: true
            ),
            Endpoint(method: .GET, route: "/assessments/:year/gaps", path: { "/assessments/\($0.year)/gaps" }, rule: .activity(.readAssessment), addressesRecord: true),
            Endpoint(method: .GET, route: "/assessments/:year/print", path: { "/assessments/\($0.year)/print" }, rule: .activity(.readAssessment), addressesRecord: true),
            Endpoint(method: .GET, route: "/assessments/:year/export/:format", path: { "/assessments/\($0.year)/export/xlsx" }, rule: .activity(.export), addressesRecord: true),
            Endpoint(
                method: .POST, route: "/assessments/:year/import", path: { "/assessments/\($0.year)/import" },
                body: { .multipart(field: "file", filename: "answers.json", bytes: $0.exported, fields: [:]) },
                rule: .activity(.importAnswers), addressesRecord: true
            ),
            Endpoint(
                method: .POST, route: "/assessments/:year/items/:item/evidence", path: { "/assessments/\($0.year)/items/2.1.1-B1/evidence" },
                body: { _ in .multipart(field: "file", filename: "規程.pdf", bytes: pdf, fields: ["effective_date": "2026-04-01"]) },
                rule: .activity(.editAnswers), addressesRecord: true
            ),
            Endpoint(method: .GET, route: "/assessments/:year/evidence/:id", path: { "/assessments/\($0.year)/evidence/\($0.evidenceID)" }, rule: .activity(.readAssessment), addressesRecord: true),
            Endpoint(method: .POST, route: "/assessments/:year/evidence/:id/delete", path: { "/assessments/\($0.year)/evidence/\($0.evidenceID)/delete" }, rule: .activity(.editAnswers), addressesRecord: true),

            Endpoint(method: .GET, route: "/admin/users", path: { _ in "/admin/users" }, rule: .activity(.manageUsers)),
            Endpoint(
                method: .POST, route: "/admin/users", path: { _ in "/admin/users" },
                body: { _ in .form(["login": "matrix-\(UUID().uuidString.prefix(8))", "name": "行列 太郎", "role": "viewer", "password": "correct horse battery 2026"]) }, rule: .activity(.manageUsers)
            ),
            Endpoint(method: .POST, route: "/admin/users/:id/role", path: { "/admin/users/\($0.viewerID)/role" }, body: { _ in .form(["role": "auditor"]) }, rule: .activity(.manageUsers), addressesRecord: true),
            Endpoint(method: .POST, route: "/admin/users/:id/unlock", path: { "/admin/users/\($0.viewerID)/unlock" }, rule: .activity(.manageUsers), addressesRecord: true),
            Endpoint(method: .POST, route: "/admin/users/:id/reset-mfa", path: { "/admin/users/\($0.approverID)/reset-mfa" }, rule: .activity(.manageUsers), addressesRecord: true),
            Endpoint(method: .GET, route: "/audit", path: { _ in "/audit?action=session" }, rule: .activity(.readAuditTrail)),
            Endpoint(method: .GET, route: "/audit/export.csv", path: { _ in "/audit/export.csv" }, rule: .activity(.readAuditTrail)),
            Endpoint(method: .GET, route: "/remediation", path: { _ in "/remediation" }, rule: .activity(.readAssessment)),
            Endpoint(
                method: .POST, route: "/remediation", path: { _ in "/remediation" },
                body: { _ in .form(["title": "matrix", "owner": "情報システム部", "due_date": "2027-03-31", "status": "open", "items": "2.1.1-B1"]) },
                rule: .activity(.manageRemediation)
            ),
            Endpoint(
                method: .POST, route: "/remediation/:id", path: { "/remediation/\($0.remediationID)" }, body: { _ in .form(["status": "done"]) },
                rule: .activity(.manageRemediation), addressesRecord: true
            ),

            Endpoint(method: .GET, route: "/api/v1/assessments", path: { _ in "/api/v1/assessments" }, rule: .activity(.readAssessment)),
            Endpoint(method: .POST, route: "/api/v1/assessments", path: { _ in "/api/v1/assessments" }, body: { .json(#"{"fiscal_year":\#($0.year + 1)}"#) }, rule: .activity(.createAssessment)),
            Endpoint(method: .GET, route: "/api/v1/assessments/:year", path: { "/api/v1/assessments/\($0.year)" }, rule: .activity(.readAssessment), addressesRecord: true),
            Endpoint(method: .GET, route: "/api/v1/assessments/:year/answers", path: { "/api/v1/assessments/\($0.year)/answers" }, rule: .activity(.readAssessment), addressesRecord: true),
            Endpoint(
                method: .PUT, route: "/api/v1/assessments/:year/answers/:item_id", path: { "/api/v1/assessments/\($0.year)/answers/2.1.1-B1" },
                body: { .json(#"{"status":"partial","maturity":2,"revision":\#($0.revision)}"#) }, rule: .activity(.editAnswers), addressesRecord: true
            ),
            Endpoint(
                method: .POST, route: "/api/v1/assessments/:year/workflow", path: { "/api/v1/assessments/\($0.year)/workflow" },
                body: { _ in .json(#"{"action":"submit"}"#) }, rule: .workflow(.submit), addressesRecord: true
            ),
            Endpoint(
                method: .POST, route: "/api/v1/assessments/:year/workflow", path: { "/api/v1/assessments/\($0.year)/workflow" },
                body: { _ in .json(#"{"action":"approve"}"#) }, rule: .workflow(.approve), setUp: submitCurrentYear, addressesRecord: true
            ),
            Endpoint(method: .GET, route: "/api/v1/assessments/:year/items/:item_id", path: { "/api/v1/assessments/\($0.year)/items/2.1.1-B1" }, rule: .activity(.readAssessment), addressesRecord: true),
            Endpoint(
                method: .POST, route: "/api/v1/assessments/:year/items/:item_id/comments", path: { "/api/v1/assessments/\($0.year)/items/2.1.1-B1/comments" },
                body: { _ in .json(#"{"body":"matrix"}"#) }, rule: .activity(.comment), addressesRecord: true
            ),
            Endpoint(
                method: .POST, route: "/api/v1/assessments/:year/items/:item_id/evidence", path: { "/api/v1/assessments/\($0.year)/items/2.1.1-B1/evidence?filename=rule.pdf" },
                body: { _ in .raw(pdf, .binary) }, rule: .activity(.editAnswers), addressesRecord: true
            ),
            Endpoint(method: .GET, route: "/api/v1/assessments/:year/evidence/:id", path: { "/api/v1/assessments/\($0.year)/evidence/\($0.evidenceID)" }, rule: .activity(.readAssessment), addressesRecord: true),
            Endpoint(method: .DELETE, route: "/api/v1/assessments/:year/evidence/:id", path: { "/api/v1/assessments/\($0.year)/evidence/\($0.evidenceID)" }, rule: .activity(.editAnswers), addressesRecord: true),
            Endpoint(
                method: .POST, route: "/api/v1/assessments/:year/import", path: { "/api/v1/assessments/\($0.year)/import" },
                body: { .raw($0.exported, .json) }, rule: .activity(.importAnswers), addressesRecord: true
            ),
            Endpoint(method: .GET, route: "/api/v1/remediation", path: { _ in "/api/v1/remediation" }, rule: .activity(.readAssessment)),
            Endpoint(
                method: .POST, route: "/api/v1/remediation", path: { _ in "/api/v1/remediation" },
                body: { _ in .json(#"{"title":"matrix","owner":"情報システム部","due_date":"2027-03-31","item_ids":["2.1.1-B1"]}"#) }, rule: .activity(.manageRemediation)
            ),
            Endpoint(
                method: .PATCH, route: "/api/v1/remediation/:id", path: { "/api/v1/remediation/\($0.remediationID)" },
                body: { _ in .json(#"{"status":"done"}"#) }, rule: .activity(.manageRemediation), addressesRecord: true
            ),
            Endpoint(method: .GET, route: "/api/v1/assessments/:year/gaps", path: { "/api/v1/assessments/\($0.year)/gaps" }, rule: .activity(.readAssessment), addressesRecord: true),
            Endpoint(method: .GET, route: "/api/v1/assessments/:year/export/:format", path: { "/api/v1/assessments/\($0.year)/export/json" }, rule: .activity(.export), addressesRecord: true),

            Endpoint(method: .GET, route: "/registers", path: { _ in "/registers" }, rule: .activity(.readRegisters)),
            Endpoint(method: .GET, route: "/registers/:register", path: { _ in "/registers/components?q=log4j&support=within_year" }, rule: .activity(.readRegisters)),
            Endpoint(method: .GET, route: "/registers/:register/new", path: { _ in "/registers/systems/new" }, rule: .activity(.editRegisters)),
            Endpoint(
                method: .POST, route: "/registers/:register", path: { _ in "/registers/zones" },
                body: { _ in .form(["code": "Z-MATRIX", "name": "行列ゾーン", "kind": "dmz"]) }, rule: .activity(.editRegisters)
            ),
            Endpoint(method: .GET, route: "/registers/:register/export.csv", path: { _ in "/registers/systems/export.csv" }, rule: .activity(.export)),
            Endpoint(method: .GET, route: "/registers/:register/export.xlsx", path: { _ in "/registers/components/export.xlsx" }, rule: .activity(.export)),
            Endpoint(
                method: .POST, route: "/registers/:register/import", path: { _ in "/registers/zones/import" },
                body: { _ in .multipart(field: "file", filename: "zones.csv", bytes: Array("code,name,kind\nZ-IMPORT,取込ゾーン,internal\n".utf8), fields: [:]) },
                rule: .activity(.editRegisters)
            ),
            Endpoint(method: .GET, route: "/registers/:register/:id", path: { "/registers/systems/\($0.systemID)" }, rule: .activity(.readRegisters), addressesRecord: true),
            Endpoint(
                method: .POST, route: "/registers/:register/:id", path: { "/registers/zones/\($0.zoneID)" },
                body: { _ in .form(["code": "Z-INT", "name": "行内 LAN（更新）", "kind": "internal", "revision": "1"]) }, rule: .activity(.editRegisters), addressesRecord: true
            ),
            Endpoint(method: .POST, route: "/registers/:register/:id/delete", path: { "/registers/zones/\($0.spareZoneID)/delete" }, rule: .activity(.editRegisters), addressesRecord: true),
            Endpoint(method: .GET, route: "/registers/network", path: { _ in "/registers/network" }, rule: .activity(.readRegisters)),
            Endpoint(method: .GET, route: "/registers/network.svg", path: { _ in "/registers/network.svg" }, rule: .activity(.export)),
            Endpoint(
                method: .POST, route: "/registers/:register/:id/sbom", path: { "/registers/systems/\($0.systemID)/sbom" },
                body: { _ in .multipart(field: "file", filename: "bom.json", bytes: sbom, fields: [:]) }, rule: .activity(.editRegisters), addressesRecord: true
            ),
            Endpoint(method: .GET, route: "/registers/:register/:id/sbom/:version/diff", path: { "/registers/systems/\($0.systemID)/sbom/1/diff?against=1" }, rule: .activity(.readRegisters), addressesRecord: true),
            Endpoint(
                method: .POST, route: "/assessments/:year/items/:item/links", path: { "/assessments/\($0.year)/items/2.2.1.1-B1/links" },
                body: { _ in .form(["register": "systems", "code": "SYS-002"]) }, rule: .activity(.editAnswers)
            ),
            Endpoint(method: .POST, route: "/assessments/:year/items/:item/links/:id/delete", path: { "/assessments/\($0.year)/items/2.2.1.1-B1/links/\($0.evidenceLinkID)/delete" }, rule: .activity(.editAnswers), addressesRecord: true),
            Endpoint(method: .GET, route: "/vulnerabilities", path: { _ in "/vulnerabilities" }, rule: .activity(.readRegisters)),
            Endpoint(
                method: .POST, route: "/vulnerabilities/feeds", path: { _ in "/vulnerabilities/feeds" },
                body: { _ in .multipart(field: "files[]", filename: "osv.json", bytes: Array(DemoRegisters.advisory), fields: [:]) }, rule: .activity(.importFeeds)
            ),
            Endpoint(method: .GET, route: "/vulnerabilities/findings", path: { _ in "/vulnerabilities/findings?scope=all&sort=severity" }, rule: .activity(.readRegisters)),
            Endpoint(method: .GET, route: "/vulnerabilities/overdue", path: { _ in "/vulnerabilities/overdue" }, rule: .activity(.readRegisters)),
            Endpoint(method: .GET, route: "/vulnerabilities/findings/:id", path: { "/vulnerabilities/findings/\($0.findingID)" }, rule: .activity(.readRegisters), addressesRecord: true),
            Endpoint(
                method: .POST, route: "/vulnerabilities/findings/:id/status", path: { "/vulnerabilities/findings/\($0.findingID)/status" },
                body: { _ in .form(["status": "in_progress", "note": "パッチ適用を計画"]) }, rule: .activity(.manageFindings), addressesRecord: true
            ),
            Endpoint(
                method: .POST, route: "/vulnerabilities/findings/:id/exceptions", path: { "/vulnerabilities/findings/\($0.findingID)/exceptions" },
                body: { _ in .form(["reason": "ベンダー修正待ち", "compensating_controls": "WAF で JNDI 文字列を遮断", "expiry": ISODate.today().adding(days: 60).description]) },
                rule: .activity(.manageFindings), addressesRecord: true
            ),
            Endpoint(method: .GET, route: "/vulnerabilities/exceptions", path: { _ in "/vulnerabilities/exceptions?state=requested" }, rule: .activity(.readRegisters)),
            Endpoint(
                method: .POST, route: "/vulnerabilities/exceptions/:id/decision", path: { "/vulnerabilities/exceptions/\($0.exceptionID)/decision" },
                body: { _ in .form(["decision": "approve", "note": "次回定期保守まで"]) }, rule: .activity(.approveRiskAcceptance), addressesRecord: true
            ),
            Endpoint(method: .GET, route: "/vulnerabilities/systems", path: { _ in "/vulnerabilities/systems" }, rule: .activity(.readRegisters)),
            Endpoint(method: .GET, route: "/vulnerabilities/reach", path: { _ in "/vulnerabilities/reach?id=CVE-2021-44228" }, rule: .activity(.readRegisters)),
            Endpoint(method: .GET, route: "/vulnerabilities/metrics.csv", path: { _ in "/vulnerabilities/metrics.csv" }, rule: .activity(.export)),
            Endpoint(method: .GET, route: "/vulnerabilities/policy", path: { _ in "/vulnerabilities/policy" }, rule: .activity(.readRegisters)),
            Endpoint(
                method: .POST, route: "/vulnerabilities/policy", path: { _ in "/vulnerabilities/policy" },
                body: { _ in .form(["critical.high": "5", "kev_maximum_days": "5"]) }, rule: .activity(.setVulnerabilityPolicy)
            ),
            Endpoint(method: .GET, route: "/api/v1/registers/:register", path: { _ in "/api/v1/registers/systems?criticality=high" }, rule: .activity(.readRegisters)),
            Endpoint(
                method: .POST, route: "/api/v1/registers/:register", path: { _ in "/api/v1/registers/zones" },
                body: { _ in .json(#"{"code":"Z-API","name":"API ゾーン","kind":"cloud"}"#) }, rule: .activity(.editRegisters)
            ),
            Endpoint(method: .GET, route: "/api/v1/registers/:register/export", path: { _ in "/api/v1/registers/data/export?format=xlsx" }, rule: .activity(.export)),
            Endpoint(
                method: .POST, route: "/api/v1/registers/:register/import", path: { _ in "/api/v1/registers/zones/import?filename=zones.csv" },
                body: { _ in .raw(Array("code,name,kind\nZ-APIIMPORT,取込ゾーン,internal\n".utf8), .plainText) }, rule: .activity(.editRegisters)
            ),
            Endpoint(method: .GET, route: "/api/v1/registers/:register/records/:id", path: { "/api/v1/registers/systems/records/\($0.systemID)" }, rule: .activity(.readRegisters), addressesRecord: true),
            Endpoint(
                method: .PUT, route: "/api/v1/registers/:register/records/:id", path: { "/api/v1/registers/zones/records/\($0.zoneID)" },
                body: { _ in .json(#"{"code":"Z-INT","name":"行内 LAN（API）","kind":"internal"}"#) }, rule: .activity(.editRegisters), addressesRecord: true
            ),
            Endpoint(
                method: .POST, route: "/api/v1/registers/:register/records/:id/sbom", path: { "/api/v1/registers/systems/records/\($0.systemID)/sbom?filename=bom.json" },
                body: { _ in .raw(sbom, .json) }, rule: .activity(.editRegisters), addressesRecord: true
            ),
            Endpoint(method: .DELETE, route: "/api/v1/registers/:register/records/:id", path: { "/api/v1/registers/zones/records/\($0.spareZoneID)" }, rule: .activity(.editRegisters), addressesRecord: true),
            Endpoint(method: .GET, route: "/api/v1/vulnerabilities/findings", path: { _ in "/api/v1/vulnerabilities/findings?severity=critical" }, rule: .activity(.readRegisters)),
            Endpoint(method: .GET, route: "/api/v1/vulnerabilities/findings/:id", path: { "/api/v1/vulnerabilities/findings/\($0.findingID)" }, rule: .activity(.readRegisters), addressesRecord: true),
            Endpoint(
                method: .POST, route: "/api/v1/vulnerabilities/findings/:id/status", path: { "/api/v1/vulnerabilities/findings/\($0.findingID)/status" },
                body: { _ in .json(#"{"status":"in_progress"}"#) }, rule: .activity(.manageFindings), addressesRecord: true
            ),
            Endpoint(
                method: .POST, route: "/api/v1/vulnerabilities/findings/:id/exceptions", path: { "/api/v1/vulnerabilities/findings/\($0.findingID)/exceptions" },
                body: { _ in .json(#"{"reason":"修正待ち","compensating_controls":"WAF","expiry":"\#(ISODate.today().adding(days: 30))"}"#) },
                rule: .activity(.manageFindings), addressesRecord: true
            ),
            Endpoint(
                method: .POST, route: "/api/v1/vulnerabilities/exceptions/:id/decision", path: { "/api/v1/vulnerabilities/exceptions/\($0.exceptionID)/decision" },
                body: { _ in .json(#"{"decision":"reject","note":"代替策が不十分"}"#) }, rule: .activity(.approveRiskAcceptance), addressesRecord: true
            ),
            Endpoint(method: .GET, route: "/api/v1/vulnerabilities/reach", path: { _ in "/api/v1/vulnerabilities/reach?id=CVE-2021-44228" }, rule: .activity(.readRegisters)),
            Endpoint(method: .GET, route: "/api/v1/vulnerabilities/metrics", path: { _ in "/api/v1/vulnerabilities/metrics?months=6" }, rule: .activity(.readRegisters)),
            Endpoint(
                method: .POST, route: "/api/v1/vulnerabilities/feeds", path: { _ in "/api/v1/vulnerabilities/feeds?filename=osv.json" },
                body: { _ in .raw(Array(DemoRegisters.advisory), .json) }, rule: .activity(.importFeeds)
            ),
            Endpoint(method: .GET, route: "/api/v1/vulnerabilities/policy", path: { _ in "/api/v1/vulnerabilities/policy" }, rule: .activity(.readRegisters)),
            Endpoint(
                method: .PUT, route: "/api/v1/vulnerabilities/policy", path: { _ in "/api/v1/vulnerabilities/policy" },
                body: { _ in .json(#"{"days":{"critical":{"high":5,"medium":14,"low":30},"high":{"high":14,"medium":30,"low":60},"medium":{"high":30,"medium":90,"low":180},"low":{"high":90,"medium":180,"low":365},"unknown":{"high":14,"medium":30,"low":60}},"kev_maximum_days":7,"epss_threshold":0.1,"epss_maximum_days":14}"#) },
                rule: .activity(.setVulnerabilityPolicy)
            ),

            Endpoint(method: .GET, route: "/submission", path: { _ in "/submission" }, rule: .activity(.readAssessment)),
            Endpoint(method: .POST, route: "/submission/key/rotate", path: { _ in "/submission/key/rotate" }, rule: .activity(.manageUsers)),
            Endpoint(method: .POST, route: "/submission/:year", path: { "/submission/\($0.lastYear)" }, rule: .activity(.submitToSupervisor), addressesRecord: true),
            Endpoint(
                method: .POST, route: "/feedback", path: { _ in "/feedback" },
                body: { _ in .multipart(field: "file", filename: "feedback.json", bytes: Array(#"{"format":"other"}"#.utf8), fields: [:]) },
                rule: .activity(.submitToSupervisor), accepts: [.unprocessableEntity]
            ),
            Endpoint(method: .GET, route: "/feedback/:year", path: { "/feedback/\($0.lastYear)" }, rule: .activity(.readAssessment), addressesRecord: true),
            Endpoint(method: .GET, route: "/supervision", path: { _ in "/supervision" }, rule: .activity(.supervise)),
            Endpoint(method: .POST, route: "/supervision/rounds", path: { _ in "/supervision/rounds" }, body: { _ in .form(["year": "2026", "deadline": "2027-06-30"]) }, rule: .activity(.supervise)),
            Endpoint(method: .GET, route: "/supervision/institutions", path: { _ in "/supervision/institutions" }, rule: .activity(.supervise)),
            Endpoint(method: .GET, route: "/supervision/reminders.csv", path: { _ in "/supervision/reminders.csv" }, rule: .activity(.supervise)),
            Endpoint(
                method: .POST, route: "/supervision/institutions", path: { _ in "/supervision/institutions" },
                body: { _ in .form(["institution_id": UUID().uuidString, "name": "行列信用金庫", "type": "shinkin-banks", "size": "small", "region": "tohoku"]) }, rule: .activity(.supervise)
            ),
            Endpoint(
                method: .POST, route: "/supervision/submissions", path: { _ in "/supervision/submissions" },
                body: { _ in .multipart(field: "files[]", filename: "s.json", bytes: Array("{}".utf8), fields: [:]) }, rule: .activity(.supervise), accepts: [.unprocessableEntity]
            ),
            Endpoint(method: .GET, route: "/supervision/analysis", path: { _ in "/supervision/analysis" }, rule: .activity(.supervise)),
            Endpoint(method: .GET, route: "/supervision/analysis.csv", path: { _ in "/supervision/analysis.csv?table=sections" }, rule: .activity(.supervise)),
            Endpoint(method: .GET, route: "/supervision/analysis.xlsx", path: { _ in "/supervision/analysis.xlsx" }, rule: .activity(.supervise)),
            Endpoint(method: .GET, route: "/supervision/feedback/:institution", path: { _ in "/supervision/feedback/\(UUID())" }, rule: .activity(.supervise), accepts: [.notFound]),
            Endpoint(method: .GET, route: "/supervision/questionnaires", path: { _ in "/supervision/questionnaires" }, rule: .activity(.supervise)),
            Endpoint(method: .GET, route: "/supervision/questionnaires/new", path: { _ in "/supervision/questionnaires/new" }, rule: .activity(.supervise)),
            Endpoint(
                method: .POST, route: "/supervision/questionnaires", path: { _ in "/supervision/questionnaires" },
                body: { _ in .form(["code": "matrix", "title_ja": "行列調査", "fiscal_year": "2026", "deadline": "2027-03-31", "q1_ja": "質問", "q1_kind": "single", "q1_options": "はい\nいいえ", "q1_required": "1"]) },
                rule: .activity(.supervise)
            ),
            Endpoint(method: .GET, route: "/supervision/questionnaires/:id", path: { _ in "/supervision/questionnaires/\(UUID())" }, rule: .activity(.supervise)),
            Endpoint(method: .POST, route: "/supervision/questionnaires/:id", path: { _ in "/supervision/questionnaires/\(UUID())" }, body: { _ in .form(["title_ja": "x"]) }, rule: .activity(.supervise)),
            Endpoint(method: .POST, route: "/supervision/questionnaires/:id/publish", path: { _ in "/supervision/questionnaires/\(UUID())/publish" }, rule: .activity(.supervise)),
            Endpoint(method: .POST, route: "/supervision/questionnaires/:id/version", path: { _ in "/supervision/questionnaires/\(UUID())/version" }, rule: .activity(.supervise)),
            Endpoint(method: .GET, route: "/supervision/questionnaires/:id/distribution.json", path: { _ in "/supervision/questionnaires/\(UUID())/distribution.json" }, rule: .activity(.supervise)),
            Endpoint(method: .GET, route: "/supervision/questionnaires/:id/results.csv", path: { _ in "/supervision/questionnaires/\(UUID())/results.csv" }, rule: .activity(.supervise)),
            Endpoint(
                method: .POST, route: "/questionnaires/import", path: { _ in "/questionnaires/import" },
                body: { _ in .multipart(field: "file", filename: "q.json", bytes: Array("{}".utf8), fields: [:]) }, rule: .activity(.submitToSupervisor), accepts: [.unprocessableEntity]
            ),
            Endpoint(method: .GET, route: "/questionnaires/:id", path: { "/questionnaires/\($0.questionnaireID)" }, rule: .activity(.readAssessment), addressesRecord: true),
            Endpoint(method: .POST, route: "/questionnaires/:id", path: { "/questionnaires/\($0.questionnaireID)" }, body: { _ in .form(["q1": "a"]) }, rule: .activity(.editAnswers), addressesRecord: true),
            Endpoint(
                method: .POST, route: "/questionnaires/:id/workflow", path: { "/questionnaires/\($0.questionnaireID)/workflow" },
                body: { _ in .form(["action": "submit"]) }, rule: .workflow(.submit), addressesRecord: true, accepts: [.unprocessableEntity]
            ),
            Endpoint(method: .POST, route: "/questionnaires/:id/response", path: { "/questionnaires/\($0.questionnaireID)/response" }, rule: .activity(.submitToSupervisor), addressesRecord: true, accepts: [.conflict]),
            // The signature is the credential: an unregistered key is refused for everyone alike.
            Endpoint(method: .POST, route: "/api/v1/supervision/:supervisor/submissions", path: { "/api/v1/supervision/\($0.supervisorID)/submissions" }, body: { _ in .raw(Array("{}".utf8), .json) }, rule: .everyone, accepts: [.unprocessableEntity]),
            Endpoint(method: .POST, route: "/supervision/keys/:key/retire", path: { _ in "/supervision/keys/\(String(repeating: "ab", count: 32))/retire" }, rule: .activity(.supervise)),

            // Signing out ends the caller's own session only; it is last so that the others run signed in.
            Endpoint(method: .POST, route: "/account/password", path: { _ in "/account/password" }, body: { _ in .form(["current": "wrong", "new": "x", "confirm": "x"]) }, rule: .signedIn, accepts: [.unprocessableEntity]),
            Endpoint(method: .POST, route: "/logout", path: { _ in "/logout" }, rule: .signedIn),
        ]

        /// The caller of one request.
        enum Caller: Sendable, CustomStringConvertible {
            case nobody
            case demo(Role)
            case outsider

            var description: String {
                switch self {
                case .nobody: "nobody"
                case let .demo(role): "demo-\(role.rawValue)"
                case .outsider: "another institution's admin/editor"
                }
            }
        }

        @Test func everyRouteIsInTheMatrix() async throws {
            try await withKamaeApp { app in
                let served = Set(app.routes.all.map { route in
                    "\(route.method.rawValue) /" + route.path.map { "\($0)" }.joined(separator: "/")
                })
                let listed = Set(Self.endpoints.map { "\($0.method.rawValue) \($0.route)" })
                #expect(served.subtracting(listed).isEmpty, "routes without an expected outcome per role: \(served.subtracting(listed).sorted())")
                #expect(listed.subtracting(served).isEmpty, "matrix rows for routes that do not exist: \(listed.subtracting(served).sorted())")
            }
        }

        @Test(arguments: endpoints)
        func everyCallerGetsExactlyWhatTheRulesSay(_ endpoint: Endpoint) async throws {
            try await withDemoApp { app in
                let fixture = try await Self.fixture(app)
                try await endpoint.setUp?(app)
                let outsiders = try await Self.outsiders(app, api: endpoint.isAPI)
                // API tokens exist for every role but administrators (an approver issues their own).
                let bankRoles = OrganisationKind.institution.roles
                let roles = endpoint.isAPI ? bankRoles.filter { $0 != .admin } : bankRoles
                var credentials: [Role: Credential] = [:]
                for role in roles { credentials[role] = try await Self.credential(app, role: role, api: endpoint.isAPI) }

                // From outside and by the roles that may not: nothing of the demo bank changes or shows.
                let before = try await Self.snapshot(app)
                let anonymous = try await Self.call(endpoint, fixture: fixture, app: app, as: nil)
                switch endpoint.rule {
                case .everyone:
                    #expect(anonymous.status.code < 400 || endpoint.accepts.contains(anonymous.status), "nobody: \(anonymous.status)")
                default:
                    if endpoint.isAPI || endpoint.method != .GET {
                        #expect(anonymous.status == .unauthorized, "nobody: \(anonymous.status)")
                    } else {
                        #expect(anonymous.status == .seeOther && anonymous.headers.first(name: .location)?.hasPrefix("/login") == true, "nobody: \(anonymous.status)")
                    }
                }
                for (role, credential) in outsiders {
                    let response = try await Self.call(endpoint, fixture: fixture, app: app, as: credential)
                    #expect(!response.body.string.contains(DemoData.institutionName), "another institution's \(role.rawValue) read the demo bank through \(endpoint)")
                    if endpoint.addressesRecord {
                        // Refused for the role first; where the role could, the demo bank's record does not exist for them.
                        #expect(response.status == (Self.allows(role, endpoint.rule) ? .notFound : .forbidden), "another institution's \(role.rawValue): \(response.status)")
                    }
                }
                let allowed = roles.filter { Self.allows($0, endpoint.rule) }
                for role in roles where !allowed.contains(role) {
                    let response = try await Self.call(endpoint, fixture: fixture, app: app, as: credentials[role])
                    #expect(response.status == .forbidden, "demo-\(role.rawValue): \(response.status)")
                }
                if endpoint.method != .GET {
                    #expect(try await Self.snapshot(app) == before, "\(endpoint) changed the demo bank for someone not allowed to")
                }

                // The roles that may: the request is carried out (a write once, by the first of them).
                for role in allowed {
                    let response = try await Self.call(endpoint, fixture: fixture, app: app, as: credentials[role])
                    #expect((200..<400).contains(response.status.code) || endpoint.accepts.contains(response.status),
                            "demo-\(role.rawValue): \(response.status) \(response.body.string.prefix(300))")
                    if endpoint.method != .GET, endpoint.route != "/logout", endpoint.route != "/account/password" { break }
                }
            }
        }

        static func allows(_ role: Role, _ rule: Rule) -> Bool {
            switch rule {
            case .everyone, .signedIn: true
            case let .activity(activity): Authorization.allows(role, activity)
            case let .workflow(action): Authorization.allows(role, workflow: action)
            }
        }

        /// A browser session (cookie + CSRF token) or an API token.
        enum Credential {
            case session(Visitor)
            case token(String)
        }

        static func credential(_ app: Application, role: Role, api: Bool) async throws -> Credential {
            api ? .token(try await APITokenFixtures.make(app, role: role)) : .session(try await Visitor.signIn(app, as: "demo-\(role.rawValue)"))
        }

        /// Another institution (without assessments): its admin and editor, signed in or (for the API) its editor's token.
        static func outsiders(_ app: Application, api: Bool) async throws -> [(Role, Credential)] {
            let other = InstitutionRecord(name: "他行", institutionType: "shinkin-banks", sizeBand: "small", createdAt: Date())
            try await other.create(on: app.db)
            var credentials: [(Role, Credential)] = []
            for role in [Role.admin, .editor] {
                let user = UserRecord(
                    institutionID: try other.requireID(), login: "other-\(role.rawValue)", displayName: "他行 \(role.rawValue)", role: role.rawValue,
                    passwordHash: try app.password.hash("other-password-123"), createdAt: Date()
                )
                if Authorization.requiresSecondFactor(role) { user.mfaSecret = try app.sealedSecrets.seal(DemoData.mfaSecret, purpose: SecondFactorController.purpose) }
                try await user.create(on: app.db)
                if !api {
                    credentials.append((role, .session(try await Visitor.signIn(app, as: "other-\(role.rawValue)", password: "other-password-123"))))
                } else if role == .editor {
                    let token = APITokens.prefix + Sessions.randomToken()
                    let record = APITokenRecord()
                    record.institutionID = try other.requireID()
                    record.userID = try user.requireID()
                    record.createdBy = try user.requireID()
                    record.name = "outsider"
                    record.tokenHash = Sessions.hash(token)
                    record.createdAt = Date()
                    record.expiresAt = Date().addingTimeInterval(86400)
                    try await record.create(on: app.db)
                    credentials.append((role, .token(token)))
                }
            }
            return credentials
        }

        static func fixture(_ app: Application) async throws -> Fixture {
            let institution = try await institutionID(app)
            let year = FiscalYear.current()
            let assessment = try await AssessmentStore.load(institutionID: institution, year: year, on: app.db)
            let editor = try #require(try await UserRecord.query(on: app.db).filter(\.$login == "demo-editor").first())
            let evidence = EvidenceFileRecord()
            evidence.assessmentID = assessment.id
            evidence.itemID = "2.1.1-B1"
            evidence.filename = "規程.pdf"
            evidence.contentType = "application/pdf"
            evidence.size = pdf.count
            evidence.sha256 = "00"
            evidence.effectiveDate = "2026-04-01"
            evidence.uploadedBy = try editor.requireID()
            evidence.uploadedAt = Date()
            evidence.content = Data(pdf)
            try await evidence.create(on: app.db)
            let action = try #require(try await RemediationActionRecord.query(on: app.db).filter(\.$institutionID == institution).first())
            _ = try await APITokenFixtures.make(app, role: .viewer)
            let token = try #require(try await APITokenRecord.query(on: app.db).filter(\.$institutionID == institution).first())
            let viewer = try #require(try await UserRecord.query(on: app.db).filter(\.$login == "demo-viewer").first())
            let approver = try #require(try await UserRecord.query(on: app.db).filter(\.$login == "demo-approver").first())
            try await deliverDemoFeedback(app, year: year - 1)
            let questionnaireID = try await receiveDemoQuestionnaire(app)
            let supervisor = InstitutionRecord(name: "行列監督当局", institutionType: "supervisor", sizeBand: "large", createdAt: Date(), kind: .supervisor)
            try await supervisor.create(on: app.db)
            let exported = try await Visitor.signIn(app, as: "demo-viewer").get("/assessments/\(year)/export/json")
            #expect(exported.status == .ok)
            let actor = AuditActor.cli(institutionID: institution)
            let zone = try #require(try await RegisterStore.find(.zones, code: "Z-INT", institutionID: institution, on: app.db))
            let spare = try await RegisterStore.save(.zones, raw: ["code": "Z-SPARE", "name": "予備", "kind": "external"], id: nil, expectedRevision: nil,
                                                     institutionID: institution, actor: actor, on: app.db)
            let system = try #require(try await RegisterStore.find(.systems, code: "SYS-002", institutionID: institution, on: app.db))
            _ = try await SBOMUploads.upload(Data(sbom), file: "bom.json", systemID: system.id, institutionID: institution, actor: actor, on: app.db)
            let findings = try await FindingQueries.list(FindingQuery(scope: .all), institutionID: institution, on: app.db).data
            let finding = try #require(findings.first { $0.componentLabel.hasPrefix("SW-0001") })
            let other = try #require(findings.first { $0.componentLabel.hasPrefix("SW-0005") })
            let exception = try await RiskExceptions.request(
                RiskExceptionRequest(reason: "保守契約の更新待ち", compensatingControls: "外部からの到達経路なし", expiry: ISODate.today().adding(days: 90)),
                findingID: other.id, institutionID: institution, actor: AuditActor(id: try editor.requireID(), login: "demo-editor", institutionID: institution, via: .web), on: app.db
            )
            try await EvidenceLinks.add(itemID: "2.2.1.1-B1", register: .systems, code: "SYS-001", assessment: assessment, actor: actor, on: app.db)
            let link = try #require(try await EvidenceLinks.list(itemID: "2.2.1.1-B1", assessment: assessment, on: app.db).first)
            return Fixture(
                year: year, lastYear: year - 1, evidenceID: try evidence.requireID(), remediationID: try action.requireID(),
                tokenID: try token.requireID(), viewerID: try viewer.requireID(), approverID: try approver.requireID(), revision: assessment.revisions["2.1.1-B1"] ?? 0, exported: Array(exported.body.readableBytesView),
                questionnaireID: questionnaireID, supervisorID: try supervisor.requireID(),
                zoneID: zone.id, spareZoneID: spare.record.id, systemID: system.id, findingID: finding.id, exceptionID: exception, evidenceLinkID: link.id
            )
        }

        @Sendable static func submitCurrentYear(_ app: Application) async throws {
            let editor = try await Visitor.signIn(app, as: "demo-editor")
            let response = try await editor.post("/assessments/\(FiscalYear.current())/workflow", ["action": "submit"])
            #expect(response.status == .seeOther)
        }

        static func call(_ endpoint: Endpoint, fixture: Fixture, app: Application, as credential: Credential?) async throws -> TestingHTTPResponse {
            var headers = HTTPHeaders()
            var csrf: String?
            switch credential {
            case let .session(visitor)?:
                headers.replaceOrAdd(name: "Cookie", value: "\(Sessions.cookieName)=\(visitor.cookie)")
                csrf = visitor.csrf
            case let .token(token)?:
                headers.bearerAuthorization = BearerAuthorization(token: token)
            case nil:
                break
            }
            var body = ByteBuffer()
            switch endpoint.body(fixture) {
            case .none:
                if endpoint.method == .POST, !endpoint.isAPI {
                    headers.contentType = .urlEncodedForm
                    body = ByteBuffer(string: csrf.map { "_csrf=\($0)" } ?? "")
                }
            case var .form(fields):
                if let csrf { fields["_csrf"] = csrf }
                headers.contentType = .urlEncodedForm
                body = ByteBuffer(string: fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
            case let .multipart(field, filename, bytes, fields):
                let boundary = "kamae-matrix-boundary"
                var all = fields
                if let csrf { all["_csrf"] = csrf }
                var text = ""
                for (name, value) in all { text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n" }
                text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                body = ByteBuffer(data: Data(text.utf8) + Data(bytes) + Data("\r\n--\(boundary)--\r\n".utf8))
                headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            case let .json(text):
                headers.contentType = .json
                body = ByteBuffer(string: text)
            case let .raw(bytes, mediaType):
                headers.contentType = mediaType
                body = ByteBuffer(bytes: bytes)
            }
            var result: TestingHTTPResponse?
            try await app.testing().test(endpoint.method, endpoint.path(fixture), headers: headers, body: body) { result = $0 }
            return try #require(result)
        }

        /// Everything of the demo bank a request could change, as text.
        static func snapshot(_ app: Application) async throws -> String {
            let sql = app.db as! any SQLDatabase
            let institution = try await institutionID(app)
            var lines: [String] = []
            let queries: [SQLQueryString] = [
                "SELECT a.fiscal_year, a.state, a.answers_stamp FROM assessments a WHERE a.institution_id = \(bind: institution) ORDER BY a.fiscal_year",
                "SELECT n.item_id, n.revision FROM answers n JOIN assessments a ON a.id = n.assessment_id WHERE a.institution_id = \(bind: institution) ORDER BY a.fiscal_year, n.item_id",
                "SELECT COUNT(*) AS n FROM comments c JOIN assessments a ON a.id = c.assessment_id WHERE a.institution_id = \(bind: institution)",
                "SELECT COUNT(*) AS n FROM evidence_files e JOIN assessments a ON a.id = e.assessment_id WHERE a.institution_id = \(bind: institution)",
                "SELECT title, status, due_date FROM remediation_actions WHERE institution_id = \(bind: institution) ORDER BY title",
                "SELECT name, revoked_at FROM api_tokens WHERE institution_id = \(bind: institution) ORDER BY name",
                "SELECT login, role, mfa_secret, locked_until FROM users WHERE institution_id = \(bind: institution) ORDER BY login",
                "SELECT code, revision FROM register_zones WHERE institution_id = \(bind: institution) ORDER BY code",
                "SELECT code, revision FROM register_systems WHERE institution_id = \(bind: institution) ORDER BY code",
                "SELECT code, revision FROM register_components WHERE institution_id = \(bind: institution) ORDER BY code",
                "SELECT code, revision FROM register_data WHERE institution_id = \(bind: institution) ORDER BY code",
                "SELECT vulnerability_id, component_label, status, deadline, revision FROM findings WHERE institution_id = \(bind: institution) ORDER BY vulnerability_id, component_label",
                "SELECT reason, state FROM finding_exceptions WHERE institution_id = \(bind: institution) ORDER BY reason",
                "SELECT policy FROM vulnerability_policies WHERE institution_id = \(bind: institution)",
                "SELECT COUNT(*) AS n FROM evidence_links WHERE institution_id = \(bind: institution)",
                "SELECT COUNT(*) AS n FROM sbom_uploads WHERE institution_id = \(bind: institution)",
                "SELECT COUNT(*) AS n FROM advisory_feeds WHERE institution_id = \(bind: institution)",
            ]
            for query in queries {
                for row in try await sql.raw(query).all() {
                    lines.append(row.allColumns.map { cell(row, $0) }.joined(separator: "|"))
                }
            }
            return lines.joined(separator: "\n")
        }

        static func cell(_ row: any SQLRow, _ column: String) -> String {
            if (try? row.decodeNil(column: column)) == true { return "-" }
            if let text = try? row.decode(column: column, as: String.self) { return text }
            if let number = try? row.decode(column: column, as: Int.self) { return String(number) }
            if let date = try? row.decode(column: column, as: Date.self) { return "\(date.timeIntervalSince1970)" }
            return "?"
        }
    }
}
