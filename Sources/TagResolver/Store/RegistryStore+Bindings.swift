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
    public func addScans(_ counts: [ScanCount]) async throws {
        guard !counts.isEmpty else { return }
        var dayTotals: [String: [ScanChannel: Int64]] = [:]
        var lastDays: [String: String] = [:]
        for count in counts {
            dayTotals[count.day, default: [:]][count.channel, default: 0] += Int64(count.count)
            lastDays[count.tagID.rawValue] = max(lastDays[count.tagID.rawValue] ?? count.day, count.day)
        }
        try await database.transaction { db in
            for count in counts {
                try await db.execute(
                    """
                    INSERT INTO scan_counts (tag_id, day, channel, count)
                    VALUES (\(count.tagID.rawValue), \(count.day), \(count.channel.rawValue), \(count.count))
                    ON CONFLICT (tag_id, day, channel) DO UPDATE SET count = scan_counts.count + excluded.count
                    """)
            }
            for (day, channels) in dayTotals.sorted(by: { $0.key < $1.key }) {
                for (channel, count) in channels.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                    try await db.execute(
                        """
                        INSERT INTO scan_day_totals (day, channel, count) VALUES (\(day), \(channel.rawValue), \(count))
                        ON CONFLICT (day, channel) DO UPDATE SET count = scan_day_totals.count + excluded.count
                        """)
                }
            }
            for (tagID, day) in lastDays.sorted(by: { $0.key < $1.key }) {
                try await db.execute(
                    """
                    INSERT INTO scan_last_days (tag_id, day) VALUES (\(tagID), \(day))
                    ON CONFLICT (tag_id) DO UPDATE SET day = CASE WHEN excluded.day > scan_last_days.day
                        THEN excluded.day ELSE scan_last_days.day END
                    """)
            }
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
