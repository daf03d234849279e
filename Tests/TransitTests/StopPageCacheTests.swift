import Foundation
import NIOCore
@testable import TagResolver
@testable import TransitKit
import Testing
import ServerTestSupport
import TagTestSupport

/// The rendered-page cache behind ``StopPageService/cachedPage(_:path:language:json:)``: what the fast lane
/// may serve without suspending, and when it must stop serving it.
@Suite struct StopPageCacheTests {
    static let synth: GTFSFeed = try! GTFSReader.read(zip: try! SyntheticFeed.zip()).feed
    static let central = StopReference(feedID: "synth", stopID: "S1")
    static let bridge = StopReference(feedID: "synth", stopID: "B")

    /// A store serving the synthetic feed from memory as version `version`; from version 2 on, every headsign
    /// reads "Changed", so a page shows which version it came from.
    final class MemoryStore: TransitStore, @unchecked Sendable {
        let lock = NSLock()
        var version: Int64 = 1
        var reads = 0

        func migrateTransit() async throws {}
        func importFeed(_ feed: GTFSFeed, stopTimes: GTFSStopTimeStream?, feedID: String, source: String) async throws -> FeedVersion {
            throw TestFailure("not here")
        }
        func feedVersions() async throws -> [FeedVersion] { [] }
        func tripStops(feedID: String, version: Int64, tripIDs: [String]) async throws -> [String: [StopTimetable.TripStop]] { [:] }
        func stops(feedID: String) async throws -> [GTFSFeed.Stop] { StopPageCacheTests.synth.stops }
        func timetable(feedID: String, stopID: String) async throws -> StopTimetable? {
            let version = lock.withLock { reads += 1; return self.version }
            guard feedID == "synth", var timetable = StopTimetable(feed: StopPageCacheTests.synth, feedID: feedID, stopID: stopID)
            else { return nil }
            timetable.version = version
            if version > 1 { for i in timetable.events.indices { timetable.events[i].headsign = "Changed" } }
            return timetable
        }
    }

    final class Clock: @unchecked Sendable {
        let lock = NSLock()
        var date: Date
        init(_ text: String) { date = iso(text) }
        var now: Date { lock.withLock { date } }
        func advance(_ seconds: TimeInterval) { lock.withLock { date += seconds } }
    }

    func service(
        _ store: MemoryStore = MemoryStore(), clock: Clock, realtime: RealtimeState? = nil, capacity: Int = 4096
    ) -> StopPageService {
        StopPageService(
            store: store, realtime: realtime.map { ["synth": $0] } ?? [:], town: "Testville", cacheCapacity: capacity,
            now: { clock.now })
    }

    func text(_ response: PreparedResponse?) -> String? { response.map { String(buffer: $0.body) } }

    @Test func servesTheComputedPageUntilTheMinuteChanges() async throws {
        let clock = Clock("2026-06-01T07:55:10-04:00")
        let pages = service(clock: clock)
        #expect(pages.cachedPage(Self.central, path: "/t/A", language: .en, json: false) == nil)
        let computed = try await pages.page(Self.central, path: "/t/A", language: .en, json: false)
        #expect(computed.status == .ok && computed.headers[.contentType] == "text/html; charset=utf-8")
        #expect(text(computed)?.contains("in 4 min") == true)
        #expect(text(pages.cachedPage(Self.central, path: "/t/A", language: .en, json: false)) == text(computed))
        // Other language or format: not computed yet.
        #expect(pages.cachedPage(Self.central, path: "/t/A", language: .fr, json: false) == nil)
        #expect(pages.cachedPage(Self.central, path: "/t/A", language: .en, json: true) == nil)
        clock.advance(49)  // 07:55:59, same minute
        #expect(text(pages.cachedPage(Self.central, path: "/t/A", language: .en, json: false)) == text(computed))
        clock.advance(1)  // 07:56:00
        #expect(pages.cachedPage(Self.central, path: "/t/A", language: .en, json: false) == nil)
        let next = try await pages.page(Self.central, path: "/t/A", language: .en, json: false)
        #expect(text(next)?.contains("in 4 min") == true && text(next)?.contains("Updated at <time datetime=\"2026-06-01T07:56:00-04:00\">") == true)
        #expect(text(pages.cachedPage(Self.central, path: "/t/A", language: .en, json: false)) == text(next))
    }

    /// The HTML links to its own tag path (language switch), so the path is part of the key; JSON is not.
    @Test func htmlIsKeyedByTagPathJSONIsNot() async throws {
        let clock = Clock("2026-06-01T07:55:00-04:00")
        let pages = service(clock: clock)
        let a = try await pages.page(Self.central, path: "/t/AAAA", language: .fr, json: false)
        #expect(text(a)?.contains("href=\"/t/AAAA?lang=en\"") == true)
        #expect(pages.cachedPage(Self.central, path: "/t/BBBB", language: .fr, json: false) == nil)
        let b = try await pages.page(Self.central, path: "/t/BBBB", language: .fr, json: false)
        #expect(text(b)?.contains("href=\"/t/BBBB?lang=en\"") == true)
        #expect(text(pages.cachedPage(Self.central, path: "/t/AAAA", language: .fr, json: false)) == text(a))
        let json = try await pages.page(Self.central, path: "/t/AAAA", language: .en, json: true)
        #expect(json.headers[.contentType] == "application/json; charset=utf-8")
        #expect(text(pages.cachedPage(Self.central, path: "/t/BBBB", language: .en, json: true)) == text(json))
    }

    @Test func newRealtimeDataInvalidatesAndStaleDataExpires() async throws {
        let clock = Clock("2026-06-01T07:55:00-04:00")
        let state = RealtimeState()
        let pages = service(clock: clock, realtime: state)
        let before = try await pages.page(Self.central, path: "/t/A", language: .en, json: true)
        #expect(text(before)?.contains("\"status\":\"live\"") == false)
        // A snapshot made 80 s ago: fresh for 10 more seconds (still 07:55).
        state.update {
            $0.tripUpdatesTimestamp = clock.now.addingTimeInterval(-80)
            $0.tripUpdates = [RealtimeTripUpdate(tripID: "T1", startDate: "20260601", stopUpdates: [.init(stopSequence: 1, departureDelay: 120)])]
        }
        #expect(pages.cachedPage(Self.central, path: "/t/A", language: .en, json: true) == nil)
        let live = try await pages.page(Self.central, path: "/t/A", language: .en, json: true)
        #expect(text(live)?.contains("\"status\":\"live\"") == true)
        clock.advance(10)  // 90 s old: still fresh (Departures.staleAfter).
        #expect(text(pages.cachedPage(Self.central, path: "/t/A", language: .en, json: true)) == text(live))
        clock.advance(1)  // 91 s after the feed's timestamp: the live times are stale.
        #expect(pages.cachedPage(Self.central, path: "/t/A", language: .en, json: true) == nil)
        let stale = try await pages.page(Self.central, path: "/t/A", language: .en, json: true)
        #expect(text(stale)?.contains("\"status\":\"live\"") == false)
    }

    /// A new feed version seen for any stop of the feed retires the pages (and timetables) of the old one.
    @Test func newFeedVersionInvalidates() async throws {
        let clock = Clock("2026-06-01T07:55:00-04:00")
        let store = MemoryStore()
        let pages = service(store, clock: clock)
        let old = try await pages.page(Self.central, path: "/t/A", language: .en, json: true)
        #expect(text(old)?.contains("Changed") == false)
        store.lock.withLock { store.version = 2 }
        // Within the timetable's 60 s the old page still serves…
        #expect(pages.cachedPage(Self.central, path: "/t/A", language: .en, json: true) != nil)
        // …until a page of the feed loads the new version.
        _ = try await pages.page(Self.bridge, path: "/t/B", language: .en, json: true)
        #expect(pages.cachedPage(Self.central, path: "/t/A", language: .en, json: true) == nil)
        let new = try await pages.page(Self.central, path: "/t/A", language: .en, json: true)
        #expect(text(new)?.contains("Changed") == true)
    }

    @Test func unknownStopIsA404PageAndCached() async throws {
        let clock = Clock("2026-06-01T07:55:00-04:00")
        let store = MemoryStore()
        let pages = service(store, clock: clock)
        let missing = StopReference(feedID: "synth", stopID: "nowhere")
        let page = try await pages.page(missing, path: "/t/A", language: .fr, json: false)
        #expect(page.status == .notFound && text(page)?.contains("plus dans les horaires") == true)
        #expect(pages.cachedPage(missing, path: "/t/A", language: .fr, json: false)?.status == .notFound)
    }

    @Test func sizeIsBounded() async throws {
        let clock = Clock("2026-06-01T07:55:00-04:00")
        let store = MemoryStore()
        let pages = service(store, clock: clock, capacity: 3)
        for n in 0..<10 { _ = try await pages.page(Self.central, path: "/t/\(n)", language: .en, json: false) }
        #expect(pages.pages.count <= 3)
        #expect(pages.cachedPage(Self.central, path: "/t/9", language: .en, json: false) != nil)
        // Pages come from the cache; the timetable from its own 60 s cache.
        _ = try await pages.page(Self.central, path: "/t/9", language: .en, json: false)
        #expect(store.lock.withLock { store.reads } == 1)
    }
}
