import Foundation
import TagResolver
import TransitKit
import Testing
import ServerTestSupport
import TagTestSupport

/// The engine on the synthetic feed, with expected times worked out by hand (see SyntheticFeed).
@Suite struct DeparturesTests {
    static let feed: GTFSFeed = try! GTFSReader.read(zip: try! SyntheticFeed.zip()).feed

    func board(_ stop: String, _ at: String, minutes: Int = 180) throws -> DepartureBoard {
        let timetable = try #require(StopTimetable(feed: Self.feed, feedID: "synth", stopID: stop))
        return Departures.board(timetable, at: iso(at), horizon: minutes * 60)
    }

    func times(_ board: DepartureBoard) -> [String] {
        board.jsonView().departures.map { "\($0.tripID) \($0.scheduled)" }
    }

    @Test func stationListsItsPlatformsAndSkipsLastStops() throws {
        let b = try board("S1", "2026-06-01T07:55:00-04:00", minutes: 70)
        // P1: T1 08:00, T5 09:00; P2: T3 every 10 min from 06:00 (exact_times 0) → 08:00 … 08:50.
        #expect(times(b) == [
            "T1 2026-06-01T08:00:00-04:00", "T3 2026-06-01T08:00:00-04:00", "T3 2026-06-01T08:10:00-04:00",
            "T3 2026-06-01T08:20:00-04:00", "T3 2026-06-01T08:30:00-04:00", "T3 2026-06-01T08:40:00-04:00",
            "T3 2026-06-01T08:50:00-04:00", "T5 2026-06-01T09:00:00-04:00",
        ])
        #expect(b.departures.filter { $0.tripID == "T3" }.allSatisfy { $0.headway == 600 })
        #expect(b.departures.first { $0.tripID == "T3" }?.startTime == "08:00:00")
        // Campus (C) is every trip's last stop: nothing departs from there.
        #expect(try board("C", "2026-06-01T05:00:00-04:00", minutes: 20 * 60).departures.isEmpty)
    }

    @Test func pickupTypeOneIsNotShownAndInterpolatedTimesAre() throws {
        let b = try board("A", "2026-06-01T08:00:00-04:00", minutes: 120)
        // T1 interpolated 08:05; T5 at A has pickup_type 1; T4 exact_times 1 at A: 10:07 (outside), so only T1.
        #expect(times(b) == ["T1 2026-06-01T08:05:00-04:00"])
        let later = try board("A", "2026-06-01T10:00:00-04:00", minutes: 60)
        #expect(times(later) == [
            "T4 2026-06-01T10:07:00-04:00", "T4 2026-06-01T10:22:00-04:00", "T4 2026-06-01T10:37:00-04:00",
            "T4 2026-06-01T10:52:00-04:00",
        ])
        #expect(later.departures.allSatisfy { $0.headway == nil })
    }

    @Test func tripPastMidnightComesFromYesterdaysServiceDay() throws {
        let b = try board("B", "2026-06-02T00:30:00-04:00", minutes: 60)
        #expect(times(b) == ["T2 2026-06-02T01:05:00-04:00"])
        #expect(b.departures.first?.serviceDate == "20260601")
    }

    @Test func calendarDatesRemovalDropsTheDay() throws {
        // 2026-03-10 is removed: nothing that day; the night trip of 03-09 still runs after midnight.
        let b = try board("B", "2026-03-10T00:00:00-04:00", minutes: 23 * 60)
        #expect(times(b) == ["T2 2026-03-10T01:05:00-04:00"])
    }

    @Test func springForwardDayCountsFromNoonMinusTwelveHours() throws {
        // 2026-03-08: noon EDT − 12 h = 23:00 EST on 03-07, so 08:00:00 is 08:00 EDT.
        let b = try board("P1", "2026-03-08T07:00:00-04:00", minutes: 90)
        #expect(times(b) == ["T1 2026-03-08T08:00:00-04:00"])
        // The night trip of 03-07 (24:10 at A) counts from 03-07's midnight EST: 00:10 EST on 03-08.
        let night = try board("A", "2026-03-08T00:00:00-05:00", minutes: 30)
        #expect(times(night) == ["T2 2026-03-08T00:10:00-05:00"])
    }

    @Test func fallBackDayCountsFromNoonMinusTwelveHours() throws {
        // 2026-11-01: noon EST − 12 h = 01:00 EDT, so 08:00:00 is 08:00 EST and 23:50:00 is 23:50 EST.
        let b = try board("P1", "2026-11-01T07:00:00-05:00", minutes: 90)
        #expect(times(b) == ["T1 2026-11-01T08:00:00-05:00"])
        let night = try board("P1", "2026-11-01T23:00:00-05:00", minutes: 60)
        #expect(times(night) == ["T2 2026-11-01T23:50:00-05:00"])
    }

    @Test func outsideValiditySaysExpired() throws {
        let b = try board("P1", "2026-12-05T08:00:00-05:00")
        #expect(b.expired && b.departures.isEmpty)
        #expect(b.jsonView().timetable == "expired")
        let early = try board("P1", "2026-02-01T08:00:00-05:00")
        #expect(early.notYetValid && early.jsonView().timetable == "not_yet_valid")
    }

    @Test func serviceDayOrigin() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/New_York")!
        let spring = ServiceDay(year: 2026, month: 3, day: 8, calendar: calendar)
        #expect(spring.origin == iso("2026-03-07T23:00:00-05:00"))
        #expect(spring.weekday == 6)
        let fall = ServiceDay(year: 2026, month: 11, day: 1, calendar: calendar)
        #expect(fall.origin == iso("2026-11-01T01:00:00-04:00"))
        #expect(ServiceDay(year: 2026, month: 6, day: 1, calendar: calendar).origin == iso("2026-06-01T00:00:00-04:00"))
    }
}
