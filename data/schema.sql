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
    code VARCHAR UNIQUE NOT NULL,
    name VARCHAR UNIQUE NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('街道', '镇', '乡', 'other')),
    pinyin VARCHAR,
    population INTEGER CHECK (population > 0),
    population_estimated BOOLEAN NOT NULL DEFAULT false,
    seat_lon DOUBLE NOT NULL, seat_lat DOUBLE NOT NULL,
    seat_estimated BOOLEAN NOT NULL DEFAULT false,
    seat GEOMETRY NOT NULL,
    boundary_approx BOOLEAN NOT NULL DEFAULT false,
    geom GEOMETRY NOT NULL);
COMMENT ON TABLE townships IS 'Township-level units (街道, 镇, 乡) that tile the county; code = the division code as the county writes it (3, 9 or 12 digits). The demo (Qingyuan: 3 街道, 6 镇, 10 乡) generates boundaries (Voronoi of seats).';
COMMENT ON COLUMN townships.population IS 'Resident population (NULL = not given); the demo splits the 2020 census total and marks it estimated.';

CREATE TABLE villages (
    village_id SMALLINT PRIMARY KEY,
    code VARCHAR UNIQUE NOT NULL,
    township_id SMALLINT NOT NULL REFERENCES townships (township_id),
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('village', 'community')),
    population INTEGER CHECK (population >= 0),
    lon DOUBLE NOT NULL, lat DOUBLE NOT NULL,
    location_estimated BOOLEAN NOT NULL DEFAULT false,
    geom GEOMETRY NOT NULL,
    area GEOMETRY);
COMMENT ON TABLE villages IS 'Villages and communities (村/社区): geom is the point (the representative point of a polygon file), area the polygon when the file had one.';

CREATE TABLE grid_cells (
    grid_cell_id SMALLINT PRIMARY KEY,
    code VARCHAR UNIQUE NOT NULL,
    township_id SMALLINT NOT NULL REFERENCES townships (township_id),
    name VARCHAR NOT NULL,
    population INTEGER CHECK (population >= 0),
    geom GEOMETRY NOT NULL);
COMMENT ON TABLE grid_cells IS 'The rural safety grids (平安网格) that tile the county (python -m data.county check reports gaps and overlaps).';

CREATE TABLE grid_members (
    member_id INTEGER PRIMARY KEY,
    code VARCHAR UNIQUE NOT NULL,
    grid_cell_id SMALLINT NOT NULL REFERENCES grid_cells (grid_cell_id),
    name VARCHAR NOT NULL,
    phone VARCHAR,
    role VARCHAR NOT NULL CHECK (role IN ('full_time', 'part_time', 'other')));
COMMENT ON TABLE grid_members IS 'Grid members (网格员): who to call in a grid cell.';

-- ---------------------------------------------------------------- organisation
CREATE TABLE linkage_units (
    unit_id SMALLINT PRIMARY KEY,
    code VARCHAR UNIQUE NOT NULL,
    name VARCHAR UNIQUE NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('department', 'township')),
    linkage_level TINYINT NOT NULL REFERENCES linkage_levels (level),
    township_id SMALLINT REFERENCES townships (township_id),
    hazards VARCHAR[] NOT NULL DEFAULT [],
    phone VARCHAR,
    CHECK (kind = 'department' OR township_id IS NOT NULL));
COMMENT ON TABLE linkage_units IS '92 departments and 19 townships in three linkage levels (seed 000).';
COMMENT ON COLUMN linkage_units.township_id IS 'For township governments and local stations: the jurisdiction.';

-- ---------------------------------------------------------------- incidents
CREATE TABLE incidents (
    incident_id BIGINT PRIMARY KEY,
    channel VARCHAR NOT NULL CHECK (channel IN ('police_110', 'hotline_96345', 'city_mgmt', 'grid', 'iot_sensor', 'ai_video', 'duty_phone')),
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

-- >>> info_report_content: data/info_reports.py writes these; data/db.py runs this block on an older database.
-- A report's text in the standard information-report layout (JSON: data/info_reports.py LAYOUT), whom it went
-- to and how, who sent it, and a version for the check that refuses a second writer's stale edit.
ALTER TABLE info_reports ADD COLUMN IF NOT EXISTS content VARCHAR;
ALTER TABLE info_reports ADD COLUMN IF NOT EXISTS sent_to VARCHAR;
ALTER TABLE info_reports ADD COLUMN IF NOT EXISTS channel VARCHAR;
ALTER TABLE info_reports ADD COLUMN IF NOT EXISTS sent_by VARCHAR;
ALTER TABLE info_reports ADD COLUMN IF NOT EXISTS version INTEGER DEFAULT 1;
COMMENT ON COLUMN info_reports.content IS 'The report as written in the app: JSON text, keys of data/info_reports.py LAYOUT; NULL for imported/demo rows.';
COMMENT ON COLUMN info_reports.sent_to IS 'Whom it was reported to (报送单位/对象).';
COMMENT ON COLUMN info_reports.channel IS 'How it was sent (报送方式): phone, written or platform (乐政通-style account); checked in data/info_reports.py.';
COMMENT ON COLUMN info_reports.sent_by IS 'Username that marked it sent (also in the audit log, action report_sent).';
COMMENT ON COLUMN info_reports.version IS 'Bumped by every write: a writer holding an older version is refused (no silent lost update).';
-- <<< info_report_content

-- >>> incident_ops: data/incident_ops.py writes these; data/db.py runs this block on an older database.
-- The duty room's work on an incident: every action (who, when, why, what changed) in incident_actions; a version
-- on incidents and dispatches so a second writer holding a stale copy is refused, never silently overwritten.
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS version INTEGER DEFAULT 1;
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS source_as_of TIMESTAMP;
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS alarm_verdict VARCHAR;
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS close_result VARCHAR;
ALTER TABLE dispatches ADD COLUMN IF NOT EXISTS origin VARCHAR DEFAULT 'source';
ALTER TABLE dispatches ADD COLUMN IF NOT EXISTS ended_at TIMESTAMP;
ALTER TABLE dispatches ADD COLUMN IF NOT EXISTS ended_reason VARCHAR;
COMMENT ON COLUMN incidents.version IS 'Bumped by every change (app action or newer source record): a writer holding an older version is refused.';
COMMENT ON COLUMN incidents.source_as_of IS 'The latest time stated by the last source record applied (its newest timestamp): a re-imported record is newer only if it states a later time or a later status.';
COMMENT ON COLUMN incidents.alarm_verdict IS 'For AI-video and sensor alarms: confirmed or false (误报), set by a duty officer; NULL = not judged.';
COMMENT ON COLUMN incidents.close_result IS 'How it ended (办结结果), written when closed in the app or taken from the source.';
COMMENT ON COLUMN dispatches.origin IS 'app = dispatched in OneMap; source = from the source system''s export (or the demo).';
COMMENT ON COLUMN dispatches.ended_at IS 'Set when the assignment was withdrawn or reassigned to another unit (the new unit gets its own row).';

CREATE TABLE IF NOT EXISTS incident_actions (
    action_id BIGINT PRIMARY KEY,
    incident_id BIGINT NOT NULL,
    dispatch_id BIGINT,
    action VARCHAR NOT NULL,
    acted_at TIMESTAMP NOT NULL,
    username VARCHAR NOT NULL,
    role VARCHAR,
    origin VARCHAR NOT NULL CHECK (origin IN ('app', 'source')),
    reason VARCHAR,
    changes VARCHAR,
    version INTEGER NOT NULL);
COMMENT ON TABLE incident_actions IS 'Every step taken on an incident (record, grade, verdict, dispatch, accept, arrive, feedback, callback, reassign, close, source update): who, when, why, and the fields changed as JSON {field: [before, after]}; version = the incident''s version after it.';

CREATE TABLE IF NOT EXISTS incident_conflicts (
    conflict_id BIGINT PRIMARY KEY,
    incident_id BIGINT NOT NULL,
    field VARCHAR NOT NULL,
    app_value VARCHAR,
    source_value VARCHAR,
    import_id BIGINT,
    found_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolved_by VARCHAR,
    resolved_at TIMESTAMP);
COMMENT ON TABLE incident_conflicts IS 'A newer source record that disagreed with an edit made in OneMap meanwhile: the OneMap value is kept, the source value shown here until a duty officer resolves it.';
-- <<< incident_ops

-- ---------------------------------------------------------------- resources and sensing
CREATE TABLE cameras (
    camera_id INTEGER PRIMARY KEY,
    code VARCHAR UNIQUE NOT NULL,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('fixed', 'dome', 'ai', 'other')),
    township_id SMALLINT NOT NULL REFERENCES townships (township_id),
    lon DOUBLE NOT NULL, lat DOUBLE NOT NULL,
    geom GEOMETRY NOT NULL,
    online BOOLEAN NOT NULL DEFAULT true,
    last_seen_at TIMESTAMP,
    stream_ref VARCHAR);
COMMENT ON COLUMN cameras.stream_ref IS 'Where to view the camera (调阅): an RTSP/HLS address or the video platform''s channel id, as the file gave it.';
COMMENT ON TABLE cameras IS 'The 1,300+ surveillance cameras viewable from the hotline desks; kind ai carries smoke/fire algorithms.';

CREATE TABLE reservoirs (
    reservoir_id SMALLINT PRIMARY KEY,
    code VARCHAR UNIQUE NOT NULL,
    name VARCHAR NOT NULL,
    scale VARCHAR NOT NULL CHECK (scale IN ('large', 'medium', 'small_1', 'small_2', 'other')),
    capacity_mcm DOUBLE CHECK (capacity_mcm > 0),
    dead_level_m DOUBLE,
    flood_limit_level_m DOUBLE,
    normal_level_m DOUBLE,
    design_flood_level_m DOUBLE,
    check_flood_level_m DOUBLE,
    township_id SMALLINT NOT NULL REFERENCES townships (township_id),
    lon DOUBLE NOT NULL, lat DOUBLE NOT NULL,
    geom GEOMETRY NOT NULL,
    is_generated BOOLEAN NOT NULL DEFAULT false,
    note VARCHAR,
    CHECK (dead_level_m < flood_limit_level_m AND flood_limit_level_m <= normal_level_m
           AND normal_level_m < design_flood_level_m AND design_flood_level_m <= check_flood_level_m));
COMMENT ON TABLE reservoirs IS 'Reservoirs with their characteristic levels (死水位 < 汛限水位 <= 正常蓄水位 < 设计洪水位 <= 校核洪水位; NULL = not given, python -m data.county check lists them).';

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
    code VARCHAR UNIQUE NOT NULL,
    sensor_type VARCHAR NOT NULL CHECK (sensor_type IN ('rain_gauge', 'water_level', 'geo_monitor', 'smoke_fire_ai', 'other')),
    name VARCHAR NOT NULL,
    township_id SMALLINT NOT NULL REFERENCES townships (township_id),
    reservoir_id SMALLINT REFERENCES reservoirs (reservoir_id),
    lon DOUBLE NOT NULL, lat DOUBLE NOT NULL,
    geom GEOMETRY NOT NULL,
    online BOOLEAN NOT NULL DEFAULT true);
COMMENT ON TABLE sensors IS 'IoT sensing devices (rain, water level, geo-hazard displacement, smoke/fire AI). Their alarms arrive as incidents of channel iot_sensor / ai_video with device_id.';

CREATE TABLE geo_hazard_points (
    hazard_point_id SMALLINT PRIMARY KEY,
    code VARCHAR UNIQUE NOT NULL,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('landslide', 'debris_flow', 'collapse', 'subsidence', 'other')),
    risk_level TINYINT CHECK (risk_level BETWEEN 1 AND 4),
    threatened_people INTEGER CHECK (threatened_people >= 0),
    township_id SMALLINT NOT NULL REFERENCES townships (township_id),
    village_id SMALLINT REFERENCES villages (village_id),
    lon DOUBLE NOT NULL, lat DOUBLE NOT NULL,
    geom GEOMETRY NOT NULL);
COMMENT ON TABLE geo_hazard_points IS 'Registered geological hazard points (地质灾害隐患点); demo points are generated.';

CREATE TABLE rescue_teams (
    team_id SMALLINT PRIMARY KEY,
    code VARCHAR UNIQUE NOT NULL,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('professional', 'technical', 'volunteer', 'other')),
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
    code VARCHAR UNIQUE NOT NULL,
    name VARCHAR NOT NULL,
    level VARCHAR CHECK (level IN ('province', 'city', 'county', 'township', 'village', 'other')),
    setting VARCHAR NOT NULL CHECK (setting IN ('indoor', 'outdoor', 'other')),
    purpose VARCHAR CHECK (purpose IN ('comprehensive', 'single', 'other')),
    stay VARCHAR CHECK (stay IN ('emergency', 'short_term', 'long_term', 'other')),
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    area_m2 DOUBLE CHECK (area_m2 > 0),
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

-- ---------------------------------------------------------------- the county and its own files
-- >>> county: data/county runs this block on its own on a database built before it existed.
CREATE TABLE IF NOT EXISTS county (
    code VARCHAR PRIMARY KEY,
    name_zh VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    seat_lon DOUBLE NOT NULL, seat_lat DOUBLE NOT NULL,
    min_lon DOUBLE NOT NULL, min_lat DOUBLE NOT NULL, max_lon DOUBLE NOT NULL, max_lat DOUBLE NOT NULL,
    geom GEOMETRY NOT NULL,
    is_demo BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMP NOT NULL);
COMMENT ON TABLE county IS 'The one county this database serves (python -m data.county init): its division code, names, seat, extent and boundary. Every page names it from here.';

CREATE TABLE IF NOT EXISTS warehouses (
    warehouse_id INTEGER PRIMARY KEY,
    code VARCHAR UNIQUE NOT NULL,
    name VARCHAR NOT NULL,
    township_id SMALLINT NOT NULL,
    manager_name VARCHAR, manager_phone VARCHAR,
    lon DOUBLE NOT NULL, lat DOUBLE NOT NULL,
    geom GEOMETRY NOT NULL);
COMMENT ON TABLE warehouses IS 'Emergency supply depots (应急物资仓库); their stock is in stock.';

CREATE TABLE IF NOT EXISTS stock (
    stock_id INTEGER PRIMARY KEY,
    code VARCHAR UNIQUE NOT NULL,
    warehouse_id INTEGER NOT NULL,
    item VARCHAR NOT NULL,
    category VARCHAR NOT NULL CHECK (category IN ('supplies', 'equipment', 'other')),
    quantity DOUBLE NOT NULL CHECK (quantity >= 0),
    unit VARCHAR);
COMMENT ON TABLE stock IS 'What each warehouse holds (物资、装备: item, quantity, unit); code = warehouse code/item code (else item name).';

CREATE TABLE IF NOT EXISTS roads (
    road_id INTEGER PRIMARY KEY,
    code VARCHAR UNIQUE NOT NULL,
    name VARCHAR NOT NULL,
    road_class VARCHAR NOT NULL CHECK (road_class IN ('national', 'provincial', 'county', 'township', 'village', 'other')),
    geom GEOMETRY NOT NULL);
COMMENT ON TABLE roads IS 'Roads by administrative class (国道/省道/县道/乡道/村道), lines in WGS84.';

CREATE TABLE IF NOT EXISTS rivers (
    river_id INTEGER PRIMARY KEY,
    code VARCHAR UNIQUE NOT NULL,
    name VARCHAR NOT NULL,
    geom GEOMETRY NOT NULL);
COMMENT ON TABLE rivers IS 'Rivers drawn on the base map (lines).';

CREATE TABLE IF NOT EXISTS responsible_persons (
    person_id INTEGER PRIMARY KEY,
    code VARCHAR UNIQUE NOT NULL,
    name VARCHAR NOT NULL,
    duty VARCHAR NOT NULL CHECK (duty IN ('township_head', 'village_cadre', 'reservoir', 'hazard_point', 'sentinel', 'other')),
    post VARCHAR,
    township_id SMALLINT,
    village_id SMALLINT,
    object_code VARCHAR,
    phone VARCHAR);
COMMENT ON TABLE responsible_persons IS 'Who answers for a place or an object: township heads, village cadres, reservoir and hazard-point 责任人, sentinel informants (哨点信息员) with their posts.';

ALTER TABLE villages ADD COLUMN IF NOT EXISTS code VARCHAR;
ALTER TABLE villages ADD COLUMN IF NOT EXISTS area GEOMETRY;
ALTER TABLE grid_members ADD COLUMN IF NOT EXISTS code VARCHAR;
ALTER TABLE linkage_units ADD COLUMN IF NOT EXISTS code VARCHAR;
ALTER TABLE cameras ADD COLUMN IF NOT EXISTS stream_ref VARCHAR;
ALTER TABLE reservoirs ADD COLUMN IF NOT EXISTS code VARCHAR;
ALTER TABLE rescue_teams ADD COLUMN IF NOT EXISTS code VARCHAR;
ALTER TABLE shelters ADD COLUMN IF NOT EXISTS code VARCHAR;
ALTER TABLE shelters ADD COLUMN IF NOT EXISTS area_m2 DOUBLE;
ALTER TABLE townships ADD COLUMN IF NOT EXISTS load_note VARCHAR;
ALTER TABLE townships ADD COLUMN IF NOT EXISTS unmapped VARCHAR;
ALTER TABLE townships ADD COLUMN IF NOT EXISTS row_hash VARCHAR;
ALTER TABLE villages ADD COLUMN IF NOT EXISTS load_note VARCHAR;
ALTER TABLE villages ADD COLUMN IF NOT EXISTS unmapped VARCHAR;
ALTER TABLE villages ADD COLUMN IF NOT EXISTS row_hash VARCHAR;
ALTER TABLE grid_cells ADD COLUMN IF NOT EXISTS load_note VARCHAR;
ALTER TABLE grid_cells ADD COLUMN IF NOT EXISTS unmapped VARCHAR;
ALTER TABLE grid_cells ADD COLUMN IF NOT EXISTS row_hash VARCHAR;
ALTER TABLE grid_members ADD COLUMN IF NOT EXISTS load_note VARCHAR;
ALTER TABLE grid_members ADD COLUMN IF NOT EXISTS unmapped VARCHAR;
ALTER TABLE grid_members ADD COLUMN IF NOT EXISTS row_hash VARCHAR;
ALTER TABLE linkage_units ADD COLUMN IF NOT EXISTS load_note VARCHAR;
ALTER TABLE linkage_units ADD COLUMN IF NOT EXISTS unmapped VARCHAR;
ALTER TABLE linkage_units ADD COLUMN IF NOT EXISTS row_hash VARCHAR;
ALTER TABLE cameras ADD COLUMN IF NOT EXISTS load_note VARCHAR;
ALTER TABLE cameras ADD COLUMN IF NOT EXISTS unmapped VARCHAR;
ALTER TABLE cameras ADD COLUMN IF NOT EXISTS row_hash VARCHAR;
ALTER TABLE sensors ADD COLUMN IF NOT EXISTS load_note VARCHAR;
ALTER TABLE sensors ADD COLUMN IF NOT EXISTS unmapped VARCHAR;
ALTER TABLE sensors ADD COLUMN IF NOT EXISTS row_hash VARCHAR;
ALTER TABLE reservoirs ADD COLUMN IF NOT EXISTS load_note VARCHAR;
ALTER TABLE reservoirs ADD COLUMN IF NOT EXISTS unmapped VARCHAR;
ALTER TABLE reservoirs ADD COLUMN IF NOT EXISTS row_hash VARCHAR;
ALTER TABLE geo_hazard_points ADD COLUMN IF NOT EXISTS load_note VARCHAR;
ALTER TABLE geo_hazard_points ADD COLUMN IF NOT EXISTS unmapped VARCHAR;
ALTER TABLE geo_hazard_points ADD COLUMN IF NOT EXISTS row_hash VARCHAR;
ALTER TABLE rescue_teams ADD COLUMN IF NOT EXISTS load_note VARCHAR;
ALTER TABLE rescue_teams ADD COLUMN IF NOT EXISTS unmapped VARCHAR;
ALTER TABLE rescue_teams ADD COLUMN IF NOT EXISTS row_hash VARCHAR;
ALTER TABLE shelters ADD COLUMN IF NOT EXISTS load_note VARCHAR;
ALTER TABLE shelters ADD COLUMN IF NOT EXISTS unmapped VARCHAR;
ALTER TABLE shelters ADD COLUMN IF NOT EXISTS row_hash VARCHAR;
ALTER TABLE warehouses ADD COLUMN IF NOT EXISTS load_note VARCHAR;
ALTER TABLE warehouses ADD COLUMN IF NOT EXISTS unmapped VARCHAR;
ALTER TABLE warehouses ADD COLUMN IF NOT EXISTS row_hash VARCHAR;
ALTER TABLE stock ADD COLUMN IF NOT EXISTS load_note VARCHAR;
ALTER TABLE stock ADD COLUMN IF NOT EXISTS unmapped VARCHAR;
ALTER TABLE stock ADD COLUMN IF NOT EXISTS row_hash VARCHAR;
ALTER TABLE roads ADD COLUMN IF NOT EXISTS load_note VARCHAR;
ALTER TABLE roads ADD COLUMN IF NOT EXISTS unmapped VARCHAR;
ALTER TABLE roads ADD COLUMN IF NOT EXISTS row_hash VARCHAR;
ALTER TABLE rivers ADD COLUMN IF NOT EXISTS load_note VARCHAR;
ALTER TABLE rivers ADD COLUMN IF NOT EXISTS unmapped VARCHAR;
ALTER TABLE rivers ADD COLUMN IF NOT EXISTS row_hash VARCHAR;
ALTER TABLE responsible_persons ADD COLUMN IF NOT EXISTS load_note VARCHAR;
ALTER TABLE responsible_persons ADD COLUMN IF NOT EXISTS unmapped VARCHAR;
ALTER TABLE responsible_persons ADD COLUMN IF NOT EXISTS row_hash VARCHAR;
COMMENT ON COLUMN villages.load_note IS 'What the load did to the row (e.g. longitude and latitude swapped back); every reference table has one.';
COMMENT ON COLUMN villages.unmapped IS 'JSON {field: raw value} of values outside a code table, stored as other (python -m data.county check lists them); every reference table has one.';

CREATE TABLE IF NOT EXISTS road_classes (
    code VARCHAR PRIMARY KEY, name_zh VARCHAR NOT NULL, name_en VARCHAR NOT NULL, colour VARCHAR NOT NULL,
    width_px DOUBLE NOT NULL, sort_order SMALLINT NOT NULL);
COMMENT ON TABLE road_classes IS 'Administrative road classes (公路行政等级) and how the base map draws them.';
INSERT OR IGNORE INTO road_classes VALUES
 ('national',   '国道', 'National road',   '#E8C36A', 3.0, 1),
 ('provincial', '省道', 'Provincial road', '#D9B45A', 2.5, 2),
 ('county',     '县道', 'County road',     '#B8A27A', 2.0, 3),
 ('township',   '乡道', 'Township road',   '#8F8A7E', 1.5, 4),
 ('village',    '村道', 'Village road',    '#6F6B63', 1.0, 5),
 ('other',      '其他道路', 'Other road',  '#6F6B63', 1.0, 6);

CREATE TABLE IF NOT EXISTS value_aliases (
    domain VARCHAR NOT NULL, alias VARCHAR NOT NULL, code VARCHAR NOT NULL, PRIMARY KEY (domain, alias));
COMMENT ON TABLE value_aliases IS 'How a county''s files write a coded value (规模 小(1)型 -> small_1): matched after trimming, case-insensitively. A value with no alias is stored as other and listed by python -m data.county check; a county maps it by adding a row here.';
-- Domain linkage_unit: how source exports name a handling unit (处置部门, 承办单位, 管辖单位) -> a
-- linkage_units name or code (data/ingest/updates.py), the county adding the names its exports write.
INSERT OR IGNORE INTO value_aliases VALUES
 ('township_kind', '街道', '街道'),
 ('township_kind', '镇', '镇'),
 ('township_kind', '乡', '乡'),
 ('township_kind', '民族乡', '乡'),
 ('village_kind', '村', 'village'),
 ('village_kind', '行政村', 'village'),
 ('village_kind', '社区', 'community'),
 ('village_kind', '居委会', 'community'),
 ('village_kind', 'village', 'village'),
 ('village_kind', 'community', 'community'),
 ('member_role', '专职', 'full_time'),
 ('member_role', '专职网格员', 'full_time'),
 ('member_role', '兼职', 'part_time'),
 ('member_role', '兼职网格员', 'part_time'),
 ('member_role', 'full_time', 'full_time'),
 ('member_role', 'part_time', 'part_time'),
 ('unit_kind', '部门', 'department'),
 ('unit_kind', '县级部门', 'department'),
 ('unit_kind', '单位', 'department'),
 ('unit_kind', '乡镇', 'township'),
 ('unit_kind', '街道', 'township'),
 ('unit_kind', '乡镇(街道)', 'township'),
 ('unit_kind', '乡镇（街道）', 'township'),
 ('unit_kind', '乡镇政府', 'township'),
 ('unit_kind', 'department', 'department'),
 ('unit_kind', 'township', 'township'),
 ('linkage_unit', '县综合执法局', '县综合行政执法局'),
 ('linkage_unit', '县执法局', '县综合行政执法局'),
 ('linkage_unit', '县住建局', '县住房和城乡建设局'),
 ('linkage_unit', '县卫健局', '县卫生健康局'),
 ('linkage_unit', '县市场监管局', '县市场监督管理局'),
 ('linkage_unit', '县人社局', '县人力资源和社会保障局'),
 ('linkage_unit', '县自然资源局', '县自然资源和规划局'),
 ('linkage_unit', '县交通局', '县交通运输局'),
 ('linkage_unit', '县应急局', '县应急管理局'),
 ('linkage_unit', '县消防大队', '县消防救援大队'),
 ('linkage_unit', '县交警大队', '县公安局交通警察大队'),
 ('linkage_unit', '县环卫中心', '县环境卫生管理中心'),
 ('linkage_level', '1', '1'),
 ('linkage_level', '一级', '1'),
 ('linkage_level', 'Ⅰ级', '1'),
 ('linkage_level', 'I级', '1'),
 ('linkage_level', '2', '2'),
 ('linkage_level', '二级', '2'),
 ('linkage_level', 'Ⅱ级', '2'),
 ('linkage_level', 'II级', '2'),
 ('linkage_level', '3', '3'),
 ('linkage_level', '三级', '3'),
 ('linkage_level', 'Ⅲ级', '3'),
 ('linkage_level', 'III级', '3'),
 ('camera_kind', '枪机', 'fixed'),
 ('camera_kind', '固定', 'fixed'),
 ('camera_kind', '固定枪机', 'fixed'),
 ('camera_kind', '球机', 'dome'),
 ('camera_kind', '云台', 'dome'),
 ('camera_kind', 'AI', 'ai'),
 ('camera_kind', 'AI智能', 'ai'),
 ('camera_kind', '智能', 'ai'),
 ('camera_kind', '智能分析', 'ai'),
 ('camera_kind', 'fixed', 'fixed'),
 ('camera_kind', 'dome', 'dome'),
 ('camera_kind', 'ai', 'ai'),
 ('sensor_type', '雨量站', 'rain_gauge'),
 ('sensor_type', '雨量计', 'rain_gauge'),
 ('sensor_type', '水位站', 'water_level'),
 ('sensor_type', '水位计', 'water_level'),
 ('sensor_type', '地灾监测', 'geo_monitor'),
 ('sensor_type', '地灾监测仪', 'geo_monitor'),
 ('sensor_type', '位移监测', 'geo_monitor'),
 ('sensor_type', '烟火识别', 'smoke_fire_ai'),
 ('sensor_type', '烟火识别点', 'smoke_fire_ai'),
 ('sensor_type', 'rain_gauge', 'rain_gauge'),
 ('sensor_type', 'water_level', 'water_level'),
 ('sensor_type', 'geo_monitor', 'geo_monitor'),
 ('sensor_type', 'smoke_fire_ai', 'smoke_fire_ai'),
 ('reservoir_scale', '大型', 'large'),
 ('reservoir_scale', '大(1)型', 'large'),
 ('reservoir_scale', '大(2)型', 'large'),
 ('reservoir_scale', '中型', 'medium'),
 ('reservoir_scale', '小(1)型', 'small_1'),
 ('reservoir_scale', '小（1）型', 'small_1'),
 ('reservoir_scale', '小一型', 'small_1'),
 ('reservoir_scale', '小Ⅰ型', 'small_1'),
 ('reservoir_scale', '小(2)型', 'small_2'),
 ('reservoir_scale', '小（2）型', 'small_2'),
 ('reservoir_scale', '小二型', 'small_2'),
 ('reservoir_scale', '小Ⅱ型', 'small_2'),
 ('reservoir_scale', 'large', 'large'),
 ('reservoir_scale', 'medium', 'medium'),
 ('reservoir_scale', 'small_1', 'small_1'),
 ('reservoir_scale', 'small_2', 'small_2'),
 ('hazard_point_kind', '滑坡', 'landslide'),
 ('hazard_point_kind', '泥石流', 'debris_flow'),
 ('hazard_point_kind', '崩塌', 'collapse'),
 ('hazard_point_kind', '地面塌陷', 'subsidence'),
 ('hazard_point_kind', '塌陷', 'subsidence'),
 ('hazard_point_kind', 'landslide', 'landslide'),
 ('hazard_point_kind', 'debris_flow', 'debris_flow'),
 ('hazard_point_kind', 'collapse', 'collapse'),
 ('hazard_point_kind', 'subsidence', 'subsidence'),
 ('risk_level', '1', '1'),
 ('risk_level', '2', '2'),
 ('risk_level', '3', '3'),
 ('risk_level', '4', '4'),
 ('risk_level', '特大型', '1'),
 ('risk_level', '大型', '2'),
 ('risk_level', '中型', '3'),
 ('risk_level', '小型', '4'),
 ('risk_level', '特别重大', '1'),
 ('risk_level', '重大', '2'),
 ('risk_level', '较大', '3'),
 ('risk_level', '一般', '4'),
 ('risk_level', 'Ⅰ级', '1'),
 ('risk_level', 'Ⅱ级', '2'),
 ('risk_level', 'Ⅲ级', '3'),
 ('risk_level', 'Ⅳ级', '4'),
 ('team_kind', '专业', 'professional'),
 ('team_kind', '专业队伍', 'professional'),
 ('team_kind', '技术', 'technical'),
 ('team_kind', '技术队伍', 'technical'),
 ('team_kind', '志愿', 'volunteer'),
 ('team_kind', '志愿者', 'volunteer'),
 ('team_kind', '社会力量', 'volunteer'),
 ('team_kind', '社会救援力量', 'volunteer'),
 ('team_kind', 'professional', 'professional'),
 ('team_kind', 'technical', 'technical'),
 ('team_kind', 'volunteer', 'volunteer'),
 ('team_specialty', '水域救援', 'water_rescue'),
 ('team_specialty', '水上救援', 'water_rescue'),
 ('team_specialty', '山地搜救', 'mountain_search'),
 ('team_specialty', '山地救援', 'mountain_search'),
 ('team_specialty', '消防灭火', 'firefighting'),
 ('team_specialty', '消防救援', 'firefighting'),
 ('team_specialty', '消防', 'firefighting'),
 ('team_specialty', '森林扑火', 'forest_firefighting'),
 ('team_specialty', '森林消防', 'forest_firefighting'),
 ('team_specialty', '医疗救护', 'medical'),
 ('team_specialty', '医疗', 'medical'),
 ('team_specialty', '卫生应急', 'medical'),
 ('team_specialty', '电力抢修', 'power_repair'),
 ('team_specialty', '道路抢通', 'road_clearance'),
 ('team_specialty', '交通抢通', 'road_clearance'),
 ('team_specialty', '地灾处置', 'geo_hazard'),
 ('team_specialty', '地质灾害', 'geo_hazard'),
 ('team_specialty', '通信保障', 'communications'),
 ('team_specialty', '通信', 'communications'),
 ('shelter_setting', '室内', 'indoor'),
 ('shelter_setting', '室外', 'outdoor'),
 ('shelter_setting', 'indoor', 'indoor'),
 ('shelter_setting', 'outdoor', 'outdoor'),
 ('shelter_level', '省级', 'province'),
 ('shelter_level', '市级', 'city'),
 ('shelter_level', '县级', 'county'),
 ('shelter_level', '乡镇级', 'township'),
 ('shelter_level', '乡级', 'township'),
 ('shelter_level', '村级', 'village'),
 ('shelter_level', 'province', 'province'),
 ('shelter_level', 'city', 'city'),
 ('shelter_level', 'county', 'county'),
 ('shelter_level', 'township', 'township'),
 ('shelter_level', 'village', 'village'),
 ('road_class', '国道', 'national'),
 ('road_class', '省道', 'provincial'),
 ('road_class', '县道', 'county'),
 ('road_class', '乡道', 'township'),
 ('road_class', '村道', 'village'),
 ('road_class', 'national', 'national'),
 ('road_class', 'provincial', 'provincial'),
 ('road_class', 'county', 'county'),
 ('road_class', 'township', 'township'),
 ('road_class', 'village', 'village'),
 ('person_duty', '乡镇长', 'township_head'),
 ('person_duty', '乡镇负责人', 'township_head'),
 ('person_duty', '乡镇主要负责人', 'township_head'),
 ('person_duty', '村干部', 'village_cadre'),
 ('person_duty', '村支书', 'village_cadre'),
 ('person_duty', '村主任', 'village_cadre'),
 ('person_duty', '水库责任人', 'reservoir'),
 ('person_duty', '水库安全责任人', 'reservoir'),
 ('person_duty', '隐患点责任人', 'hazard_point'),
 ('person_duty', '地灾责任人', 'hazard_point'),
 ('person_duty', '监测责任人', 'hazard_point'),
 ('person_duty', '哨点信息员', 'sentinel'),
 ('person_duty', '信息员', 'sentinel'),
 ('person_duty', 'township_head', 'township_head'),
 ('person_duty', 'village_cadre', 'village_cadre'),
 ('person_duty', 'reservoir', 'reservoir'),
 ('person_duty', 'hazard_point', 'hazard_point'),
 ('person_duty', 'sentinel', 'sentinel'),
 ('stock_category', '物资', 'supplies'),
 ('stock_category', '应急物资', 'supplies'),
 ('stock_category', '装备', 'equipment'),
 ('stock_category', '设备', 'equipment'),
 ('stock_category', 'supplies', 'supplies'),
 ('stock_category', 'equipment', 'equipment'),
 ('hazard', '防汛', 'flood'),
 ('hazard', '洪涝', 'flood'),
 ('hazard', '防洪', 'flood'),
 ('hazard', '台风', 'typhoon'),
 ('hazard', '防台', 'typhoon'),
 ('hazard', '森林火灾', 'forest_fire'),
 ('hazard', '森林防火', 'forest_fire'),
 ('hazard', '森林消防', 'forest_fire'),
 ('hazard', '地质灾害', 'geological'),
 ('hazard', '地灾', 'geological'),
 ('hazard', '滑坡', 'geological'),
 ('hazard', '泥石流', 'geological'),
 ('hazard', '滑坡/泥石流', 'geological'),
 ('hazard', '建筑火灾', 'building_fire'),
 ('hazard', '火灾', 'building_fire'),
 ('hazard', '交通事故', 'traffic'),
 ('hazard', '交通', 'traffic'),
 ('hazard', '生产安全', 'work_safety'),
 ('hazard', '安全生产', 'work_safety'),
 ('hazard', '治安', 'public_security'),
 ('hazard', '治安事件', 'public_security'),
 ('hazard', '公共卫生', 'public_health'),
 ('hazard', '卫生', 'public_health'),
 ('hazard', '城市管理', 'urban_mgmt'),
 ('hazard', '城管', 'urban_mgmt'),
 ('hazard', '民生服务', 'livelihood'),
 ('hazard', '民生', 'livelihood'),
 ('hazard', 'flood', 'flood'),
 ('hazard', 'typhoon', 'typhoon'),
 ('hazard', 'forest_fire', 'forest_fire'),
 ('hazard', 'geological', 'geological'),
 ('hazard', 'building_fire', 'building_fire'),
 ('hazard', 'traffic', 'traffic'),
 ('hazard', 'work_safety', 'work_safety'),
 ('hazard', 'public_security', 'public_security'),
 ('hazard', 'public_health', 'public_health'),
 ('hazard', 'urban_mgmt', 'urban_mgmt'),
 ('hazard', 'livelihood', 'livelihood'),
 ('team_specialty', 'water_rescue', 'water_rescue'),
 ('team_specialty', 'mountain_search', 'mountain_search'),
 ('team_specialty', 'firefighting', 'firefighting'),
 ('team_specialty', 'forest_firefighting', 'forest_firefighting'),
 ('team_specialty', 'medical', 'medical'),
 ('team_specialty', 'power_repair', 'power_repair'),
 ('team_specialty', 'road_clearance', 'road_clearance'),
 ('team_specialty', 'geo_hazard', 'geo_hazard'),
 ('team_specialty', 'communications', 'communications'),
 ('online', '在线', 'true'),
 ('online', '正常', 'true'),
 ('online', '是', 'true'),
 ('online', '1', 'true'),
 ('online', 'true', 'true'),
 ('online', 'online', 'true'),
 ('online', '离线', 'false'),
 ('online', '故障', 'false'),
 ('online', '否', 'false'),
 ('online', '0', 'false'),
 ('online', 'false', 'false'),
 ('online', 'offline', 'false');

CREATE SEQUENCE IF NOT EXISTS county_load_seq;
CREATE TABLE IF NOT EXISTS county_loads (
    load_id BIGINT PRIMARY KEY DEFAULT nextval('county_load_seq'),
    layer VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    via VARCHAR NOT NULL CHECK (via IN ('cli', 'page', 'demo')),
    loaded_by VARCHAR,
    loaded_at TIMESTAMP NOT NULL,
    rows_in BIGINT NOT NULL, stored BIGINT NOT NULL, updated BIGINT NOT NULL, unchanged BIGINT NOT NULL,
    quarantined BIGINT NOT NULL,
    CHECK (rows_in = stored + updated + unchanged + quarantined));
COMMENT ON TABLE county_loads IS 'One row per load of a county layer file (python -m data.county load or the Administration page).';

CREATE TABLE IF NOT EXISTS county_quarantine (
    load_id BIGINT NOT NULL,
    layer VARCHAR NOT NULL,
    row_no BIGINT NOT NULL,
    reason VARCHAR NOT NULL,
    field VARCHAR,
    bad_value VARCHAR,
    record VARCHAR NOT NULL,
    PRIMARY KEY (load_id, row_no));
COMMENT ON TABLE county_quarantine IS 'Rows of a county layer file that were not stored, with the reason code (labels in i18n/*/county.toml) and the source row as JSON: fix the file and load it again.';

CREATE SEQUENCE IF NOT EXISTS reference_history_seq;
CREATE TABLE IF NOT EXISTS reference_history (
    history_id BIGINT PRIMARY KEY DEFAULT nextval('reference_history_seq'),
    layer VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    load_id BIGINT NOT NULL,
    replaced_at TIMESTAMP NOT NULL,
    old_record VARCHAR NOT NULL);
COMMENT ON TABLE reference_history IS 'The previous version (JSON) of every reference row a load changed, by layer and code.';
-- <<< county

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
    via VARCHAR NOT NULL CHECK (via IN ('cli', 'page', 'inbox', 'quarantine', 'app', 'api')),
    imported_at TIMESTAMP NOT NULL,
    seconds DOUBLE,
    rows_in BIGINT NOT NULL, stored BIGINT NOT NULL, quarantined BIGINT NOT NULL,
    already_present BIGINT NOT NULL, linked BIGINT NOT NULL,
    updated BIGINT NOT NULL DEFAULT 0,
    notes VARCHAR,
    CHECK (rows_in = stored + updated + quarantined + already_present));
-- notes: JSON of what was stored but not whole, e.g. {"unknown_units": {"县某某局": 3}} (handling units that no
-- linkage_units name or value_aliases linkage_unit alias matched: the incidents are stored without their dispatch).
-- No COMMENT ON COLUMN here: this section runs before every import, and DuckDB 1.5 cannot replay a column comment
-- of a table with CHECK constraints from the WAL of a killed process (tests/data/test_ingest_atomic.py).
ALTER TABLE import_files ADD COLUMN IF NOT EXISTS notes VARCHAR;
COMMENT ON TABLE import_files IS 'One row per imported file, record batch (app: an incident recorded by hand; api) or quarantine re-import: its hash makes a second import of the same file a no-op; the accounting rows_in = stored + updated + quarantined + already_present (updated: a newer source record of a stored incident).';

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

COMMENT ON TABLE events IS 'Cross-channel events: reports from different channels of one hazard family close in space and time share incidents.event_id (never deleted; a dissolved one keeps its row, see event_links).';
-- <<< ingest

-- >>> event_links: data/event_ops.py writes these; data/db.py runs this block on an older database.
-- People correct the import's links: link() joins reports into one event, split() takes one out. An event left
-- with fewer than two reports is dissolved: its last report is unlinked and the events row stays, marked
-- dissolved_at with report_count 0, so its id is never given to another event (the history in incident_actions
-- names it). A report a person split off is held in event_splits: data/ingest/link.py never links it again;
-- a person linking it again lifts the hold.
ALTER TABLE events ADD COLUMN IF NOT EXISTS dissolved_at TIMESTAMP;
COMMENT ON COLUMN events.dissolved_at IS 'Set when people''s splits left it with fewer than two reports: no incident points at it any more; the row keeps its id reserved.';
CREATE TABLE IF NOT EXISTS event_splits (
    incident_id BIGINT PRIMARY KEY,
    from_event_id BIGINT NOT NULL,
    split_at TIMESTAMP NOT NULL,
    username VARCHAR NOT NULL,
    reason VARCHAR NOT NULL);
COMMENT ON TABLE event_splits IS 'Reports a person took out of their event (data/event_ops.split): the import''s linking leaves them alone; a person''s link() removes the row (both actions stay in incident_actions).';
-- <<< event_links

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

CREATE TABLE IF NOT EXISTS session_tokens (
    token_hash VARCHAR PRIMARY KEY,
    session_id VARCHAR NOT NULL,
    purpose VARCHAR NOT NULL CHECK (purpose IN ('handoff', 'cookie')),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP);
COMMENT ON TABLE session_tokens IS 'Browser links to a user_sessions row: a one-time handoff code (seconds) traded at /auth/session for the HttpOnly session cookie (the session''s life). Only SHA-256 hashes are kept; the session row still decides expiry.';

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
