public import Foundation

/// A feed opened for import without holding stop_times.txt in memory: every other file read and checked
/// (``feed`` has no stop times), stop_times.txt extracted to a temporary file and read in batches by
/// ``stopTimes`` while the store writes them — so peak memory stays about flat with the feed's size.
public struct GTFSStreamingFeed: Sendable {
    public var feed: GTFSFeed
    /// Warnings of the other files (stop_times.txt's come from ``GTFSStopTimeStream/finish()``).
    public var warnings: [GTFSProblem]
    public let stopTimes: GTFSStopTimeStream
}

/// stop_times.txt read piece by piece: rows checked as they come, each trip interpolated and checked as soon
/// as its rows are complete, stop times handed out in batches (``nextBatch()``).
///
/// Trips are complete early when the file lists each trip's rows together (as producers do). A file that
/// returns to a finished trip makes ``nextBatch()`` throw ``NotGrouped``; after ``restart(grouped:)`` with
/// `false` every trip is kept until the end of the file (memory then grows with the feed, as before).
/// Errors carry file, line and column; once one is found no more stop times are handed out, and
/// ``finish()`` throws them all — the store's transaction then rolls back.
public final class GTFSStopTimeStream: @unchecked Sendable {
    /// stop_times.txt lists a trip's rows in more than one place.
    public struct NotGrouped: Error, CustomStringConvertible {
        public var trip: String
        public var description: String { "stop_times.txt lists trip \(trip) in more than one place" }
    }

    static let batchSize = 20_000
    static let blockSize = 1 << 20

    let url: URL
    let directory: URL
    let rows: GTFSReader.StopTimeRows
    let tripOrder: [String]
    public private(set) var grouped = true

    private var check = GTFSReader.Checker()
    private var handle: FileHandle?
    private var records = GTFSRecords()
    private var header: [String]?
    private var headerOK = false
    private var pending: [(fields: [String], line: Int)] = []
    private var currentTrip: String?
    private var currentRows: [RawStopTime] = []
    private var seen: Set<String> = []
    private var byTrip: [String: [RawStopTime]] = [:]
    /// Checked stop times not yet handed out (a slice: taking a batch off the front copies nothing).
    private var ready: ArraySlice<GTFSFeed.StopTime> = []
    private var ended = false
    /// Stop times that passed every check so far.
    public private(set) var count = 0

    init(url: URL, directory: URL, feed: GTFSFeed) {
        self.url = url
        self.directory = directory
        rows = GTFSReader.StopTimeRows(feed)
        tripOrder = feed.trips.map(\.id)
    }

    deinit {
        try? handle?.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts over from the first line, grouped (trips handed out as they end) or not (all at the end).
    public func restart(grouped: Bool) {
        try? handle?.close()
        handle = nil
        self.grouped = grouped
        check = GTFSReader.Checker()
        records = GTFSRecords()
        header = nil
        headerOK = false
        pending = []
        currentTrip = nil
        currentRows = []
        seen = []
        byTrip = [:]
        ready = []
        ended = false
        count = 0
    }

    /// The next stop times (up to ``batchSize``), or nil at the end. Empty once an error was found.
    /// - Throws: ``NotGrouped`` (grouped mode only), or a file error.
    public func nextBatch() throws -> [GTFSFeed.StopTime]? {
        if handle == nil && !ended { handle = try FileHandle(forReadingFrom: url) }
        while ready.count < Self.batchSize && !ended {
            let data = try handle?.read(upToCount: Self.blockSize) ?? Data()
            if data.isEmpty {
                do {
                    try records.finish { fields, line in pending.append((fields, line)) }
                } catch {
                    check.error(GTFSReader.StopTimeRows.file, error.line, "", error.reason)
                }
                try process()
                endOfFile()
                ended = true
                try? handle?.close()
            } else {
                data.withUnsafeBytes { raw in
                    records.consume(raw.bindMemory(to: UInt8.self)) { fields, line in pending.append((fields, line)) }
                }
                try process()
            }
        }
        if ready.isEmpty && ended { return nil }
        let batch = Array(ready.prefix(Self.batchSize))
        ready = ready.dropFirst(batch.count)
        return check.errorCount > 0 ? [] : batch
    }

    /// Warnings of stop_times.txt, once every batch was taken. - Throws: ``GTFSImportError`` with every error.
    public func finish() throws(GTFSImportError) -> [GTFSProblem] {
        if check.errorCount > 0 {
            throw GTFSImportError(
                problems: check.errors + check.warnings, moreErrors: max(0, check.errorCount - GTFSReader.errorLimit))
        }
        return check.warnings
    }

    var problems: (errors: [GTFSProblem], warnings: [GTFSProblem], count: Int) { (check.errors, check.warnings, check.errorCount) }

    private func process() throws {
        guard !pending.isEmpty else { return }
        var chunk = pending
        pending = []
        if header == nil {
            let first = chunk.removeFirst()
            header = first.fields
            let table = GTFSTable(file: GTFSReader.StopTimeRows.file, header: first.fields, rows: [], lines: [])
            headerOK = check.require(table, ["trip_id", "stop_sequence", "stop_id", "arrival_time", "departure_time"])
        }
        guard headerOK, !chunk.isEmpty, let header else { return }
        let table = GTFSTable(file: GTFSReader.StopTimeRows.file, header: header, rows: chunk.map(\.fields), lines: chunk.map(\.line))
        for row in table.rows.indices {
            guard let raw = rows.row(table, row, &check) else { continue }
            let trip = raw.time.tripID
            if !grouped {
                byTrip[trip, default: []].append(raw)
            } else if trip == currentTrip {
                currentRows.append(raw)
            } else {
                if let currentTrip { complete(currentTrip, currentRows) }
                if seen.contains(trip) { throw NotGrouped(trip: trip) }
                currentTrip = trip
                currentRows = [raw]
            }
        }
    }

    private func complete(_ trip: String, _ raws: [RawStopTime]) {
        seen.insert(trip)
        guard let times = rows.finish(trip, raws, &check) else { return }
        count += times.count
        if check.errorCount == 0 { ready += times }
    }

    private func endOfFile() {
        if grouped {
            if let currentTrip { complete(currentTrip, currentRows) }
            currentTrip = nil
            currentRows = []
        } else {
            for trip in tripOrder {
                if let raws = byTrip.removeValue(forKey: trip) { complete(trip, raws) }
            }
        }
        guard headerOK else { return }
        for trip in tripOrder where !seen.contains(trip) {
            GTFSReader.StopTimeRows.noStopTimes(trip, &check)
        }
    }
}

extension GTFSReader {
    /// Opens `url` (a `.zip`) for a streaming import: the other files read and checked now, stop_times.txt
    /// extracted to a temporary file for ``GTFSStopTimeStream``.
    /// Any file inflating past its limit refuses the feed.
    /// - Throws: ``GTFSImportError`` listing every problem found, stop_times.txt's included.
    public static func open(zip url: URL, limits: EntryLimits = .default) throws(GTFSImportError) -> GTFSStreamingFeed {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("civictags-gtfs-\(UUID().uuidString)")
        let stopTimesURL = directory.appendingPathComponent("stop_times.txt")
        let files: [String: [UInt8]]
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            files = try unzip(url, spill: (GTFSReader.StopTimeRows.file, stopTimesURL), limits: limits)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw unreadable(url, error)
        }
        // The folder is new: stop_times.txt is there only if the zip had it.
        let hasStopTimes = FileManager.default.fileExists(atPath: stopTimesURL.path)
        var check = Checker()
        let feed = readTables(files, streamedStopTimes: hasStopTimes, &check)
        let stream = GTFSStopTimeStream(url: stopTimesURL, directory: directory, feed: feed)
        if check.errorCount > 0 {
            // Report stop_times.txt's errors too, as the in-memory reader does.
            if hasStopTimes {
                stream.restart(grouped: false)
                while (try? stream.nextBatch()) != nil {}
                let found = stream.problems
                check.errorCount += found.count
                check.errors = Array((check.errors + found.errors).prefix(errorLimit))
                check.warnings += found.warnings
            }
            throw GTFSImportError(problems: check.errors + check.warnings, moreErrors: max(0, check.errorCount - errorLimit))
        }
        return GTFSStreamingFeed(feed: feed, warnings: check.warnings, stopTimes: stream)
    }
}
