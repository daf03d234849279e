public import Foundation
public import Hummingbird
import NIOCore

/// A tag target `stop:<feed>/<stop_id>`: the stop (or station) whose departures the page shows.
public struct StopReference: Sendable, Equatable, CustomStringConvertible {
    public var feedID: String
    public var stopID: String

    public init(feedID: String, stopID: String) {
        self.feedID = feedID
        self.stopID = stopID
    }

    /// Parses `carta/1565` (a leading `stop:` is accepted). - Throws: ``InvalidInput``.
    public init(parsing text: String) throws(InvalidInput) {
        let body = text.hasPrefix("stop:") ? String(text.dropFirst(5)) : text
        guard let slash = body.firstIndex(of: "/") else {
            throw InvalidInput("stop target '\(text)' must look like carta/1565 (feed ID / stop_id)")
        }
        let feed = String(body[..<slash]), stop = String(body[body.index(after: slash)...])
        try FeedID.validate(feed)
        guard !stop.isEmpty, stop.count <= 200, !stop.contains(where: { $0.isNewline }) else {
            throw InvalidInput("stop target '\(text)' needs a stop_id after the '/'")
        }
        self.init(feedID: feed, stopID: stop)
    }

    public var description: String { "\(feedID)/\(stopID)" }
}

/// Renders stop pages: reads the timetable (cached a minute per stop), applies realtime, picks the
/// language, answers HTML or JSON.
public struct StopPageService: Sendable {
    let store: any TransitStore
    let realtime: RealtimeState?
    /// The feed the realtime data belongs to.
    let realtimeFeedID: String?
    let now: @Sendable () -> Date
    let cache = LockedBox<[String: (loaded: Date, timetable: StopTimetable?)]>([:])

    public init(store: any TransitStore, realtime: RealtimeState?, realtimeFeedID: String?, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.realtime = realtime
        self.realtimeFeedID = realtimeFeedID
        self.now = now
    }

    /// The board of `stop` now, or nil when the feed or stop is unknown.
    public func board(_ stop: StopReference) async throws -> DepartureBoard? {
        let key = stop.description
        let clock = Date()
        let timetable: StopTimetable?
        if let hit = cache.value[key], clock.timeIntervalSince(hit.loaded) < 60 {
            timetable = hit.timetable
        } else {
            timetable = try await store.timetable(feedID: stop.feedID, stopID: stop.stopID)
            cache.mutate { $0[key] = (clock, timetable) }
        }
        guard let timetable else { return nil }
        let snapshot = stop.feedID == realtimeFeedID ? realtime?.snapshot : nil
        return Departures.board(timetable, at: now(), realtime: snapshot, limit: 24)
    }

    /// The page for `stop`: JSON when the client accepts `application/json`, else HTML in French or English.
    public func response(_ stop: StopReference, request: Request, path: String, town: String) async throws -> Response {
        let wantsJSON = request.headers[.accept]?.contains("application/json") ?? false
        let language = StopPage.language(
            query: request.uri.queryParameters.get("lang"), acceptLanguage: request.headers[.acceptLanguage])
        guard let board = try await board(stop) else {
            let message = language == .fr
                ? "Cet arrêt n’est plus dans les horaires (\(stop))."
                : "This stop is not in the timetable any more (\(stop))."
            if wantsJSON { return Self.respond(Data(try JSONEncoder().encode(["error": message])), type: "application/json", status: .notFound) }
            return Self.respond(Data(StopPage.missing(message: message, language: language).utf8), type: "text/html", status: .notFound)
        }
        var headers: HTTPFields = [.cacheControl: "no-store", .vary: "Accept, Accept-Language"]
        headers[.contentLanguage] = language.rawValue
        if wantsJSON {
            let data = try DepartureBoard.jsonEncoder().encode(board.jsonView(language: language.rawValue))
            return Self.respond(data, type: "application/json", status: .ok, headers: headers)
        }
        let html = StopPage.html(board, language: language, selfPath: path, town: town)
        return Self.respond(Data(html.utf8), type: "text/html", status: .ok, headers: headers)
    }

    static func respond(_ data: Data, type: String, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "\(type); charset=utf-8"
        if fields[.cacheControl] == nil { fields[.cacheControl] = "no-store" }
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension StopPage {
    static func missing(message: String, language: Language) -> String {
        """
        <!doctype html>
        <html lang="\(language.rawValue)"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1"><title>\(escape(message))</title>
        <style>\(css)</style></head><body><main><h1>\(escape(message))</h1></main></body></html>
        """
    }
}
