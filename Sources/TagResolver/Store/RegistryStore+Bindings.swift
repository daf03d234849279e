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

    public func addScans(_ counts: [ScanCount]) async throws {
        guard !counts.isEmpty else { return }
        try await database.transaction { db in
            for count in counts {
                try await db.execute(
                    """
                    INSERT INTO scan_counts (tag_id, day, channel, count)
                    VALUES (\(count.tagID.rawValue), \(count.day), \(count.channel.rawValue), \(count.count))
                    ON CONFLICT (tag_id, day, channel) DO UPDATE SET count = scan_counts.count + excluded.count
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
