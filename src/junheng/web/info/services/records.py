"""Yearly records ↔ contract records, validation through the engine's reader, saving
with a version check and history."""

from __future__ import annotations

import functools
import math
from dataclasses import replace
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone

from junheng.contract import SCHOOL_SHEET, SCHOOL_TYPES, Column, Kind
from junheng.errors import Finding, InputError
from junheng.reader import Dataset, dataset_from_records
from junheng.rowcheck import plainly_valid
from junheng.standard import Standard

from ..models import County, CountyRecord, RecordStatus, School, SchoolRecord
from ..models.records import COUNTY_RECORD_COLUMNS, SCHOOL_RECORD_COLUMNS
from ..scoping import Actor, scope_of, scoped
from .errors import NotAllowed, ValidationFailed, VersionConflict, WorkflowError

TYPE_NAMES = {v: k for k, v in SCHOOL_TYPES.items()}
SCHOOL_KEYS = tuple(c.key for c in SCHOOL_RECORD_COLUMNS)
COUNTY_KEYS = tuple(c.key for c in COUNTY_RECORD_COLUMNS)


def school_contract(rec: SchoolRecord) -> dict[str, Any]:
    """The record as a contract row (display values, as a workbook would hold them)."""
    out: dict[str, Any] = {k: getattr(rec, k) for k in SCHOOL_KEYS}
    out["type"] = TYPE_NAMES.get(out["type"] or "", out["type"])
    out.update(code=rec.school.code, county_code=rec.school.county.code,
               county_name=rec.school.county.name)  # fmt: skip
    out["name"] = out["name"] or rec.school.name
    return out


def county_contract(rec: CountyRecord) -> dict[str, Any]:
    out: dict[str, Any] = {k: getattr(rec, k) for k in COUNTY_KEYS}
    out.update(county_code=rec.county.code, county_name=rec.county.name, year=rec.year,
               city=out.get("city") or rec.county.city.name,
               province=out.get("province") or rec.county.city.province.name)  # fmt: skip
    return out


def county_dataset(county: County, year: int, standard: Standard | None = None) -> Dataset:
    """The county's data for *year* as the engine's input, validated like a workbook."""
    return dataset_from_records(*county_rows(county, year), standard, source=f"{county.name}{year}年信息库")  # fmt: skip


def county_rows(county: County, year: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]] | None]:  # fmt: skip
    """The contract rows of the county's schools and of the county itself for *year*."""
    # a school closed or merged before this year is not part of the county any more
    records = (
        SchoolRecord.objects.filter(school__county=county, year=year)
        .exclude(school__closed_year__lte=year)
        .select_related("school__county")
    )
    rows = [school_contract(r) for r in records.order_by("school__code")]
    crec = (
        CountyRecord.objects.filter(county=county, year=year)
        .select_related("county__city__province")
        .first()
    )
    return rows, [county_contract(crec)] if crec else None


MAX_COUNT = 2_147_483_647
"""The largest whole number a database column holds (PostgreSQL integer)."""
MAX_AMOUNT = 1e12


def out_of_range(name: str, values: dict[str, Any], columns: tuple[Column, ...]) -> list[Finding]:
    """Numbers no school or county can have and no column can store (10**30 pupils)."""
    found = []
    for col in columns:
        v = values.get(col.key)
        if isinstance(v, bool) or not isinstance(v, int | float):
            continue
        limit = MAX_COUNT if col.kind in (Kind.INT, Kind.LEVEL) else MAX_AMOUNT
        if not math.isfinite(v) or abs(v) > limit:
            found.append(Finding(
                "out_of_range", "数值超出范围",
                f"{name}：“{col.header}”的值“{v}”超出可能的范围（应不大于{limit:,.0f}）",
                column=col.header, value=str(v),
            ))  # fmt: skip
    return found


def validate_school(school: School, values: dict[str, Any]) -> list[Finding]:
    """Findings for one school's values, checked exactly as an imported row would be."""
    if found := out_of_range(school.name, values, SCHOOL_RECORD_COLUMNS):
        return found
    row = {**values, "code": school.code, "county_code": school.county.code,
           "county_name": school.county.name}  # fmt: skip
    row["type"] = TYPE_NAMES.get(row.get("type") or "", row.get("type"))
    if plainly_valid(row):
        return []
    items = tuple(sorted(row.items()))
    try:
        return list(_checked(school.name, items))
    except TypeError:  # a value that cannot be a cache key: check it uncached
        return list(_checked.__wrapped__(school.name, items))


@functools.lru_cache(maxsize=256)
def _checked(name: str, items: tuple[tuple[str, Any], ...]) -> tuple[Finding, ...]:
    # the same values are checked twice on a save (the form, then the service): the reader's
    # checks cost tens of milliseconds of CPU, and their outcome depends on the values alone
    row = dict(items)
    try:
        dataset_from_records([row])
    except InputError as exc:
        # one record, not a sheet: name the school instead of "工作表…第2行"
        prefix = f"工作表“{SCHOOL_SHEET}”第2行"
        return tuple(replace(f, message=f.message.replace(prefix, f"{name}：", 1), sheet=None, row=None)
                     for f in exc.findings)  # fmt: skip
    return ()


def stamp(obj: Model, user: Actor) -> None:
    """Name the user in the history row the next save writes (simple-history's hook)."""
    obj._history_user = user  # type: ignore[attr-defined]


def editable(user: Actor, rec: SchoolRecord) -> bool:
    scope = scope_of(user)
    if (
        not scope.may("edit_school")
        or not scoped(user, SchoolRecord.objects.filter(pk=rec.pk)).exists()
    ):
        return False
    if scope.role == "school":
        return rec.status in (RecordStatus.DRAFT, RecordStatus.RETURNED)
    return rec.status != RecordStatus.LOCKED


def lock_message(rec: SchoolRecord | CountyRecord) -> str:
    return f"数据已锁定：{rec.status_note}" if rec.status == RecordStatus.LOCKED else ""


R = TypeVar("R", SchoolRecord, CountyRecord)


def _save_versioned(model: type[R], pk: int, keys: tuple[str, ...], values: dict[str, Any],
                    version: int, user: Actor) -> R:  # fmt: skip
    """Write *values* unless someone saved since *version* was read (then say who and when)."""
    with transaction.atomic():
        current: R = model.objects.select_for_update().get(pk=pk)
        if current.version != version:
            who = current.history.first()
            by = (
                f"{who.history_user}于{timezone.localtime(who.history_date):%Y-%m-%d %H:%M}"
                if who and who.history_user
                else "他人"
            )
            raise VersionConflict(
                f"该数据已被{by}修改（当前版本{current.version}，您打开的是版本{version}），请刷新后在最新数据上修改"
            )
        for key in keys:
            if key in values:
                setattr(current, key, values[key])
        current.version += 1
        stamp(current, user)
        current.save()
    return current


def save_school_record(user: Actor, rec: SchoolRecord, values: dict[str, Any],
                       version: int) -> SchoolRecord:  # fmt: skip
    """Save new values if the user may, they are valid and nobody saved in between."""
    if not scoped(user, SchoolRecord.objects.filter(pk=rec.pk)).exists():
        raise NotAllowed("无权修改该学校的数据")
    if rec.status == RecordStatus.LOCKED:
        raise WorkflowError(lock_message(rec))
    if not editable(user, rec):
        raise WorkflowError(
            f"数据状态为“{rec.get_status_display()}”，学校不能再修改；如需修改请联系区县退回"
        )
    # values may be partial: what is not given keeps its current value
    values = {k: getattr(rec, k) for k in SCHOOL_KEYS} | values
    findings = validate_school(rec.school, values)
    if findings:
        raise ValidationFailed(findings)
    saved = _save_versioned(SchoolRecord, rec.pk, SCHOOL_KEYS, values, version, user)
    follow_rename(saved)
    return saved


def follow_rename(rec: SchoolRecord) -> None:
    """The school's name is that of its newest year: a rename there shows in every title,
    queue and message; a correction to an older year's name stays in that year."""
    name = (rec.name or "").strip()
    if not name or name == rec.school.name:
        return
    newest = SchoolRecord.objects.filter(school_id=rec.school_id).aggregate(y=Max("year"))["y"]
    if newest is None or rec.year >= newest:
        School.objects.filter(pk=rec.school_id).update(name=name)
        rec.school.name = name


def save_county_record(user: Actor, rec: CountyRecord, values: dict[str, Any],
                       version: int) -> CountyRecord:  # fmt: skip
    """County facts: only the county (or admin), not once locked, with the version check."""
    if not scope_of(user).may("edit_county"):
        raise NotAllowed("无权修改该区县的数据")
    if rec.pk is None:
        return _create_county_record(user, rec, values, version)
    if not scoped(user, CountyRecord.objects.filter(pk=rec.pk)).exists():
        raise NotAllowed("无权修改该区县的数据")
    if rec.status == RecordStatus.LOCKED:
        raise WorkflowError(lock_message(rec))
    if found := out_of_range(rec.county.name, values, COUNTY_RECORD_COLUMNS):
        raise ValidationFailed(found)
    return _save_versioned(CountyRecord, rec.pk, COUNTY_KEYS, values, version, user)


def _create_county_record(user: Actor, rec: CountyRecord, values: dict[str, Any],
                          version: int) -> CountyRecord:  # fmt: skip
    """The first save of a year's county facts: the page showed an empty form (version 0)
    and nothing was written before this."""
    if not scoped(user, County.objects.filter(pk=rec.county_id)).exists():
        raise NotAllowed("无权修改该区县的数据")
    with transaction.atomic():
        if (
            version != 0
            or CountyRecord.objects.filter(county_id=rec.county_id, year=rec.year).exists()
        ):
            raise VersionConflict("该年度的区县数据已由他人建立，请刷新后在最新数据上修改")
        new = CountyRecord(county_id=rec.county_id, year=rec.year,
                           **{k: values.get(k) for k in COUNTY_KEYS})  # fmt: skip
        stamp(new, user)
        new.save()
    return new


def close_school(
    user: Actor, school: School, year: int, merged_into: School | None = None
) -> School:
    """A school closes (or merges) from *year* on; its records and history stay."""
    if (
        not scope_of(user).may("review")
        or not scoped(user, School.objects.filter(pk=school.pk)).exists()
    ):
        raise NotAllowed("无权撤并该学校")
    if merged_into is not None and merged_into.county_id != school.county_id:
        raise WorkflowError("只能并入本区县的学校")
    school.closed_year, school.merged_into = year, merged_into
    school.save(update_fields=["closed_year", "merged_into"])
    return school
