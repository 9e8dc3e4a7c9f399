"""What each county layer is: its table, its code column, its fields and the headers a county's files write
for them. The loader (data/county/load.py), the templates and the Administration page all read this one list."""
from __future__ import annotations

from dataclasses import dataclass, field

# Headers shared by many layers.
NAME = ("名称", "name")
CODE = ("编码", "代码", "编号", "code", "id")
TOWNSHIP = ("所属乡镇", "乡镇(街道)", "乡镇（街道）", "所属乡镇(街道)", "所属乡镇（街道）", "乡镇", "所属街道",
            "township")
VILLAGE = ("所属村", "村(社区)", "村（社区）", "所属村(社区)", "所属村（社区）", "村", "village")
LON = ("经度", "lon", "lng", "longitude", "x", "东经")
LAT = ("纬度", "lat", "latitude", "y", "北纬")
CONTACT = ("负责人", "联系人")
PHONE = ("联系电话", "电话", "手机", "手机号", "phone", "mobile")


@dataclass(frozen=True)
class Field:
    """One column of a layer. kind: text, number, integer, date, list (split on 、,; and, with a domain, each item
    through value_aliases), enum (through value_aliases[domain]; an unknown value is stored as other with the raw
    value kept)."""
    name: str
    headers: tuple[str, ...]
    kind: str = "text"
    required: bool = False
    domain: str | None = None
    example: str = ""


@dataclass(frozen=True)
class Layer:
    name: str
    table: str
    id_column: str | None
    geometry: str | None  # point, polygon, line, point_or_polygon, None
    fields: tuple[Field, ...]
    township: str = "located"  # located: from 所属乡镇 else by position; none: no township; self: is one
    extra: dict = field(default_factory=dict)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def has_points(self) -> bool:
        return self.geometry in ("point", "point_or_polygon")


def _code(*more: str, example: str = "") -> Field:
    return Field("code", more + CODE, required=True, example=example)


def _name(*more: str, example: str = "") -> Field:
    return Field("name", more + NAME, required=True, example=example)


def _township(example: str = "") -> Field:
    return Field("township", TOWNSHIP, example=example)


def _lonlat(lon: tuple = (), lat: tuple = ()) -> tuple[Field, Field]:
    return (Field("lon", lon + LON, "number", example="103.262"), Field("lat", lat + LAT, "number", example="29.230"))


LAYERS: dict[str, Layer] = {layer.name: layer for layer in (
    Layer("townships", "townships", "township_id", "polygon", (
        _code("乡镇代码", "乡镇编码", "区划代码", "行政区划代码", example="511132100"),
        _name("乡镇名称", "乡镇(街道)名称", example="沙坪镇"),
        Field("kind", ("类型", "乡镇类型", "kind"), "enum", domain="township_kind", example="镇"),
        Field("population", ("人口", "常住人口", "户籍人口", "population"), "integer", example="32000"),
    ), township="self"),
    Layer("villages", "villages", "village_id", "point_or_polygon", (
        _code("村代码", "村编码", "村(社区)代码", "区划代码", example="511132100201"),
        _name("村名称", "村(社区)名称", "村（社区）名称", "村名", example="大堡村"),
        _township("沙坪镇"),
        Field("kind", ("类型", "村类型", "kind"), "enum", domain="village_kind", example="村"),
        Field("population", ("人口", "常住人口", "户籍人口", "population"), "integer", example="1200"),
        *_lonlat(),
    )),
    Layer("grid_cells", "grid_cells", "grid_cell_id", "polygon", (
        _code("网格编码", "网格代码", "网格编号", example="511132100-01"),
        _name("网格名称", example="沙坪镇第一网格"),
        _township("沙坪镇"),
        Field("population", ("人口", "常住人口", "population"), "integer", example="800"),
    )),
    Layer("grid_members", "grid_members", "member_id", None, (
        _code("人员编码", "网格员编码", "工号", example="WGY0001"),
        _name("姓名", "网格员姓名", example="张三"),
        Field("grid_cell", ("所属网格", "所属网格编码", "网格编码", "grid_cell"), required=True,
              example="511132100-01"),
        Field("phone", PHONE, example="13900000000"),
        Field("role", ("类型", "人员类型", "网格员类型", "role"), "enum", domain="member_role", example="专职"),
    ), township="none"),
    Layer("linkage_units", "linkage_units", "unit_id", None, (
        _code("单位编码", "单位代码", example="LD001"),
        _name("单位名称", example="县应急管理局"),
        Field("level", ("联动等级", "等级", "级别", "linkage_level"), "enum", required=True, domain="linkage_level",
              example="一级"),
        Field("kind", ("单位类型", "类型", "kind"), "enum", domain="unit_kind", example="部门"),
        _township(""),
        Field("phone", PHONE, example="0833-5000000"),
        Field("hazards", ("负责灾种", "处置类型", "hazards"), "list", domain="hazard", example="防汛、地质灾害"),
    ), township="optional"),
    Layer("cameras", "cameras", "camera_id", "point", (
        _code("设备编码", "国标编码", "通道编码", "点位编码", example="51113200001320000001"),
        _name("设备名称", "点位名称", "监控点名称", example="沙坪大桥监控"),
        Field("kind", ("类型", "设备类型", "摄像机类型", "kind"), "enum", domain="camera_kind", example="球机"),
        _township("沙坪镇"),
        *_lonlat(),
        Field("stream_ref", ("调阅地址", "视频地址", "播放地址", "流地址", "平台编号", "通道号", "stream", "url"),
              example="rtsp://10.20.1.5/ch1"),
        Field("online", ("在线状态", "状态", "是否在线", "online"), "enum", domain="online", example="在线"),
    )),
    Layer("sensors", "sensors", "sensor_id", "point", (
        _code("设备编码", "设备编号", "站码", "测站编码", example="YL-0001"),
        _name("设备名称", "站名", "测站名称", example="沙坪雨量站"),
        Field("sensor_type", ("设备类型", "类型", "站类", "sensor_type"), "enum", required=True, domain="sensor_type",
              example="雨量站"),
        _township("沙坪镇"),
        *_lonlat(),
        Field("reservoir", ("所属水库", "水库编码", "reservoir"), example="SK001"),
        Field("online", ("在线状态", "状态", "是否在线", "online"), "enum", domain="online", example="在线"),
    )),
    Layer("reservoirs", "reservoirs", "reservoir_id", "point", (
        _code("水库编码", "水库代码", "工程编码", example="SK001"),
        _name("水库名称", example="官料河水库"),
        Field("scale", ("规模", "工程规模", "水库规模", "scale"), "enum", domain="reservoir_scale", example="小(1)型"),
        Field("capacity_10k_m3", ("总库容(万m³)", "总库容（万m³）", "总库容(万立方米)", "总库容", "库容"), "number",
              example="120.5"),
        Field("dead_level_m", ("死水位", "死水位(m)"), "number", example="600.0"),
        Field("flood_limit_level_m", ("汛限水位", "汛限水位(m)"), "number", example="618.0"),
        Field("normal_level_m", ("正常蓄水位", "正常蓄水位(m)", "正常水位"), "number", example="620.0"),
        Field("design_flood_level_m", ("设计洪水位", "设计洪水位(m)"), "number", example="622.3"),
        Field("check_flood_level_m", ("校核洪水位", "校核洪水位(m)"), "number", example="623.1"),
        _township("沙坪镇"),
        *_lonlat(),
    )),
    Layer("geo_hazard_points", "geo_hazard_points", "hazard_point_id", "point", (
        _code("隐患点编号", "隐患点编码", "统一编号", example="511132010001"),
        _name("隐患点名称", example="大堡村滑坡"),
        Field("kind", ("灾害类型", "类型", "隐患类型", "kind"), "enum", domain="hazard_point_kind", example="滑坡"),
        Field("risk_level", ("险情等级", "风险等级", "等级", "risk_level"), "enum", domain="risk_level",
              example="中型"),
        Field("threatened_people", ("威胁人数", "受威胁人数", "threatened_people"), "integer", example="35"),
        _township("沙坪镇"),
        Field("village", VILLAGE, example="大堡村"),
        *_lonlat(),
    )),
    Layer("rescue_teams", "rescue_teams", "team_id", "point", (
        _code("队伍编码", "队伍代码", example="DW001"),
        _name("队伍名称", example="县消防救援大队"),
        Field("specialty", ("队伍类型", "专业", "专业类型", "specialty"), "enum", domain="team_specialty",
              example="消防救援"),
        Field("kind", ("队伍性质", "队伍类别", "类别", "kind"), "enum", domain="team_kind", example="专业"),
        Field("headcount", ("人数", "队伍人数", "headcount"), "integer", required=True, example="45"),
        Field("leader_name", CONTACT + ("队长",), example="李四"),
        Field("leader_phone", PHONE, example="13900000001"),
        _township("沙坪镇"),
        *_lonlat(("驻地经度",), ("驻地纬度",)),
    )),
    Layer("shelters", "shelters", "shelter_id", "point", (
        _code("场所编码", "避难场所编码", example="BN001"),
        _name("场所名称", "避难场所名称", "避灾点名称", example="沙坪镇中心学校避灾点"),
        Field("capacity", ("容纳人数", "可容纳人数", "容量", "capacity"), "integer", required=True, example="300"),
        Field("area_m2", ("面积", "面积(m²)", "面积（m²）", "面积(平方米)", "area"), "number", example="2400"),
        Field("setting", ("类型", "室内室外", "场所类型", "setting"), "enum", domain="shelter_setting", example="室内"),
        Field("level", ("级别", "场所级别", "level"), "enum", domain="shelter_level", example="乡镇级"),
        _township("沙坪镇"),
        Field("village", VILLAGE, example=""),
        *_lonlat(),
    )),
    Layer("warehouses", "warehouses", "warehouse_id", "point", (
        _code("仓库编码", "仓库代码", example="CK001"),
        _name("仓库名称", example="县应急物资储备库"),
        _township("沙坪镇"),
        Field("manager_name", CONTACT, example="王五"),
        Field("manager_phone", PHONE, example="13900000002"),
        *_lonlat(),
    )),
    Layer("stock", "stock", "stock_id", None, (
        Field("warehouse", ("仓库编码", "所属仓库", "仓库代码", "warehouse"), required=True, example="CK001"),
        Field("code", ("物资编码", "物资代码", "装备编码", "code"), example="WZ001"),
        Field("item", ("物资名称", "装备名称", "名称", "item"), required=True, example="折叠床"),
        Field("category", ("类别", "物资类别", "category"), "enum", domain="stock_category", example="物资"),
        Field("quantity", ("数量", "库存数量", "quantity"), "number", required=True, example="200"),
        Field("unit", ("单位", "计量单位", "单位(计量)", "unit"), example="张"),
    ), township="none"),
    Layer("roads", "roads", "road_id", "line", (
        _code("道路编码", "路线编码", "路线编号", example="G245"),
        _name("道路名称", "路线名称", example="国道245线"),
        Field("road_class", ("道路等级", "等级", "行政等级", "road_class"), "enum", domain="road_class",
              example="国道"),
    ), township="none"),
    Layer("rivers", "rivers", "river_id", "line", (
        _code("河流编码", "河流代码", example="HL001"),
        _name("河流名称", example="官料河"),
    ), township="none"),
    Layer("responsible_persons", "responsible_persons", "person_id", None, (
        _code("人员编码", "人员代码", example="ZR0001"),
        _name("姓名", example="赵六"),
        Field("duty", ("职务", "责任类型", "类型", "duty"), "enum", required=True, domain="person_duty",
              example="哨点信息员"),
        Field("post", ("岗位", "哨点", "post"), example="大堡村哨点"),
        _township("沙坪镇"),
        Field("village", VILLAGE, example="大堡村"),
        Field("object_code", ("责任对象编码", "对象编码", "object_code"), example="SK001"),
        Field("phone", PHONE, example="13900000003"),
    ), township="optional"),
    Layer("roster", "duty_roster", None, None, (
        Field("duty_date", ("日期", "值班日期", "date"), "date", required=True, example="2026-12-01"),
        Field("seat", ("席位", "岗位", "值班岗位", "seat"), required=True, example="带班领导"),
        Field("person_name", ("姓名", "值班人员", "值班人", "name"), required=True, example="孙七"),
        Field("unit_name", ("单位", "所在单位", "unit"), example="县应急管理局"),
        Field("phone", PHONE, example="13900000004"),
    ), township="none"),
)}
