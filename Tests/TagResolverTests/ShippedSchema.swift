// The schema as the first release created it, read back from fresh databases by ``SchemaTests`` with the
// queries below. Migrations are never edited once shipped, so a database created today must match this
// exactly; a new migration extends it (and this file) instead.

enum ShippedSchema {
    /// `sqlite_master`, one entry per line (SQL text as SQLite stored it).
    static let sqliteQuery = "select type || ' ' || name || ' ' || tbl_name || coalesce(': ' || sql, '') from sqlite_master order by type, name"

    static let sqlite = #"""
index alerts_by_end alerts: CREATE INDEX alerts_by_end ON alerts (status, active_until)
index audit_by_tag audit_log: CREATE INDEX audit_by_tag ON audit_log (tag_id, id)
index bindings_by_tag bindings: CREATE INDEX bindings_by_tag ON bindings (tag_id)
index event_places_by_tag event_places: CREATE INDEX event_places_by_tag ON event_places (tag_id)
index gtfs_stop_times_stop gtfs_stop_times: CREATE INDEX gtfs_stop_times_stop ON gtfs_stop_times (version_id, stop_id)
index gtfs_stop_times_trip gtfs_stop_times: CREATE INDEX gtfs_stop_times_trip ON gtfs_stop_times (version_id, trip_id)
index gtfs_stops_parent gtfs_stops: CREATE INDEX gtfs_stops_parent ON gtfs_stops (version_id, parent_station)
index inspections_by_day inspections: CREATE INDEX inspections_by_day ON inspections (day, at)
index reports_by_follow_up reports: CREATE UNIQUE INDEX reports_by_follow_up ON reports (follow_up_hash)
index reports_by_status reports: CREATE INDEX reports_by_status ON reports (status, created_at)
index reports_by_tag reports: CREATE INDEX reports_by_tag ON reports (tag_id, status)
index sqlite_autoindex_alerts_1 alerts
index sqlite_autoindex_api_tokens_1 api_tokens
index sqlite_autoindex_chip_verifications_1 chip_verifications
index sqlite_autoindex_event_places_1 event_places
index sqlite_autoindex_events_1 events
index sqlite_autoindex_gtfs_active_feeds_1 gtfs_active_feeds
index sqlite_autoindex_gtfs_feed_versions_1 gtfs_feed_versions
index sqlite_autoindex_gtfs_routes_1 gtfs_routes
index sqlite_autoindex_gtfs_stops_1 gtfs_stops
index sqlite_autoindex_gtfs_trips_1 gtfs_trips
index sqlite_autoindex_report_photos_1 report_photos
index sqlite_autoindex_reports_1 reports
index sqlite_autoindex_scan_counts_1 scan_counts
index sqlite_autoindex_scan_day_totals_1 scan_day_totals
index sqlite_autoindex_scan_last_days_1 scan_last_days
index sqlite_autoindex_schema_migrations_1 schema_migrations
index sqlite_autoindex_settings_1 settings
index sqlite_autoindex_staff_sessions_1 staff_sessions
index sqlite_autoindex_staff_users_1 staff_users
index sqlite_autoindex_tags_1 tags
index staff_sessions_by_user staff_sessions: CREATE INDEX staff_sessions_by_user ON staff_sessions (user_name)
index staff_users_by_setup staff_users: CREATE UNIQUE INDEX staff_users_by_setup ON staff_users (setup_hash)
table alerts alerts: CREATE TABLE alerts (
    id TEXT PRIMARY KEY NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    severity TEXT NOT NULL,
    active_from INTEGER NOT NULL,
    active_until INTEGER,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL)
table api_tokens api_tokens: CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, scope TEXT NOT NULL,
    secret_hash TEXT NOT NULL, created_at INTEGER NOT NULL)
table audit_log audit_log: CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, tag_id TEXT,
    before TEXT, after TEXT)
table bindings bindings: CREATE TABLE bindings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tag_id TEXT NOT NULL REFERENCES tags(id),
    kind TEXT NOT NULL,
    chip_uid TEXT, chip_type TEXT, encoded_at INTEGER, batch_id TEXT,
    created_at INTEGER NOT NULL, key_version INTEGER)
table chip_verifications chip_verifications: CREATE TABLE chip_verifications (
    chip_uid TEXT PRIMARY KEY NOT NULL,
    last_counter INTEGER NOT NULL,
    last_accepted_at INTEGER,
    accepted INTEGER NOT NULL DEFAULT 0,
    replays INTEGER NOT NULL DEFAULT 0,
    rewinds INTEGER NOT NULL DEFAULT 0,
    last_replay_at INTEGER,
    bad_macs INTEGER NOT NULL DEFAULT 0,
    wrong_chips INTEGER NOT NULL DEFAULT 0,
    last_failure_at INTEGER)
table event_places event_places: CREATE TABLE event_places (
    event_id TEXT NOT NULL REFERENCES events(id),
    tag_id TEXT NOT NULL,
    PRIMARY KEY (event_id, tag_id))
table events events: CREATE TABLE events (
    id TEXT PRIMARY KEY NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL)
table gtfs_active_feeds gtfs_active_feeds: CREATE TABLE gtfs_active_feeds (feed_id TEXT PRIMARY KEY, version_id BIGINT NOT NULL)
table gtfs_agency gtfs_agency: CREATE TABLE gtfs_agency (version_id BIGINT NOT NULL, agency_id TEXT NOT NULL, name TEXT NOT NULL, url TEXT NOT NULL, timezone TEXT NOT NULL, lang TEXT NOT NULL)
table gtfs_calendar gtfs_calendar: CREATE TABLE gtfs_calendar (version_id BIGINT NOT NULL, service_id TEXT NOT NULL, days TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL)
table gtfs_calendar_dates gtfs_calendar_dates: CREATE TABLE gtfs_calendar_dates (version_id BIGINT NOT NULL, service_id TEXT NOT NULL, date TEXT NOT NULL, exception_type INTEGER NOT NULL)
table gtfs_feed_info gtfs_feed_info: CREATE TABLE gtfs_feed_info (version_id BIGINT NOT NULL, publisher_name TEXT NOT NULL, lang TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL, feed_version TEXT NOT NULL)
table gtfs_feed_versions gtfs_feed_versions: CREATE TABLE gtfs_feed_versions (version_id BIGINT PRIMARY KEY, feed_id TEXT NOT NULL, imported_at BIGINT NOT NULL,
  source TEXT NOT NULL, timezone TEXT NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT NOT NULL,
  stops INTEGER NOT NULL, trips INTEGER NOT NULL, stop_times INTEGER NOT NULL)
table gtfs_frequencies gtfs_frequencies: CREATE TABLE gtfs_frequencies (version_id BIGINT NOT NULL, trip_id TEXT NOT NULL, start_time INTEGER NOT NULL, end_time INTEGER NOT NULL, headway_secs INTEGER NOT NULL, exact_times INTEGER NOT NULL)
table gtfs_routes gtfs_routes: CREATE TABLE gtfs_routes (version_id BIGINT NOT NULL, route_id TEXT NOT NULL, agency_id TEXT NOT NULL,
  short_name TEXT NOT NULL, long_name TEXT NOT NULL, route_type INTEGER NOT NULL, color TEXT NOT NULL,
  text_color TEXT NOT NULL, PRIMARY KEY (version_id, route_id))
table gtfs_stop_times gtfs_stop_times: CREATE TABLE gtfs_stop_times (version_id BIGINT NOT NULL, trip_id TEXT NOT NULL, stop_sequence INTEGER NOT NULL,
  stop_id TEXT NOT NULL, arrival INTEGER NOT NULL, departure INTEGER NOT NULL, stop_headsign TEXT NOT NULL,
  pickup_type INTEGER NOT NULL, drop_off_type INTEGER NOT NULL, interpolated INTEGER NOT NULL,
  is_last INTEGER NOT NULL, trip_start INTEGER NOT NULL)
table gtfs_stops gtfs_stops: CREATE TABLE gtfs_stops (version_id BIGINT NOT NULL, stop_id TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL,
  lat REAL, lon REAL, location_type INTEGER NOT NULL, parent_station TEXT NOT NULL, platform_code TEXT NOT NULL,
  PRIMARY KEY (version_id, stop_id))
table gtfs_trips gtfs_trips: CREATE TABLE gtfs_trips (version_id BIGINT NOT NULL, trip_id TEXT NOT NULL, route_id TEXT NOT NULL,
  service_id TEXT NOT NULL, headsign TEXT NOT NULL, short_name TEXT NOT NULL, direction_id INTEGER NOT NULL,
  PRIMARY KEY (version_id, trip_id))
table inspections inspections: CREATE TABLE inspections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tag_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    at INTEGER NOT NULL,
    day TEXT NOT NULL,
    counter INTEGER NOT NULL)
table report_photos report_photos: CREATE TABLE report_photos (
    sha256 TEXT PRIMARY KEY NOT NULL,
    jpeg BLOB NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    created_at INTEGER NOT NULL)
table reports reports: CREATE TABLE reports (
    id TEXT PRIMARY KEY NOT NULL,
    body TEXT NOT NULL,
    tag_id TEXT,
    category TEXT NOT NULL,
    status TEXT NOT NULL,
    lat REAL, lon REAL,
    follow_up_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    closed_at INTEGER)
table scan_counts scan_counts: CREATE TABLE scan_counts (
    tag_id TEXT NOT NULL, day TEXT NOT NULL, channel TEXT NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (tag_id, day, channel))
table scan_day_totals scan_day_totals: CREATE TABLE scan_day_totals (
    day TEXT NOT NULL, channel TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (day, channel))
table scan_last_days scan_last_days: CREATE TABLE scan_last_days (tag_id TEXT PRIMARY KEY NOT NULL, day TEXT NOT NULL)
table schema_migrations schema_migrations: CREATE TABLE schema_migrations (name TEXT PRIMARY KEY NOT NULL, applied_at INTEGER NOT NULL)
table settings settings: CREATE TABLE settings (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL)
table sqlite_sequence sqlite_sequence: CREATE TABLE sqlite_sequence(name,seq)
table staff_sessions staff_sessions: CREATE TABLE staff_sessions (
    id_hash TEXT PRIMARY KEY NOT NULL,
    user_name TEXT NOT NULL,
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    seen_at INTEGER NOT NULL)
table staff_users staff_users: CREATE TABLE staff_users (
    name TEXT PRIMARY KEY NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT,
    disabled INTEGER NOT NULL DEFAULT 0,
    language TEXT NOT NULL DEFAULT 'en',
    setup_hash TEXT,
    setup_expires INTEGER,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    created_at INTEGER NOT NULL)
table tag_search tag_search: CREATE VIRTUAL TABLE tag_search USING fts5 (id, name, address, tokenize = 'unicode61 remove_diacritics 2')
table tag_search_config tag_search_config: CREATE TABLE 'tag_search_config'(k PRIMARY KEY, v) WITHOUT ROWID
table tag_search_content tag_search_content: CREATE TABLE 'tag_search_content'(id INTEGER PRIMARY KEY, c0, c1, c2)
table tag_search_data tag_search_data: CREATE TABLE 'tag_search_data'(id INTEGER PRIMARY KEY, block BLOB)
table tag_search_docsize tag_search_docsize: CREATE TABLE 'tag_search_docsize'(id INTEGER PRIMARY KEY, sz BLOB)
table tag_search_idx tag_search_idx: CREATE TABLE 'tag_search_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID
table tags tags: CREATE TABLE tags (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    lat REAL, lon REAL, address TEXT,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    schedule TEXT NOT NULL DEFAULT '[]',
    notes TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL)
trigger audit_log_no_delete audit_log: CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
trigger audit_log_no_update audit_log: CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
trigger tag_search_delete tags: CREATE TRIGGER tag_search_delete AFTER DELETE ON tags BEGIN
    DELETE FROM tag_search WHERE rowid IN (
        SELECT rowid FROM tag_search WHERE tag_search MATCH 'id : "' || replace(old.id, '"', '""') || '"' AND id = old.id);
END
trigger tag_search_insert tags: CREATE TRIGGER tag_search_insert AFTER INSERT ON tags BEGIN
    INSERT INTO tag_search (id, name, address) VALUES (new.id, new.name, new.address);
END
trigger tag_search_update tags: CREATE TRIGGER tag_search_update AFTER UPDATE OF id, name, address ON tags
WHEN old.id IS NOT new.id OR old.name IS NOT new.name OR old.address IS NOT new.address BEGIN
    DELETE FROM tag_search WHERE rowid IN (
        SELECT rowid FROM tag_search WHERE tag_search MATCH 'id : "' || replace(old.id, '"', '""') || '"' AND id = old.id);
    INSERT INTO tag_search (id, name, address) VALUES (new.id, new.name, new.address);
END
"""#

    /// Columns, constraints, indexes, triggers and the trigger function, one query each.
    static let postgresQueries = [
        "select table_name || '.' || column_name || ' ' || ordinal_position || ' ' || data_type || ' ' || is_nullable || coalesce(' ' || column_default, '') from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position",
        "select table_name || ' ' || constraint_name || ' ' || constraint_type from information_schema.table_constraints where table_schema = 'public' and constraint_type <> 'CHECK' order by table_name, constraint_name",
        "select indexdef from pg_indexes where schemaname = 'public' order by indexname",
        "select trigger_name || ' ' || event_manipulation || ' ' || event_object_table || ' ' || action_timing || ' ' || action_orientation || ' ' || action_statement from information_schema.triggers order by trigger_name, event_manipulation",
        "select proname || ': ' || to_json(prosrc)::text from pg_proc where proname like 'civictags%'",
    ]

    static let postgres = #"""
CREATE INDEX tags_search ON public.tags USING gin (search_vector) WITH (fastupdate=off)
tags.search_vector 12 tsvector YES
report_photos.sha256 1 text NO
report_photos.jpeg 2 bytea NO
report_photos.width 3 bigint NO
report_photos.height 4 bigint NO
report_photos.created_at 5 bigint NO
reports.id 1 text NO
reports.body 2 jsonb NO
reports.tag_id 3 text YES
reports.category 4 text NO
reports.status 5 text NO
reports.lat 6 double precision YES
reports.lon 7 double precision YES
reports.follow_up_hash 8 text NO
reports.created_at 9 bigint NO
reports.updated_at 10 bigint NO
reports.closed_at 11 bigint YES
settings.name 1 text NO
settings.value 2 text NO
report_photos report_photos_pkey PRIMARY KEY
reports reports_pkey PRIMARY KEY
settings settings_pkey PRIMARY KEY
CREATE UNIQUE INDEX report_photos_pkey ON public.report_photos USING btree (sha256)
CREATE UNIQUE INDEX reports_by_follow_up ON public.reports USING btree (follow_up_hash)
CREATE INDEX reports_by_status ON public.reports USING btree (status, created_at)
CREATE INDEX reports_by_tag ON public.reports USING btree (tag_id, status)
CREATE UNIQUE INDEX reports_pkey ON public.reports USING btree (id)
CREATE UNIQUE INDEX settings_pkey ON public.settings USING btree (name)
CREATE INDEX alerts_by_end ON public.alerts USING btree (status, active_until)
CREATE INDEX event_places_by_tag ON public.event_places USING btree (tag_id)
CREATE UNIQUE INDEX alerts_pkey ON public.alerts USING btree (id)
CREATE UNIQUE INDEX event_places_pkey ON public.event_places USING btree (event_id, tag_id)
CREATE UNIQUE INDEX events_pkey ON public.events USING btree (id)
alerts alerts_pkey PRIMARY KEY
alerts.id 1 text NO
alerts.body 2 jsonb NO
alerts.status 3 text NO
alerts.severity 4 text NO
alerts.active_from 5 bigint NO
alerts.active_until 6 bigint YES
alerts.version 7 bigint NO
alerts.created_at 8 bigint NO
alerts.updated_at 9 bigint NO
event_places event_places_event_id_fkey FOREIGN KEY
event_places event_places_pkey PRIMARY KEY
event_places.event_id 1 text NO
event_places.tag_id 2 text NO
events events_pkey PRIMARY KEY
events.id 1 text NO
events.body 2 jsonb NO
events.status 3 text NO
events.sequence 4 bigint NO
events.created_at 5 bigint NO
events.updated_at 6 bigint NO
api_tokens.id 1 text NO
api_tokens.name 2 text NO
api_tokens.scope 3 text NO
api_tokens.secret_hash 4 text NO
api_tokens.created_at 5 bigint NO
audit_log.id 1 bigint NO nextval('audit_log_id_seq'::regclass)
audit_log.at 2 bigint NO
audit_log.actor 3 text NO
audit_log.action 4 text NO
audit_log.tag_id 5 text YES
audit_log.before 6 jsonb YES
audit_log.after 7 jsonb YES
bindings.id 1 bigint NO nextval('bindings_id_seq'::regclass)
bindings.tag_id 2 text NO
bindings.kind 3 text NO
bindings.chip_uid 4 text YES
bindings.chip_type 5 text YES
bindings.encoded_at 6 bigint YES
bindings.batch_id 7 text YES
bindings.created_at 8 bigint NO
bindings.key_version 9 bigint YES
gtfs_active_feeds.feed_id 1 text NO
gtfs_active_feeds.version_id 2 bigint NO
gtfs_agency.version_id 1 bigint NO
gtfs_agency.agency_id 2 text NO
gtfs_agency.name 3 text NO
gtfs_agency.url 4 text NO
gtfs_agency.timezone 5 text NO
gtfs_agency.lang 6 text NO
gtfs_calendar.version_id 1 bigint NO
gtfs_calendar.service_id 2 text NO
gtfs_calendar.days 3 text NO
gtfs_calendar.start_date 4 text NO
gtfs_calendar.end_date 5 text NO
gtfs_calendar_dates.version_id 1 bigint NO
gtfs_calendar_dates.service_id 2 text NO
gtfs_calendar_dates.date 3 text NO
gtfs_calendar_dates.exception_type 4 integer NO
gtfs_feed_info.version_id 1 bigint NO
gtfs_feed_info.publisher_name 2 text NO
gtfs_feed_info.lang 3 text NO
gtfs_feed_info.start_date 4 text NO
gtfs_feed_info.end_date 5 text NO
gtfs_feed_info.feed_version 6 text NO
gtfs_feed_versions.version_id 1 bigint NO
gtfs_feed_versions.feed_id 2 text NO
gtfs_feed_versions.imported_at 3 bigint NO
gtfs_feed_versions.source 4 text NO
gtfs_feed_versions.timezone 5 text NO
gtfs_feed_versions.valid_from 6 text NO
gtfs_feed_versions.valid_to 7 text NO
gtfs_feed_versions.stops 8 integer NO
gtfs_feed_versions.trips 9 integer NO
gtfs_feed_versions.stop_times 10 integer NO
gtfs_frequencies.version_id 1 bigint NO
gtfs_frequencies.trip_id 2 text NO
gtfs_frequencies.start_time 3 integer NO
gtfs_frequencies.end_time 4 integer NO
gtfs_frequencies.headway_secs 5 integer NO
gtfs_frequencies.exact_times 6 integer NO
gtfs_routes.version_id 1 bigint NO
gtfs_routes.route_id 2 text NO
gtfs_routes.agency_id 3 text NO
gtfs_routes.short_name 4 text NO
gtfs_routes.long_name 5 text NO
gtfs_routes.route_type 6 integer NO
gtfs_routes.color 7 text NO
gtfs_routes.text_color 8 text NO
gtfs_stop_times.version_id 1 bigint NO
gtfs_stop_times.trip_id 2 text NO
gtfs_stop_times.stop_sequence 3 integer NO
gtfs_stop_times.stop_id 4 text NO
gtfs_stop_times.arrival 5 integer NO
gtfs_stop_times.departure 6 integer NO
gtfs_stop_times.stop_headsign 7 text NO
gtfs_stop_times.pickup_type 8 integer NO
gtfs_stop_times.drop_off_type 9 integer NO
gtfs_stop_times.interpolated 10 integer NO
gtfs_stop_times.is_last 11 integer NO
gtfs_stop_times.trip_start 12 integer NO
gtfs_stops.version_id 1 bigint NO
gtfs_stops.stop_id 2 text NO
gtfs_stops.code 3 text NO
gtfs_stops.name 4 text NO
gtfs_stops.lat 5 double precision YES
gtfs_stops.lon 6 double precision YES
gtfs_stops.location_type 7 integer NO
gtfs_stops.parent_station 8 text NO
gtfs_stops.platform_code 9 text NO
gtfs_trips.version_id 1 bigint NO
gtfs_trips.trip_id 2 text NO
gtfs_trips.route_id 3 text NO
gtfs_trips.service_id 4 text NO
gtfs_trips.headsign 5 text NO
gtfs_trips.short_name 6 text NO
gtfs_trips.direction_id 7 integer NO
scan_counts.tag_id 1 text NO
scan_counts.day 2 text NO
scan_counts.channel 3 text NO
scan_counts.count 4 bigint NO
schema_migrations.name 1 text NO
schema_migrations.applied_at 2 bigint NO
tags.id 1 text NO
tags.name 2 text NO
tags.lat 3 double precision YES
tags.lon 4 double precision YES
tags.address 5 text YES
tags.kind 6 text NO
tags.target 7 jsonb NO
tags.schedule 8 jsonb NO '[]'::jsonb
tags.notes 9 text NO ''::text
tags.created_at 10 bigint NO
tags.updated_at 11 bigint NO
api_tokens api_tokens_pkey PRIMARY KEY
audit_log audit_log_pkey PRIMARY KEY
bindings bindings_pkey PRIMARY KEY
bindings bindings_tag_id_fkey FOREIGN KEY
gtfs_active_feeds gtfs_active_feeds_pkey PRIMARY KEY
gtfs_feed_versions gtfs_feed_versions_pkey PRIMARY KEY
gtfs_routes gtfs_routes_pkey PRIMARY KEY
gtfs_stops gtfs_stops_pkey PRIMARY KEY
gtfs_trips gtfs_trips_pkey PRIMARY KEY
scan_counts scan_counts_pkey PRIMARY KEY
schema_migrations schema_migrations_pkey PRIMARY KEY
tags tags_pkey PRIMARY KEY
CREATE UNIQUE INDEX api_tokens_pkey ON public.api_tokens USING btree (id)
CREATE INDEX audit_by_tag ON public.audit_log USING btree (tag_id, id)
CREATE UNIQUE INDEX audit_log_pkey ON public.audit_log USING btree (id)
CREATE INDEX bindings_by_tag ON public.bindings USING btree (tag_id)
CREATE UNIQUE INDEX bindings_pkey ON public.bindings USING btree (id)
CREATE UNIQUE INDEX gtfs_active_feeds_pkey ON public.gtfs_active_feeds USING btree (feed_id)
CREATE UNIQUE INDEX gtfs_feed_versions_pkey ON public.gtfs_feed_versions USING btree (version_id)
CREATE UNIQUE INDEX gtfs_routes_pkey ON public.gtfs_routes USING btree (version_id, route_id)
CREATE INDEX gtfs_stop_times_stop ON public.gtfs_stop_times USING btree (version_id, stop_id)
CREATE INDEX gtfs_stop_times_trip ON public.gtfs_stop_times USING btree (version_id, trip_id)
CREATE INDEX gtfs_stops_parent ON public.gtfs_stops USING btree (version_id, parent_station)
CREATE UNIQUE INDEX gtfs_stops_pkey ON public.gtfs_stops USING btree (version_id, stop_id)
CREATE UNIQUE INDEX gtfs_trips_pkey ON public.gtfs_trips USING btree (version_id, trip_id)
CREATE UNIQUE INDEX scan_counts_pkey ON public.scan_counts USING btree (tag_id, day, channel)
CREATE UNIQUE INDEX schema_migrations_pkey ON public.schema_migrations USING btree (name)
CREATE UNIQUE INDEX tags_pkey ON public.tags USING btree (id)
audit_log_append_only DELETE audit_log BEFORE ROW EXECUTE FUNCTION civictags_audit_append_only()
audit_log_append_only UPDATE audit_log BEFORE ROW EXECUTE FUNCTION civictags_audit_append_only()
civictags_audit_append_only: "\nBEGIN RAISE EXCEPTION 'audit_log is append-only'; END "
staff_sessions.id_hash 1 text NO
staff_sessions.user_name 2 text NO
staff_sessions.csrf 3 text NO
staff_sessions.created_at 4 bigint NO
staff_sessions.seen_at 5 bigint NO
staff_users.name 1 text NO
staff_users.role 2 text NO
staff_users.password_hash 3 text YES
staff_users.disabled 4 bigint NO 0
staff_users.language 5 text NO 'en'::text
staff_users.setup_hash 6 text YES
staff_users.setup_expires 7 bigint YES
staff_users.failed_logins 8 bigint NO 0
staff_users.locked_until 9 bigint YES
staff_users.created_at 10 bigint NO
staff_sessions staff_sessions_pkey PRIMARY KEY
staff_users staff_users_pkey PRIMARY KEY
CREATE INDEX staff_sessions_by_user ON public.staff_sessions USING btree (user_name)
CREATE UNIQUE INDEX staff_sessions_pkey ON public.staff_sessions USING btree (id_hash)
CREATE UNIQUE INDEX staff_users_by_setup ON public.staff_users USING btree (setup_hash)
CREATE UNIQUE INDEX staff_users_pkey ON public.staff_users USING btree (name)
chip_verifications.chip_uid 1 text NO
chip_verifications.last_counter 2 bigint NO
chip_verifications.last_accepted_at 3 bigint YES
chip_verifications.accepted 4 bigint NO 0
chip_verifications.replays 5 bigint NO 0
chip_verifications.rewinds 6 bigint NO 0
chip_verifications.last_replay_at 7 bigint YES
chip_verifications.bad_macs 8 bigint NO 0
chip_verifications.wrong_chips 9 bigint NO 0
chip_verifications.last_failure_at 10 bigint YES
inspections.id 1 bigint NO nextval('inspections_id_seq'::regclass)
inspections.tag_id 2 text NO
inspections.user_name 3 text NO
inspections.at 4 bigint NO
inspections.day 5 text NO
inspections.counter 6 bigint NO
chip_verifications chip_verifications_pkey PRIMARY KEY
inspections inspections_pkey PRIMARY KEY
CREATE UNIQUE INDEX chip_verifications_pkey ON public.chip_verifications USING btree (chip_uid)
CREATE INDEX inspections_by_day ON public.inspections USING btree (day, at)
CREATE UNIQUE INDEX inspections_pkey ON public.inspections USING btree (id)
CREATE UNIQUE INDEX scan_day_totals_pkey ON public.scan_day_totals USING btree (day, channel)
CREATE UNIQUE INDEX scan_last_days_pkey ON public.scan_last_days USING btree (tag_id)
scan_day_totals scan_day_totals_pkey PRIMARY KEY
scan_day_totals.day 1 text NO
scan_day_totals.channel 2 text NO
scan_day_totals.count 3 bigint NO
scan_last_days scan_last_days_pkey PRIMARY KEY
scan_last_days.tag_id 1 text NO
scan_last_days.day 2 text NO
"""#
}
