"""Backup and restore of the web information store: the database and the evidence files in one
archive, with a manifest of SHA-256 checksums.

SQLite is copied with its online backup API (consistent while the server runs, WAL included);
PostgreSQL with ``pg_dump`` in custom format, restored with ``pg_restore`` in one transaction.
A restore reads and checks the whole archive before it touches anything, so a damaged archive
changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connections

from junheng import __version__

FORMAT = "junheng-backup/1"
MANIFEST = "manifest.json"
SQLITE_NAME = "database/junheng.sqlite3"
PG_NAME = "database/junheng.dump"
FILES_DIR = "evidence"


class BackupError(Exception):
    """A backup or restore that could not be done; the message is for the operator."""


@dataclass(frozen=True)
class Summary:
    database: str
    files: int
    size: int  # bytes of database and files before compression
    created: str


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _db() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def _kind(db: dict[str, Any]) -> str:
    engine = str(db["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"不支持备份此类数据库：{engine}")


def _pg_tool(name: str) -> str:
    """The newest installed client (pg_dump must not be older than the server)."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/" + name),
                      key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)  # fmt: skip
    if versions:
        return str(versions[-1])
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"找不到 {name}，请先安装 PostgreSQL 客户端（Debian/Ubuntu：postgresql-client）"
        )
    return found


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                     ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):  # fmt: skip
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run_pg(args: list[str], db: dict[str, Any], what: str) -> None:
    proc = subprocess.run(args, env=_pg_env(db), capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        detail = proc.stderr.strip().splitlines()[-1:] or ["（无输出）"]
        raise BackupError(f"{what}失败：{detail[0]}")


def _dump_database(kind: str, db: dict[str, Any], target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        src = sqlite3.connect(str(db["NAME"]))
        dst = sqlite3.connect(str(target))
        try:
            with dst:
                src.backup(dst)
        finally:
            dst.close()
            src.close()
    else:
        _run_pg([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                 "--file", str(target)], db, "导出 PostgreSQL 数据库（pg_dump）")  # fmt: skip


def _applied_migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connections["default"]).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def backup(out: Path) -> Summary:
    """Write the database and the evidence files to the archive ``out`` (.tar.gz)."""
    db = _db()
    kind = _kind(db)
    evidence = Path(settings.EVIDENCE_ROOT)
    if out.is_dir():
        raise BackupError(f"“{out}”是一个文件夹，请给出备份文件名（如 均衡备份.tar.gz）")
    if not out.parent.is_dir():
        raise BackupError(f"文件夹“{out.parent}”不存在")
    with tempfile.TemporaryDirectory(prefix="junheng-backup-") as tmp:
        stage = Path(tmp)
        db_name = SQLITE_NAME if kind == "sqlite" else PG_NAME
        _dump_database(kind, db, stage / db_name)
        entries: list[tuple[str, Path]] = [(db_name, stage / db_name)]
        if evidence.is_dir():
            for path in sorted(p for p in evidence.rglob("*") if p.is_file()):
                entries.append((f"{FILES_DIR}/{path.relative_to(evidence).as_posix()}", path))
        files: list[dict[str, Any]] = [
            {"path": name, "size": p.stat().st_size, "sha256": _sha256(p)} for name, p in entries
        ]
        created = datetime.now(UTC).isoformat(timespec="seconds")
        manifest = {
            "format": FORMAT, "created": created, "junheng": __version__, "database": kind,
            "migrations": _applied_migrations(), "files": files,
        }  # fmt: skip
        (stage / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
        partial = out.with_name(out.name + ".part")
        try:
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(stage / MANIFEST, MANIFEST)
                for name, path in entries:
                    tar.add(path, name)
            partial.replace(out)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise BackupError(f"无法写入“{out}”：{exc.strerror or exc}") from exc
    return Summary(kind, len(entries) - 1, sum(int(f["size"]) for f in files), created)


def _safe(name: str) -> bool:
    p = PurePosixPath(name)
    return not p.is_absolute() and ".." not in p.parts and bool(p.parts)


def _unpack(archive: Path, into: Path) -> dict[str, Any]:
    """Extract and check every file against the manifest; raise on any damage."""
    damaged = f"备份文件“{archive.name}”已损坏或不完整，未做任何恢复"
    try:
        with tarfile.open(archive, "r:*") as tar:
            try:
                raw = tar.extractfile(MANIFEST)
            except KeyError:
                raise BackupError(
                    f"“{archive.name}”不是均衡的备份文件（缺少 {MANIFEST}）"
                ) from None
            if raw is None:
                raise BackupError(damaged)
            manifest: dict[str, Any] = json.loads(raw.read().decode("utf-8"))
            if manifest.get("format") != FORMAT:
                raise BackupError(f"“{archive.name}”不是本版本可识别的均衡备份文件")
            listed = {str(f["path"]) for f in manifest["files"]}
            if not all(_safe(n) for n in listed):
                raise BackupError(damaged + "（文件路径不合法）")
            members = [m for m in tar.getmembers() if m.name in listed]
            tar.extractall(into, members=members, filter="data")
    except (tarfile.TarError, EOFError, OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupError(damaged) from exc
    for f in manifest["files"]:
        path = into / str(f["path"])
        if not path.is_file():
            raise BackupError(f"{damaged}：缺少文件 {f['path']}")
        if path.stat().st_size != int(f["size"]) or _sha256(path) != f["sha256"]:
            raise BackupError(f"{damaged}：文件 {f['path']} 的校验值不符")
    return manifest


def _restore_database(kind: str, db: dict[str, Any], source: Path) -> None:
    connections.close_all()
    if kind == "sqlite":
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            if src.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise BackupError("备份中的数据库未通过完整性检查，未做任何恢复")
            dst = sqlite3.connect(str(db["NAME"]), timeout=30)
            try:
                # one step: the destination is replaced in a single write transaction
                src.backup(dst, pages=-1)
            finally:
                dst.close()
        finally:
            src.close()
    else:
        _run_pg([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                 "--no-privileges", "--single-transaction", "--exit-on-error",
                 "--dbname", str(db["NAME"]), str(source)], db,
                "恢复 PostgreSQL 数据库（pg_restore）")  # fmt: skip


def restore(archive: Path) -> Summary:
    """Replace the database and the evidence files with those of ``archive``: all or nothing."""
    db = _db()
    kind = _kind(db)
    if not archive.is_file():
        raise BackupError(f"找不到备份文件“{archive}”")
    evidence = Path(settings.EVIDENCE_ROOT)
    evidence.parent.mkdir(parents=True, exist_ok=True)
    # staged beside the evidence folder, so the swap is a rename on one file system
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=evidence.parent) as tmp:
        stage = Path(tmp)
        manifest = _unpack(archive, stage)
        if manifest["database"] != kind:
            names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
            raise BackupError(
                f"备份来自 {names.get(manifest['database'], manifest['database'])} 数据库，"
                f"当前配置的是 {names[kind]}，未做任何恢复"
            )
        new_files = stage / FILES_DIR
        new_files.mkdir(exist_ok=True)
        old_files = stage / "previous-evidence"
        had_files = evidence.exists()
        if had_files:
            evidence.rename(old_files)
        new_files.rename(evidence)
        try:
            _restore_database(kind, db, stage / (SQLITE_NAME if kind == "sqlite" else PG_NAME))
        except BaseException:
            shutil.rmtree(evidence)
            if had_files:
                old_files.rename(evidence)
            raise
    # record versions start again from the backup's: a cached report could match new data
    from .info.services.reportcache import forget_reports

    forget_reports()
    files = [f for f in manifest["files"] if str(f["path"]).startswith(FILES_DIR + "/")]
    return Summary(kind, len(files), sum(int(f["size"]) for f in manifest["files"]),
                   str(manifest["created"]))  # fmt: skip
