import ArgumentParser
import Foundation
import Logging
import TagResolver
import TransitKit

struct GTFSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gtfs",
        abstract: "Import GTFS timetables into the registry database and show a stop's departures.",
        subcommands: [GTFSImportCommand.self, GTFSFeedsCommand.self, GTFSDeparturesCommand.self])
}

/// `--db` for the gtfs commands (flag, then CIVICTAGS_DB, then the default SQLite file).
struct TransitDatabaseOptions: ParsableArguments {
    @Option(help: "Registry database: sqlite:PATH or postgres://user:pass@host:port/db (env CIVICTAGS_DB).")
    var db: String?

    func validate() throws {
        if let db { _ = try DatabaseLocation(parsing: db) }
    }

    func location() throws -> DatabaseLocation {
        try DatabaseLocation(parsing: ClientConfiguration.current.database(db))
    }

    static let logger: Logger = {
        var logger = Logger(label: "civictags.gtfs")
        logger.logLevel = .warning
        return logger
    }()
}

/// Parses `--at`/`--now`: ISO 8601 with an offset (`2026-06-01T08:00:00-04:00`, `…Z`), or local wall-clock
/// time in `timezone` (`2026-06-01T08:00` or with seconds).
enum ClockOption {
    static func parse(_ text: String, timezone: TimeZone) throws -> Date {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        if let date = iso.date(from: text) { return date }
        let local = DateFormatter()
        local.locale = Locale(identifier: "en_US_POSIX")
        local.timeZone = timezone
        for format in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm"] {
            local.dateFormat = format
            if let date = local.date(from: text) { return date }
        }
        throw ValidationError("'\(text)' is not a time: use 2026-06-01T08:00 (agency local time) or 2026-06-01T08:00:00-04:00")
    }
}
