import Fluent
import Foundation
import KamaeCore

/// The demo bank's registers: zones, systems (one an external cloud service), HW/SW with versions, purls and end of
/// support (one already out of support), data, connections and flows, and one advisory that reaches a component,
/// so that the registers, the diagram and the vulnerability pages have something to show.
enum DemoRegisters {
    static let rows: [(RegisterSchema, [[String: String]])] = [
        (.zones, [
            ["code": "Z-INT", "name": "行内 LAN", "kind": "internal"],
            ["code": "Z-DMZ", "name": "インターネット DMZ", "kind": "dmz"],
            ["code": "Z-CLOUD", "name": "パブリッククラウド", "kind": "cloud"],
            ["code": "Z-NET", "name": "インターネット", "kind": "external"],
        ]),
        (.systems, [
            ["code": "SYS-001", "name": "勘定系システム", "kind": "information_system", "owner_department": "システム部", "criticality": "high",
             "confidentiality": "high", "integrity": "high", "availability": "high", "critical_business": "true", "zone": "Z-INT"],
            ["code": "SYS-002", "name": "インターネットバンキング", "kind": "information_system", "owner_department": "デジタル推進部", "criticality": "high",
             "confidentiality": "high", "integrity": "high", "availability": "high", "critical_business": "true", "zone": "Z-DMZ"],
            ["code": "SYS-003", "name": "営業店端末管理", "kind": "information_system", "owner_department": "事務統括部", "criticality": "medium",
             "confidentiality": "medium", "integrity": "medium", "availability": "medium", "critical_business": "false", "zone": "Z-INT"],
            ["code": "SVC-001", "name": "メール・グループウェア（SaaS）", "kind": "external_service", "owner_department": "総務部", "criticality": "medium",
             "confidentiality": "high", "integrity": "medium", "availability": "medium", "critical_business": "false", "third_party": "クラウド事業者A", "zone": "Z-CLOUD"],
        ]),
        (.components, [
            ["code": "SW-0001", "system": "SYS-002", "kind": "software", "product": "log4j-core", "vendor": "Apache", "version": "2.14.1",
             "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "end_of_support": "2030-12-31"],
            ["code": "SW-0002", "system": "SYS-002", "kind": "software", "product": "nginx", "vendor": "F5", "version": "1.24.0", "end_of_support": "2027-04-30"],
            ["code": "SW-0003", "system": "SYS-003", "kind": "software", "product": "Windows Server", "vendor": "Microsoft", "version": "2012 R2",
             "end_of_support": "2023-10-10", "support_extendable": "true"],
            ["code": "HW-0001", "system": "SYS-001", "kind": "hardware", "product": "メインフレーム", "vendor": "富士通", "version": "GS21", "location": "本店データセンター"],
            ["code": "SW-0004", "system": "SYS-003", "kind": "software", "product": "フリーソフト圧縮ツール", "version": "9.0", "unapproved": "true"],
            ["code": "SW-0005", "system": "SYS-001", "kind": "software", "product": "log4j-core", "vendor": "Apache", "version": "2.12.1",
             "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.12.1", "end_of_support": "2028-03-31"],
        ]),
        (.data, [
            ["code": "D-001", "name": "顧客基本情報", "category": "customer", "confidentiality": "high", "integrity": "high", "availability": "high",
             "storage": "勘定系 DB", "systems": "SYS-001;SYS-002", "retention": "取引終了後10年"],
            ["code": "D-002", "name": "メール", "category": "internal", "confidentiality": "medium", "integrity": "medium", "availability": "medium",
             "storage": "クラウド事業者A", "systems": "SVC-001", "retention": "5年"],
        ]),
        (.connections, [
            ["code": "C-001", "from_zone": "Z-NET", "to_zone": "Z-DMZ", "kind": "internet", "protocol": "HTTPS (WAF 経由)"],
            ["code": "C-002", "from_zone": "Z-DMZ", "to_zone": "Z-INT", "kind": "internal", "protocol": "ファイアウォール"],
            ["code": "C-003", "from_zone": "Z-INT", "to_zone": "Z-CLOUD", "kind": "vpn", "protocol": "IPsec VPN"],
        ]),
        (.flows, [
            ["code": "F-001", "from_system": "SYS-002", "to_system": "SYS-001", "data": "D-001", "protocol": "MQ", "encrypted": "true"],
            ["code": "F-002", "from_system": "SYS-003", "to_system": "SYS-001", "data": "D-001", "protocol": "独自プロトコル", "encrypted": "false"],
        ]),
    ]

    /// An OSV record in Kamae's own words for a well-known vulnerability, as an administrator would drop it in.
    static let advisory = Data("""
        {"id": "KAMAE-DEMO-2021-0001", "aliases": ["CVE-2021-44228"], "modified": "2021-12-10T00:00:00Z",
         "summary": "ログ出力ライブラリの JNDI 参照により遠隔からコードが実行される（デモ用）",
         "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}],
         "affected": [{"package": {"ecosystem": "Maven", "name": "org.apache.logging.log4j:log4j-core"},
                       "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "2.0-beta9"}, {"fixed": "2.15.0"}]}]}]}
        """.utf8)

    static func seed(institutionID: UUID, on database: any Database) async throws {
        guard try await RegisterStore.count(.systems, institutionID: institutionID, on: database) == 0 else { return }
        let actor = AuditActor.cli(institutionID: institutionID)
        for (schema, records) in rows {
            for raw in records {
                _ = try await RegisterStore.save(schema, raw: raw, id: nil, expectedRevision: nil, institutionID: institutionID, actor: actor, on: database)
            }
        }
        _ = try await VulnerabilityStore.importFeed(advisory, file: "demo-advisory.json", institutionID: institutionID, actor: actor, on: database)
    }
}
