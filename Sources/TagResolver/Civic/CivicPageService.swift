import CivicKit
import Foundation
import Hummingbird
import NIOCore
import TagKit

/// Renders the civic pages and feeds from the in-memory events and alerts (``CivicService``) and the tag
/// cache; keeps place pages for the fast lane (``CivicPageCache``).
struct CivicPageService: Sendable {
    let civic: CivicService
    let town: String
    let baseURL: String
    let now: @Sendable () -> Date
    /// The registered tag with this ID, from the resolver's cache.
    /// Whether place pages link "Report a problem here" (`report-kinds`).
    let reportLinks: Bool
    let tag: @Sendable (String) -> Tag?
    let pages = CivicPageCache(capacity: 4096)
    /// How far ahead place pages and `/events` list occurrences.
    static let horizonDays = 14

    var timeZone: TimeZone { civic.timeZone }
    var host: String { URLComponents(string: baseURL)?.host ?? "civictags.invalid" }

    // MARK: Place pages (through /t/)

    func cachedPlace(_ tag: Tag, path: String, language: StopPage.Language) -> PreparedResponse? {
        pages.page(for: .init(path: path, language: language), at: now(), generation: civic.generation, tagVersion: tag.updatedAt)
    }

    func place(_ tag: Tag, path: String, language: StopPage.Language) -> PreparedResponse {
        let now = self.now()
        let generation = civic.generation
        let key = CivicPageCache.Key(path: path, language: language)
        if let hit = pages.page(for: key, at: now, generation: generation, tagVersion: tag.updatedAt) { return hit }
        let local = LocalDateTime(now, in: timeZone)
        let content = CivicPages.PlaceContent(
            tag: tag, info: tag.target.place ?? PlaceInfo(),
            events: civic.occurrences(at: tag.id.rawValue, includeTownWide: false, from: local, to: local.adding(days: Self.horizonDays), limit: 30),
            alerts: civic.alerts(touching: subject(of: tag), at: now), now: local, town: town, reportLink: reportLinks)
        let html = CivicPages.place(content, words: CivicWords(language: language), selfPath: path)
        let response = Self.html(html, language: language)
        pages.store(
            .init(minute: now.epochMinute, generation: generation, tagVersion: tag.updatedAt, staleAt: civic.nextBoundary(after: now),
                  response: response),
            for: key)
        return response
    }

    /// A tag as alerts see it: its ID and position.
    func subject(of tag: Tag, stops: [String] = [], routes: [String] = [], points: [GeoPoint] = []) -> CivicService.Subject {
        var all = points
        if let lat = tag.place.lat, let lon = tag.place.lon { all.append(GeoPoint(lat: lat, lon: lon)) }
        return CivicService.Subject(tagID: tag.id.rawValue, points: all, stops: stops, routes: routes)
    }

    // MARK: Event pages

    func summary(_ id: String) -> PlaceSummary? {
        guard let tag = tag(id) else { return nil }
        let point = tag.place.lat.flatMap { lat in tag.place.lon.map { GeoPoint(lat: lat, lon: $0) } }
        return PlaceSummary(id: id, name: tag.name, address: tag.place.address, point: point, url: "\(baseURL)/t/\(id)")
    }

    func events(language: StopPage.Language) -> PreparedResponse {
        let now = self.now(), local = LocalDateTime(now, in: timeZone)
        let items = civic.occurrences(at: nil, from: local, to: local.adding(days: Self.horizonDays), limit: 200)
        let html = CivicPages.events(
            items, alerts: civic.townWideAlerts(at: now), town: town, days: Self.horizonDays, words: CivicWords(language: language))
        return Self.html(html, language: language)
    }

    func event(_ id: String, language: StopPage.Language) -> PreparedResponse? {
        guard let event = civic.snapshot.events.first(where: { $0.id == id }) else { return nil }
        let local = LocalDateTime(now(), in: timeZone)
        var occurrences = event.occurrences(from: local, to: local.adding(days: 366), limit: 8)
        if occurrences.isEmpty, event.recurrence == nil {
            occurrences = event.occurrences(from: event.start, to: event.end.adding(minutes: 1), limit: 1)
        }
        let places = (occurrences.first?.places ?? event.places).compactMap(summary)
        let url = "\(baseURL)/e/\(event.id)"
        let jsonLD = occurrences.first.map { first in
            EventJSONLD.json(
                event: event, occurrence: (first.start, first.end), places: places, town: town, timeZone: timeZone, url: url,
                language: language.rawValue)
        }
        let html = CivicPages.event(event, occurrences: occurrences, places: places, jsonLD: jsonLD, town: town, words: CivicWords(language: language))
        return Self.html(html, language: language)
    }

    func alert(_ id: String, language: StopPage.Language) -> PreparedResponse? {
        guard let alert = civic.snapshot.alerts.first(where: { $0.id == id }) else { return nil }
        return Self.html(CivicPages.alert(alert, town: town, timeZone: timeZone, words: CivicWords(language: language)), language: language)
    }

    static func html(_ html: String, language: StopPage.Language, status: HTTPResponse.Status = .ok) -> PreparedResponse {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .vary: "Accept-Language",
        ]
        headers[.contentLanguage] = language.rawValue
        return PreparedResponse(status: status, headers: headers, body: ByteBuffer(string: html))
    }
}
