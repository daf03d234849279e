public import Foundation
import SwiftProtobuf

extension ServiceAlert {
    /// A GTFS-Realtime `FeedMessage` (version 2.0, full dataset) holding `alerts`: what a journey planner
    /// polls. Effect and cause names that are not in the .proto become `UNKNOWN_EFFECT`/`UNKNOWN_CAUSE`.
    public static func feedMessage(_ alerts: [ServiceAlert], timestamp: Date) throws -> Data {
        var message = TransitRealtime_FeedMessage()
        message.header.gtfsRealtimeVersion = "2.0"
        message.header.incrementality = .fullDataset
        message.header.timestamp = UInt64(max(0, timestamp.timeIntervalSince1970.rounded(.down)))
        message.entity = alerts.map { alert in
            var entity = TransitRealtime_FeedEntity()
            entity.id = alert.id
            entity.alert = alert.protobuf
            return entity
        }
        return try message.serializedData()
    }

    var protobuf: TransitRealtime_Alert {
        func translated(_ texts: [String: String]) -> TransitRealtime_TranslatedString {
            var out = TransitRealtime_TranslatedString()
            out.translation = texts.sorted { $0.key < $1.key }.map { language, text in
                var translation = TransitRealtime_TranslatedString.Translation()
                translation.text = text
                if !language.isEmpty { translation.language = language }
                return translation
            }
            return out
        }
        var alert = TransitRealtime_Alert()
        alert.activePeriod = activePeriods.map { period in
            var range = TransitRealtime_TimeRange()
            if let start = period.start { range.start = UInt64(max(0, start.timeIntervalSince1970.rounded(.down))) }
            if let end = period.end { range.end = UInt64(max(0, end.timeIntervalSince1970.rounded(.up))) }
            return range
        }
        alert.informedEntity = informed.map { selector in
            var entity = TransitRealtime_EntitySelector()
            if let agency = selector.agencyID { entity.agencyID = agency }
            if let route = selector.routeID { entity.routeID = route }
            if let stop = selector.stopID { entity.stopID = stop }
            if let trip = selector.tripID { entity.trip.tripID = trip }
            return entity
        }
        alert.cause = TransitRealtime_Alert.Cause.allCases.first { RealtimeSnapshot.protoName($0) == cause } ?? .unknownCause
        alert.effect = TransitRealtime_Alert.Effect.allCases.first { RealtimeSnapshot.protoName($0) == effect } ?? .unknownEffect
        if !header.isEmpty { alert.headerText = translated(header) }
        if !description.isEmpty { alert.descriptionText = translated(description) }
        if !url.isEmpty { alert.url = translated(url) }
        return alert
    }
}
