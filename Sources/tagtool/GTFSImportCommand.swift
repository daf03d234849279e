import ArgumentParser
import Foundation
import TagResolver
import TransitKit

struct GTFSImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Check a GTFS zip and make it the active version of a feed (all or nothing).",
        discussion: """
            Errors (file, line, column, reason) refuse the feed and leave the previous version serving;
            warnings are printed and the import goes on. The new version becomes active in one
            transaction once it is complete.
            """)

    @Argument(help: "The GTFS zip, e.g. samples/carta-2026-05.zip.") var feed: String
    @Option(help: "Feed ID used in tags (stop:<feed>/<stop_id>); default: the zip's name up to the first '-' or '.'.")
    var feedID: String?
    @Option(help: ArgumentHelp(
        "Refuse the feed if any of its files inflates to more than this many bytes.",
        discussion: """
            Default: 2 GiB for stop_times.txt (streamed to a temporary file), 256 MiB for every other file (held \
            in memory). Counted on the bytes actually inflated, not on the sizes the zip declares.
            """))
    var maxEntryBytes: Int?
    @OptionGroup var database: TransitDatabaseOptions
    @Flag(help: "Print the result as JSON.") var json = false

    var resolvedFeedID: String {
        feedID ?? String(URL(fileURLWithPath: feed).deletingPathExtension().lastPathComponent
            .prefix { $0 != "-" && $0 != "." }).lowercased()
    }

    func validate() throws {
        do { try FeedID.validate(resolvedFeedID) } catch { throw ValidationError(error.description + " — pass --feed-id") }
        guard (maxEntryBytes ?? 1) > 0 else { throw ValidationError("--max-entry-bytes must be a positive number of bytes") }
    }

    func run() async throws {
        let url = URL(fileURLWithPath: feed)
        // stop_times.txt is streamed from a temporary file into the database (memory stays about flat with
        // the feed's size); its errors roll the import back like any other.
        let opened: GTFSStreamingFeed
        do {
            opened = try GTFSReader.open(zip: url, limits: maxEntryBytes.map(GTFSReader.EntryLimits.uniform) ?? .default)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode.failure
        }
        let feedID = resolvedFeedID
        let imported: (version: FeedVersion, warnings: [GTFSProblem])
        do {
            imported = try await database.location().withTransitStore(logger: TransitDatabaseOptions.logger) { store in
                try await store.importFeed(opened, feedID: feedID, source: url.lastPathComponent)
            }
        } catch let error as GTFSImportError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode.failure
        }
        let version = imported.version
        let warnings = opened.warnings + imported.warnings
        for warning in warnings.prefix(20) { FileHandle.standardError.write(Data("\(warning)\n".utf8)) }
        if warnings.count > 20 {
            FileHandle.standardError.write(Data("… \(warnings.count - 20) more warning(s)\n".utf8))
        }
        if json {
            let encoder = DepartureBoard.jsonEncoder()
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(version), as: UTF8.self))
        } else {
            print("imported \(version.feedID) version \(version.version): \(version.stops) stops, \(version.trips) trips, "
                + "\(version.stopTimes) stop times, service \(version.validFrom)–\(version.validTo) (\(version.timezone)), "
                + "\(warnings.count) warning(s)")
        }
    }
}
