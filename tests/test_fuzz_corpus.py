"""The seeded corpus of bad workbooks through the two ways a file comes in: ``junheng
evaluate`` and the web import as a county inspector. Each file is refused with a Chinese
message or taken whole; never a traceback, never part of a file, within memory and time.

CI runs a slice (every kind at least once); ``JUNHENG_FUZZ_FULL=1`` runs all 300."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fuzzcorpus import KINDS, case, cases
from junheng import InputError, read_workbook
from junheng.web.info.models import County, CountyRecord, School, SchoolRecord
from junheng.web.info.services.records import COUNTY_KEYS, SCHOOL_KEYS
from webfixtures import YEAR, build_world

CJK = re.compile(r"[\u4e00-\u9fff]")
CLI_MEMORY = 3 << 30
"""Address space a CLI run may use; the corpus must be handled well within it."""


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CLI_MEMORY, CLI_MEMORY))


def test_the_ci_slice_holds_every_kind():
    assert {case(s).kind for s in cases(len(KINDS))} == set(KINDS)
    assert case(7).data == case(7).data  # seeded: the same bytes every run


def _expected(path: Path) -> Any:
    try:
        return read_workbook(path)
    except InputError:
        return None


@pytest.mark.skipif(bool(os.environ.get("JUNHENG_DATABASE_URL")), reason="no database involved")
@pytest.mark.parametrize("seed", cases(len(KINDS)))
def test_cli_refuses_in_chinese_or_evaluates_whole(tmp_path, seed):
    c = case(seed)
    path = c.write(tmp_path)
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "junheng.cli", "evaluate", str(path)],
        capture_output=True, text=True, timeout=120, preexec_fn=_capped, check=False,
    )  # fmt: skip
    took = time.monotonic() - start
    out = done.stdout + done.stderr
    assert "Traceback" not in out and "Error:" not in out, (c.kind, out[-2000:])
    data = _expected(path)
    if data is None:
        assert done.returncode == 2, (c.kind, out[-2000:])
        assert CJK.search(done.stderr) and "整个文件未导入" in out, (c.kind, out[-2000:])
    else:
        assert done.returncode in (0, 1), (c.kind, out[-2000:])
        assert "汶上县" in done.stdout
    assert took < 60, (c.kind, took)


def _snapshot() -> tuple[object, ...]:
    return (
        sorted(SchoolRecord.objects.values_list("school__code", "year", "version", *SCHOOL_KEYS)),
        sorted(CountyRecord.objects.values_list("county__code", "year", "version", *COUNTY_KEYS)),
        sorted(School.objects.values_list("code", "name", "county__code")),
        sorted(County.objects.values_list("code", "name")),
    )


def _taken_whole(data: Any) -> None:
    for row in data.schools.to_dicts():
        rec = SchoolRecord.objects.get(school__code=row["code"], year=YEAR)
        assert {k: getattr(rec, k) for k in SCHOOL_KEYS} == {k: row.get(k) for k in SCHOOL_KEYS}
    if data.counties is not None:
        for row in data.counties.to_dicts():
            crec = CountyRecord.objects.get(county__code=row["county_code"], year=YEAR)
            assert {k: getattr(crec, k) for k in COUNTY_KEYS} == {k: row.get(k) for k in COUNTY_KEYS}  # fmt: skip


@pytest.mark.django_db
def test_web_import_refuses_in_chinese_or_imports_whole(tmp_path):
    w = build_world()
    client = Client(raise_request_exception=True)
    client.force_login(w.users["county"])
    seen: dict[str, set[str]] = {}
    for seed in cases(3 * len(KINDS)):
        c = case(seed)
        path = c.write(tmp_path)
        before = _snapshot()
        start = time.monotonic()
        upload = SimpleUploadedFile(c.filename, c.data)
        resp = client.post("/import/", {"year": YEAR, "file": upload})
        page = resp.content.decode()
        assert resp.status_code == 200, (seed, c.kind)
        assert "Traceback" not in page
        token = re.search(r'name="token" value="(\w+)"', page)
        if token is None:
            said = re.search(r'<p class="error">发现 \d+ 处错误，整个文件不会导入|<li class="error">[^<]*[\u4e00-\u9fff]', page)  # fmt: skip
            assert said, (seed, c.kind, page[-3000:])
            assert _snapshot() == before, (seed, c.kind)
            seen.setdefault(c.kind, set()).add("refused")
        else:
            done = client.post("/import/confirm/", {"year": YEAR, "token": token.group(1)})
            assert done.status_code == 302, (seed, c.kind, done.content.decode()[-1500:])
            data = read_workbook(path)
            _taken_whole(data)
            seen.setdefault(c.kind, set()).add("imported")
        assert time.monotonic() - start < 60, (seed, c.kind)
    assert seen["valid"] == {"imported"} and seen["macros"] == {"imported"}
    for kind in ("corrupt", "zip-bomb", "encrypted", "far-cell", "empty"):
        assert "imported" not in seen[kind] or kind == "far-cell", (kind, seen[kind])


@pytest.mark.django_db
def test_a_refusal_at_the_web_names_the_problem_in_chinese(tmp_path):
    w = build_world()
    client = Client()
    client.force_login(w.users["county"])
    for seed, expected in [(10, "有密码保护"), (8, "压缩比异常"), (6, "单元格 XFD1048576 有内容"), (4, "没有任何学校数据行")]:  # fmt: skip
        c = case(seed)
        resp = client.post("/import/", {"year": YEAR, "file": SimpleUploadedFile(c.filename, c.data)})  # fmt: skip
        assert expected in resp.content.decode(), (seed, c.kind)
