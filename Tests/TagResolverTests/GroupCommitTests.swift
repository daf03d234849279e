import CivicKit
import Foundation
import Testing
import ServerTestSupport
import TagTestSupport
@testable import TagResolver

/// Reports filed while another commit runs go together in the next one; a taken ID refuses only its own
/// report; a batch that fails as a whole is retried item by item so one bad item fails alone.
@Suite("Reports: group commit")
struct GroupCommitTests {
    /// Holds the first flush until opened, records every batch, and tells the test when the first flush began.
    actor Recorder {
        var batches: [[Int]] = []
        private var gate: CheckedContinuation<Void, Never>?
        private var open = false
        let began: AsyncStream<Void>
        private let beganSink: AsyncStream<Void>.Continuation

        init() { (began, beganSink) = AsyncStream.makeStream() }

        func record(_ batch: [Int]) async {
            batches.append(batch)
            if batches.count == 1 && !open {
                beganSink.yield()
                await withCheckedContinuation { gate = $0 }
            }
        }

        func release() {
            open = true
            gate?.resume()
            gate = nil
        }
    }

    /// How many items wait, as the group commit reports each arrival.
    static func queueCounts() -> (AsyncStream<Int>, @Sendable (Int) -> Void) {
        let (stream, sink) = AsyncStream<Int>.makeStream()
        return (stream, { sink.yield($0) })
    }

    /// Waits (without a clock) until the stream reports `count`.
    static func wait(for count: Int, in counts: inout AsyncStream<Int>.Iterator) async {
        while let seen = await counts.next(), seen != count {}
    }

    @Test("items submitted during a commit share the next one, in order")
    func batchesWhileBusy() async throws {
        let recorder = Recorder()
        let (counts, onQueued) = Self.queueCounts()
        var queued = counts.makeAsyncIterator()
        let commits = GroupCommit<Int>(maxBatch: 3, onQueued: onQueued) { batch in
            await recorder.record(batch)
            return Set(batch.indices.filter { batch[$0] < 0 })
        }
        let first = Task { try await commits.submit(0) }
        var began = recorder.began.makeAsyncIterator()
        await began.next()
        await Self.wait(for: 1, in: &queued)  // the first item's own arrival
        var later: [Task<Bool, any Error>] = []
        for item in [1, 2, -3, 4] {
            later.append(Task { try await commits.submit(item) })
            await Self.wait(for: later.count, in: &queued)
        }
        await recorder.release()
        #expect(try await first.value)
        var outcomes: [Bool] = []
        for task in later { outcomes.append(try await task.value) }
        #expect(outcomes == [true, true, false, true], "only the refused item reports false")
        #expect(await recorder.batches == [[0], [1, 2, -3], [4]], "at most maxBatch a commit, in arrival order")
    }

    struct Broken: Error {}

    @Test("a failing batch is retried one by one: only the bad item fails")
    func failingBatchIsSplit() async throws {
        let recorder = Recorder()
        let (counts, onQueued) = Self.queueCounts()
        var queued = counts.makeAsyncIterator()
        let commits = GroupCommit<Int>(maxBatch: 10, onQueued: onQueued) { batch in
            await recorder.record(batch)
            if batch.contains(13) { throw Broken() }
            return []
        }
        let first = Task { try await commits.submit(0) }
        var began = recorder.began.makeAsyncIterator()
        await began.next()
        await Self.wait(for: 1, in: &queued)  // the first item's own arrival
        var later: [Task<Bool, any Error>] = []
        for item in [12, 13, 14] {
            later.append(Task { try await commits.submit(item) })
            await Self.wait(for: later.count, in: &queued)
        }
        await recorder.release()
        #expect(try await first.value)
        #expect(try await later[0].value)
        await #expect(throws: Broken.self) { try await later[1].value }
        #expect(try await later[2].value)
        #expect(await recorder.batches == [[0], [12, 13, 14], [12], [13], [14]])
    }

    @Test("a batch stores every report with its audit entry and refuses a taken ID alone", arguments: TestEnvironment.backends)
    func storeBatch(_ backend: Backend) async throws {
        let location = try await TestEnvironment.freshDatabase(backend)
        try await location.withReportStore(logger: TestEnvironment.logger) { store in
            let now = StoredTime.now()
            func report(_ id: String) -> CitizenReport {
                CitizenReport(id: id, category: "litter", description: id, followUpHash: APITokens.hash(id), createdAt: now, updatedAt: now)
            }
            try await store.createReport(report("r-taken00001"), photo: nil, actor: "test")
            let photo = StoredPhoto(sha256: String(repeating: "a", count: 64), jpeg: Data([0xFF, 0xD8, 0xFF, 0xD9]), width: 1, height: 1)
            let refused = try await store.createReports([
                NewReport(report("r-batch00001"), photo: photo, actor: "citizen"),
                NewReport(report("r-taken00001"), actor: "citizen"),
                NewReport(report("r-batch00002"), photo: photo, actor: "open311:app"),
                NewReport(report("r-batch00002"), actor: "citizen"),
            ])
            #expect(refused == [1, 3], "a taken ID, and an ID twice in the batch: the first is stored")
            #expect(try await store.report("r-batch00001")?.description == "r-batch00001")
            #expect(try await store.report("r-batch00002") != nil)
            #expect(try await store.report("r-taken00001")?.description == "r-taken00001", "the taken one is unchanged")
            #expect(try await store.photo(photo.sha256)?.jpeg == photo.jpeg)
            let created = try await store.audit(tag: nil, limit: 10).filter { $0.action == "report-create" }.map(\.actor)
            #expect(created.sorted() == ["citizen", "open311:app", "test"])
        }
    }
}
