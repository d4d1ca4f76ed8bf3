"""JSON routes of the annual consolidation monitoring: warnings of recognised counties."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from junheng.web.info import selectors as info_sel
from junheng.web.info.models import County

from . import selectors as sel

router = Router(tags=["巩固监测"])


class AlertOut(Schema):
    level: str
    key: str
    title: str
    message: str


class WatchOut(Schema):
    county: str
    name: str
    recognised_year: int
    batch: str
    year: int | None
    level: str | None
    alerts: list[AlertOut]


def _watch(w: sel.Watch) -> WatchOut:
    return WatchOut(
        county=w.county.code, name=w.county.name, recognised_year=w.recognised_year,
        batch=w.batch, year=w.year, level=w.level.value if w.level else None,
        alerts=[AlertOut(level=a.level.value, key=a.key, title=a.title, message=a.message)
                for a in w.alerts],
    )  # fmt: skip


@router.get("/warnings", response=list[WatchOut], summary="已认定区县的年度监测预警（最严重在前）")
def warnings(request: HttpRequest) -> list[WatchOut]:
    return [_watch(w) for w in sel.recognised_counties(request.user, County.objects.all())]


@router.get("/counties/{code}", response=WatchOut, summary="区县巩固监测")
def county_watch(request: HttpRequest, code: str) -> WatchOut:
    county = info_sel.county_in_scope(request.user, code)
    found = sel.recognised_counties(request.user, County.objects.filter(pk=county.pk))
    if not found:
        raise HttpError(404, f"{county.name}尚未通过国家认定，没有巩固监测")
    return _watch(found[0])
