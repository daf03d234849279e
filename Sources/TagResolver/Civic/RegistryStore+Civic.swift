public import CivicKit
public import Foundation

/// Events and alerts over the same ``SQLDatabase`` as the tags: each change is one transaction that writes the
/// row, its audit entry (`tag_id` empty, the value in `before`/`after`) and the change notice `civic`.
extension RegistryStore: CivicStore {
    /// The payload other instances hear for any event or alert change.
    static let civicNotice = "civic"

    public func events() async throws -> [CivicEvent] {
        try await database.fetch(CivicRow.self, "SELECT \(raw: CivicRow.columns(dialect)) FROM events ORDER BY id")
            .map { try $0.decode(CivicEvent.self) }
    }

    public func event(_ id: String) async throws -> CivicEvent? {
        try await database.fetchOne(CivicRow.self, "SELECT \(raw: CivicRow.columns(dialect)) FROM events WHERE id = \(id)")?
            .decode(CivicEvent.self)
    }

    public func createEvent(_ event: CivicEvent, actor: String) async throws -> CivicEvent {
        var stored = event
        let now = StoredTime.now()
        (stored.sequence, stored.createdAt, stored.updatedAt) = (0, now, now)
        let body = try JSONCoding.string(stored)
        try await database.transaction { db in
            try await checkReferences(tags: stored.allPlaces, stops: [], routes: [], db)
            let inserted = try await db.values(
                String.self,
                """
                INSERT INTO events (id, body, status, sequence, created_at, updated_at)
                VALUES (\(stored.id), \(json: body), \(stored.status.rawValue), \(Int64(0)), \(StoredTime.millis(now)), \(StoredTime.millis(now)))
                ON CONFLICT (id) DO NOTHING RETURNING id AS value
                """)
            guard inserted.count == 1 else { throw CivicStoreError.alreadyExists(kind: "event", id: stored.id) }
            try await writePlaces(of: stored, db)
            try await appendAudit(db, actor: actor, action: "event-create", tagID: nil, before: nil, after: body)
            try await announceCivic(db)
        }
        return stored
    }

    public func modifyEvent(
        _ id: String, actor: String, action: String, _ change: @escaping @Sendable (inout CivicEvent) throws -> Void
    ) async throws -> CivicEvent {
        try await database.transaction { db in
            let (before, row) = try await locked(CivicEvent.self, kind: "event", table: "events", id: id, db)
            var after = before
            try change(&after)
            (after.id, after.createdAt, after.updatedAt, after.sequence) = (before.id, before.createdAt, StoredTime.now(), before.sequence + 1)
            // Only what the change adds: a tag deleted since must not stop staff from changing or cancelling it.
            try await checkReferences(tags: after.allPlaces.filter { !before.allPlaces.contains($0) }, stops: [], routes: [], db)
            let body = try JSONCoding.string(after)
            try await db.execute(
                """
                UPDATE events SET body = \(json: body), status = \(after.status.rawValue), sequence = \(Int64(after.sequence)),
                    updated_at = \(StoredTime.millis(after.updatedAt))
                WHERE id = \(id)
                """)
            try await db.execute("DELETE FROM event_places WHERE event_id = \(id)")
            try await writePlaces(of: after, db)
            try await appendAudit(db, actor: actor, action: action, tagID: nil, before: row.body, after: body)
            try await announceCivic(db)
            return after
        }
    }

    private func writePlaces(of event: CivicEvent, _ db: any SQLExecutor) async throws {
        for tag in event.allPlaces {
            try await db.execute("INSERT INTO event_places (event_id, tag_id) VALUES (\(event.id), \(tag))")
        }
    }

    public func alerts() async throws -> [TownAlert] {
        try await database.fetch(CivicRow.self, "SELECT \(raw: CivicRow.columns(dialect)) FROM alerts ORDER BY id")
            .map { try $0.decode(TownAlert.self) }
    }

    public func alert(_ id: String) async throws -> TownAlert? {
        try await database.fetchOne(CivicRow.self, "SELECT \(raw: CivicRow.columns(dialect)) FROM alerts WHERE id = \(id)")?
            .decode(TownAlert.self)
    }

    public func publishAlert(_ alert: TownAlert, actor: String) async throws -> TownAlert {
        var stored = alert
        let now = StoredTime.now()
        (stored.versions, stored.createdAt, stored.updatedAt) = ([now], now, now)
        let body = try JSONCoding.string(stored)
        try await database.transaction { db in
            try await checkReferences(tags: stored.tags, stops: stored.stops, routes: stored.routes, db)
            let inserted = try await db.values(
                String.self,
                """
                INSERT INTO alerts (id, body, status, severity, active_from, active_until, version, created_at, updated_at)
                VALUES (\(stored.id), \(json: body), \(stored.status.rawValue), \(stored.severity.rawValue),
                        \(StoredTime.millis(stored.from)), \(stored.until.map(StoredTime.millis)), \(Int64(1)),
                        \(StoredTime.millis(now)), \(StoredTime.millis(now)))
                ON CONFLICT (id) DO NOTHING RETURNING id AS value
                """)
            guard inserted.count == 1 else { throw CivicStoreError.alreadyExists(kind: "alert", id: stored.id) }
            try await appendAudit(db, actor: actor, action: "alert-publish", tagID: nil, before: nil, after: body)
            try await announceCivic(db)
        }
        return stored
    }

    public func modifyAlert(
        _ id: String, actor: String, action: String, _ change: @escaping @Sendable (inout TownAlert) throws -> Void
    ) async throws -> TownAlert {
        try await database.transaction { db in
            let (before, row) = try await locked(TownAlert.self, kind: "alert", table: "alerts", id: id, db)
            var after = before
            try change(&after)
            let now = max(StoredTime.now(), (before.versions.last ?? .distantPast).addingTimeInterval(1))
            (after.id, after.createdAt, after.updatedAt) = (before.id, before.createdAt, now)
            after.versions = before.versions + [now]
            // Only what the change adds: a stop gone from a new feed version must not block a cancellation.
            try await checkReferences(
                tags: after.tags.filter { !before.tags.contains($0) }, stops: after.stops.filter { !before.stops.contains($0) },
                routes: after.routes.filter { !before.routes.contains($0) }, db)
            let body = try JSONCoding.string(after)
            try await db.execute(
                """
                UPDATE alerts SET body = \(json: body), status = \(after.status.rawValue), severity = \(after.severity.rawValue),
                    active_from = \(StoredTime.millis(after.from)), active_until = \(after.until.map(StoredTime.millis)),
                    version = \(Int64(after.versions.count)), updated_at = \(StoredTime.millis(now))
                WHERE id = \(id)
                """)
            try await appendAudit(db, actor: actor, action: action, tagID: nil, before: row.body, after: body)
            try await announceCivic(db)
            return after
        }
    }

    /// Refuses tags, `feed/stop_id` stops and `feed/route_id` routes the registry does not hold (stops and routes
    /// in the feeds' active versions), naming every one.
    private func checkReferences(tags: [String], stops: [String], routes: [String], _ db: any SQLExecutor) async throws {
        var missing: [String] = []
        if !tags.isEmpty {
            let known = Set(try await db.values(String.self, "SELECT id AS value FROM tags WHERE id IN (\(list: tags))"))
            missing += tags.filter { !known.contains($0) }.map { "tag \($0)" }
        }
        for (table, column, names, kind) in [("gtfs_stops", "stop_id", stops, "stop"), ("gtfs_routes", "route_id", routes, "route")]
        where !names.isEmpty {
            let known = Set(try await db.values(
                String.self,
                """
                SELECT f.feed_id || '/' || t.\(raw: column) AS value FROM \(raw: table) t
                JOIN gtfs_active_feeds f ON f.version_id = t.version_id
                WHERE f.feed_id || '/' || t.\(raw: column) IN (\(list: names))
                """))
            missing += names.filter { !known.contains($0) }.map { "\(kind) \($0)" }
        }
        if !missing.isEmpty { throw CivicStoreError.unknownReferences(missing) }
    }

    /// The row `id` of `table` (events, alerts, reports), locked until the transaction ends, and its value.
    /// - Throws: ``CivicStoreError/notFound(kind:id:)`` naming it as a `kind`.
    func locked<Value: Decodable>(
        _ type: Value.Type, kind: String, table: String, id: String, _ db: any SQLExecutor
    ) async throws -> (value: Value, row: CivicRow) {
        guard let row = try await db.fetchOne(
            CivicRow.self, "SELECT \(raw: CivicRow.columns(dialect)) FROM \(raw: table) WHERE id = \(id)\(raw: dialect.forUpdate)")
        else { throw CivicStoreError.notFound(kind: kind, id: id) }
        return (try row.decode(Value.self), row)
    }

    private func announceCivic(_ db: any SQLExecutor) async throws {
        guard let channel = dialect.changeChannel else { return }
        try await db.execute("SELECT pg_notify(\(channel), \(Self.civicNotice))")
    }
}

extension CivicEvent {
    /// The tags the event or any of its occurrences takes place at.
    var allPlaces: [String] {
        var seen = Set<String>()
        return (places + overrides.flatMap { $0.places ?? [] }).filter { seen.insert($0).inserted }
    }
}
