"""Recognised counties with this year's warnings, from the evaluations in the information base."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from junheng.display import CV_DIGITS, rounded
from junheng.process.monitoring import LEVEL_ORDER, Alert, Level, monitor, worst
from junheng.standard import load_standard
from junheng.web.creation.models import ChainStep, Step
from junheng.web.info.models import County, EvaluationRun
from junheng.web.info.scoping import Actor, scoped


@dataclass(slots=True)
class Watch:
    county: County
    recognised_year: int
    batch: str
    year: int | None
    alerts: list[Alert] = field(default_factory=list)
    trend: dict[str, Any] = field(default_factory=dict)

    @property
    def level(self) -> Level | None:
        return worst(self.alerts)


def _latest_by_year(county: County) -> dict[int, EvaluationRun]:
    out: dict[int, EvaluationRun] = {}
    for run in EvaluationRun.objects.filter(county=county).order_by("created_at", "pk"):
        out[run.year] = run
    return dict(sorted(out.items()))


def _trend(runs: dict[int, EvaluationRun]) -> dict[str, Any]:
    """Largest CV of each stage per year, against the stage limit."""
    if not runs:
        return {}
    limits = load_standard(next(reversed(runs.values())).standard).settings["cv_max"]
    series = []
    for stage, name in (("primary", "小学"), ("junior", "初中")):
        data = []
        for r in runs.values():
            cvs = [
                v
                for v in r.result["resource"]["stages"].get(stage, {}).get("cv", {}).values()
                if v is not None
            ]
            data.append(rounded(max(cvs), CV_DIGITS) if cvs else None)
        series.append({"name": f"{name}最大差异系数", "limit": float(limits[stage]), "data": data})
    return {"years": list(runs), "series": series}


def watch_county(county: County, step: ChainStep) -> Watch:
    runs = _latest_by_year(county)
    w = Watch(county, step.year, step.batch, max(runs) if runs else None, trend=_trend(runs))
    if w.year is None or w.year < step.year:
        return w
    current = runs[w.year]
    at_recognition = runs.get(step.year) or step.run
    previous = runs.get(w.year - 1)
    w.alerts = monitor(current.result, recognised=at_recognition.result,
                       previous=previous.result if previous else None,
                       standard=load_standard(current.standard))  # fmt: skip
    return w


def recognised_counties(user: Actor, counties: QuerySet[County]) -> list[Watch]:
    """Most severe first."""
    mine = scoped(user, counties)
    steps = ChainStep.objects.filter(
        county__in=mine, step=Step.NATIONAL, passed=True
    ).select_related("county__city", "run")
    watches = [watch_county(s.county, s) for s in steps]
    return sorted(watches, key=lambda w: (LEVEL_ORDER[w.level] if w.level else 9, w.county.code))
