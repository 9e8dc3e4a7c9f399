-- Code tables. Every code the app shows is looked up here (labels in both UI languages, colours),
-- so pages and layers never carry their own copies. Loaded by data/db.py right after schema.sql.
-- The CHECK lists in schema.sql must equal these codes: tests/data/test_schema.py pins that.

-- Channels of the "1+N" platform (seed 000).
INSERT INTO channels VALUES
 ('police_110',    '110报警',     '110 police line',          'emergency', 1),
 ('hotline_96345', '96345热线',   '96345 service hotline',    'service',   2),
 ('city_mgmt',     '数字城管',    'Digital city management',  'service',   3),
 ('grid',          '网格上报',    'Grid reporter',            'service',   4),
 ('iot_sensor',    '物联感知',    'IoT sensor',               'emergency', 5),
 ('ai_video',      'AI视频算法',  'AI video algorithm',       'emergency', 6),
 ('duty_phone',    '值班电话',    'Duty-room phone',          'emergency', 7);

-- Incident classes after the national overall emergency plan (2025) / GB/T 35561-2017 top level;
-- service requests sit beside them as non-emergency.
INSERT INTO incident_classes VALUES
 ('natural',         '自然灾害',     'Natural disaster',       1),
 ('accident',        '事故灾难',     'Accident',               2),
 ('public_health',   '公共卫生事件', 'Public health event',    3),
 ('social_security', '社会安全事件', 'Social security event',  4),
 ('service',         '非紧急服务',   'Non-emergency service',  5);

-- Hazard types. Colours: a colour-blind-safe qualitative set (Okabe-Ito first, then Paul Tol's muted),
-- distinct from the severity colours (red/orange/yellow/blue) which are drawn as marker outlines.
INSERT INTO hazard_types VALUES
 ('flood',           'natural',         '洪涝',           'Flood',                    '#0072B2', 1),
 ('typhoon',         'natural',         '台风',           'Typhoon',                  '#56B4E9', 2),
 ('forest_fire',     'natural',         '森林火灾',       'Forest fire',              '#D55E00', 3),
 ('geological',      'natural',         '滑坡/泥石流',    'Landslide / debris flow',  '#8C564B', 4),
 ('building_fire',   'accident',        '建筑火灾',       'Building fire',            '#CC79A7', 5),
 ('traffic',         'accident',        '交通事故',       'Traffic accident',         '#E69F00', 6),
 ('work_safety',     'accident',        '生产安全',       'Work safety',              '#999933', 7),
 ('public_security', 'social_security', '治安事件',       'Public security',          '#332288', 8),
 ('public_health',   'public_health',   '公共卫生',       'Public health',            '#009E73', 9),
 ('urban_mgmt',      'service',         '城市管理',       'Urban management',         '#88CCEE', 10),
 ('livelihood',      'service',         '民生服务',       'Livelihood service',       '#DDCC77', 11);

-- Severity I-IV (突发事件应对法) with the national warning colours.
INSERT INTO severity_levels VALUES
 (1, 'I',   '特别重大', 'Extremely serious', '#E5202A', 'red'),
 (2, 'II',  '重大',     'Serious',           '#F08A24', 'orange'),
 (3, 'III', '较大',     'Relatively serious','#F2CF1D', 'yellow'),
 (4, 'IV',  '一般',     'General',           '#2F6FDE', 'blue');

-- Warning levels 1-4 (red/orange/yellow/blue); sensor and AI alarms use the same scale.
INSERT INTO warning_levels VALUES
 (1, 'red',    '红色预警', 'Red warning',    '#E5202A'),
 (2, 'orange', '橙色预警', 'Orange warning', '#F08A24'),
 (3, 'yellow', '黄色预警', 'Yellow warning', '#F2CF1D'),
 (4, 'blue',   '蓝色预警', 'Blue warning',   '#2F6FDE');

-- Forest fire danger rating, QX/T 77-2007 (levels 3-5 are "high fire danger").
INSERT INTO fire_danger_levels VALUES
 (1, '低',   'Low',           '#2E9E44', false),
 (2, '较低', 'Moderate',      '#2F6FDE', false),
 (3, '较高', 'High',          '#F2CF1D', true),
 (4, '高',   'Very high',     '#F08A24', true),
 (5, '极高', 'Extreme',       '#E5202A', true);

-- Status lifecycle of an incident, in order.
INSERT INTO incident_statuses VALUES
 ('received',   0, '已受理', 'Received'),
 ('dispatched', 1, '已派遣', 'Dispatched'),
 ('on_scene',   2, '已到场', 'On scene'),
 ('feedback',   3, '已反馈', 'Feedback given'),
 ('callback',   4, '已回访', 'Called back'),
 ('closed',     5, '已办结', 'Closed');

-- Linkage levels (seed 000).
INSERT INTO linkage_levels VALUES
 (1, '一级联动', 'Level 1', '应急处置、紧急救助',         'Emergency handling and rescue'),
 (2, '二级联动', 'Level 2', '城市管理、社会服务',         'City management and social services'),
 (3, '三级联动', 'Level 3', '服务保障、善后处置、责任追究', 'Support, aftermath and accountability');

-- Information report kinds: "first report fast, follow-up accurate, final report complete".
INSERT INTO report_kinds VALUES
 ('first',     1, '首报', 'First report'),
 ('follow_up', 2, '续报', 'Follow-up report'),
 ('final',     3, '终报', 'Final report');

-- Report deadlines by severity (a configuration table: places differ; defaults from the duty-desk rules).
INSERT INTO report_rules VALUES
 (1, 30, 24, 5),
 (2, 30, 24, 5),
 (3, 60, 24, 5),
 (4, 120, 24, 5);

-- Arrival time limits of a dispatch, by linkage level and incident category (minutes).
INSERT INTO dispatch_time_limits VALUES
 (1, 'emergency', 30),
 (1, 'service',   240),
 (2, 'emergency', 60),
 (2, 'service',   1440),
 (3, 'emergency', 120),
 (3, 'service',   4320);

-- Rescue team specialties.
INSERT INTO team_specialties VALUES
 ('water_rescue',      '水域救援',   'Water rescue'),
 ('mountain_search',   '山地搜救',   'Mountain search and rescue'),
 ('firefighting',      '消防灭火',   'Firefighting'),
 ('forest_firefighting','森林扑火',  'Forest firefighting'),
 ('medical',           '医疗救护',   'Medical'),
 ('power_repair',      '电力抢修',   'Power repair'),
 ('road_clearance',    '道路抢通',   'Road clearance'),
 ('geo_hazard',        '地灾处置',   'Geo-hazard response'),
 ('communications',    '通信保障',   'Communications'),
 ('other',             '其他',       'Other');

-- Sensor types (the provincial sensing devices of seed 003 and the county's own).
INSERT INTO sensor_types VALUES
 ('rain_gauge',    '雨量站',       'Rain gauge',          'mm/h'),
 ('water_level',   '水位站',       'Water level gauge',   'm'),
 ('geo_monitor',   '地灾监测仪',   'Geo-hazard monitor',  'mm'),
 ('smoke_fire_ai', '烟火识别',     'Smoke/fire AI camera','confidence'),
 ('other',         '其他',         'Other',               '');

-- The "1+1+2+5" joint duty seats (seed 003), plus seasonal and holiday seats.
INSERT INTO duty_seats VALUES
 ('leader',     1,  '带班领导',       'Leader on duty',                false),
 ('dept_head',  2,  '重点部门负责人', 'Head of key department',        false),
 ('office_1',   3,  '两办值班员(一)', 'General office member 1',       false),
 ('office_2',   4,  '两办值班员(二)', 'General office member 2',       false),
 ('officer_1',  5,  '值班员(一)',     'Duty officer 1',                false),
 ('officer_2',  6,  '值班员(二)',     'Duty officer 2',                false),
 ('officer_3',  7,  '值班员(三)',     'Duty officer 3',                false),
 ('officer_4',  8,  '值班员(四)',     'Duty officer 4',                false),
 ('officer_5',  9,  '值班员(五)',     'Duty officer 5',                false),
 ('flood_extra',10, '防汛值班(主汛期)', 'Flood-season seat',           true),
 ('fire_extra', 11, '森林防火值班(高火险期)', 'Fire-season seat',       true),
 ('holiday_petition', 12, '节假日信访组', 'Holiday petitions group',   true),
 ('holiday_emergency',13, '节假日应急组', 'Holiday emergency group',   true),
 ('holiday_tourism',  14, '节假日文旅组', 'Holiday culture & tourism group', true);
