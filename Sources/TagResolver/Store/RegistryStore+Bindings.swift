import Foundation
public import TagKit

/// Bindings (the chips and print batches carrying a tag) and scan counters.
extension RegistryStore {
    public func addBinding(_ binding: Binding, actor: String) async throws -> Binding {
        try await database.transaction { db in try await insertBinding(binding, actor: actor, db) }
    }

    public func addBindings(_ bindings: [Binding], actor: String) async throws -> [Binding] {
        try await database.transaction { db in
            var stored: [Binding] = []
            stored.reserveCapacity(bindings.count)
            for binding in bindings { stored.append(try await insertBinding(binding, actor: actor, db)) }
            return stored
        }
    }

    /// Records `binding` (its tag must exist, and keeps existing until commit), audited as `bind`.
    private func insertBinding(_ binding: Binding, actor: String, _ db: any SQLExecutor) async throws -> Binding {
        let tagID = binding.tagID.rawValue
        let tag = try await db.values(String.self, "SELECT id AS value FROM tags WHERE id = \(tagID)\(raw: dialect.forShare)")
        guard !tag.isEmpty else { throw StoreError.notFound(tagID) }
        let ids = try await db.values(
            Int64.self,
            """
            INSERT INTO bindings (tag_id, kind, chip_uid, chip_type, encoded_at, batch_id, created_at, key_version)
            VALUES (\(tagID), \(binding.kind.rawValue), \(binding.chipUID), \(binding.chipType),
                    \(binding.encodedAt.map(StoredTime.millis)), \(binding.batchID), \(StoredTime.millis(binding.createdAt)),
                    \(binding.keyVersion.map { Int64($0) }))
            RETURNING id AS value
            """)
        var stored = binding
        stored.id = ids.first
        try await appendAudit(db, actor: actor, action: "bind", tagID: tagID, before: nil, after: JSONCoding.string(stored))
        // Other instances keep each tag's secure chip for its taps: they forget it now.
        try await announce(tagID, db)
        return stored
    }

    public func bindings(for id: TagID) async throws -> [Binding] {
        try await database.fetch(
            BindingRow.self, "SELECT \(raw: BindingRow.columns) FROM bindings WHERE tag_id = \(id.rawValue) ORDER BY id"
        ).map { try $0.binding() }
    }

    public func boundTags(kind: Binding.Kind) async throws -> [TagID] {
        try await database.values(
            String.self, "SELECT DISTINCT tag_id AS value FROM bindings WHERE kind = \(kind.rawValue) ORDER BY value"
        ).map { try TagID(parsing: $0) }
    }

    /// Adds `counts` to the per-tag counts and to the dashboard's summaries of them (``ConsoleSchema``), in one
    /// transaction.
    /// Scan counts go in a few multi-row upserts (``SQLExecutor/executeRows(_:_:_:perStatement:)``), not a
    /// statement a tag: taps wait for SQLite's writer meanwhile.
    public func addScans(_ counts: [ScanCount]) async throws {
        guard !counts.isEmpty else { return }
        // One row per key (a multi-row upsert may not update a row twice on PostgreSQL).
        struct Key: Hashable { var tagID: String, day: String, channel: String }
        var perKey: [Key: Int64] = [:]
        var dayTotals: [String: [ScanChannel: Int64]] = [:]
        var lastDays: [String: String] = [:]
        for count in counts {
            perKey[Key(tagID: count.tagID.rawValue, day: count.day, channel: count.channel.rawValue), default: 0] += Int64(count.count)
            dayTotals[count.day, default: [:]][count.channel, default: 0] += Int64(count.count)
            lastDays[count.tagID.rawValue] = max(lastDays[count.tagID.rawValue] ?? count.day, count.day)
        }
        let scanRows: [SQL] = perKey.sorted { ($0.key.tagID, $0.key.day, $0.key.channel) < ($1.key.tagID, $1.key.day, $1.key.channel) }
            .map { "(\($0.key.tagID), \($0.key.day), \($0.key.channel), \($0.value))" }
        let totalRows: [SQL] = dayTotals.sorted { $0.key < $1.key }.flatMap { day, channels in
            channels.sorted { $0.key.rawValue < $1.key.rawValue }.map { "(\(day), \($0.key.rawValue), \($0.value))" as SQL }
        }
        let lastRows: [SQL] = lastDays.sorted { $0.key < $1.key }.map { "(\($0.key), \($0.value))" }
        try await database.transaction { db in
            try await db.executeRows(
                "INSERT INTO scan_counts (tag_id, day, channel, count)", scanRows,
                " ON CONFLICT (tag_id, day, channel) DO UPDATE SET count = scan_counts.count + excluded.count")
            try await db.executeRows(
                "INSERT INTO scan_day_totals (day, channel, count)", totalRows,
                " ON CONFLICT (day, channel) DO UPDATE SET count = scan_day_totals.count + excluded.count")
            try await db.executeRows(
                "INSERT INTO scan_last_days (tag_id, day)", lastRows,
                """
                 ON CONFLICT (tag_id) DO UPDATE SET day = CASE WHEN excluded.day > scan_last_days.day
                    THEN excluded.day ELSE scan_last_days.day END
                """)
        }
    }

    public func scans(tag: TagID?, from: String?, to: String?) async throws -> [ScanCount] {
        try await database.fetch(
            ScanRow.self,
            """
            SELECT tag_id, day, channel, count FROM scan_counts
            WHERE (CAST(\(tag?.rawValue) AS TEXT) IS NULL OR tag_id = \(tag?.rawValue))
              AND (CAST(\(from) AS TEXT) IS NULL OR day >= \(from)) AND (CAST(\(to) AS TEXT) IS NULL OR day <= \(to))
            ORDER BY tag_id, day, channel
            """
        ).map { try $0.scanCount() }
    }
}
