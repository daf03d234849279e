public import Foundation
public import Hummingbird
public import HummingbirdTesting
public import TagResolver
public import Testing

/// The resolver in the test's process (HummingbirdTesting `.live`: bound to 127.0.0.1 on a free port, real
/// HTTP). Every in-process server test starts it here; ``ServerProcess`` is the out-of-process one.
public func withInProcessResolver<T: Sendable>(
    configuration: ResolverConfiguration, now: @escaping @Sendable () -> Date = { Date() },
    _ body: @Sendable (any TestClientProtocol) async throws -> T
) async throws -> T {
    var configuration = configuration
    configuration.host = "127.0.0.1"
    configuration.port = 0
    let logger = TestEnvironment.logger
    let store = try DatabaseLocation(parsing: configuration.database).openStore(logger: logger)
    let app = try buildApplication(
        configuration: configuration, store: store, dependencies: ResolverDependencies(now: now, logger: logger))
    return try await app.test(.live, body)
}

/// A resolver over a fresh database of one backend, with tokens of every scope and a clock the test sets.
public struct LiveResolver: Sendable {
    public let url: String
    public let tokens: [Scope: String]
    public let clock: TestClock

    public init(url: String, tokens: [Scope: String], clock: TestClock) {
        self.url = url
        self.tokens = tokens
        self.clock = clock
    }

    public static func make(
        _ backend: Backend, now: Date = Date(), sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> LiveResolver {
        let url = try await TestEnvironment.freshDatabaseURL(backend, sourceLocation: sourceLocation)
        var tokens: [Scope: String] = [:]
        for scope in Scope.allCases { tokens[scope] = try await TestEnvironment.token(scope, in: url) }
        return LiveResolver(url: url, tokens: tokens, clock: TestClock(now))
    }

    public func configuration(timeZone: String = "Europe/Brussels") -> ResolverConfiguration {
        var configuration = ResolverConfiguration()
        configuration.database = url
        configuration.baseURL = "https://go.example.org"
        configuration.timeZone = timeZone
        configuration.townName = "Testville"
        configuration.scanFlushSeconds = 0.2
        return configuration
    }

    /// Runs the real server around `body` (see ``withInProcessResolver(configuration:now:_:)``).
    /// `configure` changes any other setting (limits, timeouts) before the server starts.
    public func run<T: Sendable>(
        timeZone: String = "Europe/Brussels", fastLane: Bool = true,
        configure: (inout ResolverConfiguration) -> Void = { _ in },
        _ body: @Sendable (any TestClientProtocol) async throws -> T
    ) async throws -> T {
        var configuration = configuration(timeZone: timeZone)
        configuration.fastLane = fastLane
        configure(&configuration)
        let clock = self.clock
        return try await withInProcessResolver(configuration: configuration, now: { clock.now }, body)
    }

    public func headers(_ scope: Scope?, json: Bool = true) -> HTTPFields {
        var fields: HTTPFields = [:]
        if let scope, let token = tokens[scope] { fields[.authorization] = "Bearer \(token)" }
        if json { fields[.contentType] = "application/json" }
        return fields
    }
}

extension TestResponse {
    public var text: String { String(buffer: body) }
    public func json() throws -> JSONValue { try JSONCoding.decoder().decode(JSONValue.self, from: Data(text.utf8)) }
}

extension ByteBuffer {
    public static func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
}
