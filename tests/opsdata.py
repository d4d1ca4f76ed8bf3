"""Run in a child process by the operations tests, on the data directory and database of its
environment: ``populate`` a small store with evidence files, ``mutate`` it, or ``dump`` every
table's rows and every stored file as JSON (for comparing two states)."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 8
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00junheng" * 100


def populate() -> None:
    from junheng.web.info.models import County
    from junheng.web.info.services.evidence import upload
    from junheng.web.info.services.workflow import evaluate_county
    from webfixtures import YEAR, build_world

    world = build_world()
    county = world.users["county"]
    evaluate_county(county, world.own, YEAR)
    upload(county, world.own, YEAR, "eligibility", "基本均衡认定文件", "认定.pdf", PDF)
    upload(county, world.own, YEAR, "veto", "说明", "照片.png", PNG)
    assert County.objects.count() == 2


def mutate() -> None:
    from django.conf import settings

    from junheng.web.info.models import County, CountyRecord, Evidence, SchoolRecord
    from junheng.web.info.services.evidence import upload

    SchoolRecord.objects.order_by("pk").last().delete()  # type: ignore[union-attr]
    CountyRecord.objects.update(monitor_diff=0.99)
    ev = Evidence.objects.get(original_name="认定.pdf")
    (Path(settings.EVIDENCE_ROOT) / ev.stored_path).write_bytes(PDF + b"changed")
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="county")
    upload(user, County.objects.get(code="370830"), 2026, "veto", "新", "新.pdf", PDF + b"new")


def dump() -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection

    tables: dict[str, list[str]] = {}
    with connection.cursor() as cur:
        for table in sorted(connection.introspection.table_names()):
            cur.execute(f'SELECT * FROM "{table}"')
            tables[table] = sorted(repr(row) for row in cur.fetchall())
    root = Path(settings.EVIDENCE_ROOT)
    files = {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
    return {"tables": tables, "files": files}


if __name__ == "__main__":
    from junheng.web.cli import setup

    setup()
    command = sys.argv[1]
    if command == "populate":
        populate()
    elif command == "mutate":
        mutate()
    else:
        print(json.dumps(dump(), ensure_ascii=False))
