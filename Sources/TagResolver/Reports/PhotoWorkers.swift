import Foundation
import Synchronization

/// Where photos are decoded: off the event loops, at most ``limit`` at once (a 12-megapixel HEIC peaks near
/// 220 MB while it decodes), with at most ``maxWaiting`` more queued; beyond that a photo is refused at once
/// ("busy, try again") instead of piling up memory and time.
final class PhotoWorkers: @unchecked Sendable {
    let limit: Int
    let maxWaiting: Int
    /// OperationQueue runs at most `limit` operations at once; it is thread-safe (hence @unchecked).
    private let queue = OperationQueue()
    private let admitted = Mutex(0)

    struct Busy: Error, CustomStringConvertible {
        var description: String { "Many photos are being sent right now; please try again in a minute." }
    }

    init(limit: Int = max(1, ProcessInfo.processInfo.activeProcessorCount - 1), maxWaiting: Int = 16) {
        self.limit = limit
        self.maxWaiting = maxWaiting
        queue.name = "civictags.photos"
        queue.maxConcurrentOperationCount = limit
    }

    /// Runs `work` on a worker thread, in arrival order. - Throws: ``Busy`` when `limit + maxWaiting` are in.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let entered = admitted.withLock { count -> Bool in
            guard count < limit + maxWaiting else { return false }
            count += 1
            return true
        }
        guard entered else { throw Busy() }
        return try await withCheckedThrowingContinuation { continuation in
            queue.addOperation { [self] in
                let result = Result { try work() }
                admitted.withLock { $0 -= 1 }
                continuation.resume(with: result)
            }
        }
    }
}
