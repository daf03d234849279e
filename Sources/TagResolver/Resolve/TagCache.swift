import Foundation
import NIOCore
import NIOPosix
import Synchronization
import TagKit

/// The registry in memory: the resolver's hot path reads only this. Writes through the API replace entries;
/// changes made by other instances arrive through ``TagStore/watchChanges(_:)``.
final class TagCache: @unchecked Sendable {
    /// One cached tag, with the answer it gave in the latest minute (see ``ResolveController``): a write
    /// replaces the entry, so a changed tag never serves an answer worked out for its previous version.
    final class Entry: Sendable {
        let tag: Tag
        /// The latest minute's answer to a request that does not ask for JSON (the street's request).
        let answer = Mutex<MinuteAnswer?>(nil)

        init(_ tag: Tag) { self.tag = tag }
    }

    private let lock = ReadWriteLock()
    private var entries: [TagID: Entry] = [:]
    /// IDs the store did not hold when last asked, with when to ask again: a flood of random well-formed IDs is
    /// answered from here instead of becoming a database load. At most ``maxUnknown`` (≈ 5 MB); emptied when full.
    private var unknown: [TagID: NIODeadline] = [:]
    /// Bumped by every write, so a store answer that raced with one is not remembered as "unknown".
    private var generation = 0
    private let unknownFor: TimeAmount
    static let maxUnknown = 100_000

    /// `unknownFor`: how long an unregistered ID is answered from memory (zero: never).
    init(unknownFor: TimeAmount = .zero) {
        self.unknownFor = unknownFor
    }

    func entry(_ id: TagID) -> Entry? {
        lock.reading { entries[id] }
    }

    /// Caches `tag` (replacing what was cached for its ID) and returns its entry.
    @discardableResult
    func put(_ tag: Tag) -> Entry {
        let entry = Entry(tag)
        lock.writing {
            entries[tag.id] = entry
            unknown[tag.id] = nil
            generation &+= 1
        }
        return entry
    }

    func remove(_ id: TagID) {
        lock.writing {
            entries[id] = nil
            generation &+= 1
        }
    }

    func replaceAll(_ all: [Tag]) {
        let fresh = Dictionary(all.map { ($0.id, Entry($0)) }, uniquingKeysWith: { _, last in last })
        lock.writing {
            entries = fresh
            unknown = [:]
            generation &+= 1
        }
    }

    /// The write generation, read before asking the store (see ``rememberUnknown(_:since:)``).
    var writes: Int { lock.reading { generation } }

    /// True while `id` is remembered as not in the registry.
    func isKnownUnknown(_ id: TagID) -> Bool {
        guard unknownFor > .zero else { return false }
        guard let until = lock.reading({ unknown[id] }) else { return false }
        return until > .now()
    }

    /// Remembers that the store did not hold `id` — unless the cache was written since `writes` was read.
    func rememberUnknown(_ id: TagID, since writes: Int) {
        guard unknownFor > .zero else { return }
        let now = NIODeadline.now()
        lock.writing {
            guard generation == writes else { return }
            // Full means a flood of distinct IDs: start again rather than sift 100,000 entries under the lock
            // every hot-path reader waits on (what is forgotten costs one more lookup each).
            if unknown.count >= Self.maxUnknown { unknown = [:] }
            unknown[id] = now + unknownFor
        }
    }

    var count: Int {
        lock.reading { entries.count }
    }
}

/// What a tag answers during one minute (UTC minutes since 1970: schedules change at whole minutes and every
/// time zone's offset is a whole number of minutes), apart from the scan's channel, which each request tells.
/// Immutable, and a class so that reading it from its entry's lock costs one reference count.
final class MinuteAnswer: Sendable {
    enum Outcome: Sendable {
        case response(PreparedResponse)
        /// A departures page: the stop page service has its own cache.
        case stop(StopReference)
        /// A place page: the civic page service has its own cache (it moves with events and alerts).
        case place
    }

    let minute: Int64
    /// The town's local day (`YYYY-MM-DD`) the scan counts for.
    let day: String
    let outcome: Outcome

    init(minute: Int64, day: String, outcome: Outcome) {
        self.minute = minute
        self.day = day
        self.outcome = outcome
    }
}

/// Scan counts not yet written: increments are a dictionary update under a lock; ``ScanFlushService``
/// writes them in one batch. Nothing about the person scanning is kept — only tag, local day and channel.
final class ScanCounter: @unchecked Sendable {
    struct Key: Hashable {
        var tag: TagID
        var day: String
        var channel: ScanChannel

        /// The day is left out of the hash (equality still compares it): between two flushes nearly every key
        /// has the same day, so hashing it on every scan would buy nothing.
        func hash(into hasher: inout Hasher) {
            hasher.combine(tag)
            hasher.combine(channel)
        }
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
