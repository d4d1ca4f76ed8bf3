"""Every page speaks Chinese whatever the browser's language: Django's own strings (the
yes/no select, form errors, the change history's kind, the admin) never follow an English
Accept-Language header or a language cookie."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from junheng.web.info.forms import SchoolRecordForm
from junheng.web.info.models import RecordStatus, SchoolRecord
from webfixtures import YEAR, build_world

pytestmark = pytest.mark.django_db

SCHOOL = "1370830001"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def _english_client(user, *, cookie: bool) -> Client:
    c = Client(**ENGLISH)
    if cookie:
        c.cookies["django_language"] = "en"
    c.force_login(user)
    return c


def _boarding_options(html: str) -> list[str]:
    select = re.search(r'<select name="boarding".*?</select>', html, re.S)
    assert select is not None, "the form has no 是否寄宿制学校 select"
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))


def _form_data(rec: SchoolRecord, **changes: object) -> dict[str, object]:
    form = SchoolRecordForm(instance=rec)
    data: dict[str, object] = {}
    for name in form.fields:
        value = form[name].value()
        if name == "boarding":
            value = {True: "true", False: "false", None: "unknown"}[value]
        if value is not None:
            data[name] = value
    data.update(changes)
    return data


@pytest.mark.parametrize("cookie", [False, True], ids=["accept-language", "language-cookie"])
def test_the_school_form_is_chinese_for_an_english_browser(cookie):
    w = build_world(RecordStatus.DRAFT)
    c = _english_client(w.users["school"], cookie=cookie)
    html = c.get(f"/school/{SCHOOL}/{YEAR}/").content.decode()
    assert _boarding_options(html) == ["未知", "是", "否"]
    assert ">Yes<" not in html and ">No<" not in html and ">Unknown<" not in html


@pytest.mark.parametrize("cookie", [False, True], ids=["accept-language", "language-cookie"])
def test_form_errors_and_history_are_chinese_for_an_english_browser(cookie):
    w = build_world(RecordStatus.DRAFT)
    c = _english_client(w.users["school"], cookie=cookie)
    rec = SchoolRecord.objects.get(school__code=SCHOOL, year=YEAR)
    # letters typed into a number: Django's own message, in Chinese
    data = _form_data(rec, p_students="abc")
    resp = c.post(f"/school/{SCHOOL}/{YEAR}/validate/", data, HTTP_HX_REQUEST="true")
    text = resp.content.decode()
    assert "输入整数。" in text and "Enter a whole number" not in text
    # a saved change: the history names its kind in Chinese
    resp = c.post(f"/school/{SCHOOL}/{YEAR}/", _form_data(rec, p_backbone=25))
    assert resp.status_code == 302
    page = c.get(f"/school/{SCHOOL}/{YEAR}/").content.decode()
    history = page[page.index('id="history"') :]
    assert "已修改" in history
    assert "Changed" not in history and "Created" not in history


@pytest.mark.parametrize("cookie", [False, True], ids=["accept-language", "language-cookie"])
def test_the_admin_and_its_login_are_chinese_for_an_english_browser(cookie):
    w = build_world(RecordStatus.DRAFT)
    anon = Client(**ENGLISH)
    if cookie:
        anon.cookies["django_language"] = "en"
    login = anon.get("/admin/login/").content.decode()
    assert "用户名" in login and "Username" not in login
    admin = _english_client(w.users["admin"], cookie=cookie).get("/admin/").content.decode()
    assert 'lang="zh-hans"' in admin and "最近动作" in admin
    assert "Recent actions" not in admin and "Log out" not in admin
