import ArgumentParser
import Foundation
import TagKit
import TagResolver
import TransitKit

/// Mints one tag per stop of an imported GTFS feed, each leading to the stop's live departures page.
struct TagsFromGTFSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "from-gtfs",
        abstract: "Mint tags for stops of an imported feed (target stop:<feed>/<stop_id>), all or nothing.",
        discussion: """
            Prints the print batch CSV (id,name,url) for `tagtool qr`/labels. Stops that already have a
            tag for the same target are skipped, so the command can be re-run after adding stops.
            """)

    @Argument(help: "Feed ID given to `tagtool gtfs import`, e.g. carta.") var feed: String
    @Option(help: "Comma-separated stop_ids, or 'stations' (location_type 1), or 'all' (stops and stations that are not platforms of a station).")
    var stops: String
    @OptionGroup var database: TransitDatabaseOptions
    @OptionGroup var base: BaseURLOption
    @Flag(help: "Print JSON instead of CSV.") var json = false

    func validate() throws {
        do { try FeedID.validate(feed) } catch { throw ValidationError(error.description) }
        guard !stops.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--stops is empty") }
    }

    func run() async throws {
        let trimmed = base.resolved
        let (feed, selection) = (self.feed, self.stops)
        let minted = try await database.location().withTransitStore(logger: TransitDatabaseOptions.logger) { store in
            let all = try await store.stops(feedID: feed)
            guard !all.isEmpty else { throw CLIError("feed '\(feed)' is not imported — run `tagtool gtfs import` first") }
            let chosen: [GTFSFeed.Stop]
            switch selection {
            case "all": chosen = all.filter { ($0.locationType == 0 && $0.parentStation.isEmpty) || $0.locationType == 1 }
            case "stations": chosen = all.filter { $0.locationType == 1 }
            default:
                let byID = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
                let wanted = selection.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                let unknown = wanted.filter { byID[$0] == nil }
                guard unknown.isEmpty else {
                    throw CLIError("not in feed '\(feed)': \(unknown.joined(separator: ", ")) — nothing was minted")
                }
                chosen = wanted.compactMap { byID[$0] }
            }
            let existing = try await store.tags()
            let taken = Set(existing.compactMap { $0.target.kind == .stop ? $0.target.stop : nil })
            var ids = Set(existing.map(\.id))
            var tags: [Tag] = []
            for stop in chosen {
                let reference = StopReference(feedID: feed, stopID: stop.id).description
                if taken.contains(reference) { continue }
                var id = TagID.random()
                while ids.contains(id) { id = TagID.random() }
                ids.insert(id)
                let name = stop.name.isEmpty ? "Stop \(stop.id)" : stop.name
                tags.append(Tag(
                    id: id, name: String(name.prefix(200)), place: Place(lat: stop.lat, lon: stop.lon),
                    target: .stop(reference), notes: "GTFS \(feed) stop_id \(stop.id)"))
            }
            for tag in tags { try tag.validate() }
            if !tags.isEmpty { try await store.importTags(tags, actor: "tagtool tags from-gtfs") }
            return tags
        }
        if json {
            try printJSON(minted)
            return
        }
        print("id,name,url")
        for tag in minted { print(CSV.line([tag.id.rawValue, tag.name, trimmed + "/t/" + tag.id.rawValue]), terminator: "") }
        FileHandle.standardError.write(Data("minted \(minted.count) tag(s) for feed \(feed)\n".utf8))
    }
}
