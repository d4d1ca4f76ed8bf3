"""Annual consolidation monitoring (年度巩固监测) of recognised counties.

Each year's evaluation is compared with the standard and with the year of recognition and
the year before. The margins and the level of each kind of warning are settings of the
standard (``[settings.monitoring]``); the defaults below apply where a standard has none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from ..display import cv as fmt_cv
from ..display import fmt
from ..results import STAGE_TITLES, CountyResult
from ..standard import PART_TITLES, Standard, load_standard
from .ledger import ITEM_PARTS

County = Mapping[str, Any]
TOLERANCE = 1e-9  # CVs are compared as the engine compares them: at the limit passes


class Level(StrEnum):
    NOTICE = "提示"
    WARNING = "预警"
    SEVERE = "严重"


LEVEL_ORDER = {Level.SEVERE: 0, Level.WARNING: 1, Level.NOTICE: 2}

DEFAULTS: dict[str, Any] = {
    "cv_margin": 0.05,  # a CV within this of its limit is close to failing
    "cv_rise": 0.02,  # a CV up this much on the year before is worth a look
    "levels": {
        "cv_over": "严重",
        "cv_near": "预警",
        "cv_rise": "提示",
        "item_failed": "严重",
        "school_below": "预警",
        "recognised_lost": "严重",
    },
}


@dataclass(frozen=True, slots=True)
class Alert:
    level: Level
    key: str
    title: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def settings_of(standard: Standard) -> dict[str, Any]:
    own = standard.settings.get("monitoring", {})
    levels = {**DEFAULTS["levels"], **own.get("levels", {})}
    return {**DEFAULTS, **own, "levels": {k: Level(v) for k, v in levels.items()}}


def _as_dict(c: County | CountyResult) -> County:
    return c.to_dict() if isinstance(c, CountyResult) else c


def _cv_alerts(
    cur: County, prev: County | None, std: Standard, conf: dict[str, Any]
) -> list[Alert]:
    out: list[Alert] = []
    limits = std.settings["cv_max"]
    lv = conf["levels"]
    for stage, st in cur["resource"]["stages"].items():
        if stage not in limits:
            continue
        limit = float(limits[stage])
        for ind_key, value in st["cv"].items():
            if value is None:
                continue
            name = f"{STAGE_TITLES.get(stage, stage)}“{std.indicator(ind_key).title}”差异系数"
            key = f"cv:{stage}:{ind_key}"
            text = f"{fmt_cv(value)}（上限 {fmt(limit)}）"
            if value > limit + TOLERANCE:
                out.append(Alert(lv["cv_over"], key, f"{name}超过上限", text))
            elif value >= limit - conf["cv_margin"] - TOLERANCE:
                out.append(Alert(lv["cv_near"], key, f"{name}接近上限", text))
            before = (prev or {}).get("resource", {}).get("stages", {}).get(stage, {})
            old = before.get("cv", {}).get(ind_key)
            if old is not None and value - old >= conf["cv_rise"] - TOLERANCE:
                out.append(Alert(lv["cv_rise"], key, f"{name}较上年上升",
                                 f"由 {fmt_cv(old)} 升至 {fmt_cv(value)}"))  # fmt: skip
    return out


def _item_alerts(cur: County, refs: list[County], conf: dict[str, Any]) -> list[Alert]:
    out: list[Alert] = []
    for part in ITEM_PARTS:
        for it in cur[part]["items"]:
            if it["pass"] is not False:
                continue
            was_met = any(
                o["pass"] is True for r in refs for o in r[part]["items"] if o["key"] == it["key"]
            )
            title = f"{PART_TITLES.get(part, '本地目标')}第{it['no']}项未达标"
            note = "（认定时或上年达标）" if was_met else ""
            out.append(Alert(conf["levels"]["item_failed"], f"item:{it['key']}", title,
                             f"“{it['title']}”{note}：{it['detail']}"))  # fmt: skip
    return out


def _school_alerts(cur: County, conf: dict[str, Any]) -> list[Alert]:
    failing = [s for s in cur["resource"]["schools"] if not s["pass"]]
    if not failing:
        return []
    names = "、".join(s["name"] for s in failing[:5]) + ("等" if len(failing) > 5 else "")
    return [Alert(conf["levels"]["school_below"], "schools",
                  f"{len(failing)}所学校资源配置未达标", names)]  # fmt: skip


def monitor(
    current: County | CountyResult,
    *,
    recognised: County | CountyResult | None = None,
    previous: County | CountyResult | None = None,
    standard: Standard | None = None,
) -> list[Alert]:
    """Warnings for a recognised county's *current* evaluation, most severe first."""
    std = standard or load_standard()
    conf = settings_of(std)
    cur = _as_dict(current)
    prev = _as_dict(previous) if previous is not None else None
    refs = [_as_dict(r) for r in (recognised, previous) if r is not None]
    alerts: list[Alert] = []
    if not cur["recognised"]:
        alerts.append(Alert(conf["levels"]["recognised_lost"], "recognised",
                            "本年度评估未达到优质均衡", "；".join(cur.get("reasons", [])[:3])))  # fmt: skip
    alerts += _cv_alerts(cur, prev, std, conf)
    alerts += _item_alerts(cur, refs, conf)
    alerts += _school_alerts(cur, conf)
    return sorted(alerts, key=lambda a: LEVEL_ORDER[a.level])


def worst(alerts: list[Alert]) -> Level | None:
    return min((a.level for a in alerts), key=lambda lv: LEVEL_ORDER[lv], default=None)
