"""Operations run in their own process by the kill -9 tests (``livesite.py run
faultscripts:NAME``): each can stop at a chosen point inside its transaction, print
``PAUSED`` and wait there to be killed; ``state`` prints what the database holds."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model

from conftest import county_row, primary_school
from junheng import write_workbook
from junheng.web.info.models import County, CountyRecord, RecordStatus, School, SchoolRecord
from junheng.web.info.models.workflow import EvaluationResult, EvaluationRun
from junheng.web.info.services import importing, workflow

YEAR = 2026
NEW_SCHOOLS = 40


def _pause_at(model: type[Any], nth: int) -> None:
    """Stop for good at the *nth* save of *model* (0: never), just before it writes."""
    original = model.save
    count = 0

    def save(self: Any, *args: Any, **kwargs: Any) -> None:
        nonlocal count
        count += 1
        if count == nth:
            print("PAUSED", flush=True)
            time.sleep(3600)
        original(self, *args, **kwargs)

    model.save = save


def preview(folder: str) -> None:
    """Preview of the import file: the county's three schools changed and NEW_SCHOOLS new."""
    recs = [primary_school(i, students=1500) for i in (1, 2, 3)]
    recs += [primary_school(i, students=900) for i in range(10, 10 + NEW_SCHOOLS)]
    path = write_workbook(Path(folder) / "县域.xlsx", recs, [county_row(population=80.0)])
    user = get_user_model().objects.get(username="county")
    p = importing.preview_import(user, path.read_bytes(), "县域.xlsx", YEAR)
    assert p.ok, [f.message for f in p.findings]
    print(json.dumps(p.token))


def confirm(token: str, model: str, nth: str) -> None:
    state()  # what the last process left, read by a new one: a restart
    _pause_at({"school": SchoolRecord, "county": CountyRecord}[model], int(nth))
    user = get_user_model().objects.get(username="county")
    result = importing.confirm_import(user, token, YEAR)
    assert result.ok, [f.message for f in result.findings]
    state()


def approve_all() -> None:
    SchoolRecord.objects.filter(school__county__code="370830", year=YEAR).update(
        status=RecordStatus.APPROVED
    )


def evaluate_lock(model: str, nth: str) -> None:
    state()
    _pause_at({"school": SchoolRecord, "county": CountyRecord, "run": EvaluationRun}[model], int(nth))  # fmt: skip
    user = get_user_model().objects.get(username="county")
    workflow.evaluate_county(user, County.objects.get(code="370830"), YEAR, lock=True)
    state()


def approved_state() -> None:
    approve_all()
    state()


def state() -> None:
    county = County.objects.get(code="370830")
    recs = SchoolRecord.objects.filter(school__county=county, year=YEAR)
    crec = CountyRecord.objects.get(county=county, year=YEAR)
    runs = EvaluationRun.objects.filter(county=county, year=YEAR)
    doc = {
        "schools": School.objects.filter(county=county).count(),
        "records": recs.count(),
        "students": sorted(recs.values_list("school__code", "p_students")),
        "versions": sorted(recs.values_list("school__code", "version")),
        "statuses": sorted(set(recs.values_list("status", flat=True))),
        "population": crec.population,
        "county_status": crec.status,
        "county_version": crec.version,
        "runs": [[r.locked, bool(r.fingerprint)] for r in runs],
        "results": EvaluationResult.objects.filter(run__in=runs).count(),
    }
    print(json.dumps(doc, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    sys.exit("run through livesite.py")
