import Fluent
import KamaeCore
import Vapor

/// The one composition root: the server, the tests and the CLI all build Kamae through here.
public func configure(_ app: Application, _ configuration: KamaeConfiguration, catalog: Catalog = .bundled) throws {
    try app.useDatabase(configuration.database)
    let signing = try AuditCheckpoints.signingKey(at: configuration.auditKeyPath)
    app.auditSigningKey = signing.key
    app.auditKeyCreated = signing.created
    app.auditKeyPath = configuration.auditKeyPath
    app.trustedProxies = configuration.trustedProxies
    app.http.server.configuration.hostname = configuration.hostname
    app.http.server.configuration.port = configuration.port
    // Uploads come later; keep request bodies small until a route asks for more.
    app.routes.defaultMaxBodySize = "1mb"

    app.middleware = Middlewares()
    app.middleware.use(InFlightMiddleware(requests: app.inFlightRequests))
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(ErrorMiddleware())
    app.middleware.use(SessionAuthenticationMiddleware())

    try app.register(collection: HomeController(catalog: catalog))
    try app.register(collection: LanguageController())
    try app.register(collection: AccountController())
    try app.register(collection: SecondFactorController())
    try app.register(collection: AuditLogController())
    try app.register(collection: UserAdministrationController())
    try app.register(collection: APITokenController())
    try app.register(collection: CatalogController(catalog: catalog))
    try app.register(collection: AssessmentController(catalog: catalog))
    try app.register(collection: RemediationController(catalog: catalog))
    try app.register(collection: EvidenceController(catalog: catalog))
    try app.register(collection: AssessmentAPIController(catalog: catalog))
    try app.register(collection: AssessmentItemAPIController(catalog: catalog))
    try app.register(collection: SubmissionController(catalog: catalog))
    try app.register(collection: SupervisionController(catalog: catalog))
    try app.register(collection: QuestionnaireController(catalog: catalog))
    try app.register(collection: QuestionnaireAnswerController(catalog: catalog))
    try app.register(collection: RegisterController(catalog: catalog))
    try app.register(collection: RegisterAPIController())
    try app.register(collection: NetworkController())
    try app.register(collection: EvidenceLinkController(catalog: catalog))
    try app.register(collection: VulnerabilityController())
    try app.register(collection: VulnerabilityAPIController())
    try app.register(collection: HealthController(catalog: catalog))
    try app.register(collection: AssetsController())
    try app.register(collection: OpenAPIController())
}

/// Brings the schema up to date and records the catalog edition this binary ships.
public func migrate(_ app: Application, catalog: Catalog = .bundled) async throws {
    try await app.autoMigrate()
    try await AuditCheckpoints.refuseNewKeyForSignedTrail(app, keyPath: app.auditKeyPath)
    try await CatalogVersionStore.register(catalog, on: app.db)
}

enum CatalogVersionStore {
    static func register(_ catalog: Catalog, on database: any Database) async throws {
        guard try await CatalogVersionRecord.find(catalog.version.id, on: database) == nil else { return }
        let record = CatalogVersionRecord()
        record.id = catalog.version.id
        record.titleJa = catalog.version.titleJa
        record.titleEn = catalog.version.titleEn
        record.established = catalog.version.established
        record.amended = catalog.version.amended
        record.basicItems = catalog.totals.basic
        record.desirableItems = catalog.totals.desirable
        record.registeredAt = Date()
        try await record.create(on: database)
    }
}
