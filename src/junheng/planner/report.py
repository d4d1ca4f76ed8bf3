"""The plan in words and tables: actions per school, totals by kind, CVs before and after."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import polars as pl

from ..contract import STAGE_NAMES
from ..display import cv, fmt
from ..standard import RESOURCE_KEYS
from .model import MOVE_KINDS, Problem
from .solve import Plan
from .years import schedule

MAX_YEARS = 20
KIND_NAMES = {"qualified": "高于规定学历", "backbone": "骨干", "pe_art": "体育艺术"}
ACTIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # action → (what is done, unit, indicators it lifts)
    "hire_qualified": ("新招聘高于规定学历教师", "人", ("qualified_teachers",)),
    "upgrade_degree": ("在职教师学历提升至规定以上", "人", ("qualified_teachers",)),
    "train_backbone": ("培养认定县级及以上骨干教师", "人", ("backbone_teachers",)),
    "hire_backbone": ("引进县级及以上骨干教师", "人", ("backbone_teachers", "qualified_teachers")),
    "hire_pe_art": ("新招聘体育艺术专任教师", "人", ("pe_art_teachers", "qualified_teachers")),
    "in_qualified": ("交流轮岗调入高于规定学历教师", "人", ("qualified_teachers",)),
    "in_backbone": ("交流轮岗调入骨干教师", "人", ("backbone_teachers",)),
    "in_pe_art": ("交流轮岗调入体育艺术教师", "人", ("pe_art_teachers",)),
    "out_qualified": ("交流轮岗调出高于规定学历教师", "人", ()),
    "out_backbone": ("交流轮岗调出骨干教师", "人", ()),
    "out_pe_art": ("交流轮岗调出体育艺术教师", "人", ()),
    # (the model's net moves are shown as the two above)
    "teaching_area": ("新建（改扩建）教学及辅助用房", "㎡", ("teaching_area",)),
    "sports_area": ("新建运动场地", "㎡", ("sports_area",)),
    "equipment": ("购置教学仪器设备", "万元", ("equipment_value",)),
    "multimedia_room": ("建设网络多媒体教室", "间", ("multimedia_rooms",)),
    "lease_sports": ("租用校外体育场馆", "㎡", ("sports_area",)),
}
LEASE_NOTE = "须签订租用合同作为佐证材料，并确认本省允许以租用场馆计入体育运动场馆面积"


@dataclass(frozen=True, slots=True)
class Action:
    county_code: str
    code: str
    name: str
    stage: str  # 小学 / 初中 / 全校
    action: str
    title: str
    quantity: float  # in *unit*
    unit: str
    cost: float  # 元
    indicators: tuple[str, ...]
    partner: str = ""  # the other school of a move

    def text(self) -> str:
        qty = fmt(self.quantity, 2 if self.unit == "万元" else 0)
        where = f"（{self.partner}）" if self.partner else ""
        if self.unit == "万元":
            return f"{self.title}{where} {qty} 万元"
        return f"{self.title}{where} {qty} {self.unit}，{money(self.cost)}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def money(yuan: float) -> str:
    return f"{fmt(yuan / 10_000, 2)} 万元"


def actions(plan: Plan) -> list[Action]:
    """Every non-zero decision of the plan, school by school (moves paired for the text)."""
    prob = plan.problem
    if prob is None:
        return []
    x, rows, cost = plan.x, prob.rows, np.concatenate(prob.model.cost)
    codes, names = rows["code"].to_list(), rows["name"].to_list()
    counties, stages = rows["county_code"].to_list(), rows["stage"].to_list()
    out: list[Action] = []
    partners = _pair_moves(prob, x, names)
    for a, idx in prob.row_vars.items():
        if a.startswith("in_"):
            continue  # the cost of a move, shown with the move
        for r in np.flatnonzero(np.abs(x[idx]) > 0.5):
            v, pay = int(idx[r]), 0.0
            name = a
            if a.startswith("move_"):
                kind = a.removeprefix("move_")
                name = f"in_{kind}" if x[v] > 0 else f"out_{kind}"
                w = int(prob.row_vars[f"in_{kind}"][r])
                pay = float(cost[w] * x[w])
            title, unit, inds = ACTIONS[name]
            out.append(Action(counties[r], codes[r], names[r], STAGE_NAMES[stages[r]], name, title,
                              abs(float(x[v])), unit, float(cost[v] * x[v]) + pay, inds,
                              partners.get((name, int(r)), "")))  # fmt: skip
    first_row = {c: i for i, c in reversed(list(enumerate(codes)))}
    for a, idx in prob.school_vars.items():
        title, unit, inds = ACTIONS[a]
        for s in np.flatnonzero(x[idx] > 0):
            r, v = first_row[prob.schools[s]], int(idx[s])
            qty = float(x[v])
            out.append(Action(counties[r], codes[r], names[r], "全校", a, title, qty, unit,
                              float(cost[v] * x[v]), inds,
                              LEASE_NOTE if a == "lease_sports" else ""))  # fmt: skip
    order = {c: i for i, c in enumerate(dict.fromkeys(codes))}
    return sorted(out, key=lambda t: (t.county_code, order[t.code], t.stage, t.action))


def _pair_moves(
    prob: Problem, x: np.ndarray[Any, Any], names: list[str]
) -> dict[tuple[str, int], str]:
    """Which school gives to which, for the text: the pooled moves paired in order."""
    out: dict[tuple[str, int], set[str]] = {}
    for k in MOVE_KINDS:
        net = x[prob.row_vars[f"move_{k}"]]
        for g in range(len(prob.group_keys)):
            sel = np.flatnonzero(prob.group == g)
            takers = [(int(r), round(net[r])) for r in sel if net[r] > 0.5]
            givers = [(int(r), round(-net[r])) for r in sel if net[r] < -0.5]
            for (ti, _), (gi, _) in _zip_counts(takers, givers):
                out.setdefault((f"in_{k}", ti), set()).add(f"来自{names[gi]}")
                out.setdefault((f"out_{k}", gi), set()).add(f"到{names[ti]}")
    return {key: "、".join(sorted(v)) for key, v in out.items()}


def _zip_counts(
    a: list[tuple[int, int]], b: list[tuple[int, int]]
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    pairs = []
    ai = [r for r, n in a for _ in range(n)]
    bi = [r for r, n in b for _ in range(n)]
    for ta, gb in zip(ai, bi, strict=False):
        pairs.append(((ta, 1), (gb, 1)))
    return pairs


def totals(acts: list[Action]) -> list[dict[str, Any]]:
    """Quantity and cost summed by kind of action, for the whole plan."""
    by: dict[str, dict[str, Any]] = {}
    for a in acts:
        t = by.setdefault(
            a.action, {"title": a.title, "unit": a.unit, "quantity": 0.0, "cost": 0.0}
        )
        t["quantity"] += a.quantity
        t["cost"] += a.cost
    return [by[k] | {"action": k} for k in ACTIONS if k in by]


def county_summary(plan: Plan, code: str) -> dict[str, Any]:
    """Before/after of one county: passing schools, CVs, what still fails."""
    std = plan.standard
    out: dict[str, Any] = {"county_code": code, "stages": [], "still_failing": []}
    before = plan.before.filter(pl.col("county_code") == code)
    after = plan.after.filter(pl.col("county_code") == code)
    names = plan.rows_before.filter(pl.col("county_code") == code)["county_name"]
    out["county_name"] = names[0] if names.len() else code
    for b, a in zip(before.iter_rows(named=True), after.iter_rows(named=True), strict=True):
        st = {"stage": STAGE_NAMES[b["stage"]], "schools": b["schools"],
              "passing_before": b["schools_passing"], "passing_after": a["schools_passing"],
              "cv_max": float(std.settings["cv_max"][b["stage"]]), "cvs": []}  # fmt: skip
        for k in RESOURCE_KEYS:
            st["cvs"].append({"indicator": std.indicator(k).short or std.indicator(k).title,
                              "before": b[f"cv_{k}"], "after": a[f"cv_{k}"],
                              "pass_before": b[f"cv_pass_{k}"], "pass_after": a[f"cv_pass_{k}"]})  # fmt: skip
            if not a[f"cv_pass_{k}"]:
                out["still_failing"].append(
                    f"{st['stage']}“{std.indicator(k).title}”差异系数{cv(a[f'cv_{k}'])}，"
                    f"仍高于{cv(st['cv_max'])}"
                )
        out["stages"].append(st)
    failing = plan.rows_after.filter(
        (pl.col("county_code") == code) & ~pl.col("passed").fill_null(False)
    )
    for r in failing.iter_rows(named=True):
        miss = [std.indicator(k).short or k for k in RESOURCE_KEYS if not r[f"met_{k}"]]
        out["still_failing"].append(
            f"{r['name']}（{STAGE_NAMES[r['stage']]}）仍未达到“至少6项达标、其余不低于85%”"
            f"（未达标：{'、'.join(miss) or '数据不全'}）"
        )
    if code in plan.blocked:
        out["still_failing"].append(plan.blocked[code])
    out["passes"] = plan.passing.get(code, False) and code not in plan.blocked
    if out["passes"] or code in plan.blocked:
        out["why"] = []
    else:
        from .why import why

        out["why"] = why(plan, code)
    return out


def _changes(plan: Plan) -> pl.DataFrame:
    """Per school and stage: met/floor/passed before and after."""
    cols = ["passed", *[f"met_{k}" for k in RESOURCE_KEYS], *[f"floor_{k}" for k in RESOURCE_KEYS]]
    b = plan.rows_before.select("county_code", "code", "stage", *cols)
    a = plan.rows_after.select("code", "stage", *cols)
    return b.join(a, on=["code", "stage"], suffix="_after")


def _effects(plan: Plan, acts: list[Action]) -> dict[str, list[str]]:
    """Per school: what the plan achieves there, in words."""
    short = {k: plan.standard.indicator(k).short or k for k in RESOURCE_KEYS}
    failing_cv: dict[str, set[str]] = {}
    for r in plan.before.iter_rows(named=True):
        bad = {k for k in RESOURCE_KEYS if r[f"cv_pass_{k}"] is False}
        failing_cv.setdefault(r["county_code"], set()).update(bad)
    touched: dict[str, set[str]] = {}
    for act in acts:
        touched.setdefault(act.code, set()).update(act.indicators)
    out: dict[str, list[str]] = {}
    for r in _changes(plan).iter_rows(named=True):
        said = out.setdefault(r["code"], [])
        met = [short[k] for k in RESOURCE_KEYS if not r[f"met_{k}"] and r[f"met_{k}_after"]]
        floor = [short[k] for k in RESOURCE_KEYS
                 if not r[f"floor_{k}"] and r[f"floor_{k}_after"] and not r[f"met_{k}_after"]]  # fmt: skip
        stage = STAGE_NAMES[r["stage"]]
        if met:
            said.append(f"{stage}{'、'.join(met)}达标")
        if floor:
            said.append(f"{stage}{'、'.join(floor)}达到标准的85%")
        if not r["passed"] and r["passed_after"]:
            said.append(f"{stage}学段达到“至少6项达标、其余不低于85%”")
        cvs = sorted(touched.get(r["code"], set()) & failing_cv.get(r["county_code"], set()),
                     key=RESOURCE_KEYS.index)  # fmt: skip
        for k in cvs:
            text = f"降低全县{short[k]}差异系数"
            if text not in said:
                said.append(text)
    return out


def school_texts(plan: Plan, acts: list[Action]) -> list[dict[str, Any]]:
    """One entry per school with actions: the Chinese sentence, its cost and what it achieves."""
    effects = _effects(plan, acts)
    short = {k: plan.standard.indicator(k).short or k for k in RESOURCE_KEYS}
    by: dict[str, list[Action]] = {}
    for a in acts:
        by.setdefault(a.code, []).append(a)
    out = []
    for code, items in by.items():
        fx = effects.get(code, [])
        cost = sum(a.cost for a in items)
        parts = "；".join((a.stage if a.stage != "全校" else "") + a.text() for a in items)
        if not fx:
            gives = any(a.action.startswith("out_") for a in items)
            kept = "、".join(dict.fromkeys(short[i] for a in items for i in a.indicators))
            fx = (
                ["支持交流轮岗，本校调出后仍达标"]
                if gives
                else [f"使全县{kept}差异系数保持在上限以内"]
            )
        tail = f"。作用：{'；'.join(fx)}"
        out.append({
            "county_code": items[0].county_code, "code": code, "name": items[0].name,
            "cost": cost, "effects": fx,
            "text": f"{items[0].name}：{parts}。合计{money(cost)}{tail}。",
        })  # fmt: skip
    return out


def plan_dict(
    plan: Plan, years: int | None = None, per_year: float | None = None
) -> dict[str, Any]:
    """The plan as JSON-ready data (full precision; texts rounded for reading).

    With *years* (or a yearly budget *per_year*, 元), the additions are also spread over the
    years cheapest-first (:func:`years.schedule`).
    """
    acts = actions(plan)
    spread = None
    if years is not None or per_year is not None:
        items = [a.to_dict() for a in acts]
        n = years if years is not None else _years_needed(acts, per_year)
        plan_ = schedule(items, n, per_year, trim=years is None)
        while years is None and plan_.by_year[-1]["over"] and n < MAX_YEARS:
            n += 1  # whole measures pack less tightly than the money divides
            plan_ = schedule(items, n, per_year, trim=years is None)
        spread = plan_.to_dict()
    return {
        "reached": plan.reached,
        "status": plan.status,
        "mip_gap": plan.gap,
        "cut_rounds": plan.rounds,
        "seconds": plan.seconds,
        "budget": plan.budget,
        "closest": plan.closest,
        "total_cost": plan.total_cost(),
        "counties": [
            county_summary(plan, c) | {"cost": sum(a.cost for a in acts if a.county_code == c)}
            for c in plan.counties
        ],
        "schools": school_texts(plan, acts),
        "actions": [a.to_dict() for a in acts],
        "totals": totals(acts),
        "schedule": spread,
    }


def _years_needed(acts: list[Action], per_year: float | None) -> int:
    """Without a number of years: as many as the yearly budget needs, at the least."""
    total = sum(a.cost for a in acts)
    if per_year is None or per_year <= 0 or not np.isfinite(per_year):
        return 1  # schedule() explains a bad budget
    return int(min(max(np.ceil(total / per_year - 1e-9), 1), MAX_YEARS))
