import Foundation
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

        /// Sample requests per documented operation, with the status each must answer.
        static let samples: [(request: String, status: UInt)] = [
            ("/health", 200),
            ("/api/openapi.json", 200),
            ("/api/v1/catalog", 200),
            ("/api/v1/catalog/sections", 200),
            ("/api/v1/catalog/items", 200),
            ("/api/v1/catalog/items?q=SBOM&kind=desirable&sort=csf", 200),
            ("/api/v1/catalog/items?per_page=0", 400),
            ("/api/v1/catalog/items/2.2.1.2-B1", 200),
            ("/api/v1/catalog/items/none", 404),
            ("/api/v1/institution-types", 200),
        ]

        @Test func everyAnswerMatchesTheDocument() async throws {
            let validator = SchemaValidator(document: document)
            let paths = document["paths"] as! [String: [String: Any]]
            try await withKamaeApp { app in
                for sample in Self.samples {
                    let route = String(sample.request.split(separator: "?").first!)
                    let template = route.hasPrefix("/api/v1/catalog/items/") ? "/api/v1/catalog/items/{id}" : route
                    let operation = try #require(paths[template]?["get"] as? [String: Any], "\(template) is not documented")
                    let responses = operation["responses"] as! [String: [String: Any]]
                    try await app.testing().test(.GET, sample.request) { response in
                        #expect(response.status.code == sample.status, "\(sample.request)")
                        let documented = try #require(responses[String(response.status.code)], "\(sample.request): status \(response.status.code) is not documented")
                        let content = documented["content"] as! [String: [String: Any]]
                        let mediaType = response.headers.contentType.map { "\($0.type)/\($0.subType)" } ?? ""
                        let schema = try #require(content[mediaType]?["schema"] as? [String: Any], "\(sample.request): \(mediaType) is not documented")
                        let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body), options: [.fragmentsAllowed])
                        let problems = validator.validate(body, against: schema)
                        #expect(problems.isEmpty, "\(sample.request): \(problems.prefix(5))")
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
            let sampled = Set(Self.samples.map { sample -> String in
                let route = String(sample.request.split(separator: "?").first!)
                return "GET " + (route.hasPrefix("/api/v1/catalog/items/") ? "/api/v1/catalog/items/{id}" : route)
            })
            #expect(sampled == documentedOperations)
        }
    }
}
