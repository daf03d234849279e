import Foundation
import GRDB

/// GTFS feeds in the SQLite registry file: one write transaction per import (WAL readers keep seeing the
/// previous version until it commits).
extension SQLiteTagStore: TransitStore {
    public func migrateTransit() async throws {
        try await applyMigrations(TransitSchema.migrations(float: "REAL"))
    }

    public func importFeed(_ feed: GTFSFeed, stopTimes: GTFSStopTimeStream?, feedID: String, source: String) async throws -> FeedVersion {
        try FeedID.validate(feedID)
        return try await pool.write { db in
            let version = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(version_id), 0) + 1 FROM gtfs_feed_versions")) ?? 1
            func insert(_ table: TransitTableRows) throws {
                guard !table.rows.isEmpty else { return }
                let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ",")
                let statement = try db.cachedStatement(
                    sql: "INSERT INTO \(table.table) (\(table.columns.joined(separator: ","))) VALUES (\(marks))")
                for row in table.rows {
                    try statement.execute(arguments: StatementArguments(row.map(\.sqlite)))
                }
            }
            for table in feed.tableRows(version: version) { try insert(table) }
            var stopTimeCount = feed.stopTimes.count
            if let stopTimes {
                while let batch = try stopTimes.nextBatch() { try insert(GTFSFeed.stopTimeRows(version: version, batch)) }
                _ = try stopTimes.finish()
                stopTimeCount = stopTimes.count
            }
            let record = FeedVersion.new(feed, feedID: feedID, version: version, source: source, stopTimes: stopTimeCount)
            try db.execute(
                sql: """
                    INSERT INTO gtfs_feed_versions (version_id, feed_id, imported_at, source, timezone, valid_from, valid_to, stops, trips, stop_times)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [version, feedID, StoredTime.millis(record.importedAt), source, record.timezone, record.validFrom,
                            record.validTo, record.stops, record.trips, record.stopTimes])
            try db.execute(
                sql: "INSERT INTO gtfs_active_feeds (feed_id, version_id) VALUES (?, ?) ON CONFLICT (feed_id) DO UPDATE SET version_id = excluded.version_id",
                arguments: [feedID, version])
            let old = try Int64.fetchAll(
                db, sql: "SELECT version_id FROM gtfs_feed_versions WHERE feed_id = ? AND version_id <> ?", arguments: [feedID, version])
            for oldVersion in old {
                for table in TransitSchema.versionedTables {
                    try db.execute(sql: "DELETE FROM \(table) WHERE version_id = ?", arguments: [oldVersion])
                }
                try db.execute(sql: "DELETE FROM gtfs_feed_versions WHERE version_id = ?", arguments: [oldVersion])
            }
            return record
        }
    }

    public func feedVersions() async throws -> [FeedVersion] {
        try await pool.read { db in try Self.activeVersions(db, feedID: nil) }
    }

    private static func activeVersions(_ db: Database, feedID: String?) throws -> [FeedVersion] {
        var sql = """
            SELECT v.feed_id, v.version_id, v.imported_at, v.source, v.timezone, v.valid_from, v.valid_to, v.stops, v.trips, v.stop_times
            FROM gtfs_active_feeds a JOIN gtfs_feed_versions v ON v.version_id = a.version_id
            """
        var arguments: StatementArguments = []
        if let feedID {
            sql += " WHERE a.feed_id = ?"
            arguments = [feedID]
        }
        return try Row.fetchAll(db, sql: sql + " ORDER BY v.feed_id", arguments: arguments).map { row in
            FeedVersion(
                feedID: row[0], version: row[1], importedAt: StoredTime.date(row[2]), source: row[3], timezone: row[4],
                validFrom: row[5], validTo: row[6], stops: row[7], trips: row[8], stopTimes: row[9])
        }
    }

    private static let stopColumns = "stop_id, code, name, lat, lon, location_type, parent_station, platform_code"

    private static func stop(_ row: Row) -> GTFSFeed.Stop {
        GTFSFeed.Stop(
            id: row[0], code: row[1], name: row[2], lat: row[3], lon: row[4], locationType: row[5], parentStation: row[6],
            platformCode: row[7])
    }

    public func stops(feedID: String) async throws -> [GTFSFeed.Stop] {
        try await pool.read { db in
            guard let version = try Self.activeVersions(db, feedID: feedID).first else { return [] }
            return try Row.fetchAll(
                db, sql: "SELECT \(Self.stopColumns) FROM gtfs_stops WHERE version_id = ? ORDER BY stop_id",
                arguments: [version.version]
            ).map(Self.stop)
        }
    }

    public func timetable(feedID: String, stopID: String) async throws -> StopTimetable? {
        try await pool.read { db -> StopTimetable? in
            guard let version = try Self.activeVersions(db, feedID: feedID).first else { return nil }
            let v = version.version
            guard let stop = try Row.fetchOne(
                db, sql: "SELECT \(Self.stopColumns) FROM gtfs_stops WHERE version_id = ? AND stop_id = ?", arguments: [v, stopID]
            ).map(Self.stop) else { return nil }
            var platforms = [stop]
            if stop.locationType == 1 {
                platforms = try Row.fetchAll(
                    db, sql: "SELECT \(Self.stopColumns) FROM gtfs_stops WHERE version_id = ? AND parent_station = ? AND location_type = 0 ORDER BY stop_id",
                    arguments: [v, stopID]
                ).map(Self.stop)
            }
            var events: [StopTimetable.Event] = []
            for platform in platforms {
                let rows = try Row.fetchAll(
                    db, sql: """
                        SELECT st.trip_id, t.route_id, t.service_id, CASE WHEN st.stop_headsign <> '' THEN st.stop_headsign ELSE t.headsign END,
                               st.stop_id, st.stop_sequence, st.arrival, st.departure, st.pickup_type, st.is_last, st.trip_start
                        FROM gtfs_stop_times st JOIN gtfs_trips t ON t.version_id = st.version_id AND t.trip_id = st.trip_id
                        WHERE st.version_id = ? AND st.stop_id = ?
                        """, arguments: [v, platform.id])
                events += rows.map { r in
                    StopTimetable.Event(
                        tripID: r[0], routeID: r[1], serviceID: r[2], headsign: r[3], stopID: r[4], stopSequence: r[5],
                        arrival: r[6], departure: r[7], pickupType: r[8], isLast: (r[9] as Int) != 0, tripStart: r[10])
                }
            }
            let calendars = try Row.fetchAll(
                db, sql: "SELECT service_id, days, start_date, end_date FROM gtfs_calendar WHERE version_id = ?", arguments: [v]
            ).map { GTFSFeed.Calendar(serviceID: $0[0], days: TimetableAssembly.days($0[1]), startDate: $0[2], endDate: $0[3]) }
            let dates = try Row.fetchAll(
                db, sql: "SELECT service_id, date, exception_type FROM gtfs_calendar_dates WHERE version_id = ?", arguments: [v]
            ).map { GTFSFeed.CalendarDate(serviceID: $0[0], date: $0[1], exceptionType: $0[2]) }
            let frequencies = try Row.fetchAll(
                db, sql: "SELECT trip_id, start_time, end_time, headway_secs, exact_times FROM gtfs_frequencies WHERE version_id = ?",
                arguments: [v]
            ).map { GTFSFeed.Frequency(tripID: $0[0], startTime: $0[1], endTime: $0[2], headway: $0[3], exactTimes: $0[4]) }
            let routes = try Row.fetchAll(
                db, sql: "SELECT route_id, agency_id, short_name, long_name, route_type, color, text_color FROM gtfs_routes WHERE version_id = ?",
                arguments: [v]
            ).map {
                GTFSFeed.Route(id: $0[0], agencyID: $0[1], shortName: $0[2], longName: $0[3], type: $0[4], color: $0[5], textColor: $0[6])
            }
            return TimetableAssembly(
                version: version, stop: stop, platforms: platforms, events: events, calendars: calendars,
                calendarDates: dates, frequencies: frequencies, routes: routes
            ).timetable()
        }
    }
}

extension SQLiteTagStore {
    public func tripStops(feedID: String, version: Int64, tripIDs: [String]) async throws -> [String: [StopTimetable.TripStop]] {
        guard !tripIDs.isEmpty else { return [:] }
        return try await pool.read { db in
            var out: [String: [StopTimetable.TripStop]] = [:]
            // SQLite allows 32,766 parameters; pages ask for a few dozen trips.
            for chunk in stride(from: 0, to: tripIDs.count, by: 500).map({ Array(tripIDs[$0..<min($0 + 500, tripIDs.count)]) }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let rows = try Row.fetchAll(
                    db, sql: """
                        SELECT st.trip_id, st.stop_sequence, st.stop_id, st.arrival, st.departure FROM gtfs_stop_times st
                        JOIN gtfs_feed_versions v ON v.version_id = st.version_id AND v.feed_id = ?
                        WHERE st.version_id = ? AND st.trip_id IN (\(marks)) ORDER BY st.trip_id, st.stop_sequence
                        """, arguments: StatementArguments([feedID, version] as [any DatabaseValueConvertible] + chunk))
                for r in rows {
                    out[r[0], default: []].append(.init(stopSequence: r[1], stopID: r[2], arrival: r[3], departure: r[4]))
                }
            }
            return out
        }
    }
}

extension TransitValue {
    var sqlite: (any DatabaseValueConvertible)? {
        switch self {
        case .text(let text): text
        case .int(let value): value
        case .double(let value): value
        }
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
