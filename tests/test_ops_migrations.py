"""Migrations forward on a populated database: a database made by the previous release's
migrations, filled through its historical models, is migrated to this release; the data
survives and is transformed as each migration intends."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

# the migration state of the previous release, app by app
PREVIOUS = [
    ("info", "0002_alter_countyrecord_monitor_diff_and_more"),
    ("ledger", "0001_process_ledger"),
    ("creation", "0001_process_creation"),
    ("survey", "0001_initial"),
]
RESULT = {"county_code": "370830", "recognised": False, "reasons": ["资源配置：差异系数超过上限"]}


@pytest.fixture
def old_apps() -> Iterator[Any]:
    executor = MigrationExecutor(connection)
    executor.migrate(PREVIOUS)
    try:
        yield executor.loader.project_state(PREVIOUS).apps
    finally:  # whatever happens, the next test finds this release's schema
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def _populate(apps: Any) -> dict[str, int]:
    User = apps.get_model("auth", "User")
    Province = apps.get_model("info", "Province")
    City = apps.get_model("info", "City")
    County = apps.get_model("info", "County")
    School = apps.get_model("info", "School")
    SchoolRecord = apps.get_model("info", "SchoolRecord")
    CountyRecord = apps.get_model("info", "CountyRecord")
    Run = apps.get_model("info", "EvaluationRun")
    Unit = apps.get_model("ledger", "ResponsibleUnit")

    user = User.objects.create(username="county", password="x")
    p = Province.objects.create(code="370000", name="山东省")
    c = City.objects.create(code="370800", name="济宁市", province=p)
    county = County.objects.create(code="370830", name="汶上县", city=c)
    for i in range(1, 4):
        school = School.objects.create(code=f"1370830{i:03d}", name=f"第{i}小学", county=county)
        SchoolRecord.objects.create(school=school, year=2025, status="approved",
                                    p_students=1000 * i, p_teachers=60 * i)  # fmt: skip
    CountyRecord.objects.create(county=county, year=2025, monitor_diff=0.12)
    first = Run.objects.create(county=county, year=2025, standard="national-2017",
                               recognised=False, created_by=user, result=RESULT)  # fmt: skip
    second = Run.objects.create(county=county, year=2025, standard="national-2017",
                                recognised=True, locked=True, created_by=user,
                                result={**RESULT, "recognised": True, "reasons": []})  # fmt: skip
    # the previous release had no units but those its users made: the seeding adds the
    # rest without duplicating one, and keeps the order given to it
    Unit.objects.all().delete()
    Unit.objects.create(name="县财政局", order=99)
    return {"first": first.pk, "second": second.pk, "county": county.pk}


def test_previous_release_database_migrates_forward_with_its_data(old_apps):
    ids = _populate(old_apps)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from junheng.web.info.models import (
        County,
        CountyRecord,
        EvaluationResult,
        EvaluationRun,
        Province,
        SchoolRecord,
    )
    from junheng.web.ledger.models import ResponsibleUnit

    # every run's full result moved into its own table, unchanged
    assert EvaluationResult.objects.count() == 2
    assert EvaluationRun.objects.get(pk=ids["first"]).result == RESULT
    second = EvaluationRun.objects.get(pk=ids["second"])
    assert second.result["recognised"] is True and second.result["reasons"] == []
    assert second.locked and second.recognised
    # the new columns take their declared defaults on old rows
    assert second.fingerprint == "" and second.summary == {} and second.display == {}
    assert Province.objects.get(code="370000").standard == "national-2017"
    rec = CountyRecord.objects.get(county_id=ids["county"], year=2025)
    assert rec.monitor_diff == 0.12
    assert rec.parent_survey_total is None and rec.basic_monitoring_good is None
    # school data untouched
    got = sorted(SchoolRecord.objects.values_list("school__code", "p_students", "p_teachers"))
    assert got == [("1370830001", 1000, 60), ("1370830002", 2000, 120), ("1370830003", 3000, 180)]
    assert County.objects.get(pk=ids["county"]).schools.count() == 3
    # the responsible units are seeded once, the county's own order kept
    names = list(ResponsibleUnit.objects.values_list("name", flat=True))
    assert len(names) == len(set(names)) == 9
    assert ResponsibleUnit.objects.get(name="县财政局").order == 99
