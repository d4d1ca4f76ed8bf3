"""Survey pages: the county's management page and the anonymous form reached by QR code."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from junheng.display import percent
from junheng.errors import InputError
from junheng.survey import GROUPS, SamplingError
from junheng.web.info import selectors as sel
from junheng.web.info.models import School
from junheng.web.info.scoping import scope_of, scoped
from junheng.web.info.services.errors import ServiceError

from . import downloads, services
from .models import Survey

MAX_UPLOAD = 20 * 1024 * 1024
# wrong codes one client may try in ten minutes before it is made to wait
MAX_BAD_CODES = 20


def _survey(request: HttpRequest, code: str, year: int) -> tuple[Any, Survey | None]:
    county = sel.county_in_scope(request.user, code)
    survey = scoped(request.user, Survey.objects.filter(county=county, year=year)).first()
    return county, survey


def _results(survey: Survey) -> dict[str, Any]:
    res = services.result(survey)
    names = dict(School.objects.filter(county=survey.county).values_list("code", "name"))
    groups = {r["group"]: r for r in res.by_group.to_dicts()}
    by_group = [
        {"label": label, **groups.get(key, {"collected": 0, "valid": 0, "satisfied": 0})}
        | {"rate_text": percent(groups[key]["rate"]) if key in groups else "—"}
        for key, label in GROUPS.items()
    ]
    questions = [{**q, "rate_text": percent(q["rate"])} for q in res.questions.to_dicts()]
    chart = {
        "groups": [g["label"] for g in by_group],
        "rates": [
            round(float(groups[k]["rate"]) * 100, 1) if k in groups and groups[k]["rate"] is not None
            else None
            for k in GROUPS
        ],
        "questions": [q["theme"] for q in questions],
        "question_rates": [
            None if q["rate"] is None else round(float(q["rate"]) * 100, 1) for q in questions
        ],
    }  # fmt: skip
    return {
        "res": res,
        "table6": res.table6(),
        "rate_text": percent(res.rate),
        "valid_rate_text": percent(res.valid_rate),
        "visit_rate_text": percent(res.visit_rate),
        "by_area": [{**a, "rate_text": percent(a["rate"])} for a in res.by_area.to_dicts()],
        "by_school": [
            {
                **r,
                "name": names.get(r["school_code"], r["school_code"]),
                "rate_text": percent(r["rate"]),
            }
            for r in res.by_school.to_dicts()
        ],
        "by_group": by_group,
        "questions": questions,
        "chart": json.dumps(chart, ensure_ascii=False),
    }


@login_required
def survey_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    county, survey = _survey(request, code, year)
    scope = scope_of(request.user)
    ctx: dict[str, Any] = {
        "county": county, "year": year, "survey": survey,
        "can_manage": scope.may("edit_county"), "groups": GROUPS.items(),
        "areas": ("城区", "镇区", "乡村"),
        "schools": School.objects.filter(county=county).order_by("code"),
    }  # fmt: skip
    if survey is not None:
        try:
            plan = services.sampling_plan(survey)
            ctx["plan"] = plan
            ctx["plan_rows"] = [
                (label, [plan.by_area[g][a] for a in ("城区", "镇区", "乡村")], plan.by_group[g])
                for g, label in GROUPS.items()
            ]
        except SamplingError as exc:
            ctx["plan_error"] = str(exc)
        ctx["invitations"] = (
            survey.invitations.values("group")
            .annotate(issued=Count("pk"), used=Count("pk", filter=Q(used=True)))
            .order_by("group")
        )
        labels = dict(GROUPS)
        for row in ctx["invitations"]:
            row["label"] = labels.get(row["group"], row["group"])
        ctx |= _results(survey)
    return render(request, "survey/county.html", ctx)


_LABELS = {"count": "数量", "visits": "走访人数", "visits_satisfied": "走访中满意人数",
           "parent_visits": "走访家长人数", "parent_visits_satisfied": "走访家长中满意人数"}  # fmt: skip


def _int(request: HttpRequest, name: str) -> int:
    label = _LABELS.get(name, name)  # the form's label, not the field's name
    try:
        value = int(request.POST.get(name, "").strip() or "0")
    except ValueError:
        raise ServiceError(f"“{label}”应填整数") from None
    if abs(value) > 10**9:
        raise ServiceError(f"“{label}”数值过大")
    return value


@login_required
@require_POST
def survey_action(request: HttpRequest, code: str, year: int, action: str) -> HttpResponse:
    county, survey = _survey(request, code, year)
    back = redirect("survey", code=code, year=year)
    try:
        if action == "create":
            services.create_survey(request.user, county, year)
            messages.success(request, "已创建本年度社会认可度调查")
            return back
        if survey is None:
            raise Http404
        if action == "invite":
            made = services.invite(
                request.user, survey, request.POST.get("group", ""), request.POST.get("area", ""),
                request.POST.get("school") or None, _int(request, "count"),
            )  # fmt: skip
            messages.success(request, f"已生成 {len(made)} 个邀请码，请下载邀请码表打印发放")
        elif action == "paper":
            _paper(request, survey)
        elif action == "visits":
            keys = ("visits", "visits_satisfied", "parent_visits", "parent_visits_satisfied")
            services.set_visits(request.user, survey, {k: _int(request, k) for k in keys})
            messages.success(request, "已保存实地走访情况")
        elif action in ("close", "open"):
            services.set_open(request.user, survey, action == "open")
            messages.success(
                request, "调查已结束，不再接收问卷" if action == "close" else "调查已重新开放"
            )
        elif action == "confirm":
            services.confirm(request.user, survey)
            messages.success(request, "调查结果已写入区县数据的社会认可度各项")
        else:
            raise Http404
    except InputError as exc:
        for f in exc.findings[:50]:
            messages.error(request, f.message)
        messages.error(request, f"共 {len(exc.findings)} 处错误，整个文件未导入")
    except ServiceError as exc:
        messages.error(request, str(exc))
    return back


def _paper(request: HttpRequest, survey: Survey) -> None:
    upload = request.FILES.get("file")
    if upload is None:
        raise ServiceError("请选择纸质问卷录入表")
    if upload.size is None or upload.size > MAX_UPLOAD:
        raise ServiceError("文件超过 20 MB")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "paper.xlsx"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        n = services.import_paper(request.user, survey, path)
    messages.success(request, f"已录入 {n} 份纸质问卷")


@login_required
def survey_download(request: HttpRequest, code: str, year: int, what: str) -> HttpResponse:
    county, survey = _survey(request, code, year)
    if survey is None or not scope_of(request.user).may("edit_county"):
        raise Http404
    try:
        if what == "invitations":
            base = request.build_absolute_uri(reverse("survey_answer", args=["X"]))[:-2]
            data, name = downloads.invitations_workbook(survey, base), "问卷邀请码"
        elif what == "plan":
            data, name = downloads.plan_workbook(survey), "抽样方案"
        elif what == "paper":
            data, name = downloads.paper_template(survey), "纸质问卷录入表"
        else:
            raise Http404
    except SamplingError as exc:
        messages.error(request, str(exc))
        return redirect("survey", code=code, year=year)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"{county.name}{year}年{name}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


def _client(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def answer(request: HttpRequest, code: str) -> HttpResponse:
    """The anonymous questionnaire: no login, one code one return."""
    key = f"survey-bad-codes:{_client(request)}"
    if int(cache.get(key, 0)) >= MAX_BAD_CODES:
        return render(
            request, "survey/message.html",
            {"title": "请稍后再试", "text": "无效邀请码尝试次数过多，请十分钟后再试"}, status=429,
        )  # fmt: skip
    try:
        inv = services.invitation_for(code)
    except services.InvalidCode as exc:
        cache.set(key, int(cache.get(key, 0)) + 1, 600)
        return render(
            request, "survey/message.html", {"title": "邀请码无效", "text": str(exc)}, status=404
        )
    error = ""
    try:
        services.check_open(inv)
        if request.method == "POST":
            services.submit(code, {k: str(v) for k, v in request.POST.items()})
            return render(
                request, "survey/message.html",
                {"title": "提交成功", "text": "问卷已提交，感谢您的参与！本问卷不记录您的姓名和联系方式。"},
            )  # fmt: skip
    except services.Incomplete as exc:
        error = str(exc)
    except ServiceError as exc:
        return render(
            request, "survey/message.html", {"title": "无法填写", "text": str(exc)}, status=409
        )
    q = services.questionnaire(inv.survey)
    questions = [
        {"id": x.id, "text": x.text_for(inv.group), "theme": x.theme,
         "chosen": request.POST.get(f"q_{x.id}", "")}
        for x in q.for_group(inv.group)
    ]  # fmt: skip
    return render(
        request, "survey/answer.html",
        {"inv": inv, "q": q, "questions": questions, "options": q.options, "error": error,
         "group": GROUPS[inv.group], "code": inv.code},
        status=400 if error else 200,
    )  # fmt: skip
