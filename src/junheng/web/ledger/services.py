"""Ledger actions: generate and close items from evaluations, edit measures, report, accept.

Closing is the data's decision: :func:`sync` closes an item when an evaluation shows it met
and reopens one that slips back. By hand, a county may only report an item done; the city
accepts a report only for items judged on evidence.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from junheng.process import ledger as core
from junheng.standard import load_standard
from junheng.web.info.models import County, EvaluationResult, EvaluationRun, Evidence
from junheng.web.info.scoping import Actor, scope_of, scoped
from junheng.web.info.services.errors import NotAllowed, WorkflowError

from .models import LedgerItem, ResponsibleUnit

State = LedgerItem.State
DEFAULT_UNITS = (
    "县教育和体育局", "县财政局", "县发展和改革局", "县人力资源和社会保障局", "县自然资源局",
    "县住房和城乡建设局", "县机构编制委员会办公室", "县卫生健康局", "县公安局",
)  # fmt: skip
# who usually answers for a resource indicator: teachers need posts, rooms need land and money
_SUGGESTED: dict[str, str] = {
    "qualified_teachers": "县人力资源和社会保障局", "backbone_teachers": "县教育和体育局",
    "pe_art_teachers": "县机构编制委员会办公室", "teaching_area": "县住房和城乡建设局",
    "sports_area": "县自然资源局", "equipment_value": "县财政局", "multimedia_rooms": "县财政局",
}  # fmt: skip


def ensure_units() -> None:
    # the migration seeds the list; a database emptied since (tests, a flush) gets it again
    if ResponsibleUnit.objects.exists():
        return
    for i, name in enumerate(DEFAULT_UNITS):
        ResponsibleUnit.objects.get_or_create(name=name, defaults={"order": i})


def _suggested_unit(key: str) -> ResponsibleUnit | None:
    ensure_units()
    name = _SUGGESTED.get(key.rsplit(":", 1)[-1]) if key.startswith(("school:", "cv:")) else None
    return ResponsibleUnit.objects.filter(name=name or "县教育和体育局").first()


def _is_latest(run: EvaluationRun) -> bool:
    return not EvaluationRun.objects.filter(county_id=run.county_id, year__gt=run.year).exists()


def sync(run: EvaluationRun) -> core.Reconciliation:
    """Bring the county's ledger up to *run*: new items, 动态销号, reopened items.

    Only the latest year's evaluation speaks for the ledger; re-running an older year
    changes nothing.
    """
    if not _is_latest(run):
        return core.Reconciliation()
    std = load_standard(run.standard)
    with transaction.atomic():
        items = {
            i.key: i for i in LedgerItem.objects.select_for_update().filter(county_id=run.county_id)
        }
        rec = core.reconcile({k: i.status for k, i in items.items()}, run.result, std)
        now = timezone.now()
        label = f"{run.year}年评估（评估记录#{run.pk}）"
        for key in rec.closed:
            item = items[key]
            item.status, item.proof_run, item.closed_at = State.CLOSED, run, now
            item.note = f"据{label}数据已达标，自动销号"
            item.save()
        for key in rec.reopened:
            item = items[key]
            item.status, item.proof_run, item.closed_at = State.DOING, None, None
            item.note = f"据{label}数据再次未达标，重新打开"
            item.save()
        current = {s.key: s for s in core.shortfalls(run.result, std)}
        for key, item in items.items():  # keep the open items' figures current
            if key in current and item.status != State.CLOSED:
                s = current[key]
                item.title, item.detail, item.gap = s.title[:400], s.detail, s.gap
                item.save(update_fields=["title", "detail", "gap", "updated_at"])
        LedgerItem.objects.bulk_create([
            LedgerItem(county_id=run.county_id, key=s.key, kind=s.kind, title=s.title[:400],
                       detail=s.detail, gap=s.gap, evidence_only=s.evidence_only,
                       unit=_suggested_unit(s.key), source_run=run)
            for s in rec.new
        ])  # fmt: skip
    return rec


def on_evaluation(sender: Any, instance: EvaluationResult, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        sync(instance.run)


def _county_may(user: Actor, item: LedgerItem) -> None:
    scope = scope_of(user)
    in_scope = scoped(user, County.objects.filter(pk=item.county_id)).exists()
    if not (scope.may("edit_county") and in_scope):
        raise NotAllowed("只有本区县的督导人员可以修改整改事项")


def latest_run(county_id: int) -> EvaluationRun | None:
    return (
        EvaluationRun.objects.filter(county_id=county_id)
        .order_by("-year", "-created_at", "-pk")
        .first()
    )


def update(user: Actor, item: LedgerItem, *, measure: str, unit: ResponsibleUnit | None,
           deadline: date | None, started: bool) -> LedgerItem:  # fmt: skip
    """The county fills in the measure, the responsible unit, the deadline, and starts work."""
    _county_may(user, item)
    if item.status == State.CLOSED:
        raise WorkflowError("该项已销号，不能修改")
    item.measure, item.unit, item.deadline = measure.strip()[:2000], unit, deadline
    if started and item.status == State.PENDING:
        item.status = State.DOING
    item.save()
    return item


def evidence_of(item: LedgerItem) -> list[Evidence]:
    return list(Evidence.objects.filter(county_id=item.county_id, item=item.evidence_item))


def report_done(user: Actor, item: LedgerItem) -> LedgerItem:
    """The county reports the measure done (已报完成); evidence-judged items need a file."""
    _county_may(user, item)
    if item.status not in (State.PENDING, State.DOING):
        raise WorkflowError(f"该项为“{item.status}”，不能再上报完成")
    if item.evidence_only and not evidence_of(item):
        raise WorkflowError("此项凭佐证材料认定，请先上传佐证材料再上报完成")
    item.status = State.REPORTED
    item.note = "区县已上报完成，" + (
        "待地市确认" if item.evidence_only else "待新的评估数据证明达标"
    )
    item.save()
    return item


def close(user: Actor, item: LedgerItem) -> LedgerItem:
    """Close by hand: the county only where the latest data shows it met; the city accepts
    a reported evidence-judged item."""
    scope = scope_of(user)
    in_scope = scoped(user, County.objects.filter(pk=item.county_id)).exists()
    accepting = scope.may("city_review") and not scope.may("edit_county")
    if not in_scope or not (scope.may("edit_county") or scope.may("city_review")):
        raise NotAllowed("无权为该区县销号")
    run = latest_run(item.county_id)
    refusal = core.close_refusal(item.key, run.result if run else None, status=item.status,
                                 evidence_only=item.evidence_only, accepting=accepting)  # fmt: skip
    if refusal:
        raise WorkflowError(refusal)
    met = run is not None and core.is_met(item.key, run.result) is True
    item.status, item.closed_at = State.CLOSED, timezone.now()
    item.proof_run = run if met else None
    item.note = (f"据{run.year}年评估（评估记录#{run.pk}）数据已达标" if met and run
                 else f"地市复核确认销号（{timezone.localdate():%Y-%m-%d}）")  # fmt: skip
    item.save()
    return item
