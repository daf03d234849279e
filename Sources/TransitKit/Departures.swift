public import Foundation

/// One departure from a stop, scheduled and (with GTFS-Realtime) expected.
public struct Departure: Sendable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// From the timetable only.
        case scheduled
        /// A fresh realtime prediction.
        case live
        /// The trip is cancelled (shown struck through).
        case cancelled
        /// The trip runs but does not stop here.
        case skipped
    }

    public var tripID: String
    public var routeID: String
    public var headsign: String
    public var stopID: String
    public var stopSequence: Int
    /// Service day `YYYYMMDD` (GTFS-RT `start_date`).
    public var serviceDate: String
    /// The trip's start time `HH:MM:SS` on its service day (GTFS-RT `start_time` of frequency trips).
    public var startTime: String
    public var scheduled: Date
    public var expected: Date
    public var status: Status
    /// Frequency-based (`exact_times` 0): the bus comes about every `headway` seconds, times are indicative.
    public var headway: Int?
}

/// The departures board of one stop at one moment.
public struct DepartureBoard: Sendable {
    public var feedID: String
    public var stop: GTFSFeed.Stop
    public var timezone: TimeZone
    public var computedAt: Date
    public var departures: [Departure]
    public var routes: [String: GTFSFeed.Route]
    /// `now` is after the feed's last service day: the page says the timetable has expired.
    public var expired: Bool
    /// `now` is before the feed's first service day.
    public var notYetValid: Bool
    public var validFrom: String
    public var validTo: String
    /// Realtime trip updates were applied (fresh, less than the staleness limit old).
    public var realtime: Bool
    public var alerts: [ServiceAlert]
}

/// The departures engine: pure functions of a ``StopTimetable`` and a clock.
///
/// Times in GTFS count from "noon minus 12 h" of the service day in the agency timezone (midnight, except on
/// daylight-saving change days, where it is 23:00 or 01:00), and may pass 24:00:00 — so the trips of
/// yesterday's service day are looked at too.
public enum Departures {
    /// Departures from `now` to `now + horizon` seconds, earliest first, at most `limit`.
    public static func board(
        _ timetable: StopTimetable, at now: Date, horizon: Int = 3 * 3600, limit: Int = 60
    ) -> DepartureBoard {
        let zone = TimeZone(identifier: timetable.timezone) ?? .gmt
        var calendar = Foundation.Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let end = now.addingTimeInterval(TimeInterval(horizon))
        let today = ServiceDay(containing: now, calendar: calendar)
        var departures: [Departure] = []
        for offset in -1...1 {
            let day = today.adding(days: offset, calendar: calendar)
            let running = timetable.services.filter { $0.value.runs(on: day.date, weekday: day.weekday) }
            if running.isEmpty { continue }
            for event in timetable.events where running[event.serviceID] != nil {
                guard event.pickupType != 1, !event.isLast else { continue }
                if let frequencies = timetable.frequencies[event.tripID] {
                    for frequency in frequencies {
                        var start = frequency.startTime
                        while start < frequency.endTime {
                            let at = day.instant(start + event.departure - event.tripStart)
                            if at >= now && at <= end {
                                departures.append(departure(
                                    event, day: day, start: start, at: at,
                                    headway: frequency.exactTimes == 0 ? frequency.headway : nil))
                            }
                            start += frequency.headway
                        }
                    }
                } else {
                    let at = day.instant(event.departure)
                    if at >= now && at <= end {
                        departures.append(departure(event, day: day, start: event.tripStart, at: at, headway: nil))
                    }
                }
            }
        }
        departures.sort { ($0.scheduled, $0.routeID, $0.tripID) < ($1.scheduled, $1.routeID, $1.tripID) }
        let todayDate = today.date
        return DepartureBoard(
            feedID: timetable.feedID, stop: timetable.stop, timezone: zone, computedAt: now,
            departures: Array(departures.prefix(limit)), routes: timetable.routes,
            expired: !timetable.validTo.isEmpty && todayDate > timetable.validTo,
            notYetValid: !timetable.validFrom.isEmpty && todayDate < timetable.validFrom,
            validFrom: timetable.validFrom, validTo: timetable.validTo, realtime: false, alerts: [])
    }

    private static func departure(
        _ event: StopTimetable.Event, day: ServiceDay, start: Int, at: Date, headway: Int?
    ) -> Departure {
        Departure(
            tripID: event.tripID, routeID: event.routeID, headsign: event.headsign, stopID: event.stopID,
            stopSequence: event.stopSequence, serviceDate: day.date, startTime: GTFSTime.format(start),
            scheduled: at, expected: at, status: .scheduled, headway: headway)
    }
}

/// A service day: its date and the instant its times count from (noon minus 12 h, local).
public struct ServiceDay: Sendable, Equatable {
    /// `YYYYMMDD`.
    public var date: String
    /// 0 = Monday … 6 = Sunday.
    public var weekday: Int
    public var origin: Date
    var year: Int, month: Int, day: Int

    /// The service day whose calendar date is the local date of `instant`.
    public init(containing instant: Date, calendar: Foundation.Calendar) {
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        self.init(year: parts.year!, month: parts.month!, day: parts.day!, calendar: calendar)
    }

    public init(year: Int, month: Int, day: Int, calendar: Foundation.Calendar) {
        let noon = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
        let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: noon)
        self.year = parts.year!
        self.month = parts.month!
        self.day = parts.day!
        date = String(format: "%04d%02d%02d", self.year, self.month, self.day)
        weekday = (parts.weekday! + 5) % 7
        origin = noon.addingTimeInterval(-12 * 3600)
    }

    public func adding(days: Int, calendar: Foundation.Calendar) -> ServiceDay {
        ServiceDay(year: year, month: month, day: day + days, calendar: calendar)
    }

    public func instant(_ seconds: Int) -> Date { origin.addingTimeInterval(TimeInterval(seconds)) }
}
