import Foundation
import TagKit
import ServerTestSupport
import TagResolver
import TagTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Attacks on the real `tagtool serve` process, each with its limit asserted: resident memory from
/// `/proc/<pid>/status` stays under a bound while the attack runs, other clients keep getting answers, and
/// the server is alive afterwards. Every wait is bounded by a socket timeout (no test waits on a clock).
@Suite("Edge: attacks on the real server")
struct EdgeAttackTests {
    /// What one attacking connection may cost the server (EdgeHandler's documented bound is far lower; this
    /// leaves room for the allocator and for the other clients' requests), in KiB.
    static let memoryBoundKiB = 32 * 1024

    @Test("pipelined 12 KB requests sent in pieces: memory stays bounded while other clients are answered",
          arguments: [true, false])
    func bigPipelinedHeads(fastLane: Bool) async throws {
        let server = try ServerProcess(
            database: try await TestEnvironment.freshDatabaseURL(.sqlite), extraArguments: ["--fast-lane", "\(fastLane)"])
        defer { server.terminate() }
        let baseline = try server.warmedUpResidentKiB()
        let request = Array(("GET /t/\(testID(5)) HTTP/1.1\r\nHost: x\r\nX-Pad: \(String(repeating: "a", count: 6_000))\r\n"
            + "X-More: \(String(repeating: "a", count: 6_000))\r\n\r\n").utf8)
        let total = 96 << 20
        let attacker = try AttackSocket(port: server.port)
        async let answers = offPool { try attacker.drain() }
        // Another client asks between every 8 MiB the attacker sends: each must be answered (20 s hang guard).
        let latencies = try await offPool {
            let other = try RawConnection(port: server.port)
            var latencies: [Int] = []
            var sent = 0
            while sent < total {
                for start in stride(from: 0, to: request.count, by: 1000) {
                    guard try attacker.send(Array(request[start..<min(start + 1000, request.count)])) else {
                        throw TestFailure("the server stopped taking a client that reads its answers")
                    }
                }
                sent += request.count
                if sent / (8 << 20) > latencies.count {
                    let start = ContinuousClock.now
                    guard try other.exchange("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").status == 200 else {
                        throw TestFailure("another client was not answered 200 during the attack")
                    }
                    latencies.append(Int(start.duration(to: .now) / .milliseconds(1)))
                }
            }
            attacker.shutdownWrite()
            return latencies
        }
        let received = try await answers
        #expect(received > total / request.count * 300, "answers: \(received) bytes")
        let peak = try server.memory().peakKiB
        #expect(peak - baseline < Self.memoryBoundKiB, "peak \(peak) KiB after \(baseline) KiB at rest")
        #expect(!latencies.isEmpty, "no other client was answered during the attack")
        #expect(latencies.count == total / (8 << 20), "another client asked at every 8 MiB: \(latencies.count) answers")
        print("bigPipelinedHeads (fast lane \(fastLane)): peak +\(peak - baseline) KiB, other clients' slowest answer \(latencies.max() ?? 0) ms")
        #expect(try server.healthy())
    }

    @Test("a client that pipelines and never reads: the server stops reading it, memory stays bounded",
          arguments: [true, false])
    func noBackpressureAbuse(fastLane: Bool) async throws {
        let server = try ServerProcess(
            database: try await TestEnvironment.freshDatabaseURL(.sqlite), extraArguments: ["--fast-lane", "\(fastLane)"])
        defer { server.terminate() }
        let baseline = try server.warmedUpResidentKiB()
        let block = Array(String(repeating: "GET /t/7K3M9QX0 HTTP/1.1\r\nHost: x\r\n\r\n", count: 1700).utf8)
        let total = 64 << 20
        let attacker = try AttackSocket(port: server.port, sendTimeoutSeconds: 3)
        let sent = try await offPool {
            var sent = 0
            while sent < total, (try? attacker.send(block)) == true { sent += block.count }
            return sent
        }
        #expect(sent < total, "the server read all \(sent) bytes of a client that never reads an answer")
        #expect(try server.healthy(), "other clients are not answered while the attacker is connected")
        let peak = try server.memory().peakKiB
        #expect(peak - baseline < Self.memoryBoundKiB, "peak \(peak) KiB after \(baseline) KiB at rest; \(sent) bytes taken")
        attacker.close()
        #expect(try server.healthy())
    }

    @Test("silent, half-sent and idle connections are closed (408 where a request had started)")
    func timeouts() async throws {
        let database = try await TestEnvironment.freshDatabaseURL(.sqlite)
        let token = try await TestEnvironment.token(.write, in: database)
        let server = try ServerProcess(
            database: database,
            extraArguments: ["--head-timeout-seconds", "1", "--idle-timeout-seconds", "3", "--body-timeout-seconds", "1"])
        defer { server.terminate() }

        let silent = try AttackSocket(port: server.port)
        #expect(try await offPool { try silent.drain() } == 0, "a connection that sends nothing is answered")

        let halfHead = try AttackSocket(port: server.port)
        _ = try halfHead.send(Array("GET /t/\(testID(1)) HTTP/1.1\r\nHost: x\r\nX-Pa".utf8))
        let timedOut = try await offPool { try halfHead.readAll() }
        #expect(timedOut.hasPrefix("HTTP/1.1 408 "), "\(timedOut)")

        let idle = try AttackSocket(port: server.port)
        _ = try idle.send(Array("GET /t/\(testID(1)) HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        let idleAnswer = try await offPool { try idle.readAll() }
        #expect(idleAnswer.hasPrefix("HTTP/1.1 404 ") && !idleAnswer.contains("408"), "\(idleAnswer.prefix(200))")

        // A busy keep-alive connection outlives the head timeout: each complete head ends its deadline.
        let busy = try RawConnection(port: server.port)
        for _ in 0..<12 {
            #expect(try busy.exchange("GET /t/\(testID(1)) HTTP/1.1\r\nHost: x\r\n\r\n").status == 404)
            try await Task.sleep(for: .milliseconds(250))
        }

        let noBody = try AttackSocket(port: server.port)
        _ = try noBody.send(Array(
            ("POST /api/v1/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\nContent-Type: text/csv\r\n"
                + "Content-Length: 100\r\n\r\nname,url\r\n").utf8))
        let bodyTimedOut = try await offPool { try noBody.readAll() }
        #expect(bodyTimedOut.hasPrefix("HTTP/1.1 408 "), "\(bodyTimedOut)")

        // Many partial heads: all of them closed, their memory given back to the edge's count.
        let partial = Array("GET /t/\(testID(1)) HTTP/1.1\r\nHost: x\r\nX-Pad: \(String(repeating: "b", count: 8000))".utf8)
        let many = try (0..<300).map { _ in try AttackSocket(port: server.port) }
        for socket in many { _ = try socket.send(partial) }
        for socket in many {
            // 408 if the partial head arrived before the idle timeout; on a machine too busy to send 300
            // heads within it, a plain close. Either way the connection is gone.
            let answer = try await offPool { try socket.readAll() }
            #expect(answer.isEmpty || answer.hasPrefix("HTTP/1.1 408 "), "\(answer.prefix(100))")
            socket.close()
        }
        // The server notices each client's close on its next read: asked until then (bounded).
        var open = try server.metric("civictags_open_connections")
        for _ in 0..<100 where open > 1 {
            try await Task.sleep(for: .milliseconds(100))
            open = try server.metric("civictags_open_connections")
        }
        #expect(open == 1, "open connections after the head timeout: \(open) (the metrics request is one)")
        #expect(try server.healthy())
    }

    @Test("over max-connections a client gets 503 and is closed; those admitted keep being answered")
    func connectionLimit() async throws {
        let server = try ServerProcess(
            database: try await TestEnvironment.freshDatabaseURL(.sqlite), extraArguments: ["--max-connections", "20"])
        defer { server.terminate() }
        let idle = try (0..<19).map { _ in try AttackSocket(port: server.port) }
        let admitted = try RawConnection(port: server.port)
        #expect(try admitted.exchange("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").status == 200)

        let refused = try AttackSocket(port: server.port)
        _ = try refused.send(Array("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        let answer = try await offPool { try refused.readAll() }
        #expect(answer.hasPrefix("HTTP/1.1 503 "), "\(answer)")
        #expect(answer.contains("maximum of 20 connections"), "\(answer)")
        #expect(try admitted.exchange("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").status == 200)

        for socket in idle.prefix(5) { socket.close() }
        var answered = false
        for _ in 0..<100 where !answered {
            let again = try RawConnection(port: server.port)
            answered = try again.exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status == 200
            if !answered { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(answered, "no connection was admitted after five closed")
        withExtendedLifetime(idle) {}
    }
}

extension ServerProcess {
    struct Memory {
        var residentKiB: Int
        var peakKiB: Int
    }

    func memory() throws -> Memory {
        let status = try String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
        func field(_ name: String) throws -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
                  let value = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
            else { throw TestFailure("no \(name) in /proc/\(process.processIdentifier)/status") }
            return value
        }
        return Memory(residentKiB: try field("VmRSS"), peakKiB: try field("VmHWM"))
    }

    /// Resident memory after a few hundred ordinary requests (the server's own start-up allocations done).
    func warmedUpResidentKiB() throws -> Int {
        let socket = try RawConnection(port: port)
        for _ in 0..<300 { _ = try socket.exchange("GET /t/\(testID(3)) HTTP/1.1\r\nHost: x\r\n\r\n") }
        return try memory().residentKiB
    }

    func healthy() throws -> Bool {
        try RawConnection(port: port).exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status == 200
    }

    /// A number from /metrics.
    func metric(_ name: String) throws -> Double {
        let response = try RawConnection(port: port).exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let text = String(decoding: response.body, as: UTF8.self)
        guard let value = ServerTestSupport.metric(name, in: text) else { throw TestFailure("no \(name) in /metrics: \(text)") }
        return value
    }
}

/// A blocking TCP client on 127.0.0.1 for attacks: sends with an optional timeout, reads to the end.
/// Receives time out after 20 s (a hang shows as a failure, not a stuck test).
final class AttackSocket: @unchecked Sendable {
    private var socket: Int32

    init(port: Int, sendTimeoutSeconds: Int = 0) throws {
        socket = try RawConnection.connect(port: port, receiveTimeoutSeconds: 20, sendTimeoutSeconds: sendTimeoutSeconds)
    }

    deinit { close() }

    func close() {
        if socket >= 0 { Glibc.close(socket) }
        socket = -1
    }

    func shutdownWrite() { shutdown(socket, Int32(SHUT_WR)) }

    /// False when the send timed out or the server closed the connection.
    func send(_ bytes: [UInt8]) throws -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EPIPE || errno == ECONNRESET { return false }
                throw TestFailure("send: errno \(errno)")
            }
            offset += sent
        }
        return true
    }

    /// Reads until the server closes; returns how many bytes came.
    func drain() throws -> Int {
        var total = 0
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let received = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if received == 0 || received < 0 && errno == ECONNRESET { return total }
            if received < 0 { throw TestFailure("recv: errno \(errno) (no close within 20 s)") }
            total += received
        }
    }

    /// Everything until the server closes, as text.
    func readAll() throws -> String {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let received = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if received == 0 || received < 0 && errno == ECONNRESET { return String(decoding: out, as: UTF8.self) }
            if received < 0 { throw TestFailure("recv: errno \(errno) (no close within 20 s); got \(out.count) bytes") }
            out += chunk[0..<received]
        }
    }
}
