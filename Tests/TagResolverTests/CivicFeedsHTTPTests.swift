import Foundation
import Hummingbird
import HummingbirdTesting
import TagKit
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

/// The civic feeds as the server serves them, read by independent parsers (`Tests/interop/civic_formats.py`:
/// icalendar + recurring-ical-events, lxml with the OASIS CAP 1.2 XSD, feedparser), the JSON-LD parsed out of
/// the rendered event page, and every public civic route sent garbage, oversize and slow input.
@Suite("Civic feeds through the server")
struct CivicFeedsHTTPTests {
    static let script = ProjectPaths.root.appendingPathComponent("Tests/interop/civic_formats.py").path
    static let xsd = ProjectPaths.root.deletingLastPathComponent().appendingPathComponent("shared/spec/CAP-v1.2.xsd").path

    static func oracle(_ arguments: [String], _ text: String) throws -> [String: Any] {
        let python = try ToolGate.python(modules: "icalendar", "recurring_ical_events", "lxml", "feedparser")
        let result = try runProgram(python, [script] + arguments, stdin: Data(text.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    }

    /// A place, a weekly market with an exception and a moved occurrence, a moved one-off concert, a cancelled
    /// talk, and an alert updated once.
    static func seed(_ client: any TestClientProtocol, _ resolver: LiveResolver) async throws -> TagID {
        let place = try await ResolveHTTPTests.create(
            client, resolver, #"{"name":"Market square","place":{"lat":50.85,"lon":4.35,"address":"Grand-Place 1"},"target":{"kind":"place","place":{}}}"#)
        let bodies = [
            #"{"id":"market","title":{"fr":"Marché","en":"Market"},"start":"2026-12-05T08:00","end":"2026-12-05T13:00","recurrence":"FREQ=WEEKLY;BYDAY=SA;COUNT=8","places":["\#(place)"],"exceptions":["2026-12-26T08:00"],"overrides":[{"occurrence":"2026-12-19T08:00","start":"2026-12-19T09:00","end":"2026-12-19T14:00","text":{"fr":"Sur le parking","en":"In the car park"}}]}"#,
            #"{"id":"concert","title":{"fr":"Concert","en":"Concert"},"start":"2026-12-12T20:00","end":"2026-12-12T22:00","status":"moved","previousStart":"2026-12-11T20:00","places":["\#(place)"]}"#,
            #"{"id":"talk","title":{"en":"Talk"},"start":"2026-12-08T18:00","end":"2026-12-08T19:00"}"#,
        ]
        for body in bodies {
            let response = try await client.execute(uri: "/api/v1/events", method: .post, headers: resolver.headers(.write), body: .json(body))
            #expect(response.status == .created, "\(response.text)")
        }
        #expect(try await client.execute(uri: "/api/v1/events/talk", method: .delete, headers: resolver.headers(.write)).status == .ok)
        let alert = #"{"id":"ice","category":"weather","severity":"severe","headline":{"fr":"Verglas","en":"Black ice"},"from":"2026-12-04T08:00","area":{"circles":[{"center":{"lat":50.85,"lon":4.35},"radiusMeters":800}],"polygons":[{"points":[{"lat":50.8,"lon":4.3},{"lat":50.9,"lon":4.3},{"lat":50.9,"lon":4.4},{"lat":50.8,"lon":4.3}]}]}}"#
        #expect(try await client.execute(uri: "/api/v1/alerts", method: .post, headers: resolver.headers(.write), body: .json(alert)).status == .created)
        #expect(try await client.execute(
            uri: "/api/v1/alerts/ice", method: .patch, headers: resolver.headers(.write), body: .json(#"{"severity":"extreme"}"#)).status == .ok)
        return place
    }

    @Test("iCalendar, CAP, Atom and JSON-LD as served are what their parsers expect")
    func feedsReadByIndependentParsers() async throws {
        let resolver = try await LiveResolver.make(.sqlite, now: CivicHTTPTests.friday)
        try await resolver.run { client in
            let place = try await Self.seed(client, resolver)

            let town = try await client.execute(uri: "/events.ics", method: .get)
            #expect(town.headers[.contentType] == "text/calendar; charset=utf-8")
            let ics = try Self.oracle(["ics", "2026-12-01", "2027-02-01"], town.text)
            let lines = try #require(ics["lines"] as? [String: Any])
            #expect((lines["problems"] as? [Any])?.isEmpty == true && (lines["longest"] as? Int ?? 99) <= 75)
            let events = try #require(ics["events"] as? [[String: Any]])
            #expect(Set(events.compactMap { $0["uid"] as? String }) == ["market@go.example.org", "concert@go.example.org", "talk@go.example.org"])
            #expect(events.first { $0["uid"] as? String == "talk@go.example.org" }?["status"] as? String == "CANCELLED")
            #expect(events.contains { $0["recurrence_id"] as? String == "2026-12-19T08:00:00+01:00" })
            // The market as a calendar app expands it: 8 Saturdays from 5 December, less 26 December, the 19th at 09:00.
            let starts = (ics["expanded"] as? [[String: Any]] ?? []).filter { ($0["uid"] as? String) == "market@go.example.org" }
                .compactMap { $0["start"] as? String }.sorted()
            #expect(starts.count == 7, "\(starts)")
            #expect(starts.contains("2026-12-19T09:00:00+01:00") && !starts.contains { $0.hasPrefix("2026-12-26") })

            let placeFeed = try Self.oracle(["ics"], try await client.execute(uri: "/places/\(place)/events.ics", method: .get).text)
            #expect(Set((placeFeed["events"] as? [[String: Any]] ?? []).compactMap { $0["uid"] as? String }) == ["market@go.example.org", "concert@go.example.org"])

            let cap = try Self.oracle(["cap", Self.xsd], try await client.execute(uri: "/alerts/ice.cap", method: .get).text)
            #expect((cap["errors"] as? [Any])?.isEmpty == true, "\(cap["errors"] ?? "")")
            let message = try #require(cap["alert"] as? [String: Any])
            #expect(message["msgType"] as? String == "Update" && (message["references"] as? String)?.contains("ice-1") == true)

            let atom = try Self.oracle(["atom"], try await client.execute(uri: "/alerts.atom", method: .get).text)
            #expect(atom["bozo"] as? Bool == false && (atom["entries"] as? [Any])?.count == 1)

            let page = try await client.execute(uri: "/e/concert?lang=en", method: .get).text
            let start = try #require(page.range(of: #"<script type="application/ld+json">"#))
            let end = try #require(page.range(of: "</script>", range: start.upperBound..<page.endIndex))
            let jsonLD = try #require(try JSONSerialization.jsonObject(with: Data(page[start.upperBound..<end.lowerBound].utf8)) as? [String: Any])
            #expect(jsonLD["@type"] as? String == "Event" && jsonLD["name"] as? String == "Concert")
            #expect(jsonLD["startDate"] as? String == "2026-12-12T20:00:00+01:00" && jsonLD["previousStartDate"] as? String == "2026-12-11T20:00:00+01:00")
            #expect(jsonLD["eventStatus"] as? String == "https://schema.org/EventRescheduled")
            let location = try #require(jsonLD["location"] as? [String: Any])
            #expect(location["name"] as? String == "Market square")
        }
    }

    @Test("garbage, oversize and slow requests to the civic routes get clear refusals, and the server stays up")
    func garbageOversizeAndSlow() async throws {
        let resolver = try await LiveResolver.make(.sqlite, now: CivicHTTPTests.friday)
        try await resolver.run(configure: { $0.headTimeoutSeconds = 1; $0.maxBodyBytes = 1_000_000 }) { client in
            _ = try await Self.seed(client, resolver)
            for path in ["/e/%00", "/e/" + String(repeating: "x", count: 3000), "/alerts/%3Cscript%3E", "/alerts/nope.cap",
                         "/places/NOPE/events.ics", "/places/%FF/events.ics", "/e/market/../../etc/passwd"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect([.notFound, .badRequest].contains(response.status), "\(path.prefix(40)): \(response.status)")
                #expect(!response.text.contains("<script>"))
            }
            let port = try #require(client.port)
            // A head larger than the edge allows, on a civic route.
            let big = try RawConnection(port: port)
            try big.send("GET /events?lang=\(String(repeating: "a", count: 20_000)) HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await big.responses(1).first?.status == 431)
            // A head sent too slowly is cut off with 408.
            let slow = try RawConnection(port: port)
            try slow.send("GET /alerts.atom HTTP/1.1\r\nHost: x\r\n")
            #expect(try await slow.responses(1).first?.status == 408)
            // A body over max-body-bytes is refused from its Content-Length, before any byte of it is read.
            let oversize = try RawConnection(port: port)
            try oversize.send(
                "POST /api/v1/alerts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(resolver.tokens[.write]!)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 2000000\r\n\r\n")
            #expect(try await oversize.responses(1).first?.status == 413)
            // A headline too long for a banner, inside the body limit.
            let long = try await client.execute(
                uri: "/api/v1/alerts", method: .post, headers: resolver.headers(.write),
                body: .json(#"{"category":"weather","severity":"minor","headline":{"en":"\#(String(repeating: "a", count: 5000))"}}"#))
            #expect(long.status == .unprocessableContent && long.text.contains("headline.en"))
            for body in ["{", "[]", #"{"category":7}"#, "\u{0}\u{1}"] {
                let response = try await client.execute(uri: "/api/v1/events", method: .post, headers: resolver.headers(.write), body: .json(body))
                #expect(response.status == .badRequest || response.status == .unprocessableContent, "\(body.debugDescription): \(response.status)")
            }
            #expect(try await client.execute(uri: "/events", method: .get).status == .ok)
        }
    }
}
