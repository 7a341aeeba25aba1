import Fluent
import SQLKit

/// The registers of §2.2.1 (systems, HW/SW, data, network zones, connections, data flows) and vulnerability
/// management (§2.2.3): advisory feeds, findings with deadlines, risk exceptions, the deadline policy, KEV and EPSS.
/// Every register row belongs to one institution and has the institution's own code, unique within the register.
struct CreateRegisters: AsyncMigration {
    var name: String { "0011_CreateRegisters" }

    private func register(_ table: String, on database: any Database, _ columns: (SchemaBuilder) -> SchemaBuilder) async throws {
        let builder = database.schema(table)
            .id()
            .field("institution_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("code", .string, .required)
        try await columns(builder)
            .field("revision", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "institution_id", "code")
            .create()
    }

    func prepare(on database: any Database) async throws {
        try await register("register_zones", on: database) {
            $0.field("name", .string, .required).field("kind", .string, .required).field("description", .string)
        }
        try await register("register_systems", on: database) {
            $0.field("name", .string, .required).field("kind", .string, .required).field("owner_department", .string, .required)
                .field("criticality", .string, .required).field("confidentiality", .string, .required).field("integrity", .string, .required)
                .field("availability", .string, .required).field("critical_business", .int).field("third_party", .string)
                .field("zone_id", .uuid, .references("register_zones", "id")).field("description", .string)
        }
        try await register("register_data", on: database) {
            $0.field("name", .string, .required).field("category", .string, .required).field("confidentiality", .string, .required)
                .field("integrity", .string, .required).field("availability", .string, .required).field("storage", .string, .required)
                .field("retention", .string, .required).field("description", .string)
        }
        try await register("register_components", on: database) {
            $0.field("system_id", .uuid, .required, .references("register_systems", "id")).field("kind", .string, .required)
                .field("product", .string, .required).field("vendor", .string).field("version", .string).field("purl", .string).field("cpe", .string)
                .field("location", .string).field("end_of_support", .string).field("support_extendable", .int).field("unapproved", .int)
                .field("description", .string).field("sbom_upload_id", .uuid)
        }
        try await register("register_connections", on: database) {
            $0.field("from_zone_id", .uuid, .required, .references("register_zones", "id"))
                .field("to_zone_id", .uuid, .required, .references("register_zones", "id"))
                .field("kind", .string, .required).field("protocol", .string).field("description", .string)
        }
        try await register("register_flows", on: database) {
            $0.field("from_system_id", .uuid, .required, .references("register_systems", "id"))
                .field("to_system_id", .uuid, .required, .references("register_systems", "id"))
                .field("data_id", .uuid, .references("register_data", "id"))
                .field("protocol", .string).field("encrypted", .int).field("description", .string)
        }
        // Many-to-many references (a data set processed by several systems).
        try await database.schema("register_links")
            .id()
            .field("institution_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("register", .string, .required)
            .field("record_id", .uuid, .required)
            .field("field", .string, .required)
            .field("target_id", .uuid, .required)
            .unique(on: "record_id", "field", "target_id")
            .create()
        try await database.schema("sbom_uploads")
            .id()
            .field("institution_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("system_id", .uuid, .required, .references("register_systems", "id", onDelete: .cascade))
            .field("version", .int, .required)
            .field("filename", .string, .required)
            .field("format", .string, .required)
            .field("sha256", .string, .required)
            .field("component_count", .int, .required)
            .field("components", .string, .required)
            .field("uploaded_by", .uuid)
            .field("uploaded_at", .datetime, .required)
            .unique(on: "system_id", "version")
            .create()
        try await database.schema("advisory_feeds")
            .id()
            .field("institution_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("filename", .string, .required)
            .field("kind", .string, .required)
            .field("sha256", .string, .required)
            .field("entries", .int, .required)
            .field("findings_created", .int, .required)
            .field("imported_by", .uuid)
            .field("imported_at", .datetime, .required)
            .create()
        try await database.schema("advisories")
            .id()
            .field("institution_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("advisory_id", .string, .required)
            .field("vulnerability_id", .string, .required)
            .field("aliases", .string, .required)
            .field("source", .string, .required)
            .field("summary", .string)
            .field("severity", .string, .required)
            .field("published_severity", .string)
            .field("document", .string, .required)
            .field("feed_id", .uuid, .references("advisory_feeds", "id", onDelete: .setNull))
            .field("imported_at", .datetime, .required)
            .unique(on: "institution_id", "advisory_id")
            .create()
        try await database.schema("advisory_keys")
            .id()
            .field("institution_id", .uuid, .required)
            .field("advisory_row", .uuid, .required, .references("advisories", "id", onDelete: .cascade))
            .field("match_key", .string, .required)
            .create()
        try await database.schema("findings")
            .id()
            .field("institution_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("component_id", .uuid, .references("register_components", "id", onDelete: .setNull))
            .field("system_id", .uuid, .references("register_systems", "id", onDelete: .setNull))
            .field("component_label", .string, .required)
            .field("system_label", .string, .required)
            .field("vulnerability_id", .string, .required)
            .field("advisory_id", .string, .required)
            .field("aliases", .string, .required)
            .field("summary", .string)
            .field("severity", .string, .required)
            .field("criticality", .string, .required)
            .field("known_exploited", .int, .required)
            .field("epss", .string)
            .field("priority", .string, .required)
            .field("discovered_on", .string, .required)
            .field("deadline", .string, .required)
            .field("deadline_reasons", .string, .required)
            .field("status", .string, .required)
            .field("closed_on", .string)
            .field("closed_within_policy", .int)
            // 1 when Kamae closed it (the component changed or left the SBOM): such a finding opens again if the
            // vulnerability comes back, while one a person closed stays closed.
            .field("auto_closed", .int)
            .field("note", .string)
            .field("revision", .int, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "institution_id", "component_id", "vulnerability_id")
            .create()
        try await database.schema("finding_exceptions")
            .id()
            .field("institution_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("finding_id", .uuid, .required, .references("findings", "id", onDelete: .cascade))
            .field("reason", .string, .required)
            .field("compensating_controls", .string, .required)
            .field("expiry", .string, .required)
            .field("state", .string, .required)
            .field("requested_by", .uuid)
            .field("requested_at", .datetime, .required)
            .field("decided_by", .uuid)
            .field("decided_at", .datetime)
            .field("decision_note", .string)
            .create()
        try await database.schema("vulnerability_policies")
            .id()
            .field("institution_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("policy", .string, .required)
            .field("updated_by", .uuid)
            .field("updated_at", .datetime, .required)
            .unique(on: "institution_id")
            .create()
        try await database.schema("kev_entries")
            .id()
            .field("institution_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("cve_id", .string, .required)
            .field("date_added", .string)
            .field("due_date", .string)
            .field("ransomware", .int, .required)
            .unique(on: "institution_id", "cve_id")
            .create()
        try await database.schema("epss_scores")
            .id()
            .field("institution_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("cve_id", .string, .required)
            .field("epss", .string, .required)
            .field("percentile", .string, .required)
            .field("score_date", .string)
            .unique(on: "institution_id", "cve_id")
            .create()
        // Per assessment, like evidence files: an approved assessment's evidence is locked with it.
        try await database.schema("evidence_links")
            .id()
            .field("institution_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("assessment_id", .uuid, .required, .references("assessments", "id", onDelete: .cascade))
            .field("item_id", .string, .required)
            .field("register", .string, .required)
            .field("record_id", .uuid, .required)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            .unique(on: "assessment_id", "item_id", "register", "record_id")
            .create()
        let sql = database as! any SQLDatabase
        for statement in [
            "CREATE INDEX register_components_by_system ON register_components (system_id)",
            "CREATE INDEX register_links_by_target ON register_links (target_id)",
            "CREATE INDEX advisory_keys_by_key ON advisory_keys (institution_id, match_key)",
            "CREATE INDEX advisory_keys_by_row ON advisory_keys (advisory_row)",
            "CREATE INDEX findings_by_deadline ON findings (institution_id, status, deadline)",
            // The overdue and open lists read in deadline order without sorting every open finding.
            "CREATE INDEX findings_active_by_deadline ON findings (institution_id, deadline, id) WHERE status IN ('open', 'in_progress')",
            "CREATE INDEX findings_by_system ON findings (system_id, status)",
            // The newest change of an institution's findings stamps its rendered finding lists.
            "CREATE INDEX findings_by_update ON findings (institution_id, updated_at)",
            "CREATE INDEX findings_by_vulnerability ON findings (institution_id, vulnerability_id)",
            "CREATE INDEX finding_exceptions_by_finding ON finding_exceptions (finding_id)",
        ] {
            try await sql.raw(SQLQueryString(statement)).run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in [
            "evidence_links", "epss_scores", "kev_entries", "vulnerability_policies", "finding_exceptions", "findings", "advisory_keys", "advisories",
            "advisory_feeds", "sbom_uploads", "register_links", "register_flows", "register_connections", "register_components", "register_data",
            "register_systems", "register_zones",
        ] {
            try await database.schema(table).delete()
        }
    }
}
