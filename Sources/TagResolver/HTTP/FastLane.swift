import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// The resolver's fast lane: `GET /t/{id}` answered on the event loop, straight from the connection's bytes.
///
/// Why: on this 2-core machine Hummingbird's own request path (HTTP decoder → async channel → router →
/// encoder) tops out near a quarter of nginx's rate even for a 404 (BENCHMARKS.md, issue 5); the lookup
/// itself is a dictionary read. The fast lane sits in front of Hummingbird's HTTP/1.1 pipeline on every
/// connection and answers the one request shape that matters on the street — a complete `GET /t/<id>`
/// (or `/T/`) in HTTP/1.1 without a body — through the same ``ResolveController`` code Hummingbird's route
/// uses. Anything else (another path or method, HTTP/1.0, a body, `Expect`, `Upgrade`, an unusual header
/// line) switches that connection, for the rest of its life, to Hummingbird, after every fast answer
/// already owed on it has been written: responses always leave in request order.
struct FastLane: Sendable {
    /// The answer if nothing needs waiting for (see ``ResolveController/resolveNow(_:)``).
    var resolveNow: @Sendable (ResolveRequest) -> PreparedResponse?
    /// The full resolution (store on a cache miss, stop page rendering).
    var resolve: @Sendable (ResolveRequest) async throws -> PreparedResponse
    /// What counts an answer with this route and status for /metrics: the request counter Hummingbird's middleware
    /// would have counted, and the fast lane's own. Each connection keeps the last one it was given.
    var counter: @Sendable (_ route: String, _ status: Int) -> @Sendable () -> Void
    /// Counts an answer that could not be given from memory.
    var countWait: @Sendable () -> Void
    var logger: Logger
}

/// Hummingbird's HTTP/1.1 child channel with the fast lane in front of it.
struct FastLaneChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let inner: HTTP1Channel
    let lane: FastLane

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(FastLaneHandler(lane: lane))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return inner.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with the resolver's fast lane in front (`lane` nil: plain Hummingbird).
    static func http1(fastLane lane: FastLane?) -> HTTPServerBuilder {
        guard let lane else { return .http1() }
        return .init { responder in FastLaneChannel(inner: HTTP1Channel(responder: responder), lane: lane) }
    }
}

/// One connection's fast lane. Lives on the channel's event loop; never blocks it.
final class FastLaneHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Largest request head the fast lane looks at; longer ones go to Hummingbird, which enforces its limits.
    static let maxHead = 16 * 1024
    /// Answers being computed at once on one connection before the lane stops reading requests.
    static let maxOwed = 32

    private let lane: FastLane
    private var received: ByteBuffer?
    /// Answers owed, in request order; nil while one is still being computed.
    private var owed = CircularBuffer<ByteBuffer?>()
    /// Sequence number of `owed.first`.
    private var firstOwed = 0
    private var mode = Mode.fast
    private var needsFlush = false
    private var context: ChannelHandlerContext?
    /// The last counter from ``FastLane/counter`` (nearly every answer on a connection has the same route and status).
    private var tally: (route: String, status: Int, count: @Sendable () -> Void)?

    private enum Mode {
        /// Parsing requests.
        case fast
        /// A request the lane does not take arrived; waiting for owed answers, then hand over.
        case handingOver
        /// Hummingbird has the connection.
        case passthrough
        /// `Connection: close` was asked; close after the owed answers.
        case closing
    }

    init(lane: FastLane) {
        self.lane = lane
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard mode != .passthrough else {
            context.fireChannelRead(data)
            return
        }
        var bytes = unwrapInboundIn(data)
        if received == nil {
            received = bytes
        } else {
            received!.writeBuffer(&bytes)
        }
        process(context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded(context)
        if mode == .passthrough { context.fireChannelReadComplete() }
    }

    /// Answers every complete request in `received` the lane can take.
    private func process(_ context: ChannelHandlerContext) {
        while mode == .fast, owed.count < Self.maxOwed, let buffer = received, buffer.readableBytes > 0 {
            let parsed = buffer.withUnsafeReadableBytes { FastLaneRequest.parse($0) }
            switch parsed {
            case .incomplete:
                if buffer.readableBytes > Self.maxHead { handOver(context) }
                return
            case .other:
                handOver(context)
                return
            case .fast(let request, let keepAlive, let length):
                received!.moveReaderIndex(forwardBy: length)
                if received!.readableBytes == 0 { received = nil }
                if !keepAlive { mode = .closing }
                answer(request, keepAlive: keepAlive, context)
            }
        }
    }

    private func answer(_ request: FastLaneRequest, keepAlive: Bool, _ context: ChannelHandlerContext) {
        if let response = lane.resolveNow(request.resolve) {
            owe(serialize(response, route: request.route, keepAlive: keepAlive, context), context)
            return
        }
        lane.countWait()
        let sequence = firstOwed + owed.count
        owed.append(nil)
        let lane = self.lane
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let resolve = request.resolve
        context.eventLoop.makeFutureWithTask {
            do {
                return try await lane.resolve(resolve)
            } catch {
                let (status, body) = ErrorMappingMiddleware<BasicRequestContext>.describe(error)
                if status == .internalServerError {
                    lane.logger.error("unhandled error", metadata: ["path": "/t/\(resolve.rawID)", "error": "\(error)"])
                }
                return PreparedResponse(
                    status: status, headers: [.contentType: "application/json; charset=utf-8"], body: ByteBuffer(bytes: body))
            }
        }.whenSuccess { response in
            let handler = bound.value
            guard let context = handler.context else { return }
            handler.fulfil(sequence, handler.serialize(response, route: request.route, keepAlive: keepAlive, context), context)
        }
    }

    /// Queues (or writes, when nothing is owed before it) a ready answer.
    private func owe(_ bytes: ByteBuffer, _ context: ChannelHandlerContext) {
        if owed.isEmpty {
            firstOwed += 1
            write(bytes, context)
            if mode == .closing {
                flushIfNeeded(context)
                context.close(promise: nil)
            }
        } else {
            owed.append(bytes)
        }
    }

    private func fulfil(_ sequence: Int, _ bytes: ByteBuffer, _ context: ChannelHandlerContext) {
        let index = sequence - firstOwed
        guard index >= 0, index < owed.count else { return }
        owed[owed.index(owed.startIndex, offsetBy: index)] = bytes
        while let first = owed.first, let ready = first {
            owed.removeFirst()
            firstOwed += 1
            write(ready, context)
        }
        flushIfNeeded(context)
        guard owed.isEmpty else { return }
        switch mode {
        case .closing:
            context.close(promise: nil)
        case .handingOver: handOver(context)
        case .fast: process(context); flushIfNeeded(context)
        case .passthrough: break
        }
    }

    /// Gives the connection to Hummingbird once nothing is owed: the bytes not yet consumed go up the pipeline.
    private func handOver(_ context: ChannelHandlerContext) {
        guard owed.isEmpty else {
            mode = .handingOver
            return
        }
        flushIfNeeded(context)
        mode = .passthrough
        if let rest = received {
            received = nil
            context.fireChannelRead(wrapInboundOut(rest))
            context.fireChannelReadComplete()
        }
    }

    private func write(_ bytes: ByteBuffer, _ context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(bytes), promise: nil)
        needsFlush = true
    }

    private func flushIfNeeded(_ context: ChannelHandlerContext) {
        guard needsFlush else { return }
        needsFlush = false
        context.flush()
    }

    private func serialize(_ response: PreparedResponse, route: String, keepAlive: Bool, _ context: ChannelHandlerContext) -> ByteBuffer {
        let status = response.status.code
        if let tally, tally.status == status, tally.route == route {
            tally.count()
        } else {
            let count = lane.counter(route, status)
            tally = (route, status, count)
            count()
        }
        var out = context.channel.allocator.buffer(capacity: response.head.readableBytes + 64 + response.body.readableBytes)
        out.writeImmutableBuffer(response.head)
        out.writeString(HTTPDate.now())
        if !keepAlive { out.writeStaticString("Connection: close\r\n") }
        out.writeStaticString("\r\n")
        out.writeImmutableBuffer(response.body)
        return out
    }
}

/// A request the fast lane takes: parsed from the raw bytes of one HTTP/1.1 request head.
struct FastLaneRequest: Sendable {
    var resolve: ResolveRequest
    /// The route label for /metrics (`/t/{id}` or `/T/{id}`, as Hummingbird's router names them).
    var route: String

    enum Parsed {
        /// No complete head yet.
        case incomplete
        /// Not for the fast lane (Hummingbird decides).
        case other
        /// A fast request, whether the client keeps the connection, and the head's length in bytes.
        case fast(FastLaneRequest, keepAlive: Bool, length: Int)
    }

    private static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), colon = UInt8(ascii: ":")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
    private static let httpVersion: StaticString = " HTTP/1.1\r\n"

    /// Parses one request head at the start of `bytes`. Strict on purpose: whatever is unusual is `.other`.
    /// Works on the bytes directly (no Foundation, no per-header strings) because it runs for every request.
    static func parse(_ raw: UnsafeRawBufferPointer) -> Parsed {
        let bytes = raw.assumingMemoryBound(to: UInt8.self)
        // "GET /t/" or "GET /T/"
        let count = bytes.count
        let start: StaticString = "GET /t/"
        for index in 0..<min(count, 7) {
            let expected = start.utf8Start[index]
            let byte = index == 5 && bytes[index] == UInt8(ascii: "T") ? UInt8(ascii: "t") : bytes[index]
            guard byte == expected else { return .other }
        }
        guard count >= 7, let headEnd = endOfHead(bytes) else { return .incomplete }

        // Request line: target up to the space, then exactly " HTTP/1.1\r\n".
        var targetEnd = 7, queryStart = -1
        while targetEnd < headEnd, bytes[targetEnd] != space {
            let byte = bytes[targetEnd]
            guard byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "#") else { return .other }
            if byte == UInt8(ascii: "?") {
                if queryStart < 0 { queryStart = targetEnd }
            } else if byte == UInt8(ascii: "/"), queryStart < 0 {
                return .other
            }
            targetEnd += 1
        }
        let versionLength = httpVersion.utf8CodeUnitCount
        guard targetEnd + versionLength <= headEnd + 2 else { return .other }
        for offset in 0..<versionLength where bytes[targetEnd + offset] != httpVersion.utf8Start[offset] { return .other }
        let pathEnd = queryStart < 0 ? targetEnd : queryStart
        guard pathEnd > 7 else { return .other }
        var request = ResolveRequest(rawID: string(bytes, 7..<pathEnd))
        if queryStart >= 0 { readQuery(bytes, (queryStart + 1)..<targetEnd, into: &request) }

        // Header lines.
        var keepAlive = true
        var index = targetEnd + versionLength
        while index < headEnd {
            var lineEnd = index
            while bytes[lineEnd] != cr {
                let byte = bytes[lineEnd]
                guard byte >= 0x20 && byte != 0x7F || byte == tab else { return .other }
                lineEnd += 1
            }
            guard bytes[lineEnd + 1] == lf else { return .other }
            // No obs-fold; a non-empty name without white space before the colon.
            var nameEnd = index
            while nameEnd < lineEnd, bytes[nameEnd] != colon {
                guard bytes[nameEnd] != space, bytes[nameEnd] != tab else { return .other }
                nameEnd += 1
            }
            guard nameEnd < lineEnd, nameEnd > index else { return .other }
            var valueStart = nameEnd + 1, valueEnd = lineEnd
            while valueStart < valueEnd, bytes[valueStart] == space || bytes[valueStart] == tab { valueStart += 1 }
            while valueEnd > valueStart, bytes[valueEnd - 1] == space || bytes[valueEnd - 1] == tab { valueEnd -= 1 }
            let name = index..<nameEnd, value = valueStart..<valueEnd
            switch nameEnd - index {
            case 6 where equalsLowercased(bytes, name, "accept"):
                request.accept = joined(request.accept, string(bytes, value))
            case 15 where equalsLowercased(bytes, name, "accept-language"):
                request.acceptLanguage = joined(request.acceptLanguage, string(bytes, value))
            case 10 where equalsLowercased(bytes, name, "connection"):
                // Rare (keep-alive is HTTP/1.1's default), so plain string work is fine here.
                for option in string(bytes, value).lowercased().split(separator: ",") {
                    let token = option.trimmingCharacters(in: .whitespaces)
                    if token == "close" { keepAlive = false }
                    if token == "upgrade" { return .other }
                }
            case 14 where equalsLowercased(bytes, name, "content-length"):
                guard value.count == 1, bytes[valueStart] == UInt8(ascii: "0") else { return .other }
            case 17 where equalsLowercased(bytes, name, "transfer-encoding"),
                 7 where equalsLowercased(bytes, name, "upgrade"),
                 6 where equalsLowercased(bytes, name, "expect"):
                return .other
            default:
                break
            }
            index = lineEnd + 2
        }
        let route = bytes[5] == UInt8(ascii: "t") ? "/t/{id}" : "/T/{id}"
        return .fast(FastLaneRequest(resolve: request, route: route), keepAlive: keepAlive, length: headEnd + 4)
    }

    /// `via` and `lang` from the query string (first occurrence wins, percent-decoded).
    private static func readQuery(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into request: inout ResolveRequest) {
        var pairStart = range.lowerBound
        while pairStart < range.upperBound {
            var pairEnd = pairStart
            while pairEnd < range.upperBound, bytes[pairEnd] != UInt8(ascii: "&") { pairEnd += 1 }
            var equals = pairStart
            while equals < pairEnd, bytes[equals] != UInt8(ascii: "=") { equals += 1 }
            let key = pairStart..<equals
            let value = equals < pairEnd ? string(bytes, (equals + 1)..<pairEnd) : ""
            let decoded = value.utf8.contains(UInt8(ascii: "%")) ? value.removingPercentEncoding ?? value : value
            if key.count == 3, equalsLowercased(bytes, key, "via"), request.via == nil { request.via = decoded }
            if key.count == 4, equalsLowercased(bytes, key, "lang"), request.lang == nil { request.lang = decoded }
            pairStart = pairEnd + 1
        }
    }

    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    private static func joined(_ earlier: String?, _ value: String) -> String {
        earlier.map { "\($0), \(value)" } ?? value
    }

    /// ASCII case-insensitive comparison with a lower-case name (`exact` is all lower case).
    @inline(__always)
    private static func equalsLowercased(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ exact: StaticString) -> Bool {
        guard range.count == exact.utf8CodeUnitCount else { return false }
        for offset in 0..<range.count {
            var byte = bytes[range.lowerBound + offset]
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte |= 0x20 }
            guard byte == exact.utf8Start[offset] else { return false }
        }
        return true
    }

    /// Index of the "\r\n\r\n" that ends the head (the position of its first byte), or nil.
    private static func endOfHead(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        while index + 3 < bytes.count {
            let last = bytes[index + 3]
            if last != lf {
                index += last == cr ? 1 : 4
                continue
            }
            if bytes[index] == cr, bytes[index + 1] == lf, bytes[index + 2] == cr { return index }
            index += 1
        }
        return nil
    }
}

/// The `Date` header line (RFC 9110 IMF-fixdate, as Hummingbird sends it), formatted once per second per
/// thread (no lock shared between event loops).
enum HTTPDate {
    private final class Line: @unchecked Sendable {
        var second = -1
        var text = ""
    }

    private static let line = ThreadSpecificVariable<Line>()
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Date: Sun, 29 Nov 2026 12:06:47 GMT\r\n`
    static func now() -> String {
        var seconds = time(nil)
        let cached: Line
        if let existing = line.currentValue {
            cached = existing
        } else {
            cached = Line()
            line.currentValue = cached
        }
        if cached.second == seconds { return cached.text }
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        cached.text = "Date: \(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT\r\n"
        cached.second = seconds
        return cached.text
    }
}
