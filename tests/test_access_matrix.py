"""Permission matrix generated from the URLconf and the OpenAPI schema.

Every route × every role (school, county, city, province, admin, a user with no role, anonymous)
× own unit (汶上县 370830, where every test user sits) and foreign unit (中原区 410102, another
province). The requests tried on each route come from ``tests/access_routes.py``; a route in the
URLconf or a path × method in ``/api/openapi.json`` without an entry there fails
``test_every_route_is_in_the_registry`` — add one line to ``ROUTES`` (see that module's docstring).

Asserted for every request: those who may not get a login redirect (anonymous), 401 (anonymous,
API) or 403/404/405/409 — never the data: a refused answer never carries the foreign unit's name
and the database (every table but sessions and login throttling) is the same before and after;
those who may get 200 (or a redirect that is not to the login page) and, for a change, a
database that did change. The Django admin is outside the registry (it has its own staff-only
login); ``test_admin_refuses_everyone_but_the_superuser`` walks its patterns instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from access_routes import PDF, ROUTES, Case, ids
from junheng.web.info.models import SchoolRecord
from junheng.web.info.services import evidence, workflow
from junheng.web.survey import services as survey_services
from webfixtures import YEAR, World, build_world

pytestmark = pytest.mark.django_db

ROLES = ("school", "county", "city", "province", "admin", "norole", "anonymous")
FOREIGN_NAMES = ("中原区", "郑州市", "河南省")
# tables a request may touch without changing anything a user owns
UNTRACKED = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
DENIED = (403, 404, 405, 409)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # the world's six users would otherwise spend seconds in PBKDF2 for every route
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def walk(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every URL pattern of the site, as the resolver spells it, with its namespace path."""
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            yield from walk(p, prefix + str(p.pattern))
        else:
            assert isinstance(p, URLPattern)
            yield prefix + str(p.pattern), p


def site_routes() -> set[str]:
    # the admin has its own staff login and is walked by its own test below
    return {route for route, _ in walk() if not route.startswith("admin/")}


def schema_operations(client: Client) -> set[tuple[str, str]]:
    schema = client.get("/api/openapi.json").json()
    return {
        (method, re.sub(r"\{(\w+)\}", r"<\1>", path.lstrip("/")))
        for path, ops in schema["paths"].items()
        for method in ops
    }


def world() -> World:
    w = build_world()
    admin = w.users["admin"]
    # one resource shortfall per county, so each evaluation opens a ledger item
    SchoolRecord.objects.filter(school__code__in=["1370830001", "1410102001"]).update(p_oversized=1)
    for county in (w.own, w.foreign):
        evidence.upload(admin, county, YEAR, "layout", "t", "a.pdf", PDF)
        workflow.evaluate_county(admin, county, YEAR)
        survey = survey_services.create_survey(admin, county, YEAR)
        made = survey_services.invite(admin, survey, "parent", "城区", w.school(county).code, 3)
        group = made[0].group
        q = survey_services.questionnaire(survey)
        survey_services.submit(
            made[-1].code, {f"q_{x.id}": ("A" if x.overall else "B") for x in q.for_group(group)}
        )
    return w


def state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table a request could change."""
    return {
        m._meta.label_lower: list(m._default_manager.order_by("pk").values_list())
        for m in apps.get_models()
        if m._meta.label_lower not in UNTRACKED and m._meta.managed
    }


def request(client: Client, case: Case, url: str, i: dict[str, Any]) -> HttpResponse:
    if case.method == "get":
        return client.get(url)  # type: ignore[return-value]
    body = case.body(i) if callable(case.body) else dict(case.body or {})
    if case.json:
        send = getattr(client, case.method)
        return send(url, json.dumps(body), content_type="application/json")  # type: ignore[no-any-return]
    if case.files:
        body["file"] = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    return client.post(url, body)  # type: ignore[return-value]


def check(case: Case, side: str, role: str, resp: HttpResponse, changed: bool, where: str) -> None:
    may = role in case.roles and (side == "own" or role == "admin")
    location = resp.get("Location", "")
    body = b"" if getattr(resp, "streaming", False) else resp.content
    if may:
        assert resp.status_code in (200, 302), where
        assert "/login/" not in location, where
        if case.changes and case.effect:
            assert changed, f"{where}: nothing changed"
    else:
        if role == "anonymous":
            assert resp.status_code in (302, 401, *DENIED), where
            if resp.status_code == 302:
                assert location.startswith("/login/"), where
        elif resp.status_code == 302:
            # a refused change may send the user back to the page with a message
            assert case.changes and side == "own", where
        else:
            assert resp.status_code in DENIED, where
    if not (case.changes and may):
        assert not changed, f"{where}: the database changed"
    if (side == "foreign" or not case.unit) and role != "admin":
        text = body.decode("utf-8", "replace")
        leaked = [n for n in FOREIGN_NAMES if n in text]
        assert not leaked, f"{where}: shows {leaked}"


def area(route: str) -> str:
    """The part of the site a route belongs to: one test (and one world) per part."""
    first = route.split("/", 1)[0]
    if "survey" in route or first == "s":
        return "survey"
    return first if first in ("ledger", "creation", "monitoring", "api") else "info"


AREAS = sorted({area(r) for r in ROUTES})


def try_case(w: World, case: Case) -> list[str]:
    """Every side × role of one case; each request rolled back; the refusals found."""
    found: list[str] = []
    sides = (("own", w.own), ("foreign", w.foreign)) if case.unit else (("own", w.own),)
    for side, county in sides:
        i = ids(w, county)
        url = case.url.format(**i)
        for role in ROLES:
            cache.clear()
            client = Client()
            if role != "anonymous":
                client.force_login(w.users[role])
            sid = transaction.savepoint()
            before = state()
            resp = request(client, case, url, i)
            changed = state() != before
            transaction.savepoint_rollback(sid)
            where = f"{case.method.upper()} {url} {side} {role}: {resp.status_code}"
            try:
                check(case, side, role, resp, changed, where)
            except AssertionError as exc:
                found.append(str(exc).splitlines()[0])
    return found


@pytest.mark.parametrize("part", AREAS)
def test_route_by_role_and_unit(part: str) -> None:
    w = world()
    failures: list[str] = []
    for route, cases in ROUTES.items():
        if area(route) != part:
            continue
        for case in cases:
            sid = transaction.savepoint()
            if case.setup:
                case.setup(w)
            failures += try_case(w, case)
            transaction.savepoint_rollback(sid)
    assert not failures, "\n".join(failures)


def test_every_route_is_in_the_registry() -> None:
    w = build_world()
    client = Client()
    client.force_login(w.users["admin"])
    missing = sorted(site_routes() - set(ROUTES))
    assert not missing, f"routes without an entry in tests/access_routes.py: {missing}"
    stale = sorted(set(ROUTES) - site_routes())
    assert not stale, f"entries for routes that no longer exist: {stale}"
    tried = {(c.method, route) for route, cases in ROUTES.items() for c in cases}
    untried = sorted(schema_operations(client) - tried)
    assert not untried, f"API operations without a case in tests/access_routes.py: {untried}"


def test_the_registry_check_sees_a_new_route(settings: Any) -> None:
    """A route added to the URLconf shows up in the walk the registry is checked against."""
    import types

    from django.urls import clear_url_caches, include, path

    def view(request: Any) -> HttpResponse:
        return HttpResponse("x")

    module = types.ModuleType("extra_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("secret/<int:pk>/", view),
        path("", include("junheng.web.urls")),
    ]
    import sys

    sys.modules["extra_urls"] = module
    settings.ROOT_URLCONF = "extra_urls"
    clear_url_caches()
    try:
        assert site_routes() - set(ROUTES) == {"secret/<int:pk>/"}
    finally:
        del sys.modules["extra_urls"]
        clear_url_caches()


def test_admin_refuses_everyone_but_the_superuser() -> None:
    w = build_world()
    # the admin's own login and logout pages are open by design
    public = {"admin/login/", "admin/logout/"}
    routes = sorted({r for r, _ in walk() if r.startswith("admin/")} - public)
    assert len(routes) > 20
    for route in routes:
        url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", "1", route).replace("^", "").replace("$", "")
        url = re.sub(r"\(\?P<\w+>[^)]*\)", "1", url)
        for role in ("school", "county", "city", "province", "norole", "anonymous"):
            client = Client()
            if role != "anonymous":
                client.force_login(w.users[role])
            resp = client.get(url)
            assert resp.status_code in (302, 404), f"{url} {role}: {resp.status_code}"
            if resp.status_code == 302:
                assert "/admin/login/" in resp["Location"], f"{url} {role}"


def test_api_docs_and_schema_need_a_login() -> None:
    build_world()
    anon = Client()
    for url in ("/api/openapi.json", "/api/docs"):
        resp = anon.get(url)
        assert resp.status_code == 302 and resp["Location"].startswith("/login/"), url
