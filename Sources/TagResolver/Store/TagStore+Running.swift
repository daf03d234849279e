public import Logging

extension DatabaseLocation {
    /// Opens the store, runs it (connection pool) and migrates it for the duration of `body` — for the CLI's
    /// direct `--db` mode and for tests. The server instead runs the store in its service group.
    public func withStore<T: Sendable>(
        logger: Logger, _ body: @Sendable (any TagStore) async throws -> T
    ) async throws -> T {
        let store = try openStore(logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            do {
                try await store.migrate()
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
