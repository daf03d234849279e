import Foundation
import HummingbirdTesting
import TagKit
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

/// The place and event pages as headless Chromium renders them (no JavaScript involved), in both languages;
/// `CIVICTAGS_UPDATE_DOCS=1` copies the screenshots to docs/.
@Suite struct CivicChromiumTests {
    @Test func placeAndEventPagesRenderInBothLanguages() async throws {
        let chromium = try ToolGate.require("chromium")[0]
        let python = try ToolGate.python()
        let outDir = try TestEnvironment.temporaryDirectory()
        let resolver = try await LiveResolver.make(.sqlite, now: CivicHTTPTests.friday.addingTimeInterval(3600))
        let results = try await resolver.run { client in
            let place = try await ResolveHTTPTests.create(
                client, resolver, CivicHTTPTests.place(testID(960), name: "Place du Marché", lat: 50.85, lon: 4.35))
            for body in [
                #"{"id":"market","title":{"fr":"Marché hebdomadaire","en":"Weekly market"},"text":{"fr":"Fruits, légumes et fromages.","en":"Fruit, vegetables and cheese."},"start":"2026-12-05T08:00","end":"2026-12-05T13:00","recurrence":"FREQ=WEEKLY;BYDAY=SA","places":["\#(place)"],"overrides":[{"occurrence":"2026-12-12T08:00","start":"2026-12-12T09:00","end":"2026-12-12T14:00","text":{"fr":"Sur le parking","en":"In the car park"}}]}"#,
                #"{"id":"concert","title":{"fr":"Concert de Noël","en":"Christmas concert"},"start":"2026-12-12T20:00","end":"2026-12-12T22:00","status":"moved","previousStart":"2026-12-11T20:00","places":["\#(place)"]}"#,
            ] {
                #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: resolver.headers(.write), body: .json(body)).status == .created)
            }
            #expect(try await client.execute(uri: "/api/v1/alerts", method: .post, headers: resolver.headers(.write), body: .json(CivicHTTPTests.snow)).status == .created)
            let port = try #require(client.port)
            var out: [(name: String, language: String, dom: String, png: URL)] = []
            for (name, path) in [("place", "/t/\(place)"), ("event", "/e/market")] {
                for language in ["en", "fr"] {
                    let url = "http://127.0.0.1:\(port)\(path)?lang=\(language)"
                    let png = outDir.appendingPathComponent("civic-\(name)-\(language).png")
                    let common = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=390,844"]
                    let shot = try await runProgramDetached(chromium, common + ["--screenshot=\(png.path)", url])
                    #expect(shot.status == 0, "\(shot.stderr)")
                    let dom = try await runProgramDetached(chromium, common + ["--dump-dom", url])
                    #expect(dom.status == 0, "\(dom.stderr)")
                    out.append((name, language, String(decoding: dom.stdout, as: UTF8.self), png))
                }
            }
            return out
        }
        for (name, language, dom, png) in results {
            let fr = language == "fr"
            if name == "place" {
                #expect(dom.contains(fr ? "Routes fermées (neige)" : "Roads closed (snow)"), "\(name) \(language)")
                #expect(dom.contains(fr ? "Ouvert, ferme à 17 h 00" : "Open now, closes at 17:00"))
                #expect(dom.contains(fr ? "Marché hebdomadaire" : "Weekly market") && dom.contains(fr ? "Concert de Noël" : "Christmas concert"))
            } else {
                #expect(dom.contains(fr ? "samedi 12 décembre, 9 h 00 – 14 h 00" : "Saturday 12 December, 09:00 – 14:00"), "\(name) \(language)")
                #expect(dom.contains("application/ld+json"))
            }
            let rows = try runProgram(python, [ProjectPaths.root.appendingPathComponent("Tests/TransitTests/Tools/png_rows.py").path, png.path])
            #expect(rows.status == 0, "\(rows.stderr)")
            let fields = String(decoding: rows.stdout, as: UTF8.self).split(separator: " ")
            #expect(Int(fields.first ?? "0") ?? 0 > 20, "screenshot \(png.path) looks blank")
            if ProcessInfo.processInfo.environment["CIVICTAGS_UPDATE_DOCS"] == "1" {
                let target = ProjectPaths.root.appendingPathComponent("docs/\(png.lastPathComponent)")
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.copyItem(at: png, to: target)
            }
        }
    }
}
