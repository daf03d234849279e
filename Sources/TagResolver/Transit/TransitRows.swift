import Foundation
import TransitKit

// The GTFS tables as flat rows, decoded by column name on both databases (like the registry's rows in
// RegistryRows.swift); each turns into the feed's own value.

struct FeedVersionRow: Codable, Sendable {
    var feedID: String
    var versionID: Int64
    var importedAt: Int64
    var source: String
    var timezone: String
    var validFrom: String
    var validTo: String
    var stops: Int
    var trips: Int
    var stopTimes: Int

    enum CodingKeys: String, CodingKey {
        case source, timezone, stops, trips
        case feedID = "feed_id"
        case versionID = "version_id"
        case importedAt = "imported_at"
        case validFrom = "valid_from"
        case validTo = "valid_to"
        case stopTimes = "stop_times"
    }

    static let columns =
        "v.feed_id, v.version_id, v.imported_at, v.source, v.timezone, v.valid_from, v.valid_to, v.stops, v.trips, v.stop_times"

    var version: FeedVersion {
        FeedVersion(
            feedID: feedID, version: versionID, importedAt: StoredTime.date(importedAt), source: source, timezone: timezone,
            validFrom: validFrom, validTo: validTo, stops: stops, trips: trips, stopTimes: stopTimes)
    }
}

struct StopRow: Codable, Sendable {
    var stopID: String
    var code: String
    var name: String
    var lat: Double?
    var lon: Double?
    var locationType: Int
    var parentStation: String
    var platformCode: String

    enum CodingKeys: String, CodingKey {
        case code, name, lat, lon
        case stopID = "stop_id"
        case locationType = "location_type"
        case parentStation = "parent_station"
        case platformCode = "platform_code"
    }

    static let columns = "stop_id, code, name, lat, lon, location_type, parent_station, platform_code"

    var stop: GTFSFeed.Stop {
        GTFSFeed.Stop(
            id: stopID, code: code, name: name, lat: lat, lon: lon, locationType: locationType,
            parentStation: parentStation, platformCode: platformCode)
    }
}

/// A stop time joined with its trip: one departure or arrival at a platform.
struct EventRow: Codable, Sendable {
    var tripID: String
    var routeID: String
    var serviceID: String
    var headsign: String
    var stopID: String
    var stopSequence: Int
    var arrival: Int
    var departure: Int
    var pickupType: Int
    var isLast: Int
    var tripStart: Int

    enum CodingKeys: String, CodingKey {
        case headsign, arrival, departure
        case tripID = "trip_id"
        case routeID = "route_id"
        case serviceID = "service_id"
        case stopID = "stop_id"
        case stopSequence = "stop_sequence"
        case pickupType = "pickup_type"
        case isLast = "is_last"
        case tripStart = "trip_start"
    }

    var event: StopTimetable.Event {
        StopTimetable.Event(
            tripID: tripID, routeID: routeID, serviceID: serviceID, headsign: headsign, stopID: stopID,
            stopSequence: stopSequence, arrival: arrival, departure: departure, pickupType: pickupType,
            isLast: isLast != 0, tripStart: tripStart)
    }
}

struct CalendarRow: Codable, Sendable {
    var serviceID: String
    var days: String
    var startDate: String
    var endDate: String

    enum CodingKeys: String, CodingKey {
        case days
        case serviceID = "service_id"
        case startDate = "start_date"
        case endDate = "end_date"
    }

    var calendar: GTFSFeed.Calendar {
        GTFSFeed.Calendar(serviceID: serviceID, days: TimetableAssembly.days(days), startDate: startDate, endDate: endDate)
    }
}

struct CalendarDateRow: Codable, Sendable {
    var serviceID: String
    var date: String
    var exceptionType: Int

    enum CodingKeys: String, CodingKey {
        case date
        case serviceID = "service_id"
        case exceptionType = "exception_type"
    }

    var calendarDate: GTFSFeed.CalendarDate {
        GTFSFeed.CalendarDate(serviceID: serviceID, date: date, exceptionType: exceptionType)
    }
}

struct FrequencyRow: Codable, Sendable {
    var tripID: String
    var startTime: Int
    var endTime: Int
    var headway: Int
    var exactTimes: Int

    enum CodingKeys: String, CodingKey {
        case tripID = "trip_id"
        case startTime = "start_time"
        case endTime = "end_time"
        case headway = "headway_secs"
        case exactTimes = "exact_times"
    }

    var frequency: GTFSFeed.Frequency {
        GTFSFeed.Frequency(tripID: tripID, startTime: startTime, endTime: endTime, headway: headway, exactTimes: exactTimes)
    }
}

struct RouteRow: Codable, Sendable {
    var routeID: String
    var agencyID: String
    var shortName: String
    var longName: String
    var type: Int
    var color: String
    var textColor: String

    enum CodingKeys: String, CodingKey {
        case color
        case routeID = "route_id"
        case agencyID = "agency_id"
        case shortName = "short_name"
        case longName = "long_name"
        case type = "route_type"
        case textColor = "text_color"
    }

    var route: GTFSFeed.Route {
        GTFSFeed.Route(
            id: routeID, agencyID: agencyID, shortName: shortName, longName: longName, type: type, color: color,
            textColor: textColor)
    }
}

struct TripStopRow: Codable, Sendable {
    var tripID: String
    var stopSequence: Int
    var stopID: String
    var arrival: Int
    var departure: Int

    enum CodingKeys: String, CodingKey {
        case arrival, departure
        case tripID = "trip_id"
        case stopSequence = "stop_sequence"
        case stopID = "stop_id"
    }

    var tripStop: StopTimetable.TripStop {
        StopTimetable.TripStop(stopSequence: stopSequence, stopID: stopID, arrival: arrival, departure: departure)
    }
}
