public import Foundation

/// Scans per local day and channel, summed over every tag.
public struct DayTotal: Sendable, Equatable, Codable {
    public var day: String
    public var channel: ScanChannel
    public var count: Int64
}

/// The figures the console's dashboard aggregates in the database (never by loading every scan row).
public protocol ConsoleStatsStore: Sendable {
    /// Scans per day and channel from `fromDay` (`YYYY-MM-DD`, inclusive).
    func scanTotals(fromDay: String) async throws -> [DayTotal]
    /// The `limit` tags with the most scans from `fromDay`, most first.
    func busiestTags(fromDay: String, limit: Int) async throws -> [(tagID: String, count: Int64)]
    /// Printed tags with their latest print time and latest scan day (nil: never scanned), oldest print first:
    /// at least every tag not scanned on or after the local day of its print in any time zone (a scan day before
    /// the UTC day of print time + 14 h); the caller decides with the town's local day.
    func printedPossiblyUnscanned() async throws -> [(tagID: String, printedAt: Date, lastScanDay: String?)]
}

extension RegistryStore: ConsoleStatsStore {
    struct DayTotalRow: Codable, Sendable {
        var day: String
        var channel: String
        var count: Int64
    }

    struct TagCountRow: Codable, Sendable {
        var tagID: String
        var count: Int64
        enum CodingKeys: String, CodingKey {
            case count
            case tagID = "tag_id"
        }
    }

    struct PrintRow: Codable, Sendable {
        var tagID: String
        var printedAt: Int64
        var lastDay: String?
        enum CodingKeys: String, CodingKey {
            case tagID = "tag_id", printedAt = "printed_at", lastDay = "last_day"
        }
    }

    public func scanTotals(fromDay: String) async throws -> [DayTotal] {
        try await database.fetch(
            DayTotalRow.self,
            "SELECT day, channel, count FROM scan_day_totals WHERE day >= \(fromDay) ORDER BY day, channel"
        ).map { DayTotal(day: $0.day, channel: ScanChannel(rawValue: $0.channel) ?? .qr, count: $0.count) }
    }

    public func busiestTags(fromDay: String, limit: Int) async throws -> [(tagID: String, count: Int64)] {
        try await database.fetch(
            TagCountRow.self,
            """
            SELECT tag_id, CAST(SUM(count) AS BIGINT) AS count FROM scan_counts WHERE day >= \(fromDay)
            GROUP BY tag_id ORDER BY count DESC, tag_id LIMIT \(Int64(limit))
            """
        ).map { ($0.tagID, $0.count) }
    }

    public func printedPossiblyUnscanned() async throws -> [(tagID: String, printedAt: Date, lastScanDay: String?)] {
        // Local time is at most 14 hours ahead of UTC, so the local day of a print is never after the UTC day of
        // its time + 14 h: a tag scanned on or after that day was scanned since its print, wherever the town is.
        let latest = dialect.name == SQLDialect.postgres.name
            ? "to_char(to_timestamp((p.printed_at + 50400000) / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
            : "strftime('%Y-%m-%d', (p.printed_at + 50400000) / 1000, 'unixepoch')"
        return try await database.fetch(
            PrintRow.self,
            """
            SELECT p.tag_id AS tag_id, p.printed_at AS printed_at, s.day AS last_day
            FROM (SELECT tag_id, MAX(created_at) AS printed_at FROM bindings WHERE kind = 'print' GROUP BY tag_id) p
            LEFT JOIN scan_last_days s ON s.tag_id = p.tag_id
            WHERE s.day IS NULL OR s.day < \(raw: latest)
            ORDER BY p.printed_at, p.tag_id
            """
        ).map { ($0.tagID, StoredTime.date($0.printedAt), $0.lastDay) }
    }
}
