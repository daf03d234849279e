import Foundation
@testable import TagResolver
@testable import TransitKit
import Testing
import ServerTestSupport
import TagTestSupport

/// Several GTFS-Realtime feeds (a town served by two operators): the `gtfs-rt` configuration key, one poller
/// per feed, and each stop page applying its own feed's data.
@Suite struct RealtimeFeedsTests {
    @Test func gtfsRtEntriesFromFileEnvironmentAndFlags() throws {
        let file = """
            gtfs-rt = north=https://rt.example.org/north/trips.pb,https://rt.example.org/north/alerts.pb
            gtfs-rt = south=/var/rt/south-trips.pb   # no alerts
            gtfs-rt-feed = east
            gtfs-rt-alerts = https://rt.example.org/east/alerts.pb
            """
        let fromFile = try ResolverConfiguration.load(flags: [:], environment: [:], fileText: file)
        #expect(fromFile.realtimeSources == [
            .init(feedID: "north", tripUpdates: "https://rt.example.org/north/trips.pb", alerts: "https://rt.example.org/north/alerts.pb"),
            .init(feedID: "south", tripUpdates: "/var/rt/south-trips.pb", alerts: ""),
            .init(feedID: "east", tripUpdates: "", alerts: "https://rt.example.org/east/alerts.pb"),
        ])
        // The environment replaces the file's entries; a flag replaces both.
        let fromEnvironment = try ResolverConfiguration.load(
            flags: [:], environment: ["CIVICTAGS_GTFS_RT": "west=,/rt/west-alerts.pb  north=/rt/n.pb"], fileText: file)
        #expect(fromEnvironment.realtimeFeeds.map(\.description) == ["west=,/rt/west-alerts.pb", "north=/rt/n.pb"])
        let fromFlag = try ResolverConfiguration.load(
            flags: ["gtfs-rt": "south=/a.pb,/b.pb"], environment: ["CIVICTAGS_GTFS_RT": "west=/w.pb"], fileText: file)
        #expect(fromFlag.realtimeFeeds == [.init(feedID: "south", tripUpdates: "/a.pb", alerts: "/b.pb")])
        // The table lists the key.
        #expect(ResolverConfiguration.markdownTable().contains("| `gtfs-rt` | `CIVICTAGS_GTFS_RT` | `--gtfs-rt` |"))
    }

    @Test func badEntriesAreClearErrors() throws {
        let cases = [
            ("north", "FEED=TRIP_UPDATES_URL,ALERTS_URL"),
            ("North=/a.pb", "feed ID 'North'"),
            ("north=,", "names no TripUpdates or Alerts source"),
            ("north=/a.pb north=/b.pb", "has GTFS-Realtime sources twice"),
        ]
        for (value, message) in cases {
            #expect {
                _ = try ResolverConfiguration.load(flags: ["gtfs-rt": value], environment: [:], fileText: nil)
            } throws: { error in
                "\(error)".contains(message)
            }
        }
        #expect(throws: ConfigurationError.self) {
            _ = try ResolverConfiguration.load(
                flags: ["gtfs-rt": "north=/a.pb", "gtfs-rt-feed": "north", "gtfs-rt-trip-updates": "/c.pb"], environment: [:], fileText: nil)
        }
    }

    /// Two operators' feeds (the synthetic feed imported twice) with a TripUpdates file each: T1 is cancelled
    /// in the north, 3 min late in the south; each stop page shows its own.
    @Test func eachStopPageAppliesItsOwnFeed() async throws {
        let now = iso("2026-06-01T07:55:00-04:00")
        let dir = try TestEnvironment.temporaryDirectory()
        let north = dir.appendingPathComponent("north.pb"), south = dir.appendingPathComponent("south.pb")
        try Data(RealtimeFixture.feed(timestamp: now, trips: [.init(tripID: "T1", canceled: true)])).write(to: north)
        try Data(RealtimeFixture.feed(timestamp: now, trips: [
            // By stop_id only: the page asks the store for T1's stops to place it (and propagate it to B).
            .init(tripID: "T1", stops: [.init(stopID: "P1", departureDelay: 180)])
        ])).write(to: south)
        let configuration = try ResolverConfiguration.load(
            flags: ["transit-clock": "2026-06-01T07:55:00-04:00"], environment: [:],
            fileText: "gtfs-rt = north=\(north.path)\ngtfs-rt = south=\(south.path)")
        let location = try await TestEnvironment.freshDatabase(.sqlite)
        let feed = try GTFSReader.read(zip: try SyntheticFeed.zip()).feed
        try await location.withTransitStore(logger: TestEnvironment.logger) { store in
            try await store.importFeed(feed, feedID: "north", source: "synth.zip")
            try await store.importFeed(feed, feedID: "south", source: "synth.zip")
            let transit = TransitServices(configuration: configuration, store: store, now: { Date() }, logger: TestEnvironment.logger)
            let pollers = transit.services.compactMap { $0 as? RealtimePoller }
            #expect(pollers.count == 2)
            for poller in pollers { try await poller.fetchAll() }
            let pages = transit.pages
            #expect(Set(pages.realtime.keys) == ["north", "south"])
            let northT1 = try await pages.board(StopReference(feedID: "north", stopID: "S1"))?.departures.first { $0.tripID == "T1" }
            #expect(northT1?.status == .cancelled)
            let southT1 = try await pages.board(StopReference(feedID: "south", stopID: "S1"))?.departures.first { $0.tripID == "T1" }
            #expect(southT1?.status == .live && southT1?.expected == iso("2026-06-01T08:03:00-04:00"))
            let southB = try await pages.board(StopReference(feedID: "south", stopID: "B"))?.departures.first { $0.tripID == "T1" }
            #expect(southB?.status == .live && southB?.expected == iso("2026-06-01T08:23:00-04:00"))
            let northB = try await pages.board(StopReference(feedID: "north", stopID: "B"))?.departures.first { $0.tripID == "T1" }
            #expect(northB?.status == .cancelled)
        }
    }
}
