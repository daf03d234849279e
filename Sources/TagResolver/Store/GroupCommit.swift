/// Writes that arrive while a transaction is committing wait and go together in the next one: under load one
/// commit (one fsync on SQLite's single writer) stores many citizens' reports or many taps' counter updates; when
/// it is quiet a write goes at once. No timer decides anything: a batch leaves as soon as the writer is free, with
/// whatever waited, up to `maxBatch`.
actor GroupCommit<Item: Sendable> {
    /// Stores the batch in one transaction; returns the indexes of items refused without failing the rest.
    typealias Flush = @Sendable ([Item]) async throws -> Set<Int>

    private let flush: Flush
    private let maxBatch: Int
    /// Told how many items wait after each arrival (tests wait on it instead of polling).
    private let onQueued: (@Sendable (Int) -> Void)?
    private var pending: [(item: Item, waiter: CheckedContinuation<Bool, any Error>)] = []
    private var draining = false

    init(maxBatch: Int, onQueued: (@Sendable (Int) -> Void)? = nil, flush: @escaping Flush) {
        precondition(maxBatch > 0)
        self.maxBatch = maxBatch
        self.onQueued = onQueued
        self.flush = flush
    }

    /// Waits until `item` is committed: true when stored, false when refused (its ID taken).
    func submit(_ item: Item) async throws -> Bool {
        try await withCheckedThrowingContinuation { waiter in
            pending.append((item, waiter))
            onQueued?(pending.count)
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(maxBatch))
            pending.removeFirst(batch.count)
            await commit(batch)
        }
        draining = false
    }

    /// A batch that fails as a whole is retried one item at a time, so one bad item fails alone.
    private func commit(_ batch: [(item: Item, waiter: CheckedContinuation<Bool, any Error>)]) async {
        do {
            let refused = try await flush(batch.map(\.item))
            for (index, entry) in batch.enumerated() { entry.waiter.resume(returning: !refused.contains(index)) }
        } catch {
            guard batch.count > 1 else { return batch[0].waiter.resume(throwing: error) }
            for entry in batch { await commit([entry]) }
        }
    }
}
