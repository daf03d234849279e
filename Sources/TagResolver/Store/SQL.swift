import Foundation

/// A value bound to a statement parameter, the same on both databases. `null` is untyped: PostgreSQL
/// infers its type from where it is used, SQLite has no column types to check.
enum SQLValue: Sendable, Equatable {
    case null
    case text(String)
    case int(Int64)
    case double(Double)
    /// A BLOB (SQLite) / BYTEA (PostgreSQL).
    case bytes(Data)
}

/// Swift values a statement can bind.
protocol SQLBindable {
    var sqlValue: SQLValue { get }
}

extension String: SQLBindable { var sqlValue: SQLValue { .text(self) } }
extension Int: SQLBindable { var sqlValue: SQLValue { .int(Int64(self)) } }
extension Int64: SQLBindable { var sqlValue: SQLValue { .int(self) } }
extension Double: SQLBindable { var sqlValue: SQLValue { .double(self) } }
extension Data: SQLBindable { var sqlValue: SQLValue { .bytes(self) } }
extension SQLValue: SQLBindable { var sqlValue: SQLValue { self } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
    var sqlValue: SQLValue { map(\.sqlValue) ?? .null }
}

/// A statement and its parameters, written once for both databases: `"… WHERE id = \(id)"` binds `id`, and
/// the ``SQLDialect`` running it renders the placeholder (`?` on SQLite, `$1` on PostgreSQL). Values are
/// never spliced into the text; `\(raw:)` is for names the code itself chose (tables, column lists).
struct SQL: Sendable, ExpressibleByStringInterpolation {
    enum Part: Sendable {
        case text(String)
        /// A parameter; `json` ones are cast to `jsonb` where the column is one (PostgreSQL).
        case parameter(SQLValue, json: Bool)
    }

    var parts: [Part]

    init(stringLiteral text: String) { parts = [.text(text)] }
    init(stringInterpolation: Interpolation) { parts = stringInterpolation.parts }

    struct Interpolation: StringInterpolationProtocol {
        var parts: [Part] = []
        init(literalCapacity: Int, interpolationCount: Int) { parts.reserveCapacity(2 * interpolationCount + 1) }
        mutating func appendLiteral(_ text: String) { parts.append(.text(text)) }
        mutating func appendInterpolation(_ value: some SQLBindable) { parts.append(.parameter(value.sqlValue, json: false)) }
        /// NULL when nil (spelled out so an optional is bound, not described).
        mutating func appendInterpolation<Value: SQLBindable>(_ value: Value?) {
            parts.append(.parameter(value.sqlValue, json: false))
        }
        /// A JSON document for a column the schema declares with `{JSON}`.
        mutating func appendInterpolation(json value: String?) { parts.append(.parameter(value.sqlValue, json: true)) }
        mutating func appendInterpolation(raw text: String) { parts.append(.text(text)) }
        /// `a, b, c` as one parameter each, for `IN (…)`.
        mutating func appendInterpolation<Values: Sequence>(list values: Values) where Values.Element: SQLBindable {
            for (index, value) in values.enumerated() {
                if index > 0 { parts.append(.text(", ")) }
                parts.append(.parameter(value.sqlValue, json: false))
            }
        }
    }

    /// The parameters in placeholder order.
    var values: [SQLValue] {
        parts.compactMap { part in
            if case .parameter(let value, _) = part { value } else { nil }
        }
    }

    /// The statement text with `dialect`'s placeholders.
    func text(_ dialect: SQLDialect) -> String {
        var number = 0
        var out = ""
        for part in parts {
            switch part {
            case .text(let text): out += text
            case .parameter(_, let json):
                number += 1
                out += dialect.placeholder(number, json)
            }
        }
        return out
    }
}

/// The rows of one table to insert in bulk, in column order (a GTFS import writes millions).
struct SQLTableRows: Sendable {
    var table: String
    var columns: [String]
    var rows: [[SQLValue]]
}

/// Where SQL runs: the database itself, one transaction, or one consistent snapshot. The registry's rules
/// (``RegistryStore``) are written against this; each backend only says how to run a statement.
protocol SQLExecutor: Sendable {
    func execute(_ sql: SQL) async throws
    /// The result rows decoded by column name (`Decodable` records whose coding keys are column names).
    func fetch<Row: Decodable & Sendable>(_ type: Row.Type, _ sql: SQL) async throws -> [Row]
    /// Inserts every row of `table`, in as few round trips as the database allows.
    func insert(_ table: SQLTableRows) async throws
}

extension SQLExecutor {
    func fetchOne<Row: Decodable & Sendable>(_ type: Row.Type, _ sql: SQL) async throws -> Row? {
        try await fetch(type, sql).first
    }

    /// `prefix VALUES row, row, … suffix`, `perStatement` rows a statement: a batch in a few statements rather than
    /// one a row (on SQLite each statement is a turn on the writer's queue; on PostgreSQL a round trip).
    /// `rows` must not update one row twice within a statement where `suffix` is `ON CONFLICT … DO UPDATE`.
    func executeRows(_ prefix: String, _ rows: [SQL], _ suffix: String = "", perStatement: Int = 400) async throws {
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let values = SQL.joined(rows[start..<min(start + perStatement, rows.count)], separator: ", ")
            try await execute("\(raw: prefix) VALUES " + values + "\(raw: suffix)")
        }
    }

    /// The single column named `value` of every row (`SELECT … AS value`).
    func values<Value: Decodable & Sendable>(_ type: Value.Type, _ sql: SQL) async throws -> [Value] {
        try await fetch(SingleValue<Value>.self, sql).map(\.value)
    }
}

/// A row of one column named `value`.
struct SingleValue<Value: Decodable & Sendable>: Decodable, Sendable {
    var value: Value
}

/// A registry database: SQLite (``SQLiteDatabase``) or PostgreSQL (``PostgresDatabase``).
protocol SQLDatabase: SQLExecutor {
    var dialect: SQLDialect { get }
    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws (its own error
    /// is rethrown). One writer at a time on SQLite; row locks (``SQLDialect/forUpdate``) on PostgreSQL.
    func transaction<T: Sendable>(_ body: (any SQLExecutor) async throws -> T) async throws -> T
    /// Runs several reads that must agree with each other (a stop's timetable while an import replaces it).
    func snapshot<T: Sendable>(_ body: (any SQLExecutor) async throws -> T) async throws -> T
    /// Drives the connections until cancelled (PostgreSQL's pool); returns at once when there is nothing to drive.
    func run() async
    /// Calls `onNotice` with the payload of every ``SQLDialect/changeChannel`` notice other connections
    /// send, from the moment `onListening` is called, until the connection fails or the task is cancelled.
    func listen(
        onListening: @Sendable () async -> Void, _ onNotice: @escaping @Sendable (String) async -> Void
    ) async throws
}

extension SQL {
    /// `a` followed by `b`, parameters in order: for statements built up from optional filters.
    static func + (a: SQL, b: SQL) -> SQL {
        var joined: SQL = ""
        joined.parts = a.parts + b.parts
        return joined
    }

    /// `pieces` one after another with `separator` between them: the rows of a multi-row `VALUES`.
    static func joined(_ pieces: some Sequence<SQL>, separator: String) -> SQL {
        var joined: SQL = ""
        joined.parts = []
        for (index, piece) in pieces.enumerated() {
            if index > 0 { joined.parts.append(.text(separator)) }
            joined.parts += piece.parts
        }
        return joined
    }
}
