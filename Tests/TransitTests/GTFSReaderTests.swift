import Foundation
import TagResolver
import TransitKit
import Testing
import ServerTestSupport
import TagTestSupport

@Suite struct GTFSReaderTests {
    @Test func readsTheSyntheticFeedAndInterpolatesBlankTimes() throws {
        let result = try GTFSReader.read(zip: try SyntheticFeed.zip())
        let feed = result.feed
        #expect(feed.timezone == "America/New_York")
        #expect(feed.stops.count == 6)
        #expect(feed.validity.from == "20260301" && feed.validity.to == "20261130")
        let t1 = feed.stopTimes.filter { $0.tripID == "T1" }.sorted { $0.stopSequence < $1.stopSequence }
        // A lies 5 of 20 distance units from P1 (08:00) to B (08:20): 08:05.
        #expect(t1[1].stopID == "A")
        #expect(t1[1].interpolated)
        #expect(t1[1].departure == 29100)
        let lastFlags: [Bool] = t1.map { $0.isLast }
        #expect(lastFlags == [false, false, false, true])
        let starts: [Int] = t1.map { $0.tripStart }
        #expect(starts == [28800, 28800, 28800, 28800])
        let nightB = feed.stopTimes.first { $0.tripID == "T2" && $0.stopID == "B" }
        #expect(nightB?.departure == 90300)
        #expect(feed.frequencies.count == 2)
        #expect(result.warnings.isEmpty)
    }

    @Test func interpolatesEvenlyWithoutDistances() throws {
        var files = SyntheticFeed.files
        files["stop_times.txt"] = """
            trip_id,arrival_time,departure_time,stop_id,stop_sequence
            T1,08:00:00,08:00:00,P1,1
            T1,,,A,2
            T1,,,B,3
            T1,08:30:00,08:30:00,C,4

            """
        files["frequencies.txt"] = nil
        files["trips.txt"] = "route_id,service_id,trip_id\nR1,WK,T1\n"
        let feed = try GTFSReader.read(zip: try makeZip(files)).feed
        #expect(feed.stopTimes.map(\.departure) == [28800, 29400, 30000, 30600])
    }

    @Test func badTimeIsAnErrorWithFileLineAndColumn() throws {
        var files = SyntheticFeed.files
        files["stop_times.txt"] = files["stop_times.txt"]!.replacingOccurrences(of: "T1,08:20:00,08:20:00", with: "T1,25:61:00,08:20:00")
        let error = try #require(throws: GTFSImportError.self) { try GTFSReader.read(zip: try makeZip(files)) }
        let problem = try #require(error.errors.first)
        #expect(problem.file == "stop_times.txt")
        #expect(problem.line == 4)
        #expect(problem.column == "arrival_time")
        #expect(problem.reason.contains("'25:61:00' is not a time"))
        #expect(error.description.contains("stop_times.txt:4 column arrival_time"))
    }

    @Test func missingStopTimesIsAnError() throws {
        let error = try #require(throws: GTFSImportError.self) { try GTFSReader.read(zip: try SyntheticFeed.zip(replacing: ["stop_times.txt": nil])) }
        #expect(error.errors.contains { $0.file == "stop_times.txt" && $0.reason.contains("required file is missing") })
    }

    @Test func corruptZipIsAnError() throws {
        let url = try TestEnvironment.temporaryDirectory().appendingPathComponent("broken.zip")
        var bytes = try Data(contentsOf: try SyntheticFeed.zip())
        bytes = bytes.prefix(bytes.count / 2)
        try bytes.write(to: url)
        let error = try #require(throws: GTFSImportError.self) { try GTFSReader.read(zip: url) }
        #expect(error.errors.first?.file == "broken.zip")
        #expect(error.errors.first?.reason.contains("not a readable zip") == true)
    }

    @Test func referencesAndOrderAreChecked() throws {
        var files = SyntheticFeed.files
        files["stop_times.txt"] = """
            trip_id,arrival_time,departure_time,stop_id,stop_sequence
            T1,08:00:00,08:00:00,P1,1
            T1,07:00:00,07:00:00,A,2
            T9,08:00:00,08:00:00,P1,1
            T2,08:00:00,08:00:00,NOPE,1

            """
        files["trips.txt"] = "route_id,service_id,trip_id\nR1,WK,T1\nR9,XX,T2\n"
        files["frequencies.txt"] = nil
        let error = try #require(throws: GTFSImportError.self) { try GTFSReader.read(zip: try makeZip(files)) }
        let reasons = error.errors.map(\.description)
        #expect(reasons.contains { $0.contains("trips.txt:3 column route_id") && $0.contains("unknown route 'R9'") })
        #expect(reasons.contains { $0.contains("trips.txt:3 column service_id") })
        #expect(reasons.contains { $0.contains("stop_times.txt:4 column trip_id") && $0.contains("unknown trip 'T9'") })
        #expect(reasons.contains { $0.contains("stop_times.txt:5 column stop_id") && $0.contains("unknown stop 'NOPE'") })
        #expect(reasons.contains { $0.contains("stop_times.txt:3") && $0.contains("before it left the previous timepoint") })
    }

    @Test func badColourIsOnlyAWarning() throws {
        var files = SyntheticFeed.files
        files["routes.txt"] = files["routes.txt"]!.replacingOccurrences(of: "FFD700", with: "yellow")
        let result = try GTFSReader.read(zip: try makeZip(files))
        #expect(result.warnings.contains { $0.file == "routes.txt" && $0.line == 2 && $0.column == "route_color" })
        #expect(result.feed.routes.first { $0.id == "R1" }?.color == "")
    }

    @Test func timesParse() {
        #expect(GTFSTime.seconds("25:05:00") == 90300)
        #expect(GTFSTime.seconds("8:05:00") == 29100)
        #expect(GTFSTime.seconds("25:61:00") == nil)
        #expect(GTFSTime.seconds("08:05") == nil)
        #expect(GTFSTime.format(90300) == "25:05:00")
    }
}
