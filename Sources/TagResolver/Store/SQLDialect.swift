/// What differs between SQLite and PostgreSQL in the registry's SQL: placeholders, a few type names,
/// row locks and the notices PostgreSQL sends other instances. Everything else is written once.
struct SQLDialect: Sendable {
    /// `sqlite` or `postgres`, for logs and `/readyz`.
    var name: String
    /// A primary key of text: SQLite needs `NOT NULL` spelled out (it allows NULL keys otherwise).
    var textKey: String
    /// An integer primary key the database numbers itself.
    var serialKey: String
    var bigint: String
    var float: String
    /// Binary data: photos.
    var blob: String
    /// JSON documents: text on SQLite, `jsonb` on PostgreSQL (queryable there, and checked on the way in).
    var json: String
    /// Appended to a `SELECT` that reads rows it will change (`FOR UPDATE`), or that a write depends on
    /// staying there (`FOR SHARE`). SQLite's one writer at a time makes both unnecessary.
    var forUpdate: String
    var forShare: String
    /// The notice channel every tag change is announced on, when the database can tell other instances.
    var changeChannel: String?
    /// The statements that make `table` append-only.
    var appendOnly: @Sendable (_ table: String) -> [String]
    /// Serialises `key`'s holders until the transaction ends (migrations, imports across instances); nil
    /// where a transaction already excludes every other writer.
    var exclusiveLock: @Sendable (_ key: Int64) -> SQL?
    /// The n-th parameter (1-based); `json` parameters are cast where the column is JSON.
    var placeholder: @Sendable (_ number: Int, _ json: Bool) -> String
    /// A JSON column as text in a result row, under its own name.
    var jsonText: @Sendable (_ column: String) -> String

    static let sqlite = SQLDialect(
        name: "sqlite", textKey: "TEXT PRIMARY KEY NOT NULL", serialKey: "INTEGER PRIMARY KEY AUTOINCREMENT",
        bigint: "INTEGER", float: "REAL", blob: "BLOB", json: "TEXT", forUpdate: "", forShare: "", changeChannel: nil,
        appendOnly: { table in
            ["UPDATE", "DELETE"].map { operation in
                """
                CREATE TRIGGER \(table)_no_\(operation.lowercased()) BEFORE \(operation) ON \(table)
                BEGIN SELECT RAISE(ABORT, '\(table) is append-only'); END
                """
            }
        },
        exclusiveLock: { _ in nil },
        placeholder: { _, _ in "?" },
        jsonText: { $0 })

    static let postgres = SQLDialect(
        name: "postgres", textKey: "TEXT PRIMARY KEY", serialKey: "BIGSERIAL PRIMARY KEY", bigint: "BIGINT",
        float: "DOUBLE PRECISION", blob: "BYTEA", json: "JSONB", forUpdate: " FOR UPDATE", forShare: " FOR SHARE",
        changeChannel: "civictags_tags",
        appendOnly: { table in
            [
                """
                CREATE FUNCTION civictags_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '\(table) is append-only'; END $$
                """,
                """
                CREATE TRIGGER \(table)_append_only BEFORE UPDATE OR DELETE ON \(table)
                FOR EACH ROW EXECUTE FUNCTION civictags_audit_append_only()
                """,
            ]
        },
        exclusiveLock: { key in
            let lock: SQL = "SELECT pg_advisory_xact_lock(\(key))"
            return lock
        },
        placeholder: { number, json in json ? "$\(number)::jsonb" : "$\(number)" },
        jsonText: { "\($0)::text AS \($0)" })

    /// `template` with `{TEXT_KEY}`, `{SERIAL_KEY}`, `{BIGINT}`, `{FLOAT}`, `{JSON}` and `{BLOB}` replaced by this
    /// database's type names.
    func schema(_ template: String) -> String {
        [
            ("{TEXT_KEY}", textKey), ("{SERIAL_KEY}", serialKey), ("{BIGINT}", bigint), ("{FLOAT}", float),
            ("{JSON}", json), ("{BLOB}", blob),
        ].reduce(template) { text, name in text.replacingOccurrences(of: name.0, with: name.1) }
    }
}
