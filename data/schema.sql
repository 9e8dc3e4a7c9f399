-- OneMap data model: one DuckDB file, spatial extension loaded by data/db.py.
-- Geometry is WGS84 lon/lat (CGCS2000 differs by < 1 m at this scale). All times are China Standard
-- Time (UTC+8) stored as naive TIMESTAMP, as every source system in ../formats writes them.
-- lon/lat are kept beside geom on point tables: aggregates read two DOUBLE columns far faster than
-- ST_X/ST_Y on a geometry, and geom serves the spatial predicates (R-tree indexed).

-- ---------------------------------------------------------------- code tables
CREATE TABLE channels (
    code VARCHAR PRIMARY KEY, name_zh VARCHAR NOT NULL, name_en VARCHAR NOT NULL,
    default_category VARCHAR NOT NULL CHECK (default_category IN ('emergency', 'service')),
    sort_order SMALLINT NOT NULL);
CREATE TABLE incident_classes (
    code VARCHAR PRIMARY KEY, name_zh VARCHAR NOT NULL, name_en VARCHAR NOT NULL, sort_order SMALLINT NOT NULL);
CREATE TABLE hazard_types (
    code VARCHAR PRIMARY KEY, class_code VARCHAR NOT NULL REFERENCES incident_classes (code),
    name_zh VARCHAR NOT NULL, name_en VARCHAR NOT NULL, colour VARCHAR NOT NULL, sort_order SMALLINT NOT NULL);
CREATE TABLE severity_levels (
    level TINYINT PRIMARY KEY CHECK (level BETWEEN 1 AND 4), roman VARCHAR NOT NULL,
    name_zh VARCHAR NOT NULL, name_en VARCHAR NOT NULL, colour VARCHAR NOT NULL, colour_name VARCHAR NOT NULL);
CREATE TABLE warning_levels (
    level TINYINT PRIMARY KEY CHECK (level BETWEEN 1 AND 4), code VARCHAR UNIQUE NOT NULL,
    name_zh VARCHAR NOT NULL, name_en VARCHAR NOT NULL, colour VARCHAR NOT NULL);
CREATE TABLE fire_danger_levels (
    level TINYINT PRIMARY KEY CHECK (level BETWEEN 1 AND 5), name_zh VARCHAR NOT NULL, name_en VARCHAR NOT NULL,
    colour VARCHAR NOT NULL, is_high BOOLEAN NOT NULL);
CREATE TABLE incident_statuses (
    code VARCHAR PRIMARY KEY, step TINYINT UNIQUE NOT NULL, name_zh VARCHAR NOT NULL, name_en VARCHAR NOT NULL);
CREATE TABLE linkage_levels (
    level TINYINT PRIMARY KEY CHECK (level BETWEEN 1 AND 3), name_zh VARCHAR NOT NULL, name_en VARCHAR NOT NULL,
    duty_zh VARCHAR NOT NULL, duty_en VARCHAR NOT NULL);
CREATE TABLE report_kinds (
    code VARCHAR PRIMARY KEY, step TINYINT NOT NULL, name_zh VARCHAR NOT NULL, name_en VARCHAR NOT NULL);
CREATE TABLE report_rules (
    severity TINYINT PRIMARY KEY REFERENCES severity_levels (level),
    first_report_minutes INTEGER NOT NULL CHECK (first_report_minutes > 0),
    follow_up_hours INTEGER NOT NULL CHECK (follow_up_hours > 0),
    final_report_days INTEGER NOT NULL CHECK (final_report_days > 0));
CREATE TABLE dispatch_time_limits (
    linkage_level TINYINT NOT NULL REFERENCES linkage_levels (level),
    category VARCHAR NOT NULL CHECK (category IN ('emergency', 'service')),
    arrive_minutes INTEGER NOT NULL CHECK (arrive_minutes > 0),
    PRIMARY KEY (linkage_level, category));
CREATE TABLE team_specialties (code VARCHAR PRIMARY KEY, name_zh VARCHAR NOT NULL, name_en VARCHAR NOT NULL);
CREATE TABLE sensor_types (code VARCHAR PRIMARY KEY, name_zh VARCHAR NOT NULL, name_en VARCHAR NOT NULL, unit VARCHAR NOT NULL);
CREATE TABLE duty_seats (
    code VARCHAR PRIMARY KEY, sort_order SMALLINT NOT NULL, name_zh VARCHAR NOT NULL, name_en VARCHAR NOT NULL,
    is_extra BOOLEAN NOT NULL);

-- ---------------------------------------------------------------- places
CREATE TABLE townships (
    township_id SMALLINT PRIMARY KEY,
    code VARCHAR UNIQUE NOT NULL CHECK (length(code) = 3),
    name VARCHAR UNIQUE NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('街道', '镇', '乡')),
    pinyin VARCHAR NOT NULL,
    population INTEGER NOT NULL CHECK (population > 0),
    population_estimated BOOLEAN NOT NULL,
    seat_lon DOUBLE NOT NULL, seat_lat DOUBLE NOT NULL,
    seat_estimated BOOLEAN NOT NULL,
    seat GEOMETRY NOT NULL,
    boundary_approx BOOLEAN NOT NULL,
    geom GEOMETRY NOT NULL);
COMMENT ON TABLE townships IS '19 township-level units (3 街道, 6 镇, 10 乡). Boundaries are generated (Voronoi of seats) unless a surveyed file is configured.';
COMMENT ON COLUMN townships.population IS 'Resident population; the demo splits the 2020 census total (142,551) and marks it estimated.';

CREATE TABLE villages (
    village_id SMALLINT PRIMARY KEY,
    township_id SMALLINT NOT NULL REFERENCES townships (township_id),
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('village', 'community')),
    population INTEGER NOT NULL CHECK (population >= 0),
    lon DOUBLE NOT NULL, lat DOUBLE NOT NULL,
    location_estimated BOOLEAN NOT NULL,
    geom GEOMETRY NOT NULL,
    UNIQUE (township_id, name));
COMMENT ON TABLE villages IS '353 villages and communities (村/社区); names are real, demo coordinates are generated.';

CREATE TABLE grid_cells (
    grid_cell_id SMALLINT PRIMARY KEY,
    code VARCHAR UNIQUE NOT NULL,
    township_id SMALLINT NOT NULL REFERENCES townships (township_id),
    name VARCHAR NOT NULL,
    population INTEGER NOT NULL CHECK (population >= 0),
    geom GEOMETRY NOT NULL);
COMMENT ON TABLE grid_cells IS 'The 389 rural safety grids (平安网格) that tile the county; code = county-township-grid.';

CREATE TABLE grid_members (
    member_id SMALLINT PRIMARY KEY,
    grid_cell_id SMALLINT NOT NULL REFERENCES grid_cells (grid_cell_id),
    name VARCHAR NOT NULL,
    phone VARCHAR NOT NULL,
    role VARCHAR NOT NULL CHECK (role IN ('full_time', 'part_time')));
COMMENT ON TABLE grid_members IS 'The 413 grid members (网格员): who to call in a grid cell.';

-- ---------------------------------------------------------------- organisation
CREATE TABLE linkage_units (
    unit_id SMALLINT PRIMARY KEY,
    name VARCHAR UNIQUE NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('department', 'township')),
    linkage_level TINYINT NOT NULL REFERENCES linkage_levels (level),
    township_id SMALLINT REFERENCES townships (township_id),
    hazards VARCHAR[] NOT NULL,
    phone VARCHAR,
    CHECK (kind = 'department' OR township_id IS NOT NULL));
COMMENT ON TABLE linkage_units IS '92 departments and 19 townships in three linkage levels (seed 000).';
COMMENT ON COLUMN linkage_units.township_id IS 'For township governments and local stations: the jurisdiction.';

-- ---------------------------------------------------------------- incidents
CREATE TABLE incidents (
    incident_id BIGINT PRIMARY KEY,
    channel VARCHAR NOT NULL CHECK (channel IN ('police_110', 'hotline_96345', 'city_mgmt', 'grid', 'iot_sensor', 'ai_video')),
    source_ref VARCHAR NOT NULL,
    category VARCHAR NOT NULL CHECK (category IN ('emergency', 'service')),
    hazard VARCHAR NOT NULL CHECK (hazard IN ('flood', 'typhoon', 'forest_fire', 'geological', 'building_fire', 'traffic',
                                              'work_safety', 'public_security', 'public_health', 'urban_mgmt', 'livelihood')),
    severity TINYINT NOT NULL CHECK (severity BETWEEN 1 AND 4),
    is_flagged BOOLEAN NOT NULL DEFAULT false,
    status VARCHAR NOT NULL CHECK (status IN ('received', 'dispatched', 'on_scene', 'feedback', 'callback', 'closed')),
    received_at TIMESTAMP NOT NULL,
    dispatched_at TIMESTAMP,
    on_scene_at TIMESTAMP,
    feedback_at TIMESTAMP,
    callback_at TIMESTAMP,
    closed_at TIMESTAMP,
    lon DOUBLE NOT NULL CHECK (lon BETWEEN 73 AND 136),
    lat DOUBLE NOT NULL CHECK (lat BETWEEN 3 AND 54),
    geom GEOMETRY NOT NULL,
    location_precision VARCHAR NOT NULL CHECK (location_precision IN ('exact', 'village', 'township')),
    township_id SMALLINT NOT NULL,
    village_id SMALLINT,
    grid_cell_id SMALLINT,
    address VARCHAR,
    caller_name VARCHAR,
    caller_phone VARCHAR,
    description VARCHAR,
    device_id VARCHAR,
    event_id BIGINT,
    CHECK (dispatched_at IS NULL OR dispatched_at >= received_at),
    CHECK (on_scene_at IS NULL OR (dispatched_at IS NOT NULL AND on_scene_at >= dispatched_at)),
    CHECK (feedback_at IS NULL OR feedback_at >= received_at),
    CHECK (callback_at IS NULL OR (feedback_at IS NOT NULL AND callback_at >= feedback_at)),
    CHECK (closed_at IS NULL OR closed_at >= received_at),
    CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
    CHECK (status = 'received' OR dispatched_at IS NOT NULL OR closed_at IS NOT NULL));
COMMENT ON TABLE incidents IS 'Every channel in one schema. Stored in received_at order so zone maps prune time windows. township/village/grid assigned once at ingest.';
COMMENT ON COLUMN incidents.severity IS '1 = I 特别重大, 2 = II 重大, 3 = III 较大, 4 = IV 一般.';
COMMENT ON COLUMN incidents.caller_name IS 'Personal information (PIPL): masked on every output unless the role may see it.';
COMMENT ON COLUMN incidents.caller_phone IS 'Personal information (PIPL): masked on every output unless the role may see it.';
COMMENT ON COLUMN incidents.location_precision IS 'exact = coordinates from the source; village/township = placed at that seat because the source had none.';
COMMENT ON COLUMN incidents.event_id IS 'Cross-channel event this report belongs to (reports of one event share it); NULL = not linked.';
COMMENT ON COLUMN incidents.township_id IS 'References townships (not declared: a foreign key check per row costs too much at 10 M rows; tests/data pin integrity).';

CREATE TABLE dispatches (
    dispatch_id BIGINT PRIMARY KEY,
    incident_id BIGINT NOT NULL,
    unit_id SMALLINT NOT NULL,
    assigned_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    deadline_at TIMESTAMP NOT NULL,
    arrived_at TIMESTAMP,
    feedback_at TIMESTAMP,
    callback_at TIMESTAMP,
    CHECK (deadline_at > assigned_at),
    CHECK (accepted_at IS NULL OR accepted_at >= assigned_at),
    CHECK (arrived_at IS NULL OR arrived_at >= assigned_at),
    CHECK (feedback_at IS NULL OR feedback_at >= assigned_at),
    CHECK (callback_at IS NULL OR (feedback_at IS NOT NULL AND callback_at >= feedback_at)));
COMMENT ON TABLE dispatches IS 'Incident -> linkage unit assignments with their time limits (统一接警、分类指派、限时处置). incident_id/unit_id reference incidents/linkage_units (integrity pinned by tests).';

CREATE TABLE info_reports (
    report_id BIGINT PRIMARY KEY,
    incident_id BIGINT NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('first', 'follow_up', 'final')),
    seq SMALLINT NOT NULL CHECK (seq >= 1),
    due_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    author VARCHAR,
    summary VARCHAR,
    UNIQUE (incident_id, kind, seq));
COMMENT ON TABLE info_reports IS 'First / follow-up / final reports (首报、续报、终报) of major incidents; due_at from report_rules.';

-- ---------------------------------------------------------------- resources and sensing
CREATE TABLE cameras (
    camera_id INTEGER PRIMARY KEY,
    code VARCHAR UNIQUE NOT NULL,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('fixed', 'dome', 'ai')),
    township_id SMALLINT NOT NULL REFERENCES townships (township_id),
    lon DOUBLE NOT NULL, lat DOUBLE NOT NULL,
    geom GEOMETRY NOT NULL,
    online BOOLEAN NOT NULL,
    last_seen_at TIMESTAMP NOT NULL);
COMMENT ON TABLE cameras IS 'The 1,300+ surveillance cameras viewable from the hotline desks; kind ai carries smoke/fire algorithms.';

CREATE TABLE reservoirs (
    reservoir_id SMALLINT PRIMARY KEY,
    name VARCHAR UNIQUE NOT NULL,
    scale VARCHAR NOT NULL CHECK (scale IN ('large', 'medium', 'small_1', 'small_2')),
    capacity_mcm DOUBLE NOT NULL CHECK (capacity_mcm > 0),
    dead_level_m DOUBLE NOT NULL,
    flood_limit_level_m DOUBLE NOT NULL,
    normal_level_m DOUBLE NOT NULL,
    design_flood_level_m DOUBLE NOT NULL,
    check_flood_level_m DOUBLE NOT NULL,
    township_id SMALLINT NOT NULL REFERENCES townships (township_id),
    lon DOUBLE NOT NULL, lat DOUBLE NOT NULL,
    geom GEOMETRY NOT NULL,
    is_generated BOOLEAN NOT NULL,
    note VARCHAR,
    CHECK (dead_level_m < flood_limit_level_m AND flood_limit_level_m <= normal_level_m
           AND normal_level_m < design_flood_level_m AND design_flood_level_m <= check_flood_level_m));
COMMENT ON TABLE reservoirs IS 'Reservoirs with their characteristic levels (死水位 < 汛限水位 <= 正常蓄水位 < 设计洪水位 <= 校核洪水位).';

CREATE TABLE reservoir_readings (
    reservoir_id SMALLINT NOT NULL REFERENCES reservoirs (reservoir_id),
    observed_at TIMESTAMP NOT NULL,
    level_m DOUBLE NOT NULL,
    inflow_m3s DOUBLE CHECK (inflow_m3s >= 0),
    outflow_m3s DOUBLE CHECK (outflow_m3s >= 0),
    PRIMARY KEY (reservoir_id, observed_at));
COMMENT ON TABLE reservoir_readings IS 'Water level time series (hourly for the last 30 days, 6-hourly before).';

CREATE TABLE sensors (
    sensor_id INTEGER PRIMARY KEY,
    device_code VARCHAR UNIQUE NOT NULL,
    sensor_type VARCHAR NOT NULL CHECK (sensor_type IN ('rain_gauge', 'water_level', 'geo_monitor', 'smoke_fire_ai')),
    name VARCHAR NOT NULL,
    township_id SMALLINT NOT NULL REFERENCES townships (township_id),
    reservoir_id SMALLINT REFERENCES reservoirs (reservoir_id),
    lon DOUBLE NOT NULL, lat DOUBLE NOT NULL,
    geom GEOMETRY NOT NULL,
    online BOOLEAN NOT NULL);
COMMENT ON TABLE sensors IS 'IoT sensing devices (rain, water level, geo-hazard displacement, smoke/fire AI). Their alarms arrive as incidents of channel iot_sensor / ai_video with device_id.';

CREATE TABLE geo_hazard_points (
    hazard_point_id SMALLINT PRIMARY KEY,
    code VARCHAR UNIQUE NOT NULL,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('landslide', 'debris_flow', 'collapse', 'subsidence')),
    risk_level TINYINT NOT NULL CHECK (risk_level BETWEEN 1 AND 4),
    threatened_people INTEGER NOT NULL CHECK (threatened_people >= 0),
    township_id SMALLINT NOT NULL REFERENCES townships (township_id),
    village_id SMALLINT REFERENCES villages (village_id),
    lon DOUBLE NOT NULL, lat DOUBLE NOT NULL,
    geom GEOMETRY NOT NULL);
COMMENT ON TABLE geo_hazard_points IS 'Registered geological hazard points (地质灾害隐患点); demo points are generated.';

CREATE TABLE rescue_teams (
    team_id SMALLINT PRIMARY KEY,
    name VARCHAR UNIQUE NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('professional', 'technical', 'volunteer')),
    specialty VARCHAR NOT NULL REFERENCES team_specialties (code),
    specialties VARCHAR[] NOT NULL,
    headcount SMALLINT NOT NULL CHECK (headcount > 0),
    leader_name VARCHAR,
    leader_phone VARCHAR,
    township_id SMALLINT NOT NULL REFERENCES townships (township_id),
    lon DOUBLE NOT NULL, lat DOUBLE NOT NULL,
    geom GEOMETRY NOT NULL);
COMMENT ON TABLE rescue_teams IS 'Professional teams (fire, medical, power, forestry), 73 technical teams, 25 volunteer teams (761 people).';

CREATE TABLE shelters (
    shelter_id SMALLINT PRIMARY KEY,
    name VARCHAR NOT NULL,
    level VARCHAR NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village')),
    setting VARCHAR NOT NULL CHECK (setting IN ('indoor', 'outdoor')),
    purpose VARCHAR NOT NULL CHECK (purpose IN ('comprehensive', 'single')),
    stay VARCHAR NOT NULL CHECK (stay IN ('emergency', 'short_term', 'long_term')),
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    occupancy INTEGER NOT NULL DEFAULT 0,
    is_open BOOLEAN NOT NULL DEFAULT false,
    township_id SMALLINT NOT NULL REFERENCES townships (township_id),
    village_id SMALLINT REFERENCES villages (village_id),
    lon DOUBLE NOT NULL, lat DOUBLE NOT NULL,
    geom GEOMETRY NOT NULL,
    CHECK (occupancy BETWEEN 0 AND capacity),
    CHECK (is_open OR occupancy = 0));
COMMENT ON TABLE shelters IS 'Emergency shelters classified after GB/T 44013-2024 (level, indoor/outdoor, comprehensive/single, length of stay).';

CREATE TABLE duty_roster (
    duty_date DATE NOT NULL,
    seat VARCHAR NOT NULL REFERENCES duty_seats (code),
    person_name VARCHAR NOT NULL,
    unit_name VARCHAR NOT NULL,
    phone VARCHAR NOT NULL,
    PRIMARY KEY (duty_date, seat));
COMMENT ON TABLE duty_roster IS 'The "1+1+2+5" joint duty per day (seed 003), with extra seats in flood and fire seasons.';

-- >>> roster_history: data/roster.py runs this block on its own on a database built before it existed.
CREATE TABLE IF NOT EXISTS duty_roster_history (
    history_id BIGINT PRIMARY KEY,
    changed_at TIMESTAMP NOT NULL,
    changed_by VARCHAR NOT NULL,
    duty_date DATE NOT NULL,
    seat VARCHAR NOT NULL,
    action VARCHAR NOT NULL CHECK (action IN ('add', 'change', 'remove')),
    old_person VARCHAR, old_unit VARCHAR, old_phone VARCHAR,
    new_person VARCHAR, new_unit VARCHAR, new_phone VARCHAR);
COMMENT ON TABLE duty_roster_history IS 'Every roster edit (data/roster.py): who changed which seat of which day, old and new values.';
-- <<< roster_history

CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
COMMENT ON TABLE meta IS 'schema_version, data_version (bumped by every ingest or edit: cache keys depend on it), demo seed and scale.';

-- ---------------------------------------------------------------- ingest
-- data/ingest runs this section on its own (IF NOT EXISTS) so a database built before it gains the tables.
-- >>> ingest: data/ingest runs this block on its own on a database built before it existed.
CREATE TABLE IF NOT EXISTS import_files (
    import_id BIGINT PRIMARY KEY,
    source VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    encoding VARCHAR,
    via VARCHAR NOT NULL CHECK (via IN ('cli', 'page', 'inbox', 'quarantine')),
    imported_at TIMESTAMP NOT NULL,
    seconds DOUBLE,
    rows_in BIGINT NOT NULL, stored BIGINT NOT NULL, quarantined BIGINT NOT NULL,
    already_present BIGINT NOT NULL, linked BIGINT NOT NULL,
    CHECK (rows_in = stored + quarantined + already_present));
COMMENT ON TABLE import_files IS 'One row per imported file (or quarantine re-import): its hash makes a second import of the same file a no-op; the accounting rows_in = stored + quarantined + already_present.';

CREATE TABLE IF NOT EXISTS quarantine (
    quarantine_id BIGINT PRIMARY KEY,
    import_id BIGINT NOT NULL,
    source VARCHAR NOT NULL,
    row_no BIGINT NOT NULL,
    reason VARCHAR NOT NULL,
    field VARCHAR,
    bad_value VARCHAR,
    record VARCHAR NOT NULL,
    record_hash VARCHAR NOT NULL,
    status VARCHAR NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolved_at TIMESTAMP);
COMMENT ON TABLE quarantine IS 'Rows an import could not store, with a reason code (labels in i18n/*/data_import.toml) and the source record as JSON, kept to be corrected and re-imported.';

CREATE TABLE IF NOT EXISTS events (
    event_id BIGINT PRIMARY KEY,
    hazard_family VARCHAR NOT NULL,
    first_at TIMESTAMP NOT NULL,
    last_at TIMESTAMP NOT NULL,
    lon DOUBLE NOT NULL, lat DOUBLE NOT NULL,
    report_count INTEGER NOT NULL,
    channels VARCHAR[] NOT NULL);
CREATE TABLE IF NOT EXISTS grid_pixels (
    pixel BIGINT NOT NULL,
    grid_cell_id SMALLINT NOT NULL);
COMMENT ON TABLE grid_pixels IS 'Derived from grid_cells (data/ingest/raster.py): square pixels lying wholly inside one grid cell, pixel = i * 1000000 + j from grid_pixel_frame. An imported point in such a pixel is in that cell without a polygon test.';

CREATE TABLE IF NOT EXISTS grid_pixel_villages (
    pixel BIGINT NOT NULL,
    village_id SMALLINT NOT NULL);
COMMENT ON TABLE grid_pixel_villages IS 'Derived (data/ingest/raster.py): for each grid_pixels pixel, the villages of its township that can be nearest to some point of it.';

CREATE TABLE IF NOT EXISTS grid_pixel_frame (
    x0 DOUBLE NOT NULL, y0 DOUBLE NOT NULL, step DOUBLE NOT NULL CHECK (step > 0),
    grid_fingerprint VARCHAR NOT NULL);
COMMENT ON TABLE grid_pixel_frame IS 'Origin and size of the grid_pixels raster, and the md5 of the grid cells and villages it was cut from (a change rebuilds it).';

COMMENT ON TABLE events IS 'Cross-channel events: reports from different channels of one hazard family close in space and time share incidents.event_id (linked, never deleted).';
-- <<< ingest

-- ---------------------------------------------------------------- accounts, sessions, audit
-- >>> accounts: data/accounts.py runs this block on its own on a database built before it existed.
-- Roles and what they may do live in data/roles.py. Passwords are argon2id hashes (argon2-cffi).
CREATE TABLE IF NOT EXISTS users (
    username VARCHAR PRIMARY KEY CHECK (regexp_full_match(username, '[a-z0-9_.-]{3,32}')),
    display_name VARCHAR NOT NULL,
    role VARCHAR NOT NULL CHECK (role IN ('commander', 'duty_officer', 'analyst', 'leader', 'admin')),
    password_hash VARCHAR NOT NULL CHECK (starts_with(password_hash, '$argon2')),
    is_demo BOOLEAN NOT NULL DEFAULT false,
    active BOOLEAN NOT NULL DEFAULT true,
    failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    password_changed_at TIMESTAMP NOT NULL);
COMMENT ON TABLE users IS 'Local accounts. Demo databases get one per role on first start; otherwise an administrator is created with python -m data.accounts create-admin.';

CREATE TABLE IF NOT EXISTS user_sessions (
    session_id VARCHAR PRIMARY KEY,
    username VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP,
    client VARCHAR);
COMMENT ON TABLE user_sessions IS 'Server-side sign-in sessions: idle and absolute expiry are checked here on every page run, not in the browser.';

CREATE SEQUENCE IF NOT EXISTS wall_token_seq;
CREATE TABLE IF NOT EXISTS wall_tokens (
    token_id INTEGER PRIMARY KEY DEFAULT nextval('wall_token_seq'),
    label VARCHAR NOT NULL,
    token_hash VARCHAR UNIQUE NOT NULL,
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    revoked_at TIMESTAMP,
    revoked_by VARCHAR);
COMMENT ON TABLE wall_tokens IS 'Wall-screen URLs (?screen=wall&token=...). Only the SHA-256 of a token is kept; revoking takes effect on the screen''s next refresh.';

CREATE SEQUENCE IF NOT EXISTS audit_log_seq;
CREATE TABLE IF NOT EXISTS audit_log (
    audit_id BIGINT PRIMARY KEY DEFAULT nextval('audit_log_seq'),
    logged_at TIMESTAMP NOT NULL,
    username VARCHAR NOT NULL,
    role VARCHAR,
    action VARCHAR NOT NULL,
    incident_id BIGINT,
    detail VARCHAR,
    client VARCHAR,
    prev_hash VARCHAR NOT NULL,
    row_hash VARCHAR UNIQUE NOT NULL);
COMMENT ON TABLE audit_log IS 'Append-only: the app has one writer (data/accounts.audit, INSERT only) and no UPDATE or DELETE path (a test scans the code). DuckDB has no triggers or grants, so each row also carries a SHA-256 chain over the previous row: an edit made outside the app breaks data/accounts.verify_audit_chain.';
-- <<< accounts
