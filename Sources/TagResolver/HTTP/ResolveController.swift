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
        router.get("/t/{id}") { request, context in try await resolve(request, context.parameters.get("id") ?? "") }
        router.get("/T/{id}") { request, context in try await resolve(request, context.parameters.get("id") ?? "") }
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

    func resolve(_ request: Request, _ rawID: String) async throws -> Response {
        let started = ContinuousClock.now
        defer { metrics.resolveLatency.record(started.duration(to: .now)) }
        let wantsJSON = request.headers[.accept]?.contains("application/json") ?? false

        let id: TagID
        do {
            id = try TagID(parsing: rawID.removingPercentEncoding ?? rawID)
        } catch {
            return notFound(code: rawID, reason: error.description, json: wantsJSON)
        }
        guard let tag = try await lookup(id) else {
            return notFound(
                code: id.grouped, reason: "The code \(id.grouped) is not registered (any more).", json: wantsJSON)
        }
        let local = minuteCache.minute(now())
        let (target, window) = tag.target(atLocal: local)
        let channel: ScanChannel = request.uri.queryParameters.get("via") == "nfc" ? .nfc : .qr
        scans.record(id, day: String(local.prefix(10)), channel: channel)

        let status: HTTPResponse.Status = switch target.kind {
        case .url: .found
        case .page: .ok
        case .disabled: .gone
        case .stop: .ok
        }
        // A stop page negotiates JSON itself (the departures board).
        if wantsJSON && target.kind != .stop {
            let resolution = Resolution(
                id: id.rawValue, name: tag.name, kind: target.kind, status: status.code, url: target.url,
                page: target.page, message: target.message, stop: target.stop, window: window.map { .init(from: $0.from, to: $0.to) },
                localTime: local)
            return Self.json(resolution, status: .ok)
        }
        switch target.kind {
        case .url:
            return Response(status: .found, headers: [.location: target.url ?? "/", .cacheControl: "no-store"])
        case .page:
            let page = target.page ?? Page(title: tag.name, text: "")
            return Self.html(HTML.page(page, town: town), status: .ok)
        case .disabled:
            return Self.html(HTML.disabled(name: tag.name, message: target.message ?? "", town: town), status: .gone)
        case .stop:
            guard let stopPages, let reference = try? StopReference(parsing: target.stop ?? "") else {
                return Self.html(HTML.disabled(name: tag.name, message: "Departures are not available here.", town: town), status: .serviceUnavailable)
            }
            return try await stopPages.response(reference, request: request, path: "/t/\(id.rawValue)")
        }
    }

    /// Cache first; on a miss the store is asked once (a tag created by another process) and the answer cached.
    private func lookup(_ id: TagID) async throws -> Tag? {
        if let tag = cache.get(id) { return tag }
        guard let tag = try await store.tag(id) else { return nil }
        cache.put(tag)
        return tag
    }

    private func notFound(code: String, reason: String, json: Bool) -> Response {
        if json {
            return Self.json(["error": reason], status: .notFound)
        }
        return Self.html(HTML.notFound(code: code, reason: reason, town: town), status: .notFound)
    }

    static func html(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status) -> Response {
        let data = (try? JSONCoding.encoder().encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
