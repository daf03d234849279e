import Foundation

/// Turns the rows a store read into a ``StopTimetable``: one place for every store (and for a feed in
/// memory, ``StopTimetable/init(feed:feedID:stopID:)``).
public struct TimetableAssembly {
    public var version: FeedVersion
    public var stop: GTFSFeed.Stop
    public var platforms: [GTFSFeed.Stop]
    public var events: [StopTimetable.Event]
    public var calendars: [GTFSFeed.Calendar]
    public var calendarDates: [GTFSFeed.CalendarDate]
    public var frequencies: [GTFSFeed.Frequency]
    public var routes: [GTFSFeed.Route]

    public init(
        version: FeedVersion, stop: GTFSFeed.Stop, platforms: [GTFSFeed.Stop], events: [StopTimetable.Event],
        calendars: [GTFSFeed.Calendar], calendarDates: [GTFSFeed.CalendarDate], frequencies: [GTFSFeed.Frequency],
        routes: [GTFSFeed.Route]
    ) {
        self.version = version
        self.stop = stop
        self.platforms = platforms
        self.events = events
        self.calendars = calendars
        self.calendarDates = calendarDates
        self.frequencies = frequencies
        self.routes = routes
    }

    public func timetable() -> StopTimetable {
        let tripIDs = Set(events.map(\.tripID))
        var byTrip: [String: [GTFSFeed.Frequency]] = [:]
        for f in frequencies where tripIDs.contains(f.tripID) { byTrip[f.tripID, default: []].append(f) }
        return StopTimetable(
            feedID: version.feedID, version: version.version, timezone: version.timezone, validFrom: version.validFrom,
            validTo: version.validTo, stop: stop, platforms: platforms, events: events,
            services: StopTimetable.services(calendars: calendars, dates: calendarDates), frequencies: byTrip,
            routes: Dictionary(routes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
            agencyIDs: Set(routes.map(\.agencyID)))
    }

    /// `gtfs_calendar.days` (`1111100`, Monday first) as flags; anything malformed runs on no day.
    public static func days(_ text: String) -> [Bool] {
        let flags = text.map { $0 == "1" }
        return flags.count == 7 ? flags : Array(repeating: false, count: 7)
    }
}

extension StopTimetable {
    /// The timetable of `stopID` straight from a feed in memory: what the stores return after an import, plus
    /// the stop lists of its trips (``tripStops``), which the stores leave to ``StopPageService`` to read
    /// on demand (only for trips with realtime stop updates).
    public init?(feed: GTFSFeed, feedID: String, stopID: String) {
        guard let stop = feed.stops.first(where: { $0.id == stopID }) else { return nil }
        let platforms = stop.locationType == 1
            ? feed.stops.filter { $0.parentStation == stopID && $0.locationType == 0 }.sorted { $0.id < $1.id }
            : [stop]
        let ids = Set(platforms.map(\.id))
        let trips = Dictionary(feed.trips.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let calling = feed.stopTimes.filter { ids.contains($0.stopID) }
        let tripIDs = Set(calling.map(\.tripID))
        var tripStops: [String: [TripStop]] = [:]
        for st in feed.stopTimes where tripIDs.contains(st.tripID) {
            tripStops[st.tripID, default: []].append(
                TripStop(stopSequence: st.stopSequence, stopID: st.stopID, arrival: st.arrival, departure: st.departure))
        }
        let events = calling.compactMap { st -> Event? in
            guard let trip = trips[st.tripID] else { return nil }
            return Event(
                tripID: st.tripID, routeID: trip.routeID, serviceID: trip.serviceID,
                headsign: st.stopHeadsign.isEmpty ? trip.headsign : st.stopHeadsign, stopID: st.stopID,
                stopSequence: st.stopSequence, arrival: st.arrival, departure: st.departure, pickupType: st.pickupType,
                isLast: st.isLast, tripStart: st.tripStart)
        }
        let validity = feed.validity
        let version = FeedVersion(
            feedID: feedID, version: 0, importedAt: Date(timeIntervalSince1970: 0), source: "", timezone: feed.timezone,
            validFrom: validity.from, validTo: validity.to, stops: feed.stops.count, trips: feed.trips.count,
            stopTimes: feed.stopTimes.count)
        self = TimetableAssembly(
            version: version, stop: stop, platforms: platforms, events: events, calendars: feed.calendars,
            calendarDates: feed.calendarDates, frequencies: feed.frequencies, routes: feed.routes
        ).timetable()
        self.tripStops = tripStops.mapValues { $0.sorted { $0.stopSequence < $1.stopSequence } }
    }
}
