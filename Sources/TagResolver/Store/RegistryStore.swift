public import Foundation
public import Logging
import ServiceLifecycle
public import TagKit

/// The registry, written once over ``SQLDatabase``: SQLite (``SQLiteDatabase``) and PostgreSQL
/// (``PostgresDatabase``) only run its SQL. Here, and only here, live the rules: a change reads and writes
/// the tag in one transaction and stamps it (ID and creation time kept, update time now); every change
/// appends an audit entry and announces the tag on ``SQLDialect/changeChannel`` in the same transaction;
/// deleting a tag deletes its bindings.
public final class RegistryStore: TagStore {
    let database: any SQLDatabase
    let logger: Logger

    /// Every tag column, written out once for this database (the resolver asks it on every cache miss).
    private let tagQuery: String

    init(database: any SQLDatabase, logger: Logger) {
        self.database = database
        self.logger = logger
        tagQuery = "SELECT \(TagRow.columns(database.dialect)) FROM tags"
    }

    public var backend: String { database.dialect.name }
    var dialect: SQLDialect { database.dialect }

    public func run() async throws {
        await database.run()
    }

    public func migrate() async throws {
        try await database.migrate(RegistrySchema.migrations + CivicSchema.migrations + ReportSchema.migrations + ConsoleSchema.migrations
            + TagSearchSchema.migrations + TapSchema.migrations)
    }

    public func ping() async throws {
        _ = try await database.values(Int.self, "SELECT 1 AS value")
    }


    public func tag(_ id: TagID) async throws -> Tag? {
        try await database.fetchOne(TagRow.self, "\(raw: tagQuery) WHERE id = \(id.rawValue)")?.tag()
    }

    public func tags() async throws -> [Tag] {
        try await database.fetch(TagRow.self, "\(raw: tagQuery) ORDER BY id").map { try $0.tag() }
    }

    public func create(_ tag: Tag, actor: String) async throws -> Tag {
        let row = try TagRow(tag)
        let snapshot = try TagRow.snapshot(tag)
        try await database.transaction { db in
            try await insert(row, db)
            try await appendAudit(db, actor: actor, action: "create", tagID: row.id, before: nil, after: snapshot)
        }
        return try row.tag()
    }

    public func importTags(_ tags: [Tag], actor: String) async throws {
        let rows = try tags.map { try TagRow($0) }
        let snapshots = try tags.map { try TagRow.snapshot($0) }
        try await database.transaction { db in
            for (row, snapshot) in zip(rows, snapshots) {
                try await insert(row, db)
                try await appendAudit(db, actor: actor, action: "import", tagID: row.id, before: nil, after: snapshot)
            }
        }
    }

    private func insert(_ row: TagRow, _ db: any SQLExecutor) async throws {
        let inserted = try await db.values(
            String.self,
            """
            INSERT INTO tags (id, name, lat, lon, address, kind, target, schedule, notes, created_at, updated_at)
            VALUES (\(row.id), \(row.name), \(row.lat), \(row.lon), \(row.address), \(row.kind),
                    \(json: row.target), \(json: row.schedule), \(row.notes), \(row.createdAt), \(row.updatedAt))
            ON CONFLICT (id) DO NOTHING RETURNING id AS value
            """)
        guard inserted.count == 1 else { throw StoreError.alreadyExists(row.id) }
        try await announce(row.id, db)
    }

    /// The tag `id`, locked until the transaction ends.
    private func lockedTag(_ id: TagID, _ db: any SQLExecutor) async throws -> Tag {
        guard let row = try await db.fetchOne(
            TagRow.self, "\(raw: tagQuery) WHERE id = \(id.rawValue)\(raw: dialect.forUpdate)")
        else { throw StoreError.notFound(id.rawValue) }
        return try row.tag()
    }

    public func modify(
        _ id: TagID, actor: String, action: String, _ change: @escaping @Sendable (inout Tag) throws -> Void
    ) async throws -> Tag {
        try await database.transaction { db in
            let before = try await lockedTag(id, db)
            var after = before
            try change(&after)
            after.id = before.id
            after.createdAt = before.createdAt
            after.updatedAt = StoredTime.now()
            let row = try TagRow(after)
            try await db.execute(
                """
                UPDATE tags SET name = \(row.name), lat = \(row.lat), lon = \(row.lon), address = \(row.address),
                    kind = \(row.kind), target = \(json: row.target), schedule = \(json: row.schedule),
                    notes = \(row.notes), updated_at = \(row.updatedAt)
                WHERE id = \(row.id)
                """)
            try await appendAudit(
                db, actor: actor, action: action, tagID: row.id, before: TagRow.snapshot(before),
                after: TagRow.snapshot(after))
            try await announce(row.id, db)
            return after
        }
    }

    public func delete(_ id: TagID, actor: String) async throws {
        try await database.transaction { db in
            let before = try await lockedTag(id, db)
            try await db.execute("DELETE FROM bindings WHERE tag_id = \(id.rawValue)")
            try await db.execute("DELETE FROM tags WHERE id = \(id.rawValue)")
            try await appendAudit(
                db, actor: actor, action: "delete", tagID: id.rawValue, before: TagRow.snapshot(before), after: nil)
            try await announce(id.rawValue, db)
        }
    }

    /// Tells other instances `tagID` changed, when they can hear it (delivered when the transaction commits).
    func announce(_ tagID: String, _ db: any SQLExecutor) async throws {
        guard let channel = dialect.changeChannel else { return }
        try await db.execute("SELECT pg_notify(\(channel), \(tagID))")
    }

    func appendAudit(
        _ db: any SQLExecutor, actor: String, action: String, tagID: String?, before: String?, after: String?
    ) async throws {
        try await appendAudits(db, [AuditLine(actor: actor, action: action, tagID: tagID, before: before, after: after)])
    }

    /// One audit entry as written (`before` and `after` are JSON).
    struct AuditLine {
        var actor: String
        var action: String
        var tagID: String?
        var before: String?
        var after: String?
    }

    /// The entries in one statement, in order (a batch's, where each statement is a turn on SQLite's writer).
    func appendAudits(_ db: any SQLExecutor, _ lines: [AuditLine]) async throws {
        let at = StoredTime.millis(Date())
        try await db.executeRows(
            "INSERT INTO audit_log (at, actor, action, tag_id, before, after)",
            lines.map { "(\(at), \($0.actor), \($0.action), \($0.tagID), \(json: $0.before), \(json: $0.after))" })
    }

    public func audit(tag: TagID?, limit: Int) async throws -> [AuditEntry] {
        let columns = (["id", "at", "actor", "action", "tag_id"] + ["before", "after"].map(dialect.jsonText))
            .joined(separator: ", ")
        return try await database.fetch(
            AuditRow.self,
            """
            SELECT \(raw: columns) FROM audit_log
            WHERE (CAST(\(tag?.rawValue) AS TEXT) IS NULL OR tag_id = \(tag?.rawValue))
            ORDER BY id DESC LIMIT \(limit)
            """
        ).map { $0.entry() }
    }

    public func createToken(_ token: StoredToken, actor: String) async throws {
        let summary = try JSONCoding.string(["id": token.id, "name": token.name, "scope": token.scope.rawValue])
        try await database.transaction { db in
            try await db.execute(
                """
                INSERT INTO api_tokens (\(raw: TokenRow.columns))
                VALUES (\(token.id), \(token.name), \(token.scope.rawValue), \(token.secretHash), \(StoredTime.millis(token.createdAt)))
                """)
            try await appendAudit(db, actor: actor, action: "token-create", tagID: nil, before: nil, after: summary)
        }
    }

    public func token(id: String) async throws -> StoredToken? {
        try await database.fetchOne(TokenRow.self, "SELECT \(raw: TokenRow.columns) FROM api_tokens WHERE id = \(id)")?
            .token()
    }

    public func tokens() async throws -> [TokenSummary] {
        try await database.fetch(TokenRow.self, "SELECT \(raw: TokenRow.columns) FROM api_tokens ORDER BY created_at, id")
            .map { TokenSummary($0.token()) }
    }

    public func deleteToken(id: String, actor: String) async throws {
        try await database.transaction { db in
            guard let row = try await db.fetchOne(
                TokenRow.self, "SELECT \(raw: TokenRow.columns) FROM api_tokens WHERE id = \(id)\(raw: dialect.forUpdate)")
            else { throw StoreError.notFound("token \(id.prefix(40))") }
            let summary = try JSONCoding.string(["id": row.id, "name": row.name, "scope": row.scope])
            try await db.execute("DELETE FROM api_tokens WHERE id = \(id)")
            try await appendAudit(db, actor: actor, action: "token-revoke", tagID: nil, before: summary, after: nil)
        }
    }

    /// PostgreSQL: holds one pooled connection listening on the change channel; reconnects after a second on
    /// failure and then asks for a full reload (``StoreChange/everything``), since notices sent while disconnected are lost.
    /// SQLite, being one file used by one server, waits for shutdown.
    public func watchChanges(_ onChange: @escaping @Sendable (StoreChange) async -> Void) async throws {
        guard dialect.changeChannel != nil else {
            try await gracefulShutdown()
            return
        }
        var first = true
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let isReconnect = !first
            first = false
            do {
                try await cancelWhenGracefulShutdown {
                    try await self.database.listen(onListening: { if isReconnect { await onChange(.everything) } }) { payload in
                        if payload == Self.civicNotice {
                            await onChange(.civic)
                        } else if let id = try? TagID(parsing: payload) {
                            await onChange(.tag(id))
                        } else {
                            await onChange(.everything)
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
