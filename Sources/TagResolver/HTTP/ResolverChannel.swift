import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// The limits every connection lives within (README's configuration table has the settable ones).
struct EdgeLimits: Sendable {
    var headTimeout: TimeAmount
    var idleTimeout: TimeAmount
    var bodyTimeout: TimeAmount
    var maxBodyBytes: Int
    var maxConnections: Int
    /// Requests decoded on one connection and not yet answered (pipelined, or waiting for the store); past
    /// this a client that pipelines without reading is closed.
    var maxOwed = 64

    /// Largest request head (request line and header fields) NIO's decoder accepts; larger: 431.
    static let maxHeadBytes = 16 * 1024
    /// Largest single header field or request target.
    static let maxFieldBytes = 8 * 1024
    /// How long a refused connection's input is still read (and dropped) after the refusal is written.
    static let linger = TimeAmount.seconds(2)

    init(_ configuration: ResolverConfiguration) {
        func amount(_ seconds: Double) -> TimeAmount { .nanoseconds(Int64(seconds * 1_000_000_000)) }
        headTimeout = amount(configuration.headTimeoutSeconds)
        idleTimeout = amount(configuration.idleTimeoutSeconds)
        bodyTimeout = amount(configuration.bodyTimeoutSeconds)
        maxBodyBytes = configuration.maxBodyBytes
        maxConnections = configuration.maxConnections
    }
}

/// Hummingbird's HTTP/1.1 child channel with the resolver's edge in it: ``FirstByteHandler`` before the
/// decoder, ``EdgeHandler`` right after it (before Hummingbird converts parts to its own types), and a count of
/// open connections that refuses one over ``EdgeLimits/maxConnections``.
struct ResolverChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let inner: HTTP1Channel
    let lane: FastLane?
    let limits: EdgeLimits
    let connections: ConnectionCount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let admitted = connections.admit()
        return inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            guard admitted else {
                try pipeline.addHandler(ConnectionRefusal(limit: limits.maxConnections), position: .first)
                return value
            }
            let connections = self.connections
            channel.closeFuture.whenComplete { _ in connections.close() }
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            let edge = EdgeHandler(lane: lane, limits: limits)
            try pipeline.addHandler(edge, position: .after(decoder))
            try pipeline.addHandler(FirstByteHandler(edge: edge), position: .first)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with the resolver's edge (`lane` nil: every request through Hummingbird's router).
    static func resolver(fastLane lane: FastLane?, limits: EdgeLimits, connections: ConnectionCount) -> HTTPServerBuilder {
        .init { responder in
            let decoder = HTTP1Channel.Configuration.DecoderConfiguration(
                maxHeaderFieldSize: EdgeLimits.maxFieldBytes, maxHeaderListSize: EdgeLimits.maxHeadBytes, maxHeaderFieldCount: 100)
            return ResolverChannel(
                inner: HTTP1Channel(responder: responder, configuration: .init(httpDecoderConfiguration: decoder)),
                lane: lane, limits: limits, connections: connections)
        }
    }
}

/// Open connections, shared by every event loop; ``admit()`` lets one more in only below the limit.
final class ConnectionCount: Sendable {
    let limit: Int
    private let count = Atomic<Int>(0)
    private let refusedCount = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    func admit() -> Bool {
        var current = count.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = count.compareExchange(
                expected: current, desired: current + 1, successOrdering: .relaxed, failureOrdering: .relaxed)
            if exchanged { return true }
            current = original
        }
        refusedCount.add(1, ordering: .relaxed)
        return false
    }

    func close() { count.subtract(1, ordering: .relaxed) }

    var open: Int { count.load(ordering: .relaxed) }
    var refused: Int { refusedCount.load(ordering: .relaxed) }
}

/// A connection over the limit: answered 503 with `Connection: close` as soon as it is up, its input dropped,
/// closed after a short linger (closing at once with unread input would reset it and lose the answer).
final class ConnectionRefusal: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let limit: Int

    init(limit: Int) { self.limit = limit }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { refuse(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        refuse(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    private func refuse(_ context: ChannelHandlerContext) {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.retryAfter] = "5"
        let response = PreparedResponse(
            status: .serviceUnavailable, headers: headers,
            body: ByteBuffer(string: #"{"error":"this server has its maximum of \#(limit) connections open; try again shortly"}"#))
        let bytes = EdgeHandler.serialize(response, headOnly: false, keepAlive: false, allocator: context.channel.allocator)
        context.writeAndFlush(NIOAny(bytes), promise: nil)
        context.close(mode: .output, promise: nil)
        let channel = context.channel
        context.eventLoop.scheduleTask(in: EdgeLimits.linger) { channel.close(promise: nil) }
    }
}

/// A connection's one deadline, of one kind at a time. Moving it later costs a clock read: the scheduled
/// alarm, when it rings early, sets itself again for the deadline in force (so the hot path schedules nothing).
final class Deadlines {
    enum Kind { case idle, head, body, linger }

    private(set) var kind: Kind?
    private var deadline = NIODeadline.distantFuture
    private var alarm: (at: NIODeadline, task: Scheduled<Void>)?
    private var loop: (any EventLoop)?
    var onExpire: ((Kind) -> Void)?

    func set(_ kind: Kind, at deadline: NIODeadline, on loop: any EventLoop) {
        self.kind = kind
        self.deadline = deadline
        self.loop = loop
        if let alarm, alarm.at <= deadline { return }
        alarm?.task.cancel()
        schedule(deadline)
    }

    /// No deadline (a request is being answered: the server's own time is not the client's fault).
    func clear() { kind = nil }

    func cancel() {
        alarm?.task.cancel()
        alarm = nil
        kind = nil
        onExpire = nil
    }

    private func schedule(_ at: NIODeadline) {
        guard let loop else { return }
        let task = loop.assumeIsolated().scheduleTask(deadline: at) { [weak self] () -> Void in self?.ring() }
        alarm = (at, task)
    }

    private func ring() {
        alarm = nil
        guard let kind else { return }
        if deadline > .now() {
            schedule(deadline)
        } else {
            self.kind = nil
            onExpire?(kind)
        }
    }
}
