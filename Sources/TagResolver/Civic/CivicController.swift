import CivicKit
import Foundation
import Hummingbird
import NIOCore
import TransitKit

/// The public civic routes: the town's events (`/events`, `/e/{id}`), iCalendar feeds (`/events.ics`,
/// `/places/{id}/events.ics`), alerts (`/alerts/{id}`, its CAP 1.2 message `/alerts/{id}.cap`, the Atom index
/// `/alerts.atom`) and the GTFS-Realtime alerts feed of the alerts touching transit (`/gtfs-rt/alerts.pb`).
struct CivicController: Sendable {
    let pages: CivicPageService
    let transit: (any TransitStore)?
    /// Stops with positions per `feed/version` (only the versions last seen), for alerts given as an area.
    let stopPositions = LockedBox<[String: [GTFSFeed.Stop]]>([:])
    /// The last feed answered, kept while the civic generation, the feed versions and the `feed` argument are the
    /// same and no alert starts or ends: the feed is public, and its area tests cost alerts × stops × edges.
    let lastFeed = LockedBox<(key: String, until: Date?, response: PreparedResponse)?>(nil)

    var civic: CivicService { pages.civic }

    func addRoutes(to router: Router<some RequestContext>) {
        router.get("/events") { request, _ in
            pages.events(language: request.pageLanguage)
        }
        router.get("/events.ics") { _, _ in
            calendar(name: pages.town, events: civic.snapshot.events)
        }
        router.get("/places/{id}/events.ics") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let tag = pages.tag(id) else { throw HTTPError(.notFound, message: "no tag \(id.prefix(40))") }
            return calendar(name: "\(tag.name) · \(pages.town)", events: civic.snapshot.events.filter { $0.allPlaces.contains(id) })
        }
        router.get("/e/{id}") { request, context in
            let id = context.parameters.get("id") ?? ""
            guard let page = pages.event(id, language: request.pageLanguage) else {
                throw HTTPError(.notFound, message: "no event \(id.prefix(64))")
            }
            return page
        }
        router.get("/alerts.atom") { request, _ in
            atom(language: request.pageLanguage)
        }
        router.get("/alerts/{id}") { request, context in
            let raw = context.parameters.get("id") ?? ""
            if raw.hasSuffix(".cap") { return try cap(String(raw.dropLast(4))) }
            guard let page = pages.alert(raw, language: request.pageLanguage) else {
                throw HTTPError(.notFound, message: "no alert \(raw.prefix(64))")
            }
            return page
        }
        router.get("/gtfs-rt/alerts.pb") { request, _ in
            try await gtfsRealtime(feed: request.uri.queryParameters.get("feed"))
        }
    }

    static func prepared(_ text: String, type: String) -> PreparedResponse {
        PreparedResponse(
            status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"], body: ByteBuffer(string: text))
    }

    func calendar(name: String, events: [CivicEvent]) -> PreparedResponse {
        var places: [String: PlaceSummary] = [:]
        for id in Set(events.flatMap(\.allPlaces)) { places[id] = pages.summary(id) }
        let text = ICalendar.calendar(
            name: name, events: events, places: places, timeZone: pages.timeZone, host: pages.host,
            eventURL: { "\(pages.baseURL)/e/\($0)" }, now: pages.now())
        return Self.prepared(text, type: "text/calendar; charset=utf-8")
    }

    /// Active alerts, and those cancelled or ended in the last day (so readers see the Cancel message).
    func feedAlerts(at now: Date) -> [TownAlert] {
        civic.snapshot.alerts.filter { alert in
            alert.isActive(at: now) || (alert.updatedAt > now.addingTimeInterval(-86_400) && alert.status == .cancelled)
        }
        .sorted { ($0.severity, $0.from) > ($1.severity, $1.from) }
    }

    func atom(language: StopPage.Language) -> PreparedResponse {
        let now = pages.now()
        let alerts = feedAlerts(at: now)
        let text = AtomFeed.xml(
            alerts: alerts, title: language == .fr ? "Alertes · \(pages.town)" : "Alerts · \(pages.town)",
            selfURL: "\(pages.baseURL)/alerts.atom", alertURL: { "\(pages.baseURL)/alerts/\($0.id)" },
            capURL: { "\(pages.baseURL)/alerts/\($0.id).cap" },
            updated: alerts.map(\.updatedAt).max() ?? Date(timeIntervalSince1970: 0), language: language.rawValue)
        return Self.prepared(text, type: "application/atom+xml; charset=utf-8")
    }

    func cap(_ id: String) throws -> PreparedResponse {
        guard let alert = civic.snapshot.alerts.first(where: { $0.id == id }) else {
            throw HTTPError(.notFound, message: "no alert \(id.prefix(64))")
        }
        let text = CAPMessage.xml(
            alert: alert, sender: "alerts@\(pages.host)", senderName: pages.town, town: pages.town,
            timeZone: pages.timeZone, web: "\(pages.baseURL)/alerts/\(alert.id)", now: pages.now())
        return Self.prepared(text, type: "application/cap+xml; charset=utf-8")
    }

    /// The town's active alerts that touch transit, as GTFS-Realtime: each named stop and route, and every stop
    /// of the active feeds inside the alert's area, becomes an `informed_entity` (of `feed` only, when given:
    /// stop and route IDs are only unique within one feed).
    func gtfsRealtime(feed only: String?) async throws -> PreparedResponse {
        let now = pages.now()
        var stopsByFeed: [String: [GTFSFeed.Stop]] = [:]
        let versions = try await transit?.feedVersions() ?? []
        let cacheKey = "\(civic.generation)|\(only ?? "*")|" + versions.map { "\($0.feedID)/\($0.version)" }.sorted().joined(separator: ",")
        if let last = lastFeed.value, last.key == cacheKey, last.until.map({ now < $0 }) ?? true { return last.response }
        if let transit {
            let current = Set(versions.map { "\($0.feedID)/\($0.version)" })
            stopPositions.mutate { cache in cache = cache.filter { current.contains($0.key) } }
            for version in versions where only == nil || version.feedID == only {
                let key = "\(version.feedID)/\(version.version)"
                if let known = stopPositions.read({ $0[key] }) {
                    stopsByFeed[version.feedID] = known
                } else {
                    let stops = try await transit.stops(feedID: version.feedID).filter { $0.lat != nil && $0.lon != nil }
                    stopPositions.mutate { $0[key] = stops }
                    stopsByFeed[version.feedID] = stops
                }
            }
        }
        var converted: [ServiceAlert] = []
        for alert in civic.snapshot.alerts where alert.isActive(at: now) {
            var informed: [ServiceAlert.Informed] = []
            func local(_ reference: String) -> (feed: String, id: String)? {
                guard let slash = reference.firstIndex(of: "/") else { return nil }
                let feed = String(reference[..<slash])
                guard only == nil || feed == only else { return nil }
                return (feed, String(reference[reference.index(after: slash)...]))
            }
            informed += alert.stops.compactMap(local).map { ServiceAlert.Informed(stopID: $0.id) }
            informed += alert.routes.compactMap(local).map { ServiceAlert.Informed(routeID: $0.id) }
            if !alert.area.isEmpty {
                let box = Self.boundingBox(alert.area)
                for (_, stops) in stopsByFeed.sorted(by: { $0.key < $1.key }) {
                    for stop in stops {
                        guard let lat = stop.lat, let lon = stop.lon, box.lat.contains(lat), box.lon.contains(lon),
                              alert.area.contains(GeoPoint(lat: lat, lon: lon))
                        else { continue }
                        informed.append(ServiceAlert.Informed(stopID: stop.id))
                    }
                }
            }
            guard !informed.isEmpty else { continue }
            var seen = Set<String>()
            informed = informed.filter { seen.insert("\($0.stopID ?? "")|\($0.routeID ?? "")").inserted }
            converted.append(alert.serviceAlert(informed: informed, baseURL: pages.baseURL))
        }
        let data = try ServiceAlert.feedMessage(converted, timestamp: now)
        let response = PreparedResponse(
            status: .ok, headers: [.contentType: "application/x-protobuf", .cacheControl: "no-cache"], body: ByteBuffer(bytes: data))
        lastFeed.mutate { $0 = (cacheKey, civic.nextBoundary(after: now), response) }
        return response
    }

    /// Latitudes and longitudes an area spans (circles widened by their radius): most stops fail this cheap test.
    static func boundingBox(_ area: GeoArea) -> (lat: ClosedRange<Double>, lon: ClosedRange<Double>) {
        var lats: [Double] = [], lons: [Double] = []
        for polygon in area.polygons {
            lats += polygon.points.map(\.lat)
            lons += polygon.points.map(\.lon)
        }
        for circle in area.circles {
            let dLat = circle.radiusMeters / 111_195 * 1.01
            let dLon = dLat / max(0.01, cos(circle.center.lat * .pi / 180))
            lats += [circle.center.lat - dLat, circle.center.lat + dLat]
            lons += [circle.center.lon - dLon, circle.center.lon + dLon]
        }
        guard let minLat = lats.min(), let maxLat = lats.max(), let minLon = lons.min(), let maxLon = lons.max() else {
            return (0...0, 0...0)
        }
        return (minLat...maxLat, minLon...maxLon)
    }
}

extension TownAlert {
    /// The alert as GTFS-Realtime carries it: texts per language, its page as the URL, cause and effect from
    /// the category, one active period.
    func serviceAlert(informed: [ServiceAlert.Informed], baseURL: String) -> ServiceAlert {
        func texts(_ text: LocalizedText) -> [String: String] {
            var out: [String: String] = [:]
            if !text.fr.isEmpty { out["fr"] = text.fr }
            if !text.en.isEmpty { out["en"] = text.en }
            return out
        }
        return ServiceAlert(
            id: id, header: texts(headline), description: texts(description), url: ["": "\(baseURL)/alerts/\(id)"],
            effect: transitEffect.rawValue, cause: transitCause, activePeriods: [.init(start: from, end: until)],
            informed: informed)
    }
}
