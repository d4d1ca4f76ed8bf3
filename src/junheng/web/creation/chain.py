"""The review chain: 县级自评 → 市级复核 → 省级评估 → 国家认定.

Each step records who, when, the opinion and the exact evaluation it judged, with that
evaluation's result and the data behind it copied into a snapshot that nothing changes
afterwards. Only the city reviews, only the province recommends and records recognition.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from junheng.process.plan import PlanError, check_year
from junheng.web.info.models import County, CountyRecord, EvaluationRun, SchoolRecord
from junheng.web.info.scoping import Actor, scope_of, scoped
from junheng.web.info.services.errors import NotAllowed, ServiceError, WorkflowError, signed_in
from junheng.web.info.services.records import COUNTY_KEYS, SCHOOL_KEYS
from junheng.web.ledger.models import LedgerItem

from .models import STEP_ORDER, ChainStep, Step

NEXT_AFTER: dict[str | None, Step] = {
    None: Step.SELF, Step.SELF: Step.CITY, Step.CITY: Step.PROVINCE, Step.PROVINCE: Step.NATIONAL,
}  # fmt: skip


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, (bool, int, float, str)) else str(value)


def snapshot(run: EvaluationRun) -> dict[str, Any]:
    """The evaluation's result and the records it was computed from, as they are now."""
    schools = [
        {"code": r.school.code, "name": r.school.name, **{k: _plain(getattr(r, k)) for k in SCHOOL_KEYS}}
        for r in SchoolRecord.objects.filter(school__county_id=run.county_id, year=run.year)
        .select_related("school").order_by("school__code")
    ]  # fmt: skip
    county = CountyRecord.objects.filter(county_id=run.county_id, year=run.year).first()
    return {
        "run": run.pk, "year": run.year, "standard": run.standard, "locked": run.locked,
        "evaluated_at": run.created_at.isoformat(), "frozen_at": timezone.now().isoformat(),
        "result": run.result, "schools": schools,
        "county": {k: _plain(getattr(county, k)) for k in COUNTY_KEYS} if county else None,
    }  # fmt: skip


def steps_of(county: County) -> list[ChainStep]:
    return list(ChainStep.objects.filter(county=county).select_related("actor", "run"))


def current(county: County) -> ChainStep | None:
    """The last step taken; a return sends the county back to self-evaluation."""
    steps = steps_of(county)
    return steps[-1] if steps else None


def next_step(county: County) -> Step:
    last = current(county)
    if last is None or not last.passed:
        return Step.SELF
    return NEXT_AFTER.get(Step(last.step), Step.NATIONAL)


def _check(user: Actor, county: County, action: str, step: Step) -> None:
    if not (
        scope_of(user).may(action) and scoped(user, County.objects.filter(pk=county.pk)).exists()
    ):
        raise NotAllowed(f"无权进行{step.label}")
    expected = next_step(county)
    last = current(county)
    if last is not None and last.step == Step.NATIONAL and last.passed:
        raise WorkflowError(f"{county.name}已通过国家认定")
    if expected != step:
        raise WorkflowError(f"{county.name}当前应进行“{expected.label}”，不能进行“{step.label}”")


def _record(user: Actor, county: County, step: Step, run: EvaluationRun, passed: bool,
            opinion: str, year: int, batch: str = "") -> ChainStep:  # fmt: skip
    return ChainStep.objects.create(
        county=county, step=step, passed=passed, opinion=opinion.strip()[:4000], year=year,
        batch=batch.strip()[:40], run=run, snapshot=snapshot(run), actor=signed_in(user),
    )  # fmt: skip


def self_evaluate(user: Actor, county: County, run: EvaluationRun, opinion: str = "") -> ChainStep:
    """The county submits a locked evaluation as its 县级自评."""
    _check(user, county, "evaluate", Step.SELF)
    if run.county_id != county.pk or not run.locked:
        raise WorkflowError("县级自评须以本县已锁定数据的评估为依据，请先“评估并锁定”")
    return _record(user, county, Step.SELF, run, True, opinion, run.year)


def _judged(county: County) -> EvaluationRun:
    last = current(county)
    assert last is not None  # _check guarantees a previous step
    return last.run


def city_review(user: Actor, county: County, *, passed: bool, opinion: str) -> ChainStep:
    """Pass to the province, or return with reasons; each reason becomes a ledger item."""
    _check(user, county, "city_review", Step.CITY)
    reasons = [line.strip() for line in opinion.splitlines() if line.strip()]
    if not passed and not reasons:
        raise WorkflowError("退回时必须写明退回原因（每行一条，将列入整改台账）")
    run = _judged(county)
    with transaction.atomic():
        step = _record(user, county, Step.CITY, run, passed, opinion, run.year)
        if not passed:
            for n, reason in enumerate(reasons, start=1):
                LedgerItem.objects.create(
                    county=county, key=f"review:{step.pk}:{n}", kind="review",
                    title=f"市级复核退回：{reason}"[:400], detail=f"{timezone.localdate():%Y-%m-%d} 市级复核意见",
                    evidence_only=True, source_run=run,
                )  # fmt: skip
    return step


def province_evaluate(user: Actor, county: County, *, recommended: bool, opinion: str,
                      year: int) -> ChainStep:  # fmt: skip
    _check(user, county, "targets", Step.PROVINCE)
    try:
        check_year(year, "推荐年度")
    except PlanError as exc:
        raise ServiceError(str(exc)) from None
    if not recommended and not opinion.strip():
        raise WorkflowError("不予推荐时必须写明意见")
    return _record(user, county, Step.PROVINCE, _judged(county), recommended, opinion, year)


def national(user: Actor, county: County, *, batch: str, year: int, opinion: str = "") -> ChainStep:
    """The province records the Ministry's recognition (batch and year)."""
    _check(user, county, "targets", Step.NATIONAL)
    if not batch.strip():
        raise WorkflowError("请填写认定批次")
    try:
        check_year(year, "认定年度")
    except PlanError as exc:
        raise ServiceError(str(exc)) from None
    return _record(user, county, Step.NATIONAL, _judged(county), True, opinion, year, batch)


def progress_of(county: County) -> list[dict[str, Any]]:
    """The four steps with the latest record of each and which one is next."""
    steps = steps_of(county)
    nxt = next_step(county)
    done_all = bool(steps) and steps[-1].step == Step.NATIONAL and steps[-1].passed
    out = []
    for s in STEP_ORDER:
        mine = [x for x in steps if x.step == s]
        out.append({"step": s, "label": s.label, "last": mine[-1] if mine else None,
                    "current": s == nxt and not done_all,
                    "done": bool(mine) and mine[-1].passed and (done_all or STEP_ORDER.index(s) < STEP_ORDER.index(nxt))})  # fmt: skip
    return out
