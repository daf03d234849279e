public import CivicKit
public import Foundation

/// Reports over the registry's ``SQLDatabase``: the row keeps the report as JSON beside the columns lists
/// filter on; the photo goes in `report_photos` in the same transaction.
extension RegistryStore: ReportStore {
    struct PhotoRow: Codable, Sendable {
        var sha256: String
        var jpeg: Data
        var width: Int64
        var height: Int64
    }

    struct CountRow: Codable, Sendable {
        var tagID: String?
        var category: String
        var status: String
        var count: Int64

        enum CodingKeys: String, CodingKey {
            case category, status, count
            case tagID = "tag_id"
        }
    }

    private func select(_ dialect: SQLDialect) -> String { "SELECT \(CivicRow.columns(dialect)) FROM reports" }

    /// The batch in four statements at most, not two or three a report: on SQLite each statement is a turn on the
    /// writer's queue, and every report of the batch waits for the last.
    public func createReports(_ batch: [NewReport]) async throws -> Set<Int> {
        guard !batch.isEmpty else { return [] }
        let stored = try batch.map { try JSONCoding.string($0.report) }
        // The audit log keeps what staff may see in lists: never the reporter's e-mail.
        let audited = try batch.map { try JSONCoding.string($0.report.withoutEmail) }
        var photos: [(photo: StoredPhoto, at: Date)] = []
        var hashes: Set<String> = []
        for entry in batch {
            if let photo = entry.photo, hashes.insert(photo.sha256).inserted { photos.append((photo, entry.report.createdAt)) }
        }
        return try await database.transaction { db in
            // Photos first (a report names its photo by hash), a few per statement: each holds up to a few MB.
            try await db.executeRows(
                "INSERT INTO report_photos (sha256, jpeg, width, height, created_at)",
                photos.map { "(\($0.photo.sha256), \($0.photo.jpeg), \(Int64($0.photo.width)), \(Int64($0.photo.height)), \(StoredTime.millis($0.at)))" },
                " ON CONFLICT (sha256) DO NOTHING", perStatement: 8)
            let rows = SQL.joined(
                batch.indices.map { index in
                    let report = batch[index].report
                    return """
                        (\(report.id), \(json: stored[index]), \(report.tagID), \(report.category), \(report.status.rawValue), \(report.lat),
                         \(report.lon), \(report.followUpHash), \(StoredTime.millis(report.createdAt)),
                         \(StoredTime.millis(report.updatedAt)), \(report.closedAt.map(StoredTime.millis)))
                        """
                }, separator: ", ")
            let inserted = Set(try await db.values(
                String.self,
                "INSERT INTO reports (id, body, tag_id, category, status, lat, lon, follow_up_hash, created_at, updated_at, closed_at) VALUES "
                    + rows + " ON CONFLICT (id) DO NOTHING RETURNING id AS value"))
            // A taken ID refuses its report alone; of two in the batch with one ID, the first is stored.
            var refused: Set<Int> = []
            var lines: [AuditLine] = []
            var seen: Set<String> = []
            for (index, entry) in batch.enumerated() {
                guard inserted.contains(entry.report.id), seen.insert(entry.report.id).inserted else {
                    refused.insert(index)
                    continue
                }
                lines.append(AuditLine(actor: entry.actor, action: "report-create", tagID: entry.report.tagID, before: nil, after: audited[index]))
            }
            try await appendAudits(db, lines)
            return refused
        }
    }

    public func report(_ id: String) async throws -> CitizenReport? {
        try await database.fetchOne(CivicRow.self, "\(raw: select(dialect)) WHERE id = \(id)")?.decode(CitizenReport.self)
    }

    public func report(followUpHash: String) async throws -> CitizenReport? {
        try await database.fetchOne(CivicRow.self, "\(raw: select(dialect)) WHERE follow_up_hash = \(followUpHash)")?
            .decode(CitizenReport.self)
    }

    public func reports(_ filter: ReportFilter) async throws -> [CitizenReport] {
        var sql: SQL = "\(raw: select(dialect)) WHERE 1 = 1"
        if !filter.statuses.isEmpty { sql = sql + " AND status IN (\(list: filter.statuses.map(\.rawValue)))" }
        if !filter.categories.isEmpty { sql = sql + " AND category IN (\(list: filter.categories))" }
        if !filter.ids.isEmpty { sql = sql + " AND id IN (\(list: filter.ids))" }
        if let tag = filter.tagID { sql = sql + " AND tag_id = \(tag)" }
        if let from = filter.from { sql = sql + " AND created_at >= \(StoredTime.millis(from))" }
        if let until = filter.until { sql = sql + " AND created_at < \(StoredTime.millis(until))" }
        if let near = filter.near {
            // A box around the circle in SQL (an index-friendly bound), the exact distance below.
            let dLat = near.radiusMeters / 111_195, dLon = dLat / max(0.01, cos(near.center.lat * .pi / 180))
            sql = sql + " AND lat BETWEEN \(near.center.lat - dLat) AND \(near.center.lat + dLat)"
                + " AND lon BETWEEN \(near.center.lon - dLon) AND \(near.center.lon + dLon)"
        }
        guard let near = filter.near else {
            sql = sql + " ORDER BY created_at DESC, id LIMIT \(Int64(filter.limit)) OFFSET \(Int64(filter.offset))"
            return try await database.fetch(CivicRow.self, sql).map { try $0.decode(CitizenReport.self) }
        }
        // The exact distance decides before paging, so a page is never short. The box bounds what is read.
        sql = sql + " ORDER BY created_at DESC, id LIMIT \(Int64(ReportFilter.maxNearScan))"
        let inside = try await database.fetch(CivicRow.self, sql).map { try $0.decode(CitizenReport.self) }.filter { report in
            guard let lat = report.lat, let lon = report.lon else { return false }
            return near.contains(GeoPoint(lat: lat, lon: lon))
        }
        return Array(inside.dropFirst(filter.offset).prefix(filter.limit))
    }

    public func modifyReport(
        _ id: String, actor: String, action: String, _ change: @escaping @Sendable (inout CitizenReport) throws -> Void
    ) async throws -> CitizenReport {
        try await database.transaction { db in
            let before = try await lockedReport(id, db)
            var after = before
            try change(&after)
            (after.id, after.createdAt, after.followUpHash, after.updatedAt) = (before.id, before.createdAt, before.followUpHash, StoredTime.now())
            if after.status.isOpen { after.closedAt = nil } else if before.status.isOpen { after.closedAt = after.updatedAt }
            try await write(after, db)
            try await auditReport(db, actor: actor, action: action, before: before, after: after)
            return after
        }
    }

    private func lockedReport(_ id: String, _ db: any SQLExecutor) async throws -> CitizenReport {
        try await locked(CitizenReport.self, kind: "report", table: "reports", id: id, db).value
    }

    /// The audit entry of a report change: what staff may see, never the reporter's e-mail.
    private func auditReport(
        _ db: any SQLExecutor, actor: String, action: String, before: CitizenReport?, after: CitizenReport
    ) async throws {
        try await appendAudit(
            db, actor: actor, action: action, tagID: after.tagID, before: try before.map { try JSONCoding.string($0.withoutEmail) },
            after: try JSONCoding.string(after.withoutEmail))
    }

    private func write(_ report: CitizenReport, _ db: any SQLExecutor) async throws {
        try await db.execute(
            """
            UPDATE reports SET body = \(json: try JSONCoding.string(report)), tag_id = \(report.tagID), category = \(report.category),
                status = \(report.status.rawValue), lat = \(report.lat), lon = \(report.lon),
                updated_at = \(StoredTime.millis(report.updatedAt)), closed_at = \(report.closedAt.map(StoredTime.millis))
            WHERE id = \(report.id)
            """)
    }

    public func mergeReport(_ id: String, into targetID: String, actor: String) async throws -> CitizenReport {
        try await database.transaction { db in
            guard id != targetID else { throw InputError("a report cannot be merged into itself") }
            // Locked in ID order, so two merges of the same pair cannot deadlock.
            var locked: [String: CitizenReport] = [:]
            for key in [id, targetID].sorted() {
                locked[key] = try await lockedReport(key, db)
            }
            guard var source = locked[id], var target = locked[targetID] else { throw CivicStoreError.notFound(kind: "report", id: id) }
            guard source.status != .duplicate else { throw InputError("\(id) is already a duplicate of \(source.duplicateOf ?? "another report")") }
            guard target.status != .duplicate else {
                throw InputError("\(targetID) is itself a duplicate of \(target.duplicateOf ?? "another report"); merge into that one")
            }
            let now = StoredTime.now()
            let (sourceBefore, targetBefore) = (source, target)
            source.status = .duplicate
            source.duplicateOf = targetID
            source.updatedAt = now
            if sourceBefore.status.isOpen { source.closedAt = now }
            target.meToo += source.meToo + 1
            target.updatedAt = now
            for (before, after, action) in [(sourceBefore, source, "report-merge"), (targetBefore, target, "report-merge-into")] {
                try await write(after, db)
                try await auditReport(db, actor: actor, action: action, before: before, after: after)
            }
            return target
        }
    }

    public func removePhoto(of id: String, actor: String) async throws -> CitizenReport {
        try await database.transaction { db in
            let before = try await lockedReport(id, db)
            guard let sha = before.photo else { return before }
            var after = before
            after.photo = nil
            after.updatedAt = StoredTime.now()
            try await write(after, db)
            let users = try await db.values(
                String.self, "SELECT id AS value FROM reports WHERE id <> \(id) AND body->>'photo' = \(sha)")
            if users.isEmpty { try await db.execute("DELETE FROM report_photos WHERE sha256 = \(sha)") }
            try await auditReport(db, actor: actor, action: "report-photo-removed", before: before, after: after)
            return after
        }
    }

    public func addMeToo(_ id: String) async throws -> CitizenReport {
        try await database.transaction { db in
            var report = try await lockedReport(id, db)
            report.meToo += 1
            try await write(report, db)
            return report
        }
    }

    public func photo(_ sha256: String) async throws -> StoredPhoto? {
        try await database.fetchOne(PhotoRow.self, "SELECT sha256, jpeg, width, height FROM report_photos WHERE sha256 = \(sha256)")
            .map { StoredPhoto(sha256: $0.sha256, jpeg: $0.jpeg, width: Int($0.width), height: Int($0.height)) }
    }

    public func purgeEmails(closedBefore: Date, now: Date, dryRun: Bool, actor: String) async throws -> [String] {
        let candidates = try await database.fetch(
            CivicRow.self,
            """
            \(raw: select(dialect)) WHERE closed_at IS NOT NULL AND closed_at < \(StoredTime.millis(closedBefore))
            AND body->>'email' IS NOT NULL LIMIT 10000
            """)
            .map { try $0.decode(CitizenReport.self) }.filter { $0.email != nil }
        if dryRun { return candidates.map(\.id) }
        var erased: [String] = []
        for candidate in candidates {
            // Checked again under the row lock: reopened since, or erased by another instance, it is left alone.
            let done = try await database.transaction { db -> Bool in
                guard var report = try? await lockedReport(candidate.id, db) else { return false }
                guard report.email != nil, !report.status.isOpen, let closed = report.closedAt, closed < closedBefore else { return false }
                let before = report
                report.email = nil
                report.emailErasedAt = now
                try await write(report, db)
                try await auditReport(db, actor: actor, action: "report-email-erased", before: before, after: report)
                return true
            }
            if done { erased.append(candidate.id) }
        }
        return erased
    }

    public func sharedSecret(_ name: String) async throws -> String {
        var generator = SystemRandomNumberGenerator()
        let fresh = APITokens.hex((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try await database.execute("INSERT INTO settings (name, value) VALUES (\(name), \(fresh)) ON CONFLICT (name) DO NOTHING")
        guard let value = try await database.values(String.self, "SELECT value AS value FROM settings WHERE name = \(name)").first
        else { throw CivicStoreError.notFound(kind: "setting", id: name) }
        return value
    }

    public func reportCounts() async throws -> [ReportCount] {
        try await database.fetch(
            CountRow.self,
            "SELECT tag_id, category, status, COUNT(*) AS count FROM reports GROUP BY tag_id, category, status ORDER BY tag_id, category, status"
        ).map { ReportCount(tagID: $0.tagID, category: $0.category, status: $0.status, count: $0.count) }
    }
}

extension CitizenReport {
    /// The report as lists, exports and the audit log may show it.
    public var withoutEmail: CitizenReport {
        var copy = self
        copy.email = nil
        return copy
    }
}
