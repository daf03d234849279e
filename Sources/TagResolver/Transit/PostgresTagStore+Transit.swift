import Foundation
import Logging
import PostgresNIO

/// GTFS feeds in the PostgreSQL registry: one transaction per import, rows sent in multi-row INSERTs of up
/// to 60,000 parameters; other instances see the new version when it commits.
extension PostgresTagStore: TransitStore {
    public func migrateTransit() async throws {
        try await applyMigrations(TransitSchema.migrations(float: "DOUBLE PRECISION"))
    }

    public func importFeed(_ feed: GTFSFeed, stopTimes: GTFSStopTimeStream?, feedID: String, source: String) async throws -> FeedVersion {
        try FeedID.validate(feedID)
        let logger = self.logger
        return try await transaction(logger) { connection in
            // One importer at a time, so version numbers do not collide.
            try await connection.query("SELECT pg_advisory_xact_lock(7212027)", logger: logger)
            var version: Int64 = 1
            for try await next in try await connection.query(
                "SELECT COALESCE(MAX(version_id), 0) + 1 FROM gtfs_feed_versions", logger: logger
            ).decode(Int64.self) { version = next }
            for table in feed.tableRows(version: version) { try await Self.insert(table, connection, logger) }
            var stopTimeCount = feed.stopTimes.count
            if let stopTimes {
                while let batch = try stopTimes.nextBatch() {
                    try await Self.insert(GTFSFeed.stopTimeRows(version: version, batch), connection, logger)
                }
                _ = try stopTimes.finish()
                stopTimeCount = stopTimes.count
            }
            let record = FeedVersion.new(feed, feedID: feedID, version: version, source: source, stopTimes: stopTimeCount)
            try await connection.query(
                """
                INSERT INTO gtfs_feed_versions (version_id, feed_id, imported_at, source, timezone, valid_from, valid_to, stops, trips, stop_times)
                VALUES (\(version), \(feedID), \(StoredTime.millis(record.importedAt)), \(source), \(record.timezone),
                        \(record.validFrom), \(record.validTo), \(record.stops), \(record.trips), \(record.stopTimes))
                """, logger: logger)
            try await connection.query(
                """
                INSERT INTO gtfs_active_feeds (feed_id, version_id) VALUES (\(feedID), \(version))
                ON CONFLICT (feed_id) DO UPDATE SET version_id = excluded.version_id
                """, logger: logger)
            var old: [Int64] = []
            for try await id in try await connection.query(
                "SELECT version_id FROM gtfs_feed_versions WHERE feed_id = \(feedID) AND version_id <> \(version)", logger: logger
            ).decode(Int64.self) { old.append(id) }
            for oldVersion in old {
                for table in TransitSchema.versionedTables {
                    var query = PostgresQuery(unsafeSQL: "DELETE FROM \(table) WHERE version_id = $1")
                    query.binds.append(oldVersion)
                    try await connection.query(query, logger: logger)
                }
                try await connection.query("DELETE FROM gtfs_feed_versions WHERE version_id = \(oldVersion)", logger: logger)
            }
            return record
        }
    }

    /// One table's rows in multi-row INSERTs of up to 60,000 parameters.
    private static func insert(_ table: TransitTableRows, _ connection: PostgresConnection, _ logger: Logger) async throws {
        guard !table.rows.isEmpty else { return }
        let perBatch = max(1, 60_000 / table.columns.count)
        var start = 0
        while start < table.rows.count {
            let batch = table.rows[start..<min(start + perBatch, table.rows.count)]
            var binds = PostgresBindings(capacity: batch.count * table.columns.count)
            var tuples: [String] = []
            tuples.reserveCapacity(batch.count)
            var n = 0
            for row in batch {
                var marks: [String] = []
                for value in row {
                    n += 1
                    marks.append("$\(n)")
                    switch value {
                    case .text(let text): binds.append(text)
                    case .int(let number): binds.append(number)
                    case .double(let number): if let number { binds.append(number) } else { binds.appendNull() }
                    }
                }
                tuples.append("(" + marks.joined(separator: ",") + ")")
            }
            let sql = "INSERT INTO \(table.table) (\(table.columns.joined(separator: ","))) VALUES " + tuples.joined(separator: ",")
            try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            start += perBatch
        }
    }

    private func activeVersions(feedID: String?) async throws -> [FeedVersion] {
        var sql = """
            SELECT v.feed_id, v.version_id, v.imported_at, v.source, v.timezone, v.valid_from, v.valid_to, v.stops, v.trips, v.stop_times
            FROM gtfs_active_feeds a JOIN gtfs_feed_versions v ON v.version_id = a.version_id
            """
        var binds = PostgresBindings()
        if let feedID {
            sql += " WHERE a.feed_id = $1"
            binds.append(feedID)
        }
        var out: [FeedVersion] = []
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql + " ORDER BY v.feed_id", binds: binds), logger: logger)
        for try await (feed, version, imported, source, zone, from, to, stops, trips, stopTimes) in rows.decode(
            (String, Int64, Int64, String, String, String, String, Int, Int, Int).self)
        {
            out.append(FeedVersion(
                feedID: feed, version: version, importedAt: StoredTime.date(imported), source: source, timezone: zone,
                validFrom: from, validTo: to, stops: stops, trips: trips, stopTimes: stopTimes))
        }
        return out
    }

    public func feedVersions() async throws -> [FeedVersion] { try await activeVersions(feedID: nil) }

    private static let stopColumns = "stop_id, code, name, lat, lon, location_type, parent_station, platform_code"

    private func stops(_ condition: String, _ binds: PostgresBindings) async throws -> [GTFSFeed.Stop] {
        let rows = try await client.query(
            PostgresQuery(unsafeSQL: "SELECT \(Self.stopColumns) FROM gtfs_stops WHERE \(condition) ORDER BY stop_id", binds: binds),
            logger: logger)
        var out: [GTFSFeed.Stop] = []
        for try await (id, code, name, lat, lon, type, parent, platform) in rows.decode(
            (String, String, String, Double?, Double?, Int, String, String).self)
        {
            out.append(.init(
                id: id, code: code, name: name, lat: lat, lon: lon, locationType: type, parentStation: parent, platformCode: platform))
        }
        return out
    }

    public func stops(feedID: String) async throws -> [GTFSFeed.Stop] {
        guard let version = try await activeVersions(feedID: feedID).first else { return [] }
        var binds = PostgresBindings()
        binds.append(version.version)
        return try await stops("version_id = $1", binds)
    }

    public func timetable(feedID: String, stopID: String) async throws -> StopTimetable? {
        guard let version = try await activeVersions(feedID: feedID).first else { return nil }
        let v = version.version
        var binds = PostgresBindings()
        binds.append(v)
        binds.append(stopID)
        guard let stop = try await stops("version_id = $1 AND stop_id = $2", binds).first else { return nil }
        var platforms = [stop]
        if stop.locationType == 1 {
            platforms = try await stops("version_id = $1 AND parent_station = $2 AND location_type = 0", binds)
        }
        var events: [StopTimetable.Event] = []
        for platform in platforms {
            let rows = try await client.query(
                """
                SELECT st.trip_id, t.route_id, t.service_id, CASE WHEN st.stop_headsign <> '' THEN st.stop_headsign ELSE t.headsign END,
                       st.stop_id, st.stop_sequence, st.arrival, st.departure, st.pickup_type, st.is_last, st.trip_start
                FROM gtfs_stop_times st JOIN gtfs_trips t ON t.version_id = st.version_id AND t.trip_id = st.trip_id
                WHERE st.version_id = \(v) AND st.stop_id = \(platform.id)
                """, logger: logger)
            for try await (trip, route, service, headsign, stopID, sequence, arrival, departure, pickup, last, start) in rows.decode(
                (String, String, String, String, String, Int, Int, Int, Int, Int, Int).self)
            {
                events.append(.init(
                    tripID: trip, routeID: route, serviceID: service, headsign: headsign, stopID: stopID, stopSequence: sequence,
                    arrival: arrival, departure: departure, pickupType: pickup, isLast: last != 0, tripStart: start))
            }
        }
        var calendars: [GTFSFeed.Calendar] = []
        for try await (service, days, start, end) in try await client.query(
            "SELECT service_id, days, start_date, end_date FROM gtfs_calendar WHERE version_id = \(v)", logger: logger
        ).decode((String, String, String, String).self) {
            calendars.append(.init(serviceID: service, days: TimetableAssembly.days(days), startDate: start, endDate: end))
        }
        var dates: [GTFSFeed.CalendarDate] = []
        for try await (service, date, type) in try await client.query(
            "SELECT service_id, date, exception_type FROM gtfs_calendar_dates WHERE version_id = \(v)", logger: logger
        ).decode((String, String, Int).self) {
            dates.append(.init(serviceID: service, date: date, exceptionType: type))
        }
        var frequencies: [GTFSFeed.Frequency] = []
        for try await (trip, start, end, headway, exact) in try await client.query(
            "SELECT trip_id, start_time, end_time, headway_secs, exact_times FROM gtfs_frequencies WHERE version_id = \(v)",
            logger: logger
        ).decode((String, Int, Int, Int, Int).self) {
            frequencies.append(.init(tripID: trip, startTime: start, endTime: end, headway: headway, exactTimes: exact))
        }
        var routes: [GTFSFeed.Route] = []
        for try await (id, agency, short, long, type, color, text) in try await client.query(
            "SELECT route_id, agency_id, short_name, long_name, route_type, color, text_color FROM gtfs_routes WHERE version_id = \(v)",
            logger: logger
        ).decode((String, String, String, String, Int, String, String).self) {
            routes.append(.init(id: id, agencyID: agency, shortName: short, longName: long, type: type, color: color, textColor: text))
        }
        return TimetableAssembly(
            version: version, stop: stop, platforms: platforms, events: events, calendars: calendars, calendarDates: dates,
            frequencies: frequencies, routes: routes
        ).timetable()
    }

    public func tripStops(feedID: String, version: Int64, tripIDs: [String]) async throws -> [String: [StopTimetable.TripStop]] {
        guard !tripIDs.isEmpty else { return [:] }
        var out: [String: [StopTimetable.TripStop]] = [:]
        let rows = try await client.query(
            """
            SELECT st.trip_id, st.stop_sequence, st.stop_id, st.arrival, st.departure FROM gtfs_stop_times st
            JOIN gtfs_feed_versions v ON v.version_id = st.version_id AND v.feed_id = \(feedID)
            WHERE st.version_id = \(version) AND st.trip_id = ANY(\(tripIDs)) ORDER BY st.trip_id, st.stop_sequence
            """, logger: logger)
        for try await (trip, sequence, stop, arrival, departure) in rows.decode((String, Int, String, Int, Int).self) {
            out[trip, default: []].append(.init(stopSequence: sequence, stopID: stop, arrival: arrival, departure: departure))
        }
        return out
    }
}
