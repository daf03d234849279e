import Foundation
import Hummingbird
import Logging
import TagKit

/// Answers the codes on the street: `GET /t/{id}` (and `/T/{id}`).
struct ResolveController<Store: TagStore>: Sendable {
    let store: Store
    let cache: TagCache
    let scans: ScanCounter
    let metrics: ResolverMetrics
    let minuteCache: LocalMinuteCache
    let now: @Sendable () -> Date
    let town: String
    let logger: Logger
    /// Renders `stop` targets (transit, issue 6); nil when the store holds no timetables.
    var stopPages: StopPageService? = nil

    func addRoutes(to router: Router<some RequestContext>) {
        router.get("/t/{id}") { request, context in try await resolve(ResolveRequest(request, rawID: context.parameters.get("id") ?? "")).response }
        router.get("/T/{id}") { request, context in try await resolve(ResolveRequest(request, rawID: context.parameters.get("id") ?? "")).response }
        // The typed-code form on the 404 page submits here.
        router.get("/t") { request, _ in
            let code = request.uri.queryParameters.get("code") ?? ""
            let cleaned = code.filter { $0.isLetter || $0.isNumber || $0 == "-" }
            return Response(status: .seeOther, headers: [.location: "/t/\(cleaned)", .cacheControl: "no-store"])
        }
    }

    /// The resolution of one tag at one moment, as served to `Accept: application/json`.
    struct Resolution: Encodable {
        var id: String
        var name: String
        var kind: TargetKind
        var status: Int
        var url: String?
        var page: Page?
        var message: String?
        var stop: String?
        var window: Window?
        var localTime: String

        struct Window: Encodable {
            var from: String
            var to: String
        }
    }

    /// Answers now if nothing needs waiting for — the tag is in the cache and, for a stop, its page is
    /// already rendered for this minute — else nil, having changed nothing (no scan counted). The fast lane
    /// calls this on the event loop; ``resolve(_:)`` falls back to the store and the stop page renderer.
    func resolveNow(_ request: ResolveRequest) -> PreparedResponse? {
        let started = ContinuousClock.now
        let answer: PreparedResponse
        switch parse(request) {
        case .failure(let notFound):
            answer = notFound
        case .success(let id):
            guard let tag = cache.get(id) else { return nil }
            switch plan(tag, id: id, request) {
            case .ready(let response, let scan):
                scans.record(id, day: scan.day, channel: scan.channel)
                answer = response
            case .stop(let reference, let scan):
                guard let stopPages, let page = stopPages.cachedPage(
                    reference, path: "/t/\(id.rawValue)", language: request.language, json: request.wantsJSON)
                else { return nil }
                scans.record(id, day: scan.day, channel: scan.channel)
                answer = page
            }
        }
        metrics.resolveLatency.record(started.duration(to: .now))
        return answer
    }

    /// Answers one `/t/{id}` request, from the store on a cache miss and rendering the stop page if needed.
    func resolve(_ request: ResolveRequest) async throws -> PreparedResponse {
        if let answer = resolveNow(request) { return answer }
        let started = ContinuousClock.now
        defer { metrics.resolveLatency.record(started.duration(to: .now)) }
        let id: TagID
        switch parse(request) {
        case .failure(let notFound): return notFound
        case .success(let parsed): id = parsed
        }
        guard let tag = try await lookup(id) else {
            return notFound(
                code: id.grouped, reason: "The code \(id.grouped) is not registered (any more).", json: request.wantsJSON)
        }
        switch plan(tag, id: id, request) {
        case .ready(let response, let scan):
            scans.record(id, day: scan.day, channel: scan.channel)
            return response
        case .stop(let reference, let scan):
            scans.record(id, day: scan.day, channel: scan.channel)
            guard let stopPages else {
                return Self.preparedHTML(
                    HTML.disabled(name: tag.name, message: "Departures are not available here.", town: town),
                    status: .serviceUnavailable)
            }
            return try await stopPages.page(
                reference, path: "/t/\(id.rawValue)", language: request.language, json: request.wantsJSON)
        }
    }

    private enum Parsed {
        case success(TagID)
        case failure(PreparedResponse)
    }

    private func parse(_ request: ResolveRequest) -> Parsed {
        let raw = request.rawID.utf8.contains(UInt8(ascii: "%")) ? request.rawID.removingPercentEncoding ?? request.rawID : request.rawID
        do {
            let id = try TagID(parsing: raw)
            return .success(id)
        } catch {
            return .failure(notFound(code: request.rawID, reason: error.description, json: request.wantsJSON))
        }
    }

    private struct Scan {
        var day: String
        var channel: ScanChannel
    }

    private enum Plan {
        case ready(PreparedResponse, Scan)
        case stop(StopReference, Scan)
    }

    /// What `tag` answers now; pure apart from reading the clock.
    private func plan(_ tag: Tag, id: TagID, _ request: ResolveRequest) -> Plan {
        let local = minuteCache.minute(now())
        let (target, window) = tag.target(atLocal: local)
        let scan = Scan(day: String(local.prefix(10)), channel: request.via == "nfc" ? .nfc : .qr)

        let status: HTTPResponse.Status = switch target.kind {
        case .url: .found
        case .page: .ok
        case .disabled: .gone
        case .stop: .ok
        }
        // A stop page negotiates JSON itself (the departures board).
        if request.wantsJSON && target.kind != .stop {
            let resolution = Resolution(
                id: id.rawValue, name: tag.name, kind: target.kind, status: status.code, url: target.url,
                page: target.page, message: target.message, stop: target.stop, window: window.map { .init(from: $0.from, to: $0.to) },
                localTime: local)
            return .ready(Self.preparedJSON(resolution, status: .ok), scan)
        }
        switch target.kind {
        case .url:
            return .ready(PreparedResponse(status: .found, headers: [.location: target.url ?? "/", .cacheControl: "no-store"]), scan)
        case .page:
            let page = target.page ?? Page(title: tag.name, text: "")
            return .ready(Self.preparedHTML(HTML.page(page, town: town), status: .ok), scan)
        case .disabled:
            return .ready(Self.preparedHTML(HTML.disabled(name: tag.name, message: target.message ?? "", town: town), status: .gone), scan)
        case .stop:
            guard let reference = try? StopReference(parsing: target.stop ?? "") else {
                return .ready(Self.preparedHTML(
                    HTML.disabled(name: tag.name, message: "Departures are not available here.", town: town),
                    status: .serviceUnavailable), scan)
            }
            return .stop(reference, scan)
        }
    }

    /// Cache first; on a miss the store is asked once (a tag created by another process) and the answer cached.
    private func lookup(_ id: TagID) async throws -> Tag? {
        if let tag = cache.get(id) { return tag }
        guard let tag = try await store.tag(id) else { return nil }
        cache.put(tag)
        return tag
    }

    private func notFound(code: String, reason: String, json: Bool) -> PreparedResponse {
        if json {
            return Self.preparedJSON(["error": reason], status: .notFound)
        }
        return Self.preparedHTML(HTML.notFound(code: code, reason: reason, town: town), status: .notFound)
    }

    static func preparedHTML(_ text: String, status: HTTPResponse.Status) -> PreparedResponse {
        PreparedResponse(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ByteBuffer(string: text))
    }

    static func preparedJSON(_ value: some Encodable, status: HTTPResponse.Status) -> PreparedResponse {
        let data = (try? JSONCoding.encoder().encode(value)) ?? Data("{}".utf8)
        return PreparedResponse(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ByteBuffer(bytes: data))
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status) -> Response {
        preparedJSON(value, status: status).response
    }
}

/// What the resolver reads from a `/t/{id}` request, whether Hummingbird or the fast lane parsed it.
struct ResolveRequest: Sendable {
    var rawID: String
    /// `?via=` (`nfc` on NFC stickers' URLs).
    var via: String?
    /// `?lang=` (the stop page's language switch).
    var lang: String?
    var accept: String?
    var acceptLanguage: String?

    var wantsJSON: Bool {
        guard let accept else { return false }
        let needle = Array("application/json".utf8), haystack = Array(accept.utf8)
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in
            needle.indices.allSatisfy { haystack[start + $0] == needle[$0] }
        }
    }
    var language: StopPage.Language { StopPage.language(query: lang, acceptLanguage: acceptLanguage) }

    init(rawID: String, via: String? = nil, lang: String? = nil, accept: String? = nil, acceptLanguage: String? = nil) {
        self.rawID = rawID
        self.via = via
        self.lang = lang
        self.accept = accept
        self.acceptLanguage = acceptLanguage
    }

    init(_ request: Request, rawID: String) {
        let query = request.uri.queryParameters
        self.init(
            rawID: rawID, via: query.get("via"), lang: query.get("lang"), accept: request.headers[.accept],
            acceptLanguage: request.headers[.acceptLanguage])
    }
}
