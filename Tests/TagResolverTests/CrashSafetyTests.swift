import AsyncHTTPClient
import Foundation
import TagKit
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

@Suite("Crash safety")
struct CrashSafetyTests {
    @Test("kill -9 during a stream of writes loses no acknowledged write")
    func killDuringWrites() async throws {
        let database = try await TestEnvironment.freshDatabaseURL(.sqlite)
        let token = try await TestEnvironment.token(.write, in: database)
        let server = try ServerProcess(database: database)
        let base = "http://127.0.0.1:\(server.port)"

        let acknowledged = AcknowledgedIDs()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    var number = writer * 100_000
                    while true {
                        number += 1
                        let id = testID(number)
                        var request = HTTPClientRequest(url: "\(base)/api/v1/tags")
                        request.method = .POST
                        request.headers.add(name: "Authorization", value: "Bearer \(token)")
                        request.headers.add(name: "Content-Type", value: "application/json")
                        request.body = .bytes(Array(#"{"id":"\#(id)","name":"W\#(number)","target":{"kind":"url","url":"https://t.example/\#(number)"}}"#.utf8))
                        do {
                            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                            _ = try await response.body.collect(upTo: 1 << 20)
                            if response.status.code == 201 { acknowledged.add(id) }
                        } catch {
                            return  // the server is gone
                        }
                    }
                }
            }
            // Let writes flow, then kill the server in the middle of them.
            let deadline = ContinuousClock.now + .seconds(120)
            while acknowledged.count < 60 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            server.kill9()
            try await group.waitForAll()
        }
        let acked = acknowledged.all
        #expect(acked.count >= 60)

        let restarted = try ServerProcess(database: database)
        defer { restarted.terminate() }
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(restarted.port)/api/v1/tags")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 << 20)
        struct List: Decodable { var tags: [TagResolver.Tag] }
        let stored = Set(try JSONCoding.decoder().decode(List.self, from: Data(body.readableBytesView)).tags.map(\.id))
        let missing = acked.subtracting(stored)
        #expect(missing.isEmpty, "\(missing.count) acknowledged writes lost: \(missing.prefix(5))")
    }
}

@Suite("Graceful shutdown")
struct GracefulShutdownTests {
    @Test("SIGTERM writes the scan counts still in memory before exiting")
    func sigtermFlushesScans() async throws {
        let database = try await TestEnvironment.freshDatabaseURL(.sqlite)
        let id = testID(4242)
        try await DatabaseLocation(parsing: database).withStore(logger: TestEnvironment.logger) { store in
            try await store.create(TagResolver.Tag(id: id, name: "Stop", target: .url("https://t.example/")), actor: "test")
        }
        // A flush interval far longer than the test: only the shutdown flush can write these.
        let server = try ServerProcess(database: database, extraArguments: ["--scan-flush-seconds", "3600"])
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))
        do {
            for via in ["", "?via=nfc", ""] {
                let response = try await client.execute(
                    HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/t/\(id)\(via)"), timeout: .seconds(10))
                _ = try await response.body.collect(upTo: 1 << 20)
                #expect(response.status.code == 302)
            }
        } catch {
            server.kill9()
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        server.terminate()
        #expect(server.process.terminationStatus == 0)
        let counts = try await DatabaseLocation(parsing: database).withStore(logger: TestEnvironment.logger) { store in
            try await store.scans(tag: id, from: nil, to: nil)
        }
        #expect(counts.filter { $0.channel == .qr }.map(\.count).reduce(0, +) == 2)
        #expect(counts.filter { $0.channel == .nfc }.map(\.count).reduce(0, +) == 1)
    }
}

final class AcknowledgedIDs: @unchecked Sendable {
    private let lock = NSLock()
    private var ids = Set<TagID>()
    func add(_ id: TagID) {
        lock.lock()
        ids.insert(id)
        lock.unlock()
    }
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return ids.count
    }
    var all: Set<TagID> {
        lock.lock()
        defer { lock.unlock() }
        return ids
    }
}

@Suite("Event loops")
struct EventLoopTests {
    @Test("default: one per core less one, at least one; a configured count is kept")
    func defaultCount() {
        #expect(eventLoopCount(configured: 0, cores: 1) == 1)
        #expect(eventLoopCount(configured: 0, cores: 2) == 1)
        #expect(eventLoopCount(configured: 0, cores: 8) == 7)
        #expect(eventLoopCount(configured: 3, cores: 2) == 3)
    }

    @Test("tagtool serve runs the event loops it says it runs", arguments: [nil, 3])
    func serveRunsThatMany(_ configured: Int?) async throws {
        let database = try await TestEnvironment.freshDatabaseURL(.sqlite)
        let server = try ServerProcess(database: database, extraArguments: configured.map { ["--event-loops", "\($0)"] } ?? [])
        defer { server.terminate() }
        let expected = eventLoopCount(configured: configured ?? 0)
        #expect(server.eventLoopThreads == expected)
        #expect(server.listening.contains("(\(expected) event loop\(expected == 1 ? "" : "s"))"), "\(server.listening)")
    }
}
