import Foundation
import Hummingbird
import HummingbirdTesting
import TagKit
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

/// `/t/{id}` through the real server on 127.0.0.1.
@Suite("Resolving codes over HTTP")
struct ResolveHTTPTests {
    /// Creates a tag through the admin API and returns its ID.
    @discardableResult
    static func create(_ client: any TestClientProtocol, _ resolver: LiveResolver, _ json: String) async throws -> TagID {
        let response = try await client.execute(
            uri: "/api/v1/tags", method: .post, headers: resolver.headers(.write), body: .json(json))
        #expect(response.status == .created, "\(response.text)")
        return try TagID(parsing: try #require({ if case .string(let id)? = try response.json()["id"] { id } else { nil } }()))
    }

    @Test("url, page and disabled targets; JSON resolution", arguments: TestEnvironment.backends)
    func targetKinds(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run { client in
            let url = try await Self.create(client, resolver, #"{"name":"Stop","target":{"kind":"url","url":"https://transit.example/stop/42"}}"#)
            let page = try await Self.create(client, resolver, #"""
                {"name":"Town hall","target":{"kind":"page","page":{"title":"Town hall","text":"Open 9–17.\n\nClosed Sundays.","links":[{"title":"Services","url":"https://town.example/services"}]}}}
                """#)
            let gone = try await Self.create(client, resolver, #"{"name":"Old stop","target":{"kind":"disabled","message":"This stop moved to Rue Haute."}}"#)

            let redirect = try await client.execute(uri: "/t/\(url)", method: .get)
            #expect(redirect.status == .found)
            #expect(redirect.headers[.location] == "https://transit.example/stop/42")

            let html = try await client.execute(uri: "/t/\(page)", method: .get)
            #expect(html.status == .ok)
            #expect(html.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(html.text.contains("<h1>Town hall</h1>"))
            #expect(html.text.contains("<p>Closed Sundays.</p>"))
            #expect(html.text.contains(#"<a href="https://town.example/services">Services</a>"#))

            let disabled = try await client.execute(uri: "/t/\(gone)", method: .get)
            #expect(disabled.status == .gone)
            #expect(disabled.text.contains("This stop moved to Rue Haute."))

            let json = try await client.execute(uri: "/t/\(url)", method: .get, headers: [.accept: "application/json"])
            #expect(json.status == .ok)
            let body = try json.json()
            #expect(body["kind"] == .string("url"))
            #expect(body["url"] == .string("https://transit.example/stop/42"))
            #expect(body["status"] == .number(302))
            #expect(body["id"] == .string(url.rawValue))
        }
    }

    @Test("IDs are case-insensitive, hyphens ignored, /T/ works; typos get a friendly 404", arguments: TestEnvironment.backends)
    func caseAndTypos(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run { client in
            let id = try await Self.create(client, resolver, #"{"name":"Stop","target":{"kind":"url","url":"https://transit.example/s"}}"#)
            for form in [id.rawValue, id.rawValue.lowercased(), id.grouped.lowercased()] {
                for prefix in ["/t/", "/T/"] {
                    let response = try await client.execute(uri: prefix + form, method: .get)
                    #expect(response.status == .found, "\(prefix)\(form)")
                    #expect(response.headers[.location] == "https://transit.example/s")
                }
            }
            // One changed character: the check character catches it.
            var characters = Array(id.rawValue)
            characters[2] = characters[2] == "7" ? "8" : "7"
            let typo = try await client.execute(uri: "/t/" + String(characters), method: .get)
            #expect(typo.status == .notFound)
            #expect(typo.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(typo.text.contains("scan the code again"))
            #expect(typo.text.contains("type the code"))
            #expect(typo.text.contains("<form"))
            // A valid but unknown code, and garbage.
            let unknown = try await client.execute(uri: "/t/\(testID(123_456))", method: .get)
            #expect(unknown.status == .notFound)
            #expect(unknown.text.contains("not registered"))
            let garbage = try await client.execute(uri: "/t/%3Cscript%3E", method: .get)
            #expect(garbage.status == .notFound)
            #expect(!garbage.text.contains("<script>"))
            // The typed-code form redirects to the code's page.
            let typed = try await client.execute(uri: "/t?code=\(id.grouped.lowercased())", method: .get)
            #expect(typed.status == .seeOther)
            #expect(typed.headers[.location] == "/t/\(id.grouped.lowercased())")
        }
    }

    @Test("a tag name with <script> is escaped on every page", arguments: TestEnvironment.backends)
    func htmlEscaping(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run { client in
            let evil = "<script>alert('x')</script>"
            let page = try await Self.create(client, resolver, """
                {"name":"\(evil)","target":{"kind":"page","page":{"title":"\(evil)","text":"a \(evil) b","links":[{"title":"\(evil)","url":"https://x.example/?a=1&b=\\"2\\""}]}}}
                """)
            let disabled = try await Self.create(client, resolver, """
                {"name":"\(evil)","target":{"kind":"disabled","message":"\(evil)"}}
                """)
            for id in [page, disabled] {
                let response = try await client.execute(uri: "/t/\(id)", method: .get)
                #expect(!response.text.contains("<script>"), "\(response.text)")
                #expect(response.text.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
            }
            let html = try await client.execute(uri: "/t/\(page)", method: .get).text
            #expect(html.contains(#"href="https://x.example/?a=1&amp;b=&quot;2&quot;""#))
            // A javascript: link never gets in.
            let rejected = try await client.execute(
                uri: "/api/v1/tags", method: .post, headers: resolver.headers(.write),
                body: .json(#"{"name":"x","target":{"kind":"page","page":{"title":"t","text":"","links":[{"title":"x","url":"javascript:alert(1)"}]}}}"#))
            #expect(rejected.status == .unprocessableContent)
        }
    }

    @Test("scheduled windows follow the town's local time across DST changes", arguments: TestEnvironment.backends)
    func scheduleAcrossDST(_ backend: Backend) async throws {
        // Europe/Brussels: 2026-03-29 02:00 CET → 03:00 CEST; 2026-10-25 03:00 CEST → 02:00 CET.
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run(timeZone: "Europe/Brussels") { client in
            let id = try await Self.create(client, resolver, #"""
                {"name":"Market square","target":{"kind":"url","url":"https://town.example/theatre"},
                 "schedule":[
                   {"from":"2026-03-28T12:00","to":"2026-03-29T12:00","target":{"kind":"url","url":"https://town.example/brocante"}},
                   {"from":"2026-10-24T12:00","to":"2026-10-25T12:00","target":{"kind":"url","url":"https://town.example/autumn"}}]}
                """#)
            func location(at utc: String) async throws -> String? {
                resolver.clock.set(iso(utc))
                return try await client.execute(uri: "/t/\(id)", method: .get).headers[.location]
            }
            // Spring: local = UTC+2 after the change. 09:30Z = 11:30 local (inside), 10:30Z = 12:30 local (outside;
            // a fixed UTC+1 offset would wrongly still say 11:30).
            #expect(try await location(at: "2026-03-28T10:59:00Z") == "https://town.example/theatre")   // 11:59 CET
            #expect(try await location(at: "2026-03-28T11:00:00Z") == "https://town.example/brocante")  // 12:00 CET
            #expect(try await location(at: "2026-03-29T09:30:00Z") == "https://town.example/brocante")  // 11:30 CEST
            #expect(try await location(at: "2026-03-29T10:30:00Z") == "https://town.example/theatre")   // 12:30 CEST
            // Autumn: local = UTC+1 after the change. 10:30Z = 11:30 local (inside; UTC+2 would say 12:30).
            #expect(try await location(at: "2026-10-24T09:59:00Z") == "https://town.example/theatre")   // 11:59 CEST
            #expect(try await location(at: "2026-10-25T10:30:00Z") == "https://town.example/autumn")    // 11:30 CET
            #expect(try await location(at: "2026-10-25T11:00:00Z") == "https://town.example/theatre")   // 12:00 CET

            // JSON shows the window in force.
            resolver.clock.set(iso("2026-03-29T09:30:00Z"))
            let json = try await client.execute(uri: "/t/\(id)", method: .get, headers: [.accept: "application/json"]).json()
            #expect(json["window"]?["from"] == .string("2026-03-28T12:00"))
            #expect(json["localTime"] == .string("2026-03-29T11:30"))
        }
    }

    @Test("scans are counted per tag, local day and channel, without personal data", arguments: TestEnvironment.backends)
    func scanCounting(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend, now: iso("2026-11-28T22:30:00Z"))  // 23:30 in Brussels
        try await resolver.run { client in
            let id = try await Self.create(client, resolver, #"{"name":"Stop","target":{"kind":"url","url":"https://t.example/"}}"#)
            for _ in 0..<3 { try await client.execute(uri: "/t/\(id)", method: .get, headers: [.userAgent: "Phone/1.0"]) }
            try await client.execute(uri: "/t/\(id.rawValue.lowercased())?via=nfc", method: .get)
            resolver.clock.set(iso("2026-11-28T23:30:00Z"))  // 00:30 on the 29th in Brussels
            try await client.execute(uri: "/T/\(id)", method: .get)
            let stats = try await client.execute(uri: "/api/v1/stats?tag=\(id)", method: .get, headers: resolver.headers(.read))
            #expect(stats.status == .ok)
            let body = try stats.json()
            #expect(body["totals"]?["qr"] == .number(4))
            #expect(body["totals"]?["nfc"] == .number(1))
            guard case .array(let counts)? = body["counts"] else { Issue.record("no counts"); return }
            #expect(counts.count == 3)
            #expect(counts.contains { $0["day"] == .string("2026-11-29") && $0["channel"] == .string("qr") && $0["count"] == .number(1) })
            #expect(counts.contains { $0["day"] == .string("2026-11-28") && $0["channel"] == .string("qr") && $0["count"] == .number(3) })
            #expect(!stats.text.contains("Phone/1.0") && !stats.text.contains("127.0.0.1"))
        }
    }

    @Test("health, readiness and Prometheus metrics", arguments: [Backend.sqlite])
    func operations(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run { client in
            let id = try await Self.create(client, resolver, #"{"name":"Stop","target":{"kind":"url","url":"https://t.example/"}}"#)
            try await client.execute(uri: "/t/\(id)", method: .get)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
            #expect(ready.text.contains("sqlite"))
            let metrics = try await client.execute(uri: "/metrics", method: .get).text
            #expect(metrics.contains(#"civictags_http_requests_total{route="/t/{id}",status="302"} 1"#), "\(metrics)")
            #expect(metrics.contains("civictags_resolve_duration_seconds_bucket"))
            #expect(metrics.contains("civictags_cache_tags 1"))
            #expect(metrics.contains("civictags_scan_flush_lag_seconds"))
        }
    }
}
