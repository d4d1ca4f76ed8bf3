"""The web commands of the CLI and the demo load, on the test database."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from typer.testing import CliRunner

from conftest import junior_school, primary_school
from junheng.cli import app
from junheng.web.info.models import County, EvaluationRun, School, SchoolRecord, UserProfile
from junheng.web.info.services.demo import DEMO_PASSWORD, load_demo
from junheng.workbook import write_workbook
from webfixtures import YEAR, build_world

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_import_command_applies_a_good_file(tmp_path):
    build_world()
    # the world's third school is the fixture's junior school under code …003
    rows = [primary_school(1, p_backbone=25), junior_school(code="1370830003")]
    book = write_workbook(tmp_path / "a.xlsx", rows, None)
    r = runner.invoke(app, ["import", str(book), "--year", str(YEAR), "--user", "county", "--yes"])
    assert r.exit_code == 0, r.output
    assert "新增 0 条，修改 1 条，不变 1 条" in r.stdout
    assert SchoolRecord.objects.get(school__code="1370830001", year=YEAR).p_backbone == 25


def test_import_command_refuses_a_bad_file(tmp_path):
    build_world()
    book = write_workbook(tmp_path / "b.xlsx", [primary_school(1, type="大学")], None)
    r = runner.invoke(app, ["import", str(book), "--year", str(YEAR), "--user", "county", "--yes"])
    assert r.exit_code == 2
    assert "工作表“学校”第2行“办学类型”列的值“大学”有误" in r.stderr


def test_createadmin(tmp_path):
    r = runner.invoke(app, ["createadmin", "boss"], input="s3cret-pass\ns3cret-pass\n")
    assert r.exit_code == 0, r.output
    assert get_user_model().objects.get(username="boss").is_superuser
    again = runner.invoke(app, ["createadmin", "boss"], input="x-pass-123\nx-pass-123\n")
    assert again.exit_code == 2


def test_demo_load_gives_one_login_per_role_and_is_repeatable():
    logins = load_demo(counties=4, seed=7)
    assert [x.role for x in logins] == ["admin", "province", "city", "county", "school"]
    counts = (County.objects.count(), School.objects.count(), SchoolRecord.objects.count())
    assert counts[0] == 4 and counts[1] == counts[2] > 40
    load_demo(counties=4, seed=7)
    assert (County.objects.count(), School.objects.count(), SchoolRecord.objects.count()) == counts
    assert UserProfile.objects.get(user__username="school").unit_code == logins[-1].unit
    c = Client()
    assert c.login(username="county", password=DEMO_PASSWORD)
    assert c.get("/", follow=True).redirect_chain[-1][0] == f"/county/{logins[3].unit}/2026/"


def test_field_level_validation_next_to_the_field():
    w = build_world("draft")
    c = Client()
    c.force_login(w.users["school"])
    rec = w.record(w.own)
    data = {
        k: ("" if v is None else v)
        for k, v in SchoolRecord.objects.filter(pk=rec.pk).values()[0].items()
    }
    data.update(p_qualified="999", version=str(rec.version))
    html = c.post("/school/1370830001/2026/validate/", data).content.decode()
    assert 'class="field has-error"' in html
    assert "值“999”超过了小学专任教师数（60）" in html
    assert EvaluationRun.objects.count() == 0
