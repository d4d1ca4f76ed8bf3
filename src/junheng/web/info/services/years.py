"""The school year cycle: which years hold data for a user, and starting a new year's
collection from last year's records."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ..models import County, CountyRecord, RecordStatus, SchoolRecord
from ..scoping import Actor, scope_of, scoped
from .errors import NotAllowed, WorkflowError
from .records import COUNTY_KEYS, SCHOOL_KEYS, stamp

# a year outside this range is a typing slip, not a school year
FIRST_YEAR, LAST_YEAR = 2000, 2100


def years_with_data(user: Actor) -> list[int]:
    """Years in which the user can see any school or county record, newest first."""
    # order_by(): the models' default ordering would put the school code into the DISTINCT,
    # one row per record (10,000 for a province) instead of one per year
    found = set(
        scoped(user, SchoolRecord.objects.all())
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    found |= set(
        scoped(user, CountyRecord.objects.all())
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted(found, reverse=True)


def latest_year(user: Actor) -> int:
    """The year a user's pages open on: the newest with data, else the calendar year."""
    found = years_with_data(user)
    return found[0] if found else timezone.localdate().year


@dataclass(frozen=True, slots=True)
class Started:
    year: int
    source_year: int
    schools: int
    county: bool


def start_year(user: Actor, county: County, year: int) -> Started:
    """Open *year*'s collection: every active school's latest earlier record (and the county's)
    copied as a draft, so schools correct last year's figures instead of typing them again."""
    scope = scope_of(user)
    if (
        not scope.may("edit_county")
        or not scoped(user, County.objects.filter(pk=county.pk)).exists()
    ):
        raise NotAllowed("无权开始该区县的新学年采集")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise WorkflowError(f"年度应在{FIRST_YEAR}到{LAST_YEAR}之间")
    with transaction.atomic():
        if SchoolRecord.objects.filter(school__county=county, year=year).exists():
            raise WorkflowError(f"{county.name}{year}年的采集已开始，不能重复开始")
        source = (
            SchoolRecord.objects.filter(school__county=county, year__lt=year)
            .order_by("-year")
            .values_list("year", flat=True)
            .first()
        )
        if source is None:
            raise WorkflowError(f"{county.name}{year}年以前没有数据可复制，请先导入数据")
        copied = 0
        for old in SchoolRecord.objects.filter(school__county=county, year=source).select_related(
            "school"
        ):
            if not old.school.active_in(year):
                continue
            new = SchoolRecord(school=old.school, year=year, status=RecordStatus.DRAFT,
                               **{k: getattr(old, k) for k in SCHOOL_KEYS})  # fmt: skip
            stamp(new, user)
            new.save()
            copied += 1
        old_county = CountyRecord.objects.filter(county=county, year=source).first()
        has_county = (
            old_county is not None
            and not CountyRecord.objects.filter(county=county, year=year).exists()
        )
        if old_county is not None and has_county:
            crec = CountyRecord(
                county=county, year=year, **{k: getattr(old_county, k) for k in COUNTY_KEYS}
            )
            stamp(crec, user)
            crec.save()
    return Started(year, source, copied, has_county)


def previous_values(rec: SchoolRecord) -> dict[str, object]:
    """The same school's figures of the latest earlier year (empty if none)."""
    prev = (
        SchoolRecord.objects.filter(school_id=rec.school_id, year__lt=rec.year)
        .order_by("-year")
        .first()
    )
    return {k: getattr(prev, k) for k in SCHOOL_KEYS} if prev else {}
