"""Server time of the county page for a 300-school county with many stored evaluations.

In-process (Django's test client: URL routing, middleware, queries, template), so the
figure is the server's own time without network. As baselines measured in the same run,
the same client fetches a static page (the 退出登录 page: session, menu, base template, no
data) and a static file (app.css through WhiteNoise). Target: county page ≤ 30 ms (median) whatever the number of stored runs.
Times on a shared 2-core machine are noisy: read the ratio as much as the milliseconds.

    python bench/bench_county_page.py [--schools 300] [--runs 50] [--repeats 40]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_MS = 30.0


def _school(i: int, rng: random.Random) -> dict[str, Any]:
    # every fifth school is short of teachers or rooms, so the failing rows are rendered
    short = 0.5 if i % 5 == 0 else 1.0
    n = rng.randint(200, 1500)
    base: dict[str, Any] = dict(
        code=f"1370830{i:03d}", name=f"第{i}学校", county_code="370830", county_name="汶上县",
        urban_rural="城区", sponsor="公办",
        teach_area=n * 6.5 * short, indoor_sports=0, sports_ground=n * 11.0,
        equipment=n * 0.3, mm_rooms=n * 3 // 100, music_rooms=3, music_ok=3, art_rooms=3,
        art_ok=3, public_funds=100.0, training_funds=6.0,
    )  # fmt: skip
    if i % 3:
        base.update(type="小学", p_students=n, p_classes=n // 40, p_oversized=0,
                    p_teachers=n * 6 // 100, p_qualified=int(n * 5 * short) // 100,
                    p_backbone=n * 2 // 100, p_pe_art=n // 100 + 1,
                    certified=n * 6 // 100, trained=n * 6 // 100)  # fmt: skip
    else:
        base.update(type="初中", j_students=n, j_classes=n // 45, j_oversized=0,
                    j_teachers=n * 8 // 100, j_qualified=int(n * 6 * short) // 100,
                    j_backbone=n * 2 // 100, j_pe_art=n // 100 + 1,
                    certified=n * 8 // 100, trained=n * 8 // 100)  # fmt: skip
    return base


def _prepare(schools: int, runs: int) -> tuple[str, Any]:
    from django.contrib.auth import get_user_model

    from junheng.reader import dataset_from_records
    from junheng.web.info.models import (
        City,
        County,
        EvaluationRun,
        Province,
        Role,
        School,
        SchoolRecord,
        UserProfile,
    )
    from junheng.web.info.services.records import SCHOOL_KEYS
    from junheng.web.info.services.workflow import evaluate_county

    rng = random.Random(2026)
    p = Province.objects.create(code="370000", name="山东省")
    c = City.objects.create(code="370800", name="济宁市", province=p)
    county = County.objects.create(code="370830", name="汶上县", city=c)
    data = dataset_from_records([_school(i, rng) for i in range(1, schools + 1)])
    for row in data.schools.to_dicts():
        s = School.objects.create(code=row["code"], name=row["name"], county=county)
        SchoolRecord.objects.create(school=s, year=2026, status="submitted",
                                    **{k: row[k] for k in SCHOOL_KEYS})  # fmt: skip
    user = get_user_model().objects.create_user("county", password="bench-pass-1")
    UserProfile.objects.create(user=user, role=Role.COUNTY, unit_code="370830")
    run = evaluate_county(user, county, 2026)
    # older stored runs, one per past year and several per year, as a county gathers them
    for k in range(runs - 1):
        run.pk = None
        run.year = 2026 - 1 - k % 10
        run.save()
    assert EvaluationRun.objects.count() == runs
    return "/county/370830/2026/", user


def _time(client: Any, url: str, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        resp = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert resp.status_code == 200, resp.status_code
        if hasattr(resp, "streaming_content"):
            b"".join(resp.streaming_content)
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--schools", type=int, default=300)
    ap.add_argument("--runs", type=int, default=50, help="stored evaluations of the county")
    ap.add_argument("--repeats", type=int, default=40)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["JUNHENG_DATA_DIR"] = tmp
        os.environ["JUNHENG_DATABASE_URL"] = ""
        from junheng.web.cli import setup

        setup(Path(tmp))
        from django.test import Client

        url, user = _prepare(args.schools, args.runs)
        client = Client()
        client.force_login(user)
        _time(client, url, 3)  # warm-up: templates compiled, standard cached
        page = _time(client, url, args.repeats)
        static = _time(client, "/logout/", args.repeats)
        css = _time(client, "/static/junheng/app.css", args.repeats)
        size = len(client.get(url).content)
    med, smed = statistics.median(page), statistics.median(static)
    ok = med <= TARGET_MS
    print(f"county page, {args.schools} schools, {args.runs} stored runs, SQLite, in-process")
    print(f"  county page: median {med:6.1f} ms  min {min(page):6.1f} ms  "
          f"{size / 1024:.0f} KB  (target ≤ {TARGET_MS:.0f} ms: {'PASS' if ok else 'FAIL'})")  # fmt: skip
    print(f"  static page: median {smed:6.1f} ms  min {min(static):6.1f} ms  "
          f"→ county page / static page {med / smed:.1f}×")  # fmt: skip
    print(f"  static file: median {statistics.median(css):6.1f} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
