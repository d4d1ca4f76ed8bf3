"""The year switch asks the database for the distinct years alone: one row per year, not one
per school record (a province's 10,000 records made its pages slow under load)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from junheng.web.info.models import SchoolRecord
from junheng.web.info.services.years import years_with_data
from webfixtures import YEAR, build_world

pytestmark = pytest.mark.django_db


def test_years_with_data_are_the_distinct_years_in_scope_newest_first():
    w = build_world()
    rec = w.record(w.own)
    rec.pk, rec.year = None, YEAR - 3
    rec.save()
    foreign = w.record(w.foreign)
    foreign.pk, foreign.year = None, YEAR + 1
    foreign.save()
    assert years_with_data(w.users["province"]) == [YEAR, YEAR - 3]
    assert years_with_data(w.users["admin"]) == [YEAR + 1, YEAR, YEAR - 3]
    assert years_with_data(w.users["norole"]) == []


def test_years_query_selects_the_year_column_alone():
    w = build_world()
    assert SchoolRecord.objects.count() == 6
    with CaptureQueriesContext(connection) as ctx:
        years_with_data(w.users["province"])
    distinct = [q["sql"] for q in ctx.captured_queries if "DISTINCT" in q["sql"]]
    assert len(distinct) == 2
    for sql in distinct:
        selected = sql.split("DISTINCT", 1)[1].split(" FROM ", 1)[0]
        table = "schoolrecord" if "info_schoolrecord" in selected else "countyrecord"
        assert selected.strip() == f'"info_{table}"."year" AS "year"', sql
