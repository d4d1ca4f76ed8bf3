"""The command line: exit codes, JSON keys of the data contract, template, standards."""

from __future__ import annotations

import json

import openpyxl
from typer.testing import CliRunner

from conftest import county_row, junior_school, primary_school
from junheng.cli import app
from junheng.contract import COUNTY_COLUMNS, SCHOOL_COLUMNS
from junheng.workbook import write_workbook

runner = CliRunner()
KEYS = {"qualified_teachers", "backbone_teachers", "pe_art_teachers", "teaching_area",
        "sports_area", "equipment_value", "multimedia_rooms"}  # fmt: skip


def _good(tmp_path, **over):
    return write_workbook(tmp_path / "in.xlsx", [primary_school(1), primary_school(2, 800),
                                                 junior_school()], [county_row(**over)])  # fmt: skip


def test_evaluate_recognised_exits_0_with_contract_json(tmp_path):
    r = runner.invoke(app, ["evaluate", str(_good(tmp_path)), "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["standard"] == "national-2017"
    [c] = doc["counties"]
    assert (c["code"], c["name"], c["recognised"], c["reasons"]) == ("370830", "汶上县", True, [])
    res = c["resource"]
    assert res["pass"] is True
    prim = res["stages"]["primary"]
    assert (prim["schools"], prim["schools_passing"]) == (2, 2)
    assert set(prim["mean"]) == set(prim["cv"]) == set(prim["cv_pass"]) == KEYS
    # (50 + 40) qualified / 1800 pupils × 100 = 5.0
    assert prim["mean"]["qualified_teachers"] == 5.0
    school = res["schools"][0]
    assert {"code", "stage", "students", "values", "met", "pass"} <= set(school)
    for part in ("guarantee", "quality", "recognition"):
        assert c[part]["pass"] is True
    assert [i["no"] for i in c["guarantee"]["items"]] == list(range(1, 16))
    assert {"no", "pass", "detail"} <= set(c["guarantee"]["items"][0])
    assert c["vetoes"] == []


def test_evaluate_not_recognised_exits_1(tmp_path):
    r = runner.invoke(app, ["evaluate", str(_good(tmp_path, veto_exam=True))])
    assert r.exit_code == 1
    assert "考试招生" in r.stdout
    assert "未通过" in r.stdout


def test_stage_without_schools_is_absent(tmp_path):
    path = write_workbook(tmp_path / "p.xlsx", [primary_school(1)], [county_row()])
    r = runner.invoke(app, ["evaluate", str(path), "-f", "json"])
    assert set(json.loads(r.stdout)["counties"][0]["resource"]["stages"]) == {"primary"}


def test_missing_data_gives_null_and_a_reason(tmp_path):
    path = write_workbook(tmp_path / "m.xlsx", [primary_school(1)], None)
    r = runner.invoke(app, ["evaluate", str(path), "-f", "json"])
    assert r.exit_code == 1
    c = json.loads(r.stdout)["counties"][0]
    assert c["guarantee"]["pass"] is None and c["recognised"] is False
    assert any("未评估" in x for x in c["reasons"])


def test_bad_input_exits_2_with_chinese_message(tmp_path):
    path = write_workbook(tmp_path / "b.xlsx", [primary_school(1, p_students=-5)], None)
    r = runner.invoke(app, ["evaluate", str(path)])
    assert r.exit_code == 2
    assert "工作表“学校”第2行“小学在校生数”列的值“-5”有误：不能为负数" in r.stderr


def test_unknown_standard_exits_2(tmp_path):
    r = runner.invoke(app, ["evaluate", str(_good(tmp_path)), "--standard", "nowhere"])
    assert r.exit_code == 2
    assert "未找到评估标准“nowhere”" in r.stderr


def test_json_to_file(tmp_path):
    out = tmp_path / "r.json"
    r = runner.invoke(app, ["evaluate", str(_good(tmp_path)), "-f", "json", "-o", str(out)])
    assert r.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["counties"][0]["recognised"] is True


def test_template_has_the_contract_headers_and_drop_downs(tmp_path):
    out = tmp_path / "template.xlsx"
    r = runner.invoke(app, ["template", str(out)])
    assert r.exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["学校", "区县", "填报说明"]
    assert [c.value for c in wb["学校"][1]] == [c.header for c in SCHOOL_COLUMNS]
    assert [c.value for c in wb["区县"][1]] == [c.header for c in COUNTY_COLUMNS]
    lists = [dv for dv in wb["学校"].data_validations.dataValidation if dv.type == "list"]
    assert any("九年一贯制学校" in (dv.formula1 or "") for dv in lists)
    assert wb["学校"]["I1"].comment is not None and "单位：人" in wb["学校"]["I1"].comment.text


def test_template_filled_by_hand_evaluates(tmp_path):
    out = tmp_path / "template.xlsx"
    runner.invoke(app, ["template", str(out)])
    wb = openpyxl.load_workbook(out)
    ws = wb["学校"]
    rec = primary_school(1)
    for j, col in enumerate(SCHOOL_COLUMNS, start=1):
        if rec.get(col.key) is not None:
            ws.cell(row=2, column=j, value=rec[col.key])
    wb.save(out)
    r = runner.invoke(app, ["evaluate", str(out), "-f", "json"])
    assert r.exit_code == 1  # no 区县 data: only resources judged
    c = json.loads(r.stdout)["counties"][0]
    assert c["resource"]["pass"] is True


def test_template_with_overlay_has_local_columns(tmp_path):
    out = tmp_path / "t.xlsx"
    runner.invoke(app, ["template", str(out), "--standard", "wenshang-2022"])
    headers = [c.value for c in openpyxl.load_workbook(out)["区县"][1]]
    assert "体质健康优良率（%）" in headers


def test_standards_lists_bundled_ones():
    r = runner.invoke(app, ["standards"])
    assert r.exit_code == 0
    for sid in ("national-2017", "wenshang-2022", "shenyang-2021"):
        assert sid in r.stdout


def test_new_county_columns_are_read_from_the_workbook(tmp_path):
    # veto 7, basic-balance monitoring and the parents' survey figures, typed in as 是/否 and counts
    row = county_row(veto_tutoring=True, basic_monitoring_good=False, parent_survey_total=600,
                     parent_survey_valid=580, parent_survey_satisfied=500, parent_visits=50,
                     parent_visits_satisfied=45)  # fmt: skip
    path = write_workbook(tmp_path / "n.xlsx", [primary_school(1), junior_school()], [row])
    headers = [c.value for c in openpyxl.load_workbook(path)["区县"][1]]
    for h in ("校外培训治理不力", "基本均衡监测保持良好", "家长问卷数", "家长有效问卷数",
              "家长满意问卷数", "走访家长人数", "走访家长满意人数"):  # fmt: skip
        assert h in headers
    r = runner.invoke(app, ["evaluate", str(path), "-f", "json"])
    assert r.exit_code == 1
    c = json.loads(r.stdout)["counties"][0]
    assert c["vetoes"] == ["校外培训治理不力"]
    assert c["eligibility"]["pass"] is False
    rec = c["recognition"]
    assert (
        rec["parent_survey_total"],
        rec["parent_survey_valid"],
        rec["parent_survey_satisfied"],
    ) == (600, 580, 500)
    # 500 / 580 = 0.86207; 45 / 50 = 0.9
    assert rec["parents_questionnaire_rate"] == 500 / 580 and rec["parents_visit_rate"] == 0.9
    assert rec["warnings"] == []


def test_parents_questionnaires_cannot_exceed_all_questionnaires(tmp_path):
    row = county_row(parent_survey_total=1100)  # 问卷总数 1050
    path = write_workbook(tmp_path / "p.xlsx", [primary_school(1)], [row])
    r = runner.invoke(app, ["evaluate", str(path)])
    assert r.exit_code == 2
    assert "“家长问卷数”列的值“1100”超过了“问卷总数”（1050）" in r.stderr
