"""The web tests also run on PostgreSQL: .ci/run starts a server and runs them again with
JUNHENG_DATABASE_URL set. Without a server these checks are skipped."""

from __future__ import annotations

import os

import pytest
from django.db import connection

URL = os.environ.get("JUNHENG_DATABASE_URL", "")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not URL.startswith("postgres"), reason="no PostgreSQL server configured "
                       "(set JUNHENG_DATABASE_URL=postgres://…; .ci/run does)"),
]  # fmt: skip


def test_runs_on_postgresql():
    assert connection.vendor == "postgresql"


def test_json_results_round_trip_on_postgresql():
    from junheng.web.info.models import EvaluationResult, EvaluationRun
    from junheng.web.info.services.workflow import evaluate_county
    from webfixtures import YEAR, build_world

    w = build_world()
    run = evaluate_county(w.users["admin"], w.own, YEAR)
    stored = EvaluationRun.objects.get(pk=run.pk)
    assert stored.result["resource"]["stages"]["primary"]["schools"] == 2
    assert EvaluationResult.objects.filter(data__recognised=True).count() == 1


def test_one_county_of_many_is_read_through_the_index():
    """A province's records fill the table; one county's queue reads its own records by the
    index, not by scanning every school of the year (6 ms for 10,000 schools instead of
    0.7 ms): the information base fits in memory, and a random read costs what it costs."""
    from django.db.models import Count

    from junheng.web.info.models import City, County, Province, School, SchoolRecord

    with connection.cursor() as cur:
        cur.execute("SHOW random_page_cost")
        assert float(cur.fetchone()[0]) == 1.1
    p = Province.objects.create(code="990000", name="测试省")
    city = City.objects.create(code="990100", name="测试市", province=p)
    counties = [County.objects.create(code=f"9901{i:02d}", name=f"测试{i}县", city=city)
                for i in range(1, 41)]  # fmt: skip
    schools = School.objects.bulk_create(
        School(code=f"99{i:02d}{n:06d}", name=f"第{n}小学", county=c)
        for i, c in enumerate(counties, start=1) for n in range(60)
    )  # fmt: skip
    SchoolRecord.objects.bulk_create(SchoolRecord(school=s, year=2026, name=s.name, type="primary") for s in schools)  # fmt: skip
    with connection.cursor() as cur:
        cur.execute("ANALYZE info_school; ANALYZE info_schoolrecord")
    queue = SchoolRecord.objects.filter(school__county=counties[7], year=2026)
    sql, params = queue.values_list("status").annotate(n=Count("pk")).order_by().query.sql_with_params()  # fmt: skip
    with connection.cursor() as cur:
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in cur.fetchall())
    assert "Seq Scan on info_schoolrecord" not in plan, plan
