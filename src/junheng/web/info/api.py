"""JSON API (django-ninja, OpenAPI at /api/docs): the same services and the same scoping."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, NinjaAPI, Path, Schema
from ninja.errors import HttpError, ValidationError
from ninja.security import django_auth

from . import selectors as sel
from .apierrors import http_error
from .models import County, EvaluationRun, SchoolRecord
from .pagedata import standard_title
from .scoping import scoped
from .services import workflow
from .services.errors import (
    ServiceError,
)
from .services.records import SCHOOL_KEYS, save_school_record
from .services.reviews import FIRST_YEAR, LAST_YEAR

# the docs need a login too: they list what the API offers
api = NinjaAPI(title="均衡 junheng API", version="1", auth=django_auth, urls_namespace="api",
               docs_decorator=login_required)  # fmt: skip


class SchoolOut(Schema):
    code: str
    name: str
    county_code: str
    county_name: str


class RecordOut(Schema):
    school: str
    year: int
    status: str
    status_note: str
    version: int
    values: dict[str, Any]


class RecordIn(Schema):
    version: int
    values: dict[str, Any]


class ActionIn(Schema):
    reason: str = ""


class CountyOut(Schema):
    code: str
    name: str
    city: str


class RunOut(Schema):
    id: int
    county: str
    year: int
    standard: str
    standard_title: str
    recognised: bool
    locked: bool
    created_at: datetime


class EvaluateIn(Schema):
    """The standard is the province's; a ``standard`` given here is ignored."""

    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    lock: bool = False


Year = Annotated[int, Path(ge=FIRST_YEAR, le=LAST_YEAR, description="四位年份")]


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Pydantic's English messages, said in Chinese with the field they concern."""
    fields = "、".join(".".join(str(p) for p in e.get("loc", ())[1:]) or "请求" for e in exc.errors)
    return api.create_response(
        request, {"detail": f"请求内容有误：{fields}的值无效或超出范围（年度应为{FIRST_YEAR}–{LAST_YEAR}）"},
        status=422,
    )  # fmt: skip


def _record(rec: SchoolRecord) -> RecordOut:
    return RecordOut(school=rec.school.code, year=rec.year, status=rec.status, status_note=rec.status_note,
                     version=rec.version, values={k: getattr(rec, k) for k in SCHOOL_KEYS})  # fmt: skip


@api.get("/schools", response=list[SchoolOut], summary="学校列表（本人权限范围内）")
def schools(request: HttpRequest) -> list[SchoolOut]:
    return [SchoolOut(code=s.code, name=s.name, county_code=s.county.code, county_name=s.county.name)
            for s in sel.schools_of(request.user)]  # fmt: skip


@api.get("/schools/{code}/records/{year}", response=RecordOut, summary="学校年度数据")
def get_record(request: HttpRequest, code: str, year: Year) -> RecordOut:
    return _record(sel.record_in_scope(request.user, code, year))


@api.put(
    "/schools/{code}/records/{year}", response=RecordOut, summary="修改学校年度数据（带版本号）"
)
def put_record(request: HttpRequest, code: str, year: Year, body: RecordIn) -> RecordOut:
    rec = sel.record_in_scope(request.user, code, year)
    unknown = set(body.values) - set(SCHOOL_KEYS)
    if unknown:
        raise HttpError(422, f"未知字段：{'、'.join(sorted(unknown))}")
    values = {k: body.values.get(k, getattr(rec, k)) for k in SCHOOL_KEYS}
    try:
        return _record(save_school_record(request.user, rec, values, body.version))
    except ServiceError as exc:
        raise http_error(exc) from exc


@api.post(
    "/schools/{code}/records/{year}/{action}", response=RecordOut, summary="提交 / 审核通过 / 退回"
)
def record_action(
    request: HttpRequest, code: str, year: Year, action: str, body: ActionIn
) -> RecordOut:
    rec = sel.record_in_scope(request.user, code, year)
    try:
        if action == "submit":
            return _record(workflow.submit(request.user, rec))
        if action == "approve":
            return _record(workflow.approve(request.user, rec))
        if action == "return":
            return _record(workflow.return_record(request.user, rec, body.reason))
    except ServiceError as exc:
        raise http_error(exc) from exc
    raise HttpError(404, "未知操作")


@api.get("/counties", response=list[CountyOut], summary="区县列表（本人权限范围内）")
def counties(request: HttpRequest) -> list[CountyOut]:
    qs = scoped(request.user, County.objects.select_related("city"))
    return [CountyOut(code=c.code, name=c.name, city=c.city.name) for c in qs]


def _run(r: EvaluationRun) -> RunOut:
    return RunOut(id=r.pk, county=r.county.code, year=r.year, standard=r.standard,
                  standard_title=str(r.summary.get("standard_title") or standard_title(r.standard)),
                  recognised=r.recognised, locked=r.locked,
                  created_at=timezone.localtime(r.created_at))  # Beijing time, +08:00  # fmt: skip


@api.get("/counties/{code}/evaluations", response=list[RunOut], summary="区县评估记录")
def evaluations(request: HttpRequest, code: str) -> list[RunOut]:
    county = sel.county_in_scope(request.user, code)
    return [
        _run(r)
        for r in scoped(request.user, EvaluationRun.objects.filter(county=county))
        .defer("display")
        .select_related("county")
    ]


@api.post("/counties/{code}/evaluate", response=RunOut, summary="运行评估（可同时锁定数据）")
def evaluate(request: HttpRequest, code: str, body: EvaluateIn) -> RunOut:
    county = sel.county_in_scope(request.user, code)
    try:
        return _run(workflow.evaluate_county(request.user, county, body.year, body.lock))
    except ServiceError as exc:
        raise http_error(exc) from exc


@api.get("/evaluations/{pk}", summary="评估结果（数据规范中的JSON）")
def evaluation(
    request: HttpRequest, pk: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> dict[str, Any]:
    run = get_object_or_404(scoped(request.user, EvaluationRun.objects.all()), pk=pk)
    return {"standard": run.standard, "year": run.year, "counties": [run.result]}


# the process apps' routes: the same login and the same scoping
from junheng.web.creation.api import router as creation_router  # noqa: E402
from junheng.web.ledger.api import router as ledger_router  # noqa: E402
from junheng.web.monitoring.api import router as monitoring_router  # noqa: E402

api.add_router("/ledger", ledger_router)
api.add_router("/creation", creation_router)
api.add_router("/monitoring", monitoring_router)
