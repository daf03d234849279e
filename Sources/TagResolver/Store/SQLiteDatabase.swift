import Foundation
import GRDB
import ServiceLifecycle

/// The embedded registry: one SQLite file in WAL mode (readers never wait for the writer) through GRDB; it
/// only runs SQL (the rules are ``RegistryStore``'s). `synchronous = FULL` so a write acknowledged to a
/// client survives the process being killed.
final class SQLiteDatabase: SQLDatabase {
    let dialect = SQLDialect.sqlite
    let pool: DatabasePool
    private let writer = WriterTurn()

    init(path: String) throws {
        var configuration = GRDB.Configuration()
        configuration.busyMode = .timeout(10)
        // The rules are async (shared with PostgreSQL), so a transaction spans several writer accesses:
        // BEGIN IMMEDIATE in one, COMMIT or ROLLBACK in a later one, with `writer` keeping other
        // transactions out in between.
        configuration.allowsUnsafeTransactions = true
        pool = try DatabasePool(path: path, configuration: configuration)
        // Set on the writer after the pool is open: opening it switches to WAL and sets `synchronous = NORMAL`
        // (GRDB's WAL setup runs after `prepareDatabase`), which can lose the last commits on power loss.
        try pool.barrierWriteWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    }

    /// Nothing to drive in the background; stays up until the service group shuts down.
    func run() async {
        try? await gracefulShutdown()
    }

    func execute(_ sql: SQL) async throws {
        try await transaction { try await $0.execute(sql) }
    }

    func fetch<Row: Decodable & Sendable>(_ type: Row.Type, _ sql: SQL) async throws -> [Row] {
        try await SQLiteExecutor(access: .read(pool)).fetch(Row.self, sql)
    }

    func insert(_ table: SQLTableRows) async throws {
        try await transaction { try await $0.insert(table) }
    }

    /// The transaction begins (IMMEDIATE) with its first statement, in the same writer access: one hop to
    /// GRDB's writer queue fewer per transaction, which is what a write's latency is made of here.
    func transaction<T: Sendable>(_ body: (any SQLExecutor) async throws -> T) async throws -> T {
        await writer.acquire()
        do {
            let result = try await body(SQLiteExecutor(access: .write(pool)))
            try await finish { db in if db.isInsideTransaction { try db.commit() } }
            await writer.release()
            return result
        } catch {
            try? await finish { db in if db.isInsideTransaction { try db.rollback() } }
            await writer.release()
            throw error
        }
    }

    /// Ends the open transaction even when the task was cancelled (GRDB refuses work for cancelled tasks, so
    /// then it runs in a task of its own).
    private func finish(_ end: @escaping @Sendable (Database) throws -> Void) async throws {
        let pool = self.pool
        if Task.isCancelled {
            try await Task { try await pool.writeWithoutTransaction(end) }.value
        } else {
            try await pool.writeWithoutTransaction(end)
        }
    }

    /// Reads from a snapshot of the file taken now: an import committing meanwhile is not seen.
    func snapshot<T: Sendable>(_ body: (any SQLExecutor) async throws -> T) async throws -> T {
        try await body(SQLiteExecutor(access: .read(try pool.makeSnapshot())))
    }

    /// One server uses the file, so no other process announces changes: waits for shutdown.
    func listen(
        onListening: @Sendable () async -> Void, _ onNotice: @escaping @Sendable (String) async -> Void
    ) async throws {
        try await gracefulShutdown()
    }
}

/// Statements through GRDB: on the writer connection (inside ``SQLiteDatabase/transaction(_:)``), or on a
/// reader.
struct SQLiteExecutor: SQLExecutor {
    enum Access: Sendable {
        case write(DatabasePool)
        case read(any DatabaseReader)
    }

    let access: Access

    private func run<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        switch access {
        case .write(let pool):
            // Only inside ``SQLiteDatabase/transaction(_:)`` (the writer turn is held): the first statement begins it.
            try await pool.writeWithoutTransaction { db in
                if !db.isInsideTransaction { try db.beginTransaction(.immediate) }
                return try work(db)
            }
        case .read(let reader): try await reader.read(work)
        }
    }

    func execute(_ sql: SQL) async throws {
        let text = sql.text(.sqlite), arguments = StatementArguments(sql.values)
        try await run { db in try db.execute(sql: text, arguments: arguments) }
    }

    func fetch<Row: Decodable & Sendable>(_ type: Row.Type, _ sql: SQL) async throws -> [Row] {
        let text = sql.text(.sqlite), arguments = StatementArguments(sql.values)
        return try await run { db in
            try Record<Row>.fetchAll(db, sql: text, arguments: arguments).map(\.row)
        }
    }

    /// One prepared statement, executed once per row.
    func insert(_ table: SQLTableRows) async throws {
        guard !table.rows.isEmpty else { return }
        try await run { db in
            let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ",")
            let statement = try db.cachedStatement(
                sql: "INSERT INTO \(table.table) (\(table.columns.joined(separator: ","))) VALUES (\(marks))")
            for row in table.rows { try statement.execute(arguments: StatementArguments(row)) }
        }
    }
}

/// Lets GRDB decode any `Decodable` row by column name (its `FetchableRecord` support for `Decodable`
/// types), so the row types stay plain `Codable` structs shared with PostgreSQL.
private struct Record<Row: Decodable>: Decodable, FetchableRecord {
    var row: Row
    init(from decoder: any Decoder) throws { row = try Row(from: decoder) }
}

extension StatementArguments {
    fileprivate init(_ values: [SQLValue]) {
        self.init(values.map { value -> (any DatabaseValueConvertible)? in
            switch value {
            case .null: nil
            case .text(let text): text.databaseValue
            case .int(let number): number.databaseValue
            case .double(let number): number.databaseValue
            case .bytes(let data): data.databaseValue
            }
        })
    }
}

/// One SQLite transaction at a time: a waiting transaction resumes when the previous one ended.
private actor WriterTurn {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
