"""junheng plan: exit codes, JSON, Excel, --apply re-evaluated by junheng evaluate."""

from __future__ import annotations

import json

import openpyxl
from typer.testing import CliRunner

from conftest import county_row, primary_school
from junheng.cli import app
from junheng.workbook import write_workbook

runner = CliRunner()


def _book(tmp_path):
    # school 2 has 34 qualified teachers of 34 for 1000 pupils: two more make 3.6 ≥ 3.57
    schools = [primary_school(1), primary_school(2, 1000, p_teachers=34, p_qualified=34,
                                                  certified=34, trained=34)]  # fmt: skip
    return write_workbook(tmp_path / "in.xlsx", schools, [county_row()])


def _no_moves(tmp_path):
    f = tmp_path / "costs.toml"
    f.write_text("[limits]\nallow_moves = false\n", "utf-8")
    return str(f)


def test_plan_json_names_the_school_and_the_cost(tmp_path):
    r = runner.invoke(
        app, ["plan", str(_book(tmp_path)), "-f", "json", "--costs", _no_moves(tmp_path)]
    )
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["reached"] is True and d["total_cost"] == 240_000
    [school] = d["schools"]
    assert school["name"] == "第2小学"
    assert school["text"].startswith("第2小学：小学新招聘")
    assert "24.00 万元" in school["text"]


def test_plan_table_and_apply_make_evaluate_pass_resources(tmp_path):
    book, new = _book(tmp_path), tmp_path / "new.xlsx"
    before = runner.invoke(app, ["evaluate", str(book), "-f", "json"])
    assert json.loads(before.stdout)["counties"][0]["resource"]["pass"] is False
    r = runner.invoke(app, ["plan", str(book), "--apply", str(new), "--costs", _no_moves(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "测算后资源配置达标" in r.stdout and "合计投入 24.00 万元" in r.stdout
    after = runner.invoke(app, ["evaluate", str(new), "-f", "json"])
    assert json.loads(after.stdout)["counties"][0]["resource"]["pass"] is True
    sheet = openpyxl.load_workbook(new)["学校"]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row[0]}
    header = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "学校标识码")
    col = header.index("小学高于规定学历教师数")
    assert rows["1370830002"][col] == 36


def test_plan_budget_too_small_exits_1_and_lists_what_fails(tmp_path):
    r = runner.invoke(app, ["plan", str(_book(tmp_path)), "--budget", "100000",
                            "--costs", _no_moves(tmp_path)])  # fmt: skip
    assert r.exit_code == 1
    assert "仍未达标" in r.stdout and "第2小学（小学）" in r.stdout


def test_plan_xlsx_has_a_sheet_per_view(tmp_path):
    out = tmp_path / "plan.xlsx"
    r = runner.invoke(app, ["plan", str(_book(tmp_path)), "-f", "xlsx", "-o", str(out)])
    assert r.exit_code == 0, r.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["测算汇总", "逐校措施", "逐校说明", "差异系数", "分项合计", "说明"]
    acts = list(book["逐校措施"].iter_rows(values_only=True))
    assert acts[0][4] == "措施"
    # two moved teachers at 15,000 元 each are cheaper than any hire
    assert sum(r[7] for r in acts[1:]) == 30_000


def test_plan_bad_input_exits_2_in_chinese(tmp_path):
    bad = tmp_path / "c.toml"
    bad.write_text('[teachers]\nmove = "cheap"\n', "utf-8")
    r = runner.invoke(app, ["plan", str(_book(tmp_path)), "--costs", str(bad)])
    assert r.exit_code == 2
    assert "[teachers] move 应为不小于 0 的数值（元），填写的是 'cheap'" in r.output
    r = runner.invoke(app, ["plan", str(tmp_path / "missing.xlsx")])
    assert r.exit_code == 2
    r = runner.invoke(app, ["plan", str(_book(tmp_path)), "--county", "110101"])
    assert r.exit_code == 2 and "数据中没有区县代码 110101" in r.output


def test_plan_output_into_a_missing_folder_exits_2_before_solving(tmp_path):
    book = _book(tmp_path)
    missing = tmp_path / "没有这个文件夹"
    for args in (["-o", str(missing / "测算.json"), "-f", "json"],
                 ["-o", str(missing / "测算.xlsx"), "-f", "xlsx"],
                 ["-o", str(missing / "测算.txt")],
                 ["--apply", str(missing / "新.xlsx")]):  # fmt: skip
        r = runner.invoke(app, ["plan", str(book), *args])
        assert r.exit_code == 2, args
        assert f"输出文件夹“{missing}”不存在" in r.output
        assert "Traceback" not in r.output
    assert not missing.exists()
    r = runner.invoke(app, ["plan", str(book), "-f", "xlsx", "-o", str(tmp_path)])
    assert r.exit_code == 2 and "是一个文件夹" in r.output
    r = runner.invoke(app, ["plan", str(book), "--apply", str(tmp_path / "新.csv")])
    assert r.exit_code == 2 and "--apply 应给出 .xlsx 文件名" in r.output


def test_plan_malformed_costs_file_names_the_line_in_chinese(tmp_path):
    bad = tmp_path / "c.toml"
    bad.write_text("[teachers]\nmove = cheap\n", "utf-8")
    r = runner.invoke(app, ["plan", str(_book(tmp_path)), "--costs", str(bad)])
    assert r.exit_code == 2
    assert "不是有效的 TOML：第2行第8列“move = cheap”格式有误" in r.output
    assert "Expected" not in r.output and "Invalid" not in r.output


def test_plan_console_text_breaks_between_chinese_characters_not_inside_figures():
    from junheng.planner.output import wrap

    # 2 cells a character: ten to a line of 20; the figure keeps its unit and its full stop
    assert wrap("封堡镇中心小学：购置教学仪器设备 15.41 万元。", 20) == [
        "封堡镇中心小学：购置",
        "教学仪器设备",
        "15.41 万元。",
    ]
    # a closing mark never starts a line: it takes the character before it along
    assert wrap("一二三四五六七八九。", 18) == ["一二三四五六七八", "九。"]
    # an opening mark stays with what follows (curly quotes are one cell, figures too)
    assert wrap("“至少6项达标”", 6) == ["“至少", "6项达", "标”"]


def test_plan_table_lines_fit_the_panel(tmp_path):
    out = tmp_path / "plan.txt"
    r = runner.invoke(app, ["plan", str(_book(tmp_path)), "-o", str(out), "--budget", "100000",
                            "--costs", _no_moves(tmp_path)])  # fmt: skip
    assert r.exit_code == 1
    text = out.read_text("utf-8")
    assert "  • 预算10.00 万元不足：不限预算时，本县达标需要24.00 万元" in text
    from rich.cells import cell_len

    assert all(cell_len(line) <= 140 for line in text.splitlines())


def test_a_plan_applied_and_planned_again_costs_nothing(tmp_path):
    # 30, 8, 8 ㎡ per pupil: the plan brings the sports CV to just under 0.5, which passes
    schools = [primary_school(n, sports_ground=g) for n, g in ((1, 30_000.0), (2, 8_000.0),
                                                               (3, 8_000.0))]  # fmt: skip
    book = write_workbook(tmp_path / "in.xlsx", schools, [county_row()])
    new = tmp_path / "new.xlsx"
    first = runner.invoke(app, ["plan", str(book), "--apply", str(new), "-f", "json"])
    assert first.exit_code == 0 and json.loads(first.stdout)["total_cost"] > 3_360_000
    again = runner.invoke(app, ["plan", str(new), "-f", "json"])
    assert again.exit_code == 0
    d = json.loads(again.stdout)
    assert d["total_cost"] == 0 and d["schools"] == [] and d["mip_gap"] == 0
    table = runner.invoke(app, ["plan", str(new)])
    assert "资源配置已达标，无需增加投入。" in table.stdout and "已证明最优" in table.stdout


def test_plan_xlsx_summary_says_why_out_of_reach(tmp_path):
    out = tmp_path / "plan.xlsx"
    r = runner.invoke(app, ["plan", str(_book(tmp_path)), "-f", "xlsx", "-o", str(out),
                            "--budget", "100000", "--costs", _no_moves(tmp_path)])  # fmt: skip
    assert r.exit_code == 1
    [head, row] = list(openpyxl.load_workbook(out)["测算汇总"].iter_rows(values_only=True))
    assert head[4:] == ("仍未达标", "原因")
    assert row[2:4] == ("否", 0)
    # two hires at 120,000 元; with moves, two at 15,000 元 fit in the budget
    assert row[5] == (
        "预算10.00 万元不足：不限预算时，本县达标需要24.00 万元\n"
        "未测算交流轮岗：允许县域内教师交流轮岗时，本县达标需要3.00 万元"
    )
