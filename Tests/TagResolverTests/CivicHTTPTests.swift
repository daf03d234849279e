import Foundation
import Hummingbird
import HummingbirdTesting
import TagKit
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

/// Places, events and town alerts through the real server, on both databases: the pages, the admin API's
/// refusals, the alert appearing and disappearing on the second it is due through the page cache.
@Suite("Civic pages, events and alerts")
struct CivicHTTPTests {
    /// 2026-12-04 (a Friday) 10:00 in Brussels.
    static let friday = ISO8601DateFormatter().date(from: "2026-12-04T09:00:00Z")!

    static let hours = #"{"weekly":{"mo":["09:00-17:00"],"tu":["09:00-17:00"],"we":["09:00-17:00"],"th":["09:00-17:00"],"fr":["09:00-17:00"],"sa":["08:00-13:00"]},"exceptions":[{"date":"2026-12-25"}]}"#

    static func place(_ id: TagID, name: String, lat: Double, lon: Double) -> String {
        #"{"id":"\#(id)","name":"\#(name)","place":{"lat":\#(lat),"lon":\#(lon),"address":"Grand-Place 1"},"target":{"kind":"place","place":{"text":{"fr":"La place <b>du marché</b>.","en":"The market square."},"hours":\#(hours)}}}"#
    }

    static let snow = #"""
        {"id":"snow","category":"weather","severity":"severe","headline":{"fr":"Routes fermées (neige) <script>x</script>","en":"Roads closed (snow)"},
         "description":{"fr":"Le haut de la ville est fermé.","en":"The upper town is closed."},
         "from":"2026-12-04T10:30","until":"2026-12-04T18:00",
         "area":{"polygons":[{"points":[{"lat":50.80,"lon":4.30},{"lat":50.90,"lon":4.30},{"lat":50.90,"lon":4.40},{"lat":50.80,"lon":4.40},{"lat":50.80,"lon":4.30}]}]}}
        """#

    @Test("a place page shows hours, its events and the alerts whose area holds it — not a place outside", arguments: TestEnvironment.backends)
    func placePage(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend, now: Self.friday)
        try await resolver.run { client in
            let inside = testID(900), outside = testID(901)
            _ = try await ResolveHTTPTests.create(client, resolver, Self.place(inside, name: "Marché", lat: 50.85, lon: 4.35))
            _ = try await ResolveHTTPTests.create(client, resolver, Self.place(outside, name: "Far away", lat: 51.2, lon: 4.4))
            let market = #"{"id":"market","title":{"fr":"Marché","en":"Market"},"start":"2026-12-05T08:00","end":"2026-12-05T13:00","recurrence":"FREQ=WEEKLY;BYDAY=SA","places":["\#(inside)"]}"#
            let created = try await client.execute(uri: "/api/v1/events", method: .post, headers: resolver.headers(.write), body: .json(market))
            #expect(created.status == .created, "\(created.text)")
            let published = try await client.execute(uri: "/api/v1/alerts", method: .post, headers: resolver.headers(.write), body: .json(Self.snow))
            #expect(published.status == .created, "\(published.text)")

            // 10:00: open, the market listed, the alert not yet started.
            let before = try await client.execute(uri: "/t/\(inside)", method: .get).text
            #expect(before.contains("Open now, closes at 17:00"))
            #expect(before.contains("Saturday 5 December, 08:00 – 13:00") && before.contains("Saturday 12 December"))
            #expect(before.contains("The market square.") && !before.contains("Roads closed"))
            let french = try await client.execute(uri: "/t/\(inside)?lang=fr", method: .get).text
            #expect(french.contains("Ouvert, ferme à 17 h 00") && french.contains("samedi 5 décembre"))
            #expect(french.contains("La place &lt;b&gt;du marché&lt;/b&gt;."))

            // 10:30:00 exactly: the cached page of 10:30 must not be the one without the alert.
            resolver.clock.set(Self.friday.addingTimeInterval(1799))
            #expect(!(try await client.execute(uri: "/t/\(inside)", method: .get).text.contains("Roads closed")))
            resolver.clock.set(Self.friday.addingTimeInterval(1800))
            let during = try await client.execute(uri: "/t/\(inside)", method: .get).text
            #expect(during.contains("Roads closed (snow)") && during.contains(#"role="alert""#))
            let duringFR = try await client.execute(uri: "/t/\(inside)", method: .get, headers: [.acceptLanguage: "fr-BE,fr;q=0.9"]).text
            #expect(duringFR.contains("Routes fermées (neige) &lt;script&gt;x&lt;/script&gt;") && !duringFR.contains("<script>x"))
            #expect(!(try await client.execute(uri: "/t/\(outside)", method: .get).text.contains("Roads closed")))

            // Cancelled: gone at once, even within the same minute.
            #expect(try await client.execute(uri: "/api/v1/alerts/snow", method: .delete, headers: resolver.headers(.write)).status == .ok)
            #expect(!(try await client.execute(uri: "/t/\(inside)", method: .get).text.contains("Roads closed")))
            let cap = try await client.execute(uri: "/alerts/snow.cap", method: .get)
            #expect(cap.headers[.contentType]?.hasPrefix("application/cap+xml") == true)
            #expect(cap.text.contains("<msgType>Cancel</msgType>") && cap.text.contains("<references>"))
        }
    }

    @Test("events and alerts: bad input refused with the field named, nothing written; read scope cannot write", arguments: TestEnvironment.backends)
    func refusals(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend, now: Self.friday)
        try await resolver.run { client in
            func post(_ path: String, _ body: String, scope: Scope = .write) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/\(path)", method: .post, headers: resolver.headers(scope), body: .json(body))
            }
            let cases: [(String, String, String)] = [
                ("events", #"{"title":{"fr":"x"},"start":"2026-12-05T08:00","end":"2026-12-05T13:00","recurrence":"FREQ=WEEKLY;BYDAY=XX"}"#, "BYDAY"),
                ("events", #"{"title":{"fr":"x"},"start":"2026-12-05T08:00","end":"2026-12-05T07:00"}"#, "end"),
                ("events", #"{"title":{"fr":"x"},"start":"2027-03-28T02:30","end":"2027-03-28T04:00"}"#, "does not exist"),
                ("events", #"{"title":{"fr":"x"},"start":"2026-12-05T08:00","end":"2026-12-05T09:00","places":["\#(testID(950))"]}"#, "unknown tag"),
                ("alerts", #"{"category":"weather","severity":"severe","headline":{"fr":"x"},"area":{"polygons":[{"points":[{"lat":50.8,"lon":4.3},{"lat":50.9,"lon":4.3},{"lat":50.9,"lon":4.4}]}]}}"#, "polygons[0]"),
                ("alerts", #"{"category":"weather","severity":"severe","headline":{"fr":"x"},"area":{"polygons":[{"points":[{"lat":50.8,"lon":4.3},{"lat":50.9,"lon":4.4},{"lat":50.9,"lon":4.3},{"lat":50.8,"lon":4.4},{"lat":50.8,"lon":4.3}]}]}}"#, "crosses itself"),
                ("alerts", #"{"category":"weather","severity":"severe","headline":{"fr":"x"},"stops":["nofeed/1"]}"#, "unknown stop nofeed/1"),
                ("alerts", #"{"category":"weather","severity":"severe","headline":{"fr":"x"},"from":"2026-12-04T12:00","until":"2026-12-04T11:00"}"#, "until"),
                ("alerts", #"{"category":"snowstorm","severity":"severe","headline":{"fr":"x"}}"#, "category"),
            ]
            for (path, body, words) in cases {
                let response = try await post(path, body)
                #expect([.unprocessableContent, .badRequest].contains(response.status), "\(body): \(response.status)")
                #expect(response.text.contains(words), "\(body): \(response.text)")
            }
            #expect(try await post("events", #"{"title":{"fr":"x"},"start":"2026-12-05T08:00","end":"2026-12-05T09:00"}"#, scope: .read).status == .forbidden)
            #expect(try await client.execute(uri: "/api/v1/events", method: .get).status == .unauthorized)
            let lists = try await client.execute(uri: "/api/v1/alerts", method: .get, headers: resolver.headers(.read)).text
            #expect(lists == #"{"alerts":[]}"#)
            let events = try await client.execute(uri: "/api/v1/events", method: .get, headers: resolver.headers(.read)).text
            #expect(events == #"{"events":[]}"#)
        }
    }

    @Test("an update raises the event's SEQUENCE and the alert's version; both are in the audit log", arguments: TestEnvironment.backends)
    func updates(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend, now: Self.friday)
        try await resolver.run { client in
            let council = #"{"id":"council","title":{"fr":"Conseil communal","en":"Town council"},"start":"2026-12-10T19:00","end":"2026-12-10T22:00","recurrence":"FREQ=MONTHLY;BYDAY=2TH"}"#
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: resolver.headers(.write), body: .json(council)).status == .created)
            let patched = try await client.execute(
                uri: "/api/v1/events/council", method: .patch, headers: resolver.headers(.write),
                body: .json(#"{"exceptions":["2027-01-14T19:00"]}"#))
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(try patched.json()["sequence"] == .number(1))
            let ics = try await client.execute(uri: "/events.ics", method: .get).text
            #expect(ics.contains("SEQUENCE:1\r\n") && ics.contains("RRULE:FREQ=MONTHLY;BYDAY=2TH\r\n") && ics.contains("EXDATE;TZID=Europe/Brussels:20270114T190000"))
            #expect(try await client.execute(uri: "/e/council?lang=fr", method: .get).text.contains("Conseil communal"))

            #expect(try await client.execute(uri: "/api/v1/alerts", method: .post, headers: resolver.headers(.write), body: .json(Self.snow)).status == .created)
            let updated = try await client.execute(
                uri: "/api/v1/alerts/snow", method: .patch, headers: resolver.headers(.write), body: .json(#"{"severity":"extreme"}"#))
            #expect(updated.status == .ok, "\(updated.text)")
            guard case .array(let versions)? = try updated.json()["versions"] else { Issue.record("no versions"); return }
            #expect(versions.count == 2)
            // A tag the alert names is deleted: the alert can still be changed and cancelled.
            let gone = try await ResolveHTTPTests.create(client, resolver, #"{"name":"Soon gone","target":{"kind":"url","url":"https://t.example/"}}"#)
            let named = #"{"id":"named","category":"works","severity":"minor","headline":{"en":"Works"},"tags":["\#(gone)"]}"#
            #expect(try await client.execute(uri: "/api/v1/alerts", method: .post, headers: resolver.headers(.write), body: .json(named)).status == .created)
            #expect(try await client.execute(uri: "/api/v1/tags/\(gone)", method: .delete, headers: resolver.headers(.admin)).status == .noContent)
            #expect(try await client.execute(uri: "/api/v1/alerts/named", method: .delete, headers: resolver.headers(.write)).status == .ok)
            let audit = try await client.execute(uri: "/api/v1/audit?limit=20", method: .get, headers: resolver.headers(.admin)).text
            for action in ["event-create", "event-update", "alert-publish", "alert-update"] { #expect(audit.contains(action), "\(action)") }
        }
    }
}
