/// One GTFS static feed in memory, as read from its zip by ``GTFSReader`` — only the files departures need.
/// Times are seconds after the service day's "noon minus 12 h" (they may pass 24:00:00); dates are
/// `YYYYMMDD` strings, as in the files.
public struct GTFSFeed: Sendable {
    public var agencies: [Agency] = []
    public var stops: [Stop] = []
    public var routes: [Route] = []
    public var trips: [Trip] = []
    /// Every stop time with blank times filled in (``StopTime/interpolated`` tells which).
    public var stopTimes: [StopTime] = []
    public var calendars: [Calendar] = []
    public var calendarDates: [CalendarDate] = []
    public var frequencies: [Frequency] = []
    public var feedInfo: FeedInfo?

    public init() {}

    public struct Agency: Sendable, Equatable {
        public var id: String
        public var name: String
        public var url: String
        public var timezone: String
        public var lang: String
    }

    public struct Stop: Sendable, Equatable, Codable {
        public var id: String
        public var code: String
        public var name: String
        public var lat: Double?
        public var lon: Double?
        /// 0 stop/platform, 1 station, 2 entrance, 3 generic node, 4 boarding area.
        public var locationType: Int
        public var parentStation: String
        public var platformCode: String

        public init(
            id: String, code: String = "", name: String, lat: Double? = nil, lon: Double? = nil, locationType: Int = 0,
            parentStation: String = "", platformCode: String = ""
        ) {
            self.id = id
            self.code = code
            self.name = name
            self.lat = lat
            self.lon = lon
            self.locationType = locationType
            self.parentStation = parentStation
            self.platformCode = platformCode
        }
    }

    public struct Route: Sendable, Equatable, Codable {
        public var id: String
        public var agencyID: String
        public var shortName: String
        public var longName: String
        public var type: Int
        /// Six hex digits without `#`, or empty.
        public var color: String
        public var textColor: String

        public init(
            id: String, agencyID: String = "", shortName: String, longName: String = "", type: Int = 3, color: String = "",
            textColor: String = ""
        ) {
            self.id = id
            self.agencyID = agencyID
            self.shortName = shortName
            self.longName = longName
            self.type = type
            self.color = color
            self.textColor = textColor
        }
    }

    public struct Trip: Sendable, Equatable {
        public var id: String
        public var routeID: String
        public var serviceID: String
        public var headsign: String
        public var shortName: String
        public var directionID: Int?
    }

    public struct StopTime: Sendable, Equatable {
        public var tripID: String
        public var stopSequence: Int
        public var stopID: String
        public var arrival: Int
        public var departure: Int
        public var stopHeadsign: String
        /// 0 regular, 1 none, 2 phone agency, 3 ask the driver.
        public var pickupType: Int
        public var dropOffType: Int
        /// The time was blank in the file and is interpolated between the timepoints around it.
        public var interpolated: Bool
        /// The trip's last stop: nobody boards there, so it is not a departure.
        public var isLast: Bool
        /// The trip's first departure; frequency-based trips shift every time by (start − tripStart).
        public var tripStart: Int
    }

    public struct Calendar: Sendable, Equatable {
        public var serviceID: String
        /// Monday first.
        public var days: [Bool]
        public var startDate: String
        public var endDate: String

        public init(serviceID: String, days: [Bool], startDate: String, endDate: String) {
            self.serviceID = serviceID
            self.days = days
            self.startDate = startDate
            self.endDate = endDate
        }
    }

    public struct CalendarDate: Sendable, Equatable {
        public var serviceID: String
        public var date: String
        /// 1 added, 2 removed.
        public var exceptionType: Int

        public init(serviceID: String, date: String, exceptionType: Int) {
            self.serviceID = serviceID
            self.date = date
            self.exceptionType = exceptionType
        }
    }

    public struct Frequency: Sendable, Equatable {
        public var tripID: String
        public var startTime: Int
        public var endTime: Int
        public var headway: Int
        /// 0: trips about every `headway` seconds (frequency-based); 1: exactly scheduled.
        public var exactTimes: Int

        public init(tripID: String, startTime: Int, endTime: Int, headway: Int, exactTimes: Int) {
            self.tripID = tripID
            self.startTime = startTime
            self.endTime = endTime
            self.headway = headway
            self.exactTimes = exactTimes
        }
    }

    public struct FeedInfo: Sendable, Equatable {
        public var publisherName: String
        public var lang: String
        public var startDate: String
        public var endDate: String
        public var version: String
    }

    /// The agencies' timezone (GTFS requires all agencies of a feed to share it).
    public var timezone: String { agencies.first?.timezone ?? "UTC" }

    /// First and last day of service: `feed_info` dates when given, else the calendars' span.
    public var validity: (from: String, to: String) {
        if let info = feedInfo, !info.startDate.isEmpty, !info.endDate.isEmpty { return (info.startDate, info.endDate) }
        let starts = calendars.map(\.startDate) + calendarDates.filter { $0.exceptionType == 1 }.map(\.date)
        let ends = calendars.map(\.endDate) + calendarDates.filter { $0.exceptionType == 1 }.map(\.date)
        return (starts.min() ?? "", ends.max() ?? "")
    }
}

/// GTFS times: `H:MM:SS` or `HH:MM:SS`, hours may pass 24.
public enum GTFSTime {
    /// Seconds, or nil when `text` is not a valid time (minutes and seconds must be below 60).
    public static func seconds(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, (1...3).contains(parts[0].count), parts[1].count == 2, parts[2].count == 2,
              let h = Int(parts[0]), let m = Int(parts[1]), let s = Int(parts[2]),
              h >= 0, (0..<60).contains(m), (0..<60).contains(s)
        else { return nil }
        return h * 3600 + m * 60 + s
    }

    public static func format(_ seconds: Int) -> String {
        let h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m):" + (s < 10 ? "0" : "") + "\(s)"
    }
}
