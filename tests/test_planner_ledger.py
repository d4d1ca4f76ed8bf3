"""达标测算 → 整改台账: the plan's measures in the ledger's keys, written by the county only."""

from __future__ import annotations

import pytest

from junheng.planner import load_costs
from junheng.planner.measures import PREFIX, merged
from junheng.web.info.models import SchoolRecord
from junheng.web.info.services import workflow
from junheng.web.info.services.errors import NotAllowed
from junheng.web.ledger.models import LedgerItem
from junheng.web.planning.services import county_plan, write_to_ledger
from webfixtures import YEAR, World, build_world

pytestmark = pytest.mark.django_db


def _short_equipment(w: World) -> None:
    """第1小学 (1000 pupils): equipment 100 万元 → 1000 元 per pupil (standard 2000, floor 1700)."""
    SchoolRecord.objects.filter(school=w.school(w.own, 0), year=YEAR).update(equipment=100.0)
    workflow.evaluate_county(w.users["county"], w.own, YEAR)


def test_show():
    w = build_world()
    _short_equipment(w)
    r = county_plan(w.users["county"], "370830", YEAR, load_costs(), None)
    print(r.plan["schools"])
    print({i.key: i.measure for i in LedgerItem.objects.all()})
    done = write_to_ledger(w.users["county"], "370830", YEAR, load_costs(), None)
    print(done, {i.key: i.measure for i in LedgerItem.objects.all()})
    assert 0
