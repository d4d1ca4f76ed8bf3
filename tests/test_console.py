"""The console summary at 80 columns: nothing cut, reasons wrapped under their text, no
progress or colour codes left in redirected output."""

from __future__ import annotations

import io
import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from conftest import county_row, junior_school, primary_school, run
from junheng.reports.summary import print_summary
from junheng.workbook import write_workbook

_NUMBERED = re.compile(r"^│(\s+)(\d+)\. ")


def _failing_rows() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Two counties: one recognised, one failing on several items with long reasons."""
    good = [primary_school(1), primary_school(2, 800), junior_school()]
    bad_schools = [
        primary_school(11, county_code="370831", county_name="泗水县", p_backbone=2, equipment=100),
        primary_school(12, county_code="370831", county_name="泗水县"),
        junior_school(111, county_code="370831", county_name="泗水县"),
    ]
    bad = county_row(county_code="370831", county_name="泗水县", rotated=50, quota_allocated=400,
                     quota_rural=100, survey_satisfied=800)  # fmt: skip
    return good + bad_schools, [county_row(), bad]


def _cli(tmp_path: Path, env_columns: str | None) -> subprocess.CompletedProcess[str]:
    schools, counties = _failing_rows()
    book = write_workbook(tmp_path / "in.xlsx", schools, counties)
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if env_columns:
        env["COLUMNS"] = env_columns
    return subprocess.run(
        [sys.executable, "-c", "from junheng.cli import main; main()", "evaluate", str(book)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


def _check_80(text: str) -> None:
    lines = text.splitlines()
    too_wide = [line for line in lines if cell_len(line) > 80]
    assert not too_wide, too_wide
    assert "\x1b" not in text  # no colour or cursor codes in a file
    # the verdicts, whole
    assert re.search(r"汶上县 370830\s+通过", text)
    assert re.search(r"泗水县 370831\s+未通过", text)
    assert "╭─ 泗水县（370831）  未通过 " in text
    # every wrapped reason continues under its text, not under its number
    wrapped = 0
    for prev, line in itertools.pairwise(lines):
        m = _NUMBERED.match(prev)
        if m and line.startswith("│ ") and not _NUMBERED.match(line) and line.strip("│ "):
            indent = len(m.group(1)) + len(m.group(2)) + 2
            assert line[1 : 1 + indent].strip() == "", line
            assert line[1 + indent] != " ", line
            wrapped += 1
    assert wrapped >= 1


@pytest.mark.parametrize("columns", ["80", None])
def test_redirected_output_fits_80_columns(tmp_path: Path, columns: str | None) -> None:
    r = _cli(tmp_path, columns)
    assert r.returncode == 1, r.stderr
    _check_80(r.stdout)
    # progress is for a terminal only: nothing of it in either stream
    assert "读取并校验数据" not in r.stdout + r.stderr
    assert r.stderr == ""


def test_failing_county_reasons_in_the_summary() -> None:
    schools, counties = _failing_rows()
    ev = run(schools, counties)
    buf = io.StringIO()
    print_summary(ev, Console(file=buf, width=80, color_system=None))
    text = buf.getvalue()
    _check_80(text)
    # 50 of 1000 eligible teachers rotated: 5.0%, printed as the reason says
    flat = re.sub(r"\s*│\s*", "", text)
    assert "交流轮岗教师占符合交流轮岗条件教师总数的比例5.0%" in flat


def test_wide_terminal_shows_every_part_in_its_own_column() -> None:
    schools, counties = _failing_rows()
    buf = io.StringIO()
    print_summary(run(schools, counties), Console(file=buf, width=140, color_system=None))
    head = next(line for line in buf.getvalue().splitlines() if "区县代码" in line)
    for h in ("申报资格", "资源配置", "政府保障", "教育质量", "社会认可", "一票否决", "结论"):
        assert h in head


def test_narrow_overview_names_a_veto_and_unassessed_parts() -> None:
    schools = [primary_school(1), junior_school()]
    buf = io.StringIO()
    print_summary(run(schools, [county_row(veto_exam=True, layout_ok=None)]),
                  Console(file=buf, width=80, color_system=None))  # fmt: skip
    line = next(x for x in buf.getvalue().splitlines() if "汶上县 370830" in x)
    assert re.search(r"未通过\s+政府保障未评估，一票否决：考试招生", line), line
