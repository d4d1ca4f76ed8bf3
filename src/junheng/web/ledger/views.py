"""Ledger pages: the county's ledger, the city's and province's open items, the Excel export."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from junheng.process.exports import LedgerRow, ledger_xlsx
from junheng.web.info import selectors as info_sel
from junheng.web.info.models import City, County, Province
from junheng.web.info.scoping import scope_of
from junheng.web.info.services import evidence as evidence_service
from junheng.web.info.services.errors import NotAllowed, ServiceError

from . import selectors as sel
from . import services
from .models import LedgerItem, ResponsibleUnit


def _item(request: HttpRequest, pk: int) -> LedgerItem:
    item: LedgerItem = get_object_or_404(sel.items_in_scope(request.user), pk=pk)
    return item


@login_required
def county_ledger(request: HttpRequest, code: str) -> HttpResponse:
    county = info_sel.county_in_scope(request.user, code)
    items = sel.county_items(request.user, county)
    evidence = {i.pk: services.evidence_of(i) for i in items}
    rows = [{"item": i, "overdue": sel.overdue(i), "evidence": evidence[i.pk]} for i in items]
    return render(request, "ledger/county.html", {
        "county": county, "rows": rows, "tally": sel.tally(items),
        "units": _units(), "scope": scope_of(request.user),
        "run": services.latest_run(county.pk),
    })  # fmt: skip


@login_required
def region_ledger(request: HttpRequest, level: str, code: str) -> HttpResponse:
    region: City | Province
    if level == "city":
        region = info_sel.city_in_scope(request.user, code)
        counties = County.objects.filter(city__code=region.code)
    else:
        region = info_sel.province_in_scope(request.user, code)
        counties = County.objects.filter(city__province__code=region.code)
    items = sel.region_items(request.user, counties)
    return render(request, "ledger/region.html", {
        "region": region, "level": level,
        "rows": [{"item": i, "overdue": sel.overdue(i)} for i in items],
        "tallies": sel.county_tallies(request.user, counties.select_related("city")),
        "scope": scope_of(request.user),
    })  # fmt: skip


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise ServiceError(f"完成时限“{text}”不是有效日期，应为 年-月-日") from None


@login_required
@require_POST
def item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = _item(request, pk)
    try:
        if action == "save":
            unit_id = request.POST.get("unit", "")
            unit = (
                ResponsibleUnit.objects.filter(pk=int(unit_id)).first()
                if unit_id.isdigit()
                else None
            )
            services.update(request.user, item, measure=request.POST.get("measure", ""), unit=unit,
                            deadline=_date(request.POST.get("deadline", "")), started=True)  # fmt: skip
            messages.success(request, "已保存整改措施")
        elif action == "report":
            services.report_done(request.user, item)
            messages.success(request, "已上报完成")
        elif action == "close":
            services.close(request.user, item)
            messages.success(request, "已销号")
        elif action == "evidence" and (f := request.FILES.get("file")) is not None:
            evidence_service.upload(request.user, item.county, item.source_run.year,
                                    item.evidence_item, request.POST.get("title", "")[:200],
                                    f.name or "file", f.read())  # fmt: skip
            messages.success(request, "已上传佐证材料")
        else:
            messages.error(request, "无效的操作")
    except NotAllowed as exc:
        return HttpResponseForbidden(str(exc))
    except ServiceError as exc:
        messages.error(request, f"操作未完成：{exc}")
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("ledger:county", code=item.county.code)


@login_required
@require_POST
def sync_county(request: HttpRequest, code: str) -> HttpResponse:
    county = info_sel.county_in_scope(request.user, code)
    if not scope_of(request.user).may("edit_county"):
        return HttpResponseForbidden("只有区县督导人员可以更新台账")
    run = services.latest_run(county.pk)
    if run is None:
        messages.error(request, "该区县还没有评估记录，请先评估")
    else:
        rec = services.sync(run)
        messages.success(request, f"已按{run.year}年评估更新台账：新增{len(rec.new)}项，"
                                  f"自动销号{len(rec.closed)}项，重新打开{len(rec.reopened)}项")  # fmt: skip
    return redirect("ledger:county", code=county.code)


def _rows(items: list[LedgerItem], with_county: bool) -> list[LedgerRow]:
    return [
        LedgerRow(problem=(f"{i.county.name}：" if with_county else "") + i.title
                  + (f"（{i.detail}）" if i.detail else "") + (f"，{i.gap}" if i.gap else ""),
                  measure=i.measure, unit=i.unit.name if i.unit else "", deadline=i.deadline,
                  progress=i.status, closing=i.note if i.status == LedgerItem.State.CLOSED else "")
        for i in items
    ]  # fmt: skip


def _xlsx(data: bytes, name: str) -> HttpResponse:
    resp = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return resp


@login_required
def export_county(request: HttpRequest, code: str) -> HttpResponse:
    county = info_sel.county_in_scope(request.user, code)
    rows = _rows(sel.county_items(request.user, county), with_county=False)
    data = ledger_xlsx(rows, f"{county.name}县域义务教育优质均衡发展整改台账")
    return _xlsx(data, f"{county.code}-ledger.xlsx")


@login_required
def export_region(request: HttpRequest, level: str, code: str) -> HttpResponse:
    """The open items of a city's or province's counties, overdue first."""
    region: City | Province
    if level == "city":
        region = info_sel.city_in_scope(request.user, code)
        counties = County.objects.filter(city__code=region.code)
    else:
        region = info_sel.province_in_scope(request.user, code)
        counties = County.objects.filter(city__province__code=region.code)
    rows = _rows(sel.region_items(request.user, counties), with_county=True)
    data = ledger_xlsx(rows, f"{region.name}县域义务教育优质均衡发展整改台账（未销号事项）")
    return _xlsx(data, f"{region.code}-ledger.xlsx")


def _units() -> QuerySet[ResponsibleUnit]:
    services.ensure_units()
    return ResponsibleUnit.objects.all()
