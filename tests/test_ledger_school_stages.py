"""The rectification ledger on a school of two stages (九年一贯制) short in both: one item with
both stages named, its key unique; it is met only when both stages meet the standard."""

from __future__ import annotations

from conftest import COUNTY, county_row, junior_school, primary_school, run
from junheng.process.ledger import is_met, reconcile, shortfalls


def _nine_year(p_pe_art: int, j_pe_art: int) -> dict[str, object]:
    p, j = primary_school(9), junior_school(9)
    return {**p, **{k: v for k, v in j.items() if k.startswith("j_")}, "type": "九年一贯制学校",
            "name": "第9学校", "p_pe_art": p_pe_art, "j_pe_art": j_pe_art,
            "certified": 140, "trained": 140}  # fmt: skip


def _county(p_pe_art: int, j_pe_art: int) -> dict[str, object]:
    schools = [primary_school(1), primary_school(2), junior_school(101), junior_school(102)]
    ev = run([*schools, _nine_year(p_pe_art, j_pe_art)], [county_row()])
    return ev.county(COUNTY).to_dict()


def test_two_stage_school_short_in_both_gives_one_item_naming_both():
    short = _county(0, 0)
    items = [s for s in shortfalls(short) if s.key == f"school:1{COUNTY}009:pe_art_teachers"]
    assert len(items) == 1
    assert items[0].title == (
        "第9学校（小学、初中）“每百名学生拥有体育、艺术（美术、音乐）专任教师数”未达到标准"
    )
    # 0 teachers against 0.90 per hundred pupils (primary) and 0.90 (junior)
    assert items[0].detail.startswith("小学：现为 0.00人，标准 0.90人；初中：现为 0.00人")
    # 1000 pupils in each stage need 9 such teachers each
    assert items[0].gap == "小学距标准差 9 人；初中距标准差 9 人"
    keys = [s.key for s in shortfalls(short)]
    assert len(keys) == len(set(keys))
    # a ledger built from it takes every item once
    assert len(reconcile({}, short).new) == len(keys)


def test_two_stage_school_is_met_only_when_both_stages_meet():
    key = f"school:1{COUNTY}009:pe_art_teachers"
    assert is_met(key, _county(0, 0)) is False
    assert is_met(key, _county(11, 0)) is False  # the primary stage alone fixed
    assert is_met(key, _county(0, 11)) is False
    assert is_met(key, _county(11, 11)) is True
