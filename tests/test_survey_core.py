"""Survey arithmetic: sample size and quotas at the thresholds, validity, rates, warnings, paper
entry refused whole. Expected figures are worked by hand in the comments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest

from junheng.errors import InputError
from junheng.standard import load_standard
from junheng.survey import (
    RESPONSE_SCHEMA,
    SamplingError,
    Visits,
    apportion,
    default_questionnaire,
    plan_sample,
    read_paper,
    survey_result,
    write_paper_template,
)
from junheng.survey.exports import write_sampling_plan
from junheng.survey.sampling import sample_size

STANDARD = load_standard()
QUESTIONNAIRE = default_questionnaire()
SCHOOLS = pl.DataFrame(
    {
        "school_code": ["A", "B", "C"],
        "school_name": ["城一小", "城二小", "村小"],
        "urban_rural": ["城区", "城区", "乡村"],
        "students": [1000, 500, 300],
        "teachers": [60, 30, 20],
    }
)


def test_largest_remainder_adds_up_and_breaks_ties_by_order() -> None:
    # 10 × (1/3, 1/3, 1/3) = 3.33 each → 3, 3, 3 and the one left goes to the first
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    # 7 × (0.5, 0.3, 0.2) = 3.5, 2.1, 1.4 → 3, 2, 1 plus one to the largest remainder (0.5)
    assert apportion(7, [5, 3, 2]) == [4, 2, 1]
    assert apportion(5, [0, 0]) == [0, 0]


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        (40.0, 600),  # 400,000 × 1.5‰ = 600 exactly
        (39.9, 600),  # 598.5 → the practice minimum of 600
        (40.01, 601),  # 600.15 → rounded up to whole questionnaires
        (52.3, 785),  # 784.5 → 785
    ],
)
def test_sample_is_one_and_a_half_per_mille_of_residents(population: float, expected: int) -> None:
    assert sample_size(population, STANDARD) == expected


def test_plan_gives_parents_half_and_spreads_areas_by_pupils() -> None:
    plan = plan_sample(52.3, SCHOOLS, STANDARD)
    assert plan.total == 785
    # parents: ceil(785 × 0.5) = 393; the other 392 by shares .20/.15/.02/.04/.04/.05 of .50:
    # 156.8, 117.6, 15.68, 31.36, 31.36, 39.2 → floors 389, three left to .8, .68, .6
    assert plan.by_group == {
        "parent": 393,
        "student": 157,
        "teacher": 118,
        "principal": 16,
        "npc": 31,
        "cppcc": 31,
        "public": 39,
    }
    assert sum(plan.by_group.values()) == 785
    # no population by area: pupils 1500 城区 : 300 乡村 → parents 327.5 / 65.5, tie to 城区
    assert plan.by_area["parent"] == {"城区": 328, "镇区": 0, "乡村": 65}
    assert "在校生数" in plan.area_basis
    rows = {r["school_code"]: r for r in plan.schools.to_dicts()}
    # 城区 parents 328 by pupils 1000:500 → 218.67 / 109.33 → 218 + 1, 109
    assert (rows["A"]["parent"], rows["B"]["parent"], rows["C"]["parent"]) == (219, 109, 65)
    # 城区 teachers 98 by teachers 60:30 → 65.33 / 32.67 → 65, 33
    assert (rows["A"]["teacher"], rows["B"]["teacher"]) == (65, 33)
    for group in ("student", "parent", "teacher"):
        assert plan.schools[group].sum() == plan.by_group[group]


def test_plan_uses_population_by_area_when_given() -> None:
    plan = plan_sample(40.0, SCHOOLS, STANDARD, {"城区": 20, "镇区": 10, "乡村": 10})
    # 600 → parents 300; general groups spread 2:1:1, but 镇区 has no school so school-bound
    # groups go 2:1 between 城区 and 乡村: parents 200 / 100
    assert plan.by_area["parent"] == {"城区": 200, "镇区": 0, "乡村": 100}
    # npc: 300 × .04/.50 = 24 → 12 / 6 / 6
    assert plan.by_area["npc"] == {"城区": 12, "镇区": 6, "乡村": 6}


def test_plan_refuses_without_population() -> None:
    with pytest.raises(SamplingError, match="常住人口"):
        plan_sample(None, SCHOOLS, STANDARD)
    with pytest.raises(SamplingError, match="常住人口"):
        plan_sample(0, SCHOOLS, STANDARD)


def _answers(
    qid: str, group: str, answers: dict[str, str | None], school: str | None = "A"
) -> list[dict[str, Any]]:
    return [
        {
            "questionnaire": qid,
            "group": group,
            "area": "城区",
            "school_code": school,
            "question": q.id,
            "answer": answers.get(q.id, "A"),
        }
        for q in QUESTIONNAIRE.for_group(group)
    ]


def _frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=RESPONSE_SCHEMA)


def test_validity_and_satisfaction_by_the_overall_question() -> None:
    rows = [
        *_answers("p1", "parent", {}),  # all 满意 → valid, satisfied
        *_answers("p2", "parent", {"overall": "比较满意", "burden": "D"}),  # satisfied
        *_answers("p3", "parent", {"overall": "一般"}),  # neutral counts as not satisfied
        *_answers("p4", "parent", {"overall": None}),  # overall blank → invalid
        *_answers("t1", "teacher", {"equity": None}),  # one blank allowed → valid, satisfied
        *_answers("t2", "teacher", {"equity": None, "sharing": None}),  # two blanks → invalid
        *_answers("n1", "npc", {"overall": "不了解"}, school=None),  # overall unknown → invalid
        *_answers("n2", "npc", {"overall": "D"}, school=None),  # valid, not satisfied
    ]
    result = survey_result(_frame(rows), QUESTIONNAIRE, STANDARD)
    assert (result.collected, result.valid, result.satisfied) == (8, 5, 3)
    assert result.rate == pytest.approx(3 / 5)
    assert result.parents == {"collected": 4, "valid": 3, "satisfied": 2}
    burden = result.questions.filter(pl.col("question") == "burden").row(0, named=True)
    # burden over the 5 valid questionnaires: p2 answered D, the rest A → 4 / 5
    assert (burden["scored"], burden["satisfied"]) == (5, 4)
    assert result.questions["question"][0] in ("overall",)  # 3/5 is the weakest
    table = result.table6()
    assert table["survey_total"] == 8 and table["parent_survey_satisfied"] == 2


def test_neutral_counting_is_a_setting() -> None:
    standard = load_standard()
    standard.settings["survey"] = {**standard.settings["survey"], "neutral_counts": "satisfied"}
    rows = [
        *_answers("p1", "parent", {"overall": "一般"}),
        *_answers("p2", "parent", {"overall": "D"}),
    ]
    assert survey_result(_frame(rows), QUESTIONNAIRE, standard).satisfied == 1
    standard.settings["survey"] = {**standard.settings["survey"], "neutral_counts": "excluded"}
    result = survey_result(_frame(rows), QUESTIONNAIRE, standard)
    assert (result.valid, result.scored, result.satisfied, result.rate) == (2, 1, 0, 0.0)


def test_rate_at_the_threshold_and_visits_must_pass_too() -> None:
    # 17 satisfied of 20 = 85% exactly: passes
    rows = [
        r
        for i in range(20)
        for r in _answers(f"p{i}", "parent", {"overall": "A" if i < 17 else "D"})
    ]
    result = survey_result(_frame(rows), QUESTIONNAIRE, STANDARD)
    assert result.rate == pytest.approx(0.85) and result.passes
    # visits 84 of 100: the questionnaire rate alone no longer decides
    low = survey_result(_frame(rows), QUESTIONNAIRE, STANDARD, Visits(100, 84, 40, 40))
    assert not low.passes
    assert low.visit_rate == pytest.approx(0.84)


def test_design_shortfalls_are_warnings() -> None:
    rows = [
        *(r for i in range(3) for r in _answers(f"p{i}", "parent", {})),
        *(r for i in range(4) for r in _answers(f"t{i}", "teacher", {})),
        *(r for i in range(3) for r in _answers(f"x{i}", "teacher", {"overall": None})),
    ]
    result = survey_result(_frame(rows), QUESTIONNAIRE, STANDARD, planned_total=785)
    kinds = {w.type: w.message for w in result.warnings}
    assert kinds["sample_short"] == "回收问卷 10 份，少于应抽样本 785 份"
    # parents 3 of 7 valid = 42.857% → 42.9%
    assert kinds["parents_short"] == "家长有效问卷占 42.9%，低于 50.0%"
    # valid 7 of 10 = 70%: not below 70%, no warning
    assert "valid_low" not in kinds
    assert result.passes  # warnings do not decide


def test_no_returns_gives_no_rate_and_no_nan() -> None:
    result = survey_result(_frame([]), QUESTIONNAIRE, STANDARD)
    assert result.rate is None and result.valid_rate is None and not result.passes
    assert "nan" not in str(result.to_dict()).lower()


def _paper(tmp_path: Path, rows: list[list[Any]]) -> Path:
    path = tmp_path / "纸质问卷.xlsx"
    write_paper_template(path, QUESTIONNAIRE)
    book = openpyxl.load_workbook(path)
    sheet = book["纸质问卷"]
    for r in rows:
        sheet.append(r)
    book.save(path)
    return path


def test_paper_questionnaires_are_read_whole(tmp_path: Path) -> None:
    good = ["1", "家长", "城区", "A", "A", "B", "A", "A", "C", "A", "D", "B"]
    path = _paper(tmp_path, [good, ["2", "人大代表", "乡村", "", *["A"] * 8]])
    frame = read_paper(path, QUESTIONNAIRE, {"A"})
    result = survey_result(frame, QUESTIONNAIRE, STANDARD)
    assert (result.collected, result.valid, result.satisfied) == (2, 2, 2)


def test_paper_questionnaires_with_bad_rows_are_refused_whole(tmp_path: Path) -> None:
    rows = [
        ["1", "家长", "城区", "A", *["A"] * 8],
        ["1", "家长", "城区", "A", *["A"] * 8],  # repeated id
        ["3", "老师", "城区", "A", *["A"] * 8],  # unknown group
        ["4", "家长", "城里", "Z", *["A"] * 7, "很好"],  # area, school and answer
    ]
    with pytest.raises(InputError) as caught:
        read_paper(_paper(tmp_path, rows), QUESTIONNAIRE, {"A"})
    messages = [f.message for f in caught.value.findings]
    assert "“纸质问卷”第 3 行“问卷编号”列（A3）填写“1”，应为不重复的问卷编号" in messages
    assert any("第 4 行“调查对象”列（B4）填写“老师”" in m for m in messages)
    assert any("第 5 行“城乡”列（C5）" in m for m in messages)
    assert any("第 5 行“学校代码”列（D5）填写“Z”" in m for m in messages)
    assert any("第 5 行“总体满意度”列（L5）填写“很好”，应为A–E 或选项文字" in m for m in messages)
    assert len(messages) == 5


def test_paper_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(InputError, match="不是可读取的 Excel 工作簿"):
        read_paper(path, QUESTIONNAIRE)


def test_sampling_plan_workbook(tmp_path: Path) -> None:
    plan = plan_sample(52.3, SCHOOLS, STANDARD)
    path = tmp_path / "抽样.xlsx"
    write_sampling_plan(path, plan, "汶上县")
    book = openpyxl.load_workbook(path)
    head = [c.value for c in book["抽样方案"][4]]
    assert head == ["调查对象", "城区", "镇区", "乡村", "合计"]
    assert [c.value for c in book["抽样方案"][5]] == ["学生", 131, 0, 26, 157]
    assert [c.value for c in book["抽样方案"][6]] == ["家长", 328, 0, 65, 393]
    assert [c.value for c in book["抽样方案"][12]] == ["合计", 655, 0, 130, 785]
    assert [c.value for c in book["分校样本"][4]] == ["A", "城一小", "城区", 87, 219, 65]
