"""The county data form laid out as the 申报表: Ⅰ eligibility, Ⅳ the 15 guarantee items,
Ⅴ the 9 quality items, Ⅵ recognition and the vetoes, each item with its number and the
standard's wording, and the county's fields for it."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from junheng.contract import VETO_KEYS
from junheng.standard import load_standard

# which county fields each item of the standard reads; items computed from the schools'
# data have none (the form says so)
ITEM_FIELDS: dict[str, tuple[str, ...]] = {
    "layout": ("layout_ok",),
    "four_unified": ("four_unified",),
    "small_school_funds": ("small_funds", "small_students"),
    "special_funds": ("special_funds", "special_students"),
    "teacher_pay": ("teacher_pay", "civil_pay", "merit_pay_full"),
    "staffing": ("staffing_pooled",),
    "rotation": ("rotation_eligible", "rotated", "rotated_backbone"),
    "nearby_enrolment": ("nearby_primary", "nearby_junior"),
    "quota_allocation": ("quota_total", "quota_allocated", "quota_rural"),
    "migrant_children": ("left_behind_care", "migrant_eligible", "migrant_public",
                         "migrant_funded"),
    "retention": ("graduates", "entrants", "transfers_in", "transfers_out", "deaths"),
    "disabled_enrolment": ("disabled_children", "disabled_enrolled"),
    "charter_it": ("charter_it",),
    "it_teaching": ("it_teaching",),
    "moral_culture": ("moral_culture",),
    "curriculum": ("curriculum",),
    "no_overload": ("no_overload",),
    "quality_monitoring": ("monitor_level", "monitor_diff"),
    "social_recognition": ("survey_total", "survey_valid", "survey_satisfied", "visits",
                           "visits_satisfied"),
}  # fmt: skip
BASIC = ("province", "city", "population", "benchmark_primary", "benchmark_junior")
PARTS = (("Ⅳ", "guarantee", "政府保障程度"), ("Ⅴ", "quality", "教育质量"),
         ("Ⅵ", "recognition", "社会认可度"))  # fmt: skip


@dataclass(frozen=True, slots=True)
class Item:
    no: str
    wording: str
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    items: tuple[Item, ...]
    note: str = ""


@dataclass(slots=True)
class BoundItem:
    no: str
    wording: str
    fields: list[Any] = field(default_factory=list)


@functools.lru_cache(maxsize=1)
def sections() -> tuple[Section, ...]:
    std = load_standard()
    out = [
        Section("基本情况", (Item("", "", BASIC),)),
        Section("Ⅰ 申报资格", (Item("", "通过基本均衡认定满3年", ("basic_year",)),)),
    ]
    for roman, part, name in PARTS:
        items = tuple(Item(f"{i.no}", i.title, ITEM_FIELDS.get(i.key, ())) for i in std.part(part))
        out.append(Section(f"{roman} {name}", items))
    out.append(Section("一票否决（有下列情形之一的，不予认定）",
                       (Item("", "有则选“是”", VETO_KEYS),)))  # fmt: skip
    return tuple(out)


def bound_sections(form: Any) -> list[tuple[str, list[BoundItem]]]:
    """The form's fields in the order of the 申报表; any field not placed goes last."""
    placed: set[str] = set()
    out = []
    for sec in sections():
        items = []
        for item in sec.items:
            keys = [k for k in item.keys if k in form.fields]
            placed.update(keys)
            items.append(BoundItem(item.no, item.wording, [form[k] for k in keys]))
        out.append((sec.title, items))
    rest = [form[k] for k in form.fields if k not in placed and k != "version"]
    if rest:
        out.append(("其他", [BoundItem("", "", rest)]))
    return out
