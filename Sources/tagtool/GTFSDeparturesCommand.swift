import ArgumentParser
import Foundation
import TagResolver
import TransitKit

struct GTFSDeparturesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "departures",
        abstract: "Next departures from a stop (or a station's platforms) of an imported feed.",
        discussion: """
            Prints what the stop page shows. With --trip-updates and/or --alerts (GTFS-Realtime, an http(s) URL
            or a file), the realtime data is fetched once and applied the same way the resolver does: delays,
            cancellations, skipped stops, alerts; trip updates older than 90 s count as absent.
            """)

    @OptionGroup var database: TransitDatabaseOptions
    @Option(help: "Feed ID, e.g. carta.") var feed: String
    @Option(help: "stop_id from stops.txt.") var stop: String
    @Option(name: [.customLong("at"), .customLong("now")],
            help: "Clock: 2026-06-01T08:00 (agency local time) or ISO 8601 with offset; default: the real time.")
    var at: String?
    @Option(help: "How far ahead to look, in minutes.") var minutes = 180
    @Option(help: "At most this many departures.") var limit = 20
    @Option(help: "GTFS-Realtime TripUpdates to apply: http(s) URL or file.") var tripUpdates: String?
    @Option(help: "GTFS-Realtime Alerts to apply: http(s) URL or file.") var alerts: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard minutes > 0, limit > 0 else { throw ValidationError("--minutes and --limit must be positive") }
    }

    func run() async throws {
        let (feed, stop, at, minutes, limit) = (self.feed, self.stop, self.at, self.minutes, self.limit)
        var snapshot: RealtimeSnapshot?
        if tripUpdates != nil || alerts != nil {
            let state = RealtimeState()
            let poller = RealtimePoller(
                tripUpdates: tripUpdates.map(RealtimePoller.Source.init), alerts: alerts.map(RealtimePoller.Source.init),
                state: state, logger: TransitDatabaseOptions.logger)
            do { try await poller.fetchAll() } catch {
                throw CLIError("cannot read the GTFS-Realtime data: \(error) — check the --trip-updates/--alerts URL or file")
            }
            snapshot = state.snapshot
        }
        let realtime = snapshot
        let board = try await database.location().withTransitStore(logger: TransitDatabaseOptions.logger) { store in
            guard let timetable = try await store.timetable(feedID: feed, stopID: stop) else {
                throw CLIError("no stop '\(stop)' in feed '\(feed)' — list feeds with `tagtool gtfs feeds`")
            }
            let zone = TimeZone(identifier: timetable.timezone) ?? .gmt
            let now = try at.map { try ClockOption.parse($0, timezone: zone) } ?? Date()
            let pages = StopPageService(store: store, realtime: [:], town: "", now: { now })
            return try await pages.board(timetable, at: now, realtime: realtime, horizon: minutes * 60, limit: limit)
        }
        let view = board.jsonView()
        if json {
            let encoder = DepartureBoard.jsonEncoder()
            encoder.outputFormatting.insert(.prettyPrinted)
            print(String(decoding: try encoder.encode(view), as: UTF8.self))
            return
        }
        print("\(view.stopName) (\(view.feed)/\(view.stopID)) at \(view.computedAt)")
        if board.expired { print("The timetable has expired: service ended \(view.validTo). Import a newer feed.") }
        if board.notYetValid { print("The timetable starts on \(view.validFrom).") }
        if view.departures.isEmpty { print("No departures in the next \(minutes) minutes.") }
        for d in view.departures {
            let clock = d.expected.dropFirst(11).prefix(5)
            print("\(clock)  in \(d.minutes) min  \(d.route.padding(toLength: 5, withPad: " ", startingAt: 0))  \(d.headsign)  [\(d.status.rawValue)] trip \(d.tripID)")
        }
    }
}
