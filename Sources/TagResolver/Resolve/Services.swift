import Foundation
import Logging
import ServiceLifecycle
import TagKit

/// Writes pending scan counts every `interval`, and once more at shutdown (after the HTTP server has
/// stopped taking requests, because services stop in reverse order of registration).
struct ScanFlushService<Store: TagStore>: Service {
    let store: Store
    let counter: ScanCounter
    let interval: Duration
    let metrics: ResolverMetrics
    let logger: Logger
    let gate = SerialGate()

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            await flush()
        }
        await flush()
    }

    /// Writes everything pending now; on failure the counts go back into the counter. Flushes run one after
    /// another, so when this returns every count recorded before the call is in the database.
    func flush() async {
        await gate.serially { await flushNow() }
    }

    private func flushNow() async {
        metrics.scanFlushLag.set(counter.lagSeconds)
        let counts = counter.drain()
        guard !counts.isEmpty else { return }
        do {
            try await store.addScans(counts)
            logger.debug("flushed scan counts", metadata: ["rows": "\(counts.count)"])
        } catch {
            counter.restore(counts)
            logger.error("could not write scan counts; will retry", metadata: ["error": "\(error)"])
        }
        metrics.scanFlushLag.set(counter.lagSeconds)
    }
}

/// Keeps the tag cache, the kept secure chips and the civic state (events, alerts) in step with changes made by
/// other instances (PostgreSQL LISTEN/NOTIFY).
struct CacheSyncService<Store: TagStore>: Service {
    let store: Store
    let cache: TagCache
    let civic: CivicService
    let taps: TapVerifier
    let logger: Logger

    func run() async throws {
        try await store.watchChanges { change in
            do {
                switch change {
                case .tag(let id):
                    taps.forgetChip(id)
                    if let tag = try await store.tag(id) { cache.put(tag) } else { cache.remove(id) }
                case .civic:
                    try await civic.reload()
                case .everything:
                    taps.forgetChip(nil)
                    cache.replaceAll(try await store.tags())
                    try await civic.reload()
                }
            } catch is CancellationError {
                return
            } catch {
                logger.error("refresh after a change failed", metadata: ["change": "\(change)", "error": "\(error)"])
            }
        }
    }
}

/// Runs async operations one at a time, in call order.
final class SerialGate: @unchecked Sendable {
    private let lock = NSLock()
    private var tail: Task<Void, Never>?

    func serially(_ operation: @escaping @Sendable () async -> Void) async {
        await enqueue(operation).value
    }

    private func enqueue(_ operation: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        lock.withLock {
            let previous = tail
            let task = Task {
                await previous?.value
                await operation()
            }
            tail = task
            return task
        }
    }
}
