"""The quick check of one typed record never calls clean what the reader would refuse: a
record it lets through has no finding from the reader. Hand-made defects of every kind are
sent to the reader (and refused there); a clean entry form's record skips it."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from junheng.contract import SCHOOL_COLUMNS, Kind
from junheng.errors import InputError
from junheng.reader import dataset_from_records
from junheng.rowcheck import plainly_valid

NUMERIC = [c.key for c in SCHOOL_COLUMNS if c.kind in (Kind.INT, Kind.NUMBER)]
WHOLES = {"p_teachers", "j_teachers", "p_classes", "j_classes", "music_rooms", "art_rooms",
          "teach_area"}  # fmt: skip


def clean_row(**changes: object) -> dict[str, object]:
    """A 九年一贯制 school with every count filled: 100 for a whole, 10 for anything else."""
    row: dict[str, object] = {k: (100 if k in WHOLES else 10) for k in NUMERIC}
    row.update(code="3701010001", name="历下区实验学校", county_code="370101",
               county_name="历下区", type="九年一贯制学校", urban_rural="城区",
               sponsor="公办", boarding=False)  # fmt: skip
    row.update(changes)
    return row


def reader_accepts(row: dict[str, object]) -> bool:
    try:
        dataset_from_records([row])
    except InputError:
        return False
    return True


def test_a_clean_record_is_plainly_valid_and_the_reader_agrees():
    row = clean_row()
    assert plainly_valid(row)
    assert reader_accepts(row)


def test_a_primary_school_may_leave_junior_counts_blank():
    row = clean_row(type="小学", **{k: None for k in NUMERIC if k.startswith("j_")})
    assert plainly_valid(row)
    assert reader_accepts(row)


@pytest.mark.parametrize(
    "changes",
    [
        {"p_students": -1},  # 不能为负数
        {"p_classes": 10.5},  # 应为整数
        {"teach_area": math.nan},
        {"teach_area": math.inf},
        {"p_qualified": 101},  # more qualified teachers than teachers
        {"certified": 250},  # more than 小学 + 初中 teachers (200)
        {"j_teachers": None},  # a 九年一贯制 school must fill its junior counts
        {"code": "37010100"},  # 8 digits, not 10
        {"county_code": "37010A"},
        {"name": "   "},
        {"name": None},
        {"type": "小学校"},
        {"type": None},
        {"urban_rural": "城市"},
        {"boarding": "也许"},
        {"p_students": "很多"},
        {"p_students": True},
    ],
)
def test_each_kind_of_defect_goes_to_the_reader_which_refuses_it(changes):
    row = clean_row(**changes)
    assert not plainly_valid(row)
    assert not reader_accepts(row)


def test_doubtful_but_acceptable_values_are_left_to_the_reader():
    # the reader trims spaces and reads "小学" in "小学 "; the quick check does not guess
    row = clean_row(name=" 历下区实验学校 ")
    assert not plainly_valid(row)
    assert reader_accepts(row)


ODD = st.one_of(
    st.none(),
    st.integers(min_value=-3, max_value=300),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.sampled_from([0.5, 1, 1.0, 99.5, 1e9, "", " ", "10", "/", "无", "是", "否", True, False,
                     "小学", "初中", "特殊教育学校", "教学点", "城区", "乡村", "民办", "Ⅰ",
                     "3701010001", "370101", "３７０１０１", "a\u200bb", "\x00x"]),
    st.text(max_size=4),
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from([c.key for c in SCHOOL_COLUMNS]), ODD, max_size=5))
@example({"type": "小学", "p_students": 0, "j_students": 5})  # junior pupils in a 小学
@example({"type": "特殊教育学校"})
@example({"type": "教学点", "indoor_sports": None, "teach_area": 0})
def test_what_the_quick_check_lets_through_the_reader_accepts(changes):
    row = clean_row(**changes)
    if plainly_valid(row):
        assert reader_accepts(row), row


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["小学", "初中", "九年一贯制学校", "十二年一贯制学校", "完全中学", "教学点", "特殊教育学校"]),
    st.dictionaries(st.sampled_from(NUMERIC), st.one_of(st.none(), st.integers(0, 260)), max_size=8),
)  # fmt: skip
def test_counts_near_their_limits_are_judged_as_the_reader_does(school_type, changes):
    # counts only: the stage rules and "part ≤ whole" decide, and both answers occur often
    row = clean_row(type=school_type, **changes)
    assert plainly_valid(row) == reader_accepts(row), row
