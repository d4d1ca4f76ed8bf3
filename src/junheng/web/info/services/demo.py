"""Load the demo province into the database, with one demo login per role."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from junheng.demo import demo_records
from junheng.reader import dataset_from_records

from ..models import (
    County,
    CountyRecord,
    RecordStatus,
    Role,
    School,
    SchoolRecord,
    UserProfile,
)
from .importing import ensure_county
from .records import COUNTY_KEYS, SCHOOL_KEYS

DEMO_PASSWORD = "junheng-demo"


@dataclass(frozen=True, slots=True)
class DemoLogin:
    username: str
    role: str
    unit: str


def load_demo(counties: int = 8, seed: int = 2026, year: int = 2026) -> list[DemoLogin]:
    """Create the demo hierarchy, records and users; running it again changes nothing."""
    raw_schools, raw_counties = demo_records(counties=counties, seed=seed)
    # through the reader, so values are typed exactly as an import would store them
    data = dataset_from_records(raw_schools, raw_counties)
    schools = data.schools.to_dicts()
    names = {
        r["county_code"]: r for r in (data.counties.to_dicts() if data.counties is not None else [])
    }
    User = get_user_model()
    with transaction.atomic():
        for code, row in names.items():
            county = ensure_county(code, row)
            CountyRecord.objects.get_or_create(
                county=county, year=year, defaults={k: row.get(k) for k in COUNTY_KEYS}
            )
        counties_by_code = {c.code: c for c in County.objects.all()}
        for i, row in enumerate(schools):
            county = counties_by_code[row["county_code"]]
            school, _ = School.objects.get_or_create(
                code=row["code"], defaults={"name": row["name"], "county": county}
            )
            values = {k: row.get(k) for k in SCHOOL_KEYS}
            # most data already reviewed; a few schools still at each earlier step
            status = (
                RecordStatus.APPROVED
                if i % 10
                else (RecordStatus.SUBMITTED if i % 20 else RecordStatus.DRAFT)
            )
            SchoolRecord.objects.get_or_create(
                school=school, year=year, defaults={**values, "status": status}
            )
        first = next(iter(names))
        first_school = next(r["code"] for r in schools if r["county_code"] == first)
        logins = [
            DemoLogin("admin", Role.ADMIN, ""),
            DemoLogin("province", Role.PROVINCE, first[:2] + "0000"),
            DemoLogin("city", Role.CITY, first[:4] + "00"),
            DemoLogin("county", Role.COUNTY, first),
            DemoLogin("school", Role.SCHOOL, first_school),
        ]
        for login in logins:
            user, created = User.objects.get_or_create(username=login.username)
            if created:
                user.set_password(DEMO_PASSWORD)
                user.is_staff = user.is_superuser = login.role == Role.ADMIN
                user.save()
            if login.role != Role.ADMIN:
                UserProfile.objects.update_or_create(
                    user=user, defaults={"role": login.role, "unit_code": login.unit}
                )
    return logins  # fmt: skip
