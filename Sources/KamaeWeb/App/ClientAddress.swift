import Vapor

extension Application {
    private struct TrustedProxiesKey: StorageKey { typealias Value = Set<String> }

    /// Set by `configure` from KAMAE_TRUSTED_PROXIES.
    var trustedProxies: Set<String> {
        get { storage[TrustedProxiesKey.self] ?? [] }
        set { storage[TrustedProxiesKey.self] = newValue }
    }
}

extension Request {
    /// Who is on the other end: the peer, or — when the peer is a trusted reverse proxy — the right-most address in
    /// X-Forwarded-For that is not itself a trusted proxy (the left part of that header is whatever the client sent).
    var clientAddress: String {
        let peer = remoteAddress?.ipAddress ?? "unknown"
        let trusted = application.trustedProxies
        guard trusted.contains(peer) else { return peer }
        let hops = headers[.xForwardedFor].flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        return hops.reversed().first { !trusted.contains($0) && !$0.isEmpty } ?? peer
    }
}
