"""A save of the school form checks the values with the reader's rules once, not once in the
form and again in the service; the outcome stays that of the rules, named for each school."""

from __future__ import annotations

import pytest
from django.test import Client

import junheng.web.info.services.records as records
from junheng.web.info.models import RecordStatus, School, SchoolRecord
from junheng.web.info.services.records import validate_school
from test_web_daily import HTMX, SCHOOL, _form_data, _rec
from webfixtures import YEAR, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = records.dataset_from_records

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(records, "dataset_from_records", counting)
    records._checked.cache_clear()
    return calls


def test_saving_plainly_clean_values_needs_no_reader(reader_calls):
    w = build_world(RecordStatus.DRAFT)
    c = Client()
    c.force_login(w.users["school"])
    resp = c.post(f"/school/{SCHOOL}/{YEAR}/", _form_data(_rec(), p_backbone=26), **HTMX)
    assert "已保存" in resp.content.decode()
    assert _rec().p_backbone == 26
    assert reader_calls == []


def test_a_doubtful_save_runs_the_reader_checks_once(reader_calls):
    w = build_world(RecordStatus.DRAFT)
    c = Client()
    c.force_login(w.users["school"])
    html = c.post(f"/school/{SCHOOL}/{YEAR}/", _form_data(_rec(), p_qualified=999), **HTMX).content.decode()  # fmt: skip
    assert "已保存" not in html and "超过了" in html
    assert len(reader_calls) == 1


def test_a_refused_value_is_still_refused_on_the_second_save(reader_calls):
    w = build_world(RecordStatus.DRAFT)
    c = Client()
    c.force_login(w.users["school"])
    # more qualified teachers than teachers: the reader's cross-field rule
    bad = _form_data(_rec(), p_qualified=999)
    for _ in range(2):
        html = c.post(f"/school/{SCHOOL}/{YEAR}/", bad, **HTMX).content.decode()
        assert "已保存" not in html and "field-error" in html
    assert _rec().p_qualified != 999 and _rec().version == 1


def test_the_same_values_in_two_schools_are_reported_under_each_name(reader_calls):
    build_world(RecordStatus.DRAFT)
    a, b = School.objects.filter(county__code="370830").order_by("code")[:2]
    values = {k: v for k, v in records.school_contract(SchoolRecord.objects.get(school=a, year=YEAR)).items()
              if k in records.SCHOOL_KEYS}  # fmt: skip
    values["p_qualified"] = 999
    first, second = validate_school(a, values), validate_school(b, values)
    assert first and first[0].message.startswith(f"{a.name}：")
    assert second and second[0].message.startswith(f"{b.name}：")
