"""The Chinese reasons a county is not recognised, and what each school gap means.

Every figure goes through :mod:`junheng.display`: half-up to the official digits, and where
the printed figure sits on the threshold but the verdict goes the other way, the exact
figure beside it ("差异系数0.500（精确值0.5004），未达到≤0.50的要求").
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..contract import STAGE_NAMES
from ..display import CV_DIGITS, VALUE_DIGITS, fmt, quoted
from ..results import ItemResult, PartResult, ResourceResult, SchoolResult
from ..standard import RESOURCE_KEYS, Standard
from .evaluation import FAILING_SHOWN
from .quality import VETO_TITLES
from .rules import Row, exact_verdicts, num

_SHARED = ("nine_year", "twelve_year", "complete_middle")
_TEACHERS = {
    "qualified_teachers": "名高于规定学历教师",
    "backbone_teachers": "名县级及以上骨干教师",
    "pe_art_teachers": "名体育、艺术专任教师",
}
_FACILITIES = {
    "teaching_area": ("㎡教学及辅助用房", VALUE_DIGITS),
    "sports_area": ("㎡体育运动场馆", VALUE_DIGITS),
    "equipment_value": ("元教学仪器设备", 0),
    "multimedia_rooms": ("间网络多媒体教室", 0),
}


@dataclass(frozen=True, slots=True)
class Reasons:
    reasons: list[str]
    notes: list[str]


def _gap_parts(key: str, stage: str, standard: Standard) -> tuple[str, int, str, str, str]:
    """(what is added, its decimals, the text after the amount, the floor text, the share)."""
    thr = standard.threshold(key, stage)
    floor = thr * float(standard.settings["floor_share"])
    ind = standard.indicator(key)
    what, digits = (_TEACHERS[key], 0) if key in _TEACHERS else _FACILITIES[key]
    after = f"{what}，{STAGE_NAMES[stage]}{ind.title}才达到标准{fmt(thr, VALUE_DIGITS)}{ind.unit}"
    floor_text = fmt(floor, 3)
    floor_text = floor_text[:-1] if floor_text.endswith("0") else floor_text
    share = f"{float(standard.settings['floor_share']) * 100:g}%"
    return what, digits, after, f"{floor_text}{ind.unit}", share


_SHARED_NOTE = "（校舍设备按学段学生数分摊，所列为全校应增加量）"


def gap_meaning(key: str, stage: str, school_type: str, to_standard: float, to_floor: float,
                standard: Standard) -> str:  # fmt: skip
    """What a school gap means, in the words a principal reads: how much to add, and what
    for. Gaps are already rounded up in the engine: adding the amount closes the gap."""
    _, digits, after, floor_text, share = _gap_parts(key, stage, standard)
    whole = "全校" if key in _FACILITIES and school_type in _SHARED else ""
    text = f"{whole}须增加{fmt(to_standard, digits)}{after}"
    if to_floor > 0:
        text += f"；增加{fmt(to_floor, digits)}可达到{floor_text}（标准的{share}）"
    else:
        text += f"；已达到标准的{share}"
    return text + (_SHARED_NOTE if whole else "")


def _fixed(amount: pl.Expr, digits: int) -> pl.Expr:
    """``amount`` (≥ 0, already rounded up to ``digits``) as text with exactly ``digits``
    decimals, as :func:`fmt` prints it."""
    scale = int(10**digits)
    scaled: pl.Expr = (amount * scale).round(0).cast(pl.Int64)
    if digits == 0:
        return scaled.cast(pl.String)
    text: pl.Expr = pl.concat_str(
        (scaled // scale).cast(pl.String),
        pl.lit("."),
        (scaled % scale).cast(pl.String).str.zfill(digits),
    )
    return text


def gap_meaning_expr(key: str, standard: Standard) -> pl.Expr:
    """:func:`gap_meaning` for every row of the long school frame at once (columns ``stage``,
    ``type``, ``gap_<key>``, ``gap85_<key>``), for the JSON written straight from the frames."""
    parts = {stage: _gap_parts(key, stage, standard) for stage in ("primary", "junior")}
    digits = parts["primary"][1]

    def by_stage(i: int) -> pl.Expr:
        return (
            pl.when(pl.col("stage") == "primary")
            .then(pl.lit(parts["primary"][i]))
            .otherwise(pl.lit(parts["junior"][i]))
        )

    shared = pl.col("type").is_in(_SHARED) & pl.lit(key in _FACILITIES)
    gap, gap85 = pl.col(f"gap_{key}"), pl.col(f"gap85_{key}")
    share = parts["primary"][4]
    return pl.concat_str(
        pl.when(shared).then(pl.lit("全校")).otherwise(pl.lit("")),
        pl.lit("须增加"),
        _fixed(gap, digits),
        by_stage(2),
        pl.when(gap85 > 0)
        .then(pl.concat_str(pl.lit("；增加"), _fixed(gap85, digits), pl.lit("可达到"), by_stage(3),
                            pl.lit(f"（标准的{share}）")))
        .otherwise(pl.lit(f"；已达到标准的{share}")),
        pl.when(shared).then(pl.lit(_SHARED_NOTE)).otherwise(pl.lit("")),
    )  # fmt: skip


def _why_school(s: SchoolResult, standard: Standard) -> str:
    """A failing school and what keeps it from passing, e.g.
    某小学（5项达标；未达标：骨干教师、仪器设备，其中低于85%：仪器设备）."""
    short = standard.indicator
    below = "、".join(short(k).short for k in s.below_standard)
    low = "、".join(short(k).short for k in s.below_floor)
    return (
        f"{s.name}（{s.met}项达标；未达标：{below}"
        + (f"，其中低于85%：{low}" if low else "")
        + "）"
    )


def why_school_expr(standard: Standard) -> pl.Expr:
    """:func:`_why_school` for every row of the long school frame at once."""

    def listed(prefix: str) -> pl.Expr:
        return pl.concat_str(
            [pl.when(~pl.col(f"{prefix}_{k}").fill_null(False)).then(pl.lit(standard.indicator(k).short))
             for k in RESOURCE_KEYS],
            separator="、", ignore_nulls=True,
        )  # fmt: skip

    low = listed("floor")
    return pl.concat_str(
        pl.col("name"), pl.lit("（"), pl.col("met").cast(pl.String), pl.lit("项达标；未达标："),
        listed("met"),
        pl.when(low != "").then(pl.concat_str(pl.lit("，其中低于85%："), low)).otherwise(pl.lit("")),
        pl.lit("）"),
    )  # fmt: skip


def resource_reasons(res: ResourceResult, standard: Standard) -> list[str]:
    if res.passed is None:
        return ["资源配置未评估：没有参与资源配置评估的学校数据"]
    out = []
    cv_max = standard.settings["cv_max"]
    judged_exact = exact_verdicts(standard)
    for stage, st in res.stages.items():
        sname = STAGE_NAMES[stage]
        if res.failing_shown is not None:
            n_failing, why = res.failing_shown(stage, FAILING_SHOWN)
        else:
            n_failing, first = res.failing(stage, FAILING_SHOWN)
            why = [_why_school(s, standard) for s in first]
        if n_failing:
            shown = "、".join(why)
            more = f"等{n_failing}所" if n_failing > FAILING_SHOWN else ""
            out.append(
                f"{sname}有{n_failing}所学校资源配置未达到“至少6项达标、其余不低于85%”：{shown}{more}"
            )
        limit = float(cv_max[stage])
        for k in RESOURCE_KEYS:
            if not st.cv_pass[k]:
                title = standard.indicator(k).title
                value = st.cv[k]
                shown = (
                    "无法计算（全县均值为0）"
                    if value is None
                    else quoted(value, "<=", limit, CV_DIGITS, judged_exact=judged_exact)
                )
                out.append(f"{sname}“{title}”校际差异系数{shown}，未达到≤{fmt(limit)}的要求")
    return out


def part_reasons(part: PartResult) -> list[str]:
    out = []
    for it in part.items:
        where = f"{part.title}第{it.no}项“{it.title}”"
        if it.passed is False:
            out.append(f"{where}未达标：{it.detail}")
        elif it.passed is None:
            out.append(f"{where}未评估：{'；'.join(it.missing) or '数据不全'}")
    return out


def eligibility_item(row: Row, standard: Standard) -> ItemResult:
    """申报资格: basic balance recognised long enough before, its monitoring kept good."""
    years = num(standard.settings["basic_balance_years"])
    monitoring = {True: "保持良好", False: "未保持良好", None: "未填报"}[
        row.get("basic_monitoring_good")
    ]
    detail = (
        f"基本均衡认定年份{num(row.get('basic_year'))}年，评估年度{num(row.get('year'))}年"
        f"（须满{years}年）；基本均衡年度监测{monitoring}"
    )
    eligible = row["eligible"]
    missing = []
    if eligible is None:
        if row.get("basic_year") is None or row.get("year") is None:
            missing.append("区县表“基本均衡认定年份”或“评估年度”未填报")
        if row.get("basic_monitoring_good") is None:
            missing.append("区县表“基本均衡监测保持良好”未填报")
    title = f"通过基本均衡认定满{years}年且监测保持良好"
    return ItemResult("eligibility", 1, "basic_balance", title, eligible, detail, missing)


def county_reasons(row: Row, resource: ResourceResult, parts: dict[str, PartResult],
                   eligibility: ItemResult, veto: list[str], unreported: list[str],
                   standard: Standard) -> Reasons:  # fmt: skip
    """Why a county is not recognised (in the order of the form), and notes that decide nothing."""
    reasons = resource_reasons(resource, standard)
    for part in ("guarantee", "quality", "recognition"):
        reasons += part_reasons(parts[part])
    binding = {t.key for t in standard.local_targets if t.binding}
    local = parts["local"]
    reasons += [r for it in local.items if it.key in binding
                for r in part_reasons(PartResult("local", None, [it]))]  # fmt: skip
    reasons += [f"存在一票否决情形：{v}" for v in veto]
    if unreported:
        reasons.append(f"一票否决事项未填报（须逐项填“是”或“否”）：{'、'.join(unreported)}")
    if eligibility.passed is False:
        reasons.append(f"不具备申报资格：{eligibility.detail}")
    elif eligibility.passed is None:
        reasons.append(f"申报资格未审查：{'；'.join(eligibility.missing) or '数据不全'}")
    notes = [f"本地目标（不作认定依据）{it.title}：{it.detail}" for it in local.items
             if it.key not in binding]  # fmt: skip
    warnings = parts["recognition"].figures.get("warnings") or []
    if parts["recognition"].passed is not False:
        notes += [f"社会认可度调查提示：{w}" for w in warnings]
    return Reasons(reasons, notes)


def unreported_vetoes(row: Row) -> list[str]:
    return [title for key, title in VETO_TITLES.items() if row.get(key) is None]
