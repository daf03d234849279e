import Foundation
@testable import TagResolver
@testable import TransitKit
import Testing
import ServerTestSupport
import TagTestSupport

/// `tagtool gtfs import` streams stop_times.txt (``GTFSReader/open(zip:)`` + ``GTFSStopTimeStream``): the
/// same stop times as the in-memory reader, the same errors with file/line/column, all or nothing.
@Suite(.serialized) struct StreamingImportTests {
    /// The tokenizer gives the same records however the bytes are cut (BOM, quotes, "" and newlines inside
    /// quotes, CRLF, no final newline).
    @Test func csvRecordsDoNotDependOnPieceSize() throws {
        let text = "\u{FEFF}a,b,c\r\n1,\"x, \"\"y\"\"\",3\r\n\"multi\nline\",,\"\"\n4,5,6"
        let bytes = Array(text.utf8)
        func records(_ size: Int) throws -> [[String]] {
            var reader = GTFSRecords()
            var out: [[String]] = []
            var start = 0
            while start < bytes.count {
                let piece = Array(bytes[start..<min(start + size, bytes.count)])
                piece.withUnsafeBufferPointer { reader.consume($0) { fields, line in out.append(fields + ["@\(line)"]) } }
                start += size
            }
            try reader.finish { fields, line in out.append(fields + ["@\(line)"]) }
            return out
        }
        let expected = [["a", "b", "c", "@1"], ["1", "x, \"y\"", "3", "@2"], ["multi\nline", "", "", "@3"], ["4", "5", "6", "@5"]]
        for size in 1...bytes.count { #expect(try records(size) == expected, "piece size \(size)") }
        let table = try GTFSTable(file: "x.txt", bytes: bytes)
        #expect(table.header == ["a", "b", "c"] && table.rows.count == 3 && table.lines == [2, 3, 5])
    }

    func stopTimes(_ location: DatabaseLocation, version: Int64) async throws -> [String] {
        try await location.withTransitStore(logger: TestEnvironment.logger) { store in
            let trips = try await GTFSReader.read(zip: TestEnvironment.carta).feed.trips.map(\.id)
            let stops = try await store.tripStops(feedID: "carta", version: version, tripIDs: trips)
            return stops.flatMap { trip, list in list.map { "\(trip)|\($0.stopSequence)|\($0.stopID)|\($0.arrival)|\($0.departure)" } }.sorted()
        }
    }

    /// CARTA (82,644 stop times: several batches, several 1 MiB reads) streamed into SQLite: exactly the stop
    /// times the in-memory reader produces.
    @Test func cartaStreamedEqualsInMemory() async throws {
        let memory = try GTFSReader.read(zip: TestEnvironment.carta).feed
        let opened = try GTFSReader.open(zip: TestEnvironment.carta)
        #expect(opened.feed.stopTimes.isEmpty && opened.feed.trips.count == memory.trips.count)
        let location = try await TestEnvironment.freshDatabase(.sqlite)
        let imported = try await location.withTransitStore(logger: TestEnvironment.logger) { store in
            try await store.importFeed(opened, feedID: "carta", source: "carta.zip")
        }
        #expect(imported.version.stopTimes == 82_644 && opened.stopTimes.grouped)
        let stored = try await stopTimes(location, version: imported.version.version)
        let expected = memory.stopTimes.map { "\($0.tripID)|\($0.stopSequence)|\($0.stopID)|\($0.arrival)|\($0.departure)" }.sorted()
        #expect(stored.count == expected.count && stored == expected)
    }

    /// Rows of trips not listed together: the stream notices, the store rolls back, and the import runs again
    /// keeping every trip to the end — same result.
    @Test(arguments: TestEnvironment.backends)
    func ungroupedStopTimesFallBack(_ backend: Backend) async throws {
        var files = SyntheticFeed.files
        var lines = files["stop_times.txt"]!.split(separator: "\n").map(String.init)
        let header = lines.removeFirst()
        // T1's first row moved to the end, after every other trip.
        files["stop_times.txt"] = ([header] + lines.dropFirst() + [lines[0]]).joined(separator: "\n") + "\n"
        let zip = try makeZip(files)
        let memory = try GTFSReader.read(zip: zip).feed
        let opened = try GTFSReader.open(zip: zip)
        let location = try await TestEnvironment.freshDatabase(backend)
        try await location.withTransitStore(logger: TestEnvironment.logger) { store in
            let imported = try await store.importFeed(opened, feedID: "synth", source: "shuffled.zip")
            #expect(!opened.stopTimes.grouped && imported.version.stopTimes == memory.stopTimes.count)
            #expect(try await store.feedVersions().count == 1)
            let at = iso("2026-06-01T07:55:00-04:00")
            for stop in ["S1", "A", "B"] {
                let stored = try #require(try await store.timetable(feedID: "synth", stopID: stop))
                let expected = try #require(StopTimetable(feed: memory, feedID: "synth", stopID: stop))
                #expect(Departures.board(stored, at: at).departures == Departures.board(expected, at: at).departures)
            }
        }
    }

    /// Errors found while streaming (a bad time in a row, a trip with one stop_sequence twice) are reported
    /// with file, line and column, and the previous version keeps serving.
    @Test(arguments: TestEnvironment.backends)
    func errorsWhileStreamingRollBack(_ backend: Backend) async throws {
        let location = try await TestEnvironment.freshDatabase(backend)
        let good = try GTFSReader.read(zip: try SyntheticFeed.zip()).feed
        var files = SyntheticFeed.files
        files["stop_times.txt"] = files["stop_times.txt"]!
            .replacingOccurrences(of: "T1,08:20:00,08:20:00", with: "T1,25:61:00,08:20:00")
            .replacingOccurrences(of: "T5,09:10:00,09:10:00,B,3", with: "T5,09:10:00,09:10:00,B,2")
        let opened = try GTFSReader.open(zip: try makeZip(files))
        try await location.withTransitStore(logger: TestEnvironment.logger) { store in
            let first = try await store.importFeed(good, feedID: "synth", source: "good.zip")
            let error = try await #require(throws: GTFSImportError.self) {
                try await store.importFeed(opened, feedID: "synth", source: "bad.zip")
            }
            let time = try #require(error.errors.first { $0.column == "arrival_time" && $0.reason.contains("25:61:00") })
            #expect(time.file == "stop_times.txt" && time.line == 4)
            let twice = try #require(error.errors.first { $0.column == "stop_sequence" })
            #expect([17, 18].contains(twice.line) && twice.reason.contains("trip T5 has stop_sequence 2 twice"))
            let versions = try await store.feedVersions()
            #expect(versions.count == 1 && versions[0].version == first.version && versions[0].source == "good.zip")
            #expect(try await store.timetable(feedID: "synth", stopID: "S1")?.events.count == good.stopTimes.filter { $0.stopID.hasPrefix("P") }.count)
        }
    }

    /// Errors in the other files and in stop_times.txt are reported together by open(zip:), before any write.
    @Test func openReportsEveryFilesErrors() throws {
        var files = SyntheticFeed.files
        files["stop_times.txt"] = files["stop_times.txt"]!.replacingOccurrences(of: "T1,08:20:00,08:20:00", with: "T1,25:61:00,08:20:00")
        files["agency.txt"] = files["agency.txt"]!.replacingOccurrences(of: "America/New_York", with: "Mars/Olympus")
        let error = try #require(throws: GTFSImportError.self) { try GTFSReader.open(zip: try makeZip(files)) }
        #expect(error.errors.contains { $0.file == "agency.txt" && $0.column == "agency_timezone" })
        #expect(error.errors.contains { $0.file == "stop_times.txt" && $0.line == 4 && $0.column == "arrival_time" })
        #expect(throws: GTFSImportError.self) { try GTFSReader.open(zip: try SyntheticFeed.zip(replacing: ["stop_times.txt": nil])) }
    }
}
