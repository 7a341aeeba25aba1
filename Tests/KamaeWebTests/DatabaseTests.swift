import Fluent
import SQLKit
import Foundation
import KamaeCore
@testable import KamaeWeb
import Testing
import Vapor

extension WebTests {
    @Suite struct DatabaseTests {
        @Test func theRunUsesTheConfiguredDatabase() async throws {
            // A visible marker in the test log of which database this run exercised.
            print("Web tests run on \(TestDatabase.location). Set KAMAE_TEST_DATABASE_URL=postgres://… to run them on PostgreSQL.")
            try await withKamaeApp { app in
                let sql = try #require(app.db as? any SQLDatabase)
                #expect(sql.dialect.name == (TestDatabase.isPostgres ? "postgresql" : "sqlite"))
            }
        }

        @Test func migrationRecordsTheCatalogEditionOnce() async throws {
            try await withKamaeApp { app in
                try await migrate(app)  // a second run must not fail or duplicate
                let versions = try await CatalogVersionRecord.query(on: app.db).all()
                #expect(versions.count == 1)
                #expect(versions.first?.id == Catalog.bundled.version.id)
                #expect(versions.first?.basicItems == 126)
                #expect(versions.first?.desirableItems == 50)
            }
        }

        @Test func demoSeedingIsIdempotentAndPasswordsAreHashed() async throws {
            try await withKamaeApp { app in
                let first = try await DemoData.seed(on: app.db, secrets: app.sealedSecrets)
                let second = try await DemoData.seed(on: app.db, secrets: app.sealedSecrets)
                #expect(first == second)
                let institutions = try await InstitutionRecord.query(on: app.db).count()
                #expect(institutions == 1)
                let users = try await UserRecord.query(on: app.db).all()
                #expect(Set(users.map(\.role)) == Set(OrganisationKind.institution.roles.map(\.rawValue)))
                for user in users {
                    #expect(user.passwordHash != DemoData.password)
                    let verified = try app.password.verify(DemoData.password, created: user.passwordHash)
                    #expect(verified)
                }
            }
        }

        @Test func healthReportsTheDatabase() async throws {
            try await withKamaeApp { app in
                try await app.testing().test(.GET, "/health") { response in
                    #expect(response.status == .ok)
                    let body = try response.content.decode(HealthController.HealthDTO.self)
                    #expect(body.status == "ok")
                    #expect(body.database == "ok")
                    #expect(body.catalogVersion == Catalog.bundled.version.id)
                }
            }
        }
    }
}

@Suite struct ConfigurationTests {
    @Test func defaultsToTheSQLiteFile() throws {
        #expect(try KamaeConfiguration.fromEnvironment([:]).database == .sqliteFile("kamae.sqlite"))
    }

    @Test(arguments: [
        ("postgres://kamae:secret@db.internal:5432/kamae", true), ("postgresql://localhost/kamae", true),
        ("sqlite:/var/lib/kamae/kamae.sqlite", false), ("sqlite://data.sqlite", false), ("./kamae.sqlite", false),
    ])
    func parsesDatabaseURLs(url: String, isPostgres: Bool) throws {
        let location = try DatabaseLocation.parse(url)
        if case .postgres = location { #expect(isPostgres) } else { #expect(!isPostgres) }
    }

    @Test func refusesUnknownSchemesAndNeverPrintsPasswords() throws {
        #expect(throws: ConfigurationError.self) { try DatabaseLocation.parse("mysql://root@localhost/kamae") }
        let location = try DatabaseLocation.parse("postgres://kamae:s3cret@localhost/kamae")
        #expect(!location.description.contains("s3cret"))
        #expect(location.description.contains("***"))
    }
}
