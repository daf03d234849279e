import Foundation
import GRDB
import PostgresNIO
import TagResolver
import ServerTestSupport
import TagTestSupport
import Testing

/// The schema the migrations build: unchanged since it shipped (``ShippedSchema``), and the same tables on
/// both databases — one description rendered per dialect must not drift apart.
@Suite("Registry schema")
struct SchemaTests {
    /// A fresh database of `backend` with the registry and transit migrations applied.
    static func migrated(_ backend: Backend) async throws -> String {
        let url = try await TestEnvironment.freshDatabaseURL(backend)
        try await DatabaseLocation(parsing: url).withTransitStore(logger: TestEnvironment.logger) { _ in }
        return url
    }

    static func sqliteLines(_ url: String, _ sql: String) async throws -> [String] {
        let queue = try DatabaseQueue(path: String(url.dropFirst("sqlite:".count)))
        return try await queue.read { try String.fetchAll($0, sql: sql) }
    }

    static func postgresLines(_ url: String, _ queries: [String]) async throws -> [String] {
        try await TestEnvironment.withPostgres(url) { connection in
            var lines: [String] = []
            for query in queries {
                for try await line in try await connection.query(PostgresQuery(unsafeSQL: query), logger: TestEnvironment.logger)
                    .decode(String.self) { lines.append(line) }
            }
            return lines
        }
    }

    /// The names an existing database has recorded: the runner skips these, so such a database opens as is. By
    /// name: migrations applied in the same millisecond tie on `applied_at`.
    static let migrationNames = [
        "2026-11-29 registry v1", "2026-11-30 bindings key version", "2026-11-30 civic v1", "2026-11-30 console v1",
        "2026-11-30 dashboard summary v1", "2026-11-30 reports v1", "2026-11-30 tag search v1", "2026-11-30 trusted taps v1",
        "2026-12-01 tag search index without pending list",
        "transit-001-gtfs", "transit-002-stop-times-by-trip",
    ]
    static let migrationNamesQuery = "SELECT name FROM schema_migrations ORDER BY name"

    @Test("a new SQLite database has the shipped schema, text for text, under the shipped migration names")
    func sqliteSchemaIsTheShippedOne() async throws {
        let url = try await Self.migrated(.sqlite)
        let lines = try await Self.sqliteLines(url, ShippedSchema.sqliteQuery)
        #expect(lines.joined(separator: "\n") == ShippedSchema.sqlite)
        #expect(try await Self.sqliteLines(url, Self.migrationNamesQuery) == Self.migrationNames)
    }

    @Test(
        "a new PostgreSQL database has the shipped schema under the shipped migration names")
    func postgresSchemaIsTheShippedOne() async throws {
        let url = try await Self.migrated(.postgres)
        #expect(try await Self.postgresLines(url, [Self.migrationNamesQuery]) == Self.migrationNames)
        let lines = try await Self.postgresLines(url, ShippedSchema.postgresQueries)
        // Sorted here: PostgreSQL orders names by the server's collation.
        #expect(lines.sorted() == ShippedSchema.postgres.split(separator: "\n").map(String.init).sorted())
    }

    /// A column as both databases can state it: name, position, whether it takes NULL, and a kind of type
    /// (`integer`, `float`, `text`; JSON is text on SQLite).
    struct Column: Equatable, CustomStringConvertible {
        var table: String
        var name: String
        var kind: String
        var nullable: Bool
        var description: String { "\(table).\(name) \(kind)\(nullable ? "" : " NOT NULL")" }
    }

    static func kind(_ type: String) -> String {
        let type = type.uppercased()
        if type.contains("INT") { return "integer" }
        if type.contains("REAL") || type.contains("DOUBLE") || type.contains("FLOA") { return "float" }
        if type == "TEXT" || type == "JSONB" { return "text" }
        if type == "BLOB" || type == "BYTEA" { return "bytes" }
        return "unknown \(type)"
    }

    @Test(
        "SQLite and PostgreSQL have the same tables, columns in the same order, nullability, kinds of type and indexes")
    func databasesAgree() async throws {
        let sqlite = try await Self.migrated(.sqlite)
        // A SQLite primary key column never holds NULL here, whatever its NOT NULL says. The tag search differs
        // by design (``TagSearchSchema``): an FTS5 table and its shadow tables here, a stored vector column with a GIN
        // index on PostgreSQL;
        // the shipped-schema tests above hold both as they are.
        let sqliteColumns = try await Self.sqliteLines(
            sqlite,
            """
            SELECT m.name || '|' || c.name || '|' || c.type || '|' || (c."notnull" = 0 AND c.pk = 0)
            FROM sqlite_master m JOIN pragma_table_info(m.name) c
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'tag_search%' ORDER BY m.name, c.cid
            """)
        let postgres = try await Self.migrated(.postgres)
        let postgresColumns = try await Self.postgresLines(postgres, [
            """
            SELECT table_name || '|' || column_name || '|' || data_type || '|' || (CASE is_nullable WHEN 'YES' THEN 1 ELSE 0 END)
            FROM information_schema.columns WHERE table_schema = 'public' AND NOT (table_name = 'tags' AND column_name = 'search_vector')
            ORDER BY table_name, ordinal_position
            """
        ])
        func columns(_ lines: [String]) -> [Column] {
            lines.map { line in
                let field = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                return Column(table: field[0], name: field[1], kind: Self.kind(field[2]), nullable: field[3] == "1")
            }
        }
        // Tables compared by name (PostgreSQL sorts names by its collation), columns in their order.
        let fromSQLite = Dictionary(grouping: columns(sqliteColumns), by: \.table)
        let fromPostgres = Dictionary(grouping: columns(postgresColumns), by: \.table)
        #expect(fromSQLite.count == 29)
        #expect(!fromSQLite.values.joined().contains { $0.kind.hasPrefix("unknown") })
        #expect(fromSQLite == fromPostgres)

        let sqliteIndexes = try await Self.sqliteLines(
            sqlite, "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
        let postgresIndexes = try await Self.postgresLines(postgres, [
            "SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey' AND indexname <> 'tags_search' ORDER BY indexname"
        ])
        #expect(sqliteIndexes.count == 13)
        #expect(sqliteIndexes.sorted() == postgresIndexes.sorted())
    }
}
