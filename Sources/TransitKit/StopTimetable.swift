/// Everything the departures engine needs about one stop (or station with its platforms), read from the
/// active version of a feed by ``TransitStore/timetable(feedID:stopID:)``. Pure data: the engine is a
/// function of this and a clock.
public struct StopTimetable: Sendable {
    public var feedID: String
    public var version: Int64
    /// The agency timezone, e.g. `America/New_York`.
    public var timezone: String
    /// First and last service day, `YYYYMMDD`.
    public var validFrom: String
    public var validTo: String
    /// The stop asked for: a platform, or a station (location_type 1).
    public var stop: GTFSFeed.Stop
    /// The stops departures are listed for: the stop itself, or the station's platforms.
    public var platforms: [GTFSFeed.Stop]
    public var events: [Event]
    public var services: [String: Service]
    public var frequencies: [String: [GTFSFeed.Frequency]]
    public var routes: [String: GTFSFeed.Route]
    /// Agency IDs of the routes (for alerts on a whole agency).
    public var agencyIDs: Set<String>
    /// Every stop of some of the trips calling here, in `stop_sequence` order: what realtime needs to place a
    /// StopTimeUpdate that names its stop only by `stop_id`. Filled for the trips that need it
    /// (``StopPageService`` asks ``TransitStore/tripStops(feedID:version:tripIDs:)``); a trip missing here is
    /// matched by `stop_sequence`, or by `stop_id` at this stop only.
    public var tripStops: [String: [TripStop]]

    public init(
        feedID: String, version: Int64, timezone: String, validFrom: String, validTo: String, stop: GTFSFeed.Stop,
        platforms: [GTFSFeed.Stop], events: [Event], services: [String: Service],
        frequencies: [String: [GTFSFeed.Frequency]], routes: [String: GTFSFeed.Route], agencyIDs: Set<String> = [],
        tripStops: [String: [TripStop]] = [:]
    ) {
        self.feedID = feedID
        self.version = version
        self.timezone = timezone
        self.validFrom = validFrom
        self.validTo = validTo
        self.stop = stop
        self.platforms = platforms
        self.events = events
        self.services = services
        self.frequencies = frequencies
        self.routes = routes
        self.agencyIDs = agencyIDs
        self.tripStops = tripStops
    }

    /// One stop of a trip (times in seconds from the service day's noon minus 12 h, as in stop_times.txt).
    public struct TripStop: Sendable, Equatable {
        public var stopSequence: Int
        public var stopID: String
        public var arrival: Int
        public var departure: Int

        public init(stopSequence: Int, stopID: String, arrival: Int, departure: Int) {
            self.stopSequence = stopSequence
            self.stopID = stopID
            self.arrival = arrival
            self.departure = departure
        }
    }

    /// A trip calling at one of the platforms.
    public struct Event: Sendable, Equatable {
        public var tripID: String
        public var routeID: String
        public var serviceID: String
        public var headsign: String
        public var stopID: String
        public var stopSequence: Int
        public var arrival: Int
        public var departure: Int
        public var pickupType: Int
        public var isLast: Bool
        public var tripStart: Int

        public init(
            tripID: String, routeID: String, serviceID: String, headsign: String, stopID: String, stopSequence: Int,
            arrival: Int, departure: Int, pickupType: Int = 0, isLast: Bool = false, tripStart: Int
        ) {
            self.tripID = tripID
            self.routeID = routeID
            self.serviceID = serviceID
            self.headsign = headsign
            self.stopID = stopID
            self.stopSequence = stopSequence
            self.arrival = arrival
            self.departure = departure
            self.pickupType = pickupType
            self.isLast = isLast
            self.tripStart = tripStart
        }
    }

    /// When a service runs: calendar.txt's weekdays and span, then calendar_dates.txt's exceptions.
    public struct Service: Sendable, Equatable {
        /// Monday first; nil when the service is only in calendar_dates.txt.
        public var days: [Bool]?
        public var startDate: String
        public var endDate: String
        public var added: Set<String>
        public var removed: Set<String>

        public init(days: [Bool]?, startDate: String = "", endDate: String = "", added: Set<String> = [], removed: Set<String> = []) {
            self.days = days
            self.startDate = startDate
            self.endDate = endDate
            self.added = added
            self.removed = removed
        }

        /// `date` is `YYYYMMDD`, `weekday` 0 = Monday … 6 = Sunday.
        public func runs(on date: String, weekday: Int) -> Bool {
            if added.contains(date) { return true }
            if removed.contains(date) { return false }
            guard let days else { return false }
            return days[weekday] && startDate <= date && date <= endDate
        }
    }

    /// Builds the services from the rows of calendar.txt and calendar_dates.txt.
    public static func services(
        calendars: [GTFSFeed.Calendar], dates: [GTFSFeed.CalendarDate]
    ) -> [String: Service] {
        var out: [String: Service] = [:]
        for c in calendars { out[c.serviceID] = Service(days: c.days, startDate: c.startDate, endDate: c.endDate) }
        for d in dates {
            var service = out[d.serviceID] ?? Service(days: nil)
            if d.exceptionType == 1 { service.added.insert(d.date) } else { service.removed.insert(d.date) }
            out[d.serviceID] = service
        }
        return out
    }
}
