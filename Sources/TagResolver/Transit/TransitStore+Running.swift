public import Logging

extension DatabaseLocation {
    /// Opens the registry at this location as a transit store, runs it, migrates the registry and transit
    /// tables, calls `body`, then closes it.
    public func withTransitStore<T: Sendable>(
        logger: Logger, _ body: @Sendable (any TagStore & TransitStore) async throws -> T
    ) async throws -> T {
        let store: any TagStore & TransitStore = switch self {
        case .sqlite(let path): try SQLiteTagStore(path: path)
        case let .postgres(host, port, user, password, database):
            PostgresTagStore(host: host, port: port, user: user, password: password, database: database, logger: logger)
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            do {
                try await store.migrate()
                try await store.migrateTransit()
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
