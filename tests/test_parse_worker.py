"""A web upload is parsed in a worker process under a memory cap and a time limit: a worker
that runs out of memory, hangs or is killed becomes a Chinese refusal for that file alone,
and the server process goes on reading the next file."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from conftest import junior_school, primary_school
from junheng import InputError, read_workbook, write_workbook
from junheng.parseworker import prewarm, read_workbook_isolated, shutdown, worker_pids
from rawxlsx import school_book


@pytest.fixture(autouse=True)
def _fresh_workers():
    shutdown()
    yield
    shutdown()


@pytest.fixture
def book(tmp_path: Path) -> Path:
    recs = [primary_school(i, code=f"1370830{i:03d}") for i in range(1, 41)] + [junior_school()]
    return write_workbook(tmp_path / "县域.xlsx", recs)


def _refusal(path: Path) -> InputError:
    with pytest.raises(InputError) as exc:
        read_workbook_isolated(path)
    assert len(exc.value.findings) == 1
    return exc.value


def test_the_worker_reads_what_the_server_would(book):
    got, want = read_workbook_isolated(book), read_workbook(book)
    assert got.schools.equals(want.schools)
    assert got.schools.height == 41 and got.schools["code"][0] == "1370830001"
    assert worker_pids() and worker_pids()[0] != os.getpid()


def test_a_refused_workbook_comes_back_with_the_readers_findings(tmp_path):
    path = school_book(tmp_path / "坏.xlsx", [junior_school(p_students="有")])
    err = _refusal(path)
    assert "“小学在校生数”列的值“有”有误：应为数字" in err.findings[0].message
    assert worker_pids(), "a refusal by the reader is not a failure of the worker"


def test_a_parse_over_the_memory_cap_is_refused_and_the_next_file_is_read(book, monkeypatch):
    monkeypatch.setenv("JUNHENG_PARSE_MEMORY_MB", "1")
    f = _refusal(book).findings[0]
    assert f.type in ("parse-failed", "parse-memory")
    assert "内存超过上限 1 MB" in f.message or "所需内存超过上限 1 MB" in f.message
    assert worker_pids() == []
    monkeypatch.delenv("JUNHENG_PARSE_MEMORY_MB")
    assert read_workbook_isolated(book).schools.height == 41


def test_a_worker_that_hangs_is_stopped_at_the_time_limit(book, monkeypatch):
    read_workbook_isolated(book)
    (pid,) = worker_pids()
    os.kill(pid, signal.SIGSTOP)  # a parse that never ends, without waiting for one
    monkeypatch.setenv("JUNHENG_PARSE_SECONDS", "1")
    f = _refusal(book).findings[0]
    assert f.type == "parse-timeout"
    assert f.message.startswith("读取“县域.xlsx”超过 1 秒仍未完成，已停止")
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # killed and reaped, not left behind
    assert read_workbook_isolated(book).schools.height == 41


def test_a_worker_killed_while_parsing_is_a_refusal_for_that_file_only(book):
    read_workbook_isolated(book)
    (pid,) = worker_pids()
    os.kill(pid, signal.SIGSTOP)
    results: list[object] = []

    def parse() -> None:
        try:
            results.append(read_workbook_isolated(book))
        except InputError as exc:
            results.append(exc)

    t = threading.Thread(target=parse)
    t.start()
    t.join(0.3)
    assert t.is_alive(), "the request waits on the stopped worker"
    os.kill(pid, signal.SIGKILL)
    t.join(10)
    (err,) = results
    assert isinstance(err, InputError)
    assert err.findings[0].type == "parse-failed"
    assert "读取“县域.xlsx”时读取进程异常退出" in err.findings[0].message
    assert read_workbook_isolated(book).schools.height == 41
    assert worker_pids() != [pid]


def test_overlapping_uploads_each_get_a_worker(book, tmp_path):
    other = school_book(tmp_path / "坏.xlsx", [junior_school(p_students="有")])
    out: dict[str, object] = {}

    def parse(path: Path) -> None:
        try:
            out[path.name] = read_workbook_isolated(path).schools.height
        except InputError as exc:
            out[path.name] = exc.findings[0].type

    threads = [threading.Thread(target=parse, args=(p,)) for p in (book, other, book)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert out == {"县域.xlsx": 41, "坏.xlsx": "invalid-value"}
    assert len(worker_pids()) <= 2


def test_opening_the_import_page_starts_a_worker_for_the_upload_that_follows(book):
    prewarm()
    prewarm()  # a second visitor meanwhile does not start another
    deadline = time.monotonic() + 120
    while not worker_pids() and time.monotonic() < deadline:
        time.sleep(0.1)
    (pid,) = worker_pids()
    read_workbook_isolated(book)
    assert worker_pids() == [pid]
