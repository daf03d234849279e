import Foundation
import Hummingbird
import NIOCore
import HummingbirdTesting
import TagKit
import Testing
import ServerTestSupport
import TagTestSupport
@testable import TagResolver

/// The report routes sent garbage, oversize and slow input, and the town's own categories file.
@Suite("Reports: bad input")
struct ReportInputTests {
    @Test("malformed forms, bodies over the limit, slow bodies, bad links: clear refusals, nothing stored, server up")
    func garbageOversizeSlow() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run(configure: { $0.maxBodyBytes = 200_000; $0.bodyTimeoutSeconds = 1 }) { client in
            let tag = try await ReportHTTPTests.place(client, resolver)
            let token = try ReportHTTPTests.token(try await client.execute(uri: "/t/\(tag)/report", method: .get).text)
            let bodies: [(String, String)] = [
                ("multipart/form-data", "--x\r\n"),
                ("multipart/form-data; boundary=x", "no boundary here"),
                ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\nvalue-without-end"),
                ("multipart/form-data; boundary=x", "--x\r\nContent-Type: text/plain\r\n\r\nnameless\r\n--x--\r\n"),
                ("application/x-www-form-urlencoded", "token=%ZZ"),
                ("application/x-www-form-urlencoded", (0..<40).map { "f\($0)=v" }.joined(separator: "&")),
                ("application/x-www-form-urlencoded", "description=" + String(repeating: "a", count: 20_000)),
                ("text/plain", "token=\(token)"),
            ]
            for (type, body) in bodies {
                let response = try await client.execute(
                    uri: "/t/\(tag)/report", method: .post, headers: [.contentType: type], body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(type) \(body.prefix(40)): \(response.status)")
            }
            for path in ["/t/NOPE/report", "/t/\(testID(991))/report", "/r/" + String(repeating: "a", count: 500), "/r/%00",
                         "/photos/nothex.jpg", "/photos/" + String(repeating: "0", count: 64) + ".jpg"] {
                #expect(try await client.execute(uri: path, method: .get).status == .notFound, "\(path.prefix(40))")
            }
            let port = try #require(client.port)
            let big = try RawConnection(port: port)
            try big.send("POST /t/\(tag)/report HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 16000000\r\n\r\n")
            #expect(try await big.responses(1).first?.status == 413)
            let slow = try RawConnection(port: port)
            try slow.send("POST /t/\(tag)/report HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ntoken=")
            #expect(try await slow.responses(1).first?.status == 408)
            #expect(try await client.execute(uri: "/api/v1/reports", method: .get, headers: resolver.headers(.read)).text == #"{"reports":[]}"#)
            #expect(try await client.execute(uri: "/t/\(tag)/report", method: .get).status == .ok)
        }
    }

    @Test("report-kinds chooses which pages link the form and take reports")
    func reportKinds() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run(configure: { $0.reportKinds = "page" }) { client in
            let place = try await ReportHTTPTests.place(client, resolver)
            let page = try await ResolveHTTPTests.create(
                client, resolver, #"{"name":"Town hall","target":{"kind":"page","page":{"title":"Town hall","text":"Open 9–17","links":[]}}}"#)
            #expect(try await client.execute(uri: "/t/\(place)/report", method: .get).status == .notFound)
            #expect(!(try await client.execute(uri: "/t/\(place)", method: .get).text.contains("/report")))
            #expect(try await client.execute(uri: "/t/\(page)", method: .get).text.contains("/t/\(page)/report"))
            #expect(try await client.execute(uri: "/t/\(page)/report", method: .get).status == .ok)
        }
        var configuration = ResolverConfiguration()
        configuration.reportKinds = "place,url"
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
    }

    @Test("a town's categories file replaces the built-in list per kind; a bad one stops the server with the entry named")
    func categoriesFile() async throws {
        let dir = try TestEnvironment.temporaryDirectory()
        let good = dir.appendingPathComponent("categories.json")
        try Data(#"[{"code":"pothole","name":{"fr":"Nid-de-poule","en":"Pothole"},"kinds":["place"]},{"code":"bench","name":{"en":"Broken bench"}}]"#.utf8)
            .write(to: good)
        var configuration = ResolverConfiguration()
        configuration.reportCategoriesFile = good.path
        #expect(try configuration.reportCategories().map(\.code) == ["pothole", "bench"])
        let bad = dir.appendingPathComponent("bad.json")
        try Data(#"[{"code":"ok","name":{"en":"Fine"}},{"code":"Bad Code","name":{"en":"x"}}]"#.utf8).write(to: bad)
        configuration.reportCategoriesFile = bad.path
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
        do { _ = try configuration.reportCategories() } catch { #expect(error.description.contains("entry 1")) }

        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run(configure: { $0.reportCategoriesFile = good.path }) { client in
            let tag = try await ReportHTTPTests.place(client, resolver)
            let form = try await client.execute(uri: "/t/\(tag)/report?lang=fr", method: .get).text
            #expect(form.contains("Nid-de-poule") && form.contains("Broken bench") && !form.contains("Graffiti"))
            let services = try await client.execute(uri: "/open311/v2/services.json", method: .get).text
            #expect(services.contains("pothole") && !services.contains("graffiti"))
        }
    }
}

@Suite("Reports: photo workers")
struct BoundedWorkersTests {
    @Test("at most `limit` photos decode at once, `maxWaiting` more queue, the next is refused as busy")
    func bounded() async throws {
        let workers = BoundedWorkers(name: "test", limit: 2, maxWaiting: 1, busyMessage: "busy")
        let gate = DispatchSemaphore(value: 0)
        let peak = Peak()
        let tasks = (0..<3).map { _ in
            Task { try await workers.run { peak.enter(); gate.wait(); peak.leave(); return 1 } }
        }
        // Three admitted (two running, one waiting): wait until the two are running, then a fourth is refused.
        while peak.current < 2 { try await Task.sleep(for: .milliseconds(5)) }
        await #expect(throws: BoundedWorkers.Busy.self) { try await workers.run { 0 } }
        for _ in 0..<3 { gate.signal() }
        var sum = 0
        for task in tasks { sum += try await task.value }
        #expect(sum == 3 && peak.max == 2)
        #expect(try await workers.run { 7 } == 7, "slots are given back")
    }
}

/// Counts how many run at once.
final class Peak: @unchecked Sendable {
    private let lock = NSLock()
    private var now = 0
    private(set) var max = 0
    var current: Int { lock.withLock { now } }
    func enter() { lock.withLock { now += 1; max = Swift.max(max, now) } }
    func leave() { lock.withLock { now -= 1 } }
}

@Suite("Reports: client addresses")
struct ClientAddressTests {
    @Test("behind a trusted proxy the client is the rightmost untrusted X-Forwarded-For hop; IPv6 counts by /64")
    func addresses() throws {
        let proxy = try SocketAddress(ipAddress: "10.0.0.2", port: 40_000)
        let direct = try SocketAddress(ipAddress: "203.0.113.9", port: 40_000)
        let clients = ClientAddress(trustedProxies: ["10.0.0.2", "10.0.0.3"])
        #expect(clients.of(peer: proxy, forwardedFor: "198.51.100.7, 10.0.0.3") == "198.51.100.7")
        #expect(clients.of(peer: proxy, forwardedFor: "1.2.3.4, 198.51.100.7") == "198.51.100.7", "a forged first hop is ignored")
        #expect(clients.of(peer: direct, forwardedFor: "198.51.100.7") == "203.0.113.9", "an untrusted peer's header is ignored")
        #expect(clients.of(peer: proxy, forwardedFor: nil) == "10.0.0.2")
        #expect(RateLimiter.key("2001:db8:1:2:aaaa::1") == RateLimiter.key("2001:db8:1:2:bbbb::9"))
        #expect(RateLimiter.key("2001:db8:1:2::1") != RateLimiter.key("2001:db8:1:3::1"))

        let limiter = RateLimiter(limit: 2, window: 600, maxClients: 10)
        let now = Date()
        #expect(limiter.allow("2001:db8::1", at: now) && limiter.allow("2001:db8::2", at: now))
        #expect(!limiter.allow("2001:db8::3", at: now), "one /64, one budget")
        for index in 0..<30 { _ = limiter.allow("192.0.2.\(index)", at: now) }
        #expect(limiter.trackedClients <= 10)
        // Eviction made room: a new client is counted, and the map stays bounded.
        #expect(limiter.allow("198.51.100.1", at: now) && limiter.trackedClients <= 10)
    }
}
