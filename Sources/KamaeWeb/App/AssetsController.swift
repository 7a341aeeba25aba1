import Foundation
import Vapor

/// Serves the stylesheet and other static files that ship inside the binary.
struct AssetsController: RouteCollection {
    static let assets: [String: (data: Data, type: HTTPMediaType)] = {
        var assets: [String: (Data, HTTPMediaType)] = [:]
        for (name, type) in [("kamae.css", HTTPMediaType.css)] {
            if let url = Bundle.module.url(forResource: "Resources/Public/\(name)", withExtension: nil),
               let data = try? Data(contentsOf: url) {
                assets[name] = (data, type)
            }
        }
        return assets
    }()

    func boot(routes: any RoutesBuilder) throws {
        routes.get("assets", ":name", use: asset)
    }

    @Sendable func asset(req: Request) throws -> Response {
        guard let name = req.parameters.get("name"), let asset = AssetsController.assets[name] else { throw WebError.notFound }
        let response = Response(status: .ok, body: .init(data: asset.data))
        response.headers.contentType = asset.type
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }
}

/// `GET /api/openapi.json`: the API description, shipped as a file and checked against the routes by the tests.
struct OpenAPIController: RouteCollection {
    static let document: Data = {
        guard let url = Bundle.module.url(forResource: "Resources/openapi", withExtension: "json"),
              let data = try? Data(contentsOf: url)
        else { fatalError("openapi.json is missing from the bundle") }
        return data
    }()

    func boot(routes: any RoutesBuilder) throws {
        routes.get("api", "openapi.json", use: openapi)
    }

    @Sendable func openapi(req: Request) -> Response {
        let response = Response(status: .ok, body: .init(data: OpenAPIController.document))
        response.headers.contentType = .json
        return response
    }
}
