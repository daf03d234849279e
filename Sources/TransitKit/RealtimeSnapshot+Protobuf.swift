import Foundation
import SwiftProtobuf

/// GTFS-Realtime protobuf (``TransitRealtime_FeedMessage``, generated from gtfs-realtime.proto) → plain values.
extension RealtimeSnapshot {
    /// Decodes one FeedMessage: its trip updates and alerts (vehicle positions are ignored).
    /// - Throws: ``RealtimeError`` when the bytes are not a FeedMessage.
    public init(protobuf bytes: [UInt8]) throws {
        let message: TransitRealtime_FeedMessage
        do {
            message = try TransitRealtime_FeedMessage(serializedBytes: bytes)
        } catch {
            throw RealtimeError("not a GTFS-Realtime FeedMessage (\(error))")
        }
        self.init()
        if message.header.hasTimestamp {
            tripUpdatesTimestamp = Date(timeIntervalSince1970: TimeInterval(message.header.timestamp))
        }
        for entity in message.entity where !entity.isDeleted {
            if entity.hasTripUpdate { tripUpdates.append(Self.tripUpdate(entity.tripUpdate)) }
            if entity.hasAlert { alerts.append(Self.alert(entity.id, entity.alert)) }
        }
    }

    static func tripUpdate(_ u: TransitRealtime_TripUpdate) -> RealtimeTripUpdate {
        let relationship: RealtimeTripUpdate.Relationship = switch u.trip.scheduleRelationship {
        case .scheduled: .scheduled
        case .added: .added
        case .unscheduled: .unscheduled
        case .canceled: .canceled
        case .replacement: .replacement
        case .duplicated: .duplicated
        case .deleted: .deleted
        default: .scheduled
        }
        return RealtimeTripUpdate(
            tripID: u.trip.tripID, routeID: u.trip.routeID, startDate: u.trip.startDate, startTime: u.trip.startTime,
            relationship: relationship, delay: u.hasDelay ? Int(u.delay) : nil,
            timestamp: u.hasTimestamp ? Date(timeIntervalSince1970: TimeInterval(u.timestamp)) : nil,
            stopUpdates: u.stopTimeUpdate.map { s in
                let relationship: RealtimeTripUpdate.StopUpdate.Relationship = switch s.scheduleRelationship {
                case .skipped: .skipped
                case .noData: .noData
                default: .scheduled
                }
                return RealtimeTripUpdate.StopUpdate(
                    stopSequence: s.hasStopSequence ? Int(s.stopSequence) : nil, stopID: s.hasStopID ? s.stopID : nil,
                    arrivalDelay: s.hasArrival && s.arrival.hasDelay ? Int(s.arrival.delay) : nil,
                    arrivalTime: s.hasArrival && s.arrival.hasTime ? Date(timeIntervalSince1970: TimeInterval(s.arrival.time)) : nil,
                    departureDelay: s.hasDeparture && s.departure.hasDelay ? Int(s.departure.delay) : nil,
                    departureTime: s.hasDeparture && s.departure.hasTime
                        ? Date(timeIntervalSince1970: TimeInterval(s.departure.time)) : nil,
                    relationship: relationship)
            })
    }

    static func alert(_ id: String, _ a: TransitRealtime_Alert) -> ServiceAlert {
        func texts(_ t: TransitRealtime_TranslatedString) -> [String: String] {
            var out: [String: String] = [:]
            for translation in t.translation { out[translation.language.lowercased()] = translation.text }
            return out
        }
        return ServiceAlert(
            id: id, header: texts(a.headerText), description: texts(a.descriptionText), url: texts(a.url),
            effect: a.hasEffect ? protoName(a.effect) : "UNKNOWN_EFFECT",
            cause: a.hasCause ? protoName(a.cause) : "UNKNOWN_CAUSE",
            activePeriods: a.activePeriod.map {
                ServiceAlert.Period(
                    start: $0.hasStart ? Date(timeIntervalSince1970: TimeInterval($0.start)) : nil,
                    end: $0.hasEnd ? Date(timeIntervalSince1970: TimeInterval($0.end)) : nil)
            },
            informed: a.informedEntity.map { e in
                ServiceAlert.Informed(
                    agencyID: e.hasAgencyID ? e.agencyID : nil, routeID: e.hasRouteID ? e.routeID : nil,
                    stopID: e.hasStopID ? e.stopID : nil, tripID: e.hasTrip && e.trip.hasTripID ? e.trip.tripID : nil)
            })
    }

    /// `noService` → `NO_SERVICE`, the name in the .proto.
    static func protoName(_ value: some Enum) -> String {
        var out = ""
        for character in String(describing: value) {
            if character.isUppercase { out += "_" }
            out += character.uppercased()
        }
        return out
    }
}

/// A realtime source that could not be read or decoded; the previous snapshot stays in use.
public struct RealtimeError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
