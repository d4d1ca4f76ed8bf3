"""Data of the load benchmark, written through the web models and services into the database of
the environment (``JUNHENG_DATABASE_URL``, ``JUNHENG_DATA_DIR``).

A province of 100 counties in 10 cities and 10,000 schools drawn by ``synthetic.py``; its first
county (370101) has 300 schools and 20 stored evaluations, the others one each. Accounts: the
county's inspector ``county``, the province's ``province``, and 20 school clerks
``clerk01``… whose records are drafts they may save. A one-school workbook of the county for
the import task is written to the data directory.

    JUNHENG_DATA_DIR=… JUNHENG_DATABASE_URL=… python bench/loaddata.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import polars as pl

sys.path.insert(0, str(Path(__file__).parent))

from synthetic import generate

COUNTY = "370101"
PROVINCE = "370000"
YEAR = 2026
PASSWORD = "load-bench-pass-1"
CLERKS = 20
IMPORT_FILE = "load-import.xlsx"


def _county_code(i: int) -> str:
    return f"37{i // 10 + 1:02d}{i % 10 + 1:02d}"


def frames(counties: int, schools: int, county_schools: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """All schools and county rows, recoded into one province (codes 37ccnn)."""
    own = generate(1, county_schools, seed=2026)
    rest = generate(counties - 1, schools - county_schools, seed=2027)
    parts_s, parts_c = [], []
    for k, syn in enumerate((own, rest)):
        codes = syn.counties["county_code"].to_list()
        mapping = {c: _county_code(i + (0 if k == 0 else 1)) for i, c in enumerate(codes)}
        parts_c.append(syn.counties.with_columns(pl.col("county_code").replace_strict(mapping)))
        parts_s.append(syn.schools.with_columns(pl.col("county_code").replace_strict(mapping)))
    s = pl.concat(parts_s)
    s = s.with_columns(
        (pl.int_range(pl.len()) + 3_700_000_000).cast(pl.String).alias("code"),
        pl.format("{}县", pl.col("county_code")).alias("county_name"),
    )
    c = pl.concat(parts_c).with_columns(
        pl.format("{}县", pl.col("county_code")).alias("county_name")
    )
    return s, c


def build(
    counties: int = 100, schools: int = 10_000, county_schools: int = 300, runs: int = 20
) -> None:
    from django.contrib.auth import get_user_model

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
    from junheng.web.info.services.records import COUNTY_KEYS, SCHOOL_KEYS, school_contract
    from junheng.web.info.services.workflow import evaluate_county
    from junheng.workbook import write_workbook

    t0 = time.perf_counter()
    s, c = frames(counties, schools, county_schools)
    province = Province.objects.create(code=PROVINCE, name="山东省")
    cities = {
        code[:4]: City.objects.create(code=code[:4] + "00", name=f"{code[:4]}市", province=province)
        for code in sorted({x[:4] for x in c["county_code"].to_list()})
    }
    county_objs = {
        row["county_code"]: County.objects.create(
            code=row["county_code"], name=row["county_name"], city=cities[row["county_code"][:4]]
        )
        for row in c.select("county_code", "county_name").to_dicts()
    }
    rows: list[dict[str, Any]] = s.to_dicts()
    School.objects.bulk_create(
        School(code=r["code"], name=r["name"], county=county_objs[r["county_code"]]) for r in rows
    )
    ids = dict(School.objects.values_list("code", "pk"))
    own_codes = sorted(r["code"] for r in rows if r["county_code"] == COUNTY)
    drafts = set(own_codes[:CLERKS])
    SchoolRecord.objects.bulk_create(
        (SchoolRecord(school_id=ids[r["code"]], year=YEAR,
                      status=RecordStatus.DRAFT if r["code"] in drafts else RecordStatus.APPROVED,
                      **{k: r[k] for k in SCHOOL_KEYS})
         for r in rows), batch_size=1000,
    )  # fmt: skip
    CountyRecord.objects.bulk_create(
        CountyRecord(
            county=county_objs[r["county_code"]], year=YEAR, **{k: r[k] for k in COUNTY_KEYS}
        )
        for r in c.to_dicts()
    )
    User = get_user_model()
    admin = User.objects.create_superuser("admin", password=PASSWORD, email="")
    for name, role, unit in [
        ("county", Role.COUNTY, COUNTY),
        ("province", Role.PROVINCE, PROVINCE),
    ] + [(f"clerk{i + 1:02d}", Role.SCHOOL, code) for i, code in enumerate(sorted(drafts))]:
        u = User.objects.create_user(name, password=PASSWORD)
        UserProfile.objects.create(user=u, role=role, unit_code=unit)
    print(
        f"  {len(rows):,} schools in {len(county_objs)} counties stored: {time.perf_counter() - t0:.0f} s"
    )
    t0 = time.perf_counter()
    own = county_objs[COUNTY]
    for _ in range(runs):
        evaluate_county(admin, own, YEAR)
    for code, county in county_objs.items():
        if code != COUNTY:
            evaluate_county(admin, county, YEAR)
    print(f"  {runs + len(county_objs) - 1} evaluations stored: {time.perf_counter() - t0:.0f} s")
    # the import task re-imports one approved school of the county as it stands
    rec = SchoolRecord.objects.get(school__code=own_codes[CLERKS], year=YEAR)
    from django.conf import settings

    write_workbook(Path(settings.DATA_DIR) / IMPORT_FILE, [school_contract(rec)], None)


if __name__ == "__main__":
    from junheng.web.cli import setup

    setup()
    build()
