public import Logging
public import TransitKit

extension DatabaseLocation {
    /// Opens the store this location names (not yet migrated; run it as a service). Both databases hold
    /// tags and transit timetables.
    public func openStore(logger: Logger) throws -> RegistryStore {
        switch self {
        case .sqlite(let path):
            RegistryStore(database: try SQLiteDatabase(path: path), logger: logger)
        case let .postgres(host, port, user, password, database):
            RegistryStore(
                database: PostgresDatabase(
                    host: host, port: port, user: user, password: password, database: database, logger: logger),
                logger: logger)
        }
    }

    /// Opens the store, runs it (connection pool) and migrates it for the duration of `body` — for the CLI's
    /// direct `--db` mode and for tests. The server instead runs the store in its service group.
    public func withStore<T: Sendable>(
        logger: Logger, _ body: @Sendable (any TagStore) async throws -> T
    ) async throws -> T {
        try await running(logger: logger, transit: false, body)
    }

    /// Opens the registry at this location, runs it, migrates the registry and transit tables, calls
    /// `body`, then closes it.
    public func withTransitStore<T: Sendable>(
        logger: Logger, _ body: @Sendable (any TagStore & TransitStore) async throws -> T
    ) async throws -> T {
        try await running(logger: logger, transit: true, body)
    }

    /// The same with every table: tags, transit, events and alerts (`tagtool events|alerts --db`).
    public func withCivicStore<T: Sendable>(
        logger: Logger, _ body: @Sendable (any TagStore & TransitStore & CivicStore) async throws -> T
    ) async throws -> T {
        try await running(logger: logger, transit: true, body)
    }

    /// The same for reports (`tagtool reports --db`).
    public func withReportStore<T: Sendable>(
        logger: Logger, _ body: @Sendable (any TagStore & ReportStore) async throws -> T
    ) async throws -> T {
        try await running(logger: logger, transit: false, body)
    }

    /// The same for console accounts (`tagtool users --db`).
    public func withStaffStore<T: Sendable>(
        logger: Logger, _ body: @Sendable (any StaffStore) async throws -> T
    ) async throws -> T {
        try await running(logger: logger, transit: false, body)
    }

    private func running<T: Sendable>(
        logger: Logger, transit: Bool, _ body: @Sendable (RegistryStore) async throws -> T
    ) async throws -> T {
        let store = try openStore(logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            do {
                try await store.migrate()
                if transit { try await store.migrateTransit() }
                let result = try await body(store)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}
