public import Foundation

/// Realtime on top of the timetable: trip updates (when fresh) and alerts.
extension Departures {
    /// Trip updates older than this count as absent: the page says "scheduled times".
    public static let staleAfter: TimeInterval = 90

    /// ``board(_:at:horizon:limit:)`` with `realtime` applied.
    ///
    /// Matching: a trip update applies to a departure with the same `trip_id` and service day (`start_date`,
    /// empty matches any), and for frequency-based trips the same `start_time`. Each StopTimeUpdate is placed
    /// in the trip by its `stop_sequence`, else by its `stop_id` in ``StopTimetable/tripStops`` (a stop the
    /// trip visits twice cannot be placed by `stop_id`: the GTFS-RT reference requires `stop_sequence` there).
    /// At the stop: the update placed there; else, per the reference, the delay of the closest earlier update
    /// propagates ("until the next StopTimeUpdate"), passing over `SKIPPED` stops and stopped by `NO_DATA`;
    /// an earlier update with an absolute time gives its delay against that stop's scheduled time; else the
    /// trip-level delay.
    public static func board(
        _ timetable: StopTimetable, at now: Date, realtime: RealtimeSnapshot?, horizon: Int = 3 * 3600, limit: Int = 60
    ) -> DepartureBoard {
        var board = board(timetable, at: now, horizon: horizon, limit: limit * 2)
        guard let realtime else {
            board.departures = Array(board.departures.prefix(limit))
            return board
        }
        let stops = Set(timetable.platforms.map(\.id)).union([timetable.stop.id])
        let fresh = realtime.tripUpdatesTimestamp.map { now.timeIntervalSince($0) <= staleAfter } ?? false
        if fresh && !realtime.tripUpdates.isEmpty {
            board.realtime = true
            var updates: [String: [RealtimeTripUpdate]] = [:]
            for update in realtime.tripUpdates { updates[update.tripID, default: []].append(update) }
            for i in board.departures.indices {
                let d = board.departures[i]
                guard let update = updates[d.tripID]?.first(where: {
                    ($0.startDate.isEmpty || $0.startDate == d.serviceDate)
                        && (d.headway == nil && timetable.frequencies[d.tripID] == nil || $0.startTime == d.startTime)
                }) else { continue }
                apply(update, to: &board.departures[i], tripStops: timetable.tripStops[d.tripID])
            }
            board.departures += added(realtime.tripUpdates, stops: stops, timetable: timetable, now: now, horizon: horizon)
            board.departures.removeAll { $0.status != .cancelled && $0.status != .skipped && $0.expected < now }
            board.departures.sort { ($0.expected, $0.routeID, $0.tripID) < ($1.expected, $1.routeID, $1.tripID) }
        }
        board.departures = Array(board.departures.prefix(limit))
        let routes = Set(timetable.events.map(\.routeID))
        let trips = Set(board.departures.map(\.tripID))
        board.alerts = realtime.alerts.filter { alert in
            alert.isActive(at: now) && alert.informed.contains { e in
                guard e.agencyID != nil || e.routeID != nil || e.stopID != nil || e.tripID != nil else { return false }
                return (e.agencyID.map { timetable.agencyIDs.contains($0) || timetable.agencyIDs.contains("") } ?? true)
                    && (e.routeID.map(routes.contains) ?? true)
                    && (e.stopID.map(stops.contains) ?? true)
                    && (e.tripID.map(trips.contains) ?? true)
            }
        }
        return board
    }

    static func apply(_ update: RealtimeTripUpdate, to departure: inout Departure, tripStops: [StopTimetable.TripStop]?) {
        switch update.relationship {
        case .canceled, .deleted:
            departure.status = .cancelled
            return
        default: break
        }
        let placed = update.stopUpdates.compactMap { u in
            position(of: u, in: tripStops, at: departure).map { (sequence: $0, update: u) }
        }
        if let exact = placed.first(where: { $0.sequence == departure.stopSequence })?.update {
            switch exact.relationship {
            case .skipped:
                departure.status = .skipped
            case .noData:
                break
            case .scheduled:
                if let time = exact.departureTime ?? exact.arrivalTime {
                    departure.expected = time
                    departure.status = .live
                } else if let delay = exact.propagatedDelay {
                    departure.expected = departure.scheduled.addingTimeInterval(TimeInterval(delay))
                    departure.status = .live
                }
            }
            return
        }
        let earlier = placed.filter { $0.sequence < departure.stopSequence }.sorted { $0.sequence > $1.sequence }
        for (sequence, u) in earlier {
            switch u.relationship {
            case .skipped:
                continue  // the delay of the stop before propagates over a skipped stop
            case .noData:
                return
            case .scheduled:
                let delay = u.propagatedDelay
                    ?? absoluteDelay(u, sequence: sequence, tripStops: tripStops, departure: departure)
                    ?? update.delay
                if let delay {
                    departure.expected = departure.scheduled.addingTimeInterval(TimeInterval(delay))
                    departure.status = .live
                }
                return
            }
        }
        if let delay = update.delay {
            departure.expected = departure.scheduled.addingTimeInterval(TimeInterval(delay))
            departure.status = .live
        }
    }

    /// Where `u` is in the trip (a `stop_sequence`): its own `stop_sequence`; else its `stop_id` when the trip
    /// visits that stop once; without the trip's stops, only this departure's stop can be recognised.
    static func position(
        of u: RealtimeTripUpdate.StopUpdate, in tripStops: [StopTimetable.TripStop]?, at departure: Departure
    ) -> Int? {
        if let sequence = u.stopSequence { return sequence }
        guard let stopID = u.stopID else { return nil }
        guard let tripStops else { return stopID == departure.stopID ? departure.stopSequence : nil }
        var found: Int?
        for stop in tripStops where stop.stopID == stopID {
            if found != nil { return nil }  // visited twice: stop_sequence is required
            found = stop.stopSequence
        }
        return found
    }

    /// The delay an update with absolute times gives at its own stop (its time minus that stop's scheduled
    /// time on this run), or nil without times or the trip's stops.
    static func absoluteDelay(
        _ u: RealtimeTripUpdate.StopUpdate, sequence: Int, tripStops: [StopTimetable.TripStop]?, departure: Departure
    ) -> Int? {
        guard let tripStops, let here = tripStops.first(where: { $0.stopSequence == departure.stopSequence }),
              let there = tripStops.first(where: { $0.stopSequence == sequence })
        else { return nil }
        let hereScheduled = departure.scheduled.addingTimeInterval(-TimeInterval(here.departure))
        if let time = u.departureTime {
            return Int(time.timeIntervalSince(hereScheduled.addingTimeInterval(TimeInterval(there.departure))).rounded())
        }
        if let time = u.arrivalTime {
            return Int(time.timeIntervalSince(hereScheduled.addingTimeInterval(TimeInterval(there.arrival))).rounded())
        }
        return nil
    }

    /// ADDED trips (not in the timetable) calling at these stops with times.
    static func added(
        _ updates: [RealtimeTripUpdate], stops: Set<String>, timetable: StopTimetable, now: Date, horizon: Int
    ) -> [Departure] {
        let end = now.addingTimeInterval(TimeInterval(horizon))
        var out: [Departure] = []
        for update in updates where update.relationship == .added {
            guard let last = update.stopUpdates.last else { continue }
            for u in update.stopUpdates where u != last && u.relationship == .scheduled {
                guard let stop = u.stopID, stops.contains(stop), let time = u.departureTime ?? u.arrivalTime,
                      time >= now, time <= end
                else { continue }
                let route = timetable.routes[update.routeID]
                out.append(Departure(
                    tripID: update.tripID, routeID: update.routeID,
                    headsign: route.map { $0.longName.isEmpty ? $0.shortName : $0.longName } ?? "",
                    stopID: stop, stopSequence: u.stopSequence ?? 0, serviceDate: update.startDate,
                    startTime: update.startTime, scheduled: time, expected: time, status: .live, headway: nil))
            }
        }
        return out
    }
}
