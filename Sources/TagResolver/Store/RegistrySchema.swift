import Foundation

/// One named schema change. Applied once per database (its name recorded in `schema_migrations`) and never
/// edited after it shipped: databases created by earlier releases must reach the same schema. Statements
/// are templates (``SQLDialect/schema(_:)``) so SQLite and PostgreSQL get one description of each table.
struct Migration: Sendable {
    var name: String
    var statements: @Sendable (SQLDialect) -> [String]

    init(_ name: String, _ statements: @escaping @Sendable (SQLDialect) -> [String]) {
        self.name = name
        self.statements = statements
    }

    init(_ name: String, templates: [String]) {
        self.init(name) { dialect in templates.map(dialect.schema) }
    }
}

/// The registry's tables: tags, bindings, scan counters, the append-only audit log and API tokens.
enum RegistrySchema {
    static let migrations = [
        Migration("2026-11-29 registry v1") { dialect in
            [
                """
                CREATE TABLE tags (
                    id {TEXT_KEY},
                    name TEXT NOT NULL,
                    lat {FLOAT}, lon {FLOAT}, address TEXT,
                    kind TEXT NOT NULL,
                    target {JSON} NOT NULL,
                    schedule {JSON} NOT NULL DEFAULT '[]',
                    notes TEXT NOT NULL DEFAULT '',
                    created_at {BIGINT} NOT NULL,
                    updated_at {BIGINT} NOT NULL)
                """,
                """
                CREATE TABLE bindings (
                    id {SERIAL_KEY},
                    tag_id TEXT NOT NULL REFERENCES tags(id),
                    kind TEXT NOT NULL,
                    chip_uid TEXT, chip_type TEXT, encoded_at {BIGINT}, batch_id TEXT,
                    created_at {BIGINT} NOT NULL)
                """,
                "CREATE INDEX bindings_by_tag ON bindings (tag_id)",
                """
                CREATE TABLE scan_counts (
                    tag_id TEXT NOT NULL, day TEXT NOT NULL, channel TEXT NOT NULL, count {BIGINT} NOT NULL,
                    PRIMARY KEY (tag_id, day, channel))
                """,
                """
                CREATE TABLE audit_log (
                    id {SERIAL_KEY},
                    at {BIGINT} NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, tag_id TEXT,
                    before {JSON}, after {JSON})
                """,
                "CREATE INDEX audit_by_tag ON audit_log (tag_id, id)",
            ].map(dialect.schema)
                + dialect.appendOnly("audit_log")
                + [
                    dialect.schema(
                        """
                        CREATE TABLE api_tokens (
                            id {TEXT_KEY}, name TEXT NOT NULL, scope TEXT NOT NULL,
                            secret_hash TEXT NOT NULL, created_at {BIGINT} NOT NULL)
                        """)
                ]
        },
        // NTAG 424 DNA chips carry per-chip keys diversified from a versioned master key; the binding says which
        // version, so the resolver can verify the chip's taps after the master key has been rotated.
        Migration("2026-11-30 bindings key version", templates: ["ALTER TABLE bindings ADD COLUMN key_version {BIGINT}"]),
    ]

    /// Where each database records the migrations it has applied.
    static let migrationsTable =
        "CREATE TABLE IF NOT EXISTS schema_migrations (name {TEXT_KEY}, applied_at {BIGINT} NOT NULL)"

    /// Serialises migrators across instances sharing one PostgreSQL.
    static let migrationLock: Int64 = 7_212_026
}

extension SQLDatabase {
    /// Applies the migrations of `list` this database has not recorded yet, all in one transaction; safe to
    /// run on every start and from several instances at once.
    func migrate(_ list: [Migration]) async throws {
        let dialect = self.dialect
        try await transaction { db in
            if let lock = dialect.exclusiveLock(RegistrySchema.migrationLock) { try await db.execute(lock) }
            try await db.execute("\(raw: dialect.schema(RegistrySchema.migrationsTable))")
            for migration in list {
                let applied = try await db.values(
                    String.self, "SELECT name AS value FROM schema_migrations WHERE name = \(migration.name)")
                guard applied.isEmpty else { continue }
                for statement in migration.statements(dialect) { try await db.execute("\(raw: statement)") }
                try await db.execute(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES (\(migration.name), \(StoredTime.millis(Date())))")
            }
        }
    }
}
