public import Foundation
public import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle
public import TagKit

/// The registry on PostgreSQL through postgres-nio's connection pool, for several resolver instances.
/// Every tag change sends `NOTIFY civictags_tags, '<id>'` inside its transaction, so other instances hear
/// of it as soon as it commits (see ``watchChanges(_:)``).
public final class PostgresTagStore: TagStore {
    public let backend = "postgres"
    static let channel = "civictags_tags"
    let client: PostgresClient
    let logger: Logger

    public init(host: String, port: Int, user: String, password: String?, database: String, logger: Logger) {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: .disable)
        configuration.options.maximumConnections = 16
        configuration.options.connectTimeout = .seconds(5)
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
    }

    public func run() async throws {
        await client.run()
    }

    /// `client.withTransaction`, rethrowing the closure's own error (e.g. ``StoreError``) rather than the
    /// wrapper, so callers and the HTTP error mapping see what went wrong.
    func transaction<T: Sendable>(
        _ logger: Logger, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError { throw closureError }
            throw error
        }
    }

    public func migrate() async throws {
        try await applyMigrations(PostgresMigrations.all)
    }

    /// Applies the migrations of `list` not yet in schema_migrations (the tag store's and the transit store's).
    func applyMigrations(_ list: [(name: String, statements: [String])]) async throws {
        try await transaction(logger) { connection in
            // One migrator at a time across instances; released at commit.
            try await connection.query("SELECT pg_advisory_xact_lock(7212026)", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)",
                logger: logger)
            for migration in list {
                let rows = try await connection.query(
                    "SELECT name FROM schema_migrations WHERE name = \(migration.name)", logger: logger)
                if try await rows.collect().isEmpty == false { continue }
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES (\(migration.name), \(StoredTime.millis(Date())))",
                    logger: logger)
            }
        }
    }

    public func ping() async throws {
        try await client.query("SELECT 1", logger: logger)
    }

    private static let tagColumns =
        "id, name, lat, lon, address, kind, target::text, schedule::text, notes, created_at, updated_at"

    private static func tagRows(_ rows: PostgresRowSequence) async throws -> [TagRow] {
        var out: [TagRow] = []
        for try await (id, name, lat, lon, address, kind, target, schedule, notes, created, updated) in rows.decode(
            (String, String, Double?, Double?, String?, String, String, String, String, Int64, Int64).self)
        {
            out.append(
                TagRow(
                    id: id, name: name, lat: lat, lon: lon, address: address, kind: kind, target: target,
                    schedule: schedule, notes: notes, createdAt: created, updatedAt: updated))
        }
        return out
    }

    public func tag(_ id: TagID) async throws -> Tag? {
        var query = PostgresQuery(unsafeSQL: "SELECT \(Self.tagColumns) FROM tags WHERE id = $1")
        query.binds.append(id.rawValue)
        return try await Self.tagRows(client.query(query, logger: logger)).first?.tag()
    }

    public func tags() async throws -> [Tag] {
        let query = PostgresQuery(unsafeSQL: "SELECT \(Self.tagColumns) FROM tags ORDER BY id")
        return try await Self.tagRows(client.query(query, logger: logger)).map { try $0.tag() }
    }

    public func create(_ tag: Tag, actor: String) async throws -> Tag {
        let row = try TagRow(tag)
        let snapshot = try TagRow.snapshot(tag)
        try await transaction(logger) { connection in
            try await Self.insert(row, connection: connection, logger: logger)
            try await Self.appendAudit(connection, logger, actor: actor, action: "create", tagID: row.id, before: nil, after: snapshot)
        }
        return try row.tag()
    }

    public func importTags(_ tags: [Tag], actor: String) async throws {
        let rows = try tags.map { try TagRow($0) }
        let snapshots = try tags.map { try TagRow.snapshot($0) }
        try await transaction(logger) { connection in
            for (row, snapshot) in zip(rows, snapshots) {
                try await Self.insert(row, connection: connection, logger: logger)
                try await Self.appendAudit(connection, logger, actor: actor, action: "import", tagID: row.id, before: nil, after: snapshot)
            }
        }
    }

    private static func insert(_ row: TagRow, connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query(
            """
            INSERT INTO tags (id, name, lat, lon, address, kind, target, schedule, notes, created_at, updated_at)
            VALUES (\(row.id), \(row.name), \(row.lat), \(row.lon), \(row.address), \(row.kind),
                    \(row.target)::jsonb, \(row.schedule)::jsonb, \(row.notes), \(row.createdAt), \(row.updatedAt))
            ON CONFLICT (id) DO NOTHING RETURNING id
            """, logger: logger)
        guard try await rows.collect().count == 1 else { throw StoreError.alreadyExists(row.id) }
        try await connection.query("SELECT pg_notify(\(channel), \(row.id))", logger: logger)
    }

    public func modify(
        _ id: TagID, actor: String, action: String, _ change: @escaping @Sendable (inout Tag) throws -> Void
    ) async throws -> Tag {
        let logger = self.logger
        return try await transaction(logger) { connection in
            var query = PostgresQuery(unsafeSQL: "SELECT \(Self.tagColumns) FROM tags WHERE id = $1 FOR UPDATE")
            query.binds.append(id.rawValue)
            guard let before = try await Self.tagRows(connection.query(query, logger: logger)).first?.tag() else {
                throw StoreError.notFound(id.rawValue)
            }
            var after = before
            try change(&after)
            after.id = before.id
            after.createdAt = before.createdAt
            after.updatedAt = StoredTime.now()
            let row = try TagRow(after)
            try await connection.query(
                """
                UPDATE tags SET name = \(row.name), lat = \(row.lat), lon = \(row.lon), address = \(row.address),
                    kind = \(row.kind), target = \(row.target)::jsonb, schedule = \(row.schedule)::jsonb,
                    notes = \(row.notes), updated_at = \(row.updatedAt)
                WHERE id = \(row.id)
                """, logger: logger)
            try await Self.appendAudit(
                connection, logger, actor: actor, action: action, tagID: row.id, before: TagRow.snapshot(before),
                after: TagRow.snapshot(after))
            try await connection.query("SELECT pg_notify(\(Self.channel), \(row.id))", logger: logger)
            return after
        }
    }

    public func delete(_ id: TagID, actor: String) async throws {
        let logger = self.logger
        try await transaction(logger) { connection in
            var query = PostgresQuery(unsafeSQL: "SELECT \(Self.tagColumns) FROM tags WHERE id = $1 FOR UPDATE")
            query.binds.append(id.rawValue)
            guard let before = try await Self.tagRows(connection.query(query, logger: logger)).first?.tag() else {
                throw StoreError.notFound(id.rawValue)
            }
            try await connection.query("DELETE FROM bindings WHERE tag_id = \(id.rawValue)", logger: logger)
            try await connection.query("DELETE FROM tags WHERE id = \(id.rawValue)", logger: logger)
            try await Self.appendAudit(
                connection, logger, actor: actor, action: "delete", tagID: id.rawValue, before: TagRow.snapshot(before),
                after: nil)
            try await connection.query("SELECT pg_notify(\(Self.channel), \(id.rawValue))", logger: logger)
        }
    }

    public func addBinding(_ binding: Binding, actor: String) async throws -> Binding {
        let logger = self.logger
        return try await transaction(logger) { connection in try await Self.insertBinding(binding, actor: actor, connection, logger) }
    }

    public func addBindings(_ bindings: [Binding], actor: String) async throws -> [Binding] {
        let logger = self.logger
        return try await transaction(logger) { connection in
            var stored: [Binding] = []
            stored.reserveCapacity(bindings.count)
            for binding in bindings { stored.append(try await Self.insertBinding(binding, actor: actor, connection, logger)) }
            return stored
        }
    }

    private static func insertBinding(
        _ binding: Binding, actor: String, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> Binding {
        let exists = try await connection.query(
            "SELECT id FROM tags WHERE id = \(binding.tagID.rawValue) FOR SHARE", logger: logger
        ).collect()
        guard !exists.isEmpty else { throw StoreError.notFound(binding.tagID.rawValue) }
        let rows = try await connection.query(
            """
            INSERT INTO bindings (tag_id, kind, chip_uid, chip_type, encoded_at, batch_id, created_at)
            VALUES (\(binding.tagID.rawValue), \(binding.kind.rawValue), \(binding.chipUID), \(binding.chipType),
                    \(binding.encodedAt.map(StoredTime.millis)), \(binding.batchID), \(StoredTime.millis(binding.createdAt)))
            RETURNING id
            """, logger: logger)
        var stored = binding
        for try await id in rows.decode(Int64.self) { stored.id = id }
        try await appendAudit(
            connection, logger, actor: actor, action: "bind", tagID: binding.tagID.rawValue, before: nil,
            after: JSONCoding.string(stored))
        return stored
    }

    public func boundTags(kind: Binding.Kind) async throws -> [TagID] {
        let rows = try await client.query(
            "SELECT DISTINCT tag_id FROM bindings WHERE kind = \(kind.rawValue) ORDER BY tag_id", logger: logger)
        var out: [TagID] = []
        for try await tagID in rows.decode(String.self) { out.append(try TagID(parsing: tagID)) }
        return out
    }

    public func bindings(for id: TagID) async throws -> [Binding] {
        let rows = try await client.query(
            """
            SELECT id, tag_id, kind, chip_uid, chip_type, encoded_at, batch_id, created_at
            FROM bindings WHERE tag_id = \(id.rawValue) ORDER BY id
            """, logger: logger)
        var out: [Binding] = []
        for try await (rowID, tagID, kind, uid, type, encoded, batch, created) in rows.decode(
            (Int64, String, String, String?, String?, Int64?, String?, Int64).self)
        {
            out.append(
                Binding(
                    id: rowID, tagID: try TagID(parsing: tagID), kind: Binding.Kind(rawValue: kind) ?? .print,
                    chipUID: uid, chipType: type, encodedAt: encoded.map(StoredTime.date), batchID: batch,
                    createdAt: StoredTime.date(created)))
        }
        return out
    }

    public func addScans(_ counts: [ScanCount]) async throws {
        guard !counts.isEmpty else { return }
        try await transaction(logger) { connection in
            for count in counts {
                try await connection.query(
                    """
                    INSERT INTO scan_counts (tag_id, day, channel, count)
                    VALUES (\(count.tagID.rawValue), \(count.day), \(count.channel.rawValue), \(count.count))
                    ON CONFLICT (tag_id, day, channel) DO UPDATE SET count = scan_counts.count + EXCLUDED.count
                    """, logger: logger)
            }
        }
    }

    public func scans(tag: TagID?, from: String?, to: String?) async throws -> [ScanCount] {
        let rows = try await client.query(
            """
            SELECT tag_id, day, channel, count FROM scan_counts
            WHERE (\(tag?.rawValue)::text IS NULL OR tag_id = \(tag?.rawValue))
              AND (\(from)::text IS NULL OR day >= \(from)) AND (\(to)::text IS NULL OR day <= \(to))
            ORDER BY tag_id, day, channel
            """, logger: logger)
        var out: [ScanCount] = []
        for try await (tagID, day, channel, count) in rows.decode((String, String, String, Int64).self) {
            out.append(
                ScanCount(
                    tagID: try TagID(parsing: tagID), day: day, channel: ScanChannel(rawValue: channel) ?? .qr,
                    count: count))
        }
        return out
    }

    public func audit(tag: TagID?, limit: Int) async throws -> [AuditEntry] {
        let rows = try await client.query(
            """
            SELECT id, at, actor, action, tag_id, before::text, after::text FROM audit_log
            WHERE (\(tag?.rawValue)::text IS NULL OR tag_id = \(tag?.rawValue))
            ORDER BY id DESC LIMIT \(limit)
            """, logger: logger)
        var out: [AuditEntry] = []
        for try await (id, at, actor, action, tagID, before, after) in rows.decode(
            (Int64, Int64, String, String, String?, String?, String?).self)
        {
            out.append(
                AuditEntry(
                    id: id, at: StoredTime.date(at), actor: actor, action: action, tagID: tagID,
                    before: JSONValue(text: before), after: JSONValue(text: after)))
        }
        return out
    }

    static func appendAudit(
        _ connection: PostgresConnection, _ logger: Logger, actor: String, action: String, tagID: String?,
        before: String?, after: String?
    ) async throws {
        try await connection.query(
            """
            INSERT INTO audit_log (at, actor, action, tag_id, before, after)
            VALUES (\(StoredTime.millis(Date())), \(actor), \(action), \(tagID), \(before)::jsonb, \(after)::jsonb)
            """, logger: logger)
    }

    public func createToken(_ token: StoredToken) async throws {
        let logger = self.logger
        let summary = try JSONCoding.string(["id": token.id, "name": token.name, "scope": token.scope.rawValue])
        try await transaction(logger) { connection in
            try await connection.query(
                """
                INSERT INTO api_tokens (id, name, scope, secret_hash, created_at)
                VALUES (\(token.id), \(token.name), \(token.scope.rawValue), \(token.secretHash), \(StoredTime.millis(token.createdAt)))
                """, logger: logger)
            try await Self.appendAudit(
                connection, logger, actor: "cli", action: "token-create", tagID: nil, before: nil, after: summary)
        }
    }

    public func token(id: String) async throws -> StoredToken? {
        let rows = try await client.query(
            "SELECT id, name, scope, secret_hash, created_at FROM api_tokens WHERE id = \(id)", logger: logger)
        for try await (id, name, scope, hash, created) in rows.decode((String, String, String, String, Int64).self) {
            return StoredToken(
                id: id, name: name, scope: Scope(rawValue: scope) ?? .read, secretHash: hash,
                createdAt: StoredTime.date(created))
        }
        return nil
    }

    /// Holds one pooled connection in `LISTEN civictags_tags`; reconnects after a second on failure and then
    /// asks for a full reload (`nil`), since notifications sent while disconnected are lost.
    public func watchChanges(_ onChange: @escaping @Sendable (TagID?) async -> Void) async throws {
        var first = true
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let isReconnect = !first
            first = false
            do {
                try await cancelWhenGracefulShutdown {
                    try await self.client.withConnection { connection in
                        let notifications = try await connection.listen(Self.channel)
                        if isReconnect { await onChange(nil) }
                        for try await notification in notifications {
                            await onChange(try? TagID(parsing: notification.payload))
                        }
                    }
                }
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
                logger.warning("LISTEN connection lost; retrying in 1 s", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}

/// PostgreSQL schema. Named migrations; never edit one that has shipped — add a new one.
enum PostgresMigrations {
    static let all: [(name: String, statements: [String])] = [
        (
            "2026-11-29 registry v1",
            [
                """
                CREATE TABLE tags (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    lat DOUBLE PRECISION, lon DOUBLE PRECISION, address TEXT,
                    kind TEXT NOT NULL,
                    target JSONB NOT NULL,
                    schedule JSONB NOT NULL DEFAULT '[]',
                    notes TEXT NOT NULL DEFAULT '',
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE bindings (
                    id BIGSERIAL PRIMARY KEY,
                    tag_id TEXT NOT NULL REFERENCES tags(id),
                    kind TEXT NOT NULL,
                    chip_uid TEXT, chip_type TEXT, encoded_at BIGINT, batch_id TEXT,
                    created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX bindings_by_tag ON bindings (tag_id)",
                """
                CREATE TABLE scan_counts (
                    tag_id TEXT NOT NULL, day TEXT NOT NULL, channel TEXT NOT NULL, count BIGINT NOT NULL,
                    PRIMARY KEY (tag_id, day, channel))
                """,
                """
                CREATE TABLE audit_log (
                    id BIGSERIAL PRIMARY KEY,
                    at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, tag_id TEXT,
                    before JSONB, after JSONB)
                """,
                "CREATE INDEX audit_by_tag ON audit_log (tag_id, id)",
                """
                CREATE FUNCTION civictags_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$
                """,
                """
                CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION civictags_audit_append_only()
                """,
                """
                CREATE TABLE api_tokens (
                    id TEXT PRIMARY KEY, name TEXT NOT NULL, scope TEXT NOT NULL,
                    secret_hash TEXT NOT NULL, created_at BIGINT NOT NULL)
                """,
            ]
        )
    ]
}

extension DatabaseLocation {
    /// Opens the store this location names (not yet migrated; run it as a service).
    public func openStore(logger: Logger) throws -> any TagStore {
        switch self {
        case .sqlite(let path):
            return try SQLiteTagStore(path: path)
        case let .postgres(host, port, user, password, database):
            return PostgresTagStore(host: host, port: port, user: user, password: password, database: database, logger: logger)
        }
    }
}
