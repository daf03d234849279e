import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// One connection's edge, right behind NIO's HTTP/1.1 decoder: it refuses what no route should see (a missing
/// or repeated `Host`, a body over the limit, a head that does not parse), answers `GET`/`HEAD /t/{id}` in the
/// fast lane, keeps every connection within its time limits and stops reading while the client does not read
/// its answers. Everything else goes on to Hummingbird.
///
/// Memory per connection is bounded by: one socket read (≤ 64 KiB) of undecoded input, a request head of at
/// most ``EdgeLimits/maxHeadBytes``, at most ``EdgeLimits/maxOwed`` decoded requests waiting for their answer,
/// and the channel's write buffer, which stops growing at its high-water mark because the lane queues
/// requests, not answers, while the channel is not writable.
///
/// Lives on the channel's event loop; never blocks it.
final class EdgeHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let lane: FastLane?
    private let limits: EdgeLimits
    private var context: ChannelHandlerContext?
    /// The response encoder's context: the lane's answers are already serialized, so they are written from
    /// there, straight to the socket.
    private var wire: ChannelHandlerContext?

    private enum Mode {
        /// Requests go to the fast lane until one it does not take arrives.
        case fast
        /// A request for Hummingbird arrived: it and what follows wait in `held` until the lane owes nothing.
        case handingOver
        /// Hummingbird has the connection for the rest of its life.
        case passthrough
        /// The client asked to close: close once every answer is written.
        case closing
        /// A request is refused (`refusal`): written, and the connection closed, once nothing else is owed.
        case refusing
        /// The refusal is written and output closed; input is read and dropped until the client closes or
        /// the linger time is up (closing with unread input would reset the connection and lose the answer).
        case lingering
    }
    private var mode: Mode

    /// A fast request whose head arrived; answered at its end.
    private var current: FastLaneRequest?
    /// Fast requests decoded while the channel was not writable, in order.
    private var queued = CircularBuffer<FastLaneRequest>()
    /// Answers owed, in request order; nil while one is still being computed.
    private var owed = CircularBuffer<ByteBuffer?>()
    /// Sequence number of `owed.first`.
    private var firstOwed = 0
    /// Parts for Hummingbird decoded during the hand-over.
    private var held = CircularBuffer<HTTPServerRequestPart>()
    /// Requests given to Hummingbird whose response has not ended.
    private var forwarded = 0
    /// Hummingbird has written a response head and not yet its end.
    private var responseStarted = false
    /// A request's head is through and its end has not arrived.
    private var receivingBody = false
    private var refusal: PreparedResponse?
    private var readPending = false
    private var needsFlush = false
    /// The last counter from ``FastLane/counter`` (nearly every answer on a connection has the same route and status).
    private var tally: (route: String, status: Int, count: @Sendable () -> Void)?
    private let deadlines = Deadlines()

    init(lane: FastLane?, limits: EdgeLimits) {
        self.lane = lane
        self.limits = limits
        self.mode = lane == nil ? .passthrough : .fast
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        wire = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self)
        deadlines.onExpire = { [weak self] kind in self?.expired(kind) }
        if context.channel.isActive { settle(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadlines.cancel()
        self.context = nil
        wire = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        settle(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadlines.cancel()
        context.fireChannelInactive()
    }

    /// Called by ``FirstByteHandler`` for every read: the first bytes after an idle spell start the head's clock.
    func bytesArrived() {
        guard deadlines.kind == .idle, let context else { return }
        set(.head, after: limits.headTimeout, context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch mode {
        case .closing, .refusing, .lingering:
            return
        case .handingOver:
            held.append(part)
            return
        case .passthrough:
            forward(part, context)
            return
        case .fast:
            break
        }
        switch part {
        case .head(let head):
            let facts = HeadFacts(head)
            if let problem = problem(head, facts) { return refuse(problem, context) }
            if lane != nil, let request = FastLaneRequest(head, facts) {
                // Answered at its end, which NIO decodes with it (the lane takes no body): settled then. The
                // head is complete, so its deadline ends here.
                current = request
                deadlines.clear()
                return
            } else {
                mode = .handingOver
                held.append(part)
            }
        case .body:
            // The lane takes no request with a body, so this follows a head it handed over.
            held.append(part)
        case .end:
            guard let request = current else { return }
            current = nil
            if queued.isEmpty && !mustQueue(context) {
                answer(request, context)
            } else if queued.count < limits.maxOwed {
                queued.append(request)
            } else {
                // Pipelining this far ahead without reading the answers is not a client to wait for.
                lane?.logger.debug("closing a connection that pipelines without reading its answers")
                context.close(promise: nil)
                return
            }
        }
        settle(context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded()
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { settle(context) }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        if case .headerOverflow = parserError {
            refuse(.init(.requestHeaderFieldsTooLarge, "request head over \(EdgeLimits.maxHeadBytes) bytes"), context)
        } else {
            refuse(.init(.badRequest, "malformed HTTP/1.1 request (\(parserError)); lines end in CRLF"), context)
        }
    }

    // MARK: Reading only while answers can be written

    func read(context: ChannelHandlerContext) {
        if readingPaused(context) {
            readPending = true
        } else {
            context.read()
        }
    }

    private func readingPaused(_ context: ChannelHandlerContext) -> Bool {
        switch mode {
        case .handingOver, .closing, .refusing: true
        case .lingering: false
        case .fast, .passthrough: mustQueue(context)
        }
    }

    /// True while a new answer would only pile up: the client is not reading, or enough are owed already.
    private func mustQueue(_ context: ChannelHandlerContext) -> Bool {
        !context.channel.isWritable || owed.count >= limits.maxOwed
    }

    // MARK: Hummingbird's requests

    private func forward(_ part: HTTPServerRequestPart, _ context: ChannelHandlerContext) {
        switch part {
        case .head(let head):
            if let problem = problem(head, HeadFacts(head)) { return refuse(problem, context) }
            forwarded += 1
            receivingBody = true
            set(.body, after: limits.bodyTimeout, context)
        case .body:
            set(.body, after: limits.bodyTimeout, context)
        case .end:
            receivingBody = false
            refreshDeadline(context)
        }
        context.fireChannelRead(wrapInboundOut(part))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head: responseStarted = true
        case .body: break
        case .end:
            responseStarted = false
            forwarded = max(0, forwarded - 1)
            context.write(data, promise: promise)
            if forwarded == 0 { settle(context) }
            return
        }
        context.write(data, promise: promise)
    }

    // MARK: The fast lane's answers

    private func answer(_ request: FastLaneRequest, _ context: ChannelHandlerContext) {
        guard let lane else { return }
        if !request.keepAlive {
            mode = .closing
            queued.removeAll()
        }
        if let response = lane.resolveNow(request.resolve) {
            guard let query = request.tap, let tap = lane.tap else {
                owe(serialize(response, request, context))
                return
            }
            // A tap: the answer waits for the chip's counter to be committed (or the binding to be read).
            let sequence = firstOwed + owed.count
            owed.append(nil)
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            let loop = context.eventLoop
            tap(request.resolve.rawID, query, response, { loop.execute($0) }) { answer in bound.value.fulfil(sequence, answer, request) }
            return
        }
        lane.countWait()
        let sequence = firstOwed + owed.count
        owed.append(nil)
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let resolve = request.resolve
        context.eventLoop.makeFutureWithTask {
            let response: PreparedResponse
            do {
                response = try await lane.resolve(resolve)
            } catch {
                let (status, body) = ErrorMappingMiddleware<BasicRequestContext>.describe(error)
                if status == .internalServerError {
                    lane.logger.error("unhandled error", metadata: ["path": "/t/\(resolve.rawID)", "error": "\(error)"])
                }
                return PreparedResponse(
                    status: status, headers: [.contentType: "application/json; charset=utf-8"], body: ByteBuffer(bytes: body))
            }
            guard let query = request.tap, let tap = lane.tap else { return response }
            return await withCheckedContinuation { answered in
                tap(resolve.rawID, query, response, { $0() }) { answered.resume(returning: $0) }
            }
        }.whenSuccess { response in
            bound.value.fulfil(sequence, response, request)
        }
    }

    /// Sends the answer owed to request number `sequence`, once those before it are sent.
    private func fulfil(_ sequence: Int, _ response: PreparedResponse, _ request: FastLaneRequest) {
        guard let context else { return }
        fulfil(sequence, serialize(response, request, context), context)
    }

    /// Writes a ready answer, or queues it behind one still being computed.
    private func owe(_ bytes: ByteBuffer) {
        if owed.isEmpty {
            firstOwed += 1
            send(bytes)
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
            send(ready)
        }
        settle(context)
        flushIfNeeded()
    }

    /// After anything that changes what is owed: answers queued requests the channel can now take, finishes a
    /// hand-over, close or refusal that waited for the owed answers, sets the connection's deadline and
    /// resumes reading.
    private func settle(_ context: ChannelHandlerContext) {
        // Queued requests came before whatever changed the mode, so they are answered in every mode but the last.
        while !queued.isEmpty, mode != .lingering, !mustQueue(context) {
            answer(queued.removeFirst(), context)
        }
        if current == nil, queued.isEmpty, owed.isEmpty {
            switch mode {
            case .handingOver:
                mode = .passthrough
                let handed = !held.isEmpty
                while let part = held.popFirst(), mode == .passthrough { forward(part, context) }
                held.removeAll()
                // Hummingbird's async channel passes reads on at the end of a read, so there must be one.
                if handed { context.fireChannelReadComplete() }
            case .closing:
                flushIfNeeded()
                context.close(promise: nil)
                return
            case .refusing where forwarded == 0 && !responseStarted:
                writeRefusal(context)
            case .fast, .passthrough, .refusing, .lingering:
                break
            }
        }
        refreshDeadline(context)
        if readPending, !readingPaused(context) {
            readPending = false
            context.read()
        }
    }

    private func send(_ bytes: ByteBuffer) {
        guard let wire else { return }
        wire.write(NIOAny(bytes), promise: nil)
        needsFlush = true
    }

    private func flushIfNeeded() {
        guard needsFlush, let wire else { return }
        needsFlush = false
        wire.flush()
    }

    private func serialize(_ response: PreparedResponse, _ request: FastLaneRequest, _ context: ChannelHandlerContext) -> ByteBuffer {
        let status = response.status.code
        if let tally, tally.status == status, tally.route == request.route {
            tally.count()
        } else if let lane {
            let count = lane.counter(request.route, status)
            tally = (request.route, status, count)
            count()
        }
        return Self.serialize(response, headOnly: request.headOnly, keepAlive: request.keepAlive, allocator: context.channel.allocator)
    }

    static func serialize(_ response: PreparedResponse, headOnly: Bool, keepAlive: Bool, allocator: ByteBufferAllocator) -> ByteBuffer {
        let bodyBytes = headOnly ? 0 : response.body.readableBytes
        var out = allocator.buffer(capacity: response.head.readableBytes + 64 + bodyBytes)
        out.writeImmutableBuffer(response.head)
        out.writeString(HTTPDate.now())
        if !keepAlive { out.writeStaticString("Connection: close\r\n") }
        out.writeStaticString("\r\n")
        if !headOnly { out.writeImmutableBuffer(response.body) }
        return out
    }

    // MARK: Refusals and deadlines

    /// What is wrong with a request head before any route sees it (RFC 9112 §3.2: exactly one `Host` in
    /// HTTP/1.1, at most one before), or nil.
    private func problem(_ head: HTTPRequestHead, _ facts: HeadFacts) -> Refusal? {
        let hosts = facts.hosts
        if hosts > 1 { return Refusal(.badRequest, "a request has one Host header, this one has \(hosts)") }
        if hosts == 0, head.version.minor >= 1 { return Refusal(.badRequest, "an HTTP/1.1 request needs a Host header") }
        if let length = facts.contentLength, length > limits.maxBodyBytes {
            return Refusal(.contentTooLarge, "request body of \(length) bytes is over this server's limit of \(limits.maxBodyBytes)")
        }
        return nil
    }

    struct Refusal {
        var status: HTTPResponse.Status
        var message: String
        init(_ status: HTTPResponse.Status, _ message: String) {
            self.status = status
            self.message = message
        }
    }

    /// Refuses the connection's next answer with `refusal`: written once the answers owed before it are.
    private func refuse(_ refusal: Refusal, _ context: ChannelHandlerContext) {
        guard mode != .refusing, mode != .lingering else { return }
        self.refusal = PreparedResponse.json(["error": refusal.message], status: refusal.status)
        mode = .refusing
        current = nil
        held.removeAll()
        settle(context)
    }

    private func writeRefusal(_ context: ChannelHandlerContext) {
        guard let refusal else { return }
        self.refusal = nil
        send(Self.serialize(refusal, headOnly: false, keepAlive: false, allocator: context.channel.allocator))
        flushIfNeeded()
        mode = .lingering
        context.close(mode: .output, promise: nil)
        set(.linger, after: EdgeLimits.linger, context)
        if readPending {
            readPending = false
            context.read()
        }
    }

    private func refreshDeadline(_ context: ChannelHandlerContext) {
        guard mode != .lingering, !receivingBody else { return }
        if current != nil || !queued.isEmpty || !owed.isEmpty || forwarded > 0 || responseStarted {
            deadlines.clear()
        } else if deadlines.kind == nil {
            set(.idle, after: limits.idleTimeout, context)
        }
    }

    private func set(_ kind: Deadlines.Kind, after amount: TimeAmount, _ context: ChannelHandlerContext) {
        deadlines.set(kind, at: .now() + amount, on: context.eventLoop)
    }

    private func expired(_ kind: Deadlines.Kind) {
        guard let context else { return }
        switch kind {
        case .idle, .linger:
            context.close(promise: nil)
        case .head, .body:
            // Something was answered on this request already: no second answer, just the close.
            if responseStarted || !owed.isEmpty || kind == .body && forwarded == 0 {
                context.close(promise: nil)
                return
            }
            let what = kind == .head ? "request head" : "request body"
            let seconds = (kind == .head ? limits.headTimeout : limits.bodyTimeout).nanoseconds / 1_000_000_000
            refusal = PreparedResponse.json(
                ["error": "\(what) not received in time (\(seconds) s)"], status: .requestTimeout)
            mode = .refusing
            receivingBody = false
            writeRefusal(context)
        }
    }
}

/// Sits in front of the HTTP decoder and tells the ``EdgeHandler`` when bytes arrive, so that a request head
/// is timed from its first byte.
final class FirstByteHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let edge: EdgeHandler

    init(edge: EdgeHandler) { self.edge = edge }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        edge.bytesArrived()
        context.fireChannelRead(data)
    }
}
