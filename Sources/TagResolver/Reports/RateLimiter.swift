import Crypto
import Foundation
import NIOCore
import Synchronization

/// How many reports one client may send: at most ``limit`` per ``window``, counted in memory only. The client
/// is known by a keyed hash of its address (a random key per process), so not even memory holds an address in
/// clear; nothing is written to disk or logs. Bounded: past ``maxClients`` tracked, the oldest windows go first.
final class RateLimiter: Sendable {
    let limit: Int
    let window: TimeInterval
    let maxClients = 100_000
    /// The per-process hash key's bytes (SymmetricKey is not Sendable).
    private let salt = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    private let state = Mutex<[Data: [Date]]>([:])

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Counts one attempt by `client` at `now`; false when the client is over the limit (nothing counted then).
    func allow(_ client: SocketAddress?, at now: Date) -> Bool {
        let id = Data(HMAC<SHA256>.authenticationCode(for: Data(Self.host(client).utf8), using: SymmetricKey(data: salt)))
        return state.withLock { clients in
            var times = (clients[id] ?? []).filter { now.timeIntervalSince($0) < window }
            guard times.count < limit else {
                clients[id] = times
                return false
            }
            times.append(now)
            if clients[id] == nil && clients.count >= maxClients {
                clients = clients.filter { $0.value.contains { now.timeIntervalSince($0) < window } }
                if clients.count >= maxClients { clients.removeAll() }
            }
            clients[id] = times
            return true
        }
    }

    /// The address without its port: one phone, many connections.
    static func host(_ address: SocketAddress?) -> String {
        address?.ipAddress ?? "unknown"
    }
}
