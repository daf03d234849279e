public import Foundation

/// The latest GTFS-Realtime data, decoded from protobuf (``RealtimeSnapshot/init(tripUpdates:alerts:receivedAt:)``)
/// into plain values the departures engine understands.
public struct RealtimeSnapshot: Sendable, Equatable {
    /// The TripUpdates feed header's timestamp (when the producer made it).
    public var tripUpdatesTimestamp: Date?
    public var tripUpdates: [RealtimeTripUpdate]
    public var alerts: [ServiceAlert]

    public init(tripUpdatesTimestamp: Date? = nil, tripUpdates: [RealtimeTripUpdate] = [], alerts: [ServiceAlert] = []) {
        self.tripUpdatesTimestamp = tripUpdatesTimestamp
        self.tripUpdates = tripUpdates
        self.alerts = alerts
    }
}

public struct RealtimeTripUpdate: Sendable, Equatable {
    /// GTFS-RT `TripDescriptor.ScheduleRelationship`.
    public enum Relationship: String, Sendable {
        case scheduled, added, unscheduled, canceled, replacement, duplicated, deleted
    }

    public var tripID: String
    public var routeID: String
    /// `YYYYMMDD`; empty matches any service day.
    public var startDate: String
    /// `HH:MM:SS`; identifies a run of a frequency-based trip.
    public var startTime: String
    public var relationship: Relationship
    /// Trip-level delay in seconds, used when no stop update applies.
    public var delay: Int?
    public var timestamp: Date?
    public var stopUpdates: [StopUpdate]

    public init(
        tripID: String, routeID: String = "", startDate: String = "", startTime: String = "",
        relationship: Relationship = .scheduled, delay: Int? = nil, timestamp: Date? = nil, stopUpdates: [StopUpdate] = []
    ) {
        self.tripID = tripID
        self.routeID = routeID
        self.startDate = startDate
        self.startTime = startTime
        self.relationship = relationship
        self.delay = delay
        self.timestamp = timestamp
        self.stopUpdates = stopUpdates
    }

    public struct StopUpdate: Sendable, Equatable {
        public enum Relationship: String, Sendable { case scheduled, skipped, noData = "no_data" }

        public var stopSequence: Int?
        public var stopID: String?
        public var arrivalDelay: Int?
        public var arrivalTime: Date?
        public var departureDelay: Int?
        public var departureTime: Date?
        public var relationship: Relationship

        public init(
            stopSequence: Int? = nil, stopID: String? = nil, arrivalDelay: Int? = nil, arrivalTime: Date? = nil,
            departureDelay: Int? = nil, departureTime: Date? = nil, relationship: Relationship = .scheduled
        ) {
            self.stopSequence = stopSequence
            self.stopID = stopID
            self.arrivalDelay = arrivalDelay
            self.arrivalTime = arrivalTime
            self.departureDelay = departureDelay
            self.departureTime = departureTime
            self.relationship = relationship
        }

        /// The delay this update carries forward to later stops (departure first).
        var propagatedDelay: Int? { departureDelay ?? arrivalDelay }
    }
}
