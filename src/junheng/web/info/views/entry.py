"""Data entry and the review actions (HTMX-friendly: partial responses when asked)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from junheng.display import fmt

from .. import selectors as sel
from ..forms import SchoolRecordForm
from ..models import CountyRecord, SchoolRecord
from ..queuerows import queue_rows
from ..scoping import scope_of
from ..services import workflow
from ..services.errors import NotAllowed, ServiceError, ValidationFailed
from ..services.records import SCHOOL_KEYS, editable, lock_message, save_school_record
from ..services.reviews import record_city_review
from ..services.years import previous_values

GROUPS = (
    ("基本情况", ("name", "type", "urban_rural", "sponsor", "boarding")),
    ("学生与班级", ("p_students", "j_students", "s_students", "p_classes", "j_classes",
               "p_oversized", "j_oversized")),
    ("教师", ("p_teachers", "j_teachers", "p_qualified", "j_qualified", "p_backbone", "j_backbone",
            "p_pe_art", "j_pe_art", "certified", "trained")),
    ("校舍与装备", ("teach_area", "indoor_sports", "sports_ground", "equipment", "mm_rooms",
               "music_rooms", "music_ok", "art_rooms", "art_ok")),
    ("经费", ("public_funds", "training_funds")),
)  # fmt: skip


def _history(rec: SchoolRecord | CountyRecord) -> list[dict[str, object]]:
    """The last changes with who, when and each field's old → new value."""
    rows = []
    # one query for the 20 rows and the one before the oldest (each row's prev_record would
    # be a query of its own)
    hist = list(rec.history.select_related("history_user").order_by("-history_date", "-pk")[:21])
    for h, prev in zip(hist[:20], [*hist[1:], None], strict=False):
        changes = []
        if prev is not None:
            for c in h.diff_against(prev).changes:
                if c.field in ("updated_at", "version"):
                    continue
                field = type(rec)._meta.get_field(c.field)
                changes.append(
                    f"{field.verbose_name}：{_shown(field, c.old)} → {_shown(field, c.new)}"
                )
        rows.append({"h": h, "changes": changes})
    return rows


def _shown(field: Any, value: object) -> str:
    """A value as the form shows it: 草稿 not ``draft``, 是/否 not True/False."""
    if value in (None, ""):
        return "空"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _prev_text(key: str, prev: object, now: object) -> str:
    """Last year's figure and the change to this year's, as shown under a field."""
    if prev is None or prev == "":
        return ""
    if isinstance(prev, bool) or not isinstance(prev, int | float):
        # a coded choice (学校类型 "primary") shows as its label
        labels = {True: "是", False: "否", **dict(SchoolRecord._meta.get_field(key).flatchoices)}
        shown = labels.get(prev, prev)
        return f"上年 {shown}" + ("（有变化）" if now != prev else "")
    digits = 0 if isinstance(prev, int) else 2
    text = f"上年 {fmt(prev, digits)}"
    if isinstance(now, int | float) and not isinstance(now, bool) and now != prev:
        delta = now - prev
        text += f"（{'+' if delta > 0 else '-'}{fmt(abs(delta), digits)}）"
    return text


def _groups(
    form: SchoolRecordForm, rec: SchoolRecord
) -> list[tuple[str, list[tuple[object, str]]]]:
    prev = previous_values(rec)
    return [
        (title, [(form[k], _prev_text(k, prev.get(k), getattr(rec, k))) for k in keys])
        for title, keys in GROUPS
    ]


def _form_context(request: HttpRequest, rec: SchoolRecord, form: SchoolRecordForm,
                  can_edit: bool, **extra: object) -> dict[str, object]:  # fmt: skip
    return {"form": form, "groups": _groups(form, rec), "rec": rec, "can_edit": can_edit,
            "year": rec.year, "scope": scope_of(request.user), **extra}  # fmt: skip


@login_required
def school_edit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The school form. Saving by HTMX answers with the form alone; 提交 saves what is on the
    form first and submits only if that succeeded."""
    rec = sel.record_in_scope(request.user, code, year)
    can_edit = editable(request.user, rec)
    stored = {k: getattr(rec, k) for k in SCHOOL_KEYS}  # the form's validation writes into rec
    form = SchoolRecordForm(request.POST or None, instance=rec)
    htmx = bool(request.headers.get("HX-Request"))
    if request.method == "POST":
        then_submit = request.POST.get("then") == "submit"
        if not can_edit:
            form.add_error(None, lock_message(rec) or "当前状态下不能修改")
        elif form.is_valid():
            values = {k: form.cleaned_data.get(k) for k in SCHOOL_KEYS}
            try:
                changed = values != stored
                if changed or not then_submit:
                    rec = save_school_record(
                        request.user, rec, values, form.cleaned_data["version"]
                    )
                if then_submit:
                    rec = workflow.submit(request.user, rec)
                    messages.success(request, f"{rec.school.name}的数据已提交区县审核"
                                     + ("（提交前已保存您的修改）" if changed else ""))  # fmt: skip
                    if htmx:
                        return HttpResponse(headers={"HX-Redirect": request.path})
                    return redirect("school_edit", code=code, year=year)
                if htmx:
                    # rec is the row as just written (its school read by the rename check)
                    fresh = SchoolRecordForm(instance=rec)
                    # the history table sits outside the swapped form: refresh it out of band
                    ctx = _form_context(request, rec, fresh, can_edit, saved=True,
                                        history=_history(rec), oob=True)  # fmt: skip
                    return render(request, "info/_school_form_saved.html", ctx)
                messages.success(request, "已保存")
                return redirect("school_edit", code=code, year=year)
            except ValidationFailed as exc:
                for f in exc.findings:
                    form.add_error(None, f.message)
            except ServiceError as exc:
                form.add_error(None, str(exc))
        if then_submit and form.errors:
            form.add_error(None, "数据未提交：请先改正上面标出的问题，再提交")
    if htmx and request.method == "POST":
        return render(
            request, "info/_school_form.html", _form_context(request, rec, form, can_edit)
        )
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    ctx = _form_context(request, rec, form, can_edit, history=_history(rec), lock=lock_message(rec),
                        has_prev=bool(previous_values(rec)))  # fmt: skip
    # a refused save is a refusal (403: the role never may; 409: not in this state), shown on
    # the same page; HTMX above keeps 200 because it swaps only successful answers
    refused = request.method == "POST" and not can_edit
    status = (409 if scope_of(request.user).may("edit_school") else 403) if refused else 200
    return render(request, "info/school_form.html", ctx, status=status)


@login_required
@require_POST
def school_validate(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Field-level validation while typing (HTMX): the form re-rendered with its errors."""
    rec = sel.record_in_scope(request.user, code, year)
    form = SchoolRecordForm(request.POST, instance=rec)
    form.is_valid()
    return render(request, "info/_school_form.html",
                  _form_context(request, rec, form, editable(request.user, rec)))  # fmt: skip


@login_required
@require_POST
def record_action(request: HttpRequest, code: str, year: int, action: str) -> HttpResponse:
    rec = sel.record_in_scope(request.user, code, year)
    try:
        if action == "submit":
            rec = workflow.submit(request.user, rec)
            messages.success(request, f"{rec.school.name}的数据已提交区县审核")
        elif action == "approve":
            rec = workflow.approve(request.user, rec)
            messages.success(request, f"{rec.school.name}的数据已审核通过")
        elif action == "return":
            rec = workflow.return_record(request.user, rec, request.POST.get("reason", ""))
            messages.success(request, f"{rec.school.name}的数据已退回：{rec.status_note}")
        else:
            return HttpResponse(status=404)
    except NotAllowed as exc:
        return HttpResponseForbidden(str(exc))
    except ServiceError as exc:
        messages.error(request, str(exc))
    if request.headers.get("HX-Request"):
        rec.refresh_from_db()
        return HttpResponse(queue_rows([rec], year, scope_of(request.user)))
    return redirect(request.POST.get("next") or "home")


@login_required
@require_POST
def evaluate_action(request: HttpRequest, code: str, year: int) -> HttpResponse:
    county = sel.county_in_scope(request.user, code)
    try:
        # the standard is the province's: a "standard" field in the form is ignored
        run = workflow.evaluate_county(
            request.user, county, year, lock=request.POST.get("lock") == "1"
        )
        messages.success(
            request,
            f"评估完成：{'通过' if run.recognised else '未通过'}"
            + ("，数据已锁定" if run.locked else ""),
        )
    except NotAllowed as exc:
        return HttpResponseForbidden(str(exc))
    except ServiceError as exc:
        messages.error(request, str(exc))
    return redirect("county", code=code, year=year)


@login_required
@require_POST
def city_review(request: HttpRequest, code: str, year: int) -> HttpResponse:
    county = sel.county_in_scope(request.user, code)
    try:
        record_city_review(request.user, county, year, request.POST.get("decision", ""),
                           request.POST.get("comment", ""))  # fmt: skip
        messages.success(request, f"已记录{county.name}的市级复核意见")
    except NotAllowed as exc:
        return HttpResponseForbidden(str(exc))
    except ServiceError as exc:
        messages.error(request, str(exc))
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("city", code=county.city.code, year=year)
