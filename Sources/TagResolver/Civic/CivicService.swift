public import CivicKit
public import Foundation
import Synchronization

/// The town's events and alerts, held in memory for the pages that show them (a town has hundreds, not
/// millions): read without suspending from the fast lane, reloaded whole after every change — made here, or
/// announced by another instance (``CacheSyncService``). ``generation`` rises with each reload; pages
/// rendered from an older generation are not served again.
public final class CivicService: Sendable {
    public struct Snapshot: Sendable {
        public var events: [CivicEvent] = []
        public var alerts: [TownAlert] = []
        public var generation: UInt64 = 0
        /// Every alert start and end, sorted: a page showing alerts is good until the next one passes.
        var boundaries: [Date] = []
    }

    let store: any CivicStore
    public let timeZone: TimeZone
    private let state = Mutex(Snapshot())
    private let reloads = SerialGate()

    public init(store: any CivicStore, timeZone: TimeZone) {
        self.store = store
        self.timeZone = timeZone
    }

    public var snapshot: Snapshot { state.withLock { $0 } }
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// Reads every event and alert again. Reloads run one after another, so the last one wins with the newest data.
    public func reload() async throws {
        let failure = Mutex<(any Error)?>(nil)
        await reloads.serially { [self] in
            do {
                let events = try await store.events(), alerts = try await store.alerts()
                let boundaries = alerts.filter { $0.status == .active }.flatMap { [$0.from] + ($0.until.map { [$0] } ?? []) }.sorted()
                state.withLock { state in
                    state = Snapshot(events: events, alerts: alerts, generation: state.generation + 1, boundaries: boundaries)
                }
            } catch { failure.withLock { $0 = error } }
        }
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// The first alert start or end after `now`: until then, the alerts a page shows cannot change (unless
    /// staff change them, which raises the generation).
    public func nextBoundary(after now: Date) -> Date? {
        state.withLock { state in state.boundaries.first { $0 > now } }
    }

    /// What a page is about, for choosing the alerts that touch it.
    public struct Subject: Sendable {
        public var tagID: String?
        /// The tag's position and, for a stop page, its platforms' positions.
        public var points: [GeoPoint]
        /// `feed/stop_id` of the stop and its platforms.
        public var stops: [String]
        /// `feed/route_id` of the routes calling there.
        public var routes: [String]

        public init(tagID: String? = nil, points: [GeoPoint] = [], stops: [String] = [], routes: [String] = []) {
            self.tagID = tagID
            self.points = points
            self.stops = stops
            self.routes = routes
        }
    }

    /// The alerts active at `now` that touch `subject` — named explicitly, or with an area containing one of
    /// its points — most severe first, then newest.
    public func alerts(touching subject: Subject, at now: Date) -> [TownAlert] {
        Self.alerts(snapshot.alerts, touching: subject, at: now)
    }

    static func alerts(_ alerts: [TownAlert], touching subject: Subject, at now: Date) -> [TownAlert] {
        alerts.filter { alert in
            guard alert.isActive(at: now) else { return false }
            if let tag = subject.tagID, alert.tags.contains(tag) { return true }
            if alert.stops.contains(where: subject.stops.contains) || alert.routes.contains(where: subject.routes.contains) {
                return true
            }
            return subject.points.contains { alert.area.contains($0) }
        }
        .sorted { ($0.severity, $0.from) > ($1.severity, $1.from) }
    }

    /// Town-wide alerts: active, and naming no place at all (no area, tag, stop or route).
    public func townWideAlerts(at now: Date) -> [TownAlert] {
        snapshot.alerts.filter { $0.isActive(at: now) && $0.area.isEmpty && $0.tags.isEmpty && $0.stops.isEmpty && $0.routes.isEmpty }
            .sorted { ($0.severity, $0.from) > ($1.severity, $1.from) }
    }

    /// The occurrences overlapping [`from`, `to`) of the events at `place` (a tag ID; town-wide events too when
    /// `includeTownWide`), or of every event when `place` is nil; sorted by start.
    public func occurrences(
        at place: String?, includeTownWide: Bool = true, from: LocalDateTime, to: LocalDateTime, limit: Int = 200
    ) -> [(event: CivicEvent, occurrence: CivicEvent.Occurrence)] {
        var found: [(event: CivicEvent, occurrence: CivicEvent.Occurrence)] = []
        for event in snapshot.events {
            for occurrence in event.occurrences(from: from, to: to, limit: limit) {
                if let place {
                    let here = occurrence.places.contains(place) || (includeTownWide && occurrence.places.isEmpty)
                    guard here else { continue }
                }
                found.append((event, occurrence))
            }
        }
        return Array(found.sorted { ($0.occurrence.start, $0.event.id) < ($1.occurrence.start, $1.event.id) }.prefix(limit))
    }
}
