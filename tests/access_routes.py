"""The access registry: every route of the site and the API, what fills its URL, who may use it.

``ROUTES`` maps each URL pattern exactly as Django's resolver spells it (the ``include()``
prefixes joined, e.g. ``"ledger/item/<int:pk>/<str:action>/"``) to the requests tried on it.
``tests/test_access_matrix.py`` fails when a pattern in the URLconf or a path × method in the
OpenAPI schema has no entry here, so a new route cannot escape the matrix.

Adding a route is one line::

    "county/<str:code>/<int:year>/thing/": [read("/county/{county}/{year}/thing/", COUNTY_READ)],

``read``: a GET (or a POST that must change nothing) that ``roles`` may open on their own unit;
``change``: a request that ``roles`` may make on their own unit and that changes the database.
The URL is filled with the ids of the own or the foreign side (see :func:`ids`: ``county``,
``city``, ``province``, ``school``, ``year``, ``next_year``, ``run``, ``evidence``, ``item``,
``step``, ``invitation``, ``used_invitation``). ``admin`` may act on both sides; ``unit=False``
for routes without a unit in the URL (tried once, nobody may see the foreign unit's name unless
admin). ``setup`` brings the world to the state the request needs (e.g. ``LOCKED`` for a city
review); ``effect=False`` when a permitted request legitimately changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from junheng.survey import default_questionnaire
from junheng.web.creation import chain
from junheng.web.creation.models import ChainStep
from junheng.web.creation.workplan_models import LocalTarget, WorkTask
from junheng.web.info.models import (
    County,
    EvaluationRun,
    Evidence,
    RecordStatus,
    SchoolRecord,
)
from junheng.web.info.services import workflow
from junheng.web.info.services.records import SCHOOL_KEYS
from junheng.web.ledger.models import LedgerItem, ResponsibleUnit
from junheng.web.survey.models import Invitation, Survey
from webfixtures import YEAR, World

LOGGED_IN = frozenset({"school", "county", "city", "province", "admin", "norole"})
EVERYONE = LOGGED_IN | {"anonymous"}
WITH_ROLE = LOGGED_IN - {"norole"}
SCHOOL_READ = frozenset({"school", "county", "city", "province", "admin"})
COUNTY_READ = frozenset({"county", "city", "province", "admin"})
CITY_READ = frozenset({"city", "province", "admin"})
PROVINCE_READ = frozenset({"province", "admin"})
COUNTY_WRITE = frozenset({"county", "admin"})
CITY_WRITE = frozenset({"city", "admin"})
PROVINCE_WRITE = frozenset({"province", "admin"})
SCHOOL_WRITE = frozenset({"school", "county", "admin"})
NOBODY: frozenset[str] = frozenset()
PDF = b"%PDF-1.4\n%%EOF"

Setup = Callable[[World], None]


@dataclass(frozen=True)
class Case:
    method: str
    url: str
    roles: frozenset[str]
    changes: bool
    body: dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]] | None = None
    setup: Setup | None = None
    effect: bool = True
    unit: bool = True
    files: bool = False
    json: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def read(url: str, roles: frozenset[str], *, method: str = "get", **kw: Any) -> Case:
    return Case(method, url, frozenset(roles), False, **kw)


def change(url: str, roles: frozenset[str], body: Any = None, *, method: str = "post",
           **kw: Any) -> Case:  # fmt: skip
    api = url.startswith("/api/") and not kw.get("files")
    return Case(method, url, frozenset(roles), True, body, json=api, **kw)


# --- states the world can be brought to -------------------------------------------------


def draft(w: World) -> None:
    SchoolRecord.objects.update(status=RecordStatus.DRAFT)


def locked(w: World) -> None:
    SchoolRecord.objects.update(status=RecordStatus.APPROVED)
    for county in (w.own, w.foreign):
        workflow.evaluate_county(w.users["admin"], county, YEAR, lock=True)


def _steps(w: World, upto: int) -> None:
    locked(w)
    admin = w.users["admin"]
    for county in (w.own, w.foreign):
        run = EvaluationRun.objects.filter(county=county, locked=True).latest("pk")
        chain.self_evaluate(admin, county, run, "自评")
        if upto >= 2:
            chain.city_review(admin, county, passed=True, opinion="同意")
        if upto >= 3:
            chain.province_evaluate(admin, county, recommended=True, opinion="推荐", year=YEAR)
        if upto >= 4:
            chain.national(admin, county, batch="第一批", year=YEAR)


def self_done(w: World) -> None:
    _steps(w, 1)


def city_done(w: World) -> None:
    _steps(w, 2)


def province_done(w: World) -> None:
    _steps(w, 3)


def recognised(w: World) -> None:
    _steps(w, 4)


def no_survey(w: World) -> None:
    Survey.objects.all().delete()


def survey_closed(w: World) -> None:
    Survey.objects.update(is_open=False)


def no_ledger(w: World) -> None:
    LedgerItem.objects.all().delete()


def workplan(w: World) -> None:
    from junheng.web.creation import workplan_services
    from junheng.web.ledger.services import ensure_units

    ensure_units()
    admin = w.users["admin"]
    for county in (w.own, w.foreign):
        plan = workplan_services.create_plan(admin, county, preset="wenshang",
                                             start=date(2026, 1, 1), end=date(2028, 12, 31))  # fmt: skip
        workplan_services.add_task(admin, plan, title="新建校舍", deadline=date(2027, 6, 30),
                                   unit=ResponsibleUnit.objects.order_by("pk").first())  # fmt: skip


def ids(w: World, county: County) -> dict[str, Any]:
    """What fills a URL on one side; ids an object does not have become a number nothing has."""

    def pk(obj: Any) -> int:
        return obj.pk if obj is not None else 999999

    survey = Survey.objects.filter(county=county).first()
    unused = Invitation.objects.filter(survey=survey, used=False).order_by("pk").first()
    used = Invitation.objects.filter(survey=survey, used=True).first()
    return {
        "county": county.code, "city": county.city.code, "province": county.city.province.code,
        "school": w.school(county).code, "year": YEAR, "next_year": YEAR + 1,
        "run": pk(EvaluationRun.objects.filter(county=county).order_by("-pk").first()),
        "evidence": pk(Evidence.objects.filter(county=county).first()),
        "item": pk(LedgerItem.objects.filter(county=county).order_by("pk").first()),
        "step": pk(ChainStep.objects.filter(county=county).order_by("-pk").first()),
        "task": pk(WorkTask.objects.filter(plan__county=county).first()),
        "target": pk(LocalTarget.objects.filter(plan__county=county).first()),
        "invitation": unused.code if unused else "NOCODE0000",
        "used_invitation": used.code if used else "NOCODE0000",
        "group": unused.group if unused else "parent",
    }  # fmt: skip


def answers(i: dict[str, Any]) -> dict[str, str]:
    q = default_questionnaire()
    return {f"q_{x.id}": ("A" if x.overall else "B") for x in q.for_group(i["group"])}


def school_form(i: dict[str, Any]) -> dict[str, str]:
    """The school's form as stored, with one figure changed."""
    rec = SchoolRecord.objects.get(school__code=i["school"], year=YEAR)
    form = {k: "" if getattr(rec, k) is None else str(getattr(rec, k)) for k in SCHOOL_KEYS}
    return form | {"p_backbone": "21", "version": str(rec.version)}


SCHOOL_FORM = {"p_backbone": "21", "version": "1"}
COUNTY_FORM = {"population": "71", "version": "1"}
RECORD = {"version": 1, "values": {"p_backbone": 21}}

ROUTES: dict[str, list[Case]] = {
    # --- info: pages, entry, workflow, files, reports ---------------------------------------
    "login/": [read("/login/", EVERYONE, unit=False)],
    "logout/": [read("/logout/", EVERYONE, unit=False)],
    "": [read("/", WITH_ROLE, unit=False)],
    "county/<str:code>/<int:year>/": [read("/county/{county}/{year}/", COUNTY_READ)],
    "county/<str:code>/<int:year>/data/": [
        read("/county/{county}/{year}/data/", COUNTY_READ),
        change("/county/{county}/{year}/data/", COUNTY_WRITE, COUNTY_FORM),
    ],
    "county/<str:code>/<int:year>/start/": [
        change("/county/{county}/{next_year}/start/", COUNTY_WRITE)
    ],
    "county/<str:code>/<int:year>/evaluate/": [
        change("/county/{county}/{year}/evaluate/", COUNTY_WRITE)
    ],
    "county/<str:code>/<int:year>/review/": [
        change("/county/{county}/{year}/review/", CITY_WRITE, {"decision": "agree"}, setup=locked)
    ],
    "county/<str:code>/<int:year>/export/": [read("/county/{county}/{year}/export/", COUNTY_READ)],
    "county/<str:code>/<int:year>/evidence/": [
        change(
            "/county/{county}/{year}/evidence/",
            COUNTY_WRITE,
            {"title": "t", "item": "layout"},
            files=True,
        )
    ],
    "evidence/<int:pk>/": [read("/evidence/{evidence}/", COUNTY_READ)],
    "evidence/<int:pk>/delete/": [change("/evidence/{evidence}/delete/", COUNTY_WRITE)],
    "city/<str:code>/<int:year>/": [read("/city/{city}/{year}/", CITY_READ)],
    "province/<str:code>/<int:year>/": [read("/province/{province}/{year}/", PROVINCE_READ)],
    "province/<str:code>/targets/": [
        change("/province/{province}/targets/", PROVINCE_WRITE, {"year": "2027", "share": "30"})
    ],
    "province/<str:code>/standard/": [
        change("/province/{province}/standard/", PROVINCE_WRITE, {"standard": "wenshang-2022"})
    ],
    "school/<str:code>/<int:year>/": [
        read("/school/{school}/{year}/", SCHOOL_READ),
        change("/school/{school}/{year}/", SCHOOL_WRITE, school_form, setup=draft),
    ],
    "school/<str:code>/<int:year>/validate/": [
        read("/school/{school}/{year}/validate/", SCHOOL_READ, method="post", body=SCHOOL_FORM)
    ],
    "school/<str:code>/<int:year>/<str:action>/": [
        change("/school/{school}/{year}/submit/", {"school", "admin"}, setup=draft),
        change("/school/{school}/{year}/approve/", COUNTY_WRITE),
        change("/school/{school}/{year}/return/", COUNTY_WRITE, {"reason": "不符"}),
        read("/school/{school}/{year}/nonsense/", NOBODY, method="post"),
    ],
    "import/": [
        read("/import/", LOGGED_IN, unit=False),
        read("/import/", LOGGED_IN, unit=False, method="post", body={"year": str(YEAR)}),
    ],
    "import/confirm/": [
        # a token nobody previewed: the roles that may import are told so, the others are
        # refused before it is looked at (a real preview by role: test_access_import.py)
        read(
            "/import/confirm/",
            SCHOOL_WRITE,
            unit=False,
            method="post",
            body={"token": "0" * 32, "year": str(YEAR)},
        )
    ],
    "county/<str:code>/<int:year>/report/<str:fmt>/": [
        # every format: a report is made once per state of its data (the cache), so the roles
        # after the first read the same file and the PDF's LibreOffice runs once per county
        read("/county/{county}/{year}/report/xlsx/", COUNTY_READ),
        read("/county/{county}/{year}/report/docx/", COUNTY_READ),
        read("/county/{county}/{year}/report/pdf/", COUNTY_READ),
    ],
    "city/<str:code>/<int:year>/overview/<str:fmt>/": [
        read("/city/{city}/{year}/overview/xlsx/", CITY_READ),
        read("/city/{city}/{year}/overview/docx/", CITY_READ),
    ],
    "province/<str:code>/<int:year>/overview/<str:fmt>/": [
        read("/province/{province}/{year}/overview/xlsx/", PROVINCE_READ)
    ],
    # --- survey -----------------------------------------------------------------------------
    "county/<str:code>/<int:year>/survey/": [read("/county/{county}/{year}/survey/", COUNTY_READ)],
    "county/<str:code>/<int:year>/survey/download/<str:what>/": [
        read("/county/{county}/{year}/survey/download/invitations/", COUNTY_WRITE),
        read("/county/{county}/{year}/survey/download/plan/", COUNTY_WRITE),
        read("/county/{county}/{year}/survey/download/paper/", COUNTY_WRITE),
    ],
    "county/<str:code>/<int:year>/survey/<str:action>/": [
        change("/county/{county}/{year}/survey/create/", COUNTY_WRITE, setup=no_survey),
        change(
            "/county/{county}/{year}/survey/invite/",
            COUNTY_WRITE,
            lambda i: {"group": "parent", "area": "城区", "school": i["school"], "count": "2"},
        ),
        change(
            "/county/{county}/{year}/survey/visits/",
            COUNTY_WRITE,
            {"visits": "10", "visits_satisfied": "9"},
        ),
        change("/county/{county}/{year}/survey/close/", COUNTY_WRITE),
        change("/county/{county}/{year}/survey/open/", COUNTY_WRITE, setup=survey_closed),
        change("/county/{county}/{year}/survey/confirm/", COUNTY_WRITE),
        change("/county/{county}/{year}/survey/paper/", COUNTY_WRITE, effect=False),
    ],
    "s/<str:code>/": [
        read("/s/{invitation}/", EVERYONE, unit=False),
        change("/s/{invitation}/", EVERYONE, answers, unit=False),
        change("/s/{used_invitation}/", NOBODY, answers, unit=False),
        read("/s/NOTACODE99/", NOBODY, unit=False),
    ],
    # --- ledger -----------------------------------------------------------------------------
    "ledger/county/<str:code>/": [read("/ledger/county/{county}/", COUNTY_READ)],
    "ledger/county/<str:code>/sync/": [
        change("/ledger/county/{county}/sync/", COUNTY_WRITE, setup=no_ledger)
    ],
    "ledger/county/<str:code>/export/": [read("/ledger/county/{county}/export/", COUNTY_READ)],
    "ledger/item/<int:pk>/<str:action>/": [
        change("/ledger/item/{item}/save/", COUNTY_WRITE, {"measure": "新建校舍"}),
        change("/ledger/item/{item}/report/", COUNTY_WRITE, effect=False),
        change("/ledger/item/{item}/close/", {"county", "city", "admin"}, effect=False),
        change("/ledger/item/{item}/evidence/", COUNTY_WRITE, {"title": "t"}, files=True),
    ],
    "ledger/<str:level>/<str:code>/": [
        read("/ledger/city/{city}/", CITY_READ),
        read("/ledger/province/{province}/", PROVINCE_READ),
    ],
    "ledger/<str:level>/<str:code>/export/": [
        read("/ledger/city/{city}/export/", CITY_READ),
        read("/ledger/province/{province}/export/", PROVINCE_READ),
    ],
    # --- creation: plans, the review chain, the recommendation form -------------------------
    "creation/county/<str:code>/plan/": [
        change("/creation/county/{county}/plan/", CITY_WRITE, {"year": "2025"})
    ],
    "creation/county/<str:code>/chain/": [read("/creation/county/{county}/chain/", COUNTY_READ)],
    "creation/county/<str:code>/chain/<str:step>/": [
        change(
            "/creation/county/{county}/chain/self/",
            COUNTY_WRITE,
            lambda i: {"run": str(i["run"]), "opinion": "自评"},
            setup=locked,
        ),
        change(
            "/creation/county/{county}/chain/city/", CITY_WRITE, {"passed": "1"}, setup=self_done
        ),
        change(
            "/creation/county/{county}/chain/province/",
            PROVINCE_WRITE,
            {"passed": "1", "year": "2026"},
            setup=city_done,
        ),
        change(
            "/creation/county/{county}/chain/national/",
            PROVINCE_WRITE,
            {"batch": "第一批", "year": "2026"},
            setup=province_done,
        ),
    ],
    "creation/county/<str:code>/snapshot/<int:pk>/": [
        read("/creation/county/{county}/snapshot/{step}/", COUNTY_READ, setup=self_done)
    ],
    "creation/county/<str:code>/recommend/": [
        read("/creation/county/{county}/recommend/", COUNTY_READ),
        change(
            "/creation/county/{county}/recommend/",
            {"county", "province", "admin"},
            {"contact": "张三"},
        ),
    ],
    "creation/county/<str:code>/recommend.<str:fmt_>": [
        read("/creation/county/{county}/recommend.docx", COUNTY_READ),
        read("/creation/county/{county}/recommend.xlsx", COUNTY_READ),
    ],
    "creation/<str:level>/<str:code>/": [
        read("/creation/city/{city}/", CITY_READ),
        read("/creation/province/{province}/", PROVINCE_READ),
    ],
    "creation/<str:level>/<str:code>/export/": [
        read("/creation/city/{city}/export/", CITY_READ),
        read("/creation/province/{province}/export/", PROVINCE_READ),
    ],
    "creation/county/<str:code>/workplan/": [
        read("/creation/county/{county}/workplan/", COUNTY_READ, setup=workplan)
    ],
    "creation/county/<str:code>/workplan/export/": [
        read("/creation/county/{county}/workplan/export/", COUNTY_READ, setup=workplan)
    ],
    "creation/county/<str:code>/workplan/<str:action>/": [
        change(
            "/creation/county/{county}/workplan/create/",
            COUNTY_WRITE,
            {"preset": "wenshang", "start": "2026-01-01", "end": "2028-12-31"},
        ),
        change(
            "/creation/county/{county}/workplan/progress/",
            COUNTY_WRITE,
            lambda i: {"task": str(i["task"]), "progress": "50"},
            setup=workplan,
        ),
        change(
            "/creation/county/{county}/workplan/edit/",
            COUNTY_WRITE,
            lambda i: {
                "task": str(i["task"]),
                "title": "新建校舍二期",
                "deadline": "2027-12-31",
                "unit": str(ResponsibleUnit.objects.order_by("-pk").first().pk),
            },
            setup=workplan,
        ),
        change(
            "/creation/county/{county}/workplan/remove/",
            COUNTY_WRITE,
            lambda i: {"task": str(i["task"])},
            setup=workplan,
        ),
        change(
            "/creation/county/{county}/workplan/remove_target/",
            COUNTY_WRITE,
            lambda i: {"target": str(i["target"])},
            setup=workplan,
        ),
    ],
    "creation/<str:level>/<str:code>/workplans/": [
        read("/creation/city/{city}/workplans/", CITY_READ, setup=workplan),
        read("/creation/province/{province}/workplans/", PROVINCE_READ, setup=workplan),
    ],
    # --- monitoring, planning ---------------------------------------------------------------
    "monitoring/province/<str:code>/": [read("/monitoring/province/{province}/", PROVINCE_READ)],
    "monitoring/county/<str:code>/": [
        read("/monitoring/county/{county}/", COUNTY_READ, setup=recognised)
    ],
    "county/<str:code>/<int:year>/plan/": [read("/county/{county}/{year}/plan/", COUNTY_READ)],
    "county/<str:code>/<int:year>/plan/ledger/": [
        # the world's one shortfall (an oversized class) has no measure in the plan to write
        change("/county/{county}/{year}/plan/ledger/", COUNTY_WRITE, {"query": ""}, effect=False)
    ],
    # --- operations --------------------------------------------------------------------------
    "healthz": [read("/healthz", EVERYONE, unit=False)],
    # --- API (each path × method of the OpenAPI schema) -------------------------------------
    "api/": [read("/api/", NOBODY, unit=False)],  # ninja's root: nothing there
    "api/openapi.json": [read("/api/openapi.json", LOGGED_IN, unit=False)],
    "api/docs": [read("/api/docs", LOGGED_IN, unit=False)],
    "api/schools": [read("/api/schools", LOGGED_IN, unit=False)],
    "api/schools/<code>/records/<year>": [
        read("/api/schools/{school}/records/{year}", SCHOOL_READ),
        change(
            "/api/schools/{school}/records/{year}", SCHOOL_WRITE, RECORD, method="put", setup=draft
        ),
    ],
    "api/schools/<code>/records/<year>/<action>": [
        change("/api/schools/{school}/records/{year}/submit", {"school", "admin"}, {}, setup=draft),
        change("/api/schools/{school}/records/{year}/approve", COUNTY_WRITE, {}),
        change("/api/schools/{school}/records/{year}/return", COUNTY_WRITE, {"reason": "不符"}),
    ],
    "api/counties": [read("/api/counties", LOGGED_IN, unit=False)],
    "api/counties/<code>/evaluations": [read("/api/counties/{county}/evaluations", COUNTY_READ)],
    "api/counties/<code>/evaluate": [
        change("/api/counties/{county}/evaluate", COUNTY_WRITE, {"year": YEAR})
    ],
    "api/evaluations/<pk>": [read("/api/evaluations/{run}", COUNTY_READ)],
    "api/creation/plans": [read("/api/creation/plans", LOGGED_IN, unit=False)],
    "api/creation/counties/<code>/plan": [
        read("/api/creation/counties/{county}/plan", COUNTY_READ),
        change("/api/creation/counties/{county}/plan", CITY_WRITE, {"year": 2025}, method="put"),
    ],
    "api/creation/counties/<code>/chain": [
        read("/api/creation/counties/{county}/chain", COUNTY_READ)
    ],
    "api/creation/counties/<code>/chain/<step>": [
        change(
            "/api/creation/counties/{county}/chain/self",
            COUNTY_WRITE,
            lambda i: {"run": i["run"], "opinion": "自评"},
            setup=locked,
        ),
        change(
            "/api/creation/counties/{county}/chain/city",
            CITY_WRITE,
            {"passed": True},
            setup=self_done,
        ),
    ],
    "api/creation/counties/<code>/workplan": [
        read("/api/creation/counties/{county}/workplan", COUNTY_READ, setup=workplan)
    ],
    "api/creation/workplan/tasks/<pk>": [
        change(
            "/api/creation/workplan/tasks/{task}",
            COUNTY_WRITE,
            {"progress": 50},
            method="put",
            setup=workplan,
        ),
    ],
    "api/ledger/counties/<code>/items": [read("/api/ledger/counties/{county}/items", COUNTY_READ)],
    "api/ledger/items/<pk>": [
        read("/api/ledger/items/{item}", COUNTY_READ),
        change("/api/ledger/items/{item}", COUNTY_WRITE, {"measure": "新建校舍"}, method="put"),
    ],
    "api/ledger/items/<pk>/<action>": [
        change("/api/ledger/items/{item}/report", COUNTY_WRITE, {}, effect=False),
        # the item's data still fall short: nobody may close it by hand (409)
        change("/api/ledger/items/{item}/close", NOBODY, {}),
    ],
    "api/ledger/items/<pk>/evidence/upload": [
        change(
            "/api/ledger/items/{item}/evidence/upload", COUNTY_WRITE, {"title": "t"}, files=True
        ),
    ],
    "api/monitoring/warnings": [
        read("/api/monitoring/warnings", LOGGED_IN, unit=False, setup=recognised)
    ],
    "api/monitoring/counties/<code>": [
        read("/api/monitoring/counties/{county}", COUNTY_READ, setup=recognised)
    ],
}
