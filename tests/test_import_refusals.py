"""Import refusals the preview must name, each with its sheet, row, column and value, and the
county sheet applied or left alone as the preview said (services, as the web page calls them)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from junheng.web.info.models import (
    CountyRecord,
    RecordStatus,
    Role,
    School,
    SchoolRecord,
    UserProfile,
)
from junheng.web.info.services.importing import confirm_import, preview_import
from junheng.web.info.services.records import county_contract, school_contract
from junheng.workbook import write_workbook
from webfixtures import YEAR, World, build_world

pytestmark = pytest.mark.django_db


def _book(tmp_path, schools: list[dict[str, Any]], counties: list[dict[str, Any]] | None = None) -> bytes:  # fmt: skip
    return write_workbook(tmp_path / "in.xlsx", schools, counties).read_bytes()


def _school_row(w: World, n: int = 0, **changes: Any) -> dict[str, Any]:
    return school_contract(w.record(w.own, n)) | changes


def _county_row(w: World, **changes: Any) -> dict[str, Any]:
    rec = CountyRecord.objects.select_related("county__city").get(county=w.own, year=YEAR)
    return county_contract(rec) | changes


def _versions() -> dict[str, int]:
    return dict(SchoolRecord.objects.values_list("school__code", "version"))


def test_a_school_cannot_be_moved_to_another_county_by_import(tmp_path):
    """The administrator sees every county; 第1小学 of 汶上县 filed under 中原区 is refused."""
    w = build_world(RecordStatus.APPROVED)
    row = _school_row(w, county_code="410102", county_name="中原区")
    before = _versions()
    preview = preview_import(w.users["admin"], _book(tmp_path, [row]), "in.xlsx", YEAR)
    [f] = preview.findings
    assert (f.type, f.sheet, f.row, f.column, f.value) == ("not-allowed", "学校", 2, "学校标识码", "1370830001")  # fmt: skip
    assert f.message == "工作表“学校”第2行“学校标识码”列的值“1370830001”：该学校已登记在汶上县，不能改到其他区县"  # fmt: skip
    assert confirm_import(w.users["admin"], preview.token, YEAR).findings
    assert _versions() == before
    assert School.objects.get(code="1370830001").county == w.own


def test_a_locked_year_is_refused_row_by_row_and_nothing_is_written(tmp_path):
    w = build_world(RecordStatus.APPROVED)
    SchoolRecord.objects.filter(school__county=w.own, year=YEAR).update(
        status=RecordStatus.LOCKED, status_note="2026-12-01 区县锁定"
    )
    rows = [_school_row(w, 0, p_backbone=21), _school_row(w, 1)]
    before = _versions()
    preview = preview_import(w.users["county"], _book(tmp_path, rows), "in.xlsx", YEAR)
    assert [(f.row, f.value) for f in preview.findings] == [(2, "1370830001"), (3, "1370830002")]
    assert preview.findings[0].message.endswith("2026年数据已锁定（2026-12-01 区县锁定）")
    assert confirm_import(w.users["county"], preview.token, YEAR).findings
    assert _versions() == before
    assert w.record(w.own, 0).p_backbone == 20


def test_a_clerk_of_a_school_not_yet_registered_is_told_to_ask_the_county(tmp_path):
    w = build_world(RecordStatus.DRAFT)
    clerk = get_user_model().objects.create_user(username="newclerk", password="x")
    UserProfile.objects.create(user=clerk, role=Role.SCHOOL, unit_code="1370830009")
    row = _school_row(w, 0, code="1370830009", name="新建小学")
    preview = preview_import(clerk, _book(tmp_path, [row]), "in.xlsx", YEAR)
    [f] = preview.findings
    assert (f.row, f.column, f.value) == (2, "学校标识码", "1370830009")
    assert f.message.endswith("本校尚未登记，请联系区县教育督导")
    assert not School.objects.filter(code="1370830009").exists()


def test_the_county_sheet_is_refused_to_a_school_clerk_and_for_a_foreign_county(tmp_path):
    w = build_world(RecordStatus.DRAFT)
    own = _book(tmp_path, [_school_row(w)], [_county_row(w, population=99.0)])
    clerk = preview_import(w.users["school"], own, "in.xlsx", YEAR)
    assert [(f.sheet, f.row, f.column, f.value) for f in clerk.findings] == [("区县", 2, "区县代码", "370830")]  # fmt: skip
    assert clerk.findings[0].message.endswith("无权导入该区县数据")
    foreign = _county_row(w, county_code="410102", county_name="中原区")
    county = preview_import(w.users["county"], _book(tmp_path, [_school_row(w)], [foreign]), "in.xlsx", YEAR)  # fmt: skip
    assert [(f.sheet, f.value) for f in county.findings] == [("区县", "410102")]
    assert CountyRecord.objects.get(county=w.own, year=YEAR).population == 70.0


def test_a_locked_county_record_is_refused(tmp_path):
    w = build_world(RecordStatus.APPROVED)
    CountyRecord.objects.filter(county=w.own, year=YEAR).update(
        status=RecordStatus.LOCKED, status_note="已锁定评估"
    )
    content = _book(tmp_path, [_school_row(w)], [_county_row(w, population=99.0)])
    preview = preview_import(w.users["county"], content, "in.xlsx", YEAR)
    [f] = preview.findings
    assert (f.sheet, f.row, f.value) == ("区县", 2, "370830")
    assert f.message.endswith("2026年数据已锁定（已锁定评估）")
    assert CountyRecord.objects.get(county=w.own, year=YEAR).population == 70.0


def test_the_county_sheet_is_applied_when_changed_and_left_alone_when_not(tmp_path):
    w = build_world(RecordStatus.APPROVED)
    version = CountyRecord.objects.get(county=w.own, year=YEAR).version
    changed = _book(tmp_path, [_school_row(w)], [_county_row(w, population=71.5)])
    preview = preview_import(w.users["county"], changed, "in.xlsx", YEAR)
    [change] = [c for c in preview.changes if c.sheet == "区县"]
    assert change.action == "修改" and change.fields == [("常住人口（万人）", 70.0, 71.5)]
    assert confirm_import(w.users["county"], preview.token, YEAR).ok
    rec = CountyRecord.objects.get(county=w.own, year=YEAR)
    assert (rec.population, rec.version) == (71.5, version + 1)
    same = _book(tmp_path, [_school_row(w)], [_county_row(w)])
    again = preview_import(w.users["county"], same, "in.xlsx", YEAR)
    assert [c.action for c in again.changes if c.sheet == "区县"] == ["不变"]
    confirm_import(w.users["county"], again.token, YEAR)
    assert CountyRecord.objects.get(county=w.own, year=YEAR).version == version + 1
