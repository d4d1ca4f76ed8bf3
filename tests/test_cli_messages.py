"""What the command line prints around the evaluation: Chinese help and errors (including the
library's own), --version, and output paths that cannot be written (exit 2, nothing created)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import county_row, junior_school, primary_school
from junheng import __version__
from junheng.cli import app
from junheng.cli_zh import translate
from junheng.workbook import write_workbook

runner = CliRunner()
ENGLISH = re.compile(r"\b(Usage|Options|Arguments|Commands|Error|Missing|Show this message|"
                     r"No such|Invalid value|required|default|Try)\b")  # fmt: skip


def _book(tmp_path: Path, counties: int = 1) -> Path:
    schools = [primary_school(1), junior_school()]
    rows = [county_row()]
    for i in range(1, counties):
        code = f"37083{i + 1}"
        schools += [dict(s, county_code=code, county_name=f"第{i}县", code=f"{i + 1}{s['code'][1:]}")
                    for s in (primary_school(1), junior_school())]  # fmt: skip
        rows.append(county_row(county_code=code, county_name=f"第{i}县"))
    return write_workbook(tmp_path / "in.xlsx", schools, rows)


def _plain(text: str) -> str:
    """Rich panels drawn as text: box characters and line breaks out."""
    return re.sub(r"[│╭╮╰╯─\s]+", " ", text)


@pytest.mark.parametrize("args", [["--help"], ["evaluate", "--help"], ["demo", "--help"],
                                  ["template", "--help"]])  # fmt: skip
def test_help_is_chinese(args: list[str]) -> None:
    r = runner.invoke(app, args)
    assert r.exit_code == 0
    assert "用法：junheng" in r.output
    assert "选项" in r.output and "显示本帮助并退出。" in r.output
    assert not ENGLISH.search(r.output), r.output


def test_evaluate_help_names_the_argument_in_chinese() -> None:
    r = runner.invoke(app, ["evaluate", "--help"])
    assert "用法：junheng evaluate [选项] 文件" in r.output
    assert "{file}" not in r.output and "[必填]" in r.output and "[默认：table]" in r.output


def test_version() -> None:
    r = runner.invoke(app, ["--version"])
    assert (r.exit_code, r.output.strip()) == (0, f"junheng {__version__}")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["evaluate"], "缺少参数：文件"),
        (["evaluate", "x.xlsx", "--bogus"], "没有选项 --bogus"),
        (["evaluate", "x.xlsx", "-f", "pdf"], "--format / -f 的值无效：“pdf”不是可选的值，可选：table, json, xlsx"),
        (["evaluate", "x.xlsx", "-o"], "选项 -o 后面须给出一个值"),
        (["evaluate", "a.xlsx", "b.xlsx"], "多余的参数：b.xlsx"),
        (["demo", "-n", "abc"], "--counties / -n 的值无效：应为整数"),
        (["demo", "-n", "0"], "--counties / -n 的值无效：应不小于 1"),
        (["nosuch"], "没有命令“nosuch”"),
    ],
)  # fmt: skip
def test_usage_errors_are_chinese_with_exit_2(args: list[str], message: str) -> None:
    r = runner.invoke(app, args)
    assert r.exit_code == 2
    assert message in _plain(r.output)
    assert not ENGLISH.search(r.output), r.output


def test_unknown_library_message_gets_a_chinese_lead() -> None:
    assert translate("Something odd happened") == "命令行有误：Something odd happened"
    assert translate("Missing option '--name'.") == "缺少选项：--name"


@pytest.mark.parametrize("fmt", ["table", "json", "xlsx"])
def test_output_into_a_missing_folder_exits_2_and_creates_nothing(tmp_path: Path, fmt: str) -> None:
    book = _book(tmp_path)
    target = tmp_path / "没有的文件夹" / "结果.out"
    r = runner.invoke(app, ["evaluate", str(book), "-f", fmt, "-o", str(target)])
    assert r.exit_code == 2
    assert f"输出文件夹“{target.parent}”不存在" in _plain(r.output).replace(" ", "")
    assert not target.parent.exists()
    assert "Traceback" not in r.output


@pytest.mark.parametrize("fmt", ["table", "json", "xlsx"])
def test_output_onto_a_folder_exits_2(tmp_path: Path, fmt: str) -> None:
    book = _book(tmp_path)
    r = runner.invoke(app, ["evaluate", str(book), "-f", fmt, "-o", str(tmp_path)])
    assert r.exit_code == 2
    assert "是一个文件夹，请在 -o 后给出文件名" in r.output.replace("\n", "")


def test_output_under_a_file_exits_2(tmp_path: Path) -> None:
    book = _book(tmp_path)
    r = runner.invoke(app, ["evaluate", str(book), "-f", "json", "-o", str(book / "x.json")])
    assert r.exit_code == 2
    assert "不存在" in r.output.replace("\n", "")


def test_template_into_a_missing_folder_exits_2(tmp_path: Path) -> None:
    r = runner.invoke(app, ["template", str(tmp_path / "无" / "t.xlsx")])
    assert r.exit_code == 2
    assert "不存在" in r.output.replace("\n", "") and not (tmp_path / "无").exists()


def test_xlsx_without_output_says_where_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = _book(tmp_path)
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["evaluate", str(book), "-f", "xlsx"])
    assert r.exit_code == 0, r.output
    written = tmp_path / "申报表.xlsx"
    assert f"已写入申报表 {written}" in r.output.replace("\n", "")
    assert "表Ⅱ-1" in openpyxl.load_workbook(written).sheetnames


def test_several_counties_without_output_get_one_workbook_each_zipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = _book(tmp_path, counties=3)
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["evaluate", str(book), "-f", "xlsx"])
    assert r.exit_code == 0, r.output
    written = tmp_path / "申报表.zip"
    assert f"已写入申报表 {written}" in r.output.replace("\n", "")
    with zipfile.ZipFile(written) as zf:
        names = zf.namelist()
        assert names == ["370830 汶上县申报表.xlsx", "370832 第1县申报表.xlsx",
                         "370833 第2县申报表.xlsx"]  # fmt: skip
        zf.extract(names[1], tmp_path)
    wb = openpyxl.load_workbook(tmp_path / names[1])
    assert wb.sheetnames == ["表Ⅱ-1", "表Ⅱ-2", "表Ⅲ", "表Ⅳ", "表Ⅴ", "表Ⅵ", "差距明细"]
    assert "第1县" in str(wb["表Ⅱ-1"]["A1"].value)
