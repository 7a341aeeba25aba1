import Fluent
import KamaeCore
import SQLKit
import Vapor

/// `GET /health`: is the process up and can it reach its database? For load balancers and monitoring.
struct HealthController: RouteCollection {
    let catalog: Catalog

    func boot(routes: any RoutesBuilder) throws {
        routes.get("health", use: health)
    }

    struct HealthDTO: Content {
        var status: String
        var database: String
        var catalogVersion: String
        var version: String

        enum CodingKeys: String, CodingKey {
            case status, database, version
            case catalogVersion = "catalog_version"
        }
    }

    @Sendable func health(req: Request) async -> Response {
        var databaseStatus = "ok"
        do {
            guard let sql = req.db as? any SQLDatabase else { throw WebError.internalError }
            try await sql.raw("SELECT 1").run()
        } catch {
            req.logger.error("Health check: database unreachable: \(String(reflecting: error))")
            databaseStatus = "unavailable"
        }
        let healthy = databaseStatus == "ok"
        let body = HealthDTO(status: healthy ? "ok" : "degraded", database: databaseStatus, catalogVersion: catalog.version.id, version: KamaeVersion.current)
        let response = Response(status: healthy ? .ok : .serviceUnavailable)
        try? response.content.encode(body, as: .json)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

public enum KamaeVersion {
    public static let current = "0.1.0"
}
