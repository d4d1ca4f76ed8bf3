"""Fixtures: records of a school and a county that meet every indicator, to vary one at a time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from junheng import Evaluation, evaluate
from junheng.reader import dataset_from_records

COUNTY = "370830"


def primary_school(n: int = 1, students: int = 1000, **over: Any) -> dict[str, Any]:
    """A 小学 comfortably above every primary threshold (values per 1000 pupils)."""
    rec: dict[str, Any] = dict(
        code=f"1{COUNTY}{n:03d}",
        name=f"第{n}小学", county_code=COUNTY, county_name="汶上县", type="小学",
        urban_rural="城区", sponsor="公办",
        p_students=students, p_classes=students // 40, p_oversized=0,
        p_teachers=students * 6 // 100, p_qualified=students * 5 // 100,
        p_backbone=students * 2 // 100, p_pe_art=students * 1 // 100 + 1,
        certified=students * 6 // 100, trained=students * 6 // 100,
        teach_area=students * 5.0, indoor_sports=0, sports_ground=students * 8.0,
        equipment=students * 0.25, mm_rooms=students * 3 // 100,
        music_rooms=3, music_ok=3, art_rooms=3, art_ok=3,
        public_funds=100.0, training_funds=6.0,
    )  # fmt: skip
    rec.update(over)
    return rec


def junior_school(n: int = 101, students: int = 1000, **over: Any) -> dict[str, Any]:
    """A 初中 comfortably above every junior threshold."""
    rec: dict[str, Any] = dict(
        code=f"1{COUNTY}{n:03d}", name=f"第{n}中学", county_code=COUNTY, county_name="汶上县",
        type="初中", urban_rural="城区", sponsor="公办",
        j_students=students, j_classes=students // 45, j_oversized=0,
        j_teachers=students * 8 // 100, j_qualified=students * 6 // 100,
        j_backbone=students * 2 // 100, j_pe_art=students * 1 // 100 + 1,
        certified=students * 8 // 100, trained=students * 8 // 100,
        teach_area=students * 6.5, indoor_sports=0, sports_ground=students * 11.0,
        equipment=students * 0.3, mm_rooms=students * 3 // 100,
        music_rooms=3, music_ok=3, art_rooms=3, art_ok=3,
        public_funds=100.0, training_funds=6.0,
    )  # fmt: skip
    rec.update(over)
    return rec


def county_row(**over: Any) -> dict[str, Any]:
    """A 区县 row meeting every guarantee, quality and recognition item."""
    rec: dict[str, Any] = dict(
        county_code=COUNTY, county_name="汶上县", city="济宁市", province="山东省", year=2026,
        population=70.0, basic_year=2015, layout_ok=True, four_unified=True, staffing_pooled=True,
        small_funds=None, small_students=None, special_funds=60.0, special_students=100,
        teacher_pay=100000.0, civil_pay=100000.0, merit_pay_full=True,
        rotation_eligible=1000, rotated=100, rotated_backbone=20,
        nearby_primary=100.0, nearby_junior=95.0,
        quota_total=1000, quota_allocated=500, quota_rural=200,
        left_behind_care=True, migrant_eligible=1000, migrant_public=800, migrant_funded=50,
        graduates=950, entrants=1002, transfers_in=20, transfers_out=20, deaths=2,
        disabled_children=100, disabled_enrolled=95,
        charter_it=True, it_teaching=True, moral_culture=True, curriculum=True, no_overload=True,
        monitor_level=3, monitor_diff=0.14,
        survey_total=1050, survey_valid=1000, survey_satisfied=850, visits=100,
        visits_satisfied=85,
        veto_exam=False, veto_choice=False, veto_key_school=False, veto_unfilled=False,
        veto_accident=False, veto_falsified=False, veto_tutoring=False, basic_monitoring_good=True,
    )  # fmt: skip
    rec.update(over)
    return rec


def run(
    schools: Sequence[dict[str, Any]],
    counties: Sequence[dict[str, Any]] | None = None,
    standard: str = "national-2017",
) -> Evaluation:
    from junheng import load_standard

    std = load_standard(standard)
    return evaluate(dataset_from_records(list(schools), counties, std), std)


@pytest.fixture
def good_county() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return [primary_school(1), primary_school(2, 800), junior_school()], [county_row()]


@pytest.fixture(scope="session", autouse=True)
def _end_live_server_connections(request: pytest.FixtureRequest) -> Any:
    """The live server's request threads keep persistent PostgreSQL connections (CONN_MAX_AGE),
    which would stop the test database from being dropped: end them once, before it is."""
    import os

    if not os.environ.get("JUNHENG_DATABASE_URL", "").startswith("postgres"):
        yield
        return
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    yield
    from django.db import connection

    with blocker.unblock(), connection.cursor() as cur:
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
