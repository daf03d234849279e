import CivicKit
import Foundation
import Hummingbird
import HummingbirdTesting
import TagKit
import TagResolver
import TransitKit
import Testing
import ServerTestSupport
import TagTestSupport

/// Town alerts where transit meets them: on the stop pages they touch (by stop, route or area) and in the
/// GTFS-Realtime alerts feed, decoded by Google's `gtfs-realtime-bindings`.
@Suite struct TownAlertTransitTests {
    static let central = TagID(payload: [2, 2, 3, 4, 5, 6, 7])
    static let bridge = TagID(payload: [2, 2, 3, 4, 5, 6, 8])
    static let campus = TagID(payload: [2, 2, 3, 4, 5, 6, 9])

    /// A resolver over the synthetic feed with three stop tags and three alerts: one naming stop P1 (a platform of
    /// Central Station), one a circle around Bridge, one naming route R2 (which calls at Bridge).
    func withResolver<T: Sendable>(_ backend: Backend, _ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let location = try await TestEnvironment.freshDatabase(backend)
        let feed = try GTFSReader.read(zip: try SyntheticFeed.zip()).feed
        let since = ISO8601DateFormatter().date(from: "2026-05-01T00:00:00Z")!
        try await location.withCivicStore(logger: TestEnvironment.logger) { store in
            try await store.importFeed(feed, feedID: "synth", source: "synth.zip")
            try await store.create(Tag(id: Self.central, name: "Central", target: .stop("synth/S1")), actor: "test")
            try await store.create(
                Tag(id: Self.bridge, name: "Bridge", place: Place(lat: 35.02, lon: -85.02), target: .stop("synth/B")), actor: "test")
            try await store.create(Tag(id: Self.campus, name: "Campus", target: .stop("synth/C")), actor: "test")
            try await store.publishAlert(
                TownAlert(id: "platform-closed", category: .works, severity: .moderate,
                          headline: LocalizedText(fr: "Quai 1 fermé", en: "Platform 1 closed"), from: since, stops: ["synth/P1"],
                          effect: .stopMoved),
                actor: "test")
            try await store.publishAlert(
                TownAlert(id: "snow-bridge", category: .weather, severity: .severe,
                          headline: LocalizedText(fr: "Pont enneigé", en: "Snow on the bridge"), from: since,
                          area: GeoArea(circles: [GeoCircle(center: GeoPoint(lat: 35.02, lon: -85.02), radiusMeters: 500)])),
                actor: "test")
            try await store.publishAlert(
                TownAlert(id: "night-line", category: .traffic, severity: .minor,
                          headline: LocalizedText(en: "Line 2 delayed"), from: since, routes: ["synth/R2"]),
                actor: "test")
        }
        var configuration = ResolverConfiguration()
        configuration.database = location.urlString
        configuration.townName = "Testville"
        configuration.transitClock = "2026-06-01T07:55:00-04:00"
        return try await withInProcessResolver(configuration: configuration, body)
    }

    @Test("a stop page shows the town alerts naming its platforms or routes, or whose area holds it — and no others", arguments: TestEnvironment.backends)
    func stopPagesShowTheAlertsTouchingThem(_ backend: Backend) async throws {
        try await withResolver(backend) { client in
            let central = try await client.execute(uri: "/t/\(Self.central)", method: .get, headers: [.acceptLanguage: "fr"]).text
            #expect(central.contains("Quai 1 fermé") && !central.contains("Pont enneigé"))
            let bridge = try await client.execute(uri: "/t/\(Self.bridge)?lang=en", method: .get).text
            #expect(bridge.contains("Snow on the bridge") && bridge.contains(#"role="alert""#) && !bridge.contains("Platform 1"))
            #expect(bridge.contains("/t/\(Self.bridge)/report"), "stop pages link the report form")
            // Banners come before the departures.
            if let banner = bridge.range(of: "Snow on the bridge"), let departures = bridge.range(of: "<h2>Next departures") {
                #expect(banner.lowerBound < departures.lowerBound)
            }
            let json = try await client.execute(uri: "/t/\(Self.bridge)?lang=en", method: .get, headers: [.accept: "application/json"])
            let view = try JSONDecoder().decode(DepartureBoard.JSONView.self, from: Data(buffer: json.body))
            // The severe one first; the route's alert too (line 2 calls at Bridge).
            #expect(view.alerts.map(\.id) == ["snow-bridge", "night-line"], "\(view.alerts.map(\.id))")
            #expect(view.alerts.first?.header == "Snow on the bridge")
            #expect(bridge.contains("Line 2 delayed"))
            let campus = try await client.execute(uri: "/t/\(Self.campus)?lang=en", method: .get).text
            #expect(!campus.contains("Platform 1 closed") && !campus.contains("Snow on the bridge"))
        }
    }

    @Test("the GTFS-Realtime alerts feed decodes with gtfs-realtime-bindings: stops, routes, the area's stops, cause and effect")
    func gtfsRealtimeAlertsFeed() async throws {
        let python = try ToolGate.python(modules: "google.transit.gtfs_realtime_pb2")
        try await withResolver(.sqlite) { client in
            let response = try await client.execute(uri: "/gtfs-rt/alerts.pb?feed=synth", method: .get)
            #expect(response.status == .ok && response.headers[.contentType] == "application/x-protobuf")
            let script = """
                import json, sys
                from google.transit import gtfs_realtime_pb2 as rt
                m = rt.FeedMessage(); m.ParseFromString(sys.stdin.buffer.read())
                out = {"version": m.header.gtfs_realtime_version, "full": m.header.incrementality == rt.FeedHeader.FULL_DATASET, "alerts": {}}
                for e in m.entity:
                    a = e.alert
                    out["alerts"][e.id] = {
                        "stops": sorted(x.stop_id for x in a.informed_entity if x.stop_id),
                        "routes": sorted(x.route_id for x in a.informed_entity if x.route_id),
                        "cause": rt.Alert.Cause.Name(a.cause), "effect": rt.Alert.Effect.Name(a.effect),
                        "header": {t.language: t.text for t in a.header_text.translation},
                        "start": a.active_period[0].start, "end": a.active_period[0].end,
                        "url": [t.text for t in a.url.translation]}
                print(json.dumps(out))
                """
            let decoded = try runProgram(python, ["-c", script], stdin: Data(buffer: response.body))
            #expect(decoded.status == 0, "\(decoded.stderr)")
            let feed = try JSONSerialization.jsonObject(with: decoded.stdout) as? [String: Any]
            #expect(feed?["version"] as? String == "2.0" && feed?["full"] as? Bool == true)
            let alerts = try #require(feed?["alerts"] as? [String: [String: Any]])
            #expect(Set(alerts.keys) == ["platform-closed", "snow-bridge", "night-line"])
            #expect(alerts["platform-closed"]?["stops"] as? [String] == ["P1"])
            #expect(alerts["platform-closed"]?["cause"] as? String == "CONSTRUCTION" && alerts["platform-closed"]?["effect"] as? String == "STOP_MOVED")
            #expect(alerts["platform-closed"]?["header"] as? [String: String] == ["fr": "Quai 1 fermé", "en": "Platform 1 closed"])
            #expect(alerts["snow-bridge"]?["stops"] as? [String] == ["B"], "the area's stops only")
            #expect(alerts["snow-bridge"]?["cause"] as? String == "WEATHER")
            #expect(alerts["night-line"]?["routes"] as? [String] == ["R2"] && alerts["night-line"]?["effect"] as? String == "SIGNIFICANT_DELAYS")
            #expect(alerts["night-line"]?["start"] as? Int == 1_777_593_600 && alerts["night-line"]?["end"] as? Int == 0)
            #expect((alerts["night-line"]?["url"] as? [String])?.first?.hasSuffix("/alerts/night-line") == true)
            // Another feed's name: nothing of synth's stops or routes.
            let other = try await client.execute(uri: "/gtfs-rt/alerts.pb?feed=elsewhere", method: .get)
            let otherDecoded = try runProgram(python, ["-c", script], stdin: Data(buffer: other.body))
            let otherFeed = try JSONSerialization.jsonObject(with: otherDecoded.stdout) as? [String: Any]
            #expect((otherFeed?["alerts"] as? [String: Any] ?? [:]).isEmpty)
        }
    }
}
