"""The process apps' JSON routes as each role: own unit, a foreign unit, anonymous.

"Own" is 汶上县 (370830), the unit every test user belongs to; "foreign" is 中原区 (410102) in
another province. A foreign id is never found (404); an action the role may not take is 403;
one the item's state refuses is 409; anonymous callers get 401. Nothing changes on a refusal.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from junheng.web.creation import workplan_services
from junheng.web.creation.models import ChainStep, CreationPlan, WorkTask
from junheng.web.info.models import County, EvaluationRun, Evidence, RecordStatus, SchoolRecord
from junheng.web.info.services import workflow
from junheng.web.ledger.models import LedgerItem, ResponsibleUnit
from junheng.web.ledger.services import ensure_units
from webfixtures import YEAR, World, build_world

pytestmark = pytest.mark.django_db

ROLES = ("school", "county", "city", "province", "admin", "norole", "anonymous")
READ = {"county", "city", "province", "admin"}
COUNTY = {"county", "admin"}
PDF = b"%PDF-1.4\n%%EOF"

# name, method, url, body, roles that may use it on their own unit
ROUTES: list[tuple[str, str, str, dict[str, Any] | None, set[str]]] = [
    ("ledger items", "get", "/api/ledger/counties/{county}/items", None, READ),
    ("ledger item", "get", "/api/ledger/items/{item}", None, READ),
    ("ledger update", "put", "/api/ledger/items/{item}",
     {"measure": "秋季分班", "unit": "县教育和体育局", "deadline": "2026-09-01"}, COUNTY),
    ("ledger report", "post", "/api/ledger/items/{item}/report", {}, COUNTY),
    ("plan", "get", "/api/creation/counties/{county}/plan", None, READ),
    ("plan set", "put", "/api/creation/counties/{county}/plan", {"year": 2027}, {"city", "admin"}),
    ("chain", "get", "/api/creation/counties/{county}/chain", None, READ),
    ("chain self", "post", "/api/creation/counties/{county}/chain/self", {"run": "{run}"}, COUNTY),
    ("workplan", "get", "/api/creation/counties/{county}/workplan", None, READ),
    ("workplan task", "put", "/api/creation/workplan/tasks/{task}", {"progress": 60}, COUNTY),
    ("warnings", "get", "/api/monitoring/counties/{county}", None, READ),
]  # fmt: skip


def _world() -> World:
    """Both counties: a locked evaluation with a class-size shortfall (one ledger item), a work
    plan with one task, and recognition recorded two years ago (for the monitoring route)."""
    w = build_world(RecordStatus.APPROVED)
    admin = w.users["admin"]
    ensure_units()
    for county in (w.own, w.foreign):
        SchoolRecord.objects.filter(school=w.school(county), year=YEAR).update(p_oversized=3)
        workflow.evaluate_county(admin, county, YEAR, lock=True)
        plan = workplan_services.create_plan(admin, county, preset="wenshang",
                                             start=date(2026, 1, 1), end=date(2026, 12, 31))  # fmt: skip
        workplan_services.add_task(admin, plan, title="消除大班额",
                                   unit=ResponsibleUnit.objects.first(), deadline=date(2026, 9, 1))  # fmt: skip
    return w


def _ids(county: County) -> dict[str, Any]:
    item = LedgerItem.objects.get(county=county, key="item:class_size")
    run = EvaluationRun.objects.get(county=county)
    task = WorkTask.objects.get(plan__county=county)
    return {"county": county.code, "item": item.pk, "run": run.pk, "task": task.pk}


def _state() -> tuple[Any, ...]:
    return (
        tuple(LedgerItem.objects.order_by("pk").values_list("status", "measure", "unit_id")),
        tuple(CreationPlan.objects.order_by("pk").values_list("planned_year", flat=True)),
        ChainStep.objects.count(), Evidence.objects.count(),
        tuple(WorkTask.objects.order_by("pk").values_list("progress", flat=True)),
    )  # fmt: skip


def _call(client: Client, method: str, url: str, body: dict[str, Any] | None, ids: dict[str, Any]):  # type: ignore[no-untyped-def]
    if body is None:
        return client.get(url)
    filled = {k: (ids["run"] if v == "{run}" else v) for k, v in body.items()}
    return getattr(client, method)(url, json.dumps(filled), content_type="application/json")


def _recognise(w: World, county: County) -> None:
    from junheng.web.creation import chain

    run = EvaluationRun.objects.get(county=county)
    admin = w.users["admin"]
    chain.self_evaluate(admin, county, run)
    chain.city_review(admin, county, passed=True, opinion="同意")
    chain.province_evaluate(admin, county, recommended=True, opinion="推荐", year=YEAR)
    chain.national(admin, county, batch="2026年第一批", year=YEAR)


@pytest.mark.parametrize(("name", "method", "url", "body", "allowed"), ROUTES,
                         ids=[r[0] for r in ROUTES])  # fmt: skip
def test_process_api_by_role_and_unit(name, method, url, body, allowed) -> None:  # type: ignore[no-untyped-def]
    w = _world()
    if name == "warnings":
        _recognise(w, w.own)
        _recognise(w, w.foreign)
    for side, county in (("own", w.own), ("foreign", w.foreign)):
        ids = _ids(county)
        target = url.format(**ids)
        for role in ROLES:
            client = Client()
            if role != "anonymous":
                client.force_login(w.users[role])
            sid = transaction.savepoint()
            before = _state()
            resp = _call(client, method, target, body, ids)
            changed = _state() != before
            transaction.savepoint_rollback(sid)
            may = role == "admin" or (side == "own" and role in allowed)
            where = f"{name} {side} {role}: {resp.status_code} {resp.content[:200]!r}"
            if role == "anonymous":
                assert resp.status_code == 401, where
            elif may:
                assert resp.status_code == 200, where
                assert changed == (method != "get"), where
            elif side == "foreign" or role in ("school", "norole"):
                assert resp.status_code == 404, where  # not even found
            else:
                assert resp.status_code == 403, where
            if not may:
                assert not changed, where


def test_ledger_item_through_the_api_keeps_the_services_rules() -> None:
    w = _world()
    item = LedgerItem.objects.get(county=w.own, key="item:class_size")
    county, city = Client(), Client()
    county.force_login(w.users["county"])
    city.force_login(w.users["city"])
    url = f"/api/ledger/items/{item.pk}"
    listed = county.get(f"/api/ledger/counties/{w.own.code}/items").json()
    assert [i["key"] for i in listed] == ["item:class_size"]
    assert listed[0]["status"] == "待整改" and listed[0]["unit"] == "县教育和体育局"
    # the data still shows the class sizes failing: closing is refused, reporting is not
    resp = county.post(url + "/close")
    assert resp.status_code == 409 and "仍未达标，不能销号" in resp.json()["detail"]
    resp = county.put(url, json.dumps({"unit": "县外事办"}), content_type="application/json")
    assert resp.status_code == 422 and "不在责任单位名单中" in resp.json()["detail"]
    resp = county.put(url, json.dumps({"measure": "秋季分班", "unit": "县财政局",
                                       "deadline": "2026-09-01"}), content_type="application/json")  # fmt: skip
    assert resp.json()["status"] == "整改中" and resp.json()["unit"] == "县财政局"
    resp = city.post(url + "/evidence/upload", {"file": SimpleUploadedFile("a.pdf", PDF)})
    assert resp.status_code == 403
    resp = county.post(
        url + "/evidence/upload", {"title": "分班方案", "file": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert resp.status_code == 200 and [e["title"] for e in resp.json()["evidence"]] == ["分班方案"]
    assert county.post(url + "/report").json()["status"] == "已报完成"
    assert county.post(url + "/report").status_code == 409  # reported already
    # not an evidence-judged item: the city cannot accept it, only new data closes it
    assert city.post(url + "/close").status_code == 409
    assert county.post(url + "/delete").status_code == 404


def test_review_chain_through_the_api_only_the_right_role_at_each_step() -> None:
    w = _world()
    clients = {}
    for role in ("county", "city", "province"):
        clients[role] = Client()
        clients[role].force_login(w.users[role])
    base = f"/api/creation/counties/{w.own.code}/chain"
    run = EvaluationRun.objects.get(county=w.own).pk
    foreign_run = EvaluationRun.objects.get(county=w.foreign).pk

    def post(role: str, step: str, **body: Any):  # type: ignore[no-untyped-def]
        return clients[role].post(
            f"{base}/{step}", json.dumps(body), content_type="application/json"
        )

    assert post("county", "self", run=foreign_run).status_code == 404  # another county's run
    assert post("city", "city", passed=True).status_code == 409  # self-evaluation first
    assert post("county", "city", passed=True).status_code == 403
    assert post("county", "self", run=run).json()["next_step"] == "city"
    assert post("province", "province", passed=True, year=2026).status_code == 409  # not yet
    resp = post("city", "city", passed=False, opinion="")
    assert resp.status_code == 409 and "退回时必须写明退回原因" in resp.json()["detail"]
    assert post("city", "city", passed=True, opinion="同意上报").json()["next_step"] == "province"
    assert post("city", "province", passed=True, year=2026).status_code == 403
    assert post("province", "province", passed=True, year=2031).status_code == 400
    assert post("province", "province", passed=True, year=2026).json()["next_step"] == "national"
    done = post("province", "national", batch="2027年第一批", year=2027).json()
    assert done["next_step"] is None
    assert [(s["label"], s["actor"]) for s in done["steps"]] == [
        ("县级自评", "county"), ("市级复核", "city"), ("省级评估", "province"), ("国家认定", "province")
    ]  # fmt: skip
    assert post("province", "nothing").status_code == 404
    # monitoring: the recognised county is listed for its own province only
    warnings = clients["province"].get("/api/monitoring/warnings").json()
    assert [(x["county"], x["recognised_year"], x["batch"]) for x in warnings] == [
        (w.own.code, 2027, "2027年第一批")
    ]
    anon = Client()
    assert anon.get("/api/monitoring/warnings").status_code == 401


def test_workplan_through_the_api_lists_overdue_first() -> None:
    w = _world()
    plan = w.own.work_plan
    workplan_services.add_task(w.users["county"], plan, title="早已逾期", unit=ResponsibleUnit.objects.first(),
                               deadline=date(2020, 1, 1))  # fmt: skip
    c = Client()
    c.force_login(w.users["city"])
    data = c.get(f"/api/creation/counties/{w.own.code}/workplan").json()
    assert [p["name"] for p in data["phases"]] == ["制定规划", "组织实施", "评估整改", "总结提升"]
    assert data["tasks"][0]["title"] == "早已逾期" and data["tasks"][0]["overdue_days"] > 2000
    task = data["tasks"][1]
    put = c.put(f"/api/creation/workplan/tasks/{task['id']}", json.dumps({"progress": 50}),
                content_type="application/json")  # fmt: skip
    assert put.status_code == 403  # the city reads, the county updates
    county = Client()
    county.force_login(w.users["county"])
    for bad in (101, -1):
        put = county.put(f"/api/creation/workplan/tasks/{task['id']}", json.dumps({"progress": bad}),
                         content_type="application/json")  # fmt: skip
        assert put.status_code == 400 and "完成进度应为0—100之间的整数" in put.json()["detail"]
    put = county.put(f"/api/creation/workplan/tasks/{task['id']}",
                     json.dumps({"progress": 100, "note": "已完成"}), content_type="application/json")  # fmt: skip
    assert (put.json()["progress"], put.json()["status"]) == (100, "已完成")
    rotation = next(t for t in data["targets"] if t["metric"] == "rotation")
    assert rotation["years"] == [{"year": YEAR, "value": 10.0, "source": "数据", "met": True}]
    schema = c.get("/api/openapi.json").json()
    assert "/api/ledger/items/{pk}" in schema["paths"]
    assert "/api/creation/counties/{code}/chain/{step}" in schema["paths"]


def test_plans_list_only_the_callers_counties() -> None:
    w = _world()
    from junheng.web.creation import services

    services.set_plan(w.users["admin"], w.own, 2025)
    services.set_plan(w.users["admin"], w.foreign, 2027)
    seen = {}
    for role in ("county", "city", "province", "admin", "school", "norole"):
        c = Client()
        c.force_login(w.users[role])
        seen[role] = [(p["county"], p["planned_year"]) for p in c.get("/api/creation/plans").json()]
    own, foreign = (w.own.code, 2025), (w.foreign.code, 2027)
    assert seen == {"county": [own], "city": [own], "province": [own], "admin": [own, foreign],
                    "school": [], "norole": []}  # fmt: skip
    assert Client().get("/api/creation/plans").status_code == 401
