import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import TagKit
import TagResolver
import Testing

/// The two registry backends; every store and HTTP test runs on both.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

enum TestEnvironment {
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["CIVICTAGS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `make test` sets CIVICTAGS_REQUIRE_ALL=1: then a missing PostgreSQL is a failure, never a skip.
    static var requireAll: Bool { ProcessInfo.processInfo.environment["CIVICTAGS_REQUIRE_ALL"] == "1" }

    /// SQLite always; PostgreSQL when a server is given or required (then its absence fails the tests).
    static var backends: [Backend] { postgresURL != nil || requireAll ? [.sqlite, .postgres] : [.sqlite] }

    static var postgresAvailableOrRequired: Bool { postgresURL != nil || requireAll }

    static let logger: Logger = {
        var logger = Logger(label: "civictags.tests")
        logger.logLevel = .warning
        return logger
    }()

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("civictags-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A new, empty database of `backend`: a fresh SQLite file, or a freshly created PostgreSQL database.
    static func freshDatabase(_ backend: Backend) async throws -> String {
        switch backend {
        case .sqlite:
            return "sqlite:" + (try temporaryDirectory().appendingPathComponent("registry.sqlite").path)
        case .postgres:
            guard let url = postgresURL else {
                throw TestFailure(
                    "CIVICTAGS_TEST_POSTGRES_URL is not set — run `make test` (scripts/test.sh starts PostgreSQL via scripts/pg.sh)")
            }
            guard case let .postgres(host, port, user, password, database) = try DatabaseLocation(parsing: url) else {
                throw TestFailure("CIVICTAGS_TEST_POSTGRES_URL is not a postgres:// URL")
            }
            let name = "civictags_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            let connection = try await PostgresConnection.connect(
                configuration: .init(host: host, port: port, username: user, password: password, database: database, tls: .disable),
                id: 1, logger: logger)
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
            try await connection.close()
            return "postgres://\(user):\(password ?? "")@\(host):\(port)/\(name)"
        }
    }

    /// One connection to the PostgreSQL database at `url` for the duration of `body`.
    static func withPostgres<T: Sendable>(
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
    static func token(_ scope: Scope, in url: String) async throws -> String {
        let (token, record) = APITokens.mint(name: "test-\(scope.rawValue)", scope: scope)
        try await DatabaseLocation(parsing: url).withStore(logger: logger) { try await $0.createToken(record) }
        return token
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A clock tests can set.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ date: Date) { current = date }
    var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }
    func set(_ date: Date) {
        lock.lock()
        current = date
        lock.unlock()
    }
}

func iso(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    return formatter.date(from: text)!
}

/// A resolver on 127.0.0.1 over a fresh database of `backend`, with tokens of every scope.
struct LiveResolver {
    let url: String
    let tokens: [Scope: String]
    let clock: TestClock

    static func make(_ backend: Backend, timeZone: String = "Europe/Brussels", now: Date = Date()) async throws -> LiveResolver {
        let url = try await TestEnvironment.freshDatabase(backend)
        var tokens: [Scope: String] = [:]
        for scope in Scope.allCases { tokens[scope] = try await TestEnvironment.token(scope, in: url) }
        return LiveResolver(url: url, tokens: tokens, clock: TestClock(now))
    }

    func configuration(timeZone: String = "Europe/Brussels") -> ResolverConfiguration {
        var configuration = ResolverConfiguration()
        configuration.database = url
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.baseURL = "https://go.example.org"
        configuration.timeZone = timeZone
        configuration.townName = "Testville"
        configuration.scanFlushSeconds = 0.2
        return configuration
    }

    /// Runs the real server (HummingbirdTesting `.live`: bound to 127.0.0.1, real HTTP) around `body`.
    func run<T: Sendable>(
        timeZone: String = "Europe/Brussels", fastLane: Bool = true,
        configure: (inout ResolverConfiguration) -> Void = { _ in },
        _ body: @Sendable (any TestClientProtocol) async throws -> T
    ) async throws -> T {
        let store = try DatabaseLocation(parsing: url).openStore(logger: TestEnvironment.logger)
        let clock = self.clock
        var configuration = configuration(timeZone: timeZone)
        configuration.fastLane = fastLane
        configure(&configuration)
        let app = try buildApplication(
            configuration: configuration, store: store,
            dependencies: ResolverDependencies(now: { clock.now }, logger: TestEnvironment.logger))
        return try await app.test(.live, body)
    }

    func headers(_ scope: Scope?, json: Bool = true) -> HTTPFields {
        var fields: HTTPFields = [:]
        if let scope, let token = tokens[scope] { fields[.authorization] = "Bearer \(token)" }
        if json { fields[.contentType] = "application/json" }
        return fields
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    func json() throws -> JSONValue { try JSONCoding.decoder().decode(JSONValue.self, from: Data(text.utf8)) }
}

extension ByteBuffer {
    static func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
}

/// Deterministic tag IDs for tests: payload from a number, check character appended.
func testID(_ number: Int) -> TagID {
    var payload: [UInt8] = []
    var value = number
    for _ in 0..<7 {
        payload.append(UInt8(value % 32))
        value /= 32
    }
    return TagID(payload: payload.reversed())
}
