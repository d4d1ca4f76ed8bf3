"""Backup and restore round trip through the CLI, in child processes on a real data directory:
the restored tables and evidence files are identical to those backed up; a damaged archive is
refused and changes nothing. SQLite always; PostgreSQL when JUNHENG_DATABASE_URL names one."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {**env, "COLUMNS": "300"}  # messages on one line
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, check=False)


def _helper(env: dict[str, str], command: str) -> dict[str, Any]:
    proc = _run(env, sys.executable, str(HERE / "opsdata.py"), command)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout) if command == "dump" else {}


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return _run(env, sys.executable, "-m", "junheng.cli", *args)


def _pg_database() -> Iterator[str]:
    url = os.environ.get("JUNHENG_DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("JUNHENG_DATABASE_URL names no PostgreSQL database")
    import psycopg

    base, _, _ = url.rpartition("/")
    name = f"junheng_backup_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {**os.environ, "JUNHENG_DATA_DIR": str(tmp_path / "data")}
    env.pop("PYTEST_CURRENT_TEST", None)
    if request.param == "sqlite":
        env["JUNHENG_DATABASE_URL"] = ""
        yield env
    else:
        for url in _pg_database():
            env["JUNHENG_DATABASE_URL"] = url
            yield env


def test_backup_restore_round_trip_gives_identical_tables_and_files(store, tmp_path):
    _helper(store, "populate")
    before = _helper(store, "dump")
    assert len(before["files"]) == 2
    assert any(rows for name, rows in before["tables"].items() if name == "info_evaluationresult")
    archive = tmp_path / "备份.tar.gz"
    made = _cli(store, "backup", str(archive))
    assert made.returncode == 0, made.stderr
    assert "2 个佐证材料文件" in made.stdout

    _helper(store, "mutate")
    changed = _helper(store, "dump")
    assert changed["tables"]["info_schoolrecord"] != before["tables"]["info_schoolrecord"]
    assert changed["files"] != before["files"] and len(changed["files"]) == 3

    done = _cli(store, "restore", str(archive), "--yes")
    assert done.returncode == 0, done.stderr
    assert "恢复" in done.stdout
    after = _helper(store, "dump")
    assert after["tables"].keys() == before["tables"].keys()
    for table, rows in before["tables"].items():
        assert after["tables"][table] == rows, table
    assert after["files"] == before["files"]


def _tamper(archive: Path, target: Path) -> None:
    """A well-formed archive whose evidence file no longer matches the manifest."""
    with tarfile.open(archive) as src, tarfile.open(target, "w:gz") as dst:
        for m in src.getmembers():
            data = src.extractfile(m).read()  # type: ignore[union-attr]
            if m.name.startswith("evidence/") and m.name.endswith(".pdf"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            m.size = len(data)
            dst.addfile(m, io.BytesIO(data))


def test_restore_refuses_a_damaged_archive_and_changes_nothing(tmp_path):
    env = {**os.environ, "JUNHENG_DATA_DIR": str(tmp_path / "data"), "JUNHENG_DATABASE_URL": ""}
    _helper(env, "populate")
    archive = tmp_path / "good.tar.gz"
    assert _cli(env, "backup", str(archive)).returncode == 0
    _helper(env, "mutate")
    current = _helper(env, "dump")

    tampered = tmp_path / "tampered.tar.gz"
    _tamper(archive, tampered)
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        tar.add(HERE / "opsdata.py", "opsdata.py")

    cases = [
        (tampered, "的校验值不符"),
        (truncated, "已损坏或不完整，未做任何恢复"),
        (foreign, "不是均衡的备份文件（缺少 manifest.json）"),
        (tmp_path / "none.tar.gz", "找不到备份文件"),
    ]
    for bad, message in cases:
        r = _cli(env, "restore", str(bad), "--yes")
        assert r.returncode == 2, (bad.name, r.stdout, r.stderr)
        assert message in r.stderr, (bad.name, r.stderr)
        assert "Traceback" not in r.stderr
    assert _helper(env, "dump") == current


def test_backup_to_a_missing_folder_is_refused(tmp_path):
    env = {**os.environ, "JUNHENG_DATA_DIR": str(tmp_path / "data"), "JUNHENG_DATABASE_URL": ""}
    r = _cli(env, "backup", str(tmp_path / "nowhere" / "b.tar.gz"))
    assert r.returncode == 2
    assert f"文件夹“{tmp_path / 'nowhere'}”不存在" in r.stderr
    assert not (tmp_path / "nowhere").exists()
