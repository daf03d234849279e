public import Foundation

extension DepartureBoard {
    /// The board as JSON for scripts and `Accept: application/json`: times in ISO 8601 with the agency's
    /// UTC offset (e.g. `2026-06-01T08:05:00-04:00`), snake_case keys.
    public struct JSONView: Codable, Sendable, Equatable {
        public var feed: String
        public var stopID: String
        public var stopName: String
        public var timezone: String
        public var computedAt: String
        /// `valid`, `expired` or `not_yet_valid`.
        public var timetable: String
        public var validFrom: String
        public var validTo: String
        public var realtime: Bool
        public var departures: [Item]
        public var alerts: [Alert]

        enum CodingKeys: String, CodingKey {
            case feed, timezone, timetable, realtime, departures, alerts
            case stopID = "stop_id", stopName = "stop_name", computedAt = "computed_at", validFrom = "valid_from"
            case validTo = "valid_to"
        }

        public struct Item: Codable, Sendable, Equatable {
            public var tripID: String
            public var routeID: String
            public var route: String
            public var routeColor: String
            public var routeTextColor: String
            public var headsign: String
            public var stopID: String
            public var scheduled: String
            public var expected: String
            public var status: Departure.Status
            public var minutes: Int
            public var headwaySecs: Int?

            enum CodingKeys: String, CodingKey {
                case route, headsign, scheduled, expected, status, minutes
                case tripID = "trip_id", routeID = "route_id", routeColor = "route_color"
                case routeTextColor = "route_text_color", stopID = "stop_id", headwaySecs = "headway_secs"
            }
        }

        public struct Alert: Codable, Sendable, Equatable {
            public var id: String
            public var header: String
            public var description: String
            public var effect: String
            public var cause: String
        }
    }

    public func jsonView(language: String = "en") -> JSONView {
        let format = ISO8601DateFormatter()
        format.timeZone = timezone
        format.formatOptions = [.withInternetDateTime]
        let state = expired ? "expired" : notYetValid ? "not_yet_valid" : "valid"
        return JSONView(
            feed: feedID, stopID: stop.id, stopName: stop.name, timezone: timezone.identifier,
            computedAt: format.string(from: computedAt), timetable: state, validFrom: Self.dashed(validFrom),
            validTo: Self.dashed(validTo), realtime: realtime,
            departures: departures.map { d in
                let route = routes[d.routeID]
                return JSONView.Item(
                    tripID: d.tripID, routeID: d.routeID, route: route.map(Self.routeName) ?? d.routeID,
                    routeColor: route?.color ?? "", routeTextColor: route?.textColor ?? "", headsign: d.headsign,
                    stopID: d.stopID, scheduled: format.string(from: d.scheduled), expected: format.string(from: d.expected),
                    status: d.status, minutes: minutes(until: d.expected), headwaySecs: d.headway)
            },
            alerts: alerts.map {
                JSONView.Alert(
                    id: $0.id, header: ServiceAlert.text($0.header, language: language),
                    description: ServiceAlert.text($0.description, language: language), effect: $0.effect, cause: $0.cause)
            })
    }

    /// Whole minutes from ``computedAt`` to `date`, rounded down, never negative.
    public func minutes(until date: Date) -> Int { max(0, Int(date.timeIntervalSince(computedAt) / 60)) }

    public static func routeName(_ route: GTFSFeed.Route) -> String {
        route.shortName.isEmpty ? route.longName : route.shortName
    }

    /// A GTFS date `YYYYMMDD` as ISO 8601 `YYYY-MM-DD`; anything else unchanged.
    public static func dashed(_ date: String) -> String {
        guard date.count == 8 else { return date }
        let chars = Array(date)
        return String(chars[0..<4]) + "-" + String(chars[4..<6]) + "-" + String(chars[6..<8])
    }

    public static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
