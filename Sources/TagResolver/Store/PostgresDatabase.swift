import Logging
import NIOCore
import PostgresNIO

/// The registry on PostgreSQL through postgres-nio's connection pool, for several resolver instances; it
/// only runs SQL (the rules are ``RegistryStore``'s). Other instances hear of tag changes through
/// `LISTEN`/`NOTIFY` on ``SQLDialect/changeChannel``.
final class PostgresDatabase: SQLDatabase {
    let dialect = SQLDialect.postgres
    let client: PostgresClient
    let logger: Logger

    init(host: String, port: Int, user: String, password: String?, database: String, logger: Logger) {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: .disable)
        configuration.options.maximumConnections = 16
        configuration.options.connectTimeout = .seconds(5)
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
    }

    func run() async {
        await client.run()
    }

    func execute(_ sql: SQL) async throws {
        try await client.query(Self.query(sql), logger: logger)
    }

    func fetch<Row: Decodable & Sendable>(_ type: Row.Type, _ sql: SQL) async throws -> [Row] {
        try await Self.decode(Row.self, client.query(Self.query(sql), logger: logger))
    }

    func insert(_ table: SQLTableRows) async throws {
        try await transaction { try await $0.insert(table) }
    }

    /// `client.withTransaction`, rethrowing the closure's own error (e.g. ``StoreError``) rather than the
    /// wrapper, so callers and the HTTP error mapping see what went wrong.
    func transaction<T: Sendable>(_ body: (any SQLExecutor) async throws -> T) async throws -> T {
        let logger = self.logger
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await body(PostgresConnectionExecutor(connection: connection, logger: logger))
            }
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError { throw closureError }
            throw error
        }
    }

    /// One pooled connection for the reads; PostgreSQL's statements each see committed data, as before.
    func snapshot<T: Sendable>(_ body: (any SQLExecutor) async throws -> T) async throws -> T {
        let logger = self.logger
        return try await client.withConnection { connection in
            try await body(PostgresConnectionExecutor(connection: connection, logger: logger))
        }
    }

    func listen(
        onListening: @Sendable () async -> Void, _ onNotice: @escaping @Sendable (String) async -> Void
    ) async throws {
        guard let channel = dialect.changeChannel else { return }
        try await client.withConnection { connection in
            try await connection.listen(on: channel) { notifications in
                await onListening()
                for try await notification in notifications { await onNotice(notification.payload) }
            }
        }
    }

    static func query(_ sql: SQL) -> PostgresQuery {
        let values = sql.values
        var binds = PostgresBindings(capacity: values.count)
        for value in values { binds.append(value) }
        return PostgresQuery(unsafeSQL: sql.text(.postgres), binds: binds)
    }

    static func decode<Row: Decodable>(_ type: Row.Type, _ rows: PostgresRowSequence) async throws -> [Row] {
        var out: [Row] = []
        for try await row in rows { out.append(try Row(from: PostgresRowDecoder(row: row.makeRandomAccess()))) }
        return out
    }
}

/// Statements on one leased connection: inside a transaction, or a run of reads.
struct PostgresConnectionExecutor: SQLExecutor {
    let connection: PostgresConnection
    let logger: Logger

    func execute(_ sql: SQL) async throws {
        try await connection.query(PostgresDatabase.query(sql), logger: logger)
    }

    func fetch<Row: Decodable & Sendable>(_ type: Row.Type, _ sql: SQL) async throws -> [Row] {
        try await PostgresDatabase.decode(Row.self, connection.query(PostgresDatabase.query(sql), logger: logger))
    }

    /// Multi-row INSERTs of up to 60,000 parameters (the protocol allows 65,535 per statement).
    func insert(_ table: SQLTableRows) async throws {
        guard !table.rows.isEmpty else { return }
        let perBatch = max(1, 60_000 / table.columns.count)
        var start = 0
        while start < table.rows.count {
            let batch = table.rows[start..<min(start + perBatch, table.rows.count)]
            var binds = PostgresBindings(capacity: batch.count * table.columns.count)
            var tuples: [String] = []
            tuples.reserveCapacity(batch.count)
            var number = 0
            for row in batch {
                var marks: [String] = []
                for value in row {
                    number += 1
                    marks.append("$\(number)")
                    binds.append(value)
                }
                tuples.append("(" + marks.joined(separator: ",") + ")")
            }
            let sql = "INSERT INTO \(table.table) (\(table.columns.joined(separator: ","))) VALUES " + tuples.joined(separator: ",")
            try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            start += perBatch
        }
    }
}

extension PostgresBindings {
    fileprivate mutating func append(_ value: SQLValue) {
        switch value {
        case .null: appendNull()
        case .text(let text): append(text)
        case .int(let number): append(number)
        case .double(let number): append(number)
        case .bytes(let data): append(ByteBuffer(bytes: data))
        }
    }
}
