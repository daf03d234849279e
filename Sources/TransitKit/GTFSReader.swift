public import Foundation
import ZIPFoundation

/// Reads and checks a GTFS zip. Errors are what would make departures wrong (a missing file or column, a
/// time like `25:61:00`, a stop time for an unknown trip); warnings are the rest (a bad colour, a stop
/// without coordinates). Any error refuses the whole feed.
public enum GTFSReader {
    /// Errors reported in detail; more are counted.
    static let errorLimit = 50

    public struct Result: Sendable {
        public var feed: GTFSFeed
        public var warnings: [GTFSProblem]
    }

    /// The files the reader uses; any other file of the zip (shapes.txt, transfers.txt, …) is never inflated.
    static let usedFiles: Set = [
        "agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt", "calendar.txt", "calendar_dates.txt",
        "frequencies.txt", "feed_info.txt",
    ]

    /// Caps on one file of a feed once inflated, counted on the bytes actually inflated (never on the sizes the
    /// zip declares), so a zip bomb — 1 MB inflating to GiBs — is stopped early.
    public struct EntryLimits: Sendable, Equatable {
        /// stop_times.txt, streamed to a temporary file by an import: 2 GiB by default. A stop time takes about
        /// 70 bytes (CARTA's 82,644 take 5.6 MB), so a metropolitan feed of 10 million is about 700 MB; a
        /// national feed may need more.
        public var stopTimes: Int
        /// Every other file, held in memory while the feed is checked: 256 MiB by default. Stops and trips take
        /// about 50–60 bytes a row, so even a million trips is about 60 MB.
        public var others: Int

        public init(stopTimes: Int, others: Int) {
            precondition(stopTimes > 0 && others > 0, "entry limits must be positive")
            self.stopTimes = stopTimes
            self.others = others
        }

        public static let `default` = EntryLimits(stopTimes: 2 << 30, others: 256 << 20)

        /// One cap for every file (`tagtool gtfs import --max-entry-bytes`).
        public static func uniform(_ bytes: Int) -> EntryLimits { EntryLimits(stopTimes: bytes, others: bytes) }

        func limit(for file: String) -> Int { file == StopTimeRows.file ? stopTimes : others }
    }

    /// Reads `url` (a `.zip`), refusing any file that inflates past its limit.
    /// - Throws: ``GTFSImportError`` listing every problem found.
    public static func read(zip url: URL, limits: EntryLimits = .default) throws(GTFSImportError) -> Result {
        let files: [String: [UInt8]]
        do {
            files = try unzip(url, limits: limits)
        } catch {
            throw unreadable(url, error)
        }
        return try read(files: files)
    }

    /// A file of the zip that inflates past the cap, or declares a size no `Int` holds (a corrupt or
    /// hostile ZIP64 header).
    struct EntryTooLarge: Error, CustomStringConvertible {
        var entry: String
        var limit: Int
        /// What the header says, when that alone is the reason.
        var declared: UInt64?

        var description: String {
            let raise = "if the feed is genuine, raise the limit (tagtool gtfs import --max-entry-bytes)"
            guard let declared else { return "inflates to more than \(limit) bytes, the limit for one file of a feed — \(raise)" }
            if declared > UInt64(Int.max) {
                return "declares \(declared) bytes uncompressed, more than any file can hold — the zip is corrupt; export the feed again"
            }
            return "declares \(declared) bytes uncompressed, more than the limit of \(limit) bytes for one file of a feed — \(raise)"
        }
    }

    /// The problem reported for a zip that cannot be read.
    static func unreadable(_ url: URL, _ error: any Error) -> GTFSImportError {
        if let error = error as? EntryTooLarge {
            return GTFSImportError(problems: [GTFSProblem(.error, file: error.entry, reason: error.description)])
        }
        return GTFSImportError(problems: [GTFSProblem(
            .error, file: url.lastPathComponent, reason: "not a readable zip archive (\(error)) — export the feed again")])
    }

    /// The files of a feed's zip the reader uses, keyed by file name; the file named by `spill` (if any) is
    /// extracted to its URL instead of memory (stop_times.txt of a streaming import). The bytes actually
    /// inflated are counted and reading stops as soon as a file passes its limit (``EntryTooLarge``); a CRC
    /// mismatch is an error too.
    static func unzip(
        _ url: URL, spill: (name: String, to: URL)? = nil, limits: EntryLimits = .default
    ) throws -> [String: [UInt8]] {
        let archive = try Archive(url: url, accessMode: .read)
        var files: [String: [UInt8]] = [:]
        for entry in archive where entry.type == .file {
            // Some publishers put the files in a folder inside the zip.
            let name = (entry.path as NSString).lastPathComponent
            guard usedFiles.contains(name) else { continue }
            let maxEntryBytes = limits.limit(for: name)
            // A declared size above the cap is refused before inflating anything; one below proves nothing.
            if entry.uncompressedSize > UInt64(maxEntryBytes) {
                throw EntryTooLarge(entry: name, limit: maxEntryBytes, declared: entry.uncompressedSize)
            }
            var inflated = 0
            func count(_ chunk: Data) throws {
                inflated += chunk.count
                if inflated > maxEntryBytes { throw EntryTooLarge(entry: name, limit: maxEntryBytes) }
            }
            let checksum: CRC32
            if let spill, name == spill.name {
                try? FileManager.default.removeItem(at: spill.to)
                guard FileManager.default.createFile(atPath: spill.to.path, contents: nil) else {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: spill.to.path])
                }
                let handle = try FileHandle(forWritingTo: spill.to)
                defer { try? handle.close() }
                checksum = try archive.extract(entry, skipCRC32: false) { chunk in
                    try count(chunk)
                    try handle.write(contentsOf: chunk)
                }
            } else {
                var bytes: [UInt8] = []
                checksum = try archive.extract(entry, skipCRC32: false) { chunk in
                    try count(chunk)
                    bytes.append(contentsOf: chunk)
                }
                files[name] = bytes
            }
            guard checksum == entry.checksum else { throw Archive.ArchiveError.invalidCRC32 }
        }
        return files
    }

    /// Reads the files of a feed, keyed by file name (`stops.txt`, …).
    public static func read(files: [String: [UInt8]]) throws(GTFSImportError) -> Result {
        var check = Checker()
        let feed = readTables(files, streamedStopTimes: false, &check)
        if check.errorCount > 0 {
            throw GTFSImportError(
                problems: check.errors + check.warnings, moreErrors: max(0, check.errorCount - errorLimit))
        }
        return Result(feed: feed, warnings: check.warnings)
    }

    /// Every file read and checked; stop_times.txt too unless `streamedStopTimes` (a ``GTFSStopTimeStream``
    /// reads it then).
    static func readTables(_ files: [String: [UInt8]], streamedStopTimes: Bool, _ check: inout Checker) -> GTFSFeed {
        var tables: [String: GTFSTable] = [:]
        for (name, bytes) in files {
            do {
                tables[name] = try GTFSTable(file: name, bytes: bytes)
            } catch {
                check.error(name, error.line, "", error.reason)
            }
        }
        for name in ["agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt"]
        where files[name] == nil && !(name == "stop_times.txt" && streamedStopTimes) {
            check.error(name, 0, "", "required file is missing from the feed")
        }
        if files["calendar.txt"] == nil && files["calendar_dates.txt"] == nil {
            check.error("calendar.txt", 0, "", "the feed has neither calendar.txt nor calendar_dates.txt, so no trip ever runs")
        }
        var feed = GTFSFeed()
        if let t = tables["agency.txt"] { feed.agencies = readAgencies(t, &check) }
        if let t = tables["stops.txt"] { feed.stops = readStops(t, &check) }
        if let t = tables["routes.txt"] { feed.routes = readRoutes(t, &check) }
        if let t = tables["calendar.txt"] { feed.calendars = readCalendars(t, &check) }
        if let t = tables["calendar_dates.txt"] { feed.calendarDates = readCalendarDates(t, &check) }
        if let t = tables["trips.txt"] { feed.trips = readTrips(t, feed, &check) }
        if !streamedStopTimes, let t = tables["stop_times.txt"] { feed.stopTimes = readStopTimes(t, feed, &check) }
        if let t = tables["frequencies.txt"] { feed.frequencies = readFrequencies(t, feed, &check) }
        if let t = tables["feed_info.txt"] { feed.feedInfo = readFeedInfo(t, &check) }
        return feed
    }

    struct Checker {
        var errors: [GTFSProblem] = []
        var warnings: [GTFSProblem] = []
        var errorCount = 0

        mutating func error(_ file: String, _ line: Int, _ column: String, _ reason: String) {
            errorCount += 1
            if errors.count < GTFSReader.errorLimit {
                errors.append(GTFSProblem(.error, file: file, line: line, column: column, reason: reason))
            }
        }

        mutating func warning(_ file: String, _ line: Int, _ column: String, _ reason: String) {
            if warnings.count < 200 {
                warnings.append(GTFSProblem(.warning, file: file, line: line, column: column, reason: reason))
            }
        }

        /// Missing required columns are errors; returns false when any is missing.
        mutating func require(_ table: GTFSTable, _ columns: [String]) -> Bool {
            var ok = true
            for column in columns where !table.has(column) {
                error(table.file, 1, column, "required column is missing from the header")
                ok = false
            }
            return ok
        }

        mutating func nonEmpty(_ table: GTFSTable, _ row: Int, _ column: String) -> String? {
            let value = table.value(row, column)
            if value.isEmpty { error(table.file, table.lines[row], column, "required value is empty"); return nil }
            return value
        }

        /// An optional small integer in `range` (empty gives `fallback`); out of range is a warning.
        mutating func enumValue(
            _ table: GTFSTable, _ row: Int, _ column: String, _ range: ClosedRange<Int>, fallback: Int
        ) -> Int {
            let text = table.value(row, column)
            if text.isEmpty { return fallback }
            guard let value = Int(text), range.contains(value) else {
                warning(table.file, table.lines[row], column, "'\(text)' is not one of \(range.lowerBound)…\(range.upperBound); using \(fallback)")
                return fallback
            }
            return value
        }

        mutating func date(_ table: GTFSTable, _ row: Int, _ column: String) -> String? {
            let text = table.value(row, column)
            guard GTFSDate.isValid(text) else {
                error(table.file, table.lines[row], column, "'\(text)' is not a date YYYYMMDD")
                return nil
            }
            return text
        }

        mutating func uniqueIDs(_ table: GTFSTable, _ ids: [String], column: String) {
            var seen = Set<String>()
            for (row, id) in ids.enumerated() where !seen.insert(id).inserted {
                error(table.file, table.lines[row], column, "'\(id)' appears more than once")
            }
        }
    }
}

/// `YYYYMMDD` service dates.
public enum GTFSDate {
    public static func isValid(_ text: String) -> Bool {
        guard text.utf8.count == 8, let value = Int(text) else { return false }
        let month = value / 100 % 100, day = value % 100
        return (1...12).contains(month) && (1...31).contains(day)
    }
}
