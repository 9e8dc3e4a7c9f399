"""What the demo county is made of: volumes, mixes, seasons, names. Numbers from ../shared/FACTS.md
(seed 000 and 003) where they exist; everything else is a believable estimate, marked as such in the data."""
from __future__ import annotations

# The demo county (a real county's code and names come from its own database: python -m data.county init).
COUNTY = {"code": "331126", "name_zh": "庆元县", "name_en": "Qingyuan County", "seat": "松源街道"}

# Incidents per channel over the five-year window at scale 1 (seed 000: 110 received 83,930 calls,
# 96345 25,245 enquiries, 413 grid members 187,847 items; city management and sensors are estimates).
CHANNEL_VOLUMES = {
    "police_110": 84_000,
    "hotline_96345": 25_000,
    "city_mgmt": 30_000,
    "grid": 180_000,
    "iot_sensor": 6_000,
    "ai_video": 4_000,
}
HISTORY_YEARS = 5

HAZARDS = ["flood", "typhoon", "forest_fire", "geological", "building_fire", "traffic",
           "work_safety", "public_security", "public_health", "urban_mgmt", "livelihood"]
SERVICE_HAZARDS = {"urban_mgmt", "livelihood"}

# P(hazard | channel).
HAZARD_MIX = {
    "police_110": {"public_security": 0.44, "traffic": 0.22, "building_fire": 0.05, "flood": 0.04, "typhoon": 0.01,
                   "forest_fire": 0.02, "geological": 0.02, "work_safety": 0.03, "public_health": 0.03,
                   "livelihood": 0.14},
    "hotline_96345": {"livelihood": 0.70, "urban_mgmt": 0.25, "public_health": 0.03, "flood": 0.02},
    "city_mgmt": {"urban_mgmt": 0.95, "livelihood": 0.05},
    "grid": {"urban_mgmt": 0.25, "livelihood": 0.35, "work_safety": 0.10, "geological": 0.08, "flood": 0.07,
             "forest_fire": 0.05, "public_security": 0.06, "public_health": 0.04},
    "iot_sensor": {"flood": 0.6, "geological": 0.4},
    "ai_video": {"forest_fire": 0.85, "building_fire": 0.15},
}

# Month weights (Jan..Dec): plum rains June-July, typhoons July-September, fire risk in the dry season.
SEASON = {
    "flood": [0.2, 0.3, 0.6, 0.9, 1.6, 3.0, 2.6, 2.0, 1.6, 0.6, 0.3, 0.2],
    "typhoon": [0.0, 0.0, 0.0, 0.02, 0.1, 0.5, 2.5, 3.5, 3.0, 0.8, 0.1, 0.0],
    "forest_fire": [2.2, 2.6, 2.0, 2.4, 0.8, 0.3, 0.2, 0.3, 0.6, 1.4, 1.8, 2.0],
    "geological": [0.3, 0.4, 0.7, 1.0, 1.6, 2.6, 2.2, 1.8, 1.5, 0.6, 0.3, 0.3],
    "traffic": [1.1, 1.3, 1.0, 1.1, 1.0, 0.9, 1.0, 1.0, 0.9, 1.2, 0.9, 1.0],
}
# Hour-of-day weights (0..23).
_DAY = [1, 1, 1, 1, 1, 2, 4, 6, 9, 10, 10, 9, 7, 8, 9, 9, 9, 8, 6, 5, 4, 3, 2, 1]
_EVENING = [3, 2, 2, 1, 1, 1, 2, 4, 5, 5, 5, 5, 5, 5, 5, 5, 6, 7, 9, 10, 11, 10, 8, 5]
_TRAFFIC = [2, 1, 1, 1, 1, 2, 4, 8, 7, 5, 5, 5, 6, 5, 5, 6, 7, 9, 9, 8, 7, 6, 4, 3]
_FIRE = [1, 1, 1, 1, 1, 1, 1, 2, 3, 5, 8, 10, 11, 11, 10, 9, 7, 5, 3, 2, 2, 1, 1, 1]
_FLAT = [4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4]
HOUR_PROFILE = {"public_security": _EVENING, "traffic": _TRAFFIC, "forest_fire": _FIRE, "flood": _FLAT,
                "typhoon": _FLAT, "geological": _FLAT, "building_fire": _EVENING}
DEFAULT_HOUR_PROFILE = _DAY

# P(severity I, II, III); the rest are IV. Service requests are always IV.
SEVERITY_P = {
    "flood": (0.0002, 0.006, 0.04), "typhoon": (0.0005, 0.01, 0.06), "forest_fire": (0.0002, 0.004, 0.03),
    "geological": (0.0002, 0.008, 0.05), "building_fire": (0.0001, 0.003, 0.02),
    "traffic": (0.00005, 0.002, 0.015), "work_safety": (0.0001, 0.004, 0.02),
    "public_security": (0.00002, 0.0008, 0.008), "public_health": (0.0001, 0.003, 0.01),
}

# Synthetic weather events (modelled on Typhoon Megi 2016 and the June plum-rain storm in FACTS), placed
# relative to today so a replay always has them: (years back, month, day, days, hazard multipliers, townships hit).
EVENTS = [
    {"name": "梅雨强降雨(模拟)", "years_back": 2, "month": 6, "day": 18, "days": 5,
     "boost": {"flood": 6.0, "geological": 8.0}, "townships": ["竹口镇", "贤良镇", "黄田镇"]},
    {"name": "台风(模拟,参照鲇鱼)", "years_back": 1, "month": 9, "day": 14, "days": 4,
     "boost": {"flood": 10.0, "typhoon": 25.0, "geological": 10.0},
     "townships": ["举水乡", "岭头乡", "松源街道", "濛洲街道"]},
]
# Lunar new year dates (fireworks: fire risk) and Qingming (tomb sweeping).
SPRING_FESTIVAL = ["2021-02-12", "2022-02-01", "2023-01-22", "2024-02-10", "2025-01-29", "2026-02-17",
                   "2027-02-06", "2028-01-26"]
QINGMING_DAY = 4  # April 4-5

# Linkage units. role = what they are dispatched for; per_township roles have one unit per township.
DEPARTMENTS = [
    # level 1: emergency handling and rescue
    ("县公安局指挥中心", 1, "police_hq"), ("县公安局交通警察大队", 1, "traffic_police"),
    ("县消防救援大队", 1, "fire"), ("县森林消防大队", 1, "forest_fire"), ("县应急管理局", 1, "emergency"),
    ("县水利局", 1, "water"), ("县自然资源和规划局", 1, "geology"), ("县林业局", 1, "forestry"),
    ("县卫生健康局", 1, "health"), ("县人民医院", 1, "medical"), ("县中医院", 1, "medical"),
    ("县急救站", 1, "medical"), ("县疾病预防控制中心", 1, "health"), ("县气象局", 1, "weather"),
    ("县交通运输局", 1, "road"), ("县人武部", 1, "militia"), ("武警庆元中队", 1, "militia"),
    ("县公路与运输管理中心", 1, "road"),
    ("国网庆元县供电公司", 1, "power"), ("县防汛防台抗旱指挥部办公室", 1, "water"),
    ("县地质灾害防治指挥部办公室", 1, "geology"),
    # level 2: city management and social services
    ("县综合行政执法局", 2, "urban"), ("县住房和城乡建设局", 2, "urban"), ("县水务集团", 2, "utility"),
    ("县燃气公司", 2, "utility"), ("中国电信庆元分公司", 2, "telecom"), ("中国移动庆元分公司", 2, "telecom"),
    ("中国联通庆元分公司", 2, "telecom"), ("县市场监督管理局", 2, "market"), ("生态环境局庆元分局", 2, "environment"),
    ("县民政局", 2, "social"), ("县人力资源和社会保障局", 2, "social"), ("县教育局", 2, "social"),
    ("县农业农村局", 2, "rural"), ("县文化和广电旅游体育局", 2, "social"), ("县经济商务科技局", 2, "market"),
    ("县城市建设投资集团", 2, "urban"), ("县公共交通公司", 2, "utility"), ("县环境卫生管理中心", 2, "urban"),
    ("县园林绿化中心", 2, "urban"), ("县医疗保障局", 2, "social"), ("县残疾人联合会", 2, "social"),
    ("县妇女联合会", 2, "social"), ("团县委", 2, "social"), ("县总工会", 2, "social"),
    ("县食用菌产业发展中心", 2, "rural"), ("县供销合作社", 2, "rural"), ("县住房公积金中心", 2, "social"),
    ("县不动产登记中心", 2, "social"), ("县行政服务中心", 2, "social"), ("县粮食收储有限公司", 2, "rural"),
    ("县邮政分公司", 2, "utility"), ("县自来水厂", 2, "utility"),
    # level 3: support, aftermath and accountability
    ("县财政局", 3, "support"), ("县审计局", 3, "support"), ("县纪委县监委", 3, "accountability"),
    ("县司法局", 3, "support"), ("县信访局", 3, "support"), ("县发展和改革局", 3, "support"),
    ("县统计局", 3, "support"), ("县机关事务管理中心", 3, "support"), ("县档案馆", 3, "support"),
    ("县红十字会", 3, "support"), ("县保险行业协会", 3, "support"), ("县委宣传部(网信办)", 3, "support"),
    ("县委政法委", 3, "accountability"), ("县人民法院", 3, "accountability"), ("县人民检察院", 3, "accountability"),
    ("县退役军人事务局", 3, "support"), ("县应急物资储备中心", 3, "support"), ("县融媒体中心", 3, "support"),
    ("县民族宗教事务局", 3, "support"), ("县税务局", 3, "support"),
]
# One police station per township (the 110 sample names 松源派出所, 竹口派出所, 黄田派出所).
POLICE_STATION_SUFFIX = "派出所"

LOCAL_ROLES = {"police_station", "township"}  # one unit per township: dispatched by jurisdiction
# Which role handles which hazard (first unit dispatched).
HAZARD_ROLE = {
    "flood": "township", "typhoon": "township", "forest_fire": "forest_fire", "geological": "township",
    "building_fire": "fire", "traffic": "traffic_police", "work_safety": "emergency",
    "public_security": "police_station", "public_health": "health", "urban_mgmt": "urban",
    "livelihood": "utility",
}

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
                "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀兰", "霞", "平", "刚", "桂英", "建华", "建国", "国强", "海燕", "丽华", "志强", "春梅", "德明", "金凤",
         "永康", "晓东", "卫东", "小红", "慧敏", "文斌", "立新", "玉兰", "正阳", "振华", "丽萍", "红梅", "建平"]

DESCRIPTIONS = {
    "flood": ["溪水上涨漫过道路", "农田被淹，房屋进水", "桥面被水淹没，行人无法通行", "山洪冲毁便道",
              "两名老人被困屋内"],
    "typhoon": ["大风吹倒树木阻断道路", "广告牌被风刮落", "屋顶瓦片被掀翻", "电线被吹断", "需转移危旧房群众"],
    "forest_fire": ["山上冒出浓烟，疑似山火", "祭扫烧纸引发山林起火", "林区发现明火", "烧田埂引燃周边山林"],
    "geological": ["后山出现裂缝，有小股泥石滑落", "道路边坡塌方", "房屋后侧山体滑坡", "沟谷出现泥石流迹象"],
    "building_fire": ["居民楼厨房起火，有浓烟", "厂房起火", "电动车充电起火", "木结构老屋起火"],
    "traffic": ["两车追尾，无人员受伤", "车辆侧翻路边", "摩托车与货车相撞，有人受伤", "山路落石砸中车辆"],
    "work_safety": ["工地脚手架存在倒塌隐患", "企业仓库违规存放易燃物", "矿山边坡存在隐患", "食用菌厂锅炉异常"],
    "public_security": ["邻里纠纷发生争吵", "有人酒后闹事", "电动车被盗", "疑似电信诈骗求助", "商店内发生盗窃"],
    "public_health": ["多人出现呕吐腹泻症状", "发现疑似病死家禽", "餐馆卫生状况差", "学校报告发热学生增多"],
    "urban_mgmt": ["路边垃圾堆积", "人行道井盖缺失", "占道经营", "路灯不亮", "违章搭建", "夜间施工噪声扰民"],
    "livelihood": ["小区停水一天未恢复", "家中停电", "咨询医保报销政策", "反映道路破损", "老人走失求助",
                   "咨询社保缴费"],
}

# Professional rescue teams: (name, specialty, other specialties, headcount, township of base).
PROFESSIONAL_TEAMS = [
    ("县消防救援大队特勤站", "firefighting", ["water_rescue", "mountain_search"], 45, "松源街道"),
    ("竹口消防救援站", "firefighting", ["water_rescue"], 20, "竹口镇"),
    ("左溪专职消防队", "firefighting", [], 12, "左溪镇"),
    ("县森林消防大队", "forest_firefighting", ["mountain_search"], 40, "濛洲街道"),
    ("百山祖森林消防中队", "forest_firefighting", ["mountain_search"], 20, "百山祖镇"),
    ("举水森林消防中队", "forest_firefighting", [], 18, "举水乡"),
    ("县人民医院急救分队", "medical", [], 15, "松源街道"),
    ("县中医院医疗队", "medical", [], 10, "濛洲街道"),
    ("县急救站", "medical", [], 12, "屏都街道"),
    ("国网庆元供电抢修队", "power_repair", [], 30, "濛洲街道"),
    ("黄田供电所抢修班", "power_repair", [], 8, "黄田镇"),
    ("县公路抢通队", "road_clearance", ["geo_hazard"], 25, "屏都街道"),
    ("县地质灾害应急技术队", "geo_hazard", ["mountain_search"], 12, "松源街道"),
    ("应急通信保障队", "communications", [], 10, "松源街道"),
]
VOLUNTEER_TEAMS_TOTAL_PEOPLE = 761  # seed 000: 25 volunteer teams, 761 people
VOLUNTEER_TEAMS = 25
TECHNICAL_TEAMS = 73
SHELTER_COUNTY = [("县体育馆避灾安置场所", 3000, "indoor"), ("县实验中学避灾安置场所", 1500, "indoor"),
                  ("濛洲公园应急避难场所", 5000, "outdoor")]

# Emergency supply depots: the county's store beside the seat and one point in each 街道, each holding these items
# (name, category as a county's file writes it, unit, quantity at the county store; a 街道 point holds a tenth to
# a quarter of that).
COUNTY_DEPOT = "县应急物资储备库"
STREET_DEPOT_SUFFIX = "应急物资储备点"
STOCK_ITEMS = [
    ("折叠床", "物资", "张", 500), ("帐篷", "物资", "顶", 200), ("棉被", "物资", "床", 1000),
    ("救生衣", "装备", "件", 300), ("冲锋舟", "装备", "艘", 6), ("发电机", "装备", "台", 10),
    ("抽水泵", "装备", "台", 12), ("编织袋", "物资", "条", 20000), ("雨衣", "物资", "件", 600),
    ("风力灭火机", "装备", "台", 40), ("方便食品", "物资", "箱", 400), ("饮用水", "物资", "箱", 500),
]
