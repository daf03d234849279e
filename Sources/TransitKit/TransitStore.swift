public import Foundation

/// Where imported GTFS feeds live (in the resolver: its registry database, SQLite or PostgreSQL). Several
/// feeds side by side, each with an active version. An import writes a new version and flips the feed's
/// `gtfs_active_feeds` row in the same transaction, so readers see the old version until the new one is
/// complete, and a failed import changes nothing.
public protocol TransitStore: Sendable {
    /// Creates the `gtfs_*` tables when missing (own migration names in `schema_migrations`).
    func migrateTransit() async throws
    /// Stores `feed` — with the stop times of `stopTimes` when given, written batch by batch in the same
    /// transaction — as the new active version of `feedID`, then drops older versions. Nothing changes when
    /// it throws (``GTFSImportError`` from `stopTimes`, ``GTFSStopTimeStream/NotGrouped``, a database error).
    @discardableResult
    func importFeed(_ feed: GTFSFeed, stopTimes: GTFSStopTimeStream?, feedID: String, source: String) async throws -> FeedVersion
    /// The active version of every feed.
    func feedVersions() async throws -> [FeedVersion]
    /// The stops of the active version of `feedID`.
    func stops(feedID: String) async throws -> [GTFSFeed.Stop]
    /// What departures need about `stopID` (a platform or a station and its platforms), or nil when the
    /// feed or the stop is unknown.
    func timetable(feedID: String, stopID: String) async throws -> StopTimetable?
    /// The stops of `tripIDs` in `version` of `feedID`, each trip in `stop_sequence` order; unknown trips
    /// (or a version no longer stored) are absent.
    func tripStops(feedID: String, version: Int64, tripIDs: [String]) async throws -> [String: [StopTimetable.TripStop]]
}

extension TransitStore {
    /// Stores `feed` (stop times in memory) as the new active version of `feedID`.
    @discardableResult
    public func importFeed(_ feed: GTFSFeed, feedID: String, source: String) async throws -> FeedVersion {
        try await importFeed(feed, stopTimes: nil, feedID: feedID, source: source)
    }

    /// Imports an opened feed, streaming its stop times; a stop_times.txt that does not list each trip's rows
    /// together is read again keeping trips until the end of the file.
    /// - Returns: the new version and stop_times.txt's warnings.
    public func importFeed(
        _ opened: GTFSStreamingFeed, feedID: String, source: String
    ) async throws -> (version: FeedVersion, warnings: [GTFSProblem]) {
        do {
            let version = try await importFeed(opened.feed, stopTimes: opened.stopTimes, feedID: feedID, source: source)
            return (version, try opened.stopTimes.finish())
        } catch is GTFSStopTimeStream.NotGrouped {
            opened.stopTimes.restart(grouped: false)
            let version = try await importFeed(opened.feed, stopTimes: opened.stopTimes, feedID: feedID, source: source)
            return (version, try opened.stopTimes.finish())
        }
    }
}

/// One imported version of a feed.
public struct FeedVersion: Sendable, Equatable, Codable {
    public var feedID: String
    public var version: Int64
    public var importedAt: Date
    public var source: String
    public var timezone: String
    public var validFrom: String
    public var validTo: String
    public var stops: Int
    public var trips: Int
    public var stopTimes: Int

    public init(
        feedID: String, version: Int64, importedAt: Date, source: String, timezone: String, validFrom: String,
        validTo: String, stops: Int, trips: Int, stopTimes: Int
    ) {
        self.feedID = feedID
        self.version = version
        self.importedAt = importedAt
        self.source = source
        self.timezone = timezone
        self.validFrom = validFrom
        self.validTo = validTo
        self.stops = stops
        self.trips = trips
        self.stopTimes = stopTimes
    }
}
