import Foundation
@testable import TagResolver
@testable import TransitKit
import Testing
import ServerTestSupport
import TagTestSupport

/// Delay propagation per the GTFS-Realtime reference: a StopTimeUpdate's delay holds for the later stops of
/// the trip until the next StopTimeUpdate — whether the updates name their stop by `stop_sequence` or only by
/// `stop_id` — and a stop the trip visits twice needs `stop_sequence`. Feeds are protobuf built in Swift.
@Suite struct DelayPropagationTests {
    static let now = iso("2026-06-01T07:55:00-04:00")

    /// The synthetic feed plus L1, a loop: P1 (seq 1) 12:00 → A (2) 12:10 → P1 (3) 12:20 → B (4) 12:30.
    static let feed: GTFSFeed = {
        var changes: [String: String?] = [:]
        changes["trips.txt"] = SyntheticFeed.files["trips.txt"]!.trimmingCharacters(in: .newlines) + "\nR1,WK,L1,Loop,0\n"
        changes["stop_times.txt"] = SyntheticFeed.files["stop_times.txt"]!.trimmingCharacters(in: .newlines) + """

            L1,12:00:00,12:00:00,P1,1,0,0,
            L1,12:10:00,12:10:00,A,2,0,0,
            L1,12:20:00,12:20:00,P1,3,0,0,
            L1,12:30:00,12:30:00,B,4,0,0,

            """
        return try! GTFSReader.read(zip: try! SyntheticFeed.zip(replacing: changes)).feed
    }()

    func departures(
        at stop: String, trip: String, _ stops: [RealtimeFixture.Stop], now: Date = now
    ) throws -> [Departure] {
        let timetable = try #require(StopTimetable(feed: Self.feed, feedID: "synth", stopID: stop))
        let snapshot = try RealtimeFixture.snapshot(timestamp: now, trips: [.init(tripID: trip, stops: stops)])
        return Departures.board(timetable, at: now, realtime: snapshot, horizon: 6 * 3600).departures.filter { $0.tripID == trip }
    }

    /// T1: P1 (seq 1) 08:00 → A (2, interpolated 08:05) → B (3) 08:20 → C (4).
    @Test func delayByStopIDPropagatesToLaterStops() throws {
        let b = try departures(at: "B", trip: "T1", [.init(stopID: "P1", departureDelay: 120)])
        #expect(b.first?.status == .live && b.first?.expected == iso("2026-06-01T08:22:00-04:00"))
        // The same by stop_sequence (unchanged behaviour).
        let bySequence = try departures(at: "B", trip: "T1", [.init(sequence: 1, departureDelay: 120)])
        #expect(bySequence.first?.expected == iso("2026-06-01T08:22:00-04:00"))
    }

    @Test func theNextUpdateTakesOver() throws {
        let b = try departures(at: "B", trip: "T1", [.init(stopID: "P1", departureDelay: 120), .init(stopID: "A", departureDelay: 300)])
        #expect(b.first?.expected == iso("2026-06-01T08:25:00-04:00"))
        // Order in the feed does not matter; position in the trip does.
        let reversed = try departures(at: "B", trip: "T1", [.init(stopID: "A", departureDelay: 300), .init(stopID: "P1", departureDelay: 120)])
        #expect(reversed.first?.expected == iso("2026-06-01T08:25:00-04:00"))
        // An update after the stop does not reach back.
        let p1 = try departures(at: "P1", trip: "T1", [.init(stopID: "A", departureDelay: 300)])
        #expect(p1.first?.status == .scheduled)
    }

    @Test func skippedStopsPassTheDelayOnNoDataStopsIt() throws {
        let passed = try departures(at: "B", trip: "T1", [.init(stopID: "P1", departureDelay: 120), .init(stopID: "A", skipped: true)])
        #expect(passed.first?.status == .live && passed.first?.expected == iso("2026-06-01T08:22:00-04:00"))
        let stopped = try departures(at: "B", trip: "T1", [.init(stopID: "P1", departureDelay: 120), .init(stopID: "A", noData: true)])
        #expect(stopped.first?.status == .scheduled)
    }

    /// An earlier stop with an absolute time: its delay against that stop's schedule propagates.
    @Test func absoluteTimeAtAnEarlierStopGivesItsDelay() throws {
        let b = try departures(at: "B", trip: "T1", [.init(stopID: "P1", departureTime: iso("2026-06-01T08:04:00-04:00"))])
        #expect(b.first?.status == .live && b.first?.expected == iso("2026-06-01T08:24:00-04:00"))
    }

    /// L1 calls at P1 twice: stop_id alone cannot say which visit, so it is not applied; stop_sequence can.
    @Test func loopTripNeedsStopSequence() throws {
        let now = iso("2026-06-01T11:55:00-04:00")
        let ambiguous = try departures(at: "P1", trip: "L1", [.init(stopID: "P1", departureDelay: 600)], now: now)
        #expect(ambiguous.count == 2 && ambiguous.allSatisfy { $0.status == .scheduled })
        let second = try departures(at: "P1", trip: "L1", [.init(sequence: 3, stopID: "P1", departureDelay: 600)], now: now)
        #expect(second.first { $0.stopSequence == 1 }?.status == .scheduled)
        #expect(second.first { $0.stopSequence == 3 }?.expected == iso("2026-06-01T12:30:00-04:00"))
        // From the first visit on, by sequence: the delay carries to the second visit and to B.
        let first = try departures(at: "P1", trip: "L1", [.init(sequence: 1, departureDelay: 120)], now: now)
        #expect(first.map(\.expected) == [iso("2026-06-01T12:02:00-04:00"), iso("2026-06-01T12:22:00-04:00")])
        // A (visited once) by stop_id: propagates to the second visit of P1 only.
        let fromA = try departures(at: "P1", trip: "L1", [.init(stopID: "A", departureDelay: 240)], now: now)
        #expect(fromA.first { $0.stopSequence == 1 }?.status == .scheduled)
        #expect(fromA.first { $0.stopSequence == 3 }?.expected == iso("2026-06-01T12:24:00-04:00"))
    }
}
