import Foundation
import TagKit

/// The registry in memory: the resolver's hot path reads only this. Writes through the API replace entries;
/// changes made by other instances arrive through ``TagStore/watchChanges(_:)``.
final class TagCache: @unchecked Sendable {
    private let lock = NSLock()
    private var tags: [TagID: Tag] = [:]

    func get(_ id: TagID) -> Tag? {
        lock.lock()
        defer { lock.unlock() }
        return tags[id]
    }

    func put(_ tag: Tag) {
        lock.lock()
        tags[tag.id] = tag
        lock.unlock()
    }

    func remove(_ id: TagID) {
        lock.lock()
        tags[id] = nil
        lock.unlock()
    }

    func replaceAll(_ all: [Tag]) {
        let fresh = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        lock.lock()
        tags = fresh
        lock.unlock()
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return tags.count
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

    private let lock = NSLock()
    private var pending: [Key: Int64] = [:]
    private var oldestPending: ContinuousClock.Instant?

    func record(_ tag: TagID, day: String, channel: ScanChannel) {
        lock.lock()
        pending[Key(tag: tag, day: day, channel: channel), default: 0] += 1
        if oldestPending == nil { oldestPending = .now }
        lock.unlock()
    }

    /// Takes everything pending.
    func drain() -> [ScanCount] {
        lock.lock()
        let taken = pending
        pending = [:]
        oldestPending = nil
        lock.unlock()
        return taken.map { ScanCount(tagID: $0.key.tag, day: $0.key.day, channel: $0.key.channel, count: $0.value) }
    }

    /// Puts counts back after a failed write, so they go with the next batch.
    func restore(_ counts: [ScanCount]) {
        lock.lock()
        for count in counts {
            pending[Key(tag: count.tagID, day: count.day, channel: count.channel), default: 0] += count.count
        }
        if oldestPending == nil && !counts.isEmpty { oldestPending = .now }
        lock.unlock()
    }

    /// How long the oldest unwritten count has waited, in seconds (0 when nothing is pending).
    var lagSeconds: Double {
        lock.lock()
        defer { lock.unlock() }
        guard let oldestPending else { return 0 }
        let elapsed = oldestPending.duration(to: .now).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }

    var pendingCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return pending.count
    }
}
