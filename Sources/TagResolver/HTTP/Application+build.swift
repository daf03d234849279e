public import Foundation
public import Hummingbird
public import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
public import TransitKit
import CivicKit
import TagKit

#if canImport(Glibc)
import Glibc
#endif

/// What the application needs from outside besides its configuration: a clock (tests move it across a
/// daylight-saving change) and where to say the server is up.
public struct ResolverDependencies: Sendable {
    public var now: @Sendable () -> Date
    public var logger: Logger
    /// Called with the bound port once the server listens (port 0 in the configuration picks a free one).
    public var onListening: @Sendable (Int) async -> Void
    /// Called with the console's bound port when it listens on its own address (`admin-listen`).
    public var onAdminListening: @Sendable (Int) async -> Void

    public init(
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger? = nil,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in },
        onAdminListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.now = now
        self.logger = logger ?? Logger(label: "civictags.resolver")
        self.onListening = onListening
        self.onAdminListening = onAdminListening
    }
}

/// Builds the resolver for `configuration.database`: opens the store, and runs it, the cache sync, the scan
/// flusher and the HTTP server in one service group. Startup migrates the schema and loads the cache.
public func buildApplication(
    configuration: ResolverConfiguration, dependencies: ResolverDependencies = ResolverDependencies()
) async throws -> some ApplicationProtocol {
    let location = try DatabaseLocation(parsing: configuration.database)
    let store = try location.openStore(logger: dependencies.logger)
    return try buildApplication(configuration: configuration, store: store, dependencies: dependencies)
}

/// Lets Swift concurrency run on NIO's event loops, so an async request handler does not hop threads.
/// Call once, first thing in `main`, before any task starts; returns false when it was too late.
/// `eventLoops` > 0 sets how many event-loop threads the process uses; 0 takes ``eventLoopCount(configured:cores:)``.
@discardableResult
public func useEventLoopsAsGlobalExecutor(eventLoops: Int = 0) -> Bool {
    NIOSingletons.groupLoopCountSuggestion = eventLoopCount(configured: eventLoops)
    return NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}

/// The event loops `tagtool serve` runs: `configured` if above 0, else one per core less one, at least one.
/// Why not one per core: a resolver shares its machine — with the TLS proxy in front of it, the database, a load
/// generator — and one loop per core makes it compete for every core. Measured on 2 cores with wrk alongside
/// (BENCHMARKS.md): two loops gave a p99 of 4.7–5.9 ms, one loop 2.5–3.5 ms at 10–25 % less peak rate
/// (one loop still answers 65–85 k requests/s, far more than a town's scans).
public func eventLoopCount(configured: Int, cores: Int = System.coreCount) -> Int {
    configured > 0 ? configured : max(1, cores - 1)
}

/// Builds and runs the resolver until SIGTERM or SIGINT, then shuts down gracefully: the server stops
/// accepting, requests in flight finish, pending scan counts are written, the database is closed.
public func runResolver(configuration: ResolverConfiguration, dependencies: ResolverDependencies) async throws {
    raiseOpenFileLimit(toServe: configuration.maxConnections, logger: dependencies.logger)
    let app = try await buildApplication(configuration: configuration, dependencies: dependencies)
    try await app.runService()
}

/// Builds the resolver on a store the caller opened (it becomes one of the application's services).
public func buildApplication<Store: TagStore & TransitStore & CivicStore & ReportStore & StaffStore & ConsoleStatsStore & ChipVerificationStore>(
    configuration: ResolverConfiguration, store: Store, dependencies: ResolverDependencies = ResolverDependencies()
) throws -> Application<RouterResponder<ResolverContext>> {
    try configuration.validate()
    let logger = dependencies.logger
    let timeZone = TimeZone(identifier: configuration.timeZone) ?? .gmt
    let cache = TagCache(unknownFor: .milliseconds(Int64(configuration.unknownIDCacheSeconds * 1000)))
    let scans = ScanCounter()
    let metrics = ResolverMetrics()
    let flusher = ScanFlushService(
        store: store, counter: scans, interval: .milliseconds(Int64(configuration.scanFlushSeconds * 1000)),
        metrics: metrics, logger: logger)

    // HEAD answers like GET without the body, on every route (link checkers ask HEAD /t/{id}).
    let router = Router(context: ResolverContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: RequestMetricsMiddleware(metrics: metrics, logger: logger))
    router.add(middleware: ErrorMappingMiddleware(logger: logger))

    // The registered tag with an ID, from the cache (places named by events, reports and Open311 requests).
    let cachedTag: @Sendable (String) -> Tag? = { id in (try? TagID(parsing: id)).flatMap { cache.entry($0)?.tag } }

    // Events and town alerts in memory; place pages, event pages and the open feeds.
    let civic = CivicService(store: store, timeZone: timeZone)
    let civicPages = CivicPageService(
        civic: civic, town: configuration.townName, baseURL: configuration.trimmedBaseURL, now: dependencies.now,
        reportLinks: configuration.reportTargetKinds.contains(.place),
        tag: cachedTag)
    CivicController(pages: civicPages, transit: store).addRoutes(to: router)

    // Stop pages for `stop` targets, GTFS-Realtime pollers when configured.
    let transit = TransitServices(
        configuration: configuration, store: store, civic: civic, reportLinks: configuration.reportTargetKinds.contains(.stop),
        now: dependencies.now, logger: logger)
    // Staff sign in to the web console; a technician's verified tap while signed in is an inspection.
    let console = ConsoleService(
        store: store, town: configuration.townName, secureCookies: configuration.consoleHTTPS,
        idleMinutes: configuration.consoleIdleMinutes, absoluteHours: configuration.consoleSessionHours, now: dependencies.now)
    // Taps with a sticker's evidence (NTAG 424 DNA SUN, NTAG21x mirror), checked against the chip bound to the tag.
    let localTime = LocalTime(timeZone: timeZone)
    let taps = TapService(
        verifier: TapVerifier(store: store, keys: try configuration.sunMasterKeys(), metrics: metrics, now: dependencies.now, logger: logger),
        store: store,
        staffUser: { request in
            guard request.cookies[console.cookieName] != nil else { return nil }
            return try? await console.session(request)?.user.name
        },
        localDay: { localTime.day($0) }, secureCookies: configuration.trimmedBaseURL.hasPrefix("https://"), logger: logger)
    let resolver = ResolveController(
        store: store, cache: cache, scans: scans, metrics: metrics,
        minuteCache: LocalMinuteCache(localTime: localTime), now: dependencies.now,
        town: configuration.townName, logger: logger, stopPages: transit.pages, civicPages: civicPages,
        reportsOnPages: configuration.reportTargetKinds.contains(.page), taps: taps)
    resolver.addRoutes(to: router)
    let fastLane = configuration.fastLane
        ? FastLane(
            resolveNow: { resolver.resolveNow($0) }, resolve: { try await resolver.resolve($0) },
            counter: { route, status in
                let requests = metrics.requestCounter(route: route, status: status), answers = metrics.fastLaneAnswers
                return {
                    requests.increment()
                    answers.increment()
                }
            }, countWait: { metrics.fastLaneWaits.increment() },
            tap: { rawID, query, response, hop, done in resolver.tapped(rawID: rawID, query: query, response: response, hop: hop, done: done) },
            logger: logger)
        : nil
    AdminController(
        store: store, cache: cache, auth: Authenticator(store: store), flusher: flusher,
        baseURL: configuration.trimmedBaseURL, maxBodyBytes: configuration.maxBodyBytes,
        bindingsChanged: { taps.verifier.forgetChip($0) }
    ).addRoutes(to: router.group("api/v1"))
    CivicAdminController(
        store: store, civic: civic, auth: Authenticator(store: store), maxBodyBytes: configuration.maxBodyBytes,
        now: dependencies.now
    ).addRoutes(to: router.group("api/v1"))

    // Citizens' reports: the form at each place and stop, follow-up pages, photos; staff triage in the API.
    let reports = ReportService(
        store: store, town: configuration.townName, baseURL: configuration.trimmedBaseURL,
        categories: try configuration.reportCategories(),
        reportsPerClient: configuration.reportsPerClient, maxBodyBytes: configuration.maxBodyBytes,
        kinds: configuration.reportTargetKinds,
        trustedProxies: Set(configuration.trustedProxies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }),
        now: dependencies.now,
        processPhoto: ReportPhotos.process)
    ReportController(store: store, service: reports, tag: cachedTag, taps: taps)
        .addRoutes(to: router)
    Open311Controller(
        store: store, service: reports, timeZone: timeZone, contact: configuration.townName,
        tag: cachedTag
    ).addRoutes(to: router)
    ReportAdminController(
        store: store, auth: Authenticator(store: store), teams: configuration.teams, emailDays: configuration.reportEmailDays,
        maxBodyBytes: configuration.maxBodyBytes, timeZone: timeZone, now: dependencies.now
    ).addRoutes(to: router.group("api/v1"))
    let retention = ReportRetentionService(
        store: store, days: configuration.reportEmailDays, interval: .seconds(3600), now: dependencies.now, logger: logger)

    router.get("healthz") { _, _ in
        ResolveController<Store>.json(["status": "ok"], status: .ok)
    }
    router.get("readyz") { _, _ in
        do {
            try await store.ping()
            return ResolveController<Store>.json(["status": "ready", "database": store.backend], status: .ok)
        } catch {
            logger.warning("readiness check failed", metadata: ["error": "\(error)"])
            return ResolveController<Store>.json(
                ["status": "database unreachable", "database": store.backend], status: .serviceUnavailable)
        }
    }
    let connections = ConnectionCount(limit: configuration.maxConnections)
    router.get("metrics") { _, _ in
        metrics.cacheSize.set(Double(cache.count))
        metrics.openConnections.set(Double(connections.open))
        metrics.refusedConnections.set(Double(connections.refused))
        metrics.scanFlushLag.set(scans.lagSeconds)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: metrics.render())))
    }

    // The web console: under /admin here, or on its own address (then nothing answers /admin on this port).
    let consoleRoutes = ConsoleController(environment: ConsoleEnvironment(
        store: store, console: console, cache: cache, civic: civic, reports: reports, teams: configuration.teams,
        baseURL: configuration.trimmedBaseURL,
        timeZone: timeZone, now: dependencies.now, maxBodyBytes: configuration.maxBodyBytes, tileURL: configuration.consoleTiles,
        logger: logger))
    var consoleServices: [any Service] = []
    if configuration.adminListen.isEmpty {
        consoleRoutes.addRoutes(to: router)
    } else {
        let address = try configuration.adminAddress()
        let adminRouter = Router(context: ResolverContext.self, options: .autoGenerateHeadEndpoints)
        adminRouter.add(middleware: RequestMetricsMiddleware(metrics: metrics, logger: logger))
        adminRouter.add(middleware: ErrorMappingMiddleware(logger: logger))
        consoleRoutes.addRoutes(to: adminRouter)
        let onAdminListening = dependencies.onAdminListening
        consoleServices.append(Application(
            router: adminRouter,
            server: .resolver(fastLane: nil, limits: EdgeLimits(configuration), connections: ConnectionCount(limit: 1024)),
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: nil),
            onServerRunning: { channel in await onAdminListening(channel.localAddress?.port ?? 0) },
            logger: logger))
    }

    let onListening = dependencies.onListening
    var app = Application(
        router: router,
        server: .resolver(fastLane: fastLane, limits: EdgeLimits(configuration), connections: connections),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
        services: [store, CacheSyncService(store: store, cache: cache, civic: civic, taps: taps.verifier, logger: logger), flusher, retention] + transit.services
            + consoleServices,
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
        logger: logger)
    app.beforeServerStarts {
        try await store.migrate()
        try await transit.migrate()
        cache.replaceAll(try await store.tags())
        try await civic.reload()
        try await reports.start()
        console.start(sharedSecret: try await store.sharedSecret("console-login-key"))
        taps.start(sharedSecret: try await store.sharedSecret("onsite-token-key"))
        metrics.cacheSize.set(Double(cache.count))
        logger.info("registry ready", metadata: ["database": "\(store.backend)", "tags": "\(cache.count)"])
    }
    return app
}

/// Raises the process's soft limit on open files towards its hard limit so that `max-connections` can be
/// reached (each connection is a descriptor; the database, logs and the listener need a few more). When even
/// the hard limit is too low, says so: the edge would otherwise fail to accept before it could refuse with 503.
func raiseOpenFileLimit(toServe connections: Int, logger: Logger) {
    let reserve = 256
    var limits = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits) == 0 else { return }
    let wanted = rlim_t(connections + reserve)
    if limits.rlim_cur < wanted {
        var raised = limits
        raised.rlim_cur = min(wanted, limits.rlim_max)
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limits = raised }
    }
    if limits.rlim_cur < wanted {
        logger.warning(
            "open-file limit is below max-connections plus \(reserve)",
            metadata: ["limit": "\(limits.rlim_cur)", "max-connections": "\(connections)",
                       "fix": "raise the limit (ulimit -n, LimitNOFILE=) or lower max-connections"])
    }
}
