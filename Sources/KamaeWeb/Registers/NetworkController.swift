import Fluent
import Foundation
import KamaeCore
import KamaeHTML
import KamaeTrust
import KamaeVulnerabilities
import SQLKit
import Vapor

/// The network and data-flow diagram drawn from the registers (§2.2.1.4), and SBOM uploads and diffs per system.
struct NetworkController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("registers", "network", use: page)
        routes.get("registers", "network.svg", use: download)
        // Under the register parameter: a constant "systems" segment would hide the register pages of that name.
        routes.on(.POST, "registers", ":register", ":id", "sbom", body: .collect(maxSize: "64mb"), use: uploadSBOM)
        routes.get("registers", ":register", ":id", "sbom", ":version", "diff", use: diff)
    }

    /// Zones, systems, connections and flows; `zone` limits the drawing to the systems of one zone and their flows.
    static func layout(institutionID: UUID, zone: String?, on database: any Database) async throws -> NetworkLayout {
        let zones = try await RegisterStore.all(.zones, institutionID: institutionID, on: database)
        let systems = try await RegisterStore.all(.systems, institutionID: institutionID, on: database)
        let connections = try await RegisterStore.all(.connections, institutionID: institutionID, on: database)
        let flows = try await RegisterStore.all(.flows, institutionID: institutionID, on: database)
        let zoneIDs = Dictionary(zones.map { ($0.code, $0.id) }, uniquingKeysWith: { first, _ in first })
        let systemIDs = Dictionary(systems.map { ($0.code, $0.id) }, uniquingKeysWith: { first, _ in first })
        var drawnSystems = systems
        var drawnZones = zones
        if let zone, !zone.isEmpty {
            drawnSystems = systems.filter { $0.text("zone") == zone }
            drawnZones = zones.filter { $0.code == zone }
        }
        return NetworkLayout(
            zones: drawnZones.map { DiagramZone(id: $0.id, code: $0.code, name: $0.text("name"), kind: ZoneKind(rawValue: $0.text("kind")) ?? .internal) },
            systems: drawnSystems.map { DiagramSystem(id: $0.id, code: $0.code, name: $0.text("name"), zoneID: zoneIDs[$0.text("zone")], criticality: Criticality(rawValue: $0.text("criticality")) ?? .medium) },
            connections: connections.compactMap { connection in
                guard let from = zoneIDs[connection.text("from_zone")], let to = zoneIDs[connection.text("to_zone")] else { return nil }
                return DiagramConnection(id: connection.id, fromZone: from, toZone: to, kind: ConnectionKind(rawValue: connection.text("kind")) ?? .internal,
                                         label: [connection.code, connection.text("protocol")].filter { !$0.isEmpty }.joined(separator: " "))
            },
            flows: flows.compactMap { flow in
                guard let from = systemIDs[flow.text("from_system")], let to = systemIDs[flow.text("to_system")] else { return nil }
                return DiagramFlow(id: flow.id, fromSystem: from, toSystem: to, label: [flow.text("data"), flow.text("protocol")].filter { !$0.isEmpty }.joined(separator: " "),
                                   encrypted: flow.values["encrypted"] == .flag(true))
            }
        )
    }

    @Sendable func page(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.readRegisters)
        let zone = req.query[String.self, at: "zone"]
        let layout = try await Self.layout(institutionID: user.institutionID, zone: zone, on: req.db)
        let zones = try await RegisterStore.all(.zones, institutionID: user.institutionID, on: req.db)
        let context = PageContext(request: req)
        let title = context.t("ネットワーク・データフロー図", "Network and data-flow diagram")
        return Layout.page(context, title: title) {
            Components.breadcrumbs([(context.t("台帳", "Registers"), "/registers"), (title, nil)], context: context)
            h1 { title }
            p(.class("hint")) {
                context.t("ゾーン・システム・接続・データフローの台帳から自動で描いています（手で描く必要はありません）。",
                          "Drawn from the zone, system, connection and data-flow registers; nothing is drawn by hand.")
            }
            form(.method("get"), .action("/registers/network"), .class("filters")) {
                Forms.field(id: "zone", label: context.t("ゾーンで絞り込み", "Limit to a zone"), error: nil) {
                    select(.id("zone"), .name("zone")) {
                        option(.value("")) { context.t("すべて", "All") }
                        for record in zones { CatalogPages.selectableOption(record.code, "\(record.code) \(record.text("name"))", selected: zone == record.code) }
                    }
                }
                button(.type("submit")) { context.t("表示", "Show") }
            }
            p(.class("actions")) {
                a(.href(URLBuilder.url("/registers/network.svg", [("zone", zone ?? "")])), .class("button secondary"), .id("diagram-download")) { context.t("SVG をダウンロード", "Download SVG") }
            }
            div(.class("diagram-scroll")) { NetworkDiagram.svg(layout, title: title) }
        }.response()
    }

    @Sendable func download(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.export)
        let layout = try await Self.layout(institutionID: user.institutionID, zone: req.query[String.self, at: "zone"], on: req.db)
        try await AuditTrail.event("register.diagram_exported", by: req.auditActor, details: ["format": "svg"], on: req.db)
        let response = Response(status: .ok, body: .init(string: NetworkDiagram.standaloneDocument(layout, title: "ネットワーク・データフロー図 / Network and data-flow diagram")))
        response.headers.replaceOrAdd(name: .contentType, value: "image/svg+xml; charset=utf-8")
        response.headers.contentDisposition = .init(.attachment, filename: "kamae-network-\(ISODate.today()).svg")
        return response
    }

    @Sendable func uploadSBOM(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.editRegisters)
        guard req.parameters.get("register") == RegisterID.systems.rawValue, let id = req.parameters.get("id", as: UUID.self) else { throw WebError.notFound }
        let file = try req.uploadedFile(missing: LocalizedText(ja: "SBOM ファイルを選んでください。", en: "choose an SBOM file."))
        do {
            let (version, _) = try await SBOMUploads.upload(file.data, file: file.name, systemID: id, institutionID: user.institutionID, actor: req.auditActor, on: req.db)
            return req.redirect(to: version > 1 ? "/registers/systems/\(id.uuidString)/sbom/\(version)/diff" : "/registers/systems/\(id.uuidString)?saved=1", redirectType: .normal)
        } catch let refusal as RegisterRefusal {
            let context = PageContext(request: req)
            return Layout.page(context, title: "SBOM") {
                h1 { "SBOM" }
                div(.class("error-summary"), .role("alert"), .id("sbom-errors")) { ul { for problem in refusal.problems { li { "\(problem.field): \(context.t(problem.message))" } } } }
                p { a(.href("/registers/systems/\(id.uuidString)")) { context.t("システムへ戻る", "Back to the system") } }
            }.response(status: .unprocessableEntity)
        }
    }

    @Sendable func diff(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try user.require(.readRegisters)
        guard req.parameters.get("register") == RegisterID.systems.rawValue,
              let id = req.parameters.get("id", as: UUID.self), let version = req.parameters.get("version", as: Int.self),
              let system = try await RegisterStore.find(.systems, id: id, institutionID: user.institutionID, on: req.db),
              let after = try await SBOMUploads.components(systemID: id, version: version, institutionID: user.institutionID, on: req.db)
        else { throw WebError.notFound }
        let against = try req.query.get(Int?.self, at: "against") ?? version - 1
        guard let before = try await SBOMUploads.components(systemID: id, version: against, institutionID: user.institutionID, on: req.db) else {
            throw WebError.invalidParameter("against", ja: "比較する版がありません。", en: "no such version to compare with.")
        }
        let diff = SBOMDiff(before: before, after: after)
        let context = PageContext(request: req)
        func label(_ component: Component) -> String { component.purl ?? "\(component.group.map { $0 + "/" } ?? "")\(component.name) \(component.version ?? "")" }
        return Layout.page(context, title: "SBOM \(system.code) v\(against) → v\(version)") {
            Components.breadcrumbs([(context.t("台帳", "Registers"), "/registers"), (system.code, "/registers/systems/\(id.uuidString)"), ("SBOM v\(against) → v\(version)", nil)], context: context)
            h1 { "SBOM \(system.code): v\(against) → v\(version)" }
            p(.id("sbom-diff-summary")) {
                context.t("追加 \(diff.added.count)、削除 \(diff.removed.count)、バージョン変更 \(diff.changed.count)、変更なし \(diff.unchangedCount)",
                          "\(diff.added.count) added, \(diff.removed.count) removed, \(diff.changed.count) changed, \(diff.unchangedCount) unchanged")
            }
            Tables.table(caption: context.t("差分", "Differences"), headers: [context.t("変更", "Change"), context.t("部品", "Component"), context.t("前", "Before"), context.t("後", "After")],
                         rows: diff.added.map { [.text(context.t("追加", "Added")), .text(label($0)), .text("—"), .text($0.version ?? "")] }
                            + diff.removed.map { [.text(context.t("削除", "Removed")), .text(label($0)), .text($0.version ?? ""), .text("—")] }
                            + diff.changed.map { [.text(context.t("変更", "Changed")), .text(label($0.after)), .text($0.before.version ?? ""), .text($0.after.version ?? "")] })
        }.response()
    }
}
