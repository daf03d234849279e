import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
@testable import TagResolver
@testable import TransitKit
import Testing
import ServerTestSupport
import TagTestSupport

/// GTFS-Realtime: feeds written by Google's Python bindings, served on 127.0.0.1, fetched by the poller,
/// applied to the synthetic feed's departures.
@Suite(.serialized) struct RealtimeTests {
    static let feed: GTFSFeed = try! GTFSReader.read(zip: try! SyntheticFeed.zip()).feed
    static let now = iso("2026-06-01T07:55:00-04:00")

    func timetable(_ stop: String) throws -> StopTimetable {
        try #require(StopTimetable(feed: Self.feed, feedID: "synth", stopID: stop))
    }

    /// Writes a FeedMessage with gtfs-realtime-bindings (behind ``ToolGate``); false when the script failed.
    func produce(_ spec: String, to url: URL) throws -> Bool {
        let python = try ToolGate.python(modules: "google.transit.gtfs_realtime_pb2")
        let script = ProjectPaths.root.appendingPathComponent("Tests/TransitTests/Tools/make_realtime.py").path
        let output = try runProgram(python, [script, url.path], stdin: Data(spec.utf8))
        #expect(output.status == 0, "\(output.stderr)")
        return output.status == 0
    }

    static let spec = """
        {"timestamp": \(Int(now.timeIntervalSince1970) - 20),
         "trip_updates": [
           {"trip_id": "T1", "start_date": "20260601", "stops": [{"seq": 1, "departure_delay": 180}]},
           {"trip_id": "T5", "start_date": "20260601", "relationship": "CANCELED"},
           {"trip_id": "T3", "start_date": "20260601", "start_time": "08:10:00", "stops": [{"stop_id": "P2", "relationship": "SKIPPED"}]},
           {"trip_id": "T3", "start_date": "20260601", "start_time": "08:20:00", "stops": [{"stop_id": "P2", "departure_time": \(Int(iso("2026-06-01T08:24:30-04:00").timeIntervalSince1970))}]},
           {"trip_id": "X9", "route_id": "R2", "start_date": "20260601", "relationship": "ADDED",
            "stops": [{"seq": 1, "stop_id": "P1", "departure_time": \(Int(iso("2026-06-01T08:15:00-04:00").timeIntervalSince1970))},
                      {"seq": 2, "stop_id": "C", "arrival_time": \(Int(iso("2026-06-01T08:40:00-04:00").timeIntervalSince1970))}]}
         ],
         "alerts": [
           {"id": "works", "header": {"en": "Platform 2 closed <soon>", "fr": "Quai 2 fermé <bientôt>"},
            "description": {"en": "Use platform 1."}, "effect": "DETOUR", "cause": "CONSTRUCTION",
            "informed": [{"stop_id": "P2"}]},
           {"id": "elsewhere", "header": {"en": "Not here"}, "informed": [{"stop_id": "B"}]},
           {"id": "over", "header": {"en": "Finished"}, "end": \(Int(now.timeIntervalSince1970) - 3600), "informed": [{"route_id": "R1"}]}
         ]}
        """

    func check(_ board: DepartureBoard) {
        #expect(board.realtime)
        let d = board.departures
        let t1 = d.first { $0.tripID == "T1" }
        #expect(t1?.status == .live && t1?.expected == iso("2026-06-01T08:03:00-04:00") && t1?.scheduled == iso("2026-06-01T08:00:00-04:00"))
        #expect(d.first { $0.tripID == "T5" }?.status == .cancelled)
        #expect(d.first { $0.tripID == "T3" && $0.startTime == "08:10:00" }?.status == .skipped)
        let t3 = d.first { $0.tripID == "T3" && $0.startTime == "08:20:00" }
        #expect(t3?.status == .live && t3?.expected == iso("2026-06-01T08:24:30-04:00"))
        #expect(d.first { $0.tripID == "T3" && $0.startTime == "08:30:00" }?.status == .scheduled)
        let added = d.first { $0.tripID == "X9" }
        #expect(added?.status == .live && added?.expected == iso("2026-06-01T08:15:00-04:00") && added?.stopID == "P1")
        #expect(!d.contains { $0.tripID == "X9" && $0.stopID == "C" })
        #expect(board.alerts.map(\.id) == ["works"])
        #expect(board.alerts.first?.effect == "DETOUR" && board.alerts.first?.cause == "CONSTRUCTION")
        #expect(ServiceAlert.text(board.alerts[0].header, language: "fr") == "Quai 2 fermé <bientôt>")
    }

    @Test func pollsAFileWrittenByGoogleBindings() async throws {
        let dir = try TestEnvironment.temporaryDirectory()
        let file = dir.appendingPathComponent("feed.pb")
        guard try produce(Self.spec, to: file) else { return }
        let state = RealtimeState()
        let poller = RealtimePoller(tripUpdates: .file(file.path), alerts: .file(file.path), state: state, logger: TestEnvironment.logger)
        var validators = RealtimePoller.Validators()
        try await poller.fetchOnce(.tripUpdates, .file(file.path), validators: &validators)
        var alertValidators = RealtimePoller.Validators()
        try await poller.fetchOnce(.alerts, .file(file.path), validators: &alertValidators)
        check(Departures.board(try timetable("S1"), at: Self.now, realtime: state.snapshot, horizon: 4000))
    }

    /// `tagtool gtfs departures --trip-updates/--alerts` prints what the page shows: the same realtime data
    /// (written by Google's bindings) applied by the same code, through the real binary.
    @Test func departuresCommandAppliesRealtime() async throws {
        let dir = try TestEnvironment.temporaryDirectory()
        let file = dir.appendingPathComponent("feed.pb")
        guard try produce(Self.spec, to: file) else { return }
        let location = try await TestEnvironment.freshDatabase(.sqlite)
        try await location.withTransitStore(logger: TestEnvironment.logger) { store in
            try await store.importFeed(Self.feed, feedID: "synth", source: "synth.zip")
        }
        let tagtool = ProjectPaths.root.appendingPathComponent(".build/debug/tagtool").path
        let arguments = ["gtfs", "departures", "--db", location.urlString, "--feed", "synth", "--stop", "S1",
                         "--at", "2026-06-01T07:55:00-04:00", "--minutes", "67", "--json"]
        let live = try await runProgramDetached(tagtool, arguments + ["--trip-updates", file.path, "--alerts", file.path])
        #expect(live.status == 0, "\(live.stderr)")
        let view = try JSONDecoder().decode(DepartureBoard.JSONView.self, from: live.stdout)
        let t1 = view.departures.first { $0.tripID == "T1" }
        #expect(t1?.status == .live && t1?.expected == "2026-06-01T08:03:00-04:00" && t1?.scheduled == "2026-06-01T08:00:00-04:00")
        #expect(view.departures.first { $0.tripID == "T5" }?.status == .cancelled)
        #expect(view.departures.contains { $0.tripID == "X9" })
        // --alerts: the stop's platform P2 is named by the alert, so the board carries it.
        #expect(view.alerts.map(\.id) == ["works"], "\(view.alerts)")

        let scheduled = try await runProgramDetached(tagtool, arguments)
        let plain = try JSONDecoder().decode(DepartureBoard.JSONView.self, from: scheduled.stdout)
        #expect(plain.departures.first { $0.tripID == "T1" }?.status == .scheduled)

        let missing = try await runProgramDetached(tagtool, arguments + ["--trip-updates", dir.appendingPathComponent("none.pb").path])
        #expect(missing.status != 0 && missing.stderr.contains("GTFS-Realtime"), "\(missing.stderr)")
    }

    /// The feed served over HTTP on 127.0.0.1 (a Hummingbird app in the test) with an ETag: the second fetch
    /// sends If-None-Match, gets 304 and keeps what it had; a broken body is an error that changes nothing.
    @Test func pollsHTTPWithConditionalRequests() async throws {
        let dir = try TestEnvironment.temporaryDirectory()
        let file = dir.appendingPathComponent("trips.pb")
        guard try produce(Self.spec, to: file) else { return }
        let bytes = try Data(contentsOf: file)
        let seen = Locked<[String]>([])
        let router = Router()
        router.get("trips.pb") { request, _ -> Response in
            let condition = request.headers[.ifNoneMatch] ?? "-"
            seen.withLock { $0.append(condition) }
            if condition == "\"v1\"" { return Response(status: .notModified, headers: [.eTag: "\"v1\""]) }
            return Response(
                status: .ok, headers: [.eTag: "\"v1\"", .contentType: "application/x-protobuf"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.get("bad.pb") { _, _ in "not protobuf at all" }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: TestEnvironment.logger)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let url = "http://127.0.0.1:\(port)/trips.pb"
            let state = RealtimeState()
            let poller = RealtimePoller(tripUpdates: .url(url), alerts: .url(url), state: state, logger: TestEnvironment.logger)
            var validators = RealtimePoller.Validators()
            try await poller.fetchOnce(.tripUpdates, .url(url), validators: &validators)
            #expect(validators.etag == "\"v1\"")
            var alertValidators = RealtimePoller.Validators()
            try await poller.fetchOnce(.alerts, .url(url), validators: &alertValidators)
            check(Departures.board(try timetable("S1"), at: Self.now, realtime: state.snapshot, horizon: 4000))
            state.update { $0.tripUpdates = [] }
            try await poller.fetchOnce(.tripUpdates, .url(url), validators: &validators)
            #expect(state.snapshot.tripUpdates.isEmpty)
            #expect(seen.withLock { $0 } == ["-", "-", "\"v1\""])
            var fresh = RealtimePoller.Validators()
            await #expect(throws: RealtimeError.self) {
                try await poller.fetchOnce(.tripUpdates, .url("http://127.0.0.1:\(port)/bad.pb"), validators: &fresh)
            }
        }
    }

    @Test func staleTripUpdatesAreIgnored() throws {
        let update = RealtimeTripUpdate(tripID: "T1", startDate: "20260601", stopUpdates: [.init(stopSequence: 1, departureDelay: 300)])
        let fresh = RealtimeSnapshot(tripUpdatesTimestamp: Self.now.addingTimeInterval(-89), tripUpdates: [update])
        let stale = RealtimeSnapshot(tripUpdatesTimestamp: Self.now.addingTimeInterval(-91), tripUpdates: [update])
        let live = Departures.board(try timetable("P1"), at: Self.now, realtime: fresh, horizon: 3600)
        #expect(live.realtime && live.departures.first?.status == .live)
        let old = Departures.board(try timetable("P1"), at: Self.now, realtime: stale, horizon: 3600)
        #expect(!old.realtime && old.departures.first?.status == .scheduled)
        #expect(StopPage.html(old, language: .en, selfPath: "/t/X", town: "T").contains("Scheduled times"))
    }

    @Test func delayPropagatesAndNoDataStopsIt() throws {
        // B is stop_sequence 3 of T1; an update at sequence 1 carries its delay forward.
        let board = { (updates: [RealtimeTripUpdate.StopUpdate]) in
            Departures.board(
                try self.timetable("B"), at: Self.now,
                realtime: RealtimeSnapshot(tripUpdatesTimestamp: Self.now, tripUpdates: [
                    RealtimeTripUpdate(tripID: "T1", startDate: "20260601", stopUpdates: updates)
                ]), horizon: 3600)
        }
        let propagated = try board([.init(stopSequence: 1, departureDelay: 120)]).departures.first { $0.tripID == "T1" }
        #expect(propagated?.expected == iso("2026-06-01T08:22:00-04:00") && propagated?.status == .live)
        let noData = try board([.init(stopSequence: 1, departureDelay: 120), .init(stopSequence: 2, relationship: .noData)])
            .departures.first { $0.tripID == "T1" }
        #expect(noData?.status == .scheduled && noData?.expected == noData?.scheduled)
        let otherDay = Departures.board(
            try timetable("B"), at: Self.now,
            realtime: RealtimeSnapshot(tripUpdatesTimestamp: Self.now, tripUpdates: [
                RealtimeTripUpdate(tripID: "T1", startDate: "20260602", relationship: .canceled)
            ]), horizon: 3600)
        #expect(otherDay.departures.first { $0.tripID == "T1" }?.status == .scheduled)
    }
}

