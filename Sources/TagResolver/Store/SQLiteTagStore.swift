public import Foundation
import GRDB
import Logging
import ServiceLifecycle
public import TagKit

extension TagRow: FetchableRecord, PersistableRecord {
    static let databaseTableName = "tags"
}

/// The embedded registry: one SQLite file in WAL mode (readers never wait for the writer) through GRDB.
/// `synchronous = FULL` so a write acknowledged to a client survives the process being killed.
public final class SQLiteTagStore: TagStore {
    public let backend = "sqlite"
    let pool: DatabasePool
    public let path: String

    public init(path: String) throws {
        self.path = path
        var configuration = GRDB.Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
    }

    public func run() async throws {
        // Nothing to drive in the background; stay up until the service group shuts down.
        try? await gracefulShutdown()
    }

    public func migrate() async throws {
        try await applyMigrations(SQLiteMigrations.all)
    }

    /// Applies the migrations of `list` not yet in schema_migrations, each in its own transaction (the tag
    /// store's and the transit store's).
    func applyMigrations(_ list: [(name: String, statements: [String])]) async throws {
        try await pool.write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY NOT NULL, applied_at INTEGER NOT NULL)")
        }
        for migration in list {
            try await pool.write { db in
                let done = try Bool.fetchOne(
                    db, sql: "SELECT COUNT(*) > 0 FROM schema_migrations WHERE name = ?", arguments: [migration.name])
                guard done != true else { return }
                for statement in migration.statements { try db.execute(sql: statement) }
                try db.execute(
                    sql: "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                    arguments: [migration.name, StoredTime.millis(Date())])
            }
        }
    }

    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func tag(_ id: TagID) async throws -> Tag? {
        try await pool.read { db in try TagRow.fetchOne(db, key: id.rawValue)?.tag() }
    }

    public func tags() async throws -> [Tag] {
        try await pool.read { db in
            try TagRow.fetchAll(db, sql: "SELECT * FROM tags ORDER BY id").map { try $0.tag() }
        }
    }

    public func create(_ tag: Tag, actor: String) async throws -> Tag {
        let row = try TagRow(tag)
        try await pool.write { db in
            try Self.insert(row, db: db)
            try Self.appendAudit(db: db, actor: actor, action: "create", tagID: row.id, before: nil, after: TagRow.snapshot(tag))
        }
        return try row.tag()
    }

    public func importTags(_ tags: [Tag], actor: String) async throws {
        let rows = try tags.map { try TagRow($0) }
        try await pool.write { db in
            for (row, tag) in zip(rows, tags) {
                try Self.insert(row, db: db)
                try Self.appendAudit(db: db, actor: actor, action: "import", tagID: row.id, before: nil, after: TagRow.snapshot(tag))
            }
        }
    }

    private static func insert(_ row: TagRow, db: Database) throws {
        if try TagRow.exists(db, key: row.id) { throw StoreError.alreadyExists(row.id) }
        try row.insert(db)
    }

    public func modify(
        _ id: TagID, actor: String, action: String, _ change: @escaping @Sendable (inout Tag) throws -> Void
    ) async throws -> Tag {
        try await pool.write { db in
            guard let before = try TagRow.fetchOne(db, key: id.rawValue)?.tag() else {
                throw StoreError.notFound(id.rawValue)
            }
            var after = before
            try change(&after)
            after.id = before.id
            after.createdAt = before.createdAt
            after.updatedAt = StoredTime.now()
            try TagRow(after).update(db)
            try Self.appendAudit(
                db: db, actor: actor, action: action, tagID: id.rawValue, before: TagRow.snapshot(before),
                after: TagRow.snapshot(after))
            return after
        }
    }

    public func delete(_ id: TagID, actor: String) async throws {
        try await pool.write { db in
            guard let before = try TagRow.fetchOne(db, key: id.rawValue)?.tag() else {
                throw StoreError.notFound(id.rawValue)
            }
            try db.execute(sql: "DELETE FROM bindings WHERE tag_id = ?", arguments: [id.rawValue])
            try db.execute(sql: "DELETE FROM tags WHERE id = ?", arguments: [id.rawValue])
            try Self.appendAudit(
                db: db, actor: actor, action: "delete", tagID: id.rawValue, before: TagRow.snapshot(before), after: nil)
        }
    }

    public func addBinding(_ binding: Binding, actor: String) async throws -> Binding {
        try await pool.write { db in try Self.insertBinding(binding, actor: actor, db: db) }
    }

    public func addBindings(_ bindings: [Binding], actor: String) async throws -> [Binding] {
        try await pool.write { db in try bindings.map { try Self.insertBinding($0, actor: actor, db: db) } }
    }

    private static func insertBinding(_ binding: Binding, actor: String, db: Database) throws -> Binding {
        guard try TagRow.exists(db, key: binding.tagID.rawValue) else {
            throw StoreError.notFound(binding.tagID.rawValue)
        }
        try db.execute(
            sql: """
                INSERT INTO bindings (tag_id, kind, chip_uid, chip_type, encoded_at, batch_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                binding.tagID.rawValue, binding.kind.rawValue, binding.chipUID, binding.chipType,
                binding.encodedAt.map(StoredTime.millis), binding.batchID, StoredTime.millis(binding.createdAt),
            ])
        var stored = binding
        stored.id = db.lastInsertedRowID
        try appendAudit(
            db: db, actor: actor, action: "bind", tagID: binding.tagID.rawValue, before: nil,
            after: JSONCoding.string(stored))
        return stored
    }

    public func boundTags(kind: Binding.Kind) async throws -> [TagID] {
        try await pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT DISTINCT tag_id FROM bindings WHERE kind = ? ORDER BY tag_id", arguments: [kind.rawValue]
            ).map { try TagID(parsing: $0) }
        }
    }

    public func bindings(for id: TagID) async throws -> [Binding] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM bindings WHERE tag_id = ? ORDER BY id", arguments: [id.rawValue]
            ).map { row in
                Binding(
                    id: row["id"], tagID: try TagID(parsing: row["tag_id"] as String),
                    kind: Binding.Kind(rawValue: row["kind"]) ?? .print, chipUID: row["chip_uid"],
                    chipType: row["chip_type"], encodedAt: (row["encoded_at"] as Int64?).map(StoredTime.date),
                    batchID: row["batch_id"], createdAt: StoredTime.date(row["created_at"]))
            }
        }
    }

    public func addScans(_ counts: [ScanCount]) async throws {
        guard !counts.isEmpty else { return }
        try await pool.write { db in
            for count in counts {
                try db.execute(
                    sql: """
                        INSERT INTO scan_counts (tag_id, day, channel, count) VALUES (?, ?, ?, ?)
                        ON CONFLICT (tag_id, day, channel) DO UPDATE SET count = scan_counts.count + excluded.count
                        """,
                    arguments: [count.tagID.rawValue, count.day, count.channel.rawValue, count.count])
            }
        }
    }

    public func scans(tag: TagID?, from: String?, to: String?) async throws -> [ScanCount] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT tag_id, day, channel, count FROM scan_counts
                    WHERE (?1 IS NULL OR tag_id = ?1) AND (?2 IS NULL OR day >= ?2) AND (?3 IS NULL OR day <= ?3)
                    ORDER BY tag_id, day, channel
                    """,
                arguments: [tag?.rawValue, from, to]
            ).map { row in
                ScanCount(
                    tagID: try TagID(parsing: row["tag_id"] as String), day: row["day"],
                    channel: ScanChannel(rawValue: row["channel"]) ?? .qr, count: row["count"])
            }
        }
    }

    public func audit(tag: TagID?, limit: Int) async throws -> [AuditEntry] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, at, actor, action, tag_id, before, after FROM audit_log
                    WHERE (?1 IS NULL OR tag_id = ?1) ORDER BY id DESC LIMIT ?2
                    """,
                arguments: [tag?.rawValue, limit]
            ).map { row in
                AuditEntry(
                    id: row["id"], at: StoredTime.date(row["at"]), actor: row["actor"], action: row["action"],
                    tagID: row["tag_id"], before: JSONValue(text: row["before"]), after: JSONValue(text: row["after"]))
            }
        }
    }

    static func appendAudit(
        db: Database, actor: String, action: String, tagID: String?, before: String?, after: String?
    ) throws {
        try db.execute(
            sql: "INSERT INTO audit_log (at, actor, action, tag_id, before, after) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [StoredTime.millis(Date()), actor, action, tagID, before, after])
    }

    public func createToken(_ token: StoredToken) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO api_tokens (id, name, scope, secret_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [token.id, token.name, token.scope.rawValue, token.secretHash, StoredTime.millis(token.createdAt)])
            try Self.appendAudit(
                db: db, actor: "cli", action: "token-create", tagID: nil, before: nil,
                after: JSONCoding.string(["id": token.id, "name": token.name, "scope": token.scope.rawValue]))
        }
    }

    public func token(id: String) async throws -> StoredToken? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_tokens WHERE id = ?", arguments: [id]).map { row in
                StoredToken(
                    id: row["id"], name: row["name"], scope: Scope(rawValue: row["scope"]) ?? .read,
                    secretHash: row["secret_hash"], createdAt: StoredTime.date(row["created_at"]))
            }
        }
    }

    public func watchChanges(_ onChange: @escaping @Sendable (TagID?) async -> Void) async throws {
        try await gracefulShutdown()
    }
}

/// SQLite schema. Named migrations; never edit one that has shipped — add a new one.
enum SQLiteMigrations {
    static let all: [(name: String, statements: [String])] = [
        (
            "2026-11-29 registry v1",
            [
                """
                CREATE TABLE tags (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    lat REAL, lon REAL, address TEXT,
                    kind TEXT NOT NULL,
                    target TEXT NOT NULL,
                    schedule TEXT NOT NULL DEFAULT '[]',
                    notes TEXT NOT NULL DEFAULT '',
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL)
                """,
                """
                CREATE TABLE bindings (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    tag_id TEXT NOT NULL REFERENCES tags(id),
                    kind TEXT NOT NULL,
                    chip_uid TEXT, chip_type TEXT, encoded_at INTEGER, batch_id TEXT,
                    created_at INTEGER NOT NULL)
                """,
                "CREATE INDEX bindings_by_tag ON bindings (tag_id)",
                """
                CREATE TABLE scan_counts (
                    tag_id TEXT NOT NULL, day TEXT NOT NULL, channel TEXT NOT NULL, count INTEGER NOT NULL,
                    PRIMARY KEY (tag_id, day, channel))
                """,
                """
                CREATE TABLE audit_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, tag_id TEXT,
                    before TEXT, after TEXT)
                """,
                "CREATE INDEX audit_by_tag ON audit_log (tag_id, id)",
                """
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
                """,
                """
                CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
                """,
                """
                CREATE TABLE api_tokens (
                    id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, scope TEXT NOT NULL,
                    secret_hash TEXT NOT NULL, created_at INTEGER NOT NULL)
                """,
            ]
        )
    ]
}
