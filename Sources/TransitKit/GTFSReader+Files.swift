import Foundation

/// One function per GTFS file: read the rows, check them against what was read before.
extension GTFSReader {
    static func readAgencies(_ t: GTFSTable, _ check: inout Checker) -> [GTFSFeed.Agency] {
        guard check.require(t, ["agency_name", "agency_timezone"]) else { return [] }
        var out: [GTFSFeed.Agency] = []
        for row in t.rows.indices {
            let zone = t.value(row, "agency_timezone")
            if TimeZone(identifier: zone) == nil {
                check.error(t.file, t.lines[row], "agency_timezone", "'\(zone)' is not an IANA timezone like America/New_York")
            } else if let first = out.first, first.timezone != zone {
                check.error(t.file, t.lines[row], "agency_timezone", "'\(zone)' differs from '\(first.timezone)'; all agencies of a feed share one timezone")
            }
            out.append(.init(
                id: t.value(row, "agency_id"), name: t.value(row, "agency_name"), url: t.value(row, "agency_url"),
                timezone: zone, lang: t.value(row, "agency_lang")))
        }
        if out.isEmpty { check.error(t.file, 0, "", "no agency: the feed's timezone is unknown") }
        if out.count > 1, out.contains(where: { $0.id.isEmpty }) {
            check.warning(t.file, 0, "agency_id", "several agencies but not all have an agency_id")
        }
        return out
    }

    static func readStops(_ t: GTFSTable, _ check: inout Checker) -> [GTFSFeed.Stop] {
        guard check.require(t, ["stop_id"]) else { return [] }
        var out: [GTFSFeed.Stop] = []
        out.reserveCapacity(t.rows.count)
        for row in t.rows.indices {
            guard let id = check.nonEmpty(t, row, "stop_id") else { continue }
            let type = check.enumValue(t, row, "location_type", 0...4, fallback: 0)
            let lat = Double(t.value(row, "stop_lat")), lon = Double(t.value(row, "stop_lon"))
            if type <= 2 && (lat == nil || lon == nil || !(-90...90).contains(lat!) || !(-180...180).contains(lon!)) {
                check.warning(t.file, t.lines[row], "stop_lat", "stop \(id) has no valid coordinates")
            }
            let name = t.value(row, "stop_name")
            if name.isEmpty && type <= 2 { check.warning(t.file, t.lines[row], "stop_name", "stop \(id) has no name") }
            out.append(.init(
                id: id, code: t.value(row, "stop_code"), name: name, lat: lat, lon: lon, locationType: type,
                parentStation: t.value(row, "parent_station"), platformCode: t.value(row, "platform_code")))
        }
        check.uniqueIDs(t, out.map(\.id), column: "stop_id")
        let ids = Dictionary(out.map { ($0.id, $0.locationType) }, uniquingKeysWith: { a, _ in a })
        for (row, stop) in out.enumerated() where !stop.parentStation.isEmpty {
            if ids[stop.parentStation] == nil {
                check.warning(t.file, t.lines[row], "parent_station", "unknown parent station '\(stop.parentStation)'")
            }
        }
        return out
    }

    static func readRoutes(_ t: GTFSTable, _ check: inout Checker) -> [GTFSFeed.Route] {
        guard check.require(t, ["route_id", "route_type"]) else { return [] }
        var out: [GTFSFeed.Route] = []
        for row in t.rows.indices {
            guard let id = check.nonEmpty(t, row, "route_id") else { continue }
            let short = t.value(row, "route_short_name"), long = t.value(row, "route_long_name")
            if short.isEmpty && long.isEmpty {
                check.warning(t.file, t.lines[row], "route_short_name", "route \(id) has neither short nor long name")
            }
            var colors = [t.value(row, "route_color"), t.value(row, "route_text_color")]
            for (i, column) in ["route_color", "route_text_color"].enumerated() where !colors[i].isEmpty {
                if colors[i].utf8.count != 6 || UInt32(colors[i], radix: 16) == nil {
                    check.warning(t.file, t.lines[row], column, "'\(colors[i])' is not a colour RRGGBB; ignored")
                    colors[i] = ""
                }
            }
            out.append(.init(
                id: id, agencyID: t.value(row, "agency_id"), shortName: short, longName: long,
                type: Int(t.value(row, "route_type")) ?? 3, color: colors[0].uppercased(), textColor: colors[1].uppercased()))
        }
        check.uniqueIDs(t, out.map(\.id), column: "route_id")
        return out
    }

    static func readCalendars(_ t: GTFSTable, _ check: inout Checker) -> [GTFSFeed.Calendar] {
        let days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        guard check.require(t, ["service_id", "start_date", "end_date"] + days) else { return [] }
        var out: [GTFSFeed.Calendar] = []
        for row in t.rows.indices {
            guard let id = check.nonEmpty(t, row, "service_id"),
                  let start = check.date(t, row, "start_date"), let end = check.date(t, row, "end_date")
            else { continue }
            var flags: [Bool] = []
            for day in days {
                let text = t.value(row, day)
                guard text == "0" || text == "1" else {
                    check.error(t.file, t.lines[row], day, "'\(text)' must be 0 or 1")
                    flags.append(false)
                    continue
                }
                flags.append(text == "1")
            }
            if end < start { check.error(t.file, t.lines[row], "end_date", "service \(id) ends (\(end)) before it starts (\(start))") }
            out.append(.init(serviceID: id, days: flags, startDate: start, endDate: end))
        }
        check.uniqueIDs(t, out.map(\.serviceID), column: "service_id")
        return out
    }

    static func readCalendarDates(_ t: GTFSTable, _ check: inout Checker) -> [GTFSFeed.CalendarDate] {
        guard check.require(t, ["service_id", "date", "exception_type"]) else { return [] }
        var out: [GTFSFeed.CalendarDate] = []
        for row in t.rows.indices {
            guard let id = check.nonEmpty(t, row, "service_id"), let date = check.date(t, row, "date") else { continue }
            let type = t.value(row, "exception_type")
            guard type == "1" || type == "2" else {
                check.error(t.file, t.lines[row], "exception_type", "'\(type)' must be 1 (added) or 2 (removed)")
                continue
            }
            out.append(.init(serviceID: id, date: date, exceptionType: type == "1" ? 1 : 2))
        }
        return out
    }

    static func readTrips(_ t: GTFSTable, _ feed: GTFSFeed, _ check: inout Checker) -> [GTFSFeed.Trip] {
        guard check.require(t, ["route_id", "service_id", "trip_id"]) else { return [] }
        let routes = Set(feed.routes.map(\.id))
        let services = Set(feed.calendars.map(\.serviceID)).union(feed.calendarDates.map(\.serviceID))
        var out: [GTFSFeed.Trip] = []
        out.reserveCapacity(t.rows.count)
        for row in t.rows.indices {
            guard let id = check.nonEmpty(t, row, "trip_id"), let route = check.nonEmpty(t, row, "route_id"),
                  let service = check.nonEmpty(t, row, "service_id")
            else { continue }
            if !routes.contains(route) { check.error(t.file, t.lines[row], "route_id", "trip \(id) names unknown route '\(route)'") }
            if !services.contains(service) {
                check.error(t.file, t.lines[row], "service_id", "trip \(id) names service '\(service)', which is in neither calendar.txt nor calendar_dates.txt")
            }
            let direction = t.value(row, "direction_id")
            out.append(.init(
                id: id, routeID: route, serviceID: service, headsign: t.value(row, "trip_headsign"),
                shortName: t.value(row, "trip_short_name"), directionID: Int(direction)))
        }
        check.uniqueIDs(t, out.map(\.id), column: "trip_id")
        return out
    }

    static func readFrequencies(_ t: GTFSTable, _ feed: GTFSFeed, _ check: inout Checker) -> [GTFSFeed.Frequency] {
        guard check.require(t, ["trip_id", "start_time", "end_time", "headway_secs"]) else { return [] }
        let trips = Set(feed.trips.map(\.id))
        var out: [GTFSFeed.Frequency] = []
        for row in t.rows.indices {
            guard let trip = check.nonEmpty(t, row, "trip_id") else { continue }
            if !trips.contains(trip) { check.error(t.file, t.lines[row], "trip_id", "unknown trip '\(trip)'"); continue }
            var times: [Int] = []
            for column in ["start_time", "end_time"] {
                let text = t.value(row, column)
                guard let value = GTFSTime.seconds(text) else {
                    check.error(t.file, t.lines[row], column, "'\(text)' is not a time HH:MM:SS (minutes and seconds below 60)")
                    continue
                }
                times.append(value)
            }
            let headwayText = t.value(row, "headway_secs")
            guard let headway = Int(headwayText), headway > 0 else {
                check.error(t.file, t.lines[row], "headway_secs", "'\(headwayText)' must be a positive number of seconds")
                continue
            }
            guard times.count == 2 else { continue }
            if times[1] <= times[0] { check.error(t.file, t.lines[row], "end_time", "the period ends before it starts") }
            let exact = check.enumValue(t, row, "exact_times", 0...1, fallback: 0)
            out.append(.init(tripID: trip, startTime: times[0], endTime: times[1], headway: headway, exactTimes: exact))
        }
        return out
    }

    static func readFeedInfo(_ t: GTFSTable, _ check: inout Checker) -> GTFSFeed.FeedInfo? {
        guard !t.rows.isEmpty else { return nil }
        var dates = ["", ""]
        for (i, column) in ["feed_start_date", "feed_end_date"].enumerated() {
            let text = t.value(0, column)
            if text.isEmpty { continue }
            if GTFSDate.isValid(text) { dates[i] = text } else {
                check.warning(t.file, t.lines[0], column, "'\(text)' is not a date YYYYMMDD; ignored")
            }
        }
        return .init(
            publisherName: t.value(0, "feed_publisher_name"), lang: t.value(0, "feed_lang"),
            startDate: dates[0], endDate: dates[1], version: t.value(0, "feed_version"))
    }
}
