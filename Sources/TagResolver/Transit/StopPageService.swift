import CivicKit
public import Foundation
import Hummingbird
import NIOCore
public import TransitKit

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

/// Renders stop pages: reads the timetable (cached a minute per stop), applies the realtime data of the stop's
/// own feed, picks the language, answers HTML or JSON — and keeps each rendered page until the clock's minute
/// changes, new realtime data arrives or a new feed version is seen (``cachedPage(_:path:language:json:)``).
public struct StopPageService: Sendable {
    let store: any TransitStore
    /// Realtime data by feed ID (one poller per feed writes each).
    let realtime: [String: RealtimeState]
    let town: String
    let now: @Sendable () -> Date
    let timetables = LockedBox<[String: (loaded: Date, timetable: StopTimetable?)]>([:])
    /// Trips' stop lists by `feed/version/trip_id`, for realtime updates naming stops by `stop_id`.
    let tripStops = LockedBox<[String: [StopTimetable.TripStop]]>([:])
    let pages: StopPageCache
    /// The town's alerts, shown above the departures of the stops they touch.
    let civic: CivicService?
    /// Whether stop pages link "Report a problem here" (`report-kinds`).
    let reportLinks: Bool

    /// - Parameters:
    ///   - realtime: the realtime state of each feed that has GTFS-Realtime sources, by feed ID.
    ///   - town: the name shown on every page.
    ///   - now: the clock departures are computed for (the `transit-clock` key fixes it for demos).
    ///   - cacheCapacity: rendered pages kept (stop × tag path × language × format); the cache is emptied when full.
    public init(
        store: any TransitStore, realtime: [String: RealtimeState], town: String, cacheCapacity: Int = 4096,
        civic: CivicService? = nil, reportLinks: Bool = false, now: @escaping @Sendable () -> Date
    ) {
        self.civic = civic
        self.reportLinks = reportLinks
        self.store = store
        self.realtime = realtime
        self.town = town
        self.now = now
        pages = StopPageCache(capacity: cacheCapacity)
    }

    /// The board of `stop` now, or nil when the feed or stop is unknown.
    public func board(_ stop: StopReference) async throws -> DepartureBoard? {
        let current = realtime[stop.feedID]?.current
        return try await board(stop, at: now(), realtime: current?.snapshot)
    }

    /// The board exactly as the stop page computes it — the stop's timetable, realtime updates placed in their
    /// trips — at `now` with `snapshot` (`tagtool gtfs departures` uses this), or nil for an unknown stop.
    public func board(
        _ stop: StopReference, at now: Date, realtime snapshot: RealtimeSnapshot?, horizon: Int = 3 * 3600, limit: Int = 24
    ) async throws -> DepartureBoard? {
        guard let timetable = try await timetable(stop) else { return nil }
        return try await board(timetable, at: now, realtime: snapshot, horizon: horizon, limit: limit)
    }

    /// The same, for a timetable the caller already read (`tagtool gtfs departures` needs its timezone first).
    public func board(
        _ timetable: StopTimetable, at now: Date, realtime snapshot: RealtimeSnapshot?, horizon: Int = 3 * 3600, limit: Int = 24
    ) async throws -> DepartureBoard {
        let placed = try await withTripStops(timetable, realtime: snapshot)
        return Departures.board(placed, at: now, realtime: snapshot, horizon: horizon, limit: limit)
    }

    /// `timetable` with the stop lists of its trips that have realtime stop updates, so updates naming a stop
    /// only by `stop_id` (or giving absolute times) can be placed in the trip.
    func withTripStops(_ timetable: StopTimetable, realtime snapshot: RealtimeSnapshot?) async throws -> StopTimetable {
        guard let snapshot, !snapshot.tripUpdates.isEmpty else { return timetable }
        let calling = Set(timetable.events.map(\.tripID))
        let wanted = Set(snapshot.tripUpdates.filter { !$0.stopUpdates.isEmpty && calling.contains($0.tripID) }.map(\.tripID))
        guard !wanted.isEmpty else { return timetable }
        let prefix = "\(timetable.feedID)/\(timetable.version)/"
        var found: [String: [StopTimetable.TripStop]] = [:]
        var missing: [String] = []
        tripStops.read { cache in
            for trip in wanted {
                if let stops = cache[prefix + trip] { found[trip] = stops } else { missing.append(trip) }
            }
        }
        if !missing.isEmpty {
            let loaded = try await store.tripStops(feedID: timetable.feedID, version: timetable.version, tripIDs: missing.sorted())
            tripStops.mutate { cache in
                if cache.count + loaded.count > 50_000 { cache.removeAll(keepingCapacity: true) }
                for (trip, stops) in loaded { cache[prefix + trip] = stops }
            }
            found.merge(loaded) { a, _ in a }
        }
        var out = timetable
        out.tripStops.merge(found) { a, _ in a }
        return out
    }

    /// The stop's timetable from the store, kept 60 s (real time). A newer feed version seen for one stop
    /// drops the feed's older timetables, so every stop switches to it at its next page.
    func timetable(_ stop: StopReference) async throws -> StopTimetable? {
        let key = stop.description
        let clock = Date()
        if let hit = timetables.read({ $0[key] }), clock.timeIntervalSince(hit.loaded) < 60 {
            return hit.timetable
        }
        let timetable = try await store.timetable(feedID: stop.feedID, stopID: stop.stopID)
        timetables.mutate { $0[key] = (clock, timetable) }
        if let timetable, pages.noteFeedVersion(stop.feedID, timetable.version) {
            timetables.mutate { cache in
                cache = cache.filter { entry in
                    guard let cached = entry.value.timetable, cached.feedID == stop.feedID else { return true }
                    return cached.version >= timetable.version
                }
            }
        }
        return timetable
    }

    /// The ready page for `stop` at `path` in `language` (JSON when `json`), or nil when none was computed for
    /// the current local minute (per the service's clock) with the current realtime data. Never suspends;
    /// cheap (a lock + dictionary lookup).
    ///
    /// `path` is the tag's page path (`/t/<id>`): the HTML links to it for the language switch, so two tags on
    /// one stop have different pages. (JSON does not depend on it.)
    func cachedPage(_ stop: StopReference, tag: Tag? = nil, path: String, language: StopPage.Language, json: Bool) -> PreparedResponse? {
        let generation = realtime[stop.feedID]?.generation ?? 0
        return pages.page(
            for: .init(stop: stop, path: path, language: language, json: json), at: now(), realtimeGeneration: generation,
            civicGeneration: civic?.generation ?? 0)
    }

    /// Computes (or takes from the cache) and caches the page.
    func page(
        _ stop: StopReference, tag: Tag? = nil, path: String, language: StopPage.Language, json: Bool
    ) async throws -> PreparedResponse {
        let key = StopPageCache.Key(stop: stop, path: path, language: language, json: json)
        let now = self.now()
        let civicGeneration = civic?.generation ?? 0
        // The generation is read with the snapshot it belongs to: data arriving while this page is computed
        // makes the page stale at once instead of caching old data under the new generation.
        let current = realtime[stop.feedID]?.current
        let generation = current?.generation ?? 0
        if let hit = pages.page(for: key, at: now, realtimeGeneration: generation, civicGeneration: civicGeneration) { return hit }
        let timetable = try await timetable(stop)
        var board: DepartureBoard?
        if let timetable { board = try await self.board(timetable, at: now, realtime: current?.snapshot) }
        let townAlerts = civic.map { $0.alerts(touching: Self.subject(stop, timetable: timetable, tag: tag), at: now) } ?? []
        // JSON lists the town's alerts with the feed's; HTML shows them as banners above the departures.
        if json, !townAlerts.isEmpty { board?.alerts += townAlerts.map { $0.serviceAlert(informed: [], baseURL: "") } }
        let response = try Self.render(
            board, stop: stop, path: path, language: language, json: json, town: town,
            banners: CivicPages.banners(townAlerts, words: CivicWords(language: language)),
            reportPath: reportLinks && path.hasPrefix("/t/") ? path + "/report" : nil)
        // A page showing live times stops being right when the data turns stale (90 s after the feed's timestamp);
        // one showing town alerts when the next alert starts or ends.
        let staleAt = [
            board?.realtime == true
                ? current?.snapshot.tripUpdatesTimestamp.map { $0.addingTimeInterval(Departures.staleAfter) } : nil,
            civic?.nextBoundary(after: now),
        ].compactMap { $0 }.min()
        pages.store(
            response, for: key, at: now, realtimeGeneration: generation, civicGeneration: civicGeneration,
            feedVersion: timetable?.version, staleAt: staleAt)
        return response
    }

    /// The stop as town alerts see it: the tag, the stop's and its platforms' positions and IDs, the routes calling.
    static func subject(_ stop: StopReference, timetable: StopTimetable?, tag: Tag?) -> CivicService.Subject {
        var points: [GeoPoint] = []
        if let lat = tag?.place.lat, let lon = tag?.place.lon { points.append(GeoPoint(lat: lat, lon: lon)) }
        var stops = [stop.description]
        for platform in ([timetable?.stop].compactMap { $0 } + (timetable?.platforms ?? [])) {
            if let lat = platform.lat, let lon = platform.lon { points.append(GeoPoint(lat: lat, lon: lon)) }
            stops.append("\(stop.feedID)/\(platform.id)")
        }
        let routes = (timetable?.routes.keys).map { $0.map { "\(stop.feedID)/\($0)" } } ?? []
        return CivicService.Subject(tagID: tag?.id.rawValue, points: points, stops: stops, routes: routes.sorted())
    }

    static func render(
        _ board: DepartureBoard?, stop: StopReference, path: String, language: StopPage.Language, json: Bool, town: String,
        banners: String = "", reportPath: String? = nil
    ) throws -> PreparedResponse {
        guard let board else {
            let message = language == .fr
                ? "Cet arrêt n’est plus dans les horaires (\(stop))."
                : "This stop is not in the timetable any more (\(stop))."
            if json { return Self.prepared(Data(try JSONEncoder().encode(["error": message])), type: "application/json", status: .notFound) }
            return Self.prepared(Data(StopPage.missing(message: message, language: language).utf8), type: "text/html", status: .notFound)
        }
        var headers: HTTPFields = [.cacheControl: "no-store", .vary: "Accept, Accept-Language"]
        headers[.contentLanguage] = language.rawValue
        if json {
            let data = try DepartureBoard.jsonEncoder().encode(board.jsonView(language: language.rawValue))
            return Self.prepared(data, type: "application/json", status: .ok, headers: headers)
        }
        let html = StopPage.html(
            board, language: language, selfPath: path, town: town, banners: banners, reportPath: reportPath)
        return Self.prepared(Data(html.utf8), type: "text/html", status: .ok, headers: headers)
    }

    static func prepared(_ data: Data, type: String, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> PreparedResponse {
        var fields = headers
        fields[.contentType] = "\(type); charset=utf-8"
        if fields[.cacheControl] == nil { fields[.cacheControl] = "no-store" }
        return PreparedResponse(status: status, headers: fields, body: ByteBuffer(bytes: data))
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
