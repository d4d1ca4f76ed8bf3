"""The rectification ledger (整改台账): which shortfalls an evaluation shows, and when the
data proves one closed (动态销号).

Items work on a county's result in the JSON form of the data contract (what the web app
stores), so a stored evaluation and a fresh :class:`CountyResult` are read the same way.
Every item has a stable key, so re-generating from a new evaluation never duplicates items:

    school:<code>:<indicator>   a school below the standard on a resource indicator
    cv:<stage>:<indicator>      a stage's 差异系数 above its limit
    item:<key>                  a guarantee, quality, recognition or local-target item
    eligibility:<key>           the eligibility item
    veto:<n>                    the n-th 一票否决 case (1-based, in the data contract's order)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..contract import COUNTY_BY_KEY, VETO_KEYS
from ..display import cv as fmt_cv
from ..display import fmt
from ..results import STAGE_TITLES, CountyResult
from ..standard import PART_TITLES, Standard, load_standard

County = Mapping[str, Any]
VETO_TITLES: tuple[str, ...] = tuple(COUNTY_BY_KEY[k].header for k in VETO_KEYS)
ITEM_PARTS = ("guarantee", "quality", "recognition", "local")
DRIVERS_SHOWN = 3


class Status(StrEnum):
    PENDING = "待整改"
    DOING = "整改中"
    REPORTED = "已报完成"
    CLOSED = "已销号"


@dataclass(frozen=True, slots=True)
class Shortfall:
    """One ledger item as the evaluation states it."""

    key: str
    kind: str
    title: str
    detail: str
    gap: str = ""
    evidence_only: bool = False
    """Judged on a yes/no the county reports: the city may accept it on evidence."""


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """What a new evaluation changes in a ledger."""

    new: list[Shortfall] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    reopened: list[str] = field(default_factory=list)


def _as_dict(county: County | CountyResult) -> County:
    return county.to_dict() if isinstance(county, CountyResult) else county


def _gap_text(gap: Mapping[str, Any]) -> str:
    unit = str(gap.get("unit", ""))
    digits = 2 if unit == "㎡" else 0
    return f"距标准差 {fmt(float(gap['to_standard']), digits)} {unit}"


def _school_items(county: County, std: Standard) -> list[Shortfall]:
    """One item per school and indicator: a school of several stages (九年一贯制…) short in
    more than one has them named in one item, its key staying unique."""
    found: dict[str, list[tuple[str, str, str, str]]] = {}  # key → (name, stage, detail, gap)
    titles: dict[str, str] = {}
    for s in county["resource"]["schools"]:
        if s["pass"]:
            continue  # a school meeting 6 of 7 with the rest above 85% is no shortfall
        gaps = {g["indicator"]: g for g in s.get("gaps", [])}
        for ind_key in s["below_standard"]:
            ind = std.indicator(ind_key)
            limit = std.threshold(ind_key, s["stage"])
            value = s["values"].get(ind_key)
            key = f"school:{s['code']}:{ind_key}"
            titles[key] = ind.title
            found.setdefault(key, []).append((
                s["name"], STAGE_TITLES.get(s["stage"], s["stage"]),
                f"现为 {fmt(value)}{ind.unit}，标准 {fmt(limit)}{ind.unit}",
                _gap_text(gaps[ind_key]) if ind_key in gaps else "",
            ))  # fmt: skip
    out: list[Shortfall] = []
    for key, stages in found.items():
        several = len(stages) > 1
        out.append(
            Shortfall(
                key=key,
                kind="school",
                title=f"{stages[0][0]}（{'、'.join(st for _, st, _, _ in stages)}）“{titles[key]}”未达到标准",
                detail="；".join(f"{st}：{d}" if several else d for _, st, d, _ in stages),
                gap="；".join(f"{st}{g}" if several else g for _, st, _, g in stages if g),
            )
        )
    return out


def _cv_items(county: County, std: Standard) -> list[Shortfall]:
    out: list[Shortfall] = []
    limits = std.settings["cv_max"]
    for stage, st in county["resource"]["stages"].items():
        for ind_key, ok in st["cv_pass"].items():
            if ok is not False:
                continue
            drivers = st.get("cv_drivers", {}).get(ind_key, [])[:DRIVERS_SHOWN]
            named = "、".join(
                f"{d['name']}（{fmt(d['value'])}，占加权方差 {fmt(d['share'] * 100, 1)}%）"
                for d in drivers
            )
            out.append(
                Shortfall(
                    key=f"cv:{stage}:{ind_key}",
                    kind="cv",
                    title=(
                        f"{STAGE_TITLES.get(stage, stage)}“{std.indicator(ind_key).title}”"
                        f"校际差异系数未达到≤{fmt(float(limits[stage]))}的要求"
                    ),
                    detail=f"差异系数 {fmt_cv(st['cv'][ind_key])}"
                    + (f"；主要拉高的学校：{named}" if named else ""),
                )
            )
    return out


def _evidence_keys(std: Standard) -> set[str]:
    return {i.key for i in std.indicators if i.evidence}


def _part_items(county: County, std: Standard) -> list[Shortfall]:
    out: list[Shortfall] = []
    evidence = _evidence_keys(std)
    for part in ITEM_PARTS:
        for it in county[part]["items"]:
            if it["pass"] is not False:
                continue
            title = PART_TITLES.get(part, "本地目标")
            out.append(
                Shortfall(
                    key=f"item:{it['key']}",
                    kind="item",
                    title=f"{title}第{it['no']}项“{it['title']}”未达标",
                    detail=str(it["detail"]),
                    evidence_only=it["key"] in evidence,
                )
            )
    return out


def shortfalls(
    evaluation: County | CountyResult, standard: Standard | None = None
) -> list[Shortfall]:
    """Every shortfall of one county's evaluation, in ledger order."""
    county = _as_dict(evaluation)
    std = standard or load_standard()
    out = _school_items(county, std) + _cv_items(county, std) + _part_items(county, std)
    elig = county["eligibility"]
    if elig["pass"] is False:
        out.append(
            Shortfall(f"eligibility:{elig['key']}", "eligibility",
                      f"申报资格“{elig['title']}”不符合", str(elig["detail"]))
        )  # fmt: skip
    for title in county["vetoes"]:
        n = VETO_TITLES.index(title) + 1 if title in VETO_TITLES else 0
        out.append(Shortfall(f"veto:{n}", "veto", f"存在一票否决情形：{title}", ""))
    return out


def _school_met(county: County, code: str, ind_key: str) -> bool | None:
    # a school of several stages is assessed once per stage: met only when met in each
    stages = [s for s in county["resource"]["schools"] if s["code"] == code]
    if not stages:
        return None  # the school is not assessed in this evaluation: nothing is proved
    return all(bool(s["pass"]) or ind_key not in s["below_standard"] for s in stages)


def is_met(key: str, evaluation: County | CountyResult) -> bool | None:
    """Whether *evaluation* shows the shortfall *key* met; None where it does not say."""
    county = _as_dict(evaluation)
    kind, _, rest = key.partition(":")
    if kind == "school":
        code, _, ind_key = rest.partition(":")
        return _school_met(county, code, ind_key)
    if kind == "cv":
        stage, _, ind_key = rest.partition(":")
        ok = county["resource"]["stages"].get(stage, {}).get("cv_pass", {}).get(ind_key)
        return None if ok is None else bool(ok)
    if kind == "item":
        for part in ITEM_PARTS:
            for it in county[part]["items"]:
                if it["key"] == rest:
                    return None if it["pass"] is None else bool(it["pass"])
        return None
    if kind == "eligibility":
        elig = county["eligibility"]
        if elig["key"] != rest or elig["pass"] is None:
            return None
        return bool(elig["pass"])
    if kind == "veto":
        n = int(rest) if rest.isdigit() else 0
        if not 1 <= n <= len(VETO_TITLES):
            return None
        title = VETO_TITLES[n - 1]
        if title in county["vetoes"]:
            return False
        return None if title in county.get("vetoes_unreported", []) else True
    return None


def reconcile(
    open_items: Mapping[str, Status | str], new_evaluation: County | CountyResult,
    standard: Standard | None = None,
) -> Reconciliation:  # fmt: skip
    """What *new_evaluation* does to a ledger holding *open_items* (key → status).

    An item closes only when the data proves it met; a closed item the data shows failing
    again reopens; shortfalls not yet in the ledger are new. Items the evaluation says
    nothing about stay as they are.
    """
    county = _as_dict(new_evaluation)
    closed: list[str] = []
    reopened: list[str] = []
    for key, status in open_items.items():
        met = is_met(key, county)
        if met is True and Status(status) != Status.CLOSED:
            closed.append(key)
        elif met is False and Status(status) == Status.CLOSED:
            reopened.append(key)
    new = [s for s in shortfalls(county, standard) if s.key not in open_items]
    return Reconciliation(new=new, closed=closed, reopened=reopened)


def close_refusal(
    key: str, evaluation: County | CountyResult | None, *, status: Status | str,
    evidence_only: bool = False, accepting: bool = False,
) -> str | None:  # fmt: skip
    """Why the item may not be closed by hand now (None: it may).

    The data decides: an item is closed when the latest evaluation shows it met. Only an
    item judged on reported evidence may be closed without that, by the city *accepting* the
    county's 已报完成 with its evidence.
    """
    if Status(status) == Status.CLOSED:
        return "该项已销号"
    met = is_met(key, evaluation) if evaluation is not None else None
    if met is True:
        return None
    if evidence_only:
        if not accepting:
            return "此项凭佐证材料认定：请上报完成并附佐证材料，由地市复核确认销号"
        if Status(status) != Status.REPORTED:
            return "区县尚未上报完成，不能确认销号"
        return None
    if met is False:
        return "最新评估数据显示该项仍未达标，不能销号；数据达标后将自动销号"
    return "最新评估未涉及该项，须以新的评估数据证明达标后销号"


def can_close(
    key: str, evaluation: County | CountyResult | None, *, status: Status | str,
    evidence_only: bool = False, accepting: bool = False,
) -> bool:  # fmt: skip
    return (
        close_refusal(
            key, evaluation, status=status, evidence_only=evidence_only, accepting=accepting
        )
        is None
    )


def keys(items: Iterable[Shortfall]) -> list[str]:
    return [s.key for s in items]
