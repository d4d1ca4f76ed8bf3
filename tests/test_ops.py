"""The health endpoint and the structured log of changes and refused accesses."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.db import DatabaseError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from junheng.web.ops.oplog import JsonLines
from junheng.web.survey import services as survey_services
from webfixtures import PASSWORD, YEAR, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles() -> None:
    from django.core.cache import cache

    cache.clear()


def test_health_answers_without_a_login_and_says_nothing_else() -> None:
    build_world()
    resp = Client().get("/healthz")
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/json"
    assert resp.json() == {"status": "ok", "database": "ok", "migrations": "ok"}
    assert "no-cache" in resp["Cache-Control"]
    assert Client().post("/healthz").status_code == 405


def test_health_fails_when_a_migration_is_missing_from_the_database() -> None:
    last = MigrationRecorder.Migration.objects.filter(app="info").order_by("-id").first()
    assert last is not None
    last.delete()
    resp = Client().get("/healthz")
    assert resp.status_code == 503
    assert resp.json() == {"status": "error", "database": "ok", "migrations": "error"}


def test_health_fails_without_saying_why_when_the_database_is_unreachable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise DatabaseError("could not connect to server at 10.0.0.7: secret-host")

    monkeypatch.setattr(connection, "cursor", broken)
    resp = Client().get("/healthz")
    assert resp.status_code == 503
    assert resp.json() == {"status": "error", "database": "error", "migrations": "unknown"}
    assert b"secret-host" not in resp.content


def _events(caplog: pytest.LogCaptureFixture, event: str) -> list[dict[str, Any]]:
    """The captured records of one event, as the JSON lines the log file gets."""
    fmt = JsonLines()
    return [json.loads(fmt.format(r)) for r in caplog.records if getattr(r, "event", "") == event]


def test_every_change_is_a_json_line_naming_who_and_what(caplog: pytest.LogCaptureFixture) -> None:
    w = build_world()
    c = Client()
    c.force_login(w.users["county"])
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="junheng.audit"):
        resp = c.post(f"/county/{w.own.code}/{YEAR}/data/", {"population": "71", "version": "1"})
    assert resp.status_code == 302
    changes = [e for e in _events(caplog, "change") if e["model"] == "info.countyrecord"]
    assert len(changes) == 1
    line = changes[0]
    assert line["action"] == "update"
    assert (line["user"], line["role"], line["unit"]) == ("county", "county", "370830")
    assert (line["method"], line["path"]) == ("POST", f"/county/{w.own.code}/{YEAR}/data/")
    assert line["level"] == "INFO" and line["logger"] == "junheng.audit"
    assert line["time"].endswith("+00:00")
    # the values stay in the audit history, not in the log
    assert set(line) == {"time", "level", "logger", "message", "event", "action", "model", "pk",
                         "user", "role", "unit", "method", "path", "ip"}  # fmt: skip


def test_changes_through_the_api_and_deletions_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    w = build_world()
    c = Client()
    c.force_login(w.users["county"])
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="junheng.audit"):
        c.post(f"/api/counties/{w.own.code}/evaluate", json.dumps({"year": YEAR}),
               content_type="application/json")  # fmt: skip
        w.users["norole"].delete()  # a script: no request
    models = {(e["model"], e["action"]) for e in _events(caplog, "change")}
    assert ("info.evaluationrun", "create") in models
    assert ("auth.user", "delete") in models
    script = [e for e in _events(caplog, "change") if e["model"] == "auth.user"]
    assert script[0]["via"] == "script"


def test_refused_accesses_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    w = build_world()
    c = Client()
    c.force_login(w.users["county"])
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="junheng.audit"):
        assert c.get(f"/county/{w.foreign.code}/{YEAR}/").status_code == 404
        assert c.post(f"/province/{w.own.city.province.code}/targets/").status_code == 404
        assert Client().get("/api/counties").status_code == 401
    refused = [(e["status"], e["path"], e["user"]) for e in _events(caplog, "refused")]
    assert refused == [
        (404, f"/county/{w.foreign.code}/{YEAR}/", "county"),
        (404, f"/province/{w.own.city.province.code}/targets/", "county"),
        (401, "/api/counties", None),
    ]
    assert all(
        r.levelname == "WARNING" for r in caplog.records if getattr(r, "event", "") == "refused"
    )


def test_failed_logins_and_lockouts_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    build_world()
    c = Client()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="junheng.audit"):
        for _ in range(5):
            c.post("/login/", {"username": "county", "password": "wrong"})
        c.post("/login/", {"username": "county", "password": PASSWORD})
    failed = _events(caplog, "login_failed")
    assert len(failed) >= 5
    assert {e["username"] for e in failed} == {"county"}
    assert all("wrong" not in json.dumps(e) for e in failed)
    locked = _events(caplog, "lockout")
    assert locked and locked[0]["username"] == "county"


def test_the_anonymous_survey_leaves_no_code_and_no_address_in_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    w = build_world()
    survey = survey_services.create_survey(w.users["county"], w.own, YEAR)
    inv = survey_services.invite(
        w.users["county"], survey, "parent", "城区", w.school(w.own).code, 1
    )[0]
    q = survey_services.questionnaire(survey)
    answers = {f"q_{x.id}": ("A" if x.overall else "B") for x in q.for_group(inv.group)}
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="junheng.audit"):
        assert Client().post(f"/s/{inv.code}/", answers).status_code == 200
        assert Client().get("/s/NOTACODE99/").status_code == 404
    lines = [json.loads(JsonLines().format(r)) for r in caplog.records]
    assert any(e.get("event") == "change" and e.get("path") == "/s/…/" for e in lines)
    assert any(e.get("event") == "refused" and e.get("path") == "/s/…/" for e in lines)
    text = json.dumps(lines, ensure_ascii=False)
    assert inv.code not in text and "NOTACODE99" not in text
    assert all("ip" not in e for e in lines if e.get("path") == "/s/…/")


def test_the_settings_write_json_lines() -> None:
    formatters = [h.formatter for h in logging.getLogger().handlers]
    assert any(isinstance(f, JsonLines) for f in formatters)
    assert logging.getLogger("junheng.audit").getEffectiveLevel() == logging.INFO
