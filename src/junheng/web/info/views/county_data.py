"""County facts entry and provincial targets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import selectors as sel
from ..countyform import bound_sections
from ..forms import CountyRecordForm
from ..models import CountyRecord, RecordStatus
from ..pagedata import standard_title
from ..scoping import scope_of, scoped
from ..services import years
from ..services.errors import NotAllowed, ServiceError
from ..services.records import COUNTY_KEYS, lock_message, save_county_record
from ..services.reviews import check_year, set_province_standard, set_target
from .entry import _history


@login_required
def county_edit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    county = sel.county_in_scope(request.user, code)
    rec = scoped(request.user, CountyRecord.objects.filter(county=county, year=year)).first()
    scope = scope_of(request.user)
    if rec is None:
        if not scope.may("edit_county"):
            return HttpResponse(status=404)
        # shown empty; written only when saved (a GET never writes)
        rec = CountyRecord(county=county, year=year, version=0)
    can_edit = scope.may("edit_county") and rec.status != RecordStatus.LOCKED
    form = CountyRecordForm(request.POST or None, instance=rec)
    if request.method == "POST":
        if not can_edit:
            return HttpResponseForbidden(lock_message(rec) or "无权修改该区县的数据")
        if form.is_valid():
            try:
                save_county_record(request.user, rec, {k: form.cleaned_data.get(k) for k in COUNTY_KEYS},
                                   form.cleaned_data["version"])  # fmt: skip
                messages.success(request, "区县数据已保存")
                return redirect("county_edit", code=code, year=year)
            except NotAllowed as exc:
                return HttpResponseForbidden(str(exc))
            except ServiceError as exc:
                form.add_error(None, str(exc))
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "info/county_form.html", {
        "county": county, "year": year, "rec": rec, "form": form, "can_edit": can_edit,
        "lock": lock_message(rec), "sections": bound_sections(form), "history": _history(rec),
        "new": rec.pk is None,
    })  # fmt: skip


def _back_year(request: HttpRequest) -> int:
    try:
        return check_year(int(request.POST.get("back_year", "")))
    except (ValueError, ServiceError):
        return timezone.localdate().year


@login_required
@require_POST
def province_target(request: HttpRequest, code: str) -> HttpResponse:
    province = sel.province_in_scope(request.user, code)
    try:
        year, share = int(request.POST.get("year", "")), float(request.POST.get("share", ""))
    except ValueError:
        messages.error(request, "请填写目标年度（四位年份）和认定区县占比（%）")
        return redirect("province", code=code, year=_back_year(request))
    try:
        target = set_target(request.user, province, year, share)
        messages.success(request, f"已设置{target.year}年目标：{target.share:g}%")
    except NotAllowed as exc:
        return HttpResponseForbidden(str(exc))
    except ServiceError as exc:
        messages.error(request, str(exc))
    return redirect("province", code=code, year=_back_year(request))


@login_required
@require_POST
def province_standard(request: HttpRequest, code: str) -> HttpResponse:
    province = sel.province_in_scope(request.user, code)
    try:
        set_province_standard(request.user, province, request.POST.get("standard", ""))
        messages.success(request, f"本省评估标准已设为：{standard_title(province.standard)}")
    except NotAllowed as exc:
        return HttpResponseForbidden(str(exc))
    except ServiceError as exc:
        messages.error(request, str(exc))
    return redirect("province", code=code, year=_back_year(request))


@login_required
@require_POST
def start_year(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """开始新学年采集: last year's records copied as drafts for every school of the county."""
    county = sel.county_in_scope(request.user, code)
    try:
        started = years.start_year(request.user, county, year)
    except NotAllowed as exc:
        return HttpResponseForbidden(str(exc))
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("county", code=code, year=year - 1)
    messages.success(request, f"已开始{year}年采集：{started.schools}所学校的{started.source_year}年数据已复制为草稿"
                              + ("，区县数据一并复制" if started.county else "")
                              + "。请通知各校核对修改后提交。")  # fmt: skip
    return redirect("county", code=code, year=year)
