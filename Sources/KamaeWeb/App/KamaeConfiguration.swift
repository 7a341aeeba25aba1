import Foundation

/// Everything Kamae reads from its environment, parsed once at start-up so that a bad setting fails fast.
public struct KamaeConfiguration: Sendable, Equatable {
    public var database: DatabaseLocation
    public var hostname: String
    public var port: Int
    /// The Ed25519 key that signs audit checkpoints; nil keeps an ephemeral key (an in-memory database's tests).
    public var auditKeyPath: String?
    /// Reverse proxies whose X-Forwarded-For is believed: the client address for throttling and the audit trail.
    public var trustedProxies: Set<String> = []

    public static let defaultSQLitePath = "kamae.sqlite"

    public init(database: DatabaseLocation, hostname: String = "127.0.0.1", port: Int = 8080, auditKeyPath: String? = nil) {
        self.database = database
        self.hostname = hostname
        self.port = port
        self.auditKeyPath = auditKeyPath ?? database.defaultAuditKeyPath
    }

    /// Reads `KAMAE_DATABASE_URL` (default: `./kamae.sqlite`) and `KAMAE_AUDIT_KEY_FILE` (default: beside the
    /// SQLite file, or `./kamae-audit.key` for PostgreSQL). The key must stay outside the database it protects.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> KamaeConfiguration {
        let url = environment["KAMAE_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        let database = try url.map(DatabaseLocation.parse) ?? .sqliteFile(defaultSQLitePath)
        let keyPath = environment["KAMAE_AUDIT_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        var configuration = KamaeConfiguration(database: database, auditKeyPath: keyPath)
        configuration.trustedProxies = Set((environment["KAMAE_TRUSTED_PROXIES"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        return configuration
    }
}

/// Where the data lives: an embedded SQLite file (the default), memory (tests), or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqliteFile(String)
    case sqliteMemory
    case postgres(URL)

    /// Accepts `postgres://…`, `postgresql://…`, `sqlite:PATH`, `sqlite://PATH`, `sqlite::memory:` or a plain file path.
    public static func parse(_ text: String) throws -> DatabaseLocation {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            guard let url = URL(string: trimmed), url.host != nil else {
                throw ConfigurationError(key: "KAMAE_DATABASE_URL", reason: "not a valid PostgreSQL URL (postgres://user:password@host:5432/database)")
            }
            return .postgres(url)
        }
        if trimmed == "sqlite::memory:" || trimmed == ":memory:" { return .sqliteMemory }
        var path = trimmed
        for prefix in ["sqlite://", "sqlite:"] where path.hasPrefix(prefix) {
            path = String(path.dropFirst(prefix.count))
            break
        }
        guard !path.isEmpty, !path.contains("://") else {
            throw ConfigurationError(key: "KAMAE_DATABASE_URL", reason: "use postgres://… or sqlite:PATH (got \(redacted(trimmed)))")
        }
        return .sqliteFile(path)
    }

    var defaultAuditKeyPath: String? {
        switch self {
        case let .sqliteFile(path): path + ".audit-key"
        case .sqliteMemory: nil
        case .postgres: "kamae-audit.key"
        }
    }

    /// Safe to print: never shows a password.
    public var description: String {
        switch self {
        case let .sqliteFile(path): "SQLite \(path)"
        case .sqliteMemory: "SQLite (memory)"
        case let .postgres(url): "PostgreSQL \(DatabaseLocation.redacted(url.absoluteString))"
        }
    }

    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }
}

public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public var key: String
    public var reason: String
    public var description: String { "\(key): \(reason)" }
}
