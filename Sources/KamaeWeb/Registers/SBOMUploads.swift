import Fluent
import Foundation
import KamaeCore
import KamaeVulnerabilities
import SQLKit
import Vapor

/// SBOMs uploaded per system (CycloneDX or SPDX): every upload is kept with its component list, the system's
/// SBOM-sourced HW/SW entries follow the newest one, and any two uploads can be compared.
enum SBOMUploads {
    struct Upload: Sendable {
        var id: UUID
        var version: Int
        var filename: String
        var format: String
        var sha256: String
        var componentCount: Int
        var uploadedAt: Date
        var uploadedBy: String?
    }

    /// The stored shape of one SBOM component (the engine's `Component` is not a storage format).
    struct StoredComponent: Codable, Sendable {
        var name: String
        var version: String?
        var group: String?
        var purl: String?
        var cpes: [String]
        var kind: String?

        init(_ component: Component) {
            (name, version, group, purl, cpes, kind) = (component.name, component.version, component.group, component.purl, component.cpes, component.kind)
        }

        var component: Component {
            Component(reference: purl ?? "\(group.map { $0 + "/" } ?? "")\(name)@\(version ?? "")", name: name, version: version, group: group, purl: purl, cpes: cpes, kind: kind)
        }
    }

    static func list(systemID: UUID, institutionID: UUID, on database: any Database) async throws -> [Upload] {
        try await (database as! any SQLDatabase).raw("""
            SELECT s.id, s.version, s.filename, s.format, s.sha256, s.component_count, s.uploaded_at, u.login FROM sbom_uploads s LEFT JOIN users u ON u.id = s.uploaded_by
            WHERE s.system_id = \(bind: systemID) AND s.institution_id = \(bind: institutionID) ORDER BY s.version DESC
            """).all().map { row in
            Upload(id: try row.decode(column: "id", as: UUID.self), version: try row.decode(column: "version", as: Int.self), filename: try row.decode(column: "filename", as: String.self),
                   format: try row.decode(column: "format", as: String.self), sha256: try row.decode(column: "sha256", as: String.self),
                   componentCount: try row.decode(column: "component_count", as: Int.self), uploadedAt: try row.decode(column: "uploaded_at", as: Date.self),
                   uploadedBy: try row.decode(column: "login", as: String?.self))
        }
    }

    static func components(systemID: UUID, version: Int, institutionID: UUID, on database: any Database) async throws -> [Component]? {
        guard let row = try await (database as! any SQLDatabase).raw("""
            SELECT components FROM sbom_uploads WHERE system_id = \(bind: systemID) AND institution_id = \(bind: institutionID) AND version = \(bind: version)
            """).first() else { return nil }
        return try JSONDecoder().decode([StoredComponent].self, from: Data(row.decode(column: "components", as: String.self).utf8)).map(\.component)
    }

    /// Stores the SBOM as the system's next version and brings its SBOM-sourced HW/SW entries in line with it:
    /// unchanged packages keep their entry (and findings), changed versions are updated, removed packages leave.
    static func upload(_ data: Data, file: String, systemID: UUID, institutionID: UUID, actor: AuditActor, on database: any Database) async throws -> (version: Int, diff: SBOMDiff) {
        let sbom: SBOM
        do { sbom = try SBOMReader.read(data, file: file) } catch {
            throw RegisterRefusal(problems: [FieldProblem(field: file, message: LocalizedText(ja: "SBOM として読み取れません: \(error.description)", en: "not a readable SBOM: \(error.description)"))])
        }
        // An empty (or cut-off) SBOM would remove every entry of the system and close its findings as fixed.
        guard !sbom.components.isEmpty else {
            throw RegisterRefusal(problems: [FieldProblem(field: file, message: LocalizedText(ja: "SBOM に部品（components）が 1 件もありません。", en: "the SBOM lists no component."))])
        }
        return try await database.transaction { database in
            try await DatabaseWrites.lock(database)
            guard let system = try await RegisterStore.find(.systems, id: systemID, institutionID: institutionID, on: database) else { throw WebError.notFound }
            let sql = database as! any SQLDatabase
            let previousVersion = try await sql.raw("SELECT MAX(version) AS v FROM sbom_uploads WHERE system_id = \(bind: systemID)").first()?.decode(column: "v", as: Int?.self) ?? nil
            let before = try await previousVersion.asyncMap { try await components(systemID: systemID, version: $0, institutionID: institutionID, on: database) } ?? nil
            let diff = SBOMDiff(before: before ?? [], after: sbom.components)
            let version = (previousVersion ?? 0) + 1
            let uploadID = UUID()
            let stored = String(decoding: try JSONEncoder.sorted.encode(sbom.components.map(StoredComponent.init)), as: UTF8.self)
            try await sql.raw("""
                INSERT INTO sbom_uploads (id, institution_id, system_id, version, filename, format, sha256, component_count, components, uploaded_by, uploaded_at)
                VALUES (\(bind: uploadID), \(bind: institutionID), \(bind: systemID), \(bind: version), \(bind: String(file.suffix(300))), \(bind: sbom.format.description),
                \(bind: SHA256.hash(data: data).hexString), \(bind: sbom.components.count), \(bind: stored), \(bind: actor.id), \(bind: Date()))
                """).run()
            // The system's SBOM-sourced entries, by package identity.
            var existing: [String: UUID] = [:]
            for row in try await sql.raw("SELECT id, code FROM register_components WHERE system_id = \(bind: systemID) AND sbom_upload_id IS NOT NULL").all() {
                existing[try row.decode(column: "code", as: String.self)] = try row.decode(column: "id", as: UUID.self)
            }
            let now = Date()
            var wanted: [String: Component] = [:]
            for component in sbom.components { wanted[code(for: component, systemID: systemID)] = component }
            var touched: [UUID] = []
            var removed: [UUID] = []
            for (code, id) in existing where wanted[code] == nil { removed.append(id) }
            if !removed.isEmpty {
                try await VulnerabilityStore.closeFindings(ofComponents: removed, note: "removed from the system's SBOM (version \(version))", institutionID: institutionID, actor: actor, on: database)
                for chunk in removed.chunked() {
                    try await sql.raw("DELETE FROM register_components WHERE id IN (\(binds: chunk))").run()
                }
            }
            var inserts: [[any Encodable & Sendable]] = []
            for code in wanted.keys.sorted() {
                guard let component = wanted[code] else { continue }
                let kind = component.kind == "device" || component.kind == "firmware" ? ComponentKind.hardware.rawValue : ComponentKind.software.rawValue
                if let id = existing[code] {
                    try await sql.raw("""
                        UPDATE register_components SET product = \(bind: String(component.name.prefix(300))), vendor = \(bind: component.group.map { String($0.prefix(200)) }),
                        version = \(bind: component.version.map { String($0.prefix(100)) }), purl = \(bind: component.purl.map { String($0.prefix(1000)) }), cpe = \(bind: component.cpes.first.map { String($0.prefix(1000)) }), sbom_upload_id = \(bind: uploadID), revision = revision + 1, updated_at = \(bind: now) WHERE id = \(bind: id)
                        """).run()
                    touched.append(id)
                } else {
                    let id = UUID()
                    inserts.append([id, institutionID, code, systemID, kind, String(component.name.prefix(300)), component.group.map { String($0.prefix(200)) },
                                    component.version.map { String($0.prefix(100)) }, component.purl.map { String($0.prefix(1000)) },
                                    component.cpes.first.map { String($0.prefix(1000)) }, uploadID, 1, now, now])
                    touched.append(id)
                }
            }
            try await VulnerabilityStore.insertRows(sql, table: "register_components", columns: [
                "id", "institution_id", "code", "system_id", "kind", "product", "vendor", "version", "purl", "cpe", "sbom_upload_id", "revision", "created_at", "updated_at",
            ], rows: inserts)
            try await VulnerabilityStore.rematch(componentIDs: touched, institutionID: institutionID, actor: actor, on: database)
            try await AuditTrail.record("register.sbom_uploaded", by: actor, target: ("register_systems", systemID.uuidString), details: [
                "system": system.code, "version": String(version), "file": String(file.suffix(200)), "components": String(sbom.components.count),
                "added": String(diff.added.count), "removed": String(diff.removed.count), "changed": String(diff.changed.count),
            ], on: database)
            return (version, diff)
        }
    }

    /// A stable code per system and package: the same package keeps its entry (and its findings) across uploads,
    /// whatever the system's own code becomes.
    static func code(for component: Component, systemID: UUID) -> String {
        "SBOM-" + SHA256.hash(data: Data((systemID.uuidString + "|" + SBOMDiff.identity(of: component)).utf8)).hexString.prefix(20)
    }
}
