import Synchronization
import Vapor

/// Counts requests being handled, so that a stopping server lets them finish before it closes the database
/// (a request that reached `req.db` after the pools were shut down would crash the process).
final class InFlightRequests: Sendable {
    private let count = Mutex(0)

    var current: Int { count.withLock { $0 } }

    func enter() { count.withLock { $0 += 1 } }
    func leave() { count.withLock { $0 -= 1 } }

    /// Waits until no request is running, or until `timeout` has passed.
    func drain(timeout: Duration = .seconds(15)) async {
        let deadline = ContinuousClock.now + timeout
        while current > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

struct InFlightMiddleware: AsyncMiddleware {
    let requests: InFlightRequests

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        requests.enter()
        defer { requests.leave() }
        return try await next.respond(to: request)
    }
}

extension Application {
    private struct InFlightKey: StorageKey { typealias Value = InFlightRequests }

    var inFlightRequests: InFlightRequests {
        if let existing = storage[InFlightKey.self] { return existing }
        let created = InFlightRequests()
        storage[InFlightKey.self] = created
        return created
    }
}
