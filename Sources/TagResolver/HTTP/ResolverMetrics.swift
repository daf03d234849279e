import Foundation
import Prometheus

/// Prometheus metrics of one application, in its own registry (no global metrics system), served at /metrics.
final class ResolverMetrics: @unchecked Sendable {
    let registry = PrometheusCollectorRegistry()
    let resolveLatency: LatencyHistogram
    let cacheSize: Gauge
    let scanFlushLag: Gauge
    /// Requests answered by the fast lane (the rest of /t/{id} went through Hummingbird's router).
    let fastLaneAnswers: Counter
    /// Of those, the ones that had to wait (tag not cached, stop page not rendered this minute).
    let fastLaneWaits: Counter
    let openConnections: Gauge
    /// Connections refused at the limit since start (a gauge set from the edge's own count when scraped).
    let refusedConnections: Gauge
    /// Tag lookups that went to the store (a cache miss that was not a known-unknown ID).
    let storeLookups: Counter
    /// Lookups not made because as many were in flight as the gate allows (answered 503).
    let storeLookupsRefused: Counter
    /// Taps carrying NTAG 424 DNA SUN parameters, by outcome (made at start, so every outcome shows, at 0).
    private let secureTaps: [TapOutcome.SUNOutcome: Counter]
    /// Taps carrying an NTAG21x UID/counter mirror, by outcome.
    private let mirrorTaps: [TapOutcome.MirrorOutcome: Counter]

    init() {
        resolveLatency = LatencyHistogram(
            name: "civictags_resolve_duration_seconds",
            buckets: [.microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
                      .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(50), .milliseconds(250)],
            help: "Time to resolve /t/{id}, from parsing the ID to the response")
        cacheSize = registry.makeGauge(name: "civictags_cache_tags", help: "Tags held in the in-memory cache")
        scanFlushLag = registry.makeGauge(
            name: "civictags_scan_flush_lag_seconds", help: "Age of the oldest scan count not yet written to the database")
        fastLaneAnswers = registry.makeCounter(
            name: "civictags_fast_lane_answers_total", help: "GET /t/{id} requests answered on the event loop, in front of Hummingbird")
        fastLaneWaits = registry.makeCounter(
            name: "civictags_fast_lane_waits_total",
            help: "Fast-lane answers that waited for the store or a stop page render (the rest came from memory)")
        openConnections = registry.makeGauge(name: "civictags_open_connections", help: "HTTP connections open now")
        refusedConnections = registry.makeGauge(
            name: "civictags_refused_connections", help: "Connections answered 503 at the max-connections limit since start")
        storeLookups = registry.makeCounter(
            name: "civictags_store_lookups_total",
            help: "Tag IDs not in memory looked up in the registry database (unknown IDs are remembered for a few seconds)")
        storeLookupsRefused = registry.makeCounter(
            name: "civictags_store_lookups_refused_total",
            help: "Lookups of IDs not in memory refused with 503 because 16 were already in flight (a flood of unknown codes)")
        let collector = self.registry
        secureTaps = Dictionary(uniqueKeysWithValues: TapOutcome.SUNOutcome.allCases.map { outcome in
            (outcome, collector.makeCounter(
                name: "civictags_secure_taps_total", labels: [("outcome", outcome.rawValue)],
                help: "Taps with NTAG 424 DNA SUN parameters by outcome (verified, replay, bad_mac, wrong_chip, unknown_key, malformed)"))
        })
        mirrorTaps = Dictionary(uniqueKeysWithValues: TapOutcome.MirrorOutcome.allCases.map { outcome in
            (outcome, collector.makeCounter(
                name: "civictags_mirror_taps_total", labels: [("outcome", outcome.rawValue)],
                help: "Taps with an NTAG21x UID/counter mirror by outcome (plain text: a check, not a proof)"))
        })
    }

    func countTap(_ outcome: TapOutcome) {
        switch outcome {
        case .sun(let sun): secureTaps[sun]?.increment()
        case .mirror(let mirror): mirrorTaps[mirror]?.increment()
        }
    }

    private struct RouteStatus: Hashable {
        var route: String
        var status: Int
    }
    private let countersLock = ReadWriteLock()
    private var counters: [RouteStatus: Counter] = [:]

    func request(route: String, status: Int) {
        requestCounter(route: route, status: status).increment()
    }

    /// The `civictags_http_requests_total` counter of one route and status (made on first use).
    func requestCounter(route: String, status: Int) -> Counter {
        let key = RouteStatus(route: route, status: status)
        if let counter = countersLock.reading({ counters[key] }) { return counter }
        return countersLock.writing {
            if let counter = counters[key] { return counter }
            let counter = registry.makeCounter(
                name: "civictags_http_requests_total", labels: [("route", route), ("status", String(status))],
                help: "HTTP requests by route and status")
            counters[key] = counter
            return counter
        }
    }

    func render() -> String { registry.emitToString() + resolveLatency.render() }
}
