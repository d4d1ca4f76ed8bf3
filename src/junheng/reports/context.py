"""The self-evaluation report's data: every figure already printed through :mod:`junheng.display`.

The Word template only places these strings; it computes and rounds nothing, so a county can
reword the template freely without touching a number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .. import display
from ..results import STAGE_TITLES, CountyResult, Evaluation, ItemResult, PartResult
from ..standard import RESOURCE_KEYS, Standard
from .basic import TYPE_COUNTS, BasicFacts
from .schools import school_rows
from .sheets import STAGES, _resource_gaps, floor_pct, ordered

STATUS = {True: "达标", False: "未达标", None: "未评估"}
_TYPE_TITLES = {
    "primary": "小学（所）",
    "nine_year": "九年一贯制学校（所）",
    "junior": "初中（所）",
    "complete_middle": "完全中学（所）",
    "twelve_year": "十二年一贯制学校（所）",
    "special": "特殊教育学校（所）",
}


@dataclass(frozen=True, slots=True)
class LedgerItem:
    """An open 整改 item of the county's rectification ledger."""

    title: str
    owner: str = ""
    due: str = ""
    status: str = "未完成"


@dataclass(frozen=True, slots=True)
class ReportInput:
    """What a county report is made from besides the evaluation itself."""

    basic: BasicFacts | None = None
    ledger: list[LedgerItem] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    date: dt.date | None = None
    history: dict[int, dict[str, float | None]] = field(default_factory=dict)
    """Year → stage → the largest CV that year, for the year-over-year chart."""
    year: int | None = None
    """The year reported on where the data states none (``--year`` on a workbook without it)."""


def _int(value: int | None) -> str:
    return display.DASH if value is None else str(value)


def _basic_rows(b: BasicFacts | None) -> list[dict[str, str]]:
    if b is None:
        return []
    rows = [
        {"label": _TYPE_TITLES[t], "whole": _int(b.whole.schools[t]),
         "rural": _int(b.rural.schools[t])}
        for t in TYPE_COUNTS
    ]  # fmt: skip
    rows.append({"label": "小学教学点（个）", "whole": _int(b.whole.teaching_points),
                 "rural": _int(b.rural.teaching_points)})  # fmt: skip
    rows.append({"label": "其中：50人及以上教学点（个）", "whole": _int(b.whole.teaching_points_large),
                 "rural": _int(b.rural.teaching_points_large)})  # fmt: skip
    for key, label in (
        ("p_classes", "小学教学班数（个）"), ("j_classes", "初中教学班数（个）"),
        ("p_students", "小学在校学生数（人）"), ("j_students", "初中在校学生数（人）"),
        ("p_teachers", "小学专任教师数（人）"), ("j_teachers", "初中专任教师数（人）"),
    ):  # fmt: skip
        rows.append({"label": label, "whole": _int(b.whole.totals[key]),
                     "rural": _int(b.rural.totals[key])})  # fmt: skip
    return rows


def _basic_text(c: CountyResult, b: BasicFacts | None) -> str:
    if b is None:
        return f"{c.name}基本情况未随评估数据提供。"
    pop = f"常住人口{display.fmt(b.population)}万人，" if b.population is not None else ""
    w = b.whole
    return (
        f"{c.name}{pop}共有义务教育学校{w.school_total}所、小学教学点{w.teaching_points}个"
        f"（其中乡村学校{b.rural.school_total}所、乡村教学点{b.rural.teaching_points}个）；"
        f"小学在校生{w.totals['p_students']}人、初中在校生{w.totals['j_students']}人；"
        f"小学专任教师{w.totals['p_teachers']}人、初中专任教师{w.totals['j_teachers']}人。"
    )


def _stage_tables(
    c: CountyResult, std: Standard
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """表Ⅱ-1 (schools meeting each indicator) and 表Ⅲ (means and CVs), one row per indicator."""
    t21: list[dict[str, str]] = []
    t3: list[dict[str, str]] = []
    for k in RESOURCE_KEYS:
        ind = std.indicator(k)
        r21 = {"indicator": ind.title}
        r3 = {"indicator": ind.title}
        for stage in STAGES:
            p = stage[0]
            s = c.resource.stages.get(stage)
            if s is None:
                r21 |= {f"{p}_met": display.DASH, f"{p}_pct": display.DASH}
                r3 |= {f"{p}_mean": display.DASH, f"{p}_cv": display.DASH, f"{p}_ok": display.DASH}
                continue
            met = s.schools_meeting[k]
            r21 |= {f"{p}_met": str(met), f"{p}_pct": display.percent(met / s.schools)}
            cv = s.cv[k]
            r3 |= {f"{p}_mean": display.fmt(s.mean[k]),
                   f"{p}_cv": display.cv(cv) if cv is not None else "无法计算",
                   f"{p}_ok": STATUS[s.cv_pass[k]]}  # fmt: skip
        t21.append(r21)
        t3.append(r3)
    total = {"indicator": "综合评估（达标学校）"}
    for stage in STAGES:
        p = stage[0]
        s = c.resource.stages.get(stage)
        total[f"{p}_met"] = str(s.schools_passing) if s else display.DASH
        total[f"{p}_pct"] = display.percent(s.schools_passing / s.schools) if s else display.DASH
    t21.append(total)
    return t21, t3


def _failing(c: CountyResult, std: Standard) -> list[dict[str, str]]:
    rows = []
    for s in ordered(c.resource.schools):
        if s.passed or not s.gaps:
            continue
        gaps = []
        for g in _resource_gaps(s, std):
            places = 2 if g.fmts[2] == "0.00" else 0
            gaps.append(f"{g.indicator}现值{display.fmt(g.value)}，标准{display.fmt(g.target)}，"
                        f"达到标准须增加{display.fmt(g.gap, places)}{g.unit}（{g.note}）")  # fmt: skip
        rows.append({"name": s.name, "stage": STAGE_TITLES[s.stage],
                     "met": f"{s.met}项", "gaps": "；".join(gaps)})  # fmt: skip
    return rows


def _items(part: PartResult) -> list[dict[str, str]]:
    return [{"no": str(i.no), "title": i.title, "detail": i.detail, "verdict": i.status}
            for i in sorted(part.items, key=lambda i: i.no)]  # fmt: skip


def _recognition(c: CountyResult) -> tuple[list[dict[str, str]], list[str]]:
    f = c.recognition.figures
    rows = [
        {"label": "问卷总数（份）", "value": _int(f.get("survey_total"))},
        {"label": "回收有效问卷数（份）", "value": _int(f.get("survey_valid"))},
        {"label": "其中：满意问卷数（份）", "value": _int(f.get("survey_satisfied"))},
        {"label": "问卷调查综合满意度", "value": display.percent(f.get("questionnaire_rate"))},
        {"label": "实地走访人数（人）", "value": _int(f.get("visits"))},
        {"label": "其中：满意人数（人）", "value": _int(f.get("visits_satisfied"))},
        {"label": "实地走访满意度", "value": display.percent(f.get("visit_rate"))},
    ]
    warnings = []
    needed, valid = f.get("sample_needed"), f.get("survey_valid")
    if needed is not None and valid is not None and valid < needed:
        warnings.append(
            f"有效问卷{valid}份，少于按常住人口应抽取的{display.fmt(needed, 0)}份，样本量不足。"
        )
    for it in c.recognition.items:
        if it.missing:
            warnings.append(f"{it.title}：缺少{'、'.join(it.missing)}，未评估。")
    return rows, warnings


def _eligibility(e: ItemResult, c: CountyResult) -> dict[str, str]:
    if c.vetoes:
        veto = "存在一票否决情形：" + "、".join(c.vetoes) + "。"
    elif c.vetoes_unreported:
        veto = "一票否决事项未填报：" + "、".join(c.vetoes_unreported) + "。"
    else:
        veto = "无一票否决情形。"
    return {"title": e.title, "detail": e.detail, "verdict": e.status, "veto": veto}


def report_context(
    ev: Evaluation, c: CountyResult, extra: ReportInput | None = None
) -> dict[str, Any]:
    """Everything the 自评报告 template shows for county *c*, as printed strings and lists."""
    extra = extra or ReportInput()
    std = ev.standard
    t21, t3 = _stage_tables(c, std)
    rec_rows, rec_warnings = _recognition(c)
    date = extra.date or dt.date.today()
    cv_max = std.settings["cv_max"]
    sources = extra.sources or ([ev.source] if ev.source else [])
    return {
        "county": c.name,
        "code": c.code,
        "city": c.city or "",
        "province": c.province or "",
        "year": str(c.year or extra.year or "____"),  # a blank to fill in by hand
        "date": f"{date.year}年{date.month}月{date.day}日",
        "standard": std.title,
        "standard_version": std.version,
        "recognised": c.recognised,
        "verdict": "达到县域义务教育优质均衡发展标准"
        if c.recognised
        else "未达到县域义务教育优质均衡发展标准",
        "basic_text": _basic_text(c, extra.basic),
        "basic_rows": _basic_rows(extra.basic),
        "resource_verdict": STATUS[c.resource.passed],
        "cv_limits": f"小学不大于{display.fmt(float(cv_max['primary']))}、初中不大于"
        f"{display.fmt(float(cv_max['junior']))}",
        "school_rule": f"至少{std.settings['school_min_met']}项指标达到标准、其余不低于标准的{floor_pct(std)}",
        "t21": t21,
        "t3": t3,
        "failing": _failing(c, std),
        "t22": school_rows(c.resource.schools, std),
        "floor": floor_pct(std),
        "excluded": "、".join(str(x.get("name", "")) for x in c.resource.excluded),
        "guarantee_verdict": STATUS[c.guarantee.passed],
        "guarantee": _items(c.guarantee),
        "quality_verdict": STATUS[c.quality.passed],
        "quality": _items(c.quality),
        "recognition_verdict": STATUS[c.recognition.passed],
        "recognition": rec_rows,
        "recognition_warnings": rec_warnings,
        "eligibility": _eligibility(c.eligibility, c),
        "reasons": list(c.reasons),
        "notes": list(c.notes),
        "ledger": [
            {"title": i.title, "owner": i.owner, "due": i.due, "status": i.status}
            for i in extra.ledger
        ],
        "sources": [
            *sources,
            f"评估标准：{std.title}（{std.id}，{std.version}）",
            "评估软件：均衡 junheng（差异系数按学生数加权计算）",
        ],
    }


__all__ = ["STATUS", "LedgerItem", "ReportInput", "report_context"]
