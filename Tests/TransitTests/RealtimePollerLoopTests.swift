import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import TagResolver
@testable import TransitKit
import Testing
import ServerTestSupport
import TagTestSupport

/// The poller's loop against a scripted server on 127.0.0.1: interval, conditional requests (ETag and
/// Last-Modified), 304, errors, a request that times out, exponential backoff with a cap and its reset.
/// Sleeping is injected (recorded, not waited), so the loop runs as fast as the server answers.
@Suite struct RealtimePollerLoopTests {
    static let madeAt = iso("2026-06-01T07:54:40-04:00")
    static let remadeAt = iso("2026-06-01T08:10:00-04:00")
    static let lastModified = "Mon, 01 Jun 2026 11:54:40 GMT"

    enum Answer: Sendable { case feed(String, [UInt8]), notModified, serverError }

    struct Seen: Sendable {
        var ifNoneMatch: String?
        var ifModifiedSince: String?
    }

    @Test func backoffDoublesUpToTheCap() {
        let waits = (0...6).map { RealtimePoller.wait(afterFailures: $0, interval: .seconds(30), cap: .seconds(300)) }
        #expect(waits == [.seconds(30), .seconds(60), .seconds(120), .seconds(240), .seconds(300), .seconds(300), .seconds(300)])
        #expect(RealtimePoller.wait(afterFailures: 10_000, interval: .seconds(30), cap: .seconds(300)) == .seconds(300))
        #expect(TimeAmount(.milliseconds(250)) == .milliseconds(250))
    }

    @Test func loopFollowsTheServer() async throws {
        let first = try RealtimeFixture.feed(timestamp: Self.madeAt, trips: [.init(tripID: "T1", stops: [.init(sequence: 1, departureDelay: 60)])])
        let second = try RealtimeFixture.feed(timestamp: Self.remadeAt, trips: [.init(tripID: "T1", canceled: true)])
        let script: [Answer] = [
            .feed("\"v1\"", first), .notModified, .serverError, .serverError, .serverError, .serverError, .serverError,
            .feed("\"v2\"", second),
        ]
        let seen = Locked<[Seen]>([])
        let router = Router()
        router.get("trips.pb") { request, _ -> Response in
            let index = seen.withLock { list in
                list.append(Seen(ifNoneMatch: request.headers[.ifNoneMatch], ifModifiedSince: request.headers[.ifModifiedSince]))
                return list.count - 1
            }
            switch index < script.count ? script[index] : .serverError {
            case .feed(let etag, let bytes):
                return Response(
                    status: .ok, headers: [.eTag: etag, .lastModified: Self.lastModified, .contentType: "application/x-protobuf"],
                    body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            case .notModified:
                return Response(status: .notModified, headers: [.eTag: "\"v1\""])
            case .serverError:
                return Response(status: .internalServerError)
            }
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: TestEnvironment.logger)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let url = "http://127.0.0.1:\(port)/trips.pb"
            let state = RealtimeState()
            struct Pause: Sendable {
                var wait: Duration
                var generation: UInt64
                var madeAt: Date?
            }
            let pauses = Locked<[Pause]>([])
            let poller = RealtimePoller(
                tripUpdates: .url(url), alerts: nil, state: state, interval: .seconds(30), timeout: .seconds(20),
                maxBackoff: .seconds(200),
                sleep: { wait in
                    let count = pauses.withLock { list in
                        list.append(Pause(wait: wait, generation: state.generation, madeAt: state.snapshot.tripUpdatesTimestamp))
                        return list.count
                    }
                    if count == script.count { throw CancellationError() }
                },
                logger: TestEnvironment.logger)
            await poller.poll(.tripUpdates, .url(url))

            let recorded = pauses.withLock { $0 }
            // Interval after successes (200 and 304), doubling after each failure up to the cap, interval again.
            #expect(recorded.map(\.wait) == [
                .seconds(30), .seconds(30), .seconds(60), .seconds(120), .seconds(200), .seconds(200), .seconds(200), .seconds(30),
            ])
            // The 304 changed nothing: same generation, same feed timestamp (the producer's, not "now").
            #expect(recorded[0].generation == 1 && recorded[0].madeAt == Self.madeAt)
            #expect(recorded[1].generation == 1 && recorded[1].madeAt == Self.madeAt)
            // Failures keep the last good data; the new feed replaces it.
            #expect(recorded[6].generation == 1)
            #expect(recorded[7].generation == 2 && recorded[7].madeAt == Self.remadeAt)
            #expect(state.snapshot.tripUpdates.first?.relationship == .canceled)

            let requests = seen.withLock { $0 }
            #expect(requests.count == script.count)
            #expect(requests[0].ifNoneMatch == nil && requests[0].ifModifiedSince == nil)
            for request in requests.dropFirst() {
                #expect(request.ifNoneMatch == "\"v1\"" && request.ifModifiedSince == Self.lastModified)
            }
        }
    }

    /// A request that does not answer within the timeout is a failure (backoff), not a stuck poller. The
    /// server holds the request until the test is done, so only the timeout can end it.
    @Test func slowAnswerTimesOut() async throws {
        let released = Locked(false)
        let router = Router()
        router.get("trips.pb") { _, _ -> Response in
            for _ in 0..<3000 where !released.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(10)) }
            return Response(status: .internalServerError)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: TestEnvironment.logger)
        try await app.test(.live) { client in
            let url = "http://127.0.0.1:\(try #require(client.port))/trips.pb"
            let waits = Locked<[Duration]>([])
            let poller = RealtimePoller(
                tripUpdates: .url(url), alerts: nil, state: RealtimeState(), interval: .seconds(30), timeout: .milliseconds(300),
                sleep: { wait in
                    waits.withLock { $0.append(wait) }
                    throw CancellationError()
                },
                logger: TestEnvironment.logger)
            await poller.poll(.tripUpdates, .url(url))
            #expect(waits.withLock { $0 } == [.seconds(60)])
            var validators = RealtimePoller.Validators()
            await #expect {
                try await poller.fetchOnce(.tripUpdates, .url(url), validators: &validators)
            } throws: { error in
                "\(error)".contains("deadlineExceeded")
            }
            released.withLock { $0 = true }
        }
    }

    /// Data kept through 304s still turns stale 90 s after the producer made it.
    @Test func notModifiedDataStillTurnsStale() async throws {
        let bytes = try RealtimeFixture.feed(timestamp: Self.madeAt, trips: [.init(tripID: "T1", stops: [.init(sequence: 1, departureDelay: 60)])])
        let router = Router()
        router.get("trips.pb") { request, _ -> Response in
            if request.headers[.ifNoneMatch] == "\"v1\"" { return Response(status: .notModified) }
            return Response(status: .ok, headers: [.eTag: "\"v1\""], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: TestEnvironment.logger)
        try await app.test(.live) { client in
            let url = "http://127.0.0.1:\(try #require(client.port))/trips.pb"
            let state = RealtimeState()
            let polls = Locked(0)
            let poller = RealtimePoller(
                tripUpdates: .url(url), alerts: nil, state: state,
                sleep: { _ in if polls.withLock({ $0 += 1; return $0 }) == 3 { throw CancellationError() } }, logger: TestEnvironment.logger)
            await poller.poll(.tripUpdates, .url(url))
            #expect(state.generation == 1)
            let timetable = try #require(StopTimetable(feed: RealtimeTests.feed, feedID: "synth", stopID: "P1"))
            let fresh = Departures.board(timetable, at: Self.madeAt.addingTimeInterval(90), realtime: state.snapshot, horizon: 3600)
            #expect(fresh.realtime)
            let stale = Departures.board(timetable, at: Self.madeAt.addingTimeInterval(91), realtime: state.snapshot, horizon: 3600)
            #expect(!stale.realtime && stale.departures.allSatisfy { $0.status == .scheduled })
        }
    }
}
