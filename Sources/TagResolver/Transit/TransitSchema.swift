import Foundation
import TransitKit

extension GTFSFeed {
    /// Every table's rows, `version_id` first.
    func tableRows(version: Int64) -> [SQLTableRows] {
        let v = SQLValue.int(version)
        return [
            SQLTableRows(
                table: "gtfs_agency", columns: ["version_id", "agency_id", "name", "url", "timezone", "lang"],
                rows: agencies.map { [v, .text($0.id), .text($0.name), .text($0.url), .text($0.timezone), .text($0.lang)] }),
            SQLTableRows(
                table: "gtfs_stops",
                columns: ["version_id", "stop_id", "code", "name", "lat", "lon", "location_type", "parent_station", "platform_code"],
                rows: stops.map {
                    [v, .text($0.id), .text($0.code), .text($0.name), $0.lat.sqlValue, $0.lon.sqlValue, $0.locationType.sqlValue,
                     .text($0.parentStation), .text($0.platformCode)]
                }),
            SQLTableRows(
                table: "gtfs_routes",
                columns: ["version_id", "route_id", "agency_id", "short_name", "long_name", "route_type", "color", "text_color"],
                rows: routes.map {
                    [v, .text($0.id), .text($0.agencyID), .text($0.shortName), .text($0.longName), .int(Int64($0.type)),
                     .text($0.color), .text($0.textColor)]
                }),
            SQLTableRows(
                table: "gtfs_trips",
                columns: ["version_id", "trip_id", "route_id", "service_id", "headsign", "short_name", "direction_id"],
                rows: trips.map {
                    [v, .text($0.id), .text($0.routeID), .text($0.serviceID), .text($0.headsign), .text($0.shortName),
                     .int(Int64($0.directionID ?? -1))]
                }),
            Self.stopTimeRows(version: version, stopTimes),
            SQLTableRows(
                table: "gtfs_calendar", columns: ["version_id", "service_id", "days", "start_date", "end_date"],
                rows: calendars.map {
                    [v, .text($0.serviceID), .text(String($0.days.map { $0 ? "1" : "0" })), .text($0.startDate), .text($0.endDate)]
                }),
            SQLTableRows(
                table: "gtfs_calendar_dates", columns: ["version_id", "service_id", "date", "exception_type"],
                rows: calendarDates.map { [v, .text($0.serviceID), .text($0.date), .int(Int64($0.exceptionType))] }),
            SQLTableRows(
                table: "gtfs_frequencies",
                columns: ["version_id", "trip_id", "start_time", "end_time", "headway_secs", "exact_times"],
                rows: frequencies.map {
                    [v, .text($0.tripID), .int(Int64($0.startTime)), .int(Int64($0.endTime)), .int(Int64($0.headway)), .int(Int64($0.exactTimes))]
                }),
            SQLTableRows(
                table: "gtfs_feed_info",
                columns: ["version_id", "publisher_name", "lang", "start_date", "end_date", "feed_version"],
                rows: feedInfo.map {
                    [[v, .text($0.publisherName), .text($0.lang), .text($0.startDate), .text($0.endDate), .text($0.version)]]
                } ?? []),
        ]
    }
}

extension GTFSFeed {
    static let stopTimeColumns = [
        "version_id", "trip_id", "stop_sequence", "stop_id", "arrival", "departure", "stop_headsign",
        "pickup_type", "drop_off_type", "interpolated", "is_last", "trip_start",
    ]

    /// Rows of `gtfs_stop_times` for `stopTimes`.
    static func stopTimeRows(version: Int64, _ stopTimes: [StopTime]) -> SQLTableRows {
        let v = SQLValue.int(version)
        return SQLTableRows(
            table: "gtfs_stop_times", columns: stopTimeColumns,
            rows: stopTimes.map {
                [v, .text($0.tripID), .int(Int64($0.stopSequence)), .text($0.stopID), .int(Int64($0.arrival)), .int(Int64($0.departure)),
                 .text($0.stopHeadsign), .int(Int64($0.pickupType)), .int(Int64($0.dropOffType)), .int(Int64($0.interpolated ? 1 : 0)),
                 .int(Int64($0.isLast ? 1 : 0)), .int(Int64($0.tripStart))]
            })
    }
}

/// The tables, shared by both databases (types chosen to mean the same on SQLite and PostgreSQL).
enum TransitSchema {
    /// Applied in order, each once (recorded by name in `schema_migrations`); never edited once shipped.
    static let migrations = [
        Migration("transit-001-gtfs", templates: statements),
        // Realtime updates naming a stop only by stop_id need the trip's stops (StopPageService).
        Migration(
            "transit-002-stop-times-by-trip", templates: ["CREATE INDEX gtfs_stop_times_trip ON gtfs_stop_times (version_id, trip_id)"]),
    ]
    /// `{FLOAT}` is replaced per database (``SQLDialect/schema(_:)``); the other types mean the same on both.
    static let statements = [
        """
        CREATE TABLE gtfs_feed_versions (version_id BIGINT PRIMARY KEY, feed_id TEXT NOT NULL, imported_at BIGINT NOT NULL,
          source TEXT NOT NULL, timezone TEXT NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT NOT NULL,
          stops INTEGER NOT NULL, trips INTEGER NOT NULL, stop_times INTEGER NOT NULL)
        """,
        "CREATE TABLE gtfs_active_feeds (feed_id TEXT PRIMARY KEY, version_id BIGINT NOT NULL)",
        "CREATE TABLE gtfs_agency (version_id BIGINT NOT NULL, agency_id TEXT NOT NULL, name TEXT NOT NULL, url TEXT NOT NULL, timezone TEXT NOT NULL, lang TEXT NOT NULL)",
        """
        CREATE TABLE gtfs_stops (version_id BIGINT NOT NULL, stop_id TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL,
          lat {FLOAT}, lon {FLOAT}, location_type INTEGER NOT NULL, parent_station TEXT NOT NULL, platform_code TEXT NOT NULL,
          PRIMARY KEY (version_id, stop_id))
        """,
        "CREATE INDEX gtfs_stops_parent ON gtfs_stops (version_id, parent_station)",
        """
        CREATE TABLE gtfs_routes (version_id BIGINT NOT NULL, route_id TEXT NOT NULL, agency_id TEXT NOT NULL,
          short_name TEXT NOT NULL, long_name TEXT NOT NULL, route_type INTEGER NOT NULL, color TEXT NOT NULL,
          text_color TEXT NOT NULL, PRIMARY KEY (version_id, route_id))
        """,
        """
        CREATE TABLE gtfs_trips (version_id BIGINT NOT NULL, trip_id TEXT NOT NULL, route_id TEXT NOT NULL,
          service_id TEXT NOT NULL, headsign TEXT NOT NULL, short_name TEXT NOT NULL, direction_id INTEGER NOT NULL,
          PRIMARY KEY (version_id, trip_id))
        """,
        """
        CREATE TABLE gtfs_stop_times (version_id BIGINT NOT NULL, trip_id TEXT NOT NULL, stop_sequence INTEGER NOT NULL,
          stop_id TEXT NOT NULL, arrival INTEGER NOT NULL, departure INTEGER NOT NULL, stop_headsign TEXT NOT NULL,
          pickup_type INTEGER NOT NULL, drop_off_type INTEGER NOT NULL, interpolated INTEGER NOT NULL,
          is_last INTEGER NOT NULL, trip_start INTEGER NOT NULL)
        """,
        "CREATE INDEX gtfs_stop_times_stop ON gtfs_stop_times (version_id, stop_id)",
        "CREATE TABLE gtfs_calendar (version_id BIGINT NOT NULL, service_id TEXT NOT NULL, days TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL)",
        "CREATE TABLE gtfs_calendar_dates (version_id BIGINT NOT NULL, service_id TEXT NOT NULL, date TEXT NOT NULL, exception_type INTEGER NOT NULL)",
        "CREATE TABLE gtfs_frequencies (version_id BIGINT NOT NULL, trip_id TEXT NOT NULL, start_time INTEGER NOT NULL, end_time INTEGER NOT NULL, headway_secs INTEGER NOT NULL, exact_times INTEGER NOT NULL)",
        "CREATE TABLE gtfs_feed_info (version_id BIGINT NOT NULL, publisher_name TEXT NOT NULL, lang TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL, feed_version TEXT NOT NULL)",
    ]

    /// Tables holding per-version rows (deleted when a version is replaced).
    static let versionedTables = [
        "gtfs_agency", "gtfs_stops", "gtfs_routes", "gtfs_trips", "gtfs_stop_times", "gtfs_calendar",
        "gtfs_calendar_dates", "gtfs_frequencies", "gtfs_feed_info",
    ]

    /// Serialises importers across instances sharing one PostgreSQL, so version numbers do not collide.
    static let importLock: Int64 = 7_212_027
}
