import Foundation
import TransitKit

// The GTFS tables as flat rows, decoded by column name on both databases (like ``RegistryRows``); each
// turns into the feed's own value.

struct FeedVersionRow: Codable, Sendable {
    var feed_id: String
    var version_id: Int64
    var imported_at: Int64
    var source: String
    var timezone: String
    var valid_from: String
    var valid_to: String
    var stops: Int
    var trips: Int
    var stop_times: Int

    static let columns =
        "v.feed_id, v.version_id, v.imported_at, v.source, v.timezone, v.valid_from, v.valid_to, v.stops, v.trips, v.stop_times"

    var version: FeedVersion {
        FeedVersion(
            feedID: feed_id, version: version_id, importedAt: StoredTime.date(imported_at), source: source,
            timezone: timezone, validFrom: valid_from, validTo: valid_to, stops: stops, trips: trips, stopTimes: stop_times)
    }
}

struct StopRow: Codable, Sendable {
    var stop_id: String
    var code: String
    var name: String
    var lat: Double?
    var lon: Double?
    var location_type: Int
    var parent_station: String
    var platform_code: String

    static let columns = "stop_id, code, name, lat, lon, location_type, parent_station, platform_code"

    var stop: GTFSFeed.Stop {
        GTFSFeed.Stop(
            id: stop_id, code: code, name: name, lat: lat, lon: lon, locationType: location_type,
            parentStation: parent_station, platformCode: platform_code)
    }
}

/// A stop time joined with its trip: one departure or arrival at a platform.
struct EventRow: Codable, Sendable {
    var trip_id: String
    var route_id: String
    var service_id: String
    var headsign: String
    var stop_id: String
    var stop_sequence: Int
    var arrival: Int
    var departure: Int
    var pickup_type: Int
    var is_last: Int
    var trip_start: Int

    var event: StopTimetable.Event {
        StopTimetable.Event(
            tripID: trip_id, routeID: route_id, serviceID: service_id, headsign: headsign, stopID: stop_id,
            stopSequence: stop_sequence, arrival: arrival, departure: departure, pickupType: pickup_type,
            isLast: is_last != 0, tripStart: trip_start)
    }
}

struct CalendarRow: Codable, Sendable {
    var service_id: String
    var days: String
    var start_date: String
    var end_date: String

    var calendar: GTFSFeed.Calendar {
        GTFSFeed.Calendar(serviceID: service_id, days: TimetableAssembly.days(days), startDate: start_date, endDate: end_date)
    }
}

struct CalendarDateRow: Codable, Sendable {
    var service_id: String
    var date: String
    var exception_type: Int

    var calendarDate: GTFSFeed.CalendarDate {
        GTFSFeed.CalendarDate(serviceID: service_id, date: date, exceptionType: exception_type)
    }
}

struct FrequencyRow: Codable, Sendable {
    var trip_id: String
    var start_time: Int
    var end_time: Int
    var headway_secs: Int
    var exact_times: Int

    var frequency: GTFSFeed.Frequency {
        GTFSFeed.Frequency(tripID: trip_id, startTime: start_time, endTime: end_time, headway: headway_secs, exactTimes: exact_times)
    }
}

struct RouteRow: Codable, Sendable {
    var route_id: String
    var agency_id: String
    var short_name: String
    var long_name: String
    var route_type: Int
    var color: String
    var text_color: String

    var route: GTFSFeed.Route {
        GTFSFeed.Route(
            id: route_id, agencyID: agency_id, shortName: short_name, longName: long_name, type: route_type, color: color,
            textColor: text_color)
    }
}

struct TripStopRow: Codable, Sendable {
    var trip_id: String
    var stop_sequence: Int
    var stop_id: String
    var arrival: Int
    var departure: Int

    var tripStop: StopTimetable.TripStop {
        StopTimetable.TripStop(stopSequence: stop_sequence, stopID: stop_id, arrival: arrival, departure: departure)
    }
}
