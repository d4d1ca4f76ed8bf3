"""A small hierarchy built from code for the web tests: two provinces, each with one city,
one county and three schools; one user per role bound to the first ("own") side."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.forms import BaseForm, NullBooleanSelect

from conftest import county_row, junior_school, primary_school
from junheng.reader import dataset_from_records
from junheng.web.info.models import (
    City,
    County,
    CountyRecord,
    Province,
    RecordStatus,
    Role,
    School,
    SchoolRecord,
    UserProfile,
)
from junheng.web.info.services.records import COUNTY_KEYS, SCHOOL_KEYS

YEAR = 2026
PASSWORD = "test-pass-123"


@dataclass
class World:
    own: County
    foreign: County
    users: dict[str, Any]

    def school(self, county: County, n: int = 0) -> School:
        return county.schools.order_by("code")[n]

    def record(self, county: County, n: int = 0) -> SchoolRecord:
        return SchoolRecord.objects.get(school=self.school(county, n), year=YEAR)


def _county(code: str, name: str, city: str, province: str, status: str) -> County:
    p, _ = Province.objects.get_or_create(code=code[:2] + "0000", defaults={"name": province})
    c, _ = City.objects.get_or_create(code=code[:4] + "00", defaults={"name": city, "province": p})
    county = County.objects.create(code=code, name=name, city=c)
    rows = [
        {**r, "code": f"1{code}{i:03d}", "county_code": code, "county_name": name}
        for i, r in enumerate([primary_school(1), primary_school(2, 800), junior_school()], start=1)
    ]
    crow = {**county_row(), "county_code": code, "county_name": name}
    data = dataset_from_records(rows, [crow])
    for row in data.schools.to_dicts():
        school = School.objects.create(code=row["code"], name=row["name"], county=county)
        SchoolRecord.objects.create(school=school, year=YEAR, status=status,
                                    **{k: row[k] for k in SCHOOL_KEYS})  # fmt: skip
    assert data.counties is not None
    CountyRecord.objects.create(
        county=county, year=YEAR, **{k: data.counties.to_dicts()[0][k] for k in COUNTY_KEYS}
    )
    return county


def build_world(status: str = RecordStatus.SUBMITTED) -> World:
    own = _county("370830", "汶上县", "济宁市", "山东省", status)
    foreign = _county("410102", "中原区", "郑州市", "河南省", status)
    User = get_user_model()
    users: dict[str, Any] = {}
    units = {
        Role.SCHOOL: "1370830001",
        Role.COUNTY: "370830",
        Role.CITY: "370800",
        Role.PROVINCE: "370000",
    }
    for role, unit in units.items():
        u = User.objects.create_user(username=str(role), password=PASSWORD)
        UserProfile.objects.create(user=u, role=role, unit_code=unit)
        users[str(role)] = u
    users["admin"] = User.objects.create_superuser(username="admin", password=PASSWORD, email="")
    users["norole"] = User.objects.create_user(username="norole", password=PASSWORD)
    return World(own, foreign, users)


def posted(form: BaseForm, **changes: object) -> dict[str, object]:
    """What the browser posts for *form* as shown, with *changes* typed in."""
    data: dict[str, object] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, NullBooleanSelect):
            value = {True: "true", False: "false", None: "unknown"}[value]
        if value is not None:
            data[name] = value
    return data | changes
