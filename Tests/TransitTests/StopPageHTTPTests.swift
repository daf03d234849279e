import Foundation
import Hummingbird
import HummingbirdTesting
import TagKit
import TagResolver
import TransitKit
import Testing
import ServerTestSupport
import TagTestSupport

/// The stop page through the real resolver on 127.0.0.1: a `stop` tag over the synthetic feed, the clock set
/// by the `transit-clock` configuration key; then headless Chromium renders it in both languages.
@Suite(.serialized) struct StopPageHTTPTests {
    static let tagID = TagID(payload: [1, 2, 3, 4, 5, 6, 7])

    func withResolver<T: Sendable>(
        _ backend: Backend, realtime: URL? = nil, _ body: @Sendable (any TestClientProtocol) async throws -> T
    ) async throws -> T {
        let location = try await TestEnvironment.freshDatabase(backend)
        let feed = try GTFSReader.read(zip: try SyntheticFeed.zip()).feed
        try await location.withTransitStore(logger: TestEnvironment.logger) { store in
            try await store.importFeed(feed, feedID: "synth", source: "synth.zip")
            try await store.create(Tag(id: Self.tagID, name: "Central", target: .stop("synth/S1")), actor: "test")
        }
        var configuration = ResolverConfiguration()
        configuration.database = location.urlString
        configuration.townName = "Testville"
        configuration.transitClock = "2026-06-01T07:55:00-04:00"
        if let realtime {
            configuration.realtimeFeed = "synth"
            configuration.realtimeTripUpdates = realtime.path
            configuration.realtimeAlerts = realtime.path
            configuration.realtimePollSeconds = 1
        }
        return try await withInProcessResolver(configuration: configuration, body)
    }

    @Test(arguments: TestEnvironment.backends)
    func servesHTMLInBothLanguagesAndJSON(_ backend: Backend) async throws {
        try await withResolver(backend) { client in
            let path = "/t/\(Self.tagID.rawValue)"
            try await client.execute(uri: path, method: .get, headers: [.acceptLanguage: "fr-BE,fr;q=0.9"]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let html = String(buffer: response.body)
                #expect(html.contains("<html lang=\"fr\">") && html.contains("Central Station"))
                #expect(html.contains("dans 5 min") && html.contains("08:00"))
                #expect(html.contains("href=\"\(path)?lang=en\""))
                #expect(html.utf8.count < 30_000)
            }
            try await client.execute(uri: path + "?lang=en", method: .get, headers: [.acceptLanguage: "fr"]) { response in
                #expect(String(buffer: response.body).contains("Next departures"))
            }
            try await client.execute(uri: path, method: .get, headers: [.accept: "application/json"]) { response in
                let view = try JSONDecoder().decode(DepartureBoard.JSONView.self, from: Data(String(buffer: response.body).utf8))
                #expect(view.stopID == "S1" && view.timetable == "valid")
                #expect(view.departures.first?.tripID == "T1" && view.departures.first?.scheduled == "2026-06-01T08:00:00-04:00")
                #expect(view.departures.first?.status == .scheduled)
            }
        }
    }

    /// The second request for a page in the same minute is the cached page, answered by the resolver's fast lane.
    @Test func fastLaneServesTheCachedPage() async throws {
        try await withResolver(.sqlite) { client in
            let path = "/t/\(Self.tagID.rawValue)"
            var bodies: [String] = []
            for _ in 0..<3 {
                try await client.execute(uri: path, method: .get, headers: [.acceptLanguage: "fr"]) { response in
                    #expect(response.status == .ok)
                    bodies.append(String(buffer: response.body))
                }
            }
            #expect(Set(bodies).count == 1 && bodies[0].contains("dans 5 min"))
            try await client.execute(uri: "/metrics", method: .get) { response in
                let metrics = String(buffer: response.body)
                func value(_ name: String) -> Double? { metric(name, in: metrics) }
                // The first is computed (the fast lane waits for it), the next two come from the page cache.
                #expect(value("civictags_fast_lane_answers_total") == 3, "\(metrics)")
                #expect(value("civictags_fast_lane_waits_total") == 1, "\(metrics)")
            }
        }
    }

    @Test func chromiumRendersBothLanguages() async throws {
        let chromium = try ToolGate.require("chromium")[0]
        let python = try ToolGate.python()
        let outDir = try TestEnvironment.temporaryDirectory()
        let results = try await withResolver(.sqlite) { client in
            let port = try #require(client.port)
            var out: [(String, String, URL)] = []
            for language in ["en", "fr"] {
                let url = "http://127.0.0.1:\(port)/t/\(Self.tagID.rawValue)?lang=\(language)"
                let png = outDir.appendingPathComponent("stop-page-\(language).png")
                let common = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=390,844"]
                let shot = try await runProgramDetached(chromium, common + ["--screenshot=\(png.path)", url])
                #expect(shot.status == 0, "\(shot.stderr)")
                let dom = try await runProgramDetached(chromium, common + ["--dump-dom", url])
                #expect(dom.status == 0, "\(dom.stderr)")
                out.append((language, String(decoding: dom.stdout, as: UTF8.self), png))
            }
            return out
        }
        for (language, dom, png) in results {
            #expect(dom.contains(language == "fr" ? "Prochains départs" : "Next departures"))
            #expect(dom.contains("<time datetime=\"2026-06-01T08:00:00-04:00\">08:00</time>"))
            #expect(dom.contains(language == "fr" ? "dans 5 min" : "in 5 min"))
            // Not blank: a page of text has many distinct pixel rows; a blank one has one.
            let rows = try runProgram(python, [ProjectPaths.root.appendingPathComponent("Tests/TransitTests/Tools/png_rows.py").path, png.path])
            #expect(rows.status == 0, "\(rows.stderr)")
            let fields = String(decoding: rows.stdout, as: UTF8.self).split(separator: " ")
            #expect(Int(fields.first ?? "0") ?? 0 > 20, "screenshot \(png.path) looks blank")
            #expect(fields.count == 3 && fields[1] == "390")
            if ProcessInfo.processInfo.environment["CIVICTAGS_UPDATE_DOCS"] == "1" {
                let target = ProjectPaths.root.appendingPathComponent("docs/stop-page-\(language).png")
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.copyItem(at: png, to: target)
            }
        }
    }
}
