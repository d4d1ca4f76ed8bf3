"""Turning the engine's frames into typed, per-county results with Chinese reasons."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import polars as pl

from ..contract import SCHOOL_TYPES
from ..results import (
    CountyResult,
    Driver,
    Evaluation,
    Gap,
    ItemResult,
    PartResult,
    ResourceResult,
    SchoolResult,
    StageResult,
)
from ..standard import RESOURCE_KEYS, Standard
from .frames import Frames, item_column, rules_by_part
from .quality import recognition_figures, vetoes
from .reasons import county_reasons, eligibility_item, gap_meaning, unreported_vetoes
from .rules import Row, Rule, is_missing, label

_TYPE_TITLES = {code: name for name, code in SCHOOL_TYPES.items()}


def _group(frame: pl.DataFrame, key: str = "county_code") -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in frame.to_dicts():
        out[row[key]].append(row)
    return out


def _school(row: Row, standard: Standard) -> SchoolResult:
    gaps = [
        Gap(k, standard.indicator(k).gap_unit, row[f"gap_{k}"], row[f"gap85_{k}"],
            gap_meaning(k, row["stage"], row["type"], row[f"gap_{k}"], row[f"gap85_{k}"], standard))
        for k in RESOURCE_KEYS
        if not row[f"met_{k}"]
    ]  # fmt: skip
    return SchoolResult(
        code=row["code"],
        name=row["name"],
        stage=row["stage"],
        type=row["type"],
        sponsor=row["sponsor"],
        students=row["students"],
        classes=row["classes"],
        values={k: row[k] for k in RESOURCE_KEYS},
        met=row["met"],
        passed=bool(row["passed"]),
        below_standard=[k for k in RESOURCE_KEYS if not row[f"met_{k}"]],
        below_floor=[k for k in RESOURCE_KEYS if not row[f"floor_{k}"]],
        gaps=gaps,
    )


def _stage(row: Row, drivers: list[dict[str, Any]]) -> StageResult:
    by_ind: dict[str, list[Driver]] = defaultdict(list)
    for d in drivers:
        if d["stage"] == row["stage"] and not row[f"cv_pass_{d['indicator']}"]:
            by_ind[d["indicator"]].append(
                Driver(d["code"], d["name"], d["students"], d["value"], d["contribution"])
            )
    return StageResult(
        stage=row["stage"],
        schools=row["schools"],
        schools_passing=row["schools_passing"],
        students=row["students"],
        mean={k: row[f"mean_{k}"] for k in RESOURCE_KEYS},
        cv={k: row[f"cv_{k}"] for k in RESOURCE_KEYS},
        cv_pass={k: bool(row[f"cv_pass_{k}"]) for k in RESOURCE_KEYS},
        schools_meeting={k: row[f"met_count_{k}"] for k in RESOURCE_KEYS},
        drivers=dict(by_ind),
    )


def _items(part: str, rules: tuple[Rule, ...], row: Row, standard: Standard) -> list[ItemResult]:
    items = []
    for i, rule in enumerate(rules, start=1):
        if part == "local":
            target = next(t for t in standard.local_targets if t.key == rule.key)
            no, title = i, target.title
            labels = {f"local_{t.key}": f"区县表“{t.column}”未填报" for t in standard.local_targets}
        else:
            ind = standard.indicator(rule.key)
            no, title, labels = ind.no, ind.title, {}
        verdict = row[item_column(part, rule.key)]
        missing = []
        if verdict is None:
            missing = [labels.get(n, label(n)) for n in rule.needs if is_missing(n, row.get(n))]
        items.append(
            ItemResult(part, no, rule.key, title, verdict, rule.detail(row, standard), missing)
        )
    return items


def _county(row: Row, fr: Frames, long: list[dict[str, Any]], stages: list[dict[str, Any]],
            drivers: list[dict[str, Any]], checks: list[dict[str, Any]],
            excluded: list[dict[str, Any]], parts: dict[str, tuple[Rule, ...]]) -> CountyResult:  # fmt: skip
    std = fr.standard
    res_pass = row["resource_pass"]
    resource = ResourceResult(
        passed=None if res_pass is None else bool(res_pass),
        stages={s["stage"]: _stage(s, drivers) for s in stages},
        schools=[_school(s, std) for s in long],
        excluded=[
            {
                "code": e["code"],
                "name": e["name"],
                "type": _TYPE_TITLES[e["type"]],
                "reason": e["reason"],
            }
            for e in excluded
        ],
    )
    built = {
        p: PartResult(p, row[f"{p}_pass"], _items(p, rules, row, std)) for p, rules in parts.items()
    }
    rec = built["recognition"]
    rec.figures.update(recognition_figures(row, std))
    eligibility = eligibility_item(row, std)
    veto = vetoes(row)
    unreported = unreported_vetoes(row)
    why = county_reasons(row, resource, built, eligibility, veto, unreported, std)
    return CountyResult(
        code=row["county_code"], name=row["county_name"], city=row.get("city"),
        province=row.get("province"), year=row.get("year"), recognised=bool(row["recognised"]),
        reasons=why.reasons, notes=why.notes, resource=resource, guarantee=built["guarantee"],
        quality=built["quality"], recognition=rec, local=built["local"], eligibility=eligibility,
        vetoes=veto, vetoes_unreported=unreported, school_checks=checks,
    )  # fmt: skip


_CHECK_COLS = ("county_code", "code", "name", "type", "compulsory", "classes_total", "rooms_needed",
               "music_ok", "art_ok", "music_short", "art_short", "oversize", "public_funds",
               "training_funds", "training_short")  # fmt: skip


def build_evaluation(fr: Frames, source: str = "") -> Evaluation:
    long = _group(fr.school_stages.sort("county_code", pl.col("stage") == "junior", "code"))
    stages = _group(fr.county_stages.sort("county_code", pl.col("stage") == "junior"))
    drivers = _group(fr.drivers)
    flagged = fr.school_checks.filter(
        pl.col("room_fail").fill_null(False)
        | pl.col("oversize")
        | pl.col("training_fail").fill_null(False)
    ).select(_CHECK_COLS)
    checks = _group(flagged)
    excluded = _group(fr.excluded)
    parts = rules_by_part(fr.standard)
    counties = [
        _county(row, fr, long.get(code, []), stages.get(code, []), drivers.get(code, []),
                checks.get(code, []), excluded.get(code, []), parts)
        for row in fr.counties.sort("county_code").to_dicts()
        for code in [row["county_code"]]
    ]  # fmt: skip
    return Evaluation(fr.standard, counties, source)
