"""Permission matrix: every page and API route × every role × own and foreign unit.

"Own" is 汶上县 (370830, 济宁市, 山东省), the unit every test user belongs to; "foreign" is
中原区 (410102) in another province. A foreign id in a URL must never be reachable.
"""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client

from junheng.web.info.models import (
    CityReview,
    CountyRecord,
    EvaluationRun,
    Evidence,
    ProvinceTarget,
    RecordStatus,
    SchoolRecord,
)
from junheng.web.info.services import evidence, workflow
from webfixtures import YEAR, build_world

pytestmark = pytest.mark.django_db

ROLES = ("school", "county", "city", "province", "admin", "norole", "anonymous")
READ_COUNTY = {"county", "city", "province", "admin"}
READ_SCHOOL = {"school", "county", "city", "province", "admin"}
WRITE_COUNTY = {"county", "admin"}
PDF = b"%PDF-1.4\n%%EOF"

# name, method, url (filled with the side's ids), roles that may use it on their own unit
ROUTES = [
    ("county page", "get", "/county/{county}/{year}/", READ_COUNTY),
    ("county data", "get", "/county/{county}/{year}/data/", READ_COUNTY),
    ("county data save", "post", "/county/{county}/{year}/data/", WRITE_COUNTY),
    ("province targets", "post", "/province/{province}/targets/", {"province", "admin"}),
    ("evaluate", "post", "/county/{county}/{year}/evaluate/", WRITE_COUNTY),
    ("start new year", "post", "/county/{county}/{next_year}/start/", WRITE_COUNTY),
    ("city review", "post", "/county/{county}/{year}/review/", {"city", "admin"}),
    ("export", "get", "/county/{county}/{year}/export/", READ_COUNTY),
    ("evidence upload", "post", "/county/{county}/{year}/evidence/", WRITE_COUNTY),
    ("evidence download", "get", "/evidence/{evidence}/", READ_COUNTY),
    ("city page", "get", "/city/{city}/{year}/", {"city", "province", "admin"}),
    ("province page", "get", "/province/{province}/{year}/", {"province", "admin"}),
    ("school form", "get", "/school/{school}/{year}/", READ_SCHOOL),
    ("school validate", "post", "/school/{school}/{year}/validate/", READ_SCHOOL),
    ("approve", "post", "/school/{school}/{year}/approve/", WRITE_COUNTY),
    ("return", "post", "/school/{school}/{year}/return/", WRITE_COUNTY),
    ("api record", "get", "/api/schools/{school}/records/{year}", READ_SCHOOL),
    ("api put record", "put", "/api/schools/{school}/records/{year}", WRITE_COUNTY),
    ("api approve", "post", "/api/schools/{school}/records/{year}/approve", WRITE_COUNTY),
    ("api evaluations", "get", "/api/counties/{county}/evaluations", READ_COUNTY),
    ("api evaluate", "post", "/api/counties/{county}/evaluate", WRITE_COUNTY),
    ("api evaluation", "get", "/api/evaluations/{run}", READ_COUNTY),
]


def _ids(w, county):
    run = EvaluationRun.objects.filter(county=county).first()
    ev = Evidence.objects.filter(county=county).first()
    return {"county": county.code, "city": county.city.code, "province": county.city.province.code,
            "school": w.school(county).code, "year": YEAR, "next_year": YEAR + 1, "run": run.pk,
            "evidence": ev.pk}  # fmt: skip


def _state():
    """What a request could have changed."""
    return (
        EvaluationRun.objects.count(), CityReview.objects.count(), Evidence.objects.count(),
        ProvinceTarget.objects.count(),
        tuple(SchoolRecord.objects.order_by("pk").values_list("status", "version", "p_backbone")),
        tuple(CountyRecord.objects.order_by("pk").values_list("version", flat=True)),
    )  # fmt: skip


def _call(client, method, url):
    api = url.startswith("/api/")
    if method == "get":
        return client.get(url)
    if "evidence" in url:
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(
            url, {"title": "t", "item": "layout", "file": SimpleUploadedFile("a.pdf", PDF)}
        )
    if api:
        body = {"year": YEAR} if "evaluate" in url else {"version": 1, "values": {"p_backbone": 21}}
        body = {"reason": "x"} if url.endswith("approve") else body
        return getattr(client, method)(url, json.dumps(body), content_type="application/json")
    form = {"decision": "agree", "reason": "不符", "p_backbone": "21", "version": "1",
            "year": "2027", "share": "30", "population": "71"}  # fmt: skip
    return client.post(url, form)


@pytest.mark.parametrize(("name", "method", "url", "allowed"), ROUTES, ids=[r[0] for r in ROUTES])
def test_route_by_role_and_unit(name, method, url, allowed):
    # a city reviews only a locked evaluation, so that route is tried on approved, locked data
    w = build_world(RecordStatus.APPROVED if name == "city review" else RecordStatus.SUBMITTED)
    for county in (w.own, w.foreign):
        evidence.upload(w.users["admin"], county, YEAR, "layout", "t", "a.pdf", PDF)
        workflow.evaluate_county(w.users["admin"], county, YEAR, lock=name == "city review")
    for side, county in (("own", w.own), ("foreign", w.foreign)):
        target = url.format(**_ids(w, county))
        for role in ROLES:
            client = Client(enforce_csrf_checks=False)
            if role != "anonymous":
                client.force_login(w.users[role])
            sid = transaction.savepoint()
            before = _state()
            resp = _call(client, method, target)
            changed = _state() != before
            transaction.savepoint_rollback(sid)
            may = role == "admin" or (side == "own" and role in allowed)
            where = f"{name} {side} {role}: {resp.status_code}"
            if role == "anonymous":
                assert resp.status_code in (302, 401), where
                assert not changed, where
            elif may:
                assert resp.status_code in (200, 302), where
                if method != "get" and name not in ("school validate",):
                    assert changed, where
            else:
                # 409: the role may act on the record in general, not in its current state
                assert resp.status_code in (403, 404, 409), where
                assert not changed, where


def test_lists_show_only_the_users_units():
    w = build_world()
    c = Client()
    c.force_login(w.users["county"])
    assert {s["code"][1:7] for s in c.get("/api/schools").json()} == {"370830"}
    assert [x["code"] for x in c.get("/api/counties").json()] == ["370830"]
    c.force_login(w.users["school"])
    assert [s["code"] for s in c.get("/api/schools").json()] == ["1370830001"]
    assert c.get("/api/counties").json() == []
    c.force_login(w.users["province"])
    assert [x["code"] for x in c.get("/api/counties").json()] == ["370830"]
    c.force_login(w.users["admin"])
    assert [x["code"] for x in c.get("/api/counties").json()] == ["370830", "410102"]


def test_api_requires_csrf_for_session_writes():
    w = build_world()
    c = Client(enforce_csrf_checks=True)
    c.force_login(w.users["county"])
    resp = c.post(
        f"/api/counties/{w.own.code}/evaluate",
        json.dumps({"year": YEAR}),
        content_type="application/json",
    )
    assert resp.status_code == 403
    assert EvaluationRun.objects.count() == 0


def test_openapi_schema_is_served():
    w = build_world()
    c = Client()
    c.force_login(w.users["county"])
    schema = c.get("/api/openapi.json").json()
    assert "/api/schools/{code}/records/{year}" in schema["paths"]
