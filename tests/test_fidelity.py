"""One truth in every output: a figure printed one way and judged another.

Each case builds a county whose figure sits on a threshold, works the exact value out by hand,
and checks the verdict, the reason text, the JSON value and the 申报表 cell agree.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import county_row, junior_school, primary_school, run
from junheng.display import cv as shown_cv
from junheng.display import percent
from junheng.errors import StandardError
from junheng.reports.tables import write_tables
from junheng.standard import load_standard

# Two primary schools of 1000 pupils, alike but for equipment: 2500 元 and 7508.006 元 a pupil.
# Equal weights: X̄ = (2500 + 7508.006) / 2 = 5004.003, S = (7508.006 − 2500) / 2 = 2504.003,
# CV = 5008.006 / 10008.006 = 0.50039968…: printed 0.500, and it fails ≤ 0.50.
_HIGH_EQUIPMENT = 750.8006  # 万元 for 1000 pupils → 7508.006 元 a pupil
_CV = (7508.006 - 2500) / (7508.006 + 2500)


def _overlay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: str) -> str:
    (tmp_path / "local.toml").write_text(
        f'id = "local"\nextends = "national-2017"\n[settings]\n{settings}\n', encoding="utf-8"
    )
    monkeypatch.setenv("JUNHENG_STANDARDS_DIR", str(tmp_path))
    return "local"


def _cv_county(standard: str = "national-2017") -> Any:
    schools = [primary_school(1), primary_school(2, equipment=_HIGH_EQUIPMENT), junior_school()]
    return run(schools, [county_row()], standard=standard)


def test_cv_printed_on_the_limit_fails_with_the_exact_figure() -> None:
    assert round(_CV, 4) == 0.5004 and _CV > 0.5
    ev = _cv_county()
    c = ev.counties[0]
    st = c.resource.stages["primary"]
    assert st.cv["equipment_value"] == pytest.approx(_CV, abs=1e-12)
    assert st.cv_pass["equipment_value"] is False
    assert c.recognised is False
    assert (
        "小学“生均教学仪器设备值”校际差异系数0.500（精确值0.5004），未达到≤0.50的要求" in c.reasons
    )
    # JSON keeps the exact value; the printed one is the half-up rounding of it
    doc = json.loads(ev.to_json())
    value = doc["counties"][0]["resource"]["stages"]["primary"]["cv"]["equipment_value"]
    assert shown_cv(value) == "0.500" and value > 0.5


def test_cv_printed_on_the_limit_in_the_declaration_form(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(write_tables(_cv_county(), tmp_path / "t.xlsx"))["表Ⅲ"]
    cell = ws["H5"]  # primary CV row, 6th indicator (equipment)
    # four decimals where three would read 0.500 beside a failing verdict; red
    assert cell.number_format == "0.0000"
    assert cell.value == pytest.approx(0.5004)
    assert cell.font.color is not None and cell.font.color.rgb.endswith("C00000")
    ok = ws["C5"]  # qualified teachers: CV 0, passes, three decimals as the form says
    assert (ok.value, ok.number_format) == (0, "0.000")


def test_cv_just_under_the_limit_passes_without_a_note() -> None:
    # 7493.0 元 against 2500: CV = 4993 / 9993 = 0.49965 → printed 0.500, passes: no contradiction
    schools = [primary_school(1), primary_school(2, equipment=749.30), junior_school()]
    c = run(schools, [county_row()]).counties[0]
    assert c.resource.stages["primary"].cv_pass["equipment_value"] is True
    assert c.recognised is True


def test_compare_at_displayed_judges_the_printed_cv(tmp_path, monkeypatch) -> None:
    sid = _overlay(tmp_path, monkeypatch, 'compare_at = "displayed"')
    c = _cv_county(sid).counties[0]
    # 0.5004 prints 0.500 ≤ 0.50: a province judging the printed figure passes it
    assert c.resource.stages["primary"].cv_pass["equipment_value"] is True
    assert c.recognised is True, c.reasons


def test_compare_at_must_be_exact_or_displayed(tmp_path, monkeypatch) -> None:
    sid = _overlay(tmp_path, monkeypatch, 'compare_at = "rounded"')
    with pytest.raises(StandardError, match="compare_at 应为 exact、displayed 之一"):
        load_standard(sid)


def _recognition_county(standard: str = "national-2017") -> Any:
    # 2124 / 2500 = 0.8496: printed 85.0%, exactly 84.96% < 85%
    row = county_row(survey_total=2600, survey_valid=2500, survey_satisfied=2124)
    schools = [primary_school(1), primary_school(2, 800), junior_school()]
    return run(schools, [row], standard=standard)


def test_recognition_rate_printed_85_fails_with_the_exact_figure(tmp_path: Path) -> None:
    ev = _recognition_county()
    c = ev.counties[0]
    assert c.recognition.passed is False
    detail = c.recognition.items[0].detail
    assert "问卷调查综合满意度85.0%（精确值84.96%）" in detail
    assert any("问卷调查综合满意度85.0%（精确值84.96%）" in r for r in c.reasons)
    rate = json.loads(ev.to_json())["counties"][0]["recognition"]["questionnaire_rate"]
    assert rate == 2124 / 2500 and percent(rate) == "85.0%"
    # 表Ⅵ: the rate with two decimals in red (not 85.0 beside 否), and the note says why
    ws = openpyxl.load_workbook(write_tables(ev, tmp_path / "t.xlsx"))["表Ⅵ"]
    assert ws["E6"].value == 84.96 and ws["E6"].number_format == "0.00#"
    assert ws["E6"].font.color.rgb.endswith("C00000")
    note = ws["A8"].value
    assert "按精确值判断：问卷调查综合满意度85.0%（精确值84.96%）" in note
    assert note.endswith("本县是否达标：否。")


def test_recognition_rate_judged_on_the_printed_figure(tmp_path, monkeypatch) -> None:
    sid = _overlay(tmp_path, monkeypatch, 'compare_at = "displayed"')
    c = _recognition_county(sid).counties[0]
    assert c.recognition.passed is True
    assert "问卷调查综合满意度85.0%；" in c.recognition.items[0].detail + "；"
    assert "精确值" not in c.recognition.items[0].detail


def test_rotation_share_printed_10_percent_fails_with_the_exact_figure() -> None:
    # 200 / 2001 = 9.995002…%: half-up to 1 decimal 10.0%, short of 10%. To 2 decimals it
    # would still read 10.00, so the exact figure takes 3: 9.995%
    row = county_row(rotation_eligible=2001, rotated=200, rotated_backbone=40)
    c = run([primary_school(1), junior_school()], [row]).counties[0]
    item = c.guarantee.items[10]
    assert (item.no, item.passed) == (11, False)
    assert "占符合交流轮岗条件教师总数的比例10.0%（精确值9.995%）" in item.detail
    # 40 / 200 = 20.0% exactly: met, printed plainly
    assert item.detail.endswith("占交流轮岗教师总数的比例20.0%")


def test_rates_round_half_up_not_down() -> None:
    # 2001 / 2106 = 95.0142…% → 95.0%, met; 1999 / 2106 = 94.919…% → 94.9%, short: both agree
    ok = run([primary_school(1), junior_school()],
             [county_row(disabled_children=2106, disabled_enrolled=2001)]).counties[0]  # fmt: skip
    assert ok.quality.items[1].passed is True
    assert "入学率为95.0%。" in ok.quality.items[1].detail
    # 949 / 1000 would have read 94.9% rounded down as well; 9499 / 10000 = 94.99% reads 95.0%
    # half-up, and fails: the exact figure follows
    short = run([primary_school(1), junior_school()],
                [county_row(disabled_children=10000, disabled_enrolled=9499)]).counties[0]  # fmt: skip
    assert short.quality.items[1].passed is False
    assert "入学率为95.0%（精确值94.99%）。" in short.quality.items[1].detail


def test_school_value_printed_at_the_standard_is_marked_in_table_2_2(tmp_path: Path) -> None:
    # 500 pupils, 21 qualified of 4.2 needed per 100 → 4.20 exactly: met. 1001 pupils, 42 → 4.1958…
    # printed 4.20 but below 4.2: 表Ⅱ-2 shows 4.196 in red
    schools = [
        primary_school(1, 1001, p_qualified=42, p_teachers=60),
        primary_school(2),
        junior_school(),
    ]
    ev = run(schools, [county_row()])
    s = next(x for x in ev.counties[0].resource.schools if x.name == "第1小学")
    assert s.values["qualified_teachers"] == pytest.approx(42 / 1001 * 100)
    assert "qualified_teachers" in s.below_standard
    ws = openpyxl.load_workbook(write_tables(ev, tmp_path / "t.xlsx"))["表Ⅱ-2"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "第1小学")
    cell = ws.cell(row, 7)
    assert cell.number_format == "0.0000" and cell.value == 4.1958
    assert cell.font.color.rgb.endswith("C00000")


def test_gaps_are_rounded_up_with_their_meaning() -> None:
    # teaching area 4.3 m² a pupil for 1000 pupils: (4.5 − 4.3) × 1000 = 200.00000000000017 in
    # floating point; the gap is 200.00 m² (not 200.01), the floor 3.825 reached → 0
    school = primary_school(1, teach_area=4300.0)
    ev = run([school, primary_school(2), junior_school()], [county_row()])
    doc = json.loads(ev.to_json())
    first = next(s for s in doc["counties"][0]["resource"]["schools"] if s["name"] == "第1小学")
    [gap] = first["gaps"]
    assert (gap["indicator"], gap["to_standard"], gap["to_floor"], gap["unit"]) == (
        "teaching_area", 200.0, 0.0, "㎡")  # fmt: skip
    assert gap["meaning"] == (
        "须增加200.00㎡教学及辅助用房，小学生均教学及辅助用房面积才达到标准4.50㎡；已达到标准的85%"
    )


def test_teacher_gap_is_whole_teachers() -> None:
    # 1000 pupils, 40 qualified (4.0 per 100): 4.2 × 10 = 42 → 2 more; floor 3.57 × 10 = 35.7 met
    ev = run(
        [primary_school(1, p_qualified=40), primary_school(2), junior_school()], [county_row()]
    )
    s = next(x for x in ev.counties[0].resource.schools if x.name == "第1小学")
    [gap] = s.gaps
    assert (gap.to_standard, gap.to_floor) == (2.0, 0.0)
    assert gap.meaning.startswith(
        "须增加2名高于规定学历教师，小学每百名学生拥有高于规定学历教师数才达到标准4.20人"
    )


def _walk(x: Any) -> list[float]:
    if isinstance(x, dict):
        return [v for y in x.values() for v in _walk(y)]
    if isinstance(x, list):
        return [v for y in x for v in _walk(y)]
    return [x] if isinstance(x, float) else []


def test_json_has_no_negative_zero_inf_or_nan() -> None:
    ev = run([primary_school(1, teach_area=4300.0), primary_school(2), junior_school()],
             [county_row()])  # fmt: skip
    text = ev.to_json()
    doc = json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    floats = _walk(doc)
    assert floats and all(math.isfinite(v) for v in floats)
    assert not any(v == 0 and math.copysign(1, v) < 0 for v in floats)
    assert "-0.0" not in text


def test_printed_figures_match_the_json_values_across_the_demo_province(tmp_path: Path) -> None:
    import re

    from junheng.demo import write_demo
    from junheng.display import rounded
    from junheng.engine.api import evaluate_file

    ev = evaluate_file(write_demo(tmp_path / "demo.xlsx", counties=8, seed=7))
    doc = json.loads(ev.to_json())
    titles = {ev.standard.indicator(k).title: k for k in ev.standard.to_dict()["indicators"]
              for k in [k["key"]]}  # fmt: skip
    stages = {"小学": "primary", "初中": "junior"}
    checked = 0
    book = openpyxl.load_workbook(write_tables(ev, tmp_path / "t.xlsx"))
    for c in doc["counties"]:
        for reason in c["reasons"]:
            m = re.match(r"(小学|初中)“(.+?)”校际差异系数([0-9.]+)", reason)
            if m:
                value = c["resource"]["stages"][stages[m[1]]]["cv"][titles[m[2]]]
                assert m[3] == shown_cv(value)
                checked += 1
        rate = c["recognition"]["questionnaire_rate"]
        detail = c["recognition"]["items"][0]["detail"]
        assert f"问卷调查综合满意度{percent(rate) if rate is not None else '＿＿%'}" in detail
        ws = book[f"{c['code']} 表Ⅲ"]
        for i, stage in enumerate(("primary", "junior")):
            st = c["resource"]["stages"].get(stage)
            for j, key in enumerate(ev.standard.to_dict()["indicators"][:7]):
                cell = ws.cell(5 + 2 * i, 3 + j)
                if st and st["cv"][key["key"]] is not None:
                    assert cell.value == rounded(st["cv"][key["key"]], 3)
                    assert (cell.font.color is not None and str(cell.font.color.rgb).endswith(
                        "C00000")) is not st["cv_pass"][key["key"]]  # fmt: skip
    assert checked >= 1  # the demo province has a county failing on a CV


def test_special_school_funds_printed_6000_fail_with_the_exact_figure() -> None:
    # 59.996 万元 for 100 pupils = 5999.6 元 a pupil: printed 6000, short of 6000
    c = run([primary_school(1), junior_school()],
            [county_row(special_funds=59.996, special_students=100)]).counties[0]  # fmt: skip
    item = c.guarantee.items[6]
    assert (item.no, item.passed) == (7, False)
    assert "特殊教育学校生均公用经费为6000（精确值5999.60）元（标准6000元）" in item.detail


def test_gap_sheet_current_value_never_reads_as_the_standard(tmp_path: Path) -> None:
    # 42 of 1001 pupils → 4.1958… per 100: printed 4.20 it would read as meeting 4.2
    schools = [
        primary_school(1, 1001, p_qualified=42, p_teachers=60),
        primary_school(2),
        junior_school(),
    ]
    ws = openpyxl.load_workbook(write_tables(run(schools, [county_row()]), tmp_path / "g.xlsx"))[
        "差距明细"
    ]
    row = next(r for r in ws.iter_rows(min_row=3) if r[2].value == "第1小学")
    assert row[5].value == 4.1958 and row[5].number_format == "0.0000"
    # 4.2 × 10.01 = 42.042 teachers needed → 1 more (rounded up); floor 3.57 met → 0
    assert (row[6].value, row[8].value, row[9].value) == (4.2, 1, 0)
