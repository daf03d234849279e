import Foundation
import Hummingbird
import HummingbirdTesting
import TagKit
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

/// The fast lane in front of Hummingbird, driven with raw bytes over a real TCP connection to 127.0.0.1:
/// same answers as Hummingbird's route, request order kept across the hand-over, pipelining, fragments,
/// `Connection: close`, cache misses answered asynchronously.
@Suite("Fast lane for /t/{id}")
struct FastLaneTests {
    /// Tags of every kind; `urlTag` carries a schedule so the JSON shows a window.
    static func seed(_ resolver: LiveResolver) async throws {
        try await DatabaseLocation(parsing: resolver.url).withStore(logger: TestEnvironment.logger) { store in
            let now = Date(timeIntervalSince1970: 1_780_000_000)
            func tag(_ number: Int, _ name: String, _ target: Target) -> TagResolver.Tag {
                TagResolver.Tag(id: testID(number), name: name, place: Place(), target: target, schedule: [], notes: "", createdAt: now, updatedAt: now)
            }
            try await store.create(tag(1, "Stop <Gare>", .url("https://transit.example/stop/1?x=1&y=2")), actor: "test")
            try await store.create(tag(2, "Town hall", .page(Page(title: "Town hall", text: "Open 9–17.", links: []))), actor: "test")
            try await store.create(tag(3, "Old stop", .disabled("Moved to Rue Haute.")), actor: "test")
        }
    }

    /// Requests covering every kind of answer `/t/{id}` gives.
    static let requests: [String] = {
        let url = testID(1), page = testID(2), gone = testID(3), unknown = testID(99)
        // A wrong check character (the last one).
        var typo = Array(url.rawValue)
        typo[typo.count - 1] = typo[typo.count - 1] == "Z" ? "Y" : "Z"
        return [
            "GET /t/\(url) HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /T/\(url.rawValue.lowercased()) HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /t/\(url.grouped) HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /t/\(url.grouped.replacingOccurrences(of: "-", with: "%2D")) HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /t/\(url)?via=nfc HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n",
            "GET /t/\(page) HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\nAccept-Language: fr\r\n\r\n",
            "GET /t/\(gone) HTTP/1.1\r\nhost: x\r\naccept: text/html\r\naccept: application/json\r\n\r\n",
            "GET /t/\(gone) HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
            "GET /t/\(unknown) HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /t/\(String(typo)) HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /t/%3Cscript%3E HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n",
        ]
    }()

    @Test("answers exactly what Hummingbird's route answers, for every kind of request")
    func sameAnswers() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await Self.seed(resolver)
        var answers: [Bool: [RawResponse]] = [:]
        for fastLane in [true, false] {
            answers[fastLane] = try await resolver.run(fastLane: fastLane) { client in
                var responses: [RawResponse] = []
                for request in Self.requests {
                    let connection = try RawConnection(port: try #require(client.port))
                    try connection.send(request)
                    responses += try await connection.responses(1)
                }
                // The comparison means something only if the fast lane, not Hummingbird, gave these answers.
                let metrics = try await client.execute(uri: "/metrics", method: .get).text
                let answered = fastLane ? Self.requests.count : 0
                #expect(metrics.contains("civictags_fast_lane_answers_total \(answered)\n"), "\(metrics)")
                return responses
            }
        }
        let fast = try #require(answers[true]), routed = try #require(answers[false])
        #expect(fast.map(\.status) == [302, 302, 302, 302, 200, 200, 200, 410, 404, 404, 404])
        for (index, (a, b)) in zip(fast, routed).enumerated() {
            #expect(a.status == b.status, "request \(index)")
            #expect(a.body == b.body, "request \(index): \(String(decoding: a.body, as: UTF8.self))")
            // Same fields; both carry a Date (its value is the second each was sent).
            #expect(a.headers.filter { $0.key != "date" } == b.headers.filter { $0.key != "date" }, "request \(index)")
            #expect(a.headers["date"]?.hasSuffix(" GMT") == true && b.headers["date"] != nil, "request \(index)")
        }
        #expect(fast[0].headers["location"] == "https://transit.example/stop/1?x=1&y=2")
        #expect(String(decoding: fast[4].body, as: UTF8.self).contains(#""kind":"url""#))
        #expect(String(decoding: fast[6].body, as: UTF8.self).contains("Moved to Rue Haute."))
    }

    @Test("pipelined requests: answered in order across a cache miss and the hand-over to Hummingbird")
    func pipelinedOrder() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await Self.seed(resolver)
        try await resolver.run { client in
            // A tag the running server has not cached (written behind its back): its answer needs the store.
            try await DatabaseLocation(parsing: resolver.url).withStore(logger: TestEnvironment.logger) { store in
                let now = Date()
                try await store.create(
                    TagResolver.Tag(id: testID(7), name: "Late", place: Place(), target: .url("https://late.example/"),
                                    schedule: [], notes: "", createdAt: now, updatedAt: now), actor: "test")
            }
            let connection = try RawConnection(port: try #require(client.port))
            try connection.send(
                "GET /t/\(testID(7)) HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /t/\(testID(1)) HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /t/\(testID(3)) HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /t/\(testID(2)) HTTP/1.1\r\nHost: x\r\n\r\n")
            let responses = try await connection.responses(5)
            #expect(responses.map(\.status) == [302, 302, 200, 410, 200])
            #expect(responses[0].headers["location"] == "https://late.example/")
            #expect(responses[1].headers["location"] == "https://transit.example/stop/1?x=1&y=2")
            #expect(String(decoding: responses[2].body, as: UTF8.self).contains("ok"))
            // The first two in the fast lane; from /healthz on, the connection belongs to Hummingbird.
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.text.contains("civictags_fast_lane_answers_total 2\n"), "\(metrics.text)")
            #expect(metrics.text.contains("civictags_fast_lane_waits_total 1\n"), "the tag not in the cache waits for the store")
        }
    }

    @Test("a request split into single bytes, Connection: close, and a body go where they belong")
    func fragmentsCloseAndBodies() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await Self.seed(resolver)
        try await resolver.run { client in
            let port = try #require(client.port)
            let split = try RawConnection(port: port)
            for byte in "GET /t/\(testID(1)) HTTP/1.1\r\nHost: x\r\n\r\n".utf8 { try split.send([byte]) }
            #expect(try await split.responses(1).first?.status == 302)

            let closing = try RawConnection(port: port)
            try closing.send("GET /t/\(testID(1)) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let closed = try await closing.responses(1)
            #expect(closed.first?.headers["connection"] == "close")
            #expect(try await closing.atEndOfStream(), "the server keeps a Connection: close connection open")

            // A body is not the fast lane's business: Hummingbird answers (no route for POST), then the next GET.
            let body = try RawConnection(port: port)
            try body.send(
                "POST /t/\(testID(1)) HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET /t/\(testID(2)) HTTP/1.1\r\nHost: x\r\n\r\n")
            let answers = try await body.responses(2)
            #expect(answers.map(\.status) == [405, 200] || answers.map(\.status) == [404, 200], "\(answers.map(\.status))")
        }
    }

    @Test("scans and /metrics count fast-lane answers")
    func countsScansAndMetrics() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await Self.seed(resolver)
        try await resolver.run { client in
            let connection = try RawConnection(port: try #require(client.port))
            try connection.send(String(repeating: "GET /t/\(testID(1))?via=nfc HTTP/1.1\r\nHost: x\r\n\r\n", count: 3))
            _ = try await connection.responses(3)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.text.contains(#"civictags_http_requests_total{route="/t/{id}",status="302"} 3"#), "\(metrics.text)")
            #expect(metrics.text.contains("civictags_fast_lane_answers_total 3\n"), "\(metrics.text)")
            // The stats endpoint writes pending counts first.
            let stats = try await client.execute(uri: "/api/v1/stats?tag=\(testID(1))", method: .get, headers: resolver.headers(.read))
            let counts = try JSONCoding.decoder().decode(StatsBody.self, from: Data(stats.text.utf8)).counts
            #expect(counts.filter { $0.channel == "nfc" }.reduce(0) { $0 + $1.count } == 3, "\(stats.text)")
        }
    }

    struct StatsBody: Decodable {
        struct Count: Decodable {
            var channel: String
            var count: Int64
        }
        var counts: [Count]
    }
}
