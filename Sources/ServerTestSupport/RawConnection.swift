public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs blocking work on a new thread and waits for it without holding a cooperative thread.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// One parsed HTTP/1.1 response.
public struct RawResponse: Equatable, Sendable {
    public var status: Int
    /// Lower-cased names; repeated fields joined with ", ".
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A blocking TCP client on 127.0.0.1 with a 10 s receive timeout — just enough HTTP/1.1 to read responses.
public final class RawConnection: @unchecked Sendable {
    private let socket: Int32
    private var pending: [UInt8] = []

    public init(port: Int) throws {
        socket = try Self.connect(port: port, receiveTimeoutSeconds: 10)
    }

    /// A blocking TCP socket connected to 127.0.0.1:`port`; receives time out after `receiveTimeoutSeconds`, sends
    /// after `sendTimeoutSeconds` (0: never).
    public static func connect(port: Int, receiveTimeoutSeconds: Int, sendTimeoutSeconds: Int = 0) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw TestFailure("socket: errno \(errno)") }
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if sendTimeoutSeconds > 0 {
            var send = timeval(tv_sec: sendTimeoutSeconds, tv_usec: 0)
            setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &send, socklen_t(MemoryLayout<timeval>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(socket)
            throw TestFailure("connect to 127.0.0.1:\(port): errno \(errno)")
        }
        return socket
    }

    deinit { close(socket) }

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw TestFailure("send: errno \(errno)") }
            offset += sent
        }
    }

    /// Reads exactly `count` responses (bodies framed by Content-Length), on a thread of its own: a blocking
    /// `recv` on Swift's small cooperative pool could starve the server under test of the threads it needs.
    /// `headFirst`: the first is the answer to a HEAD request (its Content-Length describes no body sent).
    public func responses(_ count: Int, headFirst: Bool = false) async throws -> [RawResponse] {
        try await offPool { try self.readResponses(count, headFirst: headFirst) }
    }

    /// Sends `request` and reads its one response, blocking: for a thread of the caller's own (see ``offPool(_:)``).
    public func exchange(_ request: String) throws -> RawResponse {
        try send(request)
        return try readResponses(1)[0]
    }

    /// True when the server closed the connection (and sent nothing more).
    public func atEndOfStream() async throws -> Bool {
        try await offPool { try !self.receive() && self.pending.isEmpty }
    }

    func readResponses(_ count: Int, headFirst: Bool = false) throws -> [RawResponse] {
        var result: [RawResponse] = []
        while result.count < count {
            if let response = try parseOne(bodyless: headFirst && result.isEmpty) {
                result.append(response)
            } else if try !receive() {
                throw TestFailure("connection closed after \(result.count) of \(count) responses")
            }
        }
        return result
    }

    private func receive() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let received = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        if received < 0 { throw TestFailure("recv: errno \(errno) (timeout after 10 s?)") }
        pending += chunk[0..<received]
        return received > 0
    }

    private func parseOne(bodyless: Bool) throws -> RawResponse? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard pending.count >= 4, let end = (0...(pending.count - 4)).first(where: { Array(pending[$0..<($0 + 4)]) == separator })
        else { return nil }
        let lines = String(decoding: pending[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, lines[0].hasPrefix("HTTP/1.1 "), let status = Int(statusParts[1]) else {
            throw TestFailure("bad status line '\(lines[0])'")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw TestFailure("bad header line '\(line)'") }
            let name = line[..<colon].lowercased(), value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        let length = bodyless ? 0 : Int(headers["content-length"] ?? "0") ?? 0
        guard pending.count >= end + 4 + length else { return nil }
        let body = Array(pending[(end + 4)..<(end + 4 + length)])
        pending.removeFirst(end + 4 + length)
        return RawResponse(status: status, headers: headers, body: body)
    }
}

/// The value of the unlabelled Prometheus sample `name` in a /metrics text, or nil.
public func metric(_ name: String, in text: String) -> Double? {
    text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
}
