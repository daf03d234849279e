import Foundation
import NIOPosix
import TagKit

/// The registry in memory: the resolver's hot path reads only this. Writes through the API replace entries;
/// changes made by other instances arrive through ``TagStore/watchChanges(_:)``.
final class TagCache: @unchecked Sendable {
    private let lock = ReadWriteLock()
    private var tags: [TagID: Tag] = [:]

    func get(_ id: TagID) -> Tag? {
        lock.reading { tags[id] }
    }

    func put(_ tag: Tag) {
        lock.writing { tags[tag.id] = tag }
    }

    func remove(_ id: TagID) {
        lock.writing { tags[id] = nil }
    }

    func replaceAll(_ all: [Tag]) {
        let fresh = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        lock.writing { tags = fresh }
    }

    var count: Int {
        lock.reading { tags.count }
    }
}

/// Scan counts not yet written: increments are a dictionary update under a lock; ``ScanFlushService``
/// writes them in one batch. Nothing about the person scanning is kept — only tag, local day and channel.
final class ScanCounter: @unchecked Sendable {
    struct Key: Hashable {
        var tag: TagID
        var day: String
        var channel: ScanChannel
    }

    /// One thread's counts: its lock is only ever contended by ``drain()`` (once per flush interval).
    private final class Shard: @unchecked Sendable {
        let lock = NSLock()
        var pending: [Key: Int64] = [:]
        var oldestPending: ContinuousClock.Instant?
    }

    private let local = ThreadSpecificVariable<Shard>()
    private let shardsLock = NSLock()
    private var shards: [Shard] = []

    private var shard: Shard {
        if let shard = local.currentValue { return shard }
        let shard = Shard()
        local.currentValue = shard
        shardsLock.withLock { shards.append(shard) }
        return shard
    }

    private var allShards: [Shard] { shardsLock.withLock { shards } }

    /// One scan: on the hot path, so straight into this thread's shard (no intermediate dictionary).
    func record(_ tag: TagID, day: String, channel: ScanChannel) {
        let shard = self.shard
        shard.lock.lock()
        shard.pending[Key(tag: tag, day: day, channel: channel), default: 0] += 1
        if shard.oldestPending == nil { shard.oldestPending = .now }
        shard.lock.unlock()
    }

    private func add(_ counts: [Key: Int64]) {
        let shard = self.shard
        shard.lock.lock()
        for (key, count) in counts { shard.pending[key, default: 0] += count }
        if shard.oldestPending == nil && !counts.isEmpty { shard.oldestPending = .now }
        shard.lock.unlock()
    }

    /// Takes everything pending.
    func drain() -> [ScanCount] {
        var taken: [Key: Int64] = [:]
        for shard in allShards {
            shard.lock.lock()
            let pending = shard.pending
            shard.pending = [:]
            shard.oldestPending = nil
            shard.lock.unlock()
            taken.merge(pending, uniquingKeysWith: +)
        }
        return taken.map { ScanCount(tagID: $0.key.tag, day: $0.key.day, channel: $0.key.channel, count: $0.value) }
    }

    /// Puts counts back after a failed write, so they go with the next batch.
    func restore(_ counts: [ScanCount]) {
        var keyed: [Key: Int64] = [:]
        for count in counts { keyed[Key(tag: count.tagID, day: count.day, channel: count.channel), default: 0] += count.count }
        add(keyed)
    }

    /// How long the oldest unwritten count has waited, in seconds (0 when nothing is pending).
    var lagSeconds: Double {
        let oldest = allShards.compactMap { shard in shard.lock.withLock { shard.oldestPending } }.min()
        guard let oldest else { return 0 }
        let elapsed = oldest.duration(to: .now).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }

    var pendingCount: Int {
        var keys = Set<Key>()
        for shard in allShards { shard.lock.withLock { keys.formUnion(shard.pending.keys) } }
        return keys.count
    }
}
