"""schemathesis over the OpenAPI schema, signed in as each role: no answer is a server error.

The schema is read from ``/api/openapi.json`` (which needs a login) and the generated requests go
straight into Django's WSGI application (no server). Path parameters are drawn both from the
generator and from real ids (the own and the foreign county's schools, counties, the stored
evaluation), so requests reach the views' real work and not only the 404 of an unknown code.
Positive and negative (schema-violating) cases; ``EXAMPLES`` per operation and role keeps the run
within CI's budget.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import hypothesis.strategies as st
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from access_routes import recognised, workplan
from junheng.web.creation.workplan_models import WorkTask
from junheng.web.info.models import EvaluationRun, SchoolRecord
from junheng.web.info.services import workflow
from junheng.web.ledger.models import LedgerItem
from webfixtures import YEAR, World, build_world

pytestmark = pytest.mark.django_db

EXAMPLES = 12
ROLES = ("school", "county", "city", "province", "admin", "norole")
CSRF = "k" * 32  # an unmasked CSRF secret: the cookie and the header agree


@contextmanager
def same_connection() -> Iterator[None]:
    """Django's WSGI handler closes "old" connections at each request; in a test the request
    must use the test's own connection and transaction (the test client does the same, and
    reconnects the handler after each of its requests, so this goes around each call)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _world() -> tuple[World, dict[str, list[Any]]]:
    w = build_world()
    # a shortfall per county opens ledger items; work plans and a recognised county give the
    # creation and monitoring routes something to answer with
    SchoolRecord.objects.filter(school__code__in=["1370830001", "1410102001"]).update(p_oversized=1)
    for county in (w.own, w.foreign):
        workflow.evaluate_county(w.users["admin"], county, YEAR)
    workplan(w)
    recognised(w)
    real = {
        "code": [w.school(w.own).code, w.school(w.foreign).code, w.own.code, w.foreign.code],
        "year": [YEAR, YEAR + 1],
        # ids of the kind each path names (ids differ between databases: sequences go on)
        "pk:/api/evaluations": list(EvaluationRun.objects.values_list("pk", flat=True)),
        "pk:/api/ledger": list(LedgerItem.objects.values_list("pk", flat=True)),
        "pk:/api/creation": list(WorkTask.objects.values_list("pk", flat=True)),
        "action": ["submit", "approve", "return", "report", "close"],
    }
    return w, real


def _cookies(w: World, role: str) -> dict[str, str]:
    client = Client()
    client.force_login(w.users[role])
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}


def _fuzz(op: Any, role: str, cookies: dict[str, str], real: dict[str, list[Any]], app: Any,
          errors: list[str], answered: dict[str, set[int]]) -> None:  # fmt: skip
    strategy = op.as_strategy(generation_mode=GenerationMode.POSITIVE) | op.as_strategy(
        generation_mode=GenerationMode.NEGATIVE
    )

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(case=strategy, data=st.data())
    def run(case: Any, data: st.DataObject) -> None:
        for key, values in real.items():
            name, _, prefix = key.partition(":")
            if name in (case.path_parameters or {}) and op.path.startswith(prefix):
                case.path_parameters[name] = data.draw(
                    st.sampled_from([*values, case.path_parameters[name]])
                )
        if isinstance(case.body, dict) and "year" in case.body:
            case.body["year"] = data.draw(st.sampled_from([YEAR, case.body["year"]]))
        sid = transaction.savepoint()
        try:
            with same_connection():
                resp = case.call(app=app, cookies=cookies, headers={"X-CSRFToken": CSRF})
        finally:
            transaction.savepoint_rollback(sid)
        answered.setdefault(f"{case.method} {op.path}", set()).add(resp.status_code)
        if resp.status_code >= 500:
            errors.append(f"{role} {case.method} {case.formatted_path} "
                          f"{case.path_parameters} {case.body!r}: {resp.status_code}")  # fmt: skip

    run()


def test_no_server_error_for_any_role() -> None:
    w, real = _world()
    admin = Client()
    admin.force_login(w.users["admin"])
    schema = schemathesis.openapi.from_dict(admin.get("/api/openapi.json").json())
    app = get_wsgi_application()
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) >= 8
    errors: list[str] = []
    answered: dict[str, set[int]] = {}
    for role in ROLES:
        cookies = _cookies(w, role)
        for op in operations:
            _fuzz(op, role, cookies, real, app, errors, answered)
    assert not errors, "\n".join(sorted(set(errors))[:30])
    # the generated requests reached the views' work (an answer or a refusal by a service),
    # not only the 401/404 of a stranger or the 422 of the schema
    reached = {op for op, codes in answered.items() if codes & {200, 400, 409}}
    assert reached == set(answered), answered


def test_the_harness_sees_a_server_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same way of calling, against a view made to fail: the 500 is what the test sees."""
    from junheng.web.info import selectors

    w, _ = _world()
    admin = Client()
    admin.force_login(w.users["admin"])
    schema = schemathesis.openapi.from_dict(admin.get("/api/openapi.json").json())
    op = schema["/api/schools"]["GET"]

    def broken(user: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "schools_of", broken)
    cookies = _cookies(w, "county")
    with same_connection():
        resp = op.Case().call(app=get_wsgi_application(), cookies=cookies)
    assert resp.status_code == 500
