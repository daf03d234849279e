/// Staff accounts for the web console and their sessions. A password is kept only as its Argon2id string; a
/// set-password link and a session cookie only as the SHA-256 of their random secret, so a copy of the database
/// logs nobody in. Sessions live in the database so every resolver sharing a PostgreSQL knows them.
enum ConsoleSchema {
    static let migrations = [
        Migration(
            "2026-11-30 console v1",
            templates: [
                """
                CREATE TABLE staff_users (
                    name {TEXT_KEY},
                    role TEXT NOT NULL,
                    password_hash TEXT,
                    disabled {BIGINT} NOT NULL DEFAULT 0,
                    language TEXT NOT NULL DEFAULT 'en',
                    setup_hash TEXT,
                    setup_expires {BIGINT},
                    failed_logins {BIGINT} NOT NULL DEFAULT 0,
                    locked_until {BIGINT},
                    created_at {BIGINT} NOT NULL)
                """,
                "CREATE UNIQUE INDEX staff_users_by_setup ON staff_users (setup_hash)",
                """
                CREATE TABLE staff_sessions (
                    id_hash {TEXT_KEY},
                    user_name TEXT NOT NULL,
                    csrf TEXT NOT NULL,
                    created_at {BIGINT} NOT NULL,
                    seen_at {BIGINT} NOT NULL)
                """,
                "CREATE INDEX staff_sessions_by_user ON staff_sessions (user_name)",
                // The dashboard's scans per day: read in day order from this index alone, not the whole table.
                "CREATE INDEX scan_counts_by_day ON scan_counts (day, channel, count)",
            ]),
        // What the dashboard reads, kept up to date as scans are stored (RegistryStore.addScans): scans per day and
        // channel, and each tag's latest scan day. Its refresh then reads 180 rows and the printed tags' candidates,
        // not the million rows of `scan_counts` (about 1 s of CPU at 100,000 tags, which the console's requests felt).
        Migration(
            "2026-11-30 dashboard summary v1",
            templates: [
                """
                CREATE TABLE scan_day_totals (
                    day TEXT NOT NULL, channel TEXT NOT NULL, count {BIGINT} NOT NULL, PRIMARY KEY (day, channel))
                """,
                """
                INSERT INTO scan_day_totals (day, channel, count)
                SELECT day, channel, CAST(SUM(count) AS BIGINT) FROM scan_counts GROUP BY day, channel
                """,
                "CREATE TABLE scan_last_days (tag_id {TEXT_KEY}, day TEXT NOT NULL)",
                "INSERT INTO scan_last_days (tag_id, day) SELECT tag_id, MAX(day) FROM scan_counts GROUP BY tag_id",
                "DROP INDEX scan_counts_by_day",
            ]),
    ]
}
