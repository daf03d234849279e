/// Citizen reports and their photos. A photo is stored in the database, content-addressed by the SHA-256 of
/// its re-encoded JPEG, in the same transaction as its report — so a crash leaves both or neither, and every
/// resolver sharing a PostgreSQL serves it (a disk directory would need a shared filesystem and a second,
/// non-transactional write). Re-encoded photos are ~100–400 kB; a town's thousands fit easily.
enum ReportSchema {
    static let migrations = [
        Migration(
            "2026-11-30 reports v1",
            templates: [
                """
                CREATE TABLE reports (
                    id {TEXT_KEY},
                    body {JSON} NOT NULL,
                    tag_id TEXT,
                    category TEXT NOT NULL,
                    status TEXT NOT NULL,
                    lat {FLOAT}, lon {FLOAT},
                    follow_up_hash TEXT NOT NULL,
                    created_at {BIGINT} NOT NULL,
                    updated_at {BIGINT} NOT NULL,
                    closed_at {BIGINT})
                """,
                "CREATE INDEX reports_by_tag ON reports (tag_id, status)",
                "CREATE INDEX reports_by_status ON reports (status, created_at)",
                "CREATE UNIQUE INDEX reports_by_follow_up ON reports (follow_up_hash)",
                """
                CREATE TABLE report_photos (
                    sha256 {TEXT_KEY},
                    jpeg {BLOB} NOT NULL,
                    width {BIGINT} NOT NULL,
                    height {BIGINT} NOT NULL,
                    created_at {BIGINT} NOT NULL)
                """,
                """
                CREATE TABLE settings (
                    name {TEXT_KEY},
                    value TEXT NOT NULL)
                """,
            ])
    ]
}
