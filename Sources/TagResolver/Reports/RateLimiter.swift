import Crypto
import Foundation
import Hummingbird
import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// How many times one client may do something: at most ``limit`` per ``window``, counted in memory only. The
/// client is known by a keyed hash of its address (a random key per process), so not even memory holds an
/// address in clear; nothing is written to disk or logs. An IPv6 client is its /64 (one household or phone
/// network), an IPv4 client its address. Bounded: at ``maxClients`` tracked, expired entries go, then the
/// least recently seen.
final class RateLimiter: Sendable {
    let limit: Int
    let window: TimeInterval
    let maxClients: Int
    /// The per-process hash key's bytes (SymmetricKey is not Sendable).
    private let salt = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    private let state = Mutex<[Data: [Date]]>([:])

    init(limit: Int, window: TimeInterval, maxClients: Int = 100_000) {
        self.limit = limit
        self.window = window
        self.maxClients = maxClients
    }

    /// Counts one attempt by `client` (an address as text) at `now`; false when over the limit (nothing counted).
    func allow(_ client: String, at now: Date) -> Bool {
        let id = Data(HMAC<SHA256>.authenticationCode(for: Data(Self.key(client).utf8), using: SymmetricKey(data: salt)))
        return state.withLock { clients in
            // Times are appended in order: drop the expired ones from the front instead of scanning them all.
            var times = clients[id] ?? []
            let expired = times.firstIndex { now.timeIntervalSince($0) < window } ?? times.count
            times.removeFirst(expired)
            guard times.count < limit else {
                clients[id] = times
                return false
            }
            times.append(now)
            if clients[id] == nil && clients.count >= maxClients { evict(&clients, now: now) }
            clients[id] = times
            return true
        }
    }

    var trackedClients: Int { state.withLock { $0.count } }

    /// Drops expired entries; if that is not enough, the tenth least recently seen.
    private func evict(_ clients: inout [Data: [Date]], now: Date) {
        clients = clients.filter { $0.value.contains { now.timeIntervalSince($0) < window } }
        guard clients.count >= maxClients else { return }
        let oldest = clients.sorted { ($0.value.last ?? .distantPast) < ($1.value.last ?? .distantPast) }.prefix(max(1, maxClients / 10))
        for (key, _) in oldest { clients[key] = nil }
    }

    /// The part of an address that names one client: IPv6 by its /64, IPv4 whole.
    static func key(_ address: String) -> String {
        guard address.contains(":") else { return address }
        var bytes = in6_addr()
        guard inet_pton(AF_INET6, address, &bytes) == 1 else { return address }
        return withUnsafeBytes(of: bytes) { raw in raw.prefix(8).map { String(format: "%02x", $0) }.joined() } + "/64"
    }
}

/// Which address a request comes from: the peer's, unless the peer is a trusted proxy (`trusted-proxies`),
/// then the rightmost `X-Forwarded-For` address that is not one — what a proxy in front of the resolver saw.
struct ClientAddress: Sendable {
    let trustedProxies: Set<String>

    func of(peer: SocketAddress?, forwardedFor: String?) -> String {
        let direct = peer?.ipAddress ?? "unknown"
        guard trustedProxies.contains(direct), let forwardedFor else { return direct }
        let hops = forwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.last { !trustedProxies.contains($0) } ?? direct
    }
}

extension ClientAddress {
    /// Every `X-Forwarded-For` line of `headers`, joined in order (a proxy may add a line instead of extending one).
    static func forwardedFor(_ headers: HTTPFields) -> String? {
        let lines = headers.filter { $0.name.canonicalName == "x-forwarded-for" }.map(\.value)
        return lines.isEmpty ? nil : lines.joined(separator: ",")
    }
}
