/// Tap verification: per-chip counters and failure counts (``ChipVerification``) and technicians' inspections.
/// (A report's "verified on site" mark lives in its JSON body, like its other fields.)
enum TapSchema {
    static let migrations = [
        Migration(
            "2026-11-30 trusted taps v1",
            templates: [
                """
                CREATE TABLE chip_verifications (
                    chip_uid {TEXT_KEY},
                    last_counter {BIGINT} NOT NULL,
                    last_accepted_at {BIGINT},
                    accepted {BIGINT} NOT NULL DEFAULT 0,
                    replays {BIGINT} NOT NULL DEFAULT 0,
                    rewinds {BIGINT} NOT NULL DEFAULT 0,
                    last_replay_at {BIGINT},
                    bad_macs {BIGINT} NOT NULL DEFAULT 0,
                    wrong_chips {BIGINT} NOT NULL DEFAULT 0,
                    last_failure_at {BIGINT})
                """,
                """
                CREATE TABLE inspections (
                    id {SERIAL_KEY},
                    tag_id TEXT NOT NULL,
                    user_name TEXT NOT NULL,
                    at {BIGINT} NOT NULL,
                    day TEXT NOT NULL,
                    counter {BIGINT} NOT NULL)
                """,
                "CREATE INDEX inspections_by_day ON inspections (day, at)",
            ])
    ]
}
