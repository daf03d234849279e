import Foundation
@testable import TagResolver
@testable import TransitKit
import ServerTestSupport
import TagTestSupport

/// GTFS-Realtime TripUpdates built in Swift with the generated types (the same wire format the Python
/// bindings write; ``RealtimeTests`` covers those).
enum RealtimeFixture {
    struct Stop {
        var sequence: UInt32?
        var stopID: String?
        var departureDelay: Int32?
        var departureTime: Date?
        var skipped = false
        var noData = false
    }

    struct Trip {
        var tripID: String
        var startDate = "20260601"
        var canceled = false
        var stops: [Stop] = []
    }

    static func feed(timestamp: Date, trips: [Trip]) throws -> [UInt8] {
        var message = TransitRealtime_FeedMessage()
        message.header.gtfsRealtimeVersion = "2.0"
        message.header.timestamp = UInt64(timestamp.timeIntervalSince1970)
        for (index, trip) in trips.enumerated() {
            var entity = TransitRealtime_FeedEntity()
            entity.id = "e\(index)"
            entity.tripUpdate.trip.tripID = trip.tripID
            entity.tripUpdate.trip.startDate = trip.startDate
            if trip.canceled { entity.tripUpdate.trip.scheduleRelationship = .canceled }
            entity.tripUpdate.stopTimeUpdate = trip.stops.map { stop in
                var update = TransitRealtime_TripUpdate.StopTimeUpdate()
                if let sequence = stop.sequence { update.stopSequence = sequence }
                if let stopID = stop.stopID { update.stopID = stopID }
                if let delay = stop.departureDelay { update.departure.delay = delay }
                if let time = stop.departureTime { update.departure.time = Int64(time.timeIntervalSince1970) }
                if stop.skipped { update.scheduleRelationship = .skipped }
                if stop.noData { update.scheduleRelationship = .noData }
                return update
            }
            message.entity.append(entity)
        }
        return try message.serializedBytes()
    }

    /// Decoded the way the poller decodes it.
    static func snapshot(timestamp: Date, trips: [Trip]) throws -> RealtimeSnapshot {
        try RealtimeSnapshot(protobuf: feed(timestamp: timestamp, trips: trips))
    }
}
