"""Workbook import (preview → confirm), export, and evidence files."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseForbidden
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from junheng.parseworker import prewarm
from junheng.workbook import write_workbook

from .. import selectors as sel
from ..models import CountyRecord, Evidence, SchoolRecord
from ..scoping import Actor, scope_of, scoped
from ..services import evidence as evidence_service
from ..services.errors import NotAllowed, ServiceError
from ..services.importing import confirm_import, preview_import
from ..services.records import county_contract, school_contract
from ..services.years import latest_year
from ..uploads import upload_cap


def _year(value: str | None, user: Actor) -> int:
    try:
        return int(value or "")
    except ValueError:
        return latest_year(user)


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    year = _year(request.POST.get("year") or request.GET.get("year"), request.user)
    ctx: dict[str, object] = {"year": year}
    upload = request.FILES.get("file")
    if request.method == "POST" and getattr(request, "upload_too_large", False):
        messages.error(request, f"文件过大：上传的文件不能超过 {upload_cap() // 1024 // 1024} MB")
    elif request.method == "POST" and isinstance(upload, UploadedFile):
        try:
            ctx["preview"] = preview_import(request.user, upload.read(), upload.name or "", year)
        except ServiceError as exc:
            messages.error(request, str(exc))
    else:
        prewarm()  # the file chosen next is read by a worker already started
    return render(request, "info/import.html", ctx)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    year = _year(request.POST.get("year"), request.user)
    try:
        result = confirm_import(request.user, request.POST.get("token", ""), year)
    except NotAllowed as exc:
        return HttpResponseForbidden(str(exc))
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("import")
    if not result.ok:
        return render(request, "info/import.html", {"year": year, "preview": result})
    messages.success(
        request,
        f"导入完成：新增{result.count('新增')}条，修改{result.count('修改')}条，未变{result.count('不变')}条",
    )
    return redirect("home")


@login_required
def export_county(request: HttpRequest, code: str, year: int) -> HttpResponse:
    county = sel.county_in_scope(request.user, code)
    recs = scoped(
        request.user, SchoolRecord.objects.filter(school__county=county, year=year)
    ).select_related("school__county")
    crec = (
        scoped(request.user, CountyRecord.objects.filter(county=county, year=year))
        .select_related("county__city__province")
        .first()
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = write_workbook(Path(tmp) / "export.xlsx", [school_contract(r) for r in recs.order_by("school__code")],
                              [county_contract(crec)] if crec else [])  # fmt: skip
        data = path.read_bytes()
    resp = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{county.code}-{year}.xlsx"
    return resp


@login_required
@require_POST
def evidence_upload(request: HttpRequest, code: str, year: int) -> HttpResponse:
    county = sel.county_in_scope(request.user, code)
    upload = request.FILES.get("file")
    if getattr(request, "upload_too_large", False):
        messages.error(request, f"文件过大：上传的文件不能超过 {upload_cap() // 1024 // 1024} MB")
    elif upload is None:
        messages.error(request, "请选择要上传的文件")
    else:
        try:
            evidence_service.upload(request.user, county, year, request.POST.get("item", "")[:40],
                                    request.POST.get("title", "")[:200], upload.name or "", upload.read())  # fmt: skip
            messages.success(request, f"已上传佐证材料“{upload.name}”")
        except NotAllowed as exc:
            return HttpResponseForbidden(str(exc))
        except ServiceError as exc:
            messages.error(request, str(exc))
    return redirect("county", code=code, year=year)


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    ev = get_object_or_404(scoped(request.user, Evidence.objects.select_related("county")), pk=pk)
    try:
        evidence_service.delete(request.user, ev)
        messages.success(request, f"已删除佐证材料“{ev.title}”")
    except NotAllowed as exc:
        return HttpResponseForbidden(str(exc))
    except ServiceError as exc:
        messages.error(request, str(exc))
    return redirect("county", code=ev.county.code, year=ev.year)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    ev = get_object_or_404(scoped(request.user, Evidence.objects.all()), pk=pk)
    try:
        path = evidence_service.open_evidence(ev)
    except ServiceError as exc:
        return HttpResponse(str(exc), status=404)
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=ev.original_name, content_type=ev.content_type
    )


def no_role(request: HttpRequest) -> HttpResponse:
    return render(request, "info/no_role.html", {"scope": scope_of(request.user)}, status=403)
