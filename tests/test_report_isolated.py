"""A county report for the web is written in a worker process below the pages' priority:
the same figures as one written in the server, and the same refusals in Chinese.

The web world's 汶上县 has 第1小学 (1000 pupils), 第2小学 (800) and 第101中学 (1000).
"""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest

from junheng import parseworker
from junheng.errors import InputError, JunhengError
from junheng.reports.county import ReportFormat
from junheng.reports.isolated import write_county_report_isolated
from junheng.standard import load_standard
from junheng.web.info.models import County
from junheng.web.info.services.records import county_rows
from webfixtures import YEAR, build_world

pytestmark = pytest.mark.django_db


def _rows():
    build_world()
    return county_rows(County.objects.get(code="370830"), YEAR)


def test_the_declaration_comes_from_a_lower_priority_worker(tmp_path: Path):
    schools, counties = _rows()
    done = write_county_report_isolated(schools, counties, load_standard(), "汶上县信息库",
                                        "370830", ReportFormat.xlsx, tmp_path / "a.xlsx", year=YEAR)  # fmt: skip
    ws = openpyxl.load_workbook(done)["表Ⅰ"]
    assert ws.cell(7, 19).value == 1800  # 1000 + 800 primary pupils
    # the worker that wrote it waits for a server thread, never the other way round
    assert 19 in {os.getpriority(os.PRIO_PROCESS, pid) for pid in parseworker.worker_pids()}


def test_a_record_the_reader_refuses_comes_back_as_its_findings(tmp_path: Path):
    schools, counties = _rows()
    schools[0]["p_students"] = -5
    with pytest.raises(InputError) as caught:
        write_county_report_isolated(schools, counties, load_standard(), "汶上县信息库",
                                     "370830", ReportFormat.xlsx, tmp_path / "b.xlsx", year=YEAR)  # fmt: skip
    assert "不能为负数" in caught.value.findings[0].message
    assert not (tmp_path / "b.xlsx").exists()


def test_a_county_not_in_the_rows_is_named_in_the_error(tmp_path: Path):
    schools, counties = _rows()
    with pytest.raises(JunhengError) as caught:
        write_county_report_isolated(schools, counties, load_standard(), "汶上县信息库",
                                     "410102", ReportFormat.xlsx, tmp_path / "c.xlsx", year=YEAR)  # fmt: skip
    assert "410102" in str(caught.value)
