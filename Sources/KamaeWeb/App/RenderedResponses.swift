import Crypto
import Synchronization
import Vapor

/// Bodies this process has already rendered, under keys that name everything the body depends on (the answers'
/// stamps, the state, the query, the session and language for pages). A key never maps to a stale body, so
/// nothing ever has to be invalidated; old keys simply stop being asked for and age out when the cache is full.
/// The ETag is derived from the key, so an API client revalidating an unchanged resource gets 304 without a body
/// (browsers are told not to store private pages at all).
final class RenderedResponses: Sendable {
    static let shared = RenderedResponses()

    private struct Stored: Sendable {
        var body: ByteBuffer
        var contentType: HTTPMediaType
    }

    /// A few hundred rendered pages; when full the cache starts over rather than tracking ages.
    private let byteLimit = 24 * 1024 * 1024
    private let state = Mutex<(entries: [String: Stored], bytes: Int)>(([:], 0))

    /// The stored body for `key`, or the one `render` produces (then stored), as a 200 response; 304 when the
    /// request's If-None-Match already names it.
    func respond(
        to request: Request, key: String, contentType: HTTPMediaType, render: () async throws -> ByteBuffer
    ) async throws -> Response {
        let etag = "\"" + SHA256.hash(data: Data(key.utf8)).prefix(12).hexString + "\""
        if request.headers[.ifNoneMatch].contains(where: { $0.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == etag } }) {
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .eTag, value: etag)
            return Response(status: .notModified, headers: headers)
        }
        let stored: Stored
        if let hit = state.withLock({ $0.entries[key] }) {
            stored = hit
        } else {
            stored = Stored(body: try await render(), contentType: contentType)
            state.withLock { state in
                if state.bytes + stored.body.readableBytes > byteLimit { state = ([:], 0) }
                state.entries[key] = stored
                state.bytes += stored.body.readableBytes
            }
        }
        let response = Response(status: .ok, body: .init(buffer: stored.body))
        response.headers.contentType = stored.contentType
        response.headers.replaceOrAdd(name: .eTag, value: etag)
        return response
    }

    func json<T: Encodable>(_ request: Request, key: String, _ value: () async throws -> T) async throws -> Response {
        try await respond(to: request, key: key, contentType: .json) {
            let encodable = try await value()
            var buffer = ByteBufferAllocator().buffer(capacity: 0)
            var headers = HTTPHeaders()
            // The same encoder every other API answer uses.
            try ContentConfiguration.global.requireEncoder(for: .json).encode(encodable, to: &buffer, headers: &headers)
            return buffer
        }
    }
}
