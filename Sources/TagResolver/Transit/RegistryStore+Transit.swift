import Foundation
public import TransitKit

/// GTFS feeds in the registry database, the same on SQLite and PostgreSQL: one transaction per import, so
/// readers keep seeing the previous version until the new one commits.
extension RegistryStore: TransitStore {
    public func migrateTransit() async throws {
        try await database.migrate(TransitSchema.migrations)
    }

    public func importFeed(_ feed: GTFSFeed, stopTimes: GTFSStopTimeStream?, feedID: String, source: String) async throws -> FeedVersion {
        try FeedID.validate(feedID)
        let dialect = self.dialect
        return try await database.transaction { db in
            if let lock = dialect.exclusiveLock(TransitSchema.importLock) { try await db.execute(lock) }
            let version = try await db.values(
                Int64.self, "SELECT COALESCE(MAX(version_id), 0) + 1 AS value FROM gtfs_feed_versions"
            ).first ?? 1
            for table in feed.tableRows(version: version) { try await db.insert(table) }
            var stopTimeCount = feed.stopTimes.count
            if let stopTimes {
                while let batch = try stopTimes.nextBatch() { try await db.insert(GTFSFeed.stopTimeRows(version: version, batch)) }
                _ = try stopTimes.finish()
                stopTimeCount = stopTimes.count
            }
            let record = FeedVersion.new(feed, feedID: feedID, version: version, source: source, stopTimes: stopTimeCount)
            try await db.execute(
                """
                INSERT INTO gtfs_feed_versions (version_id, feed_id, imported_at, source, timezone, valid_from, valid_to, stops, trips, stop_times)
                VALUES (\(version), \(feedID), \(StoredTime.millis(record.importedAt)), \(source), \(record.timezone),
                        \(record.validFrom), \(record.validTo), \(record.stops), \(record.trips), \(record.stopTimes))
                """)
            try await db.execute(
                """
                INSERT INTO gtfs_active_feeds (feed_id, version_id) VALUES (\(feedID), \(version))
                ON CONFLICT (feed_id) DO UPDATE SET version_id = excluded.version_id
                """)
            let old = try await db.values(
                Int64.self,
                "SELECT version_id AS value FROM gtfs_feed_versions WHERE feed_id = \(feedID) AND version_id <> \(version)")
            for oldVersion in old {
                for table in TransitSchema.versionedTables {
                    try await db.execute("DELETE FROM \(raw: table) WHERE version_id = \(oldVersion)")
                }
                try await db.execute("DELETE FROM gtfs_feed_versions WHERE version_id = \(oldVersion)")
            }
            return record
        }
    }

    private static func activeVersions(_ db: any SQLExecutor, feedID: String?) async throws -> [FeedVersion] {
        let from = "FROM gtfs_active_feeds a JOIN gtfs_feed_versions v ON v.version_id = a.version_id"
        let query: SQL = if let feedID {
            "SELECT \(raw: FeedVersionRow.columns) \(raw: from) WHERE a.feed_id = \(feedID) ORDER BY v.feed_id"
        } else {
            "SELECT \(raw: FeedVersionRow.columns) \(raw: from) ORDER BY v.feed_id"
        }
        return try await db.fetch(FeedVersionRow.self, query).map(\.version)
    }

    public func feedVersions() async throws -> [FeedVersion] {
        try await Self.activeVersions(database, feedID: nil)
    }

    public func stops(feedID: String) async throws -> [GTFSFeed.Stop] {
        try await database.snapshot { db in
            guard let version = try await Self.activeVersions(db, feedID: feedID).first else { return [] }
            return try await db.fetch(
                StopRow.self,
                "SELECT \(raw: StopRow.columns) FROM gtfs_stops WHERE version_id = \(version.version) ORDER BY stop_id"
            ).map(\.stop)
        }
    }

    public func timetable(feedID: String, stopID: String) async throws -> StopTimetable? {
        try await database.snapshot { db -> StopTimetable? in
            guard let version = try await Self.activeVersions(db, feedID: feedID).first else { return nil }
            let v = version.version
            let stops = "SELECT \(StopRow.columns) FROM gtfs_stops WHERE version_id ="
            guard let stop = try await db.fetchOne(StopRow.self, "\(raw: stops) \(v) AND stop_id = \(stopID)")?.stop else {
                return nil
            }
            var platforms = [stop]
            if stop.locationType == 1 {
                platforms = try await db.fetch(
                    StopRow.self, "\(raw: stops) \(v) AND parent_station = \(stopID) AND location_type = 0 ORDER BY stop_id"
                ).map(\.stop)
            }
            var events: [StopTimetable.Event] = []
            for platform in platforms {
                events += try await db.fetch(
                    EventRow.self,
                    """
                    SELECT st.trip_id, t.route_id, t.service_id,
                           CASE WHEN st.stop_headsign <> '' THEN st.stop_headsign ELSE t.headsign END AS headsign,
                           st.stop_id, st.stop_sequence, st.arrival, st.departure, st.pickup_type, st.is_last, st.trip_start
                    FROM gtfs_stop_times st JOIN gtfs_trips t ON t.version_id = st.version_id AND t.trip_id = st.trip_id
                    WHERE st.version_id = \(v) AND st.stop_id = \(platform.id)
                    """
                ).map(\.event)
            }
            let calendars = try await db.fetch(
                CalendarRow.self, "SELECT service_id, days, start_date, end_date FROM gtfs_calendar WHERE version_id = \(v)")
            let dates = try await db.fetch(
                CalendarDateRow.self,
                "SELECT service_id, date, exception_type FROM gtfs_calendar_dates WHERE version_id = \(v)")
            let frequencies = try await db.fetch(
                FrequencyRow.self,
                "SELECT trip_id, start_time, end_time, headway_secs, exact_times FROM gtfs_frequencies WHERE version_id = \(v)")
            let routes = try await db.fetch(
                RouteRow.self,
                """
                SELECT route_id, agency_id, short_name, long_name, route_type, color, text_color
                FROM gtfs_routes WHERE version_id = \(v)
                """)
            return TimetableAssembly(
                version: version, stop: stop, platforms: platforms, events: events, calendars: calendars.map(\.calendar),
                calendarDates: dates.map(\.calendarDate), frequencies: frequencies.map(\.frequency), routes: routes.map(\.route)
            ).timetable()
        }
    }

    public func tripStops(feedID: String, version: Int64, tripIDs: [String]) async throws -> [String: [StopTimetable.TripStop]] {
        guard !tripIDs.isEmpty else { return [:] }
        var out: [String: [StopTimetable.TripStop]] = [:]
        // Pages ask for a few dozen trips; 500 per query stays far below either database's parameter limit.
        for start in stride(from: 0, to: tripIDs.count, by: 500) {
            let chunk = tripIDs[start..<min(start + 500, tripIDs.count)]
            let query: SQL = """
                SELECT st.trip_id, st.stop_sequence, st.stop_id, st.arrival, st.departure FROM gtfs_stop_times st
                JOIN gtfs_feed_versions v ON v.version_id = st.version_id AND v.feed_id = \(feedID)
                WHERE st.version_id = \(version) AND st.trip_id IN (\(list: chunk)) ORDER BY st.trip_id, st.stop_sequence
                """
            for row in try await database.fetch(TripStopRow.self, query) {
                out[row.tripID, default: []].append(row.tripStop)
            }
        }
        return out
    }
}

extension FeedVersion {
    static func new(_ feed: GTFSFeed, feedID: String, version: Int64, source: String, stopTimes: Int) -> FeedVersion {
        let validity = feed.validity
        return FeedVersion(
            feedID: feedID, version: version, importedAt: StoredTime.now(), source: source, timezone: feed.timezone,
            validFrom: validity.from, validTo: validity.to, stops: feed.stops.count, trips: feed.trips.count,
            stopTimes: stopTimes)
    }
}
