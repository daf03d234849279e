public import Foundation
public import Logging
public import PostgresNIO
public import TagResolver
import TagTestSupport
public import Testing

/// The two registry backends; every store, HTTP and transit store test runs on both.
public enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    public var testDescription: String { rawValue }
}

/// The databases and logger the server tests share.
public enum TestEnvironment {
    /// The PostgreSQL server scripts/pg.sh started (`make test` starts one), or nil.
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["CIVICTAGS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Both, always. Without a PostgreSQL server the PostgreSQL cases go through ``ToolGate`` in
    /// ``freshDatabase(_:sourceLocation:)``: a failure under CIVICTAGS_REQUIRE_ALL=1, a reported skip otherwise.
    public static let backends: [Backend] = [.sqlite, .postgres]

    /// True when a PostgreSQL server is given or required (`make test`).
    public static var postgresAvailableOrRequired: Bool { postgresURL != nil || ToolGate.requireAll }

    public static let logger: Logger = {
        var logger = Logger(label: "civictags.tests")
        logger.logLevel = .warning
        return logger
    }()

    /// A new, empty directory (see ``ProjectPaths/temporaryDirectory()``).
    public static func temporaryDirectory() throws -> URL { try ProjectPaths.temporaryDirectory() }

    /// A new, empty database of `backend`: a fresh SQLite file, or a freshly created PostgreSQL database.
    public static func freshDatabase(
        _ backend: Backend, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> DatabaseLocation {
        switch backend {
        case .sqlite:
            return .sqlite(path: try temporaryDirectory().appendingPathComponent("registry.sqlite").path)
        case .postgres:
            guard let url = postgresURL else {
                try ToolGate.unavailable(
                    "no PostgreSQL: CIVICTAGS_TEST_POSTGRES_URL is not set — run `make test`, or "
                        + "`eval \"$(scripts/pg.sh start)\"` before `swift test`", sourceLocation)
            }
            guard case let .postgres(host, port, user, password, _) = try DatabaseLocation(parsing: url) else {
                throw TestFailure("CIVICTAGS_TEST_POSTGRES_URL is not a postgres:// URL")
            }
            let name = "civictags_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            try await withPostgres(url) { connection in
                _ = try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
            }
            return .postgres(host: host, port: port, user: user, password: password, database: name)
        }
    }

    /// ``freshDatabase(_:)`` as the URL `--db` and ``ResolverConfiguration/database`` take.
    public static func freshDatabaseURL(
        _ backend: Backend, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        try await freshDatabase(backend, sourceLocation: sourceLocation).urlString
    }

    /// One connection to the PostgreSQL database at `url` for the duration of `body`.
    public static func withPostgres<T: Sendable>(
        _ url: String, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        guard case let .postgres(host, port, user, password, database) = try DatabaseLocation(parsing: url) else {
            throw TestFailure("\(url) is not a postgres:// URL")
        }
        let connection = try await PostgresConnection.connect(
            configuration: .init(host: host, port: port, username: user, password: password, database: database, tls: .disable),
            id: 1, logger: logger)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Creates a token of `scope` in the database at `url`.
    public static func token(_ scope: Scope, in url: String) async throws -> String {
        let (token, record) = APITokens.mint(name: "test-\(scope.rawValue)", scope: scope)
        try await DatabaseLocation(parsing: url).withStore(logger: logger) { try await $0.createToken(record) }
        return token
    }
}

extension DatabaseLocation {
    /// The URL form `--db` and ``ResolverConfiguration/database`` take, password included (the
    /// `description` leaves it out for logs).
    public var urlString: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case let .postgres(host, port, user, password, database): "postgres://\(user):\(password ?? "")@\(host):\(port)/\(database)"
        }
    }
}

/// A test precondition that does not hold (a server that did not start, a response that does not parse).
public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A clock tests can set.
public final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    public init(_ date: Date) { current = date }
    public var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }
    public func set(_ date: Date) {
        lock.lock()
        current = date
        lock.unlock()
    }
}
