import KamaeCore
import Vapor

/// Catalog pages and the catalog part of the JSON API. Both read the same query parameters.
struct CatalogController: RouteCollection {
    let catalog: Catalog

    func boot(routes: any RoutesBuilder) throws {
        routes.get("catalog", use: listPage)
        routes.get("catalog", "items", ":id", use: itemPage)

        let api = routes.grouped("api", "v1", "catalog")
        api.get(use: summary)
        api.get("sections", use: sections)
        api.get("items", use: listItems)
        api.get("items", ":id", use: showItem)
        routes.get("api", "v1", "institution-types", use: institutionTypes)
    }

    // MARK: Pages

    @Sendable func listPage(req: Request) throws -> Response {
        let query = try CatalogQuery.from(req, catalog: catalog)
        let sort = try CatalogSort.from(req)
        let page = try PageRequest.from(req, defaultPerPage: 50)
        let results = page.slice(sort.apply(catalog.items(matching: query)))
        let model = CatalogPages.ListModel(catalog: catalog, query: query, sort: sort, results: results)
        return CatalogPages.list(model, context: PageContext(request: req)).response()
    }

    @Sendable func itemPage(req: Request) throws -> Response {
        let item = try findItem(req)
        return CatalogPages.detail(item, catalog: catalog, context: PageContext(request: req)).response()
    }

    // MARK: API

    @Sendable func summary(req: Request) -> CatalogSummaryDTO {
        CatalogSummaryDTO(catalog: catalog)
    }

    @Sendable func sections(req: Request) -> [SectionDTO] {
        catalog.sections.map { SectionDTO(section: $0, catalog: catalog) }
    }

    @Sendable func listItems(req: Request) throws -> Paged<ItemDTO> {
        let query = try CatalogQuery.from(req, catalog: catalog)
        let sort = try CatalogSort.from(req)
        let page = try PageRequest.from(req, defaultPerPage: 50)
        let results = page.slice(sort.apply(catalog.items(matching: query)))
        return Paged(data: results.data.map(ItemDTO.init), meta: results.meta)
    }

    @Sendable func showItem(req: Request) throws -> ItemDTO {
        ItemDTO(try findItem(req))
    }

    @Sendable func institutionTypes(req: Request) -> [InstitutionTypeDTO] {
        catalog.institutionTypes.map { InstitutionTypeDTO(id: $0.id, nameJa: $0.ja, nameEn: $0.en) }
    }

    private func findItem(_ req: Request) throws -> CatalogItem {
        guard let id = req.parameters.get("id"), let item = catalog.item(id: id) else { throw WebError.notFound }
        return item
    }
}
