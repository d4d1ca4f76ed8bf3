"""The creation process in the demo province, played through the real services.

After the information base's demo is loaded and evaluated: Shandong's targets, a plan for
every county (two behind plan), two counties recognised and monitored over past years, one
county returned by the city, and one county whose ledger is half closed by new data.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from junheng.process.plan import SHANDONG_TARGETS
from junheng.standard import load_standard
from junheng.web.info.models import (
    County,
    CountyRecord,
    EvaluationResult,
    EvaluationRun,
    ProvinceTarget,
    RecordStatus,
    Role,
    SchoolRecord,
    UserProfile,
)
from junheng.web.info.pagedata import build_display, build_summary
from junheng.web.info.services import evidence, workflow
from junheng.web.ledger import services as ledger
from junheng.web.ledger.models import LedgerItem, ResponsibleUnit

from . import chain, services
from .models import ChainStep
from .workplan_demo import load_workplans

# by position in code order: planned year, and the year recognised (None: not yet)
PLANS: tuple[tuple[int, int | None], ...] = (
    (2022, 2023), (2024, None), (2025, None), (2026, None),
    (2027, None), (2023, 2024), (2028, None), (2030, None),
)  # fmt: skip
LEDGER_LOGIN = "county2"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _user(name: str, role: str, unit: str, password: str) -> User:
    user, created = get_user_model().objects.get_or_create(username=name)
    if created:
        user.set_password(password)
        user.save()
    UserProfile.objects.update_or_create(user=user, defaults={"role": role, "unit_code": unit})
    return user


def _past_result(result: dict[str, Any], year: int, years_back: int) -> dict[str, Any]:
    """An earlier year's result for a recognised county: passing, CVs a little lower."""
    past = copy.deepcopy(result)
    past["year"], past["recognised"], past["reasons"] = year, True, []
    for st in past["resource"]["stages"].values():
        st["cv"] = {
            k: (v * (1 - 0.04 * years_back) if v is not None else None) for k, v in st["cv"].items()
        }
    for part in ("guarantee", "quality", "recognition"):
        past[part]["pass"] = True
        for it in past[part]["items"]:
            if it["pass"] is False:
                it["pass"], it["status"] = True, "达标"
    return past


def _recognise(
    admin: User, county: County, run: EvaluationRun, planned: int, recognised: int
) -> None:
    """Evaluations from the planned year to last year, and the chain through recognition."""
    runs = {}
    for y in range(planned, run.year):
        past = _past_result(run.result, y, run.year - y)
        std = load_standard(run.standard)
        runs[y] = EvaluationRun.objects.create(
            county=county, year=y, standard=run.standard, recognised=True, locked=True,
            created_by=admin, summary=build_summary(past, std), display=build_display(past, std),
        )  # fmt: skip
        EvaluationResult.objects.create(run=runs[y], data=past)
    judged = runs[planned]
    for step, passed, year, batch, opinion in (
        ("self", True, planned, "", "自评达到优质均衡发展要求"),
        ("city", True, planned, "", "同意上报"),
        ("province", True, planned, "", "省级评估达到要求，推荐国家认定"),
        ("national", True, recognised, f"{recognised}年第一批", "教育部认定"),
    ):
        ChainStep.objects.create(county=county, step=step, passed=passed, year=year, batch=batch,
                                       opinion=opinion, run=judged, snapshot=chain.snapshot(judged),
                                       actor=admin)  # fmt: skip


def _half_closed_ledger(admin: User, county: County, year: int, password: str) -> None:
    """Break the county's data, evaluate (items appear), mend half, evaluate again."""
    user = _user(LEDGER_LOGIN, Role.COUNTY, county.code, password)
    # the two largest primary schools: regular schools, counted in every indicator
    recs = list(
        SchoolRecord.objects.filter(school__county=county, year=year, p_students__gt=0).order_by(
            "-p_students"
        )
    )
    first, second = recs[0], recs[1]
    originals = {r.pk: (r.p_oversized, r.j_oversized, r.sports_ground) for r in (first, second)}
    SchoolRecord.objects.filter(pk=first.pk).update(p_oversized=4)
    SchoolRecord.objects.filter(pk=second.pk).update(sports_ground=(second.sports_ground or 0) / 3)
    CountyRecord.objects.filter(county=county, year=year).update(layout_ok=False)
    workflow.evaluate_county(admin, county, year)
    units = {u.name: u for u in ResponsibleUnit.objects.all()}
    plans = {
        "item:class_size": (
            "按学校逐个制定消除大班额方案，秋季学期分班",
            "县教育和体育局",
            date(year, 9, 1),
        ),
        ":sports_area": (
            "扩建运动场，补齐生均体育运动场馆面积",
            "县自然资源局",
            date(year, 11, 30),
        ),
        "item:layout": (
            "修订义务教育学校布局规划并报县政府批复",
            "县发展和改革局",
            date(year, 6, 30),
        ),
        ":equipment_value": ("购置教学仪器设备", "县财政局", date(year - 1, 12, 31)),  # overdue
    }
    for item in LedgerItem.objects.filter(county=county):
        for end, (measure, unit, deadline) in plans.items():
            if item.key.endswith(end):
                ledger.update(user, item, measure=measure, unit=units.get(unit), deadline=deadline,
                              started=True)  # fmt: skip
    for pk, (po, jo, sg) in originals.items():
        SchoolRecord.objects.filter(pk=pk).update(p_oversized=po, j_oversized=jo, sports_ground=sg)
    workflow.evaluate_county(admin, county, year)  # 动态销号: the mended items close on the data
    layout = LedgerItem.objects.filter(county=county, key="item:layout").first()
    if layout is not None:
        evidence.upload(user, county, year, layout.evidence_item, "县义务教育学校布局规划（送审稿）",
                        "布局规划.pdf", PDF)  # fmt: skip
        ledger.report_done(user, layout)


def load_process_demo(password: str, year: int = 2026) -> list[tuple[str, str, str]]:
    """Play the process through; returns the extra logins (username, role, unit)."""
    admin = get_user_model().objects.get(username="admin")
    counties = list(County.objects.select_related("city__province").order_by("code"))
    if not counties or ProvinceTarget.objects.filter(province=counties[0].city.province).exists():
        return []  # loaded already
    province = counties[0].city.province
    for y, share in SHANDONG_TARGETS.items():
        ProvinceTarget.objects.update_or_create(
            province=province, year=y, defaults={"share": share}
        )
    for i, county in enumerate(counties):
        planned, recognised = PLANS[i % len(PLANS)]
        services.set_plan(admin, county, planned)
        run = EvaluationRun.objects.filter(county=county, year=year).order_by("-pk").first()
        if run is None:
            continue
        if recognised is not None:
            _recognise(admin, county, run, planned, recognised)
    if len(counties) > 1:
        _half_closed_ledger(admin, counties[1], year, password)
    if len(counties) > 3:  # locked self-evaluation, returned by the city with two reasons
        c = counties[3]
        SchoolRecord.objects.filter(school__county=c, year=year).update(
            status=RecordStatus.APPROVED
        )
        run = workflow.evaluate_county(admin, c, year, lock=True)
        chain.self_evaluate(admin, c, run, "自评基本达到要求")
        chain.city_review(admin, c, passed=False,
                          opinion="大班额问题尚未消除，须提供分班方案\n部分学校功能室使用记录不全")  # fmt: skip
    load_workplans(admin, counties[:2], year)  # two counties' 实施方案, some tasks overdue
    return (
        [(LEDGER_LOGIN, "区县督导（整改台账示例）", counties[1].code)] if len(counties) > 1 else []
    )
