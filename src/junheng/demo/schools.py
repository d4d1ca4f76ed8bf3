"""Demo schools: a plan holds every random draw, a record every figure derived from it.

Keeping the two apart lets a scenario change a plan (a factor, a class size) and rebuild
its record without new draws, so a designed outcome cannot depend on the seed.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

from .names import County, Namer, cn_number

Record = dict[str, Any]
STAGES = ("primary", "junior")
PREFIX = {"primary": "p", "junior": "j", "senior": "s"}
WEIGHTS = {"primary": 1.0, "junior": 1.1, "senior": 1.32}
# The national-2017 thresholds the demo is built around.
THRESHOLDS: dict[str, dict[str, float]] = {
    "qualified_teachers": {"primary": 4.2, "junior": 5.3},
    "backbone_teachers": {"primary": 1.0, "junior": 1.0},
    "pe_art_teachers": {"primary": 0.9, "junior": 0.9},
    "teaching_area": {"primary": 4.5, "junior": 5.8},
    "sports_area": {"primary": 7.5, "junior": 10.2},
    "equipment_value": {"primary": 2000, "junior": 2500},
    "multimedia_rooms": {"primary": 2.3, "junior": 2.4},
}
TEACHER_KEYS = ("qualified_teachers", "backbone_teachers", "pe_art_teachers")
BENCHMARK = {"primary": 700.0, "junior": 900.0, "senior": 1200.0}
"""生均公用经费基准定额 (元) the demo counties report; above the national minimum."""
SPECIAL_PER_PUPIL = 6000.0
_PRIVATE_WORDS = ["育才", "博雅", "英才", "启明", "明德", "弘毅", "求实", "新华", "致远", "树人"]
_SOFT_MISS = ("teaching_area", "sports_area", "equipment_value")
MISS_FACTOR = 0.9
"""A real school often misses one indicator but stays above the 85% floor."""


@dataclass
class Plan:
    type: str
    name: str
    urban_rural: str
    sponsor: str
    boarding: bool
    students: dict[str, int]
    class_size: dict[str, float]
    min_classes: int
    pupils_per_teacher: dict[str, float]
    factor: dict[str, float]
    """Per resource indicator: the school's value as a multiple of the standard."""
    indoor_share: float
    extra_rooms: int
    old_room: int
    fund_rate: float
    training_share: float
    oversized_share: float = 0.0

    @property
    def outside_resource(self) -> bool:
        return self.type == "特殊教育学校" or (
            self.type == "教学点" and self.students["primary"] < 50
        )


def _up(x: float, digits: int) -> float:
    """Round up, so a value built to meet a threshold still meets it after rounding."""
    scale = 10.0**digits
    return math.ceil(x * scale - 1e-6) / scale


def _teachers(plan: Plan, stage: str, n: int) -> dict[str, int]:
    t = math.ceil(n / plan.pupils_per_teacher[stage])
    if plan.outside_resource:  # not judged per 100 pupils: ordinary staffing shares
        return {"t": t, "qualified": math.ceil(t * 0.9), "backbone": t // 5, "pe_art": t // 6}
    need = [math.ceil(THRESHOLDS[k][stage] * plan.factor[k] * n / 100 - 1e-9) for k in TEACHER_KEYS]
    return {"t": max(t, *need), "qualified": need[0], "backbone": need[1], "pe_art": need[2]}


def build_record(plan: Plan, county: County, seq: int) -> Record:
    rec: Record = {
        "code": f"1{county.code}{seq:03d}", "name": plan.name, "county_code": county.code,
        "county_name": county.name, "type": plan.type, "urban_rural": plan.urban_rural,
        "sponsor": plan.sponsor, "boarding": plan.boarding,
    }  # fmt: skip
    classes_total = teachers_total = 0
    for stage, n in plan.students.items():
        p = PREFIX[stage]
        rec[f"{p}_students"] = n
        if stage == "senior":
            continue
        classes = max(plan.min_classes, math.ceil(n / plan.class_size[stage]))
        t = _teachers(plan, stage, n)
        rec |= {
            f"{p}_classes": classes, f"{p}_oversized": math.ceil(classes * plan.oversized_share),
            f"{p}_teachers": t["t"], f"{p}_qualified": t["qualified"],
            f"{p}_backbone": t["backbone"], f"{p}_pe_art": t["pe_art"],
        }  # fmt: skip
        classes_total += classes
        teachers_total += t["t"]
    # Shared facilities are built per weighted pupil, so the stage the standard asks most
    # of (per weighted pupil) gets exactly factor × standard and the other stage more.
    weighted = sum(WEIGHTS[s] * n for s, n in plan.students.items())
    stages = [s for s in STAGES if plan.students.get(s)]

    def total(key: str) -> float:
        return plan.factor[key] * max(THRESHOLDS[key][s] / WEIGHTS[s] for s in stages) * weighted

    teach = _up(total("teaching_area"), 1)
    indoor = _up(teach * plan.indoor_share, 1)
    rooms = 0 if plan.type == "教学点" and plan.outside_resource else math.ceil(classes_total / 12)
    funds = (
        SPECIAL_PER_PUPIL * plan.fund_rate * sum(plan.students.values())
        if plan.type == "特殊教育学校"
        else plan.fund_rate
        * (
            100 * BENCHMARK["primary"]  # small schools are funded as if they had 100 pupils
            if 0 < plan.students.get("primary", 0) + plan.students.get("junior", 0) < 100
            else sum(BENCHMARK[s] * n for s, n in plan.students.items())
        )
    )
    public = _up(funds / 10_000, 2)
    rec |= {
        "certified": teachers_total, "trained": teachers_total,
        "teach_area": round(teach + indoor, 1), "indoor_sports": indoor,
        "sports_ground": _up(total("sports_area") - indoor, 1),
        "equipment": _up(total("equipment_value") / 10_000, 2),
        "mm_rooms": math.ceil(total("multimedia_rooms") / 100 - 1e-9),
        "music_rooms": rooms + plan.extra_rooms + plan.old_room, "music_ok": rooms + plan.extra_rooms,
        "art_rooms": rooms + plan.extra_rooms, "art_ok": rooms + plan.extra_rooms,
        "public_funds": public, "training_funds": _up(public * plan.training_share, 2),
    }  # fmt: skip
    return rec


def _plan(rng: random.Random, type_: str, name: str, ur: str, students: dict[str, int],
          sponsor: str = "公办", boarding: bool = False) -> Plan:  # fmt: skip
    special = type_ == "特殊教育学校"
    point = type_ == "教学点"
    factor = {k: 2.0 if special else rng.uniform(1.04, 1.45) for k in THRESHOLDS}
    if not special and rng.random() < 0.15:
        factor[rng.choice(_SOFT_MISS)] = rng.uniform(MISS_FACTOR, 0.97)
    size = {
        "城区": (rng.uniform(40, 44), rng.uniform(45, 49.5)),
        "镇区": (rng.uniform(36, 43), rng.uniform(42, 48)),
        "乡村": (rng.uniform(30, 40), rng.uniform(40, 46)),
    }[ur]
    if point or special:
        size = (rng.uniform(8, 12), 10.0) if special else (rng.uniform(15, 24), 30.0)
    ratio = (
        (rng.uniform(3, 4.5),) * 2
        if special
        else (rng.uniform(14.5, 17.5), rng.uniform(10.5, 12.5))
    )
    return Plan(
        type=type_, name=name, urban_rural=ur, sponsor=sponsor, boarding=boarding,
        students=students, class_size={"primary": size[0], "junior": size[1]},
        min_classes=1 if point or special else (6 if "primary" in students else 3),
        pupils_per_teacher={"primary": ratio[0], "junior": ratio[1]}, factor=factor,
        indoor_share={"城区": rng.uniform(0.03, 0.07), "镇区": rng.uniform(0, 0.04)}.get(ur, 0.0),
        extra_rooms=int(rng.random() < 0.3), old_room=int(rng.random() < 0.2),
        fund_rate=rng.uniform(1.15, 1.5), training_share=rng.uniform(0.055, 0.09),
    )  # fmt: skip


def plan_county(rng: random.Random, namer: Namer, county: County, all_types: bool) -> list[Plan]:
    """10–40 schools of every kind a county has, named and sized like real ones."""
    n = rng.randint(12, 40)
    c = county.name
    twelve = int(all_types or rng.random() < 0.35)
    nine, middle = 1 + (n >= 20) + (n >= 32), 1 + (n >= 30)
    points = 2 + rng.randint(0, n // 12)
    rest = n - 1 - twelve - nine - middle - points
    junior = max(2, round(rest * 0.3))
    primary = rest - junior
    urban_p = max(1, round(primary * 0.35))
    town_p = max(1, round((primary - urban_p) * 0.5))
    urban_j = max(1, round(junior * 0.4))
    scope: set[str] = set()
    towns = [namer.place(scope) + "镇" for _ in range(max(2, town_p, junior - urban_j))]
    words = rng.sample(_PRIVATE_WORDS, len(_PRIVATE_WORDS))
    r = rng.randint
    plans: list[Plan] = []

    def private() -> str:
        return words.pop() if words else namer.place(scope)

    def village() -> str:
        return rng.choice(towns) + namer.place(scope)

    def add(type_: str, name: str, ur: str, students: dict[str, int], *, sponsor: str = "公办",
            boarding: bool = False) -> None:  # fmt: skip
        plans.append(_plan(rng, type_, name, ur, students, sponsor, boarding))

    add("特殊教育学校", f"{c}特殊教育学校", "城区", {"primary": r(40, 110), "junior": r(15, 50)},
        boarding=True)  # fmt: skip
    for i in range(middle):
        add("完全中学", f"{c}第{cn_number(i + 1)}中学", "城区",
            {"junior": r(600, 1400), "senior": r(1200, 2400)}, boarding=True)  # fmt: skip
    if twelve:
        add("十二年一贯制学校", f"{c}{private()}学校", "城区",
            {"primary": r(300, 700), "junior": r(250, 500), "senior": r(400, 900)},
            sponsor="民办" if rng.random() < 0.7 else "公办", boarding=True)  # fmt: skip
    for i in range(nine):
        stu = {"primary": r(400, 1100), "junior": r(250, 700)}
        if i == 0:
            add("九年一贯制学校", f"{c}实验学校", "城区", stu)
        elif rng.random() < 0.5:
            add(
                "九年一贯制学校",
                f"{c}{private()}外国语学校",
                "城区",
                stu,
                sponsor="民办",
                boarding=True,
            )
        else:
            add(
                "九年一贯制学校",
                f"{towns[i % len(towns)]}九年一贯制学校",
                "镇区",
                stu,
                boarding=True,
            )
    for i in range(urban_j):  # 第一中学 (and 第二) are the 完全中学 above
        name = f"{c}第{cn_number(middle + i)}中学" if i else f"{c}实验中学"
        add("初中", name, "城区", {"junior": r(900, 1900)})
    for i in range(junior - urban_j):
        if i >= 2 and i == junior - urban_j - 1:
            add("初中", f"{village()}初级中学", "乡村", {"junior": r(150, 400)}, boarding=True)
        else:
            name = towns[i % len(towns)] + rng.choice(("初级中学", "中学"))
            add("初中", name, "镇区", {"junior": r(400, 1100)}, boarding=rng.random() < 0.6)
    streets: set[str] = set()
    for i in range(urban_p):
        if i > 0 and rng.random() < 0.15:
            add("小学", f"{c}{private()}小学", "城区", {"primary": r(600, 1200)}, sponsor="民办")
        else:
            name = ("实验小学", "第二实验小学")[i] if i < 2 else namer.street(streets) + "小学"
            add("小学", c + name, "城区", {"primary": r(1100, 1950)})
    for i in range(town_p):
        add("小学", f"{towns[i % len(towns)]}中心小学", "镇区", {"primary": r(500, 1200)})
    for _ in range(primary - urban_p - town_p):
        add(
            "小学",
            f"{village()}小学",
            "乡村",
            {"primary": r(60, 380)},
            boarding=rng.random() < 0.15,
        )
    for i in range(points):  # the first is tiny, the second has 50 or more pupils
        pupils = r(15, 45) if i == 0 or (i > 1 and rng.random() < 0.5) else r(52, 95)
        add("教学点", f"{village()}教学点", "乡村", {"primary": pupils})
    return plans
