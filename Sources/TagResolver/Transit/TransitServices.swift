import Foundation
import Logging
import ServiceLifecycle

/// What the resolver application adds for transit: the stop page renderer (when the store can hold
/// timetables) and the GTFS-Realtime poller (when configured), built from the configuration.
struct TransitServices {
    let pages: StopPageService?
    let services: [any Service]
    let store: (any TransitStore)?

    init(configuration: ResolverConfiguration, store: some TagStore, now: @escaping @Sendable () -> Date, logger: Logger) {
        guard let transitStore = store as? any TransitStore else {
            pages = nil
            services = []
            self.store = nil
            return
        }
        self.store = transitStore
        let clock: @Sendable () -> Date
        if let fixed = configuration.transitClockDate {
            clock = { fixed }
        } else {
            clock = now
        }
        var services: [any Service] = []
        var states: [String: RealtimeState] = [:]
        let trips = configuration.realtimeTripUpdates, alerts = configuration.realtimeAlerts
        if !trips.isEmpty || !alerts.isEmpty {
            let realtime = RealtimeState()
            states[configuration.realtimeFeed] = realtime
            services.append(RealtimePoller(
                tripUpdates: trips.isEmpty ? nil : .init(trips), alerts: alerts.isEmpty ? nil : .init(alerts),
                state: realtime, interval: .milliseconds(Int64(configuration.realtimePollSeconds * 1000)), logger: logger))
        }
        pages = StopPageService(store: transitStore, realtime: states, town: configuration.townName, now: clock)
        self.services = services
    }

    func migrate() async throws {
        try await store?.migrateTransit()
    }
}
