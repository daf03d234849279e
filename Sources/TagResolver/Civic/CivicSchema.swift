/// The civic tables: events (with the tags they take place at) and town alerts. Each row keeps the whole
/// value as JSON (`body`) beside the columns lists and lookups need, so one description serves both databases.
enum CivicSchema {
    static let migrations = [
        Migration(
            "2026-11-30 civic v1",
            templates: [
                """
                CREATE TABLE events (
                    id {TEXT_KEY},
                    body {JSON} NOT NULL,
                    status TEXT NOT NULL,
                    sequence {BIGINT} NOT NULL,
                    created_at {BIGINT} NOT NULL,
                    updated_at {BIGINT} NOT NULL)
                """,
                """
                CREATE TABLE event_places (
                    event_id TEXT NOT NULL REFERENCES events(id),
                    tag_id TEXT NOT NULL,
                    PRIMARY KEY (event_id, tag_id))
                """,
                "CREATE INDEX event_places_by_tag ON event_places (tag_id)",
                """
                CREATE TABLE alerts (
                    id {TEXT_KEY},
                    body {JSON} NOT NULL,
                    status TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    active_from {BIGINT} NOT NULL,
                    active_until {BIGINT},
                    version {BIGINT} NOT NULL,
                    created_at {BIGINT} NOT NULL,
                    updated_at {BIGINT} NOT NULL)
                """,
                "CREATE INDEX alerts_by_end ON alerts (status, active_until)",
            ])
    ]
}
