/// stop_times.txt: the biggest file, and the one departures stand on. Blank times between two timepoints
/// are interpolated (by `shape_dist_traveled` when every stop in between has it, else evenly by stop).
extension GTFSReader {
    static func readStopTimes(_ t: GTFSTable, _ feed: GTFSFeed, _ check: inout Checker) -> [GTFSFeed.StopTime] {
        guard check.require(t, ["trip_id", "stop_sequence", "stop_id", "arrival_time", "departure_time"]) else { return [] }
        let trips = Set(feed.trips.map(\.id))
        let stops = Set(feed.stops.map(\.id))
        let checkStops = !feed.stops.isEmpty

        var byTrip: [String: [RawStopTime]] = [:]
        byTrip.reserveCapacity(feed.trips.count)
        for row in t.rows.indices {
            let line = t.lines[row]
            guard let trip = check.nonEmpty(t, row, "trip_id"), let stop = check.nonEmpty(t, row, "stop_id") else { continue }
            if !trips.contains(trip) { check.error(t.file, line, "trip_id", "unknown trip '\(trip)' (not in trips.txt)"); continue }
            if checkStops && !stops.contains(stop) { check.error(t.file, line, "stop_id", "unknown stop '\(stop)' (not in stops.txt)"); continue }
            let sequenceText = t.value(row, "stop_sequence")
            guard let sequence = Int(sequenceText), sequence >= 0 else {
                check.error(t.file, line, "stop_sequence", "'\(sequenceText)' is not a whole number ≥ 0")
                continue
            }
            var times: [Int?] = [nil, nil]
            var bad = false
            for (i, column) in ["arrival_time", "departure_time"].enumerated() {
                let text = t.value(row, column)
                if text.isEmpty { continue }
                guard let value = GTFSTime.seconds(text) else {
                    check.error(t.file, line, column, "'\(text)' is not a time HH:MM:SS (minutes and seconds below 60)")
                    bad = true
                    continue
                }
                times[i] = value
            }
            if bad { continue }
            let arrival = times[0] ?? times[1], departure = times[1] ?? times[0]
            if let arrival, let departure, departure < arrival {
                check.error(t.file, line, "departure_time", "departure is before arrival")
            }
            let time = GTFSFeed.StopTime(
                tripID: trip, stopSequence: sequence, stopID: stop, arrival: arrival ?? 0, departure: departure ?? 0,
                stopHeadsign: t.value(row, "stop_headsign"),
                pickupType: check.enumValue(t, row, "pickup_type", 0...3, fallback: 0),
                dropOffType: check.enumValue(t, row, "drop_off_type", 0...3, fallback: 0),
                interpolated: arrival == nil, isLast: false, tripStart: 0)
            byTrip[trip, default: []].append(
                RawStopTime(row: row, time: time, hasTime: arrival != nil, distance: Double(t.value(row, "shape_dist_traveled"))))
        }

        var out: [GTFSFeed.StopTime] = []
        out.reserveCapacity(t.rows.count)
        for trip in feed.trips {
            guard var raws = byTrip[trip.id] else {
                check.warning("trips.txt", 0, "trip_id", "trip \(trip.id) has no stop times; it never departs")
                continue
            }
            raws.sort { $0.time.stopSequence < $1.time.stopSequence }
            var ok = true
            for i in raws.indices.dropFirst() where raws[i].time.stopSequence == raws[i - 1].time.stopSequence {
                check.error(t.file, t.lines[raws[i].row], "stop_sequence", "trip \(trip.id) has stop_sequence \(raws[i].time.stopSequence) twice")
                ok = false
            }
            for end in [raws.startIndex, raws.endIndex - 1] where !raws[end].hasTime {
                check.error(t.file, t.lines[raws[end].row], "arrival_time", "the first and last stop of trip \(trip.id) need times")
                ok = false
            }
            guard ok else { continue }
            // Times must not go backwards along the trip.
            var previous = -1, previousIndex = 0
            for i in raws.indices where raws[i].hasTime {
                if raws[i].time.arrival < previous {
                    check.error(t.file, t.lines[raws[i].row], "arrival_time",
                                "trip \(trip.id) arrives at stop_sequence \(raws[i].time.stopSequence) before it left the previous timepoint")
                    ok = false
                }
                // Interpolate the blank ones since the last timepoint.
                if i - previousIndex > 1 { interpolate(&raws, from: previousIndex, to: i) }
                previous = raws[i].time.departure
                previousIndex = i
            }
            guard ok else { continue }
            let start = raws[0].time.departure
            for i in raws.indices {
                raws[i].time.tripStart = start
                raws[i].time.isLast = i == raws.endIndex - 1
                out.append(raws[i].time)
            }
        }
        return out
    }

    /// Fills the times strictly between timepoints `a` and `b`.
    fileprivate static func interpolate(_ raws: inout [RawStopTime], from a: Int, to b: Int) {
        let t0 = Double(raws[a].time.departure), t1 = Double(raws[b].time.arrival)
        let d0 = raws[a].distance, d1 = raws[b].distance
        let byDistance = d0 != nil && d1 != nil && d1! > d0! && (a + 1..<b).allSatisfy { raws[$0].distance != nil }
        for i in a + 1..<b {
            let fraction = byDistance
                ? (raws[i].distance! - d0!) / (d1! - d0!)
                : Double(i - a) / Double(b - a)
            let value = Int((t0 + (t1 - t0) * fraction).rounded())
            raws[i].time.arrival = value
            raws[i].time.departure = value
            raws[i].time.interpolated = true
        }
    }
}

/// A stop time as read, before interpolation.
fileprivate struct RawStopTime {
    var row: Int
    var time: GTFSFeed.StopTime
    var hasTime: Bool
    var distance: Double?
}
