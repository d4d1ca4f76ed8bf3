"""The data contract: sheets, headers, units and value kinds of the input workbook.

The headers are fixed by ``shared/spec/data-contract.md``; other tools depend on
them. Internal keys are short English names used in the engine's frames.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"
    NUMBER = "number"
    CHOICE = "choice"
    BOOL = "bool"
    LEVEL = "level"


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    kind: Kind
    unit: str = ""
    required: bool = False
    """The header must be present in the sheet."""
    choices: tuple[str, ...] = ()
    note: str = ""
    stage: str | None = None
    """For per-stage counts: a value is required when the school has this stage."""
    blank_is_zero: bool = False
    max_value: float | None = None
    percent_points: bool = False
    """A percentage typed as points (96 for 96%); a value ≤ 1 is taken for a fraction."""


SCHOOL_SHEET = "学校"
COUNTY_SHEET = "区县"

SCHOOL_TYPES: dict[str, str] = {
    "小学": "primary",
    "初中": "junior",
    "九年一贯制学校": "nine_year",
    "十二年一贯制学校": "twelve_year",
    "完全中学": "complete_middle",
    "教学点": "teaching_point",
    "特殊教育学校": "special",
}
"""Canonical 办学类型 → internal code. Names without 学校 are accepted too."""

TYPE_STAGES: dict[str, tuple[str, ...]] = {
    "primary": ("primary",),
    "junior": ("junior",),
    "nine_year": ("primary", "junior"),
    "twelve_year": ("primary", "junior", "senior"),
    "complete_middle": ("junior", "senior"),
    "teaching_point": ("primary",),
    "special": (),
}
"""Stages whose counts a school of each type must report."""

STAGE_NAMES = {"primary": "小学", "junior": "初中", "senior": "高中"}

URBAN_RURAL = ("城区", "镇区", "乡村")
SPONSORS = ("公办", "民办")
YES_NO = ("是", "否")
LEVELS = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ")


def _c(key: str, header: str, kind: Kind, unit: str = "", **kw: object) -> Column:
    return Column(key, header, kind, unit, **kw)  # type: ignore[arg-type]


SCHOOL_COLUMNS: tuple[Column, ...] = (
    _c("code", "学校标识码", Kind.TEXT, required=True, note="10位学校标识码，不得重复"),
    _c("name", "学校名称", Kind.TEXT, required=True),
    _c("county_code", "区县代码", Kind.TEXT, required=True, note="6位行政区划代码"),
    _c("county_name", "区县名称", Kind.TEXT, required=True),
    _c("type", "办学类型", Kind.CHOICE, required=True, choices=tuple(SCHOOL_TYPES)),
    _c("urban_rural", "城乡分类", Kind.CHOICE, choices=URBAN_RURAL),
    _c("sponsor", "举办者", Kind.CHOICE, choices=SPONSORS, note="空白按公办"),
    _c("boarding", "是否寄宿制学校", Kind.BOOL, choices=YES_NO),
    _c("p_students", "小学在校生数", Kind.INT, "人", required=True, stage="primary"),
    _c("j_students", "初中在校生数", Kind.INT, "人", required=True, stage="junior"),
    _c("s_students", "高中在校生数", Kind.INT, "人", required=True, stage="senior"),
    _c("p_classes", "小学班级数", Kind.INT, "个", required=True, stage="primary"),
    _c("j_classes", "初中班级数", Kind.INT, "个", required=True, stage="junior"),
    _c("p_oversized", "小学超过45人班级数", Kind.INT, "个"),
    _c("j_oversized", "初中超过50人班级数", Kind.INT, "个"),
    _c("p_teachers", "小学专任教师数", Kind.INT, "人", required=True, stage="primary"),
    _c("j_teachers", "初中专任教师数", Kind.INT, "人", required=True, stage="junior"),
    _c(
        "p_qualified",
        "小学高于规定学历教师数",
        Kind.INT,
        "人",
        required=True,
        stage="primary",
        note="专科及以上",
    ),
    _c(
        "j_qualified",
        "初中高于规定学历教师数",
        Kind.INT,
        "人",
        required=True,
        stage="junior",
        note="本科及以上",
    ),
    _c("p_backbone", "小学县级及以上骨干教师数", Kind.INT, "人", required=True, stage="primary"),
    _c("j_backbone", "初中县级及以上骨干教师数", Kind.INT, "人", required=True, stage="junior"),
    _c(
        "p_pe_art",
        "小学体育艺术专任教师数",
        Kind.INT,
        "人",
        required=True,
        stage="primary",
        note="体育+音乐+美术+艺术",
    ),
    _c(
        "j_pe_art",
        "初中体育艺术专任教师数",
        Kind.INT,
        "人",
        required=True,
        stage="junior",
        note="体育+音乐+美术+艺术",
    ),
    _c("certified", "持教师资格证专任教师数", Kind.INT, "人", note="小学、初中专任教师中"),
    _c("trained", "完成360学时培训专任教师数", Kind.INT, "人", note="小学、初中专任教师中，近5年"),
    _c(
        "teach_area",
        "教学及辅助用房面积",
        Kind.NUMBER,
        "㎡",
        required=True,
        stage="any",
        note="全校，含室内体育用房",
    ),
    _c(
        "indoor_sports",
        "室内体育用房面积",
        Kind.NUMBER,
        "㎡",
        required=True,
        blank_is_zero=True,
        note="全校，空白按0",
    ),
    _c("sports_ground", "运动场地面积", Kind.NUMBER, "㎡", required=True, stage="any"),
    _c(
        "equipment",
        "教学仪器设备资产值",
        Kind.NUMBER,
        "万元",
        required=True,
        stage="any",
        note="账面原值",
    ),
    _c("mm_rooms", "网络多媒体教室数", Kind.INT, "间", required=True, stage="any"),
    _c("music_rooms", "音乐专用教室数", Kind.INT, "间"),
    _c("music_ok", "达标音乐专用教室数", Kind.INT, "间", note="单间≥96㎡"),
    _c("art_rooms", "美术专用教室数", Kind.INT, "间"),
    _c("art_ok", "达标美术专用教室数", Kind.INT, "间", note="单间≥90㎡"),
    _c("public_funds", "公用经费预算", Kind.NUMBER, "万元", note="上年度"),
    _c("training_funds", "教师培训经费预算", Kind.NUMBER, "万元", note="上年度"),
)

COUNTY_COLUMNS: tuple[Column, ...] = (
    _c("county_code", "区县代码", Kind.TEXT, required=True),
    _c("county_name", "区县名称", Kind.TEXT, required=True),
    _c("city", "所属地市", Kind.TEXT),
    _c("province", "所属省份", Kind.TEXT),
    _c("year", "评估年度", Kind.INT, "年"),
    _c("population", "常住人口（万人）", Kind.NUMBER, "万人"),
    _c("basic_year", "基本均衡认定年份", Kind.INT, "年"),
    _c("basic_monitoring_good", "基本均衡监测保持良好", Kind.BOOL, note="认定后历年监测"),
    _c("layout_ok", "规划布局合理", Kind.BOOL),
    _c("four_unified", "四统一", Kind.BOOL),
    _c("staffing_pooled", "编制岗位统筹", Kind.BOOL),
    _c("small_funds", "不足100人学校公用经费（万元）", Kind.NUMBER, "万元"),
    _c("small_students", "不足100人学校在校生数", Kind.INT, "人"),
    _c("special_funds", "特殊教育学校公用经费（万元）", Kind.NUMBER, "万元"),
    _c("special_students", "特殊教育学校在校生数", Kind.INT, "人"),
    _c("teacher_pay", "教师年平均工资（元）", Kind.NUMBER, "元"),
    _c("civil_pay", "公务员年平均工资（元）", Kind.NUMBER, "元"),
    _c("merit_pay_full", "绩效工资足额核定", Kind.BOOL),
    _c("rotation_eligible", "符合交流条件教师数", Kind.INT, "人"),
    _c("rotated", "交流轮岗教师数", Kind.INT, "人"),
    _c("rotated_backbone", "交流轮岗骨干教师数", Kind.INT, "人"),
    _c(
        "nearby_primary",
        "小学就近划片入学比例（%）",
        Kind.NUMBER,
        "%",
        max_value=100,
        percent_points=True,
        note="填百分数，如 98.5 表示 98.5%",
    ),
    _c(
        "nearby_junior",
        "初中就近划片入学比例（%）",
        Kind.NUMBER,
        "%",
        max_value=100,
        percent_points=True,
        note="填百分数，如 98.5 表示 98.5%",
    ),
    _c("quota_total", "优质高中招生名额总数", Kind.INT, "人"),
    _c("quota_allocated", "分配名额数", Kind.INT, "人"),
    _c("quota_rural", "分配农村学校名额数", Kind.INT, "人"),
    _c("left_behind_care", "留守儿童关爱体系健全", Kind.BOOL),
    _c("migrant_eligible", "符合条件随迁子女数", Kind.INT, "人"),
    _c("migrant_public", "公办学校就读随迁子女数", Kind.INT, "人"),
    _c("migrant_funded", "政府购买服务民办学校就读随迁子女数", Kind.INT, "人"),
    _c("graduates", "初中毕业班学生数", Kind.INT, "人"),
    _c("entrants", "三年前入学学生数", Kind.INT, "人"),
    _c("transfers_in", "三年转入学生数", Kind.INT, "人"),
    _c("transfers_out", "三年转出学生数", Kind.INT, "人"),
    _c("deaths", "三年死亡学生数", Kind.INT, "人"),
    _c("disabled_children", "适龄残疾儿童少年数", Kind.INT, "人"),
    _c("disabled_enrolled", "残疾儿童少年入学数", Kind.INT, "人"),
    _c("charter_it", "章程与信息化", Kind.BOOL),
    _c("it_teaching", "信息化教学应用", Kind.BOOL),
    _c("moral_culture", "德育与校园文化良好", Kind.BOOL),
    _c("curriculum", "课程开齐开足", Kind.BOOL),
    _c("no_overload", "无过重课业负担", Kind.BOOL),
    _c("monitor_level", "质量监测最低等级", Kind.LEVEL, choices=LEVELS, note="Ⅰ–Ⅳ，Ⅳ最高"),
    _c(
        "monitor_diff",
        "质量监测最大校际差异率",
        Kind.NUMBER,
        max_value=1,
        note="0–1之间的小数，如 0.12",
    ),
    _c("survey_total", "问卷总数", Kind.INT, "份"),
    _c("survey_valid", "有效问卷数", Kind.INT, "份"),
    _c("survey_satisfied", "满意问卷数", Kind.INT, "份"),
    _c("visits", "实地走访人数", Kind.INT, "人"),
    _c("visits_satisfied", "走访满意人数", Kind.INT, "人"),
    _c("parent_survey_total", "家长问卷数", Kind.INT, "份", note="问卷总数中家长的问卷"),
    _c("parent_survey_valid", "家长有效问卷数", Kind.INT, "份"),
    _c("parent_survey_satisfied", "家长满意问卷数", Kind.INT, "份"),
    _c("parent_visits", "走访家长人数", Kind.INT, "人"),
    _c("parent_visits_satisfied", "走访家长满意人数", Kind.INT, "人"),
    _c("veto_exam", "考试招生", Kind.BOOL),
    _c("veto_choice", "违规择校", Kind.BOOL),
    _c("veto_key_school", "重点校或重点班", Kind.BOOL),
    _c("veto_unfilled", "有编不补", Kind.BOOL),
    _c("veto_accident", "重大安全责任事故或严重违纪", Kind.BOOL),
    _c("veto_falsified", "弄虚作假", Kind.BOOL),
    _c(
        "veto_tutoring",
        "校外培训治理不力",
        Kind.BOOL,
        note="规范治理校外培训机构及减轻中小学课外负担不力",
    ),
    _c(
        "benchmark_primary",
        "小学生均公用经费基准定额（元）",
        Kind.NUMBER,
        "元",
        note="空白按标准设定",
    ),
    _c(
        "benchmark_junior",
        "初中生均公用经费基准定额（元）",
        Kind.NUMBER,
        "元",
        note="空白按标准设定",
    ),
)

for _col in COUNTY_COLUMNS:
    if _col.kind is Kind.BOOL and not _col.choices:
        object.__setattr__(_col, "choices", YES_NO)

VETO_KEYS: tuple[str, ...] = tuple(c.key for c in COUNTY_COLUMNS if c.key.startswith("veto_"))

CONSISTENCY: tuple[tuple[str, str], ...] = (
    ("p_qualified", "p_teachers"),
    ("p_backbone", "p_teachers"),
    ("p_pe_art", "p_teachers"),
    ("j_qualified", "j_teachers"),
    ("j_backbone", "j_teachers"),
    ("j_pe_art", "j_teachers"),
    ("certified", "teachers"),
    ("trained", "teachers"),
    ("p_oversized", "p_classes"),
    ("j_oversized", "j_classes"),
    ("music_ok", "music_rooms"),
    ("art_ok", "art_rooms"),
    ("indoor_sports", "teach_area"),
)
"""(part, whole): the part may not exceed the whole. ``teachers`` = 小学 + 初中专任教师."""

COUNTY_CONSISTENCY: tuple[tuple[str, str], ...] = (
    ("survey_valid", "survey_total"),
    ("survey_satisfied", "survey_valid"),
    ("visits_satisfied", "visits"),
    ("rotated", "rotation_eligible"),
    ("rotated_backbone", "rotated"),
    ("quota_allocated", "quota_total"),
    ("quota_rural", "quota_allocated"),
    ("disabled_enrolled", "disabled_children"),
    ("parent_survey_total", "survey_total"),
    ("parent_survey_valid", "parent_survey_total"),
    ("parent_survey_valid", "survey_valid"),
    ("parent_survey_satisfied", "parent_survey_valid"),
    ("parent_survey_satisfied", "survey_satisfied"),
    ("parent_visits", "visits"),
    ("parent_visits_satisfied", "parent_visits"),
    ("parent_visits_satisfied", "visits_satisfied"),
)

_SPACES = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff\u00ad]+")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]"})


def normalise_header(text: object) -> str:
    """Header text as compared: no white space, line breaks or invisible characters
    (zero-width spaces, BOM), half-width brackets."""
    return _SPACES.sub("", str(text)).replace("\u3000", "").translate(_BRACKETS)


def school_type_code(text: str) -> str | None:
    """Internal code of a 办学类型 cell, accepting names with or without 学校."""
    t = _SPACES.sub("", text)
    for name, code in SCHOOL_TYPES.items():
        if t in (name, name.removesuffix("学校")):
            return code
    return None


def columns_by_key(columns: tuple[Column, ...]) -> dict[str, Column]:
    return {c.key: c for c in columns}


SCHOOL_BY_KEY = columns_by_key(SCHOOL_COLUMNS)
COUNTY_BY_KEY = columns_by_key(COUNTY_COLUMNS)
