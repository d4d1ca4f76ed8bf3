"""School data: draft → submitted → returned / approved → locked with the county's evaluation."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from junheng.engine.api import evaluate
from junheng.errors import InputError
from junheng.standard import load_standard

from ..models import (
    County,
    CountyRecord,
    EvaluationResult,
    EvaluationRun,
    RecordStatus,
    SchoolRecord,
)
from ..pagedata import build_display, build_summary
from ..scoping import Actor, scope_of, scoped
from .errors import NotAllowed, ValidationFailed, WorkflowError, signed_in
from .records import county_dataset, school_contract, stamp, validate_school


def _own(user: Actor, rec: SchoolRecord, action: str) -> None:
    if (
        not scope_of(user).may(action)
        or not scoped(user, SchoolRecord.objects.filter(pk=rec.pk)).exists()
    ):
        raise NotAllowed("无权对该学校数据执行此操作")


def _move(user: Actor, rec: SchoolRecord, allowed: tuple[str, ...], to: str,
          note: str = "") -> SchoolRecord:  # fmt: skip
    with transaction.atomic():
        current: SchoolRecord = SchoolRecord.objects.select_for_update().get(pk=rec.pk)
        if current.status not in allowed:
            raise WorkflowError(
                f"数据状态为“{current.get_status_display()}”，不能执行此操作"
                + (f"（{current.status_note}）" if current.status == RecordStatus.LOCKED else "")
            )
        current.status, current.status_note = to, note
        current.version += 1
        stamp(current, user)
        current.save()
    return current


def submit(user: Actor, rec: SchoolRecord) -> SchoolRecord:
    """The school hands its data to the county; only complete, valid data can be submitted."""
    _own(user, rec, "submit")
    findings = validate_school(rec.school, school_contract(rec))
    if findings:
        raise ValidationFailed(findings)
    return _move(user, rec, (RecordStatus.DRAFT, RecordStatus.RETURNED), RecordStatus.SUBMITTED)


def approve(user: Actor, rec: SchoolRecord) -> SchoolRecord:
    _own(user, rec, "review")
    return _move(user, rec, (RecordStatus.SUBMITTED,), RecordStatus.APPROVED)


def return_record(user: Actor, rec: SchoolRecord, reason: str) -> SchoolRecord:
    _own(user, rec, "review")
    reason = reason.strip()
    if not reason:
        raise WorkflowError("退回时必须填写退回原因")
    return _move(user, rec, (RecordStatus.SUBMITTED, RecordStatus.APPROVED), RecordStatus.RETURNED,
                 reason[:300])  # fmt: skip


def data_fingerprint(county: County, year: int) -> str:
    """Which data an evaluation saw: every save raises a record's version, so any change
    after the evaluation (school or county data) gives a different fingerprint."""
    agg = SchoolRecord.objects.filter(school__county=county, year=year).aggregate(
        n=Count("pk"), v=Sum("version")
    )
    crec = CountyRecord.objects.filter(county=county, year=year).values_list("version", flat=True)
    return f"{agg['n']}:{agg['v'] or 0}:{next(iter(crec), 0)}"


def data_locked(county: County, year: int) -> bool:
    records = SchoolRecord.objects.filter(school__county=county, year=year)
    return records.exists() and not records.exclude(status=RecordStatus.LOCKED).exists()


def evaluate_county(user: Actor, county: County, year: int, lock: bool = False) -> EvaluationRun:
    """Run the engine on the county's records; with *lock*, freeze the data it used.

    The standard is the one the county's province set: a county cannot choose its own.
    """
    if (
        not scope_of(user).may("evaluate")
        or not scoped(user, County.objects.filter(pk=county.pk)).exists()
    ):
        raise NotAllowed("无权评估该区县")
    std = load_standard(
        County.objects.values_list("city__province__standard", flat=True).get(pk=county.pk)
    )
    records = SchoolRecord.objects.filter(school__county=county, year=year)
    if not records.exists():
        raise WorkflowError(f"{county.name}{year}年还没有学校数据")
    if lock:
        pending = records.exclude(status__in=(RecordStatus.APPROVED, RecordStatus.LOCKED))
        if pending.exists():
            names = "、".join(r.school.name for r in pending.select_related("school")[:5])
            raise WorkflowError(f"还有{pending.count()}所学校的数据未审核通过，不能锁定：{names}")
    try:
        data = county_dataset(county, year, std)
    except InputError as exc:
        raise ValidationFailed(exc.findings) from exc
    ev = evaluate(data, std)
    result = ev.county(county.code).to_dict()
    with transaction.atomic():
        run = EvaluationRun.objects.create(
            county=county, year=year, standard=std.id, recognised=result["recognised"],
            locked=lock or data_locked(county, year), created_by=signed_in(user),
            summary=build_summary(result, std), display=build_display(result, std),
        )  # fmt: skip
        EvaluationResult.objects.create(run=run, data=result)
        if lock:
            note = f"已随{timezone.localtime():%Y-%m-%d %H:%M}的县级评估（评估记录#{run.pk}）锁定"
            for rec in records.select_for_update():
                rec.status, rec.status_note = RecordStatus.LOCKED, note
                rec.version += 1
                stamp(rec, user)
                rec.save()
            for crec in CountyRecord.objects.filter(county=county, year=year):
                crec.status, crec.status_note = RecordStatus.LOCKED, note
                crec.version += 1
                stamp(crec, user)
                crec.save()
        run.fingerprint = data_fingerprint(county, year)
        run.save(update_fields=["fingerprint"])
    return run
