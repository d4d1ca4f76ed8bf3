"""The daily work of clerks and supervisors: saving and submitting the school form, the import
against edits made after its preview, school clerks importing, the school year cycle, sessions,
local times, GET requests that never write, and a school's rename."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from junheng.web.info.forms import SchoolRecordForm
from junheng.web.info.models import CountyRecord, RecordStatus, School, SchoolRecord
from junheng.web.info.services import workflow, years
from junheng.web.info.services.errors import NotAllowed, VersionConflict, WorkflowError
from junheng.web.info.services.importing import confirm_import, preview_import
from junheng.web.info.services.records import save_school_record, school_contract
from junheng.workbook import write_workbook
from webfixtures import PASSWORD, YEAR, build_world, posted

pytestmark = pytest.mark.django_db

SCHOOL = "1370830001"
HTMX = {
    "HTTP_HX_REQUEST": "true",
    "HTTP_HX_CURRENT_URL": f"http://testserver/school/{SCHOOL}/{YEAR}/",
}


def _form_data(rec: SchoolRecord, **changes: object) -> dict[str, object]:
    return posted(SchoolRecordForm(instance=rec), **changes)


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _rec(code: str = SCHOOL, year: int = YEAR) -> SchoolRecord:
    return SchoolRecord.objects.select_related("school").get(school__code=code, year=year)


def _book(tmp_path: Path, rows: list[dict[str, object]]) -> bytes:
    return write_workbook(tmp_path / "in.xlsx", rows, None).read_bytes()


def test_a_save_costs_the_same_queries_however_long_the_history(django_assert_max_num_queries):
    """The change history under the form is read in one query, not one per row (62 queries
    per save once a record had 20 changes); the history shown is still each change.

    15 queries: the session, user and role; the record and three checks that the user may
    change it; the locked read, update and history row; the school, the history, last
    year's record. The record is not read again after it was written, and the HTMX answer,
    which has no menu bar, does not look up the years for the year switch (18 before)."""
    w = build_world(RecordStatus.DRAFT)
    c = _client(w.users["school"])
    for n in range(25):
        c.post(f"/school/{SCHOOL}/{YEAR}/", _form_data(_rec(), p_backbone=n), **HTMX)
    data = _form_data(_rec(), p_backbone=30)
    with django_assert_max_num_queries(15):
        resp = c.post(f"/school/{SCHOOL}/{YEAR}/", data, **HTMX)
    html = resp.content.decode()
    assert "已保存" in html and _rec().version == 27
    assert "骨干教师" in html and "24 → 30" in html and "23 → 24" in html


# 1 -----------------------------------------------------------------------------------------
def test_saving_the_school_form_by_htmx_returns_the_form_alone_with_the_new_version():
    w = build_world(RecordStatus.DRAFT)
    rec = _rec()
    resp = _client(w.users["school"]).post(
        f"/school/{SCHOOL}/{YEAR}/", _form_data(rec, p_backbone=25), **HTMX
    )
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "<header" not in html and "<html" not in html  # no second page inside the form
    assert html.count("提交区县审核") <= 1 and html.count(">保存<") == 1
    assert 'name="version" value="2"' in html and "已保存" in html
    assert _rec().p_backbone == 25 and _rec().version == 2


def test_saving_without_htmx_redirects_to_the_page():
    w = build_world(RecordStatus.DRAFT)
    resp = _client(w.users["school"]).post(
        f"/school/{SCHOOL}/{YEAR}/", _form_data(_rec(), p_backbone=26)
    )
    assert resp.status_code == 302 and _rec().p_backbone == 26


# 2 -----------------------------------------------------------------------------------------
def test_submit_saves_the_edits_on_the_form_first():
    w = build_world(RecordStatus.DRAFT)
    c = _client(w.users["school"])
    resp = c.post(f"/school/{SCHOOL}/{YEAR}/", _form_data(_rec(), p_backbone=27, then="submit"))
    rec = _rec()
    assert resp.status_code == 302
    assert (rec.p_backbone, rec.status) == (27, RecordStatus.SUBMITTED)


def test_submit_with_an_invalid_edit_saves_nothing_and_submits_nothing():
    w = build_world(RecordStatus.DRAFT)
    c = _client(w.users["school"])
    resp = c.post(f"/school/{SCHOOL}/{YEAR}/", _form_data(_rec(), p_students=-5, then="submit"))
    rec = _rec()
    assert (rec.p_students, rec.status) == (1000, RecordStatus.DRAFT)
    assert "未提交" in resp.content.decode()


def test_pages_with_forms_load_the_unsaved_changes_guard():
    w = build_world(RecordStatus.DRAFT)
    assert (
        "junheng/form.js"
        in _client(w.users["school"]).get(f"/school/{SCHOOL}/{YEAR}/").content.decode()
    )
    county = _client(w.users["county"]).get(f"/county/370830/{YEAR}/data/").content.decode()
    assert "junheng/form.js" in county and "data-guard" in county
    js = (Path(settings.BASE_DIR) / "static/junheng/form.js").read_text(encoding="utf-8")
    assert "beforeunload" in js and "sessionStorage" in js


# 3 -----------------------------------------------------------------------------------------
def test_import_confirm_refuses_records_changed_after_the_preview(tmp_path):
    w = build_world(RecordStatus.DRAFT)
    rows = [
        school_contract(r)
        for r in SchoolRecord.objects.filter(school__county=w.own).select_related("school__county")
    ]
    preview = preview_import(w.users["county"], _book(tmp_path, rows), "in.xlsx", YEAR)
    assert preview.ok and preview.count("不变") == 3
    rec = _rec()
    save_school_record(w.users["school"], rec, {"p_backbone": 30}, rec.version)
    result = confirm_import(w.users["county"], preview.token, YEAR)
    assert not result.ok
    assert [f.type for f in result.findings] == ["changed-since-preview"]
    last = _rec().history.first().history_date + timedelta(hours=8)  # Beijing time
    assert result.findings[0].message.startswith(
        f"学校“{SCHOOL}”：预览后school于{last:%Y-%m-%d %H:%M}修改了该记录（预览时版本1，现在版本2）"
    )
    assert result.filename == "in.xlsx"
    assert _rec().p_backbone == 30  # the clerk's edit stays


def test_import_confirm_refuses_a_record_created_after_the_preview(tmp_path):
    from conftest import primary_school

    w = build_world(RecordStatus.DRAFT)
    preview = preview_import(
        w.users["county"], _book(tmp_path, [primary_school(9)]), "in.xlsx", YEAR
    )
    assert preview.count("新增") == 1
    school = School.objects.create(code="1370830009", name="第9小学", county=w.own)
    SchoolRecord.objects.create(school=school, year=YEAR, p_students=5)
    result = confirm_import(w.users["county"], preview.token, YEAR)
    assert not result.ok and "1370830009" in result.findings[0].message
    assert _rec("1370830009").p_students == 5


# 4 -----------------------------------------------------------------------------------------
def test_school_clerk_imports_its_own_school(tmp_path):
    w = build_world(RecordStatus.DRAFT)
    row = school_contract(_rec()) | {"p_backbone": 22}
    preview = preview_import(w.users["school"], _book(tmp_path, [row]), "s.xlsx", YEAR)
    assert preview.ok, [f.message for f in preview.findings]
    assert preview.count("修改") == 1
    confirm_import(w.users["school"], preview.token, YEAR)
    assert _rec().p_backbone == 22


def test_school_clerk_cannot_import_after_submitting(tmp_path):
    w = build_world(RecordStatus.SUBMITTED)
    row = school_contract(_rec()) | {"p_backbone": 22}
    preview = preview_import(w.users["school"], _book(tmp_path, [row]), "s.xlsx", YEAR)
    assert not preview.ok and "已提交" in preview.findings[0].message


# 5 -----------------------------------------------------------------------------------------
def _move_to(year: int) -> None:
    SchoolRecord.objects.update(year=year)
    CountyRecord.objects.update(year=year)


@pytest.mark.parametrize(
    ("role", "target"),
    [("school", f"/school/{SCHOOL}/2025/"), ("county", "/county/370830/2025/"),
     ("city", "/city/370800/2025/"), ("province", "/province/370000/2025/")],
)  # fmt: skip
def test_home_opens_the_latest_year_that_has_data(role, target):
    w = build_world()
    _move_to(2025)
    resp = _client(w.users[role]).get("/")
    assert resp.status_code == 302 and resp["Location"] == target


def test_import_page_defaults_to_the_latest_year_with_data():
    w = build_world()
    _move_to(2024)
    html = _client(w.users["county"]).get("/import/").content.decode()
    assert 'name="year" type="number" value="2024"' in html


def test_year_switcher_on_every_page_links_each_year_with_data():
    w = build_world()
    SchoolRecord.objects.create(school=w.school(w.own, 0), year=2024)
    c = _client(w.users["county"])
    for url in (
        f"/county/370830/{YEAR}/",
        f"/county/370830/{YEAR}/data/",
        f"/school/{SCHOOL}/{YEAR}/",
    ):
        html = c.get(url).content.decode()
        assert 'class="years"' in html, url
        assert f'href="{url.replace(str(YEAR), "2024")}"' in html, url
    # a school without a 2024 record is not offered 2024 (that would be a dead link)
    other = c.get("/school/1370830002/2026/").content.decode()
    assert 'class="years"' in other and "/school/1370830002/2024/" not in other
    assert 'href="/import/?year=2024"' in c.get("/import/").content.decode()
    assert 'name="year" type="number" value="2024"' in c.get("/import/?year=2024").content.decode()


def test_start_new_year_copies_last_years_records_as_drafts():
    w = build_world(RecordStatus.APPROVED)
    old = _rec()
    started = years.start_year(w.users["county"], w.own, YEAR + 1)
    assert (started.schools, started.county) == (3, True)
    new = _rec(year=YEAR + 1)
    assert new.status == RecordStatus.DRAFT and new.version == 1
    assert (new.p_students, new.p_teachers, new.name) == (old.p_students, old.p_teachers, old.name)
    assert CountyRecord.objects.get(county=w.own, year=YEAR + 1).population == 70.0
    assert not SchoolRecord.objects.filter(school__county=w.foreign, year=YEAR + 1).exists()
    # the school sees the new year at once, with last year's figure next to each field
    resp = _client(w.users["school"]).get("/")
    assert resp["Location"] == f"/school/{SCHOOL}/{YEAR + 1}/"
    c = _client(w.users["school"])
    rec = _rec(year=YEAR + 1)
    save_school_record(w.users["school"], rec, {"p_students": 1100}, rec.version)
    html = c.get(f"/school/{SCHOOL}/{YEAR + 1}/").content.decode()
    assert "上年 1000（+100）" in html and "上年 小学<" in html
    with pytest.raises(WorkflowError, match="已开始"):
        years.start_year(w.users["county"], w.own, YEAR + 1)
    with pytest.raises(NotAllowed):
        years.start_year(w.users["school"], w.own, YEAR + 2)
    with pytest.raises(NotAllowed):
        years.start_year(w.users["county"], w.foreign, YEAR + 1)


def test_start_new_year_button_on_the_county_page():
    w = build_world(RecordStatus.APPROVED)
    c = _client(w.users["county"])
    assert f"开始{YEAR + 1}年采集" in c.get(f"/county/370830/{YEAR}/").content.decode()
    resp = c.post(f"/county/370830/{YEAR + 1}/start/")
    assert resp.status_code == 302 and resp["Location"] == f"/county/370830/{YEAR + 1}/"
    assert SchoolRecord.objects.filter(year=YEAR + 1).count() == 3
    assert _client(w.users["city"]).post(f"/county/370830/{YEAR + 2}/start/").status_code == 403


# 10 ----------------------------------------------------------------------------------------
def test_session_lasts_a_working_day_and_ends_with_the_browser():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_a_working_session_is_kept_alive_without_a_write_per_request(monkeypatch):
    from django.contrib.sessions.models import Session

    from junheng.web.info import middleware

    w = build_world()
    c = _client(w.users["county"])
    page = f"/county/370830/{YEAR}/"

    def expiry():
        return Session.objects.get(session_key=c.session.session_key).expire_date

    c.get(page)  # the first request after signing in moves the expiry
    first = expiry()
    c.get(page)
    c.get(page)
    assert expiry() == first  # within 5 minutes: no write
    later = time.time() + settings.SESSION_REFRESH_SECONDS + 1
    monkeypatch.setattr(middleware.time, "time", lambda: later)
    c.get(page)
    assert expiry() > first  # the clerk is still at work: 8 hours from now again


def test_login_is_locked_after_repeated_failures():
    w = build_world()
    c = Client()
    for _ in range(5):
        c.post("/login/", {"username": "county", "password": "wrong"})
    resp = c.post("/login/", {"username": "county", "password": PASSWORD})
    assert resp.status_code in (403, 429)
    assert "_auth_user_id" not in c.session
    assert "登录失败次数过多" in resp.content.decode()
    assert w.users["county"].is_active


def test_weak_passwords_are_refused():
    for weak in ("12345678", "password1"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("汶上县-督导-2026")


def test_expired_session_during_htmx_redirects_the_page_to_login():
    build_world(RecordStatus.DRAFT)
    resp = Client().post(f"/school/{SCHOOL}/{YEAR}/validate/", {"p_students": "5"}, **HTMX)
    assert resp["HX-Redirect"] == f"/login/?next=/school/{SCHOOL}/{YEAR}/"
    assert "密码" not in resp.content.decode()  # no login box inside the form


def test_deploy_check_is_clean_in_production(tmp_path):
    env = {**os.environ, "JUNHENG_PRODUCTION": "1", "JUNHENG_DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "junheng.web.settings", "JUNHENG_ALLOWED_HOSTS": "junheng.example.cn"}  # fmt: skip
    out = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                         env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr


def test_pages_carry_a_content_security_policy():
    w = build_world()
    resp = _client(w.users["county"]).get(f"/county/370830/{YEAR}/")
    assert "default-src 'self'" in resp["Content-Security-Policy"]


# 11 ----------------------------------------------------------------------------------------
def test_conflict_message_gives_beijing_time():
    w = build_world(RecordStatus.DRAFT)
    rec = _rec()
    save_school_record(w.users["county"], rec, {"p_backbone": 21}, rec.version)
    utc = _rec().history.first().history_date
    with pytest.raises(VersionConflict) as exc:
        save_school_record(w.users["school"], rec, {"p_backbone": 22}, rec.version)
    assert f"{utc + timedelta(hours=8):%Y-%m-%d %H:%M}" in str(exc.value)
    if (utc + timedelta(hours=8)).hour != utc.hour:
        assert f"{utc:%Y-%m-%d %H:%M}" not in str(exc.value)


def test_api_times_are_in_beijing_time():
    w = build_world(RecordStatus.APPROVED)
    run = workflow.evaluate_county(w.users["county"], w.own, YEAR)
    body = _client(w.users["county"]).get("/api/counties/370830/evaluations").json()
    shown = body[0]["created_at"]
    assert shown.endswith("+08:00")
    assert shown.startswith(f"{run.created_at + timedelta(hours=8):%Y-%m-%dT%H:%M}")


# 12 ----------------------------------------------------------------------------------------
def test_opening_a_county_data_page_writes_nothing():
    w = build_world()
    before = CountyRecord.objects.count()
    resp = _client(w.users["county"]).get("/county/370830/1999/data/")
    assert resp.status_code == 200
    assert CountyRecord.objects.count() == before
    assert CountyRecord.history.filter(year=1999).count() == 0


def test_saving_a_new_years_county_data_creates_it():
    w = build_world()
    resp = _client(w.users["county"]).post(
        "/county/370830/2019/data/", {"version": "0", "population": "65.5"}
    )
    assert resp.status_code == 302
    assert CountyRecord.objects.get(county=w.own, year=2019).population == 65.5


# 18 ----------------------------------------------------------------------------------------
def test_a_rename_shows_in_the_title_queue_and_messages():
    w = build_world(RecordStatus.DRAFT)
    rec = _rec()
    save_school_record(w.users["school"], rec, {"name": "汶上县实验小学"}, rec.version)
    assert School.objects.get(code=SCHOOL).name == "汶上县实验小学"
    page = _client(w.users["school"]).get(f"/school/{SCHOOL}/{YEAR}/").content.decode()
    assert "<title>汶上县实验小学" in page
    c = _client(w.users["county"])
    assert "汶上县实验小学" in c.get(f"/county/370830/{YEAR}/").content.decode()
    _client(w.users["school"]).post(f"/school/{SCHOOL}/{YEAR}/submit/", {"next": "/"})
    resp = c.post(f"/school/{SCHOOL}/{YEAR}/approve/", follow=True)
    assert "汶上县实验小学的数据已审核通过" in resp.content.decode()


def test_a_rename_in_an_older_year_keeps_the_current_name():
    w = build_world(RecordStatus.DRAFT)
    years.start_year(w.users["county"], w.own, YEAR + 1)
    rec = _rec()
    save_school_record(w.users["county"], rec, {"name": "旧校名小学"}, rec.version)
    assert School.objects.get(code=SCHOOL).name == "第1小学"
    page = _client(w.users["county"]).get(f"/school/{SCHOOL}/{YEAR}/").content.decode()
    assert "<title>旧校名小学" in page
