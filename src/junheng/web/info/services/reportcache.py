"""A county report made once per state of what it shows, then read from a file cache.

Making a 申报表 or a Word report reads every record, runs the engine and writes the file: a
second or more of CPU (the PDF, half a minute of LibreOffice). Officials download the same
report again and again between changes, and every worker process shares the cache (it lives
in the data directory), so the key is a digest of everything the report is made of: the
county's records as the engine reads them, the open ledger items the user sees, the trend of
earlier evaluations, the standard, the day (reports are dated) and the code that writes it.
Any change gives a new key; stale files are culled by Django's file cache.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from django.core.cache import caches

import junheng
from junheng.reports.context import LedgerItem
from junheng.standard import Standard

from ..models import County, CountyRecord, SchoolRecord

CACHE = "reports"


@functools.cache
def _code_digest() -> str:
    """Which code writes the reports: the package's files, as installed (an upgrade that keeps
    the version number still gives new reports)."""
    h = hashlib.sha256(junheng.__version__.encode())
    root = Path(junheng.__file__).parent
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".toml", ".docx", ".xlsx") and "web" not in path.parts:
            st = path.stat()
            h.update(f"{path.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def _records(county: County, year: int) -> list[object]:
    """What ``county_dataset`` reads, reduced to what changes when any of it does (the time
    of the last save too: a record deleted and made again can get the same id and version)."""
    records = (
        SchoolRecord.objects.filter(school__county=county, year=year)
        .exclude(school__closed_year__lte=year)
        .order_by("pk")
        .values_list("pk", "version", "updated_at", "status", "school__code", "school__name")
    )
    crec = CountyRecord.objects.filter(county=county, year=year).values_list(
        "pk", "version", "updated_at"
    )
    names = County.objects.filter(pk=county.pk).values_list(
        "code", "name", "city__name", "city__province__name"
    )
    return [list(records), list(crec), list(names)]


def report_key(county: County, year: int, std: Standard, fmt: str,
               ledger: Sequence[LedgerItem], history: dict[int, dict[str, float | None]]) -> str:  # fmt: skip
    """The digest of everything the county's report for *year* in *fmt* is made of."""
    parts = {
        "code": _code_digest(),
        "standard": repr((std.id, std.version, std.settings, std.indicators, std.local_targets)),
        "fmt": fmt,
        "year": year,
        "day": datetime.date.today().isoformat(),
        "records": _records(county, year),
        "ledger": [(i.title, i.owner, i.due, i.status) for i in ledger],
        "history": sorted(history.items()),
    }
    text = json.dumps(parts, ensure_ascii=False, default=str, sort_keys=True)
    return f"county-report:{hashlib.sha256(text.encode()).hexdigest()}"


def cached_report(key: str) -> bytes | None:
    value = caches[CACHE].get(key)
    return value if isinstance(value, bytes) else None


def keep_report(key: str, data: bytes) -> None:
    caches[CACHE].set(key, data)


def forget_reports() -> None:
    """Empty the cache (tests; after restoring a backup, when keys could repeat)."""
    caches[CACHE].clear()


__all__ = ["cached_report", "forget_reports", "keep_report", "report_key"]
