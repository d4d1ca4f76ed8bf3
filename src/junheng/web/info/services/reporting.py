"""Reports of counties stored in the database: for the CLI and for the download buttons."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from django.apps import apps
from django.db.models import Q

from junheng.errors import JunhengError
from junheng.reports.context import LedgerItem
from junheng.reports.county import ReportFormat, default_name, write_county_report
from junheng.reports.isolated import report_slot, write_county_report_isolated
from junheng.reports.overview import write_overview
from junheng.standard import Standard, load_standard

from ..models import County, SchoolRecord
from ..scoping import Actor, scope_of, scoped
from .errors import NotAllowed
from .records import county_dataset, county_rows
from .reportcache import cached_report, keep_report, report_key

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _no_data(county: County, year: int) -> JunhengError | None:
    if SchoolRecord.objects.filter(school__county=county, year=year).exists():
        return None
    years = sorted(set(SchoolRecord.objects.filter(school__county=county)
                       .values_list("year", flat=True)))  # fmt: skip
    stored = (f"信息库中有{'、'.join(map(str, years))}年的数据，请用其中一个年度。" if years
              else "信息库中还没有该区县的学校数据。")  # fmt: skip
    return JunhengError(f"{county.name}{year}年没有学校数据，无法生成报告。{stored}")


def _write(county: County, year: int, std: Standard, fmt: ReportFormat, path: Path,
           template: Path | None = None) -> Path:  # fmt: skip
    """The CLI's report, written in this process to *path*, with every open ledger item; the
    caller has checked the year has school data (:func:`_no_data`)."""
    data = county_dataset(county, year, std)
    done, _ = write_county_report(data, std, county.code, fmt, path, year=year, template=template,
                                  history=_history(county), ledger=open_ledger(county))  # fmt: skip
    return done


def _history(county: County) -> dict[int, dict[str, float | None]]:
    from ..selectors import year_trend

    return {t["year"]: t["cv"] for t in year_trend(county)}


def open_ledger(county: County, user: Actor | None = None) -> list[LedgerItem]:
    """The county's rectification items not yet closed, for the report's 整改 section; with a
    *user*, only those the ledger's scoped selector shows them (the CLI reads the whole base).

    Read through the app registry: the ledger is its own app and the information base does
    not depend on it."""
    if not apps.is_installed("junheng.web.ledger"):
        return []
    if user is not None:
        from junheng.web.ledger.selectors import items_in_scope

        base = items_in_scope(user)
    else:
        base = apps.get_model("ledger", "LedgerItem").objects.all()
    rows = (
        base.filter(county=county)
        .exclude(status="已销号")
        .order_by("deadline", "pk")
        .values_list("title", "unit__name", "deadline", "status")
    )
    return [
        LedgerItem(title=title, owner=owner or "", due=due.isoformat() if due else "",
                   status=status)
        for title, owner, due, status in rows
    ]  # fmt: skip


def database_report(county: str, year: int, std: Standard, fmt: ReportFormat,
                    output: Path | None, template: Path | None = None) -> Path:  # fmt: skip
    """The CLI's database source: the county by code or name, written to *output*."""
    found = County.objects.filter(Q(code=county) | Q(name=county)).first()
    if found is None:
        raise JunhengError(f"信息库中没有区县“{county}”（按区划代码或名称查找）。")
    if (error := _no_data(found, year)) is not None:
        raise error
    return _write(found, year, std, fmt, output or default_name(found.name, fmt), template)


def county_report_file(user: Actor, code: str, year: int, fmt: str) -> tuple[str, bytes]:
    """(file name, content) of a county report the user may download; county staff and above.

    A report is made once per state of what it shows (see :mod:`.reportcache`): the same
    download again, by anyone seeing the same ledger, is read from the cache, not recomputed.
    """
    if not scope_of(user).role or scope_of(user).role == "school":
        raise NotAllowed("学校账号不能下载区县报告")
    county = scoped(user, County.objects.all()).filter(code=code).first()
    if county is None:
        raise NotAllowed("无权查看该区县")
    try:
        kind = ReportFormat(fmt)
    except ValueError as exc:
        raise JunhengError(f"不支持的报告格式“{fmt}”") from exc
    from ..selectors import latest_run

    run = latest_run(county, year)
    std = load_standard(run.standard) if run else load_standard()
    name = default_name(f"{county.name}{year}年", kind).name
    if (error := _no_data(county, year)) is not None:
        raise error
    ledger, history = open_ledger(county, user), _history(county)
    key = report_key(county, year, std, kind.value, ledger, history)
    if (cached := cached_report(key)) is not None:
        return name, cached
    with report_slot():
        if (cached := cached_report(key)) is not None:  # made while this request waited
            return name, cached
        return name, _made(county, year, std, kind, key, ledger, history)


def _made(county: County, year: int, std: Standard, kind: ReportFormat, key: str,
          ledger: list[LedgerItem], history: dict[int, dict[str, float | None]]) -> bytes:  # fmt: skip
    schools, counties = county_rows(county, year)
    with tempfile.TemporaryDirectory(prefix="junheng-web-report-") as tmp:
        # written in a worker below the pages' priority: a report must not stall the pages
        done = write_county_report_isolated(
            schools, counties, std, f"{county.name}{year}年信息库", county.code, kind,
            Path(tmp, f"report.{kind.value}"), year=year, ledger=ledger, history=history,
        )  # fmt: skip
        data = done.read_bytes()
    keep_report(key, data)
    return data


def region_overview_file(user: Actor, counties: list[County], year: int, where: str, fmt: str,
                         targets: Sequence[tuple[int, float]] = ()) -> tuple[str, bytes]:  # fmt: skip
    """The overview of *counties* (already scoped by the caller's page) as .docx or .xlsx."""
    import polars as pl

    from junheng.engine.api import evaluate
    from junheng.reader import Dataset

    if fmt not in ("docx", "xlsx"):
        raise JunhengError(f"不支持的汇总格式“{fmt}”")
    std = load_standard()
    with_data = scoped(user, County.objects.filter(pk__in=[c.pk for c in counties])).filter(
        schools__records__year=year
    )
    parts = [county_dataset(c, year, std) for c in with_data.distinct()]
    if not parts:
        raise JunhengError(f"{where}{year}年没有区县数据，无法生成汇总。")
    county_frames = [p.counties for p in parts if p.counties is not None]
    data = Dataset(
        pl.concat([p.schools for p in parts], how="vertical_relaxed"),
        pl.concat(county_frames, how="vertical_relaxed") if county_frames else None,
        f"{where}{year}年信息库",
    )
    ev = evaluate(data, std)
    from .progress import region_progress

    progress = region_progress(user, with_data.distinct())
    with tempfile.TemporaryDirectory(prefix="junheng-web-overview-") as tmp:
        done = write_overview(ev, Path(tmp, f"overview.{fmt}"), where, targets, progress)
        return f"{where}{year}年汇总报告.{fmt}", done.read_bytes()


__all__ = ["CONTENT_TYPES", "county_report_file", "database_report", "region_overview_file"]
