import Foundation
import Hummingbird
import Logging
import Synchronization
import TagKit

/// Answers the codes on the street: `GET /t/{id}` (and `/T/{id}`).
/// A class, not a struct: the fast lane and the routes share one instance, and a method call never copies its
/// dozen stored references (a struct's copies showed up as retain/release in the resolver's profile).
final class ResolveController<Store: TagStore>: Sendable {
    let store: Store
    let cache: TagCache
    let scans: ScanCounter
    let metrics: ResolverMetrics
    let minuteCache: LocalMinuteCache
    let now: @Sendable () -> Date
    let town: String
    let logger: Logger
    let lookups = LookupGate(limit: LookupGate.defaultLimit)
    private let busyHTML: PreparedResponse
    private let busyJSON: PreparedResponse
    /// Renders `stop` targets; nil when the store holds no timetables.
    let stopPages: StopPageService?
    /// Renders `place` targets.
    let civicPages: CivicPageService?
    /// Whether `page` targets link "Report a problem here" (`report-kinds`).
    let reportsOnPages: Bool
    /// Checks the evidence stickers put into the URL (SUN, NTAG21x mirror); nil: such parameters are ignored.
    let taps: TapService?

    init(
        store: Store, cache: TagCache, scans: ScanCounter, metrics: ResolverMetrics, minuteCache: LocalMinuteCache,
        now: @escaping @Sendable () -> Date, town: String, logger: Logger, stopPages: StopPageService? = nil,
        civicPages: CivicPageService? = nil, reportsOnPages: Bool = false, taps: TapService? = nil
    ) {
        self.reportsOnPages = reportsOnPages
        self.taps = taps
        self.civicPages = civicPages
        self.store = store
        self.cache = cache
        self.scans = scans
        self.metrics = metrics
        self.minuteCache = minuteCache
        self.now = now
        self.town = town
        self.logger = logger
        self.stopPages = stopPages
        busyHTML = Self.busy(json: false, town: town)
        busyJSON = Self.busy(json: true, town: town)
    }

    func addRoutes(to router: Router<some RequestContext>) {
        router.get("/t/{id}") { [self] request, context in try await route(request, rawID: context.parameters.get("id") ?? "") }
        router.get("/T/{id}") { [self] request, context in try await route(request, rawID: context.parameters.get("id") ?? "") }
        // The typed-code form on the 404 page submits here.
        router.get("/t") { request, _ in
            let code = request.uri.queryParameters.get("code") ?? ""
            let cleaned = code.filter { $0.isLetter || $0.isNumber || $0 == "-" }
            return Response(status: .seeOther, headers: [.location: "/t/\(cleaned)", .cacheControl: "no-store"])
        }
    }

    /// `/t/{id}` through Hummingbird's router: resolved as usual; a tap with a sticker's evidence is then checked
    /// (the fast lane leaves those here) and, when verified, the answer carries the "verified on site" cookie.
    /// Only a GET is a tap: a HEAD (link checkers, previews) must not use up the chip's counter. A URL with a
    /// sticker's evidence was read from a chip, so its scan counts as `nfc` (secure chips' URLs carry no `via`).
    private func route(_ request: Request, rawID: String) async throws -> Response {
        var resolveRequest = ResolveRequest(request, rawID: rawID)
        let query = request.uri.query
        let mentionsTap = query.map { TapEvidence.mentionsTap($0.utf8) } ?? false
        if mentionsTap, resolveRequest.via == nil { resolveRequest.via = ScanChannel.nfc.rawValue }
        var response = try await resolve(resolveRequest).response
        guard let taps, mentionsTap, let query, request.method == .get, response.status != .notFound,
              response.status != .serviceUnavailable, case .success(let id) = parse(ResolveRequest(rawID: rawID))
        else { return response }
        if let cookie = await taps.tapped(request, id: id, query: query) { response.headers[.setCookie] = cookie }
        return response
    }

    /// The fast lane's tap (a GET whose query carries a sticker's evidence, without a console session): `response`
    /// is the tag's usual answer, already counted; `done` gets it back through `hop`, with the "verified on site"
    /// cookie when the tap verifies. Answers that are not the tag's (unknown, busy) are not taps.
    func tapped(
        rawID: String, query: String, response: PreparedResponse, hop: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void,
        done: @escaping @Sendable (PreparedResponse) -> Void
    ) {
        guard let taps, response.status != .notFound, response.status != .serviceUnavailable,
              case .success(let id) = parse(ResolveRequest(rawID: rawID))
        else { return hop { done(response) } }
        taps.tapped(id: id, query: query, hop: hop) { cookie in done(cookie.map { response.adding(setCookie: $0) } ?? response) }
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
        var place: PlaceInfo?
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
        if case .answered(let answer) = answerNow(request) { return answer }
        return nil
    }

    /// Answers one `/t/{id}` request, from the store on a cache miss and rendering the stop page if needed.
    func resolve(_ request: ResolveRequest) async throws -> PreparedResponse {
        let id: TagID, cached: TagCache.Entry?
        switch answerNow(request) {
        case .answered(let answer): return answer
        case .waits(let parsed, let entry): (id, cached) = (parsed, entry)
        }
        let started = ContinuousClock.now
        defer { metrics.resolveLatency.record(started.duration(to: .now)) }
        let found: TagCache.Entry?
        if let cached {
            found = cached
        } else {
            switch try await lookup(id) {
            case .found(let entry): found = entry
            case .unknown: found = nil
            case .busy: return request.wantsJSON ? busyJSON : busyHTML
            }
        }
        guard let entry = found else { return unknown(id, request) }
        let (scan, outcome) = plan(entry, id: id, request)
        scans.record(id, day: scan.day, channel: scan.channel)
        switch outcome {
        case .response(let response):
            return response
        case .stop(let reference):
            guard let stopPages else {
                return PreparedResponse.html(
                    HTML.disabled(name: entry.tag.name, message: "Departures are not available here.", town: town),
                    status: .serviceUnavailable)
            }
            return try await stopPages.page(
                reference, tag: entry.tag, path: "/t/\(id.rawValue)", language: request.language, json: request.wantsJSON)
        case .place:
            guard let civicPages else {
                return PreparedResponse.html(HTML.page(Page(title: entry.tag.name, text: ""), town: town), status: .ok)
            }
            return civicPages.place(entry.tag, path: "/t/\(id.rawValue)", language: request.language)
        }
    }

    private enum Now {
        case answered(PreparedResponse)
        /// The ID is valid but the answer needs the store (no cache entry) or a stop page render; nothing counted.
        case waits(TagID, TagCache.Entry?)
    }

    private func answerNow(_ request: ResolveRequest) -> Now {
        let started = ContinuousClock.now
        let answer: PreparedResponse
        switch parse(request) {
        case .failure(let notFound):
            answer = notFound
        case .success(let id):
            guard let entry = cache.entry(id) else {
                guard cache.isKnownUnknown(id) else { return .waits(id, nil) }
                answer = unknown(id, request)
                break
            }
            let (scan, outcome) = plan(entry, id: id, request)
            switch outcome {
            case .response(let response):
                answer = response
            case .stop(let reference):
                guard let stopPages, let page = stopPages.cachedPage(
                    reference, tag: entry.tag, path: "/t/\(id.rawValue)", language: request.language, json: request.wantsJSON)
                else { return .waits(id, entry) }
                answer = page
            case .place:
                guard let civicPages, let page = civicPages.cachedPlace(
                    entry.tag, path: "/t/\(id.rawValue)", language: request.language)
                else { return .waits(id, entry) }
                answer = page
            }
            scans.record(id, day: scan.day, channel: scan.channel)
        }
        metrics.resolveLatency.record(started.duration(to: .now))
        return .answered(answer)
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

    /// What the tag answers now, and the scan to count. The answer to the street's request (no JSON asked
    /// for) is worked out once per tag per minute and kept in its cache entry: within a minute it cannot change.
    private func plan(_ entry: TagCache.Entry, id: TagID, _ request: ResolveRequest) -> (Scan, MinuteAnswer.Outcome) {
        let date = now()
        let minute = date.epochMinute
        let channel: ScanChannel = request.via == "nfc" ? .nfc : .qr
        let json = request.wantsJSON
        if !json, let kept = entry.answer.withLock({ $0 }), kept.minute == minute {
            return (Scan(day: kept.day, channel: channel), kept.outcome)
        }
        let local = minuteCache.minute(date)
        let day = String(local.prefix(10))
        let outcome = Self.outcome(entry.tag, id: id, local: local, json: json, town: town, reportLink: reportsOnPages)
        if !json {
            let fresh = MinuteAnswer(minute: minute, day: day, outcome: outcome)
            entry.answer.withLock { kept in if (kept?.minute ?? .min) < minute { kept = fresh } }
        }
        return (Scan(day: day, channel: channel), outcome)
    }

    /// What `tag` answers at the local minute `local` (`YYYY-MM-DDTHH:MM`); pure.
    private static func outcome(
        _ tag: Tag, id: TagID, local: String, json: Bool, town: String, reportLink: Bool
    ) -> MinuteAnswer.Outcome {
        let (target, window) = tag.target(atLocal: local)
        let status: HTTPResponse.Status = switch target.kind {
        case .url: .found
        case .page: .ok
        case .disabled: .gone
        case .stop: .ok
        case .place: .ok
        }
        // A stop page negotiates JSON itself (the departures board).
        if json && target.kind != .stop {
            let resolution = Resolution(
                id: id.rawValue, name: tag.name, kind: target.kind, status: status.code, url: target.url,
                page: target.page, message: target.message, stop: target.stop, place: target.place, window: window.map { .init(from: $0.from, to: $0.to) },
                localTime: local)
            return .response(PreparedResponse.json(resolution, status: .ok))
        }
        switch target.kind {
        case .url:
            return .response(PreparedResponse(status: .found, headers: [.location: target.url ?? "/", .cacheControl: "no-store"]))
        case .page:
            let page = target.page ?? Page(title: tag.name, text: "")
            let report = reportLink ? "/t/\(id.rawValue)/report" : nil
            return .response(PreparedResponse.html(HTML.page(page, town: town, reportPath: report), status: .ok))
        case .disabled:
            return .response(PreparedResponse.html(HTML.disabled(name: tag.name, message: target.message ?? "", town: town), status: .gone))
        case .stop:
            guard let reference = try? StopReference(parsing: target.stop ?? "") else {
                return .response(PreparedResponse.html(
                    HTML.disabled(name: tag.name, message: "Departures are not available here.", town: town),
                    status: .serviceUnavailable))
            }
            return .stop(reference)
        case .place:
            return .place
        }
    }

    /// Cache first; on a miss the store is asked once (a tag created by another process) and the answer cached.
    private enum Lookup {
        case found(TagCache.Entry)
        case unknown
        /// Too many lookups in flight: the store is not asked (see ``LookupGate``).
        case busy
    }

    /// Cache first; on a miss the store is asked once (a tag written by another process) and the answer
    /// cached — or, for an ID it does not hold, remembered for a while.
    private func lookup(_ id: TagID) async throws -> Lookup {
        if let entry = cache.entry(id) { return .found(entry) }
        if cache.isKnownUnknown(id) { return .unknown }
        guard lookups.enter() else {
            metrics.storeLookupsRefused.increment()
            return .busy
        }
        defer { lookups.leave() }
        let writes = cache.writes
        metrics.storeLookups.increment()
        guard let tag = try await store.tag(id) else {
            cache.rememberUnknown(id, since: writes)
            return .unknown
        }
        return .found(cache.put(tag))
    }

    /// 503 while the store is asked about too many unknown IDs at once (a flood of random codes): the cache
    /// holds every registered tag, so this only delays answers about codes that are (almost surely) not. Made
    /// once: under a flood it is the answer most requests get.
    private static func busy(json: Bool, town: String) -> PreparedResponse {
        let message = "The server is busy; try again in a moment."
        let response = json
            ? PreparedResponse.json(["error": message], status: .serviceUnavailable)
            : PreparedResponse.html(HTML.disabled(name: "Busy", message: message, town: town), status: .serviceUnavailable)
        var headers = response.headers
        headers[.retryAfter] = "1"
        return PreparedResponse(status: response.status, headers: headers, body: response.body)
    }

    private func unknown(_ id: TagID, _ request: ResolveRequest) -> PreparedResponse {
        notFound(code: id.grouped, reason: "The code \(id.grouped) is not registered (any more).", json: request.wantsJSON)
    }

    private func notFound(code: String, reason: String, json: Bool) -> PreparedResponse {
        if json {
            return PreparedResponse.json(["error": reason], status: .notFound)
        }
        return PreparedResponse.html(HTML.notFound(code: code, reason: reason, town: town), status: .notFound)
    }

    /// A JSON response only Hummingbird writes (admin API, health): no wire head to serialize.
    static func json(_ value: some Encodable, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: PreparedResponse.jsonHeaders, body: .init(byteBuffer: PreparedResponse.jsonBody(value)))
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
        guard var accept else { return false }
        let needle: StaticString = "application/json"
        return accept.withUTF8 { haystack in
            let length = needle.utf8CodeUnitCount
            guard haystack.count >= length else { return false }
            return (0...(haystack.count - length)).contains { start in
                (0..<length).allSatisfy { haystack[start + $0] == needle.utf8Start[$0] }
            }
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

/// At most `limit` store lookups in flight; ``enter()`` refuses one more instead of queueing it, so a flood of
/// unregistered IDs costs the database a fixed number of concurrent queries.
final class LookupGate: Sendable {
    static let defaultLimit = 16
    let limit: Int
    private let inFlight = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    func enter() -> Bool {
        if inFlight.add(1, ordering: .relaxed).newValue <= limit { return true }
        inFlight.subtract(1, ordering: .relaxed)
        return false
    }

    func leave() { inFlight.subtract(1, ordering: .relaxed) }
}
