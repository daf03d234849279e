import Foundation
import TagResolver
import TransitKit
import Testing
import ServerTestSupport
import TagTestSupport

/// Departures checked against Tools/departures.py, an independent implementation in plain Python (csv,
/// zipfile, zoneinfo), on the real CARTA feed and on the synthetic one, at fixed times.
@Suite(.serialized) struct ReferenceTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var feed: String
        var stop: String
        var at: String
        var minutes: Int
        var why: String
        var testDescription: String { "\(feed) \(stop) \(at) (\(why))" }
    }

    static let cases: [Case] = [
        Case(feed: "carta", stop: "1565", at: "2026-06-01T08:00:00-04:00", minutes: 60, why: "weekday morning"),
        Case(feed: "carta", stop: "2409", at: "2026-06-02T00:00:00-04:00", minutes: 60, why: "trips past midnight (24:15:53 … 24:39:26)"),
        Case(feed: "carta", stop: "143", at: "2026-05-25T08:00:00-04:00", minutes: 60, why: "Memorial Day: weekday service removed, Saturday added"),
        Case(feed: "carta", stop: "143", at: "2026-07-04T09:00:00-04:00", minutes: 120, why: "4 July: Saturday service removed"),
        Case(feed: "carta", stop: "143", at: "2026-07-11T09:00:00-04:00", minutes: 120, why: "an ordinary Saturday (service 3 runs)"),
        Case(feed: "carta", stop: "1565", at: "2026-06-07T10:00:00-04:00", minutes: 90, why: "Sunday"),
        Case(feed: "carta", stop: "1565", at: "2026-09-01T08:00:00-04:00", minutes: 60, why: "after the feed's end"),
        Case(feed: "synth", stop: "S1", at: "2026-06-01T07:55:00-04:00", minutes: 70, why: "station, frequencies"),
        Case(feed: "synth", stop: "A", at: "2026-06-01T08:00:00-04:00", minutes: 180, why: "interpolated, pickup_type 1, exact_times 1"),
        Case(feed: "synth", stop: "B", at: "2026-03-10T00:00:00-04:00", minutes: 1380, why: "calendar_dates removal"),
        Case(feed: "synth", stop: "A", at: "2026-03-08T00:00:00-05:00", minutes: 720, why: "spring-forward day"),
        Case(feed: "synth", stop: "P1", at: "2026-11-01T00:00:00-04:00", minutes: 1440, why: "fall-back day"),
    ]

    static let feeds: [String: URL] = ["carta": TestEnvironment.carta, "synth": try! SyntheticFeed.zip()]
    static let parsed = Locked<[String: GTFSFeed]>([:])

    func feed(_ name: String) throws -> GTFSFeed {
        if let feed = Self.parsed.withLock({ $0[name] }) { return feed }
        let feed = try GTFSReader.read(zip: Self.feeds[name]!).feed
        Self.parsed.withLock { $0[name] = feed }
        return feed
    }

    @Test(arguments: cases)
    func matchesIndependentPython(_ c: Case) throws {
        let python = try ToolGate.python()
        let script = ProjectPaths.root.appendingPathComponent("Tests/TransitTests/Tools/departures.py").path
        let output = try runProgram(python, [script, Self.feeds[c.feed]!.path, c.stop, c.at, String(c.minutes), "200"])
        #expect(output.status == 0, "\(output.stderr)")
        struct Row: Decodable, Equatable { var trip_id: String; var stop_id: String; var scheduled: String }
        let expected = try JSONDecoder().decode([Row].self, from: output.stdout)

        let timetable = try #require(StopTimetable(feed: try feed(c.feed), feedID: c.feed, stopID: c.stop))
        let board = Departures.board(timetable, at: iso(c.at), horizon: c.minutes * 60, limit: 200)
        let actual = board.jsonView().departures.map { Row(trip_id: $0.tripID, stop_id: $0.stopID, scheduled: $0.scheduled) }
        #expect(actual == expected)
        if c.why != "after the feed's end" && c.why != "4 July: Saturday service removed" {
            #expect(!actual.isEmpty, "a reference case should have departures to compare")
        }
        if c.why == "after the feed's end" { #expect(board.expired && actual.isEmpty) }
        if c.why.hasPrefix("trips past midnight") { #expect(actual.contains { $0.scheduled == "2026-06-02T00:39:26-04:00" }) }
    }

    /// The same answer through the database (SQLite always, PostgreSQL under `make test`).
    @Test(arguments: TestEnvironment.backends)
    func cartaThroughTheStore(_ backend: Backend) async throws {
        let location = try await TestEnvironment.freshDatabase(backend)
        let carta = try feed("carta")
        try await location.withTransitStore(logger: TestEnvironment.logger) { store in
            let version = try await store.importFeed(carta, feedID: "carta", source: "carta-2026-05.zip")
            #expect(version.stops == 1163 && version.stopTimes == 82644)
            #expect(version.validFrom == "20260510" && version.validTo == "20260822")
            for stop in ["1565", "2409"] {
                let stored = try #require(try await store.timetable(feedID: "carta", stopID: stop))
                let memory = try #require(StopTimetable(feed: carta, feedID: "carta", stopID: stop))
                for at in ["2026-06-01T08:00:00-04:00", "2026-06-02T00:00:00-04:00", "2026-05-25T08:00:00-04:00"] {
                    #expect(Departures.board(stored, at: iso(at)).departures == Departures.board(memory, at: iso(at)).departures)
                }
            }
        }
    }
}

/// A tiny lock-protected value for test caches.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
