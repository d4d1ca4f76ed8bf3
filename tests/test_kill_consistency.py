"""kill -9 in the middle of an import and of an evaluation with lock: a process stopped
at several points inside its transaction and killed leaves the database as it was; run
again, the operation completes whole. SQLite in WAL mode, and PostgreSQL when
``JUNHENG_DATABASE_URL`` is set (a database of its own)."""

from __future__ import annotations

import json
import signal
import threading
from typing import Any

import pytest

from livesite import Site, database

NEW = 40  # faultscripts.NEW_SCHOOLS


def _kill_when_paused(site: Site, *args: str) -> Any:
    """Run the script until it pauses, kill it; the state it found when it started."""
    proc = site.script(*args)
    lines: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        for _ in range(2):
            lines.append(proc.stdout.readline())

    reader = threading.Thread(target=read)
    reader.start()
    reader.join(180)
    try:
        assert len(lines) == 2 and lines[1].strip() == "PAUSED", (lines, proc.stderr.read() if proc.poll() is not None and proc.stderr else "")  # fmt: skip
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()
    assert proc.returncode == -signal.SIGKILL
    return json.loads(lines[0])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    # one database for both tests: the evaluation locks whatever the import left
    with database(tmp_path_factory.mktemp("kill")) as s:
        yield s


def test_an_import_killed_inside_its_transaction_leaves_nothing_and_can_be_rerun(site, tmp_path):  # fmt: skip
    token = site.call("faultscripts:preview", str(tmp_path))
    before = None
    # first school, midway, last school, the county row after every school
    for model, nth in (("school", 1), ("school", 20), ("school", 3 + NEW), ("county", 1)):
        found = _kill_when_paused(site, "faultscripts:confirm", token, model, str(nth))
        before = before or found
        assert found == before, (model, nth)  # the previous kill left nothing
    found, after = site.outputs("faultscripts:confirm", token, "school", "0")
    assert found == before
    students = dict(after["students"])
    assert after["records"] == len(students) and after["schools"] >= 3 + NEW
    assert all(students[f"1370830{i:03d}"] == 900 for i in range(10, 10 + NEW))
    assert all(students[f"1370830{i:03d}"] == 1500 for i in (1, 2, 3))
    assert after["population"] == 80.0 and before["population"] != 80.0


def test_an_evaluation_with_lock_killed_inside_leaves_no_half_lock(site):
    before = site.call("faultscripts:approved_state")
    assert before["statuses"] == ["approved"] and before["runs"] == []
    n = before["records"]
    # the first lock, the last school lock, the county lock, the run's fingerprint
    for model, nth in (("school", 1), ("school", n), ("county", 1), ("run", 2)):
        found = _kill_when_paused(site, "faultscripts:evaluate_lock", model, str(nth))
        assert found == before, (model, nth)  # the previous kill left nothing
    found, after = site.outputs("faultscripts:evaluate_lock", "school", "0")
    assert found == before
    assert after["statuses"] == ["locked"] and after["county_status"] == "locked"
    assert after["runs"] == [[True, True]] and after["results"] == 1
    assert [v for _, v in after["versions"]] == [v + 1 for _, v in before["versions"]]
