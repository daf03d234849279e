import ArgumentParser
import Foundation
import Logging
import TagResolver

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the resolver: /t/<ID> for the codes on the street, /api/v1 for the registry.",
        discussion: """
            Settings come from flags, then CIVICTAGS_* environment variables, then --config FILE
            (key = value lines), then defaults — see the table in README.md. SIGTERM/SIGINT shut down
            gracefully: requests in flight finish and scan counts are written.
            """)

    @Option(help: "Config file of 'key = value' lines (env CIVICTAGS_CONFIG).") var config: String?
    @Option(help: "sqlite:PATH or postgres://user:pass@host:port/db.") var db: String?
    @Option(help: "Address to listen on.") var host: String?
    @Option(help: "TCP port (0 picks a free one).") var port: Int?
    @Option(help: "Public URL the printed codes point at.") var baseURL: String?
    @Option(help: "Town's IANA timezone, e.g. Europe/Brussels.") var timezone: String?
    @Option(help: "Name shown on resolver pages.") var townName: String?
    @Option(help: "Seconds between scan-count writes.") var scanFlushSeconds: Double?
    @Option(help: "Log level.") var logLevel: String?
    @Option(help: "Largest accepted request body in bytes (imports, reports with a photo); a larger one is answered 413.")
    var maxBodyBytes: Int?
    @Option(help: "Days after a report is closed that the reporter's e-mail is erased (default 90).") var reportEmailDays: Int?
    @Option(help: "Reports one client may send per 10 minutes, counted in memory only (default 5).") var reportsPerClient: Int?
    @Option(help: "Teams reports can be assigned to, comma-separated.") var reportTeams: String?
    @Option(help: "Proxy addresses whose X-Forwarded-For names the client (for per-client limits), comma-separated.")
    var trustedProxies: String?
    @Option(help: "Tag kinds whose pages take citizens' reports: place, stop, page (comma-separated; default place,stop).")
    var reportKinds: String?
    @Option(help: "JSON file of report categories per tag kind, replacing the built-in ones.") var reportCategoriesFile: String?
    @Option(help: "Seconds to send a whole request head once its first byte arrived (then 408 and close).")
    var headTimeoutSeconds: Double?
    @Option(help: "Seconds a keep-alive connection may stay idle before it is closed.") var idleTimeoutSeconds: Double?
    @Option(help: "Seconds a request body may go without a byte arriving (then 408 and close).") var bodyTimeoutSeconds: Double?
    @Option(help: "Open connections at most; beyond it a client gets 503 and is closed.") var maxConnections: Int?
    @Option(help: "Seconds an unregistered ID is answered 404 from memory (0: ask the registry every time).")
    var unknownIdCacheSeconds: Double?
    @Option(help: "true (default): answer GET /t/<ID> on the event loop in front of Hummingbird; false: all through the router.")
    var fastLane: Bool?
    @Option(help: "Web console address HOST:PORT, e.g. 127.0.0.1:8081 (default: under /admin on the resolver's port; when set, /admin is 404 on the public port).")
    var adminListen: String?
    @Option(help: "true: the console is reached over HTTPS, its cookie is Secure with the __Host- prefix.") var consoleHttps: Bool?
    @Option(help: "Minutes a console session may go unused before it ends (default 30).") var consoleIdleMinutes: Double?
    @Option(help: "Hours after login that a console session ends (default 12).") var consoleSessionHours: Double?
    @Option(help: "Map tile URL template for the console's map, with {z}, {x}, {y}.") var consoleTiles: String?
    @Option(help: "Event-loop threads serving HTTP (0: one per core less one, at least one).") var eventLoops: Int?
    @Option(help: "Fixed clock for stop pages, e.g. 2026-06-01T08:00:00-04:00.") var transitClock: String?
    @Option(help: "Feed ID the GTFS-Realtime sources describe.") var gtfsRtFeed: String?
    @Option(help: "GTFS-Realtime TripUpdates URL or file.") var gtfsRtTripUpdates: String?
    @Option(help: "GTFS-Realtime Alerts URL or file.") var gtfsRtAlerts: String?
    @Option(help: "Seconds between GTFS-Realtime polls.") var gtfsRtPollSeconds: Double?
    @Option(help: "File of NTAG 424 DNA master keys (`VERSION HEX32` per line) to verify secure taps; or set CIVICTAGS_SUN_MASTER_KEY.")
    var sunMasterKeyFile: String?
    @Option(help: "GTFS-Realtime sources of one feed, FEED=TRIP_UPDATES,ALERTS (repeat for more feeds).") var gtfsRt: [String] = []

    func loadConfiguration() throws -> ResolverConfiguration {
        var flags: [String: String] = [:]
        flags["db"] = db
        flags["host"] = host
        flags["port"] = port.map(String.init)
        flags["base-url"] = baseURL
        flags["timezone"] = timezone
        flags["town-name"] = townName
        flags["scan-flush-seconds"] = scanFlushSeconds.map { String($0) }
        flags["log-level"] = logLevel
        flags["max-body-bytes"] = maxBodyBytes.map(String.init)
        flags["report-email-days"] = reportEmailDays.map(String.init)
        flags["reports-per-client"] = reportsPerClient.map(String.init)
        flags["report-teams"] = reportTeams
        flags["report-kinds"] = reportKinds
        flags["trusted-proxies"] = trustedProxies
        flags["report-categories-file"] = reportCategoriesFile
        flags["head-timeout-seconds"] = headTimeoutSeconds.map { String($0) }
        flags["idle-timeout-seconds"] = idleTimeoutSeconds.map { String($0) }
        flags["body-timeout-seconds"] = bodyTimeoutSeconds.map { String($0) }
        flags["max-connections"] = maxConnections.map(String.init)
        flags["unknown-id-cache-seconds"] = unknownIdCacheSeconds.map { String($0) }
        flags["fast-lane"] = fastLane.map { String($0) }
        flags["event-loops"] = eventLoops.map(String.init)
        flags["admin-listen"] = adminListen
        flags["console-https"] = consoleHttps.map { String($0) }
        flags["console-idle-minutes"] = consoleIdleMinutes.map { String($0) }
        flags["console-session-hours"] = consoleSessionHours.map { String($0) }
        flags["console-tiles"] = consoleTiles
        flags["transit-clock"] = transitClock
        flags["gtfs-rt-feed"] = gtfsRtFeed
        flags["gtfs-rt-trip-updates"] = gtfsRtTripUpdates
        flags["gtfs-rt-alerts"] = gtfsRtAlerts
        flags["gtfs-rt-poll-seconds"] = gtfsRtPollSeconds.map { String($0) }
        flags["sun-master-key-file"] = sunMasterKeyFile
        if !gtfsRt.isEmpty { flags["gtfs-rt"] = gtfsRt.joined(separator: " ") }
        let environment = ProcessInfo.processInfo.environment
        let file = config ?? environment["CIVICTAGS_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let fileText = try file.map { try String(contentsOfFile: $0, encoding: .utf8) }
        do {
            return try ResolverConfiguration.load(flags: flags, environment: environment, fileText: fileText)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func validate() throws { _ = try loadConfiguration() }

    func run() async throws {
        let configuration = try loadConfiguration()
        // Request handlers then run on the event loop that read the request (no thread hop per request).
        await MainActor.run { _ = useEventLoopsAsGlobalExecutor(eventLoops: configuration.eventLoops) }
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "civictags.resolver")
        let host = configuration.host
        let loops = eventLoopCount(configured: configuration.eventLoops)
        try await runResolver(
            configuration: configuration,
            dependencies: ResolverDependencies(logger: logger, onListening: { port in
                let line = "tagtool serve: listening on http://\(host):\(port) (\(loops) event loop\(loops == 1 ? "" : "s"))\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }, onAdminListening: { port in
                let host = (try? configuration.adminAddress().host) ?? host
                FileHandle.standardOutput.write(Data("tagtool serve: console on http://\(host):\(port)/admin\n".utf8))
            }))
    }
}
