"""The county's own forms as its staff and the province use them: county facts saved over
someone else's save, a county form for a year without one, the province's target and the
new school year started twice. Each answers with what went wrong, and nothing is changed."""

from __future__ import annotations

import pytest
from django.test import Client

from junheng.web.info.forms import CountyRecordForm
from junheng.web.info.models import CountyRecord, ProvinceTarget
from junheng.web.info.services.records import save_county_record
from webfixtures import YEAR, build_world, posted

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _county_form(rec: CountyRecord, **changes: object) -> dict[str, object]:
    return posted(CountyRecordForm(instance=rec), **changes)


def test_county_facts_saved_over_another_save_show_the_conflict_and_keep_the_other(tmp_path):
    w = build_world()
    rec = CountyRecord.objects.get(county=w.own, year=YEAR)
    opened = _county_form(rec, population="75")  # the form as one colleague opened it
    save_county_record(w.users["county"], rec, {"population": 71.5}, rec.version)  # another saves
    resp = _client(w.users["county"]).post(f"/county/{w.own.code}/{YEAR}/data/", opened)
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "该数据已被county于" in html and "请刷新后在最新数据上修改" in html
    assert CountyRecord.objects.get(pk=rec.pk).population == 71.5


def test_a_county_form_for_a_year_without_one_is_not_found_for_those_who_cannot_create_it():
    w = build_world()
    path = f"/county/{w.own.code}/{YEAR + 1}/data/"
    assert _client(w.users["city"]).get(path).status_code == 404
    county = _client(w.users["county"]).get(path)  # the county may start it: an empty form
    assert county.status_code == 200 and 'name="version" value="0"' in county.content.decode()
    assert not CountyRecord.objects.filter(county=w.own, year=YEAR + 1).exists()


@pytest.mark.parametrize(("share", "message"), [
    ("三成", "请填写目标年度（四位年份）和认定区县占比（%）"),
    ("130", "认定区县占比应在0到100之间"),
])  # fmt: skip
def test_a_province_target_typed_wrong_is_refused_with_the_reason(share, message):
    w = build_world()
    province = w.own.city.province.code
    resp = _client(w.users["province"]).post(
        f"/province/{province}/targets/", {"year": "2027", "share": share, "back_year": str(YEAR)},
        follow=True,
    )  # fmt: skip
    assert resp.redirect_chain[-1][0] == f"/province/{province}/{YEAR}/"
    assert message in resp.content.decode()
    assert not ProvinceTarget.objects.exists()


def test_starting_a_year_twice_says_it_has_started_and_copies_nothing_again():
    w = build_world()
    c = _client(w.users["county"])
    first = c.post(f"/county/{w.own.code}/{YEAR + 1}/start/", follow=True)
    assert "已开始2027年采集：3所学校的2026年数据已复制为草稿" in first.content.decode()
    again = c.post(f"/county/{w.own.code}/{YEAR + 1}/start/", follow=True)
    assert again.redirect_chain[-1][0] == f"/county/{w.own.code}/{YEAR}/"
    assert "汶上县2027年的采集已开始，不能重复开始" in again.content.decode()
    assert w.own.schools.filter(records__year=YEAR + 1).count() == 3
