import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

// The resolver's hot path runs on both event loops at once. On a 2-core machine the event loops share the
// cores with everything else, so a thread can be descheduled while it holds a lock; any other thread that then
// needs that lock waits a whole time slice (milliseconds — the p99 in BENCHMARKS.md). What the hot
// path shares is therefore read under a reader-writer lock (readers never wait for each other), counted with
// atomics, or kept per thread.

/// A reader-writer lock (pthread_rwlock): many readers at once, writers alone.
final class ReadWriteLock: @unchecked Sendable {
    private let lock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)

    init() {
        lock.initialize(to: pthread_rwlock_t())
        precondition(pthread_rwlock_init(lock, nil) == 0, "pthread_rwlock_init failed")
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    @inline(__always)
    func reading<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }

    @inline(__always)
    func writing<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }
}

/// A Prometheus histogram of durations recorded with atomics (no lock), rendered in the text format.
final class LatencyHistogram: Sendable {
    private final class Slot: Sendable {
        let count = Atomic<Int>(0)
    }

    let name: String
    let help: String
    private let upperBounds: [Int64]
    /// One per bound, then +Inf; not cumulative (rendering adds them up).
    private let slots: [Slot]
    private let sumNanoseconds = Atomic<Int64>(0)

    init(name: String, buckets: [Duration], help: String) {
        self.name = name
        self.help = help
        upperBounds = buckets.map(Self.nanoseconds).sorted()
        slots = (0...buckets.count).map { _ in Slot() }
    }

    func record(_ duration: Duration) {
        let value = Self.nanoseconds(duration)
        var index = 0
        while index < upperBounds.count, value > upperBounds[index] { index += 1 }
        slots[index].count.add(1, ordering: .relaxed)
        sumNanoseconds.add(value, ordering: .relaxed)
    }

    func render() -> String {
        var lines = ["# HELP \(name) \(help)", "# TYPE \(name) histogram"]
        var cumulative = 0
        for (index, slot) in slots.enumerated() {
            cumulative += slot.count.load(ordering: .relaxed)
            let bound = index < upperBounds.count ? "\(Double(upperBounds[index]) / 1e9)" : "+Inf"
            lines.append("\(name)_bucket{le=\"\(bound)\"} \(cumulative)")
        }
        lines.append("\(name)_sum \(Double(sumNanoseconds.load(ordering: .relaxed)) / 1e9)")
        lines.append("\(name)_count \(cumulative)")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
