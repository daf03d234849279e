import Foundation
import Logging
import ServiceLifecycle
import TransitKit

/// What the resolver application adds for transit: the stop page renderer over the store's timetables and
/// the GTFS-Realtime pollers (when configured), built from the configuration. The store's type says it holds
/// timetables (``TransitStore``), so the application cannot be built on one that does not.
struct TransitServices {
    let pages: StopPageService
    let services: [any Service]
    let store: any TransitStore

    init(
        configuration: ResolverConfiguration, store: some TransitStore, civic: CivicService? = nil, reportLinks: Bool = false,
        now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.store = store
        let clock: @Sendable () -> Date
        if let fixed = configuration.transitClockDate {
            clock = { fixed }
        } else {
            clock = now
        }
        var services: [any Service] = []
        // One state and one poller per feed: each stop page applies its own feed's realtime data.
        var states: [String: RealtimeState] = [:]
        for source in configuration.realtimeSources {
            let realtime = RealtimeState()
            states[source.feedID] = realtime
            services.append(RealtimePoller(
                tripUpdates: source.tripUpdates.isEmpty ? nil : .init(source.tripUpdates),
                alerts: source.alerts.isEmpty ? nil : .init(source.alerts), state: realtime,
                interval: .milliseconds(Int64(configuration.realtimePollSeconds * 1000)),
                logger: logger.with(feed: source.feedID)))
        }
        pages = StopPageService(store: store, realtime: states, town: configuration.townName, civic: civic, reportLinks: reportLinks, now: clock)
        self.services = services
    }

    func migrate() async throws {
        try await store.migrateTransit()
    }
}

extension Logger {
    fileprivate func with(feed: String) -> Logger {
        var logger = self
        logger[metadataKey: "feed"] = "\(feed)"
        return logger
    }
}
