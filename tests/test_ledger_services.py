"""The ledger in the web app: items from an evaluation, 动态销号 on new data, reopening,
no duplicates, and who may close what."""

from __future__ import annotations

import pytest

from junheng.web.info.models import CountyRecord, SchoolRecord
from junheng.web.info.services import evidence, workflow
from junheng.web.info.services.errors import NotAllowed, WorkflowError
from junheng.web.ledger import selectors, services
from junheng.web.ledger.models import LedgerItem, ResponsibleUnit
from webfixtures import YEAR, World, build_world

pytestmark = pytest.mark.django_db
State = LedgerItem.State
PDF = b"%PDF-1.4 minimal"


def _break(w: World) -> None:
    """School 1 (1000 pupils): equipment 100 万元 → 1000 元 per pupil (standard 2000, floor 1700),
    3 oversized classes; the county reports its layout as not reasonable."""
    SchoolRecord.objects.filter(school=w.school(w.own, 0), year=YEAR).update(
        equipment=100.0, p_oversized=3
    )
    CountyRecord.objects.filter(county=w.own, year=YEAR).update(layout_ok=False)


def _fix_school(w: World) -> None:
    SchoolRecord.objects.filter(school=w.school(w.own, 0), year=YEAR).update(
        equipment=250.0, p_oversized=0
    )


def _items(w: World) -> dict[str, LedgerItem]:
    return {i.key: i for i in LedgerItem.objects.filter(county=w.own)}


def test_ledger_generated_from_an_evaluation() -> None:
    w = build_world()
    _break(w)
    run = workflow.evaluate_county(w.users["county"], w.own, YEAR)
    items = _items(w)
    # the CV of equipment stays within 0.50: (1000 元 × 1000 pupils, 2500 元 × 800) → 0.447
    assert sorted(items) == ["item:class_size", "item:layout", "school:1370830001:equipment_value"]
    eq = items["school:1370830001:equipment_value"]
    assert eq.gap == "距标准差 1000000 元"  # (2000 − 1000) 元 × 1000 pupils
    assert eq.unit is not None and eq.unit.name == "县财政局"
    assert eq.source_run == run and eq.status == State.PENDING
    assert items["item:layout"].evidence_only is True
    assert items["item:class_size"].evidence_only is False
    assert ResponsibleUnit.objects.filter(name="县机构编制委员会办公室").exists()


def test_items_close_on_new_data_reopen_when_it_slips_and_never_duplicate() -> None:
    w = build_world()
    _break(w)
    workflow.evaluate_county(w.users["county"], w.own, YEAR)
    workflow.evaluate_county(w.users["county"], w.own, YEAR)  # same data again
    assert LedgerItem.objects.filter(county=w.own).count() == 3

    _fix_school(w)
    proof = workflow.evaluate_county(w.users["county"], w.own, YEAR)
    items = _items(w)
    for key in ("item:class_size", "school:1370830001:equipment_value"):
        assert items[key].status == State.CLOSED
        assert items[key].proof_run == proof
        assert items[key].note == f"据{YEAR}年评估（评估记录#{proof.pk}）数据已达标，自动销号"
    assert items["item:layout"].status == State.PENDING

    SchoolRecord.objects.filter(school=w.school(w.own, 0), year=YEAR).update(p_oversized=2)
    again = workflow.evaluate_county(w.users["county"], w.own, YEAR)
    items = _items(w)
    assert items["item:class_size"].status == State.DOING
    assert items["item:class_size"].proof_run is None
    assert (
        items["item:class_size"].note
        == f"据{YEAR}年评估（评估记录#{again.pk}）数据再次未达标，重新打开"
    )
    assert items["school:1370830001:equipment_value"].status == State.CLOSED
    assert LedgerItem.objects.filter(county=w.own).count() == 3


def test_an_older_years_evaluation_does_not_touch_the_ledger() -> None:
    w = build_world()
    _break(w)
    run = workflow.evaluate_county(w.users["county"], w.own, YEAR)
    _fix_school(w)
    newer = workflow.evaluate_county(w.users["county"], w.own, YEAR)
    type(run).objects.filter(pk=newer.pk).update(year=YEAR + 1)
    older = workflow.evaluate_county(w.users["county"], w.own, YEAR)  # a re-run of the old year
    assert older.year == YEAR
    assert services.sync(older).closed == []


def test_county_cannot_close_what_the_data_shows_failing() -> None:
    w = build_world()
    _break(w)
    workflow.evaluate_county(w.users["county"], w.own, YEAR)
    item = _items(w)["item:class_size"]
    with pytest.raises(WorkflowError, match="最新评估数据显示该项仍未达标，不能销号"):
        services.close(w.users["county"], item)
    # reporting it done does not close it either: only new data does
    item = services.report_done(w.users["county"], item)
    assert item.status == State.REPORTED
    with pytest.raises(WorkflowError, match="仍未达标"):
        services.close(w.users["city"], item)


def test_evidence_item_reported_with_a_file_and_accepted_by_the_city() -> None:
    w = build_world()
    _break(w)
    workflow.evaluate_county(w.users["county"], w.own, YEAR)
    item = _items(w)["item:layout"]
    with pytest.raises(WorkflowError, match="请先上传佐证材料"):
        services.report_done(w.users["county"], item)
    with pytest.raises(WorkflowError, match="由地市复核确认销号"):
        services.close(w.users["county"], item)
    evidence.upload(w.users["county"], w.own, YEAR, item.evidence_item, "布局规划批复",
                    "批复.pdf", PDF)  # fmt: skip
    item = services.report_done(w.users["county"], item)
    assert item.note == "区县已上报完成，待地市确认"
    with pytest.raises(NotAllowed):
        services.close(w.users["province"], item)
    item = services.close(w.users["city"], item)
    assert item.status == State.CLOSED and item.proof_run is None
    assert item.note.startswith("地市复核确认销号")


def test_only_the_own_county_edits_its_ledger() -> None:
    w = build_world()
    _break(w)
    workflow.evaluate_county(w.users["county"], w.own, YEAR)
    item = _items(w)["item:class_size"]
    unit = ResponsibleUnit.objects.get(name="县教育和体育局")
    for role in ("school", "city", "province", "norole"):
        with pytest.raises(NotAllowed):
            services.update(w.users[role], item, measure="x", unit=unit, deadline=None,
                            started=True)  # fmt: skip
    item = services.update(w.users["county"], item, measure="新建教学楼一栋", unit=unit,
                           deadline=None, started=True)  # fmt: skip
    assert (item.status, item.measure) == (State.DOING, "新建教学楼一栋")
    # the school sees none of it; the city and the province see the county's items
    assert selectors.items_in_scope(w.users["school"]).count() == 0
    assert selectors.items_in_scope(w.users["city"]).count() == 3
    assert selectors.items_in_scope(w.users["province"]).count() == 3
