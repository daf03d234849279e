import Foundation

/// Writes that arrive while a transaction is committing wait and go together in the next one: under load one
/// commit (one fsync on SQLite's single writer) stores many citizens' reports or many taps' counter updates; when
/// it is quiet a write goes at once. No timer decides anything: a batch leaves as soon as the writer is free, with
/// whatever waited, up to `maxBatch`.
///
/// A lock, not an actor: the resolver's fast lane submits from an event loop with a completion handler
/// (``submit(_:then:)``), so a tap costs an append under a lock, not a task and an actor hop; only the drain runs as
/// a task, one per batch.
final class GroupCommit<Item: Sendable>: @unchecked Sendable {
    /// Stores the batch in one transaction; returns the indexes of items refused without failing the rest.
    typealias Flush = @Sendable ([Item]) async throws -> Set<Int>
    /// Told once whether the item was stored (true), refused (false), or failed.
    typealias Completion = @Sendable (Result<Bool, any Error>) -> Void

    private let flush: Flush
    private let maxBatch: Int
    /// Told how many items wait after each arrival (tests wait on it instead of polling); called under the lock,
    /// so in arrival order.
    private let onQueued: (@Sendable (Int) -> Void)?
    private let lock = NSLock()
    private var pending: [(item: Item, done: Completion)] = []
    private var draining = false

    init(maxBatch: Int, onQueued: (@Sendable (Int) -> Void)? = nil, flush: @escaping Flush) {
        precondition(maxBatch > 0)
        self.maxBatch = maxBatch
        self.onQueued = onQueued
        self.flush = flush
    }

    /// Waits until `item` is committed: true when stored, false when refused (its ID taken).
    func submit(_ item: Item) async throws -> Bool {
        try await withCheckedThrowingContinuation { waiter in submit(item) { waiter.resume(with: $0) } }
    }

    /// Queues `item`; `done` is called once it is committed or refused, on the committing task's thread.
    func submit(_ item: Item, then done: @escaping Completion) {
        let startsDrain = lock.withLock {
            pending.append((item, done))
            onQueued?(pending.count)
            guard !draining else { return false }
            draining = true
            return true
        }
        if startsDrain { Task { await drain() } }
    }

    private func drain() async {
        while true {
            let batch = lock.withLock {
                let batch = Array(pending.prefix(maxBatch))
                pending.removeFirst(batch.count)
                if batch.isEmpty { draining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            await commit(batch)
        }
    }

    /// A batch that fails as a whole is retried one item at a time, so one bad item fails alone.
    private func commit(_ batch: [(item: Item, done: Completion)]) async {
        do {
            let refused = try await flush(batch.map(\.item))
            for (index, entry) in batch.enumerated() { entry.done(.success(!refused.contains(index))) }
        } catch {
            guard batch.count > 1 else { return batch[0].done(.failure(error)) }
            for entry in batch { await commit([entry]) }
        }
    }
}
