import Foundation
import AsyncHTTPClient
public import Logging
import NIOCore
import NIOHTTP1
public import ServiceLifecycle
public import TransitKit

/// The latest realtime data of one feed, shared between its poller (writer) and the stop pages (readers).
/// Every update bumps ``generation``, so a rendered page knows which data it was made from.
public final class RealtimeState: Sendable {
    private let box = LockedBox((snapshot: RealtimeSnapshot(), generation: UInt64(0)))
    public init() {}
    public var snapshot: RealtimeSnapshot { box.read { $0.snapshot } }
    /// How many updates were applied (0 before the first).
    public var generation: UInt64 { box.read { $0.generation } }
    /// The snapshot and its generation, read together.
    var current: (snapshot: RealtimeSnapshot, generation: UInt64) { box.value }
    func update(_ change: (inout RealtimeSnapshot) -> Void) {
        box.mutate { state in
            change(&state.snapshot)
            state.generation &+= 1
        }
    }
}

/// Polls GTFS-Realtime TripUpdates and Alerts (an http(s) URL or a local file each), by default every 30 s,
/// with `If-None-Match`/`If-Modified-Since`, a timeout, and exponential backoff (doubling from the interval,
/// up to 5 min) after failures, back to the interval after a success. A "not modified" answer keeps the
/// snapshot as it is — its feed timestamp too, so staleness still counts from when the producer made it.
/// Runs as a service in the application's `ServiceGroup`; `sleep` is injectable for tests.
public struct RealtimePoller: Service {
    public enum Source: Sendable, Equatable {
        case url(String)
        case file(String)

        /// `http(s)://…` is a URL, anything else a file path.
        public init(_ text: String) {
            self = text.hasPrefix("http://") || text.hasPrefix("https://") ? .url(text) : .file(text)
        }
    }

    public enum Kind: Sendable { case tripUpdates, alerts }

    /// The most a source may hold, URL or file: 32 MiB (a feed is read whole into memory to be decoded).
    public static let maxFeedBytes = 32 << 20

    let sources: [(Kind, Source)]
    let state: RealtimeState
    let interval: Duration
    let timeout: Duration
    let maxBackoff: Duration
    let sleep: @Sendable (Duration) async throws -> Void
    let logger: Logger

    public init(
        tripUpdates: Source?, alerts: Source?, state: RealtimeState, interval: Duration = .seconds(30),
        timeout: Duration = .seconds(10), maxBackoff: Duration = .seconds(300),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }, logger: Logger
    ) {
        var sources: [(Kind, Source)] = []
        if let tripUpdates { sources.append((.tripUpdates, tripUpdates)) }
        if let alerts { sources.append((.alerts, alerts)) }
        self.sources = sources
        self.state = state
        self.interval = interval
        self.timeout = timeout
        self.maxBackoff = maxBackoff
        self.sleep = sleep
        self.logger = logger
    }

    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for (kind, source) in sources {
                group.addTask { await poll(kind, source) }
            }
        }
    }

    /// Fetches every source once into ``state`` (the CLI's `gtfs departures --trip-updates/--alerts`); throws
    /// the first failure.
    public func fetchAll() async throws {
        for (kind, source) in sources {
            var validators = Validators()
            try await fetchOnce(kind, source, validators: &validators)
        }
    }

    /// One source's loop until cancelled (graceful shutdown cancels the service).
    func poll(_ kind: Kind, _ source: Source) async {
        var validators = Validators()
        var failures = 0
        while !Task.isCancelled {
            do {
                try await fetchOnce(kind, source, validators: &validators)
                failures = 0
            } catch is CancellationError {
                return
            } catch {
                failures += 1
                logger.warning("GTFS-Realtime fetch failed", metadata: ["source": "\(source)", "error": "\(error)", "failures": "\(failures)"])
            }
            do { try await sleep(Self.wait(afterFailures: failures, interval: interval, cap: maxBackoff)) } catch { return }
        }
    }

    /// The pause before the next fetch: the interval, doubled for each failure in a row, at most `cap`.
    static func wait(afterFailures failures: Int, interval: Duration, cap: Duration) -> Duration {
        guard failures > 0 else { return interval }
        var wait = interval
        for _ in 0..<min(failures, 32) {
            wait *= 2
            if wait >= cap { return cap }
        }
        return wait
    }

    struct Validators {
        var etag: String?
        var lastModified: String?
        var fileDate: Date?
    }

    /// Fetches and decodes once; nothing changes when the source says "not modified".
    func fetchOnce(_ kind: Kind, _ source: Source, validators: inout Validators) async throws {
        let bytes: [UInt8]
        switch source {
        case .file(let path):
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let modified = attributes[.modificationDate] as? Date
            if let modified, modified == validators.fileDate { return }
            bytes = try Self.readFile(path)
            validators.fileDate = modified
        case .url(let url):
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "Accept", value: "application/x-protobuf")
            if let etag = validators.etag { request.headers.add(name: "If-None-Match", value: etag) }
            if let date = validators.lastModified { request.headers.add(name: "If-Modified-Since", value: date) }
            // NIO's Duration → TimeAmount keeps sub-second timeouts (`.seconds(components.seconds)` made 500 ms 0).
            let response = try await HTTPClient.shared.execute(request, timeout: TimeAmount(timeout))
            if response.status == .notModified { return }
            guard response.status == .ok else { throw RealtimeError("\(url) answered \(response.status.code)") }
            let body = try await response.body.collect(upTo: Self.maxFeedBytes)
            bytes = Array(body.readableBytesView)
            validators.etag = response.headers.first(name: "ETag")
            validators.lastModified = response.headers.first(name: "Last-Modified")
        }
        let decoded = try RealtimeSnapshot(protobuf: bytes)
        state.update { snapshot in
            switch kind {
            case .tripUpdates:
                snapshot.tripUpdates = decoded.tripUpdates
                snapshot.tripUpdatesTimestamp = decoded.tripUpdatesTimestamp
            case .alerts:
                snapshot.alerts = decoded.alerts
            }
        }
    }
}

extension RealtimePoller {
    /// `path`'s bytes, refused past ``maxFeedBytes``: at most one byte more is read to tell, whatever the file's size.
    static func readFile(_ path: String, limit: Int = maxFeedBytes) throws -> [UInt8] {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var bytes: [UInt8] = []
        while bytes.count <= limit, let chunk = try handle.read(upToCount: min(1 << 20, limit + 1 - bytes.count)), !chunk.isEmpty {
            bytes += chunk
        }
        guard bytes.count <= limit else {
            throw RealtimeError("\(path) holds more than \(limit) bytes, the limit for a GTFS-Realtime feed — is it the right file?")
        }
        return bytes
    }
}

/// A value behind a lock, for state shared across tasks.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Value
    init(_ value: Value) { current = value }
    var value: Value { lock.withLock { current } }
    /// Reads part of the value under the lock, without copying the rest.
    func read<T>(_ body: (Value) -> T) -> T { lock.withLock { body(current) } }
    @discardableResult
    func mutate<T>(_ change: (inout Value) -> T) -> T { lock.withLock { change(&current) } }
}
