import Foundation

extension Array where Element: Sendable {
    /// `[transform(0), transform(1), …, transform(count - 1)]`, computed on up to `threads` threads that
    /// take small blocks of indices as they go (a thread slowed down by other work on the machine just
    /// takes fewer). One thread, or a handful of elements, runs on the caller's thread.
    init(concurrent count: Int, threads: Int, _ transform: @Sendable (Int) -> Element) {
        let block = 8
        let threads = Swift.max(1, Swift.min(threads, (count + block - 1) / block))
        guard threads > 1 else {
            self = (0..<count).map(transform)
            return
        }
        self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
            let target = UncheckedSendable(buffer.baseAddress!)
            let claims = BlockClaims(range: 0..<count, block: block)
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while let range = claims.next() {
                    for index in range { (target.value + index).initialize(to: transform(index)) }
                }
            }
            initialized = count
        }
    }
}

/// Hands out the indices of a range in blocks to whichever thread asks next (TagKit's concurrent map and
/// TagPrint's batch writer).
public final class BlockClaims: @unchecked Sendable {
    private let lock = NSLock()
    private var nextStart: Int
    private let end: Int
    private let block: Int

    public init(range: Range<Int>, block: Int) {
        nextStart = range.lowerBound
        end = range.upperBound
        self.block = block
    }

    public func next() -> Range<Int>? {
        lock.lock()
        defer { lock.unlock() }
        guard nextStart < end else { return nil }
        let start = nextStart
        nextStart = Swift.min(end, start + block)
        return start..<nextStart
    }
}

/// The first error any of several worker threads hit (TagPrint's batch writer, the QR benchmark).
public final class FirstError<Failure: Error>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Failure?

    public init() {}

    /// Keeps `error` unless an earlier one is kept already.
    public func record(_ error: Failure) {
        lock.lock()
        if stored == nil { stored = error }
        lock.unlock()
    }

    public var error: Failure? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

/// A pointer shared by worker threads that each write disjoint elements.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
