"""JSON routes of the rectification ledger: the same services, the same scoping as the pages.

An id in a URL is looked up inside the caller's scope, so another unit's item is 404; an
action the caller's role may not take is 403; one the item's state refuses is 409.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from junheng.web.info import selectors as info_sel
from junheng.web.info.apierrors import http_error
from junheng.web.info.services import evidence as evidence_service
from junheng.web.info.services.errors import (
    ServiceError,
)

from . import selectors as sel
from . import services
from .models import LedgerItem, ResponsibleUnit

router = Router(tags=["整改台账"])


class EvidenceOut(Schema):
    id: int
    title: str
    name: str
    uploaded_at: datetime


class ItemOut(Schema):
    id: int
    county: str
    key: str
    kind: str
    title: str
    detail: str
    gap: str
    evidence_only: bool
    measure: str
    unit: str | None
    deadline: date | None
    status: str
    overdue: bool
    note: str
    evidence: list[EvidenceOut]


class ItemIn(Schema):
    measure: str = ""
    unit: str | None = None
    deadline: date | None = None
    started: bool = True


def item_out(item: LedgerItem) -> ItemOut:
    return ItemOut(
        id=item.pk, county=item.county.code, key=item.key, kind=item.kind, title=item.title,
        detail=item.detail, gap=item.gap, evidence_only=item.evidence_only, measure=item.measure,
        unit=item.unit.name if item.unit else None, deadline=item.deadline, status=item.status,
        overdue=sel.overdue(item), note=item.note,
        evidence=[EvidenceOut(id=e.pk, title=e.title, name=e.original_name,
                              uploaded_at=timezone.localtime(e.uploaded_at))
                  for e in services.evidence_of(item)],
    )  # fmt: skip


def _item(request: HttpRequest, pk: int) -> LedgerItem:
    item: LedgerItem = get_object_or_404(sel.items_in_scope(request.user), pk=pk)
    return item


@router.get("/counties/{code}/items", response=list[ItemOut], summary="区县整改台账事项")
def county_items(request: HttpRequest, code: str) -> list[ItemOut]:
    county = info_sel.county_in_scope(request.user, code)
    return [item_out(i) for i in sel.county_items(request.user, county)]


@router.get("/items/{pk}", response=ItemOut, summary="整改事项")
def get_item(request: HttpRequest, pk: int) -> ItemOut:
    return item_out(_item(request, pk))


@router.put("/items/{pk}", response=ItemOut, summary="填写整改措施、责任单位、完成时限（区县）")
def put_item(request: HttpRequest, pk: int, body: ItemIn) -> ItemOut:
    item = _item(request, pk)
    unit = None
    if body.unit:
        services.ensure_units()
        unit = ResponsibleUnit.objects.filter(name=body.unit).first()
        if unit is None:
            raise HttpError(422, f"责任单位“{body.unit}”不在责任单位名单中")
    try:
        return item_out(services.update(request.user, item, measure=body.measure, unit=unit,
                                        deadline=body.deadline, started=body.started))  # fmt: skip
    except ServiceError as exc:
        raise http_error(exc) from exc


@router.post("/items/{pk}/{action}", response=ItemOut, summary="上报完成（report）/ 销号（close）")
def item_action(request: HttpRequest, pk: int, action: str) -> ItemOut:
    item = _item(request, pk)
    try:
        if action == "report":
            return item_out(services.report_done(request.user, item))
        if action == "close":
            return item_out(services.close(request.user, item))
    except ServiceError as exc:
        raise http_error(exc) from exc
    raise HttpError(404, "未知操作")


@router.post("/items/{pk}/evidence/upload", response=ItemOut, summary="上传整改佐证材料（区县）")
def upload_evidence(
    request: HttpRequest, pk: int, file: File[UploadedFile], title: Form[str] = ""
) -> ItemOut:
    item = _item(request, pk)
    try:
        evidence_service.upload(request.user, item.county, item.source_run.year,
                                item.evidence_item, (title or item.title)[:200],
                                file.name or "file", file.read())  # fmt: skip
    except ServiceError as exc:
        raise http_error(exc) from exc
    return item_out(item)
