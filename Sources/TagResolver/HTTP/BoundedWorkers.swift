import Foundation
import Synchronization

/// Where memory-hungry work runs: off the event loops, at most ``limit`` at once, with at most ``maxWaiting``
/// more queued; beyond that the work is refused at once ("busy, try again") instead of piling up memory and
/// time. Report photos (a 12-megapixel HEIC peaks near 220 MB while it decodes) and staff passwords (Argon2id
/// takes 64 MiB a hash) each have their own.
final class BoundedWorkers: @unchecked Sendable {
    let limit: Int
    let maxWaiting: Int
    let busyMessage: String
    /// OperationQueue runs at most `limit` operations at once; it is thread-safe (hence @unchecked).
    private let queue = OperationQueue()
    private let admitted = Mutex(0)

    struct Busy: Error, CustomStringConvertible {
        var description: String
    }

    init(
        name: String, limit: Int = max(1, ProcessInfo.processInfo.activeProcessorCount - 1), maxWaiting: Int = 16,
        busyMessage: String
    ) {
        self.limit = limit
        self.maxWaiting = maxWaiting
        self.busyMessage = busyMessage
        queue.name = "civictags.\(name)"
        queue.maxConcurrentOperationCount = limit
    }

    /// Runs `work` on a worker thread, in arrival order. - Throws: ``Busy`` when `limit + maxWaiting` are in.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let entered = admitted.withLock { count -> Bool in
            guard count < limit + maxWaiting else { return false }
            count += 1
            return true
        }
        guard entered else { throw Busy(description: busyMessage) }
        return try await withCheckedThrowingContinuation { continuation in
            queue.addOperation { [self] in
                let result = Result { try work() }
                admitted.withLock { $0 -= 1 }
                continuation.resume(with: result)
            }
        }
    }
}
