public import Foundation
public import CivicKit
public import TagCrypto
import TagKit

/// Everything `tagtool serve` can be told, with defaults. Filled by ``load(flags:environment:fileText:)``:
/// a command-line flag beats an environment variable, which beats the config file, which beats the default.
/// ``keys`` is the single list of settings; README's configuration table is written from it.
public struct ResolverConfiguration: Sendable, Equatable {
    /// `sqlite:PATH` or `postgres://user:pass@host:port/db`.
    public var database = "sqlite:./civictags.sqlite"
    public var host = "127.0.0.1"
    public var port = 8080
    /// Public address printed codes point at; the export's `url` column is `<baseURL>/t/<ID>`. The default is the
    /// same placeholder every `tagtool` command uses (``TagURL/defaultBaseURL``): a town sets its own.
    public var baseURL = TagURL.defaultBaseURL
    /// IANA timezone of the town: schedule windows and scan days are in this local time.
    public var timeZone = "Europe/Brussels"
    /// Name shown on pages the resolver renders.
    public var townName = "CivicTags"
    /// How often pending scan counts are written.
    public var scanFlushSeconds = 5.0
    /// swift-log level: trace, debug, info, notice, warning, error, critical.
    public var logLevel = "info"
    /// Largest accepted request body (import files, a report with its photo), in bytes; a larger one is answered
    /// 413. Phones send photos of up to 15 MB.
    public var maxBodyBytes = 16_000_000
    /// Days after a report is closed that its reporter's e-mail is erased.
    public var reportEmailDays = 90
    /// Reports one client may send per 10 minutes (counted in memory only).
    public var reportsPerClient = 5
    /// Teams reports can be assigned to, comma-separated.
    public var reportTeams = "cleanliness,roads,lighting,parks"
    /// Addresses of the proxies in front of the resolver, comma-separated: requests from them are counted by
    /// the client address in `X-Forwarded-For` (per-client limits) instead of the proxy's.
    public var trustedProxies = ""
    /// Tag kinds whose pages take citizens' reports (`place`, `stop`, `page`), comma-separated.
    public var reportKinds = "place,stop"
    /// A JSON file of report categories replacing the built-in ones: `[{"code", "name": {"fr", "en"}, "kinds": [...]}]`.
    public var reportCategoriesFile = ""
    /// Seconds a client has to send a complete request head once its first byte arrived (then 408 and close).
    public var headTimeoutSeconds = 10.0
    /// Seconds a keep-alive connection may sit with no request in progress before it is closed.
    public var idleTimeoutSeconds = 60.0
    /// Seconds a request body may go without a byte arriving (then 408 and close).
    public var bodyTimeoutSeconds = 30.0
    /// Open connections at most; one more is answered 503 and closed. Each costs a file descriptor.
    public var maxConnections = 16_000
    /// Seconds an ID the registry does not hold is answered 404 from memory before the store is asked again
    /// (0: always ask). Creating the tag, here or on another instance, ends it at once.
    public var unknownIDCacheSeconds = 10.0
    /// Fixed clock for stop pages (`2026-06-01T08:00:00-04:00`), e.g. to demo a feed outside its validity; empty: real time.
    public var transitClock = ""
    /// Feed ID the GTFS-Realtime sources describe.
    public var realtimeFeed = ""
    /// GTFS-Realtime TripUpdates: http(s) URL or file path; empty: none.
    public var realtimeTripUpdates = ""
    /// GTFS-Realtime Alerts: http(s) URL or file path; empty: none.
    public var realtimeAlerts = ""
    /// Answer `GET /t/{id}` in the fast lane in front of Hummingbird (see FastLane.swift).
    public var fastLane = true
    /// Where the web console listens, `HOST:PORT` (e.g. `127.0.0.1:8081` or an internal interface); empty: under
    /// `/admin` on the resolver's own port. When set, the public port answers 404 under `/admin`.
    public var adminListen = ""
    /// The console is reached over HTTPS (directly or through a proxy): its cookie gets `Secure` and the
    /// `__Host-` prefix.
    public var consoleHTTPS = false
    /// Minutes a console session may go unused before it ends.
    public var consoleIdleMinutes = 30.0
    /// Hours after login that a console session ends, used or not.
    public var consoleSessionHours = 12.0
    /// Map tiles for the console's map, a `{z}/{x}/{y}` URL template (`{s}` for subdomains).
    public var consoleTiles = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    /// Event-loop threads; 0: one per core less one, at least one (see ``eventLoopCount(configured:cores:)``).
    public var eventLoops = 0
    /// Seconds between GTFS-Realtime polls.
    public var realtimePollSeconds = 30.0
    /// File of the master keys NTAG 424 DNA taps are verified with: `VERSION HEX32` per line (see
    /// ``MasterKeyRing``); empty: ``sunMasterKey`` (`CIVICTAGS_SUN_MASTER_KEY`), else none.
    public var sunMasterKeyFile = ""
    /// The master keys as text, from `CIVICTAGS_SUN_MASTER_KEY` only (no flag, no file key: a key on a command line
    /// shows in `ps`). Redacted in descriptions.
    public var sunMasterKey = RedactedText("")
    /// GTFS-Realtime sources of several feeds (key `gtfs-rt`), one TripUpdates/Alerts pair per feed; the
    /// single-feed keys above add one more. See ``realtimeSources``.
    public var realtimeFeeds: [RealtimeFeed] = []

    /// The GTFS-Realtime sources of one GTFS feed: `FEED=TRIP_UPDATES,ALERTS` in the configuration.
    public struct RealtimeFeed: Sendable, Equatable, CustomStringConvertible {
        public var feedID: String
        /// http(s) URL or file path; empty: none.
        public var tripUpdates: String
        public var alerts: String

        public init(feedID: String, tripUpdates: String, alerts: String) {
            self.feedID = feedID
            self.tripUpdates = tripUpdates
            self.alerts = alerts
        }

        /// Parses `carta=https://…/trips.pb,https://…/alerts.pb` (either side of the comma may be empty;
        /// without a comma there are no alerts). A comma inside a URL must be written `%2C`.
        public init(parsing text: String) throws(ConfigurationError) {
            guard let equals = text.firstIndex(of: "=") else {
                throw ConfigurationError("gtfs-rt entry '\(text)' must look like FEED=TRIP_UPDATES_URL,ALERTS_URL")
            }
            feedID = String(text[..<equals])
            let urls = text[text.index(after: equals)...]
            if let comma = urls.firstIndex(of: ",") {
                tripUpdates = String(urls[..<comma])
                alerts = String(urls[urls.index(after: comma)...])
            } else {
                tripUpdates = String(urls)
                alerts = ""
            }
            do { try FeedID.validate(feedID) } catch { throw ConfigurationError("gtfs-rt entry '\(text)': \(error)") }
            guard !tripUpdates.isEmpty || !alerts.isEmpty else {
                throw ConfigurationError("gtfs-rt entry '\(text)' names no TripUpdates or Alerts source")
            }
        }

        public var description: String { "\(feedID)=\(tripUpdates)\(alerts.isEmpty ? "" : ",\(alerts)")" }
    }

    /// Every feed with GTFS-Realtime sources: the `gtfs-rt` entries, then the single-feed keys
    /// (`gtfs-rt-feed` with `gtfs-rt-trip-updates`/`gtfs-rt-alerts`) when set.
    public var realtimeSources: [RealtimeFeed] {
        var out = realtimeFeeds
        if !realtimeTripUpdates.isEmpty || !realtimeAlerts.isEmpty {
            out.append(RealtimeFeed(feedID: realtimeFeed, tripUpdates: realtimeTripUpdates, alerts: realtimeAlerts))
        }
        return out
    }

    public init() {}

    /// One setting: its key in the file, its environment variable and its flag.
    public struct Key: Sendable {
        public let name: String
        public let environment: String
        public let flag: String
        public let help: String
        /// In the config file the key may appear on several lines; their values add up.
        public let repeatable: Bool
        let apply: @Sendable (inout ResolverConfiguration, String) throws(ConfigurationError) -> Void
        let current: @Sendable (ResolverConfiguration) -> String
    }

    public static let keys: [Key] = [
        key("db", "CIVICTAGS_DB", "Registry: sqlite:PATH or postgres://user:pass@host:port/db", \.database),
        key("host", "CIVICTAGS_HOST", "Address to listen on", \.host),
        key("port", "CIVICTAGS_PORT", "TCP port (0 picks a free one)", \.port),
        key("base-url", "CIVICTAGS_BASE_URL", "Public URL the printed codes point at", \.baseURL),
        key("timezone", "CIVICTAGS_TIMEZONE", "Town's IANA timezone for schedules and scan days", \.timeZone),
        key("town-name", "CIVICTAGS_TOWN_NAME", "Name shown on resolver pages", \.townName),
        key("scan-flush-seconds", "CIVICTAGS_SCAN_FLUSH_SECONDS", "Seconds between scan-count writes", \.scanFlushSeconds),
        key("log-level", "CIVICTAGS_LOG_LEVEL", "trace, debug, info, notice, warning, error", \.logLevel),
        key("max-body-bytes", "CIVICTAGS_MAX_BODY_BYTES", "Largest accepted request body (imports, reports with a photo); larger: 413", \.maxBodyBytes),
        key("report-email-days", "CIVICTAGS_REPORT_EMAIL_DAYS", "Days after a report is closed that the reporter's e-mail is erased", \.reportEmailDays),
        key("reports-per-client", "CIVICTAGS_REPORTS_PER_CLIENT", "Reports one client may send per 10 minutes (counted in memory only)", \.reportsPerClient),
        key("report-teams", "CIVICTAGS_REPORT_TEAMS", "Teams reports can be assigned to, comma-separated", \.reportTeams),
        key("trusted-proxies", "CIVICTAGS_TRUSTED_PROXIES", "Proxy addresses whose X-Forwarded-For names the client (per-client limits), comma-separated", \.trustedProxies),
        key("report-kinds", "CIVICTAGS_REPORT_KINDS", "Tag kinds whose pages take citizens' reports (place, stop, page), comma-separated", \.reportKinds),
        key("report-categories-file", "CIVICTAGS_REPORT_CATEGORIES_FILE", "JSON file of report categories per tag kind (empty: the built-in ones)", \.reportCategoriesFile),
        key("head-timeout-seconds", "CIVICTAGS_HEAD_TIMEOUT_SECONDS", "Seconds to send a whole request head once it started (then 408)", \.headTimeoutSeconds),
        key("idle-timeout-seconds", "CIVICTAGS_IDLE_TIMEOUT_SECONDS", "Seconds a keep-alive connection may stay idle before it is closed", \.idleTimeoutSeconds),
        key("body-timeout-seconds", "CIVICTAGS_BODY_TIMEOUT_SECONDS", "Seconds a request body may go without a byte (then 408)", \.bodyTimeoutSeconds),
        key("max-connections", "CIVICTAGS_MAX_CONNECTIONS", "Open connections at most; beyond: 503 and close (each needs a file descriptor)", \.maxConnections),
        key("unknown-id-cache-seconds", "CIVICTAGS_UNKNOWN_ID_CACHE_SECONDS", "Seconds an unregistered ID is answered 404 from memory (0: ask the store each time)", \.unknownIDCacheSeconds),
        key("admin-listen", "CIVICTAGS_ADMIN_LISTEN", "Web console address HOST:PORT (empty: under /admin on the resolver's port; set: /admin is 404 on the public port)", \.adminListen),
        key("console-https", "CIVICTAGS_CONSOLE_HTTPS", "The console is reached over HTTPS: its cookie is Secure with the __Host- prefix", \.consoleHTTPS),
        key("console-idle-minutes", "CIVICTAGS_CONSOLE_IDLE_MINUTES", "Minutes a console session may go unused before it ends", \.consoleIdleMinutes),
        key("console-session-hours", "CIVICTAGS_CONSOLE_SESSION_HOURS", "Hours after login that a console session ends, used or not", \.consoleSessionHours),
        key("console-tiles", "CIVICTAGS_CONSOLE_TILES", "Map tile URL template for the console's map ({z}/{x}/{y}, {s} for subdomains)", \.consoleTiles),
        key("event-loops", "CIVICTAGS_EVENT_LOOPS", "Event-loop threads serving HTTP (0: one per core less one, at least one)", \.eventLoops),
        key("fast-lane", "CIVICTAGS_FAST_LANE", "Answer `GET /t/{id}` on the event loop in front of Hummingbird (false: every request through Hummingbird's router)", \.fastLane),
            key("transit-clock", "CIVICTAGS_TRANSIT_CLOCK", "Fixed clock for stop pages, ISO 8601 with offset (empty: real time)", \.transitClock),
        key("gtfs-rt-feed", "CIVICTAGS_GTFS_RT_FEED", "Feed ID the GTFS-Realtime sources belong to", \.realtimeFeed),
        key("gtfs-rt-trip-updates", "CIVICTAGS_GTFS_RT_TRIP_UPDATES", "GTFS-Realtime TripUpdates URL or file (empty: none)", \.realtimeTripUpdates),
        key("gtfs-rt-alerts", "CIVICTAGS_GTFS_RT_ALERTS", "GTFS-Realtime Alerts URL or file (empty: none)", \.realtimeAlerts),
        key("gtfs-rt-poll-seconds", "CIVICTAGS_GTFS_RT_POLL_SECONDS", "Seconds between GTFS-Realtime polls", \.realtimePollSeconds),
        key("sun-master-key-file", "CIVICTAGS_SUN_MASTER_KEY_FILE", "File of NTAG 424 DNA master keys, `VERSION HEX32` per line, to verify secure taps (empty: CIVICTAGS_SUN_MASTER_KEY, else none)", \.sunMasterKeyFile),
        Key(
            name: "gtfs-rt", environment: "CIVICTAGS_GTFS_RT", flag: "--gtfs-rt",
            help: "GTFS-Realtime sources of several feeds: `FEED=TRIP_UPDATES,ALERTS` entries (URL or file each, either may be "
                + "empty) separated by spaces; repeat the flag or the file line for more feeds",
            repeatable: true,
            apply: { (configuration: inout ResolverConfiguration, value: String) throws(ConfigurationError) in
                var feeds: [RealtimeFeed] = []
                for entry in value.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                    feeds.append(try RealtimeFeed(parsing: String(entry)))
                }
                configuration.realtimeFeeds = feeds
            },
            current: { $0.realtimeFeeds.map(\.description).joined(separator: " ") }),
    ]

    /// Merges the sources, lowest priority first. `flags` is keyed by ``Key/name``; `fileText` holds
    /// `key = value` lines (`#` starts a comment).
    public static func load(
        flags: [String: String], environment: [String: String], fileText: String?
    ) throws(ConfigurationError) -> ResolverConfiguration {
        var configuration = ResolverConfiguration()
        var repeated: [String: [String]] = [:]
        if let fileText {
            for (number, rawLine) in fileText.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                    .trimmingCharacters(in: .whitespaces)
                if line.isEmpty { continue }
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, let key = keys.first(where: { $0.name == parts[0] }) else {
                    throw ConfigurationError(
                        "config file line \(number + 1): expected 'key = value' with key one of "
                            + keys.map(\.name).joined(separator: ", "))
                }
                if key.repeatable {
                    repeated[key.name, default: []].append(parts[1])
                } else {
                    try key.apply(&configuration, parts[1])
                }
            }
        }
        for key in keys where key.repeatable {
            if let values = repeated[key.name] { try key.apply(&configuration, values.joined(separator: " ")) }
        }
        for key in keys {
            if let value = environment[key.environment], !value.isEmpty { try key.apply(&configuration, value) }
        }
        if let value = environment[sunMasterKeyVariable], !value.isEmpty { configuration.sunMasterKey = RedactedText(value) }
        for key in keys {
            if let value = flags[key.name] { try key.apply(&configuration, value) }
        }
        try configuration.validate()
        return configuration
    }

    /// The environment variable holding master keys themselves (not a file).
    public static let sunMasterKeyVariable = "CIVICTAGS_SUN_MASTER_KEY"

    /// The SUN master keys: ``sunMasterKeyFile``'s, else ``sunMasterKey``'s, else none.
    /// - Throws: ``ConfigurationError`` naming the file or variable and the line (never its text).
    public func sunMasterKeys() throws(ConfigurationError) -> MasterKeyRing? {
        do throws(MasterKeyRing.LoadError) {
            if !sunMasterKeyFile.isEmpty { return try MasterKeyRing(contentsOfFile: sunMasterKeyFile) }
            if !sunMasterKey.text.isEmpty { return try MasterKeyRing(environmentValue: sunMasterKey.text) }
            return nil
        } catch {
            throw ConfigurationError("sun-master-key-file / \(Self.sunMasterKeyVariable): \(error.description)")
        }
    }

    /// The report categories: ``reportCategoriesFile``'s, else the built-in ones.
    /// - Throws: ``ConfigurationError`` naming the file, the entry and the fix.
    public func reportCategories() throws(ConfigurationError) -> [ReportCategory] {
        guard !reportCategoriesFile.isEmpty else { return ReportCategory.defaults }
        guard let data = FileManager.default.contents(atPath: reportCategoriesFile), data.count <= 1_000_000 else {
            throw ConfigurationError("report-categories-file \(reportCategoriesFile) cannot be read (or is over 1 MB)")
        }
        let categories: [ReportCategory]
        do { categories = try JSONCoding.decoder().decode([ReportCategory].self, from: data) } catch {
            throw ConfigurationError("report-categories-file \(reportCategoriesFile) is not a JSON array of {code, name: {fr, en}, kinds}: \(error)")
        }
        guard (1...100).contains(categories.count) else {
            throw ConfigurationError("report-categories-file \(reportCategoriesFile) must list 1 to 100 categories")
        }
        var seen = Set<String>()
        for (index, category) in categories.enumerated() {
            let allowed = category.code.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
            guard (1...40).contains(category.code.count), allowed, seen.insert(category.code).inserted else {
                throw ConfigurationError("report-categories-file entry \(index): code '\(category.code.prefix(40))' must be 1–40 of a–z, 0–9, _ and -, and unique")
            }
            guard !category.name.isEmpty, category.name.fr.count <= 100, category.name.en.count <= 100 else {
                throw ConfigurationError("report-categories-file entry \(index) (\(category.code)): give a name in fr and/or en, at most 100 characters")
            }
            for kind in category.kinds where TargetKind(rawValue: kind) == nil {
                throw ConfigurationError("report-categories-file entry \(index) (\(category.code)): kind '\(kind.prefix(20))' is not one of \(TargetKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        return categories
    }

    /// ``reportKinds`` as target kinds (unknown names are refused by ``validate()``).
    public var reportTargetKinds: Set<TargetKind> {
        Set(reportKinds.split(separator: ",").compactMap { TargetKind(rawValue: $0.trimmingCharacters(in: .whitespaces)) })
    }

    /// ``reportTeams`` as a list.
    public var teams: [String] {
        reportTeams.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `admin-listen` as host and port. - Throws: when it is not `HOST:PORT` with a port in 0…65535.
    public func adminAddress() throws(ConfigurationError) -> (host: String, port: Int) {
        guard let colon = adminListen.lastIndex(of: ":"), let port = Int(adminListen[adminListen.index(after: colon)...]),
              (0...65535).contains(port), colon > adminListen.startIndex
        else { throw ConfigurationError("admin-listen must be HOST:PORT, e.g. 127.0.0.1:8081, not '\(adminListen.prefix(80))'") }
        return (String(adminListen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port)
    }

    public func validate() throws(ConfigurationError) {
        guard TimeZone(identifier: timeZone) != nil else {
            throw ConfigurationError("timezone '\(timeZone)' is not an IANA zone like Europe/Brussels")
        }
        guard (0...65535).contains(port) else { throw ConfigurationError("port \(port) is outside 0…65535") }
        guard (0...256).contains(eventLoops) else { throw ConfigurationError("event-loops must be 0 (one per core less one) to 256, not \(eventLoops)") }
        guard scanFlushSeconds > 0 else { throw ConfigurationError("scan-flush-seconds must be positive") }
        guard maxBodyBytes >= 1 else { throw ConfigurationError("max-body-bytes must be at least 1, not \(maxBodyBytes)") }
        guard (1...3650).contains(reportEmailDays) else {
            throw ConfigurationError("report-email-days must be 1…3650, not \(reportEmailDays)")
        }
        guard (1...1_000_000).contains(reportsPerClient) else {
            throw ConfigurationError("reports-per-client must be 1…1000000, not \(reportsPerClient)")
        }
        _ = try reportCategories()
        for name in reportKinds.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let kind = TargetKind(rawValue: name), [.place, .stop, .page].contains(kind) else {
                throw ConfigurationError("report-kinds: '\(name.prefix(20))' is not place, stop or page")
            }
        }
        guard !teams.isEmpty, teams.allSatisfy({ $0.count <= 40 && !$0.contains(where: \.isNewline) }) else {
            throw ConfigurationError("report-teams must list one or more team names of at most 40 characters, comma-separated")
        }
        for (name, value) in [
            ("head-timeout-seconds", headTimeoutSeconds), ("idle-timeout-seconds", idleTimeoutSeconds),
            ("body-timeout-seconds", bodyTimeoutSeconds),
        ] where !(value > 0 && value <= 86_400) {
            throw ConfigurationError("\(name) must be above 0 and at most 86400 (a day), not \(value)")
        }
        if !adminListen.isEmpty { _ = try adminAddress() }
        guard consoleIdleMinutes > 0, consoleIdleMinutes <= 1440, consoleSessionHours > 0, consoleSessionHours <= 720 else {
            throw ConfigurationError("console-idle-minutes must be above 0 and at most 1440, console-session-hours above 0 and at most 720")
        }
        guard consoleTiles.hasPrefix("https://") || consoleTiles.hasPrefix("http://"), consoleTiles.contains("{z}"),
              consoleTiles.contains("{x}"), consoleTiles.contains("{y}")
        else { throw ConfigurationError("console-tiles must be an http(s) URL template with {z}, {x} and {y}, not '\(consoleTiles.prefix(80))'") }
        guard maxConnections >= 1 else { throw ConfigurationError("max-connections must be at least 1, not \(maxConnections)") }
        guard unknownIDCacheSeconds >= 0, unknownIDCacheSeconds <= 3600 else {
            throw ConfigurationError("unknown-id-cache-seconds must be 0 to 3600, not \(unknownIDCacheSeconds)")
        }
        guard transitClock.isEmpty || transitClockDate != nil else {
            throw ConfigurationError("transit-clock '\(transitClock)' must be ISO 8601 with an offset, like 2026-06-01T08:00:00-04:00")
        }
        _ = try sunMasterKeys()
        guard realtimePollSeconds >= 1 else { throw ConfigurationError("gtfs-rt-poll-seconds must be at least 1") }
        guard realtimeTripUpdates.isEmpty && realtimeAlerts.isEmpty || !realtimeFeed.isEmpty else {
            throw ConfigurationError("gtfs-rt-feed must name the feed (e.g. carta) the GTFS-Realtime sources describe")
        }
        var seen: Set<String> = []
        for source in realtimeSources where !seen.insert(source.feedID).inserted {
            throw ConfigurationError(
                "feed '\(source.feedID)' has GTFS-Realtime sources twice (gtfs-rt and gtfs-rt-feed); give each feed one pair")
        }
        guard let url = URLComponents(string: baseURL), url.scheme == "http" || url.scheme == "https", url.host != nil
        else { throw ConfigurationError("base-url '\(baseURL)' must be an http(s) URL like https://go.example.org") }
    }

    /// ``transitClock`` parsed, or nil when empty or invalid.
    public var transitClockDate: Date? {
        guard !transitClock.isEmpty else { return nil }
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime]
        return format.date(from: transitClock)
    }

    /// The base URL without a trailing slash.
    public var trimmedBaseURL: String {
        baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    private static func key(
        _ name: String, _ environment: String, _ help: String, _ path: any (WritableKeyPath<ResolverConfiguration, String> & Sendable)
    ) -> Key {
        Key(name: name, environment: environment, flag: "--\(name)", help: help, repeatable: false,
            apply: { configuration, value in configuration[keyPath: path] = value },
            current: { $0[keyPath: path] })
    }

    /// A typed key: `parse` turns the text into a value (nil: invalid, and `expected` says what is wanted).
    private static func key<Value: Sendable & CustomStringConvertible>(
        _ name: String, _ environment: String, _ help: String,
        _ path: any (WritableKeyPath<ResolverConfiguration, Value> & Sendable),
        expected: String, parse: @escaping @Sendable (String) -> Value?
    ) -> Key {
        Key(name: name, environment: environment, flag: "--\(name)", help: help, repeatable: false,
            apply: { (configuration: inout ResolverConfiguration, value: String) throws(ConfigurationError) in
                guard let parsed = parse(value) else { throw ConfigurationError("\(name) must be \(expected), not '\(value)'") }
                configuration[keyPath: path] = parsed
            },
            current: { $0[keyPath: path].description })
    }

    private static func key(
        _ name: String, _ environment: String, _ help: String, _ path: any (WritableKeyPath<ResolverConfiguration, Int> & Sendable)
    ) -> Key {
        key(name, environment, help, path, expected: "a whole number") { Int($0) }
    }

    private static func key(
        _ name: String, _ environment: String, _ help: String, _ path: any (WritableKeyPath<ResolverConfiguration, Double> & Sendable)
    ) -> Key {
        key(name, environment, help, path, expected: "a number") { Double($0) }
    }

    private static func key(
        _ name: String, _ environment: String, _ help: String, _ path: any (WritableKeyPath<ResolverConfiguration, Bool> & Sendable)
    ) -> Key {
        key(name, environment, help, path, expected: "true or false") { text in
            switch text.lowercased() {
            case "true", "yes", "on", "1": true
            case "false", "no", "off", "0": false
            default: nil
            }
        }
    }

    /// The configuration table for the README (Markdown).
    public static func markdownTable() -> String {
        let defaults = ResolverConfiguration()
        var lines = ["| File key | Environment | Flag | Default | Meaning |", "|---|---|---|---|---|"]
        for key in keys {
            lines.append("| `\(key.name)` | `\(key.environment)` | `\(key.flag)` | `\(key.current(defaults))` | \(key.help) |")
        }
        return lines.joined(separator: "\n")
    }
}

/// A secret given as text (a key from the environment): compared like text, never shown.
public struct RedactedText: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let text: String
    public init(_ text: String) { self.text = text }
    public var description: String { text.isEmpty ? "(none)" : "(redacted)" }
    public var debugDescription: String { description }
}

public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
