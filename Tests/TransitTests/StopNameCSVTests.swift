import Foundation
import TagKit
import TagResolver
import TransitKit
import ServerTestSupport
import TagTestSupport
import Testing

/// `tagtool tags from-gtfs` prints a print batch CSV of stop names a feed publisher chose: a name that would
/// start a spreadsheet formula comes out as text, and the batch reads back with the name as published.
@Suite struct StopNameCSVTests {
    @Test func hostileStopNamesAreNeutralised() async throws {
        let hostile = #"=HYPERLINK("https://evil.example","x")"#
        var stops = SyntheticFeed.files["stops.txt"]!
        stops = stops.replacingOccurrences(of: "B,Bridge,", with: "B,\"\(hostile.replacingOccurrences(of: "\"", with: "\"\""))\",")
            .replacingOccurrences(of: "C,Campus,", with: "C,-2+3+cmd,")
        let feed = try GTFSReader.read(zip: try SyntheticFeed.zip(replacing: ["stops.txt": stops])).feed
        #expect(feed.stops.first { $0.id == "B" }?.name == hostile)
        let location = try await TestEnvironment.freshDatabase(.sqlite)
        try await location.withTransitStore(logger: TestEnvironment.logger) { store in
            _ = try await store.importFeed(feed, feedID: "synth", source: "synth.zip")
        }
        let tagtool = try ProjectPaths.product("tagtool")
        let minted = try await runProgramDetached(
            tagtool, ["tags", "from-gtfs", "synth", "--stops", "B,C", "--db", location.urlString, "--base-url", "https://go.example.org"])
        #expect(minted.status == 0, "\(minted.stderr)")
        let csv = minted.stdoutText
        #expect(csv.contains(",\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"x\"\")\","), "\(csv)")
        #expect(csv.contains(",\"'-2+3+cmd\","), "\(csv)")
        #expect(!csv.contains(",=") && !csv.contains(",-2"), "\(csv)")
        #expect(try CSV.parse(csv).dropFirst().map { $0.fields[1] } == [hostile, "-2+3+cmd"])
    }
}
