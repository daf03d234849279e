import Foundation
import TagResolver
import TransitKit
import Testing
import ServerTestSupport
import TagTestSupport

/// Both databases, same suite: import, several feeds side by side, all-or-nothing re-import.
@Suite(.serialized) struct TransitStoreTests {
    @Test(arguments: TestEnvironment.backends)
    func importsAndReadsTimetables(_ backend: Backend) async throws {
        let location = try await TestEnvironment.freshDatabase(backend)
        let feed = try GTFSReader.read(zip: try SyntheticFeed.zip()).feed
        try await location.withTransitStore(logger: TestEnvironment.logger) { store in
            let version = try await store.importFeed(feed, feedID: "synth", source: "synth.zip")
            #expect(version.stopTimes == feed.stopTimes.count && version.timezone == "America/New_York")
            let stored = try #require(try await store.timetable(feedID: "synth", stopID: "S1"))
            let memory = try #require(StopTimetable(feed: feed, feedID: "synth", stopID: "S1"))
            #expect(stored.platforms.map(\.id) == ["P1", "P2"])
            let at = iso("2026-06-01T07:55:00-04:00")
            #expect(Departures.board(stored, at: at).departures == Departures.board(memory, at: at).departures)
            #expect(stored.stop.name == "Central Station")
            #expect(try await store.stops(feedID: "synth").count == 6)
            #expect(try await store.timetable(feedID: "synth", stopID: "NOPE") == nil)
            #expect(try await store.timetable(feedID: "other", stopID: "S1") == nil)
            // Trips' stops, in order, for realtime updates that name stops by stop_id.
            let trips = try await store.tripStops(feedID: "synth", version: version.version, tripIDs: ["T1", "T3", "NOPE"])
            #expect(trips["T1"]?.map(\.stopID) == ["P1", "A", "B", "C"] && trips["T1"]?.map(\.stopSequence) == [1, 2, 3, 4])
            #expect(trips["T1"]?[1].departure == 8 * 3600 + 5 * 60)
            #expect(trips["T3"]?.count == 3 && trips["NOPE"] == nil)
            #expect(try await store.tripStops(feedID: "other", version: version.version, tripIDs: ["T1"]).isEmpty)
        }
    }

    @Test(arguments: TestEnvironment.backends)
    func feedsSideBySideAndReimportFlipsVersion(_ backend: Backend) async throws {
        let location = try await TestEnvironment.freshDatabase(backend)
        let synth = try GTFSReader.read(zip: try SyntheticFeed.zip()).feed
        var changed = SyntheticFeed.files
        changed["stops.txt"] = changed["stops.txt"]!.replacingOccurrences(of: "Central Station,", with: "Gare centrale,")
            .replacingOccurrences(of: "\"Central Station\"", with: "\"Gare centrale\"")
        let renamed = try GTFSReader.read(zip: try makeZip(changed)).feed
        try await location.withTransitStore(logger: TestEnvironment.logger) { store in
            let first = try await store.importFeed(synth, feedID: "synth", source: "a.zip")
            try await store.importFeed(synth, feedID: "other", source: "b.zip")
            let second = try await store.importFeed(renamed, feedID: "synth", source: "c.zip")
            #expect(second.version > first.version)
            let versions = try await store.feedVersions()
            #expect(versions.map(\.feedID) == ["other", "synth"])
            #expect(versions.first { $0.feedID == "synth" }?.source == "c.zip")
            #expect(try await store.timetable(feedID: "synth", stopID: "S1")?.stop.name == "Gare centrale")
            #expect(try await store.timetable(feedID: "other", stopID: "S1")?.stop.name == "Central Station")
        }
    }

    /// A refused feed changes nothing: the reader rejects it before any write, and the old version serves.
    @Test(arguments: TestEnvironment.backends)
    func failedImportKeepsThePreviousVersion(_ backend: Backend) async throws {
        let location = try await TestEnvironment.freshDatabase(backend)
        let good = try GTFSReader.read(zip: try SyntheticFeed.zip()).feed
        _ = try await location.withTransitStore(logger: TestEnvironment.logger) { store in
            try await store.importFeed(good, feedID: "synth", source: "good.zip")
        }
        var bad = SyntheticFeed.files
        bad["stop_times.txt"] = bad["stop_times.txt"]!.replacingOccurrences(of: "T1,08:20:00", with: "T1,25:61:00")
        let badZip = try makeZip(bad)
        #expect(throws: GTFSImportError.self) { try GTFSReader.read(zip: badZip) }
        #expect(throws: GTFSImportError.self) { try GTFSReader.read(zip: try SyntheticFeed.zip(replacing: ["stop_times.txt": nil])) }
        // A feed ID that fails inside the store's transaction also leaves everything as it was.
        try await location.withTransitStore(logger: TestEnvironment.logger) { store in
            await #expect(throws: InvalidInput.self) { try await store.importFeed(good, feedID: "Bad ID!", source: "x.zip") }
            // A database failure halfway (duplicate stop primary key, after agency rows were written) rolls back.
            var broken = good
            broken.stops.append(good.stops[0])
            broken.agencies[0].name = "Half-written"
            await #expect(throws: (any Error).self) { try await store.importFeed(broken, feedID: "synth", source: "broken.zip") }
            let versions = try await store.feedVersions()
            #expect(versions.map(\.source) == ["good.zip"])
            let timetable = try #require(try await store.timetable(feedID: "synth", stopID: "P1"))
            #expect(!Departures.board(timetable, at: iso("2026-06-01T07:55:00-04:00")).departures.isEmpty)
        }
    }
}
