/// stop_times.txt: the biggest file, and the one departures stand on. Blank times between two timepoints
/// are interpolated (by `shape_dist_traveled` when every stop in between has it, else evenly by stop).
/// Checked row by row (``StopTimeRows/row(_:_:_:)``), then trip by trip (``StopTimeRows/finish(_:_:_:)``), so
/// the file can be read in one piece (``readStopTimes(_:_:_:)``) or streamed (``GTFSStopTimeStream``).
extension GTFSReader {
    static func readStopTimes(_ t: GTFSTable, _ feed: GTFSFeed, _ check: inout Checker) -> [GTFSFeed.StopTime] {
        guard check.require(t, ["trip_id", "stop_sequence", "stop_id", "arrival_time", "departure_time"]) else { return [] }
        let rows = StopTimeRows(feed)
        var byTrip: [String: [RawStopTime]] = [:]
        byTrip.reserveCapacity(feed.trips.count)
        for row in t.rows.indices {
            guard let raw = rows.row(t, row, &check) else { continue }
            byTrip[raw.time.tripID, default: []].append(raw)
        }
        var out: [GTFSFeed.StopTime] = []
        out.reserveCapacity(t.rows.count)
        for trip in feed.trips {
            guard let raws = byTrip[trip.id] else {
                StopTimeRows.noStopTimes(trip.id, &check)
                continue
            }
            out += rows.finish(trip.id, raws, &check) ?? []
        }
        return out
    }

    /// What checking stop times needs from the rest of the feed.
    struct StopTimeRows {
        static let file = "stop_times.txt"

        /// The warning for a trip without stop times (both readers of stop_times.txt give it).
        static func noStopTimes(_ trip: String, _ check: inout Checker) {
            check.warning("trips.txt", 0, "trip_id", "trip \(trip) has no stop times; it never departs")
        }
        let trips: Set<String>
        let stops: Set<String>
        let checkStops: Bool

        init(_ feed: GTFSFeed) {
            trips = Set(feed.trips.map(\.id))
            stops = Set(feed.stops.map(\.id))
            checkStops = !feed.stops.isEmpty
        }

        /// One row checked and read, or nil (with an error recorded).
        func row(_ t: GTFSTable, _ row: Int, _ check: inout Checker) -> RawStopTime? {
            let line = t.lines[row]
            guard let trip = check.nonEmpty(t, row, "trip_id"), let stop = check.nonEmpty(t, row, "stop_id") else { return nil }
            if !trips.contains(trip) { check.error(t.file, line, "trip_id", "unknown trip '\(trip)' (not in trips.txt)"); return nil }
            if checkStops && !stops.contains(stop) { check.error(t.file, line, "stop_id", "unknown stop '\(stop)' (not in stops.txt)"); return nil }
            let sequenceText = t.value(row, "stop_sequence")
            guard let sequence = Int(sequenceText), sequence >= 0 else {
                check.error(t.file, line, "stop_sequence", "'\(sequenceText)' is not a whole number ≥ 0")
                return nil
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
            if bad { return nil }
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
            return RawStopTime(line: line, time: time, hasTime: arrival != nil, distance: Double(t.value(row, "shape_dist_traveled")))
        }

        /// All rows of one trip: ordered, checked, interpolated, marked (trip start, last stop); nil on errors.
        func finish(_ trip: String, _ rows: [RawStopTime], _ check: inout Checker) -> [GTFSFeed.StopTime]? {
            var raws = rows
            raws.sort { $0.time.stopSequence < $1.time.stopSequence }
            var ok = true
            for i in raws.indices.dropFirst() where raws[i].time.stopSequence == raws[i - 1].time.stopSequence {
                check.error(Self.file, raws[i].line, "stop_sequence", "trip \(trip) has stop_sequence \(raws[i].time.stopSequence) twice")
                ok = false
            }
            for end in [raws.startIndex, raws.endIndex - 1] where !raws[end].hasTime {
                check.error(Self.file, raws[end].line, "arrival_time", "the first and last stop of trip \(trip) need times")
                ok = false
            }
            guard ok else { return nil }
            // Times must not go backwards along the trip.
            var previous = -1, previousIndex = 0
            for i in raws.indices where raws[i].hasTime {
                if raws[i].time.arrival < previous {
                    check.error(Self.file, raws[i].line, "arrival_time",
                                "trip \(trip) arrives at stop_sequence \(raws[i].time.stopSequence) before it left the previous timepoint")
                    ok = false
                }
                // Interpolate the blank ones since the last timepoint.
                if i - previousIndex > 1 { GTFSReader.interpolate(&raws, from: previousIndex, to: i) }
                previous = raws[i].time.departure
                previousIndex = i
            }
            guard ok else { return nil }
            let start = raws[0].time.departure
            return raws.indices.map { i in
                var time = raws[i].time
                time.tripStart = start
                time.isLast = i == raws.endIndex - 1
                return time
            }
        }
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
struct RawStopTime {
    var line: Int
    var time: GTFSFeed.StopTime
    var hasTime: Bool
    var distance: Double?
}
