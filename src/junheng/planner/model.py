"""The mixed-integer model: variables per school and stage, the 6-of-7 rule, balance of moves.

Every indicator value of a school and stage is affine in the decisions,
``v = a + Σ coef · x``, held as a few (variable index, coefficient) arrays over all rows,
so constraints and CV cuts are built as whole arrays, not school by school.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import polars as pl

from ..standard import RESOURCE_KEYS, Standard
from .costs import Costs

F = npt.NDArray[np.float64]
I = npt.NDArray[np.int64]  # noqa: E741

TEACHER_COUNTS = {"qualified_teachers": "qualified", "backbone_teachers": "backbone",
                  "pe_art_teachers": "pe_art"}  # fmt: skip
MOVE_KINDS = ("qualified", "backbone", "pe_art")

# Decisions per school and stage (row) and per school: (block, unit, cost attribute, integer)
ROW_ACTIONS = {
    "hire_qualified": ("人", True),
    "upgrade_degree": ("人", True),
    "train_backbone": ("人", True),
    "hire_backbone": ("人", True),
    "hire_pe_art": ("人", True),
    **{f"move_{k}": ("人", True) for k in MOVE_KINDS},  # net: + received, − given
    **{f"in_{k}": ("人", False) for k in MOVE_KINDS},  # max(move, 0): what the moves cost
}
SCHOOL_ACTIONS = {
    "teaching_area": ("㎡", False),
    "sports_area": ("㎡", False),
    "equipment": ("万元", False),
    "multimedia_room": ("间", True),
    "lease_sports": ("㎡", False),
}
_FACILITY = {  # indicator → (school action, what one unit of the action adds to value × pupils)
    "teaching_area": ("teaching_area", 1.0),  # ㎡
    "sports_area": ("sports_area", 1.0),  # ㎡
    "equipment_value": ("equipment", 10_000.0),  # 万元, as the workbook holds it
    "multimedia_rooms": ("multimedia_room", 100.0),  # per 100 pupils
}
# what a row action adds to each teacher count (new hires hold the degree)
_ADDS: dict[str, dict[str, float]] = {
    "hire_qualified": {"teachers": 1, "qualified": 1},
    "upgrade_degree": {"qualified": 1},
    "train_backbone": {"backbone": 1},
    "hire_backbone": {"teachers": 1, "qualified": 1, "backbone": 1},
    "hire_pe_art": {"teachers": 1, "qualified": 1, "pe_art": 1},
    **{f"move_{k}": {"teachers": 1, k: 1} for k in MOVE_KINDS},
}


def weighted_cvs(P: F, group: I, G: int, values: F) -> F:
    """Pupil-weighted CV per group and indicator (groups × 7); +inf where the mean is 0."""
    n = np.bincount(group, weights=P, minlength=G)
    out = np.empty((G, values.shape[1]))
    for j in range(values.shape[1]):
        mean = np.bincount(group, weights=P * values[:, j], minlength=G) / n
        dev = P * (values[:, j] - mean[group]) ** 2
        sd = np.sqrt(np.bincount(group, weights=dev, minlength=G) / n)
        safe = np.where(mean > 0, mean, 1.0)
        out[:, j] = np.where(mean > 0, sd / safe, np.inf)
    return out


@dataclass
class Model:
    """Variables (bounds, costs, integrality) and constraint rows in CSR pieces."""

    lb: list[F] = field(default_factory=list)
    ub: list[F] = field(default_factory=list)
    cost: list[F] = field(default_factory=list)
    integer: list[npt.NDArray[np.bool_]] = field(default_factory=list)
    n: int = 0
    row_lo: list[F] = field(default_factory=list)
    row_hi: list[F] = field(default_factory=list)
    row_len: list[I] = field(default_factory=list)
    row_idx: list[I] = field(default_factory=list)
    row_val: list[F] = field(default_factory=list)

    def add_vars(self, lb: F, ub: F, cost: F, integer: bool) -> I:
        k = len(lb)
        self.lb.append(np.asarray(lb, float))
        self.ub.append(np.maximum(np.asarray(ub, float), lb))
        self.cost.append(np.asarray(cost, float))
        self.integer.append(np.full(k, integer))
        idx = np.arange(self.n, self.n + k, dtype=np.int64)
        self.n += k
        return idx

    def add_rows(self, lo: F, hi: F, idx: I, val: F) -> None:
        """Rows of equal length: *idx* and *val* are (rows × terms)."""
        keep = val != 0
        self.row_lo.append(np.asarray(lo, float))
        self.row_hi.append(np.asarray(hi, float))
        self.row_len.append(keep.sum(axis=1).astype(np.int64))
        self.row_idx.append(idx[keep])
        self.row_val.append(val[keep])


@dataclass
class Problem:
    """Data of the county (rows = school × stage), the model and how values depend on it."""

    rows: pl.DataFrame
    schools: list[str]
    P: F
    group: I
    group_keys: list[tuple[str, str]]
    cv_max: F
    thr: F  # rows × 7
    base: F  # rows × 7: values with no additions
    terms: dict[str, list[tuple[I, F]]]
    row_vars: dict[str, I]
    school_vars: dict[str, I]
    model: Model
    passes: I  # per row: binary "this school and stage passes" (fixed 1 unless closest)
    met: I  # rows × 7 binaries

    def values(self, x: F) -> F:
        """Indicator values (rows × 7) at the decision vector *x*."""
        out = self.base.copy()
        for j, key in enumerate(RESOURCE_KEYS):
            for idx, coef in self.terms[key]:
                out[:, j] += coef * x[idx]
        return out


def _facility_bound(need: F, school: I, S: int) -> F:
    """Per school: the most of a facility any of its stages could use (whole units, +1)."""
    ub = np.zeros(S)
    np.maximum.at(ub, school, need)
    return np.asarray(np.ceil(ub) + 1, dtype=float)


def _cap_per_school(
    m: Model, school: I, S: int, row_vars: dict[str, I], school_vars: dict[str, I], cap: float
) -> None:
    """Σ cost of a school's measures (both of its stages, moves received included) ≤ *cap*."""
    cost = np.concatenate(m.cost)
    paid = [v for v in row_vars.values() if cost[v].any()]
    # a school has one or two rows (primary, junior): the first and the last, zero if the same
    order = np.arange(len(school), dtype=np.int64)
    first = np.full(S, len(school), dtype=np.int64)
    last = np.full(S, -1, dtype=np.int64)
    np.minimum.at(first, school, order)
    np.maximum.at(last, school, order)
    two = (first != last).astype(float)
    idx = np.concatenate(
        [np.stack([v[first] for v in paid], axis=1), np.stack([v[last] for v in paid], axis=1),
         np.stack(list(school_vars.values()), axis=1)], axis=1,
    )  # fmt: skip
    val = np.concatenate(
        [np.stack([cost[v[first]] for v in paid], axis=1),
         np.stack([cost[v[last]] * two for v in paid], axis=1),
         np.stack([cost[v] for v in school_vars.values()], axis=1)], axis=1,
    )  # fmt: skip
    # the plan is rounded up to whole ㎡ and 元 after solving: areas are decided in whole ㎡
    # here, and the 元 of equipment the rounding may add is kept in hand
    starts = np.cumsum([0] + [len(b) for b in m.integer[:-1]])
    areas = {int(school_vars[a][0]) for a in ("teaching_area", "sports_area", "lease_sports")}
    m.integer = [
        np.ones_like(b) if int(st) in areas else b for b, st in zip(m.integer, starts, strict=True)
    ]
    margin = float(cost[school_vars["equipment"]].max()) * 1e-4
    m.add_rows(np.full(S, -np.inf), np.full(S, max(cap - margin, 0.0)), idx, val)


def build(long: pl.DataFrame, standard: Standard, costs: Costs, closest: bool) -> Problem:
    """The model for the rows of *long* (the engine's school × stage frame, no nulls)."""
    rows = long.sort(["county_code", "stage", "code"])
    R = rows.height
    schools = rows["code"].unique(maintain_order=True).to_list()
    s_of = {c: i for i, c in enumerate(schools)}
    school = np.array([s_of[c] for c in rows["code"].to_list()], dtype=np.int64)
    gk = rows.select("county_code", "stage").unique(maintain_order=True)
    group_keys = list(zip(gk["county_code"].to_list(), gk["stage"].to_list(), strict=True))
    g_of = {k: i for i, k in enumerate(group_keys)}
    group = np.array(
        [g_of[k] for k in zip(rows["county_code"], rows["stage"], strict=True)], dtype=np.int64
    )
    cvm = standard.settings["cv_max"]
    cv_max = np.array([float(cvm[s]) for _, s in group_keys])
    stage = rows["stage"].to_list()
    thr = np.array(
        [[standard.indicator(k).per_stage[s] for k in RESOURCE_KEYS] for s in stage], dtype=float
    ).reshape(R, len(RESOURCE_KEYS))
    base = rows.select(RESOURCE_KEYS).to_numpy().astype(float).reshape(R, len(RESOURCE_KEYS))
    P = rows["students"].to_numpy().astype(float)
    share = rows["share"].to_numpy().astype(float)
    col = {
        c: rows[c].to_numpy().astype(float) for c in ("teachers", "qualified", "backbone", "pe_art")
    }

    m = Model()
    # the most any school could usefully reach: the larger of the standard and the county's best
    G = len(group_keys)
    gmax = np.zeros((G, len(RESOURCE_KEYS)))
    np.maximum.at(gmax, group, np.maximum(base, thr))
    top = gmax[group] * 1.05
    # where a CV is well inside its limit, nothing is added beyond the standard itself: the
    # bounds stay tight, which is what keeps the solver quick
    easy = weighted_cvs(P, group, G, base) <= 0.8 * cv_max[:, None]
    level = np.where(easy[group], thr, top)
    zero = np.zeros(R)
    row_vars: dict[str, I] = {}
    floor = float(standard.settings["floor_share"])
    need, surplus = {}, {}
    for j, (_key, count) in enumerate(TEACHER_COUNTS.items()):
        need[count] = np.maximum(np.ceil(level[:, j] * P / 100 - col[count] - 1e-9), 0)
        surplus[count] = np.maximum(np.floor(col[count] - thr[:, j] * P / 100 + 1e-9), 0)
    unit = {
        "hire_qualified": costs.hire_qualified, "upgrade_degree": costs.upgrade_degree,
        "train_backbone": costs.train_backbone, "hire_backbone": costs.hire_backbone,
        "hire_pe_art": costs.hire_pe_art,
    }  # fmt: skip
    for name, kind_ub in (
        ("hire_qualified", need["qualified"]),
        ("upgrade_degree", np.minimum(col["teachers"] - col["qualified"], need["qualified"])),
        ("train_backbone", np.minimum(col["teachers"] - col["backbone"], need["backbone"])),
        ("hire_backbone", need["backbone"]),
        ("hire_pe_art", need["pe_art"]),
    ):
        row_vars[name] = m.add_vars(zero, np.maximum(kind_ub, 0), np.full(R, unit[name]), True)
    for k in MOVE_KINDS:
        # net moves: a school gives only what it has above the standard, takes what it lacks
        lo = -surplus[k] if costs.allow_moves else zero
        hi = need[k] if costs.allow_moves else zero
        row_vars[f"move_{k}"] = m.add_vars(lo, hi, zero, True)
        # the move's cost is counted once, at the receiving school: in ≥ move, in ≥ 0
        row_vars[f"in_{k}"] = m.add_vars(zero, hi, np.full(R, costs.move), False)
        pair = np.stack([row_vars[f"in_{k}"], row_vars[f"move_{k}"]], axis=1)
        m.add_rows(zero, np.full(R, np.inf), pair, np.tile([1.0, -1.0], (R, 1)))

    S = len(schools)
    blocked = np.array([c in costs.cannot_build for c in schools])
    school_vars: dict[str, I] = {}
    for key, (action, mult) in _FACILITY.items():
        j = RESOURCE_KEYS.index(key)
        ub = _facility_bound(top[:, j] * P / share / mult, school, S)
        integer = SCHOOL_ACTIONS[action][1]
        # equipment is decided in 万元 (as the workbook holds it): bounds stay near the others
        unit_cost = getattr(costs, action) * (mult if action == "equipment" else 1.0)
        school_vars[action] = m.add_vars(
            np.zeros(S), np.where(blocked, 0.0, ub), np.full(S, unit_cost), integer
        )
        if action == "sports_area":
            # a leased venue counts toward the sports area where the county allows it (a school
            # that cannot build may still lease); its evidence is the lease contract
            lease_ub = ub if costs.allow_lease else np.zeros(S)
            school_vars["lease_sports"] = m.add_vars(
                np.zeros(S), lease_ub, np.full(S, costs.lease_sports), False
            )

    terms: dict[str, list[tuple[I, F]]] = {}
    for key, count in TEACHER_COUNTS.items():
        terms[key] = [
            (row_vars[a], np.full(R, adds[count] * 100.0) / P)
            for a, adds in _ADDS.items()
            if adds.get(count)
        ]
    for key, (action, mult) in _FACILITY.items():
        terms[key] = [(school_vars[action][school], mult * share / P)]
    terms["sports_area"].append((school_vars["lease_sports"][school], share / P))

    # counts stay consistent: no kind exceeds the school's teachers after the plan
    for k in MOVE_KINDS:
        acts = [a for a in _ADDS if _ADDS[a].get(k) or _ADDS[a].get("teachers")]
        idx = np.stack([row_vars[a] for a in acts], axis=1)
        val = np.stack(
            [np.full(R, _ADDS[a].get(k, 0) - _ADDS[a].get("teachers", 0)) for a in acts], axis=1
        )
        m.add_rows(np.full(R, -np.inf), col["teachers"] - col[k], idx, val.astype(float))
    # moves balance within each county and stage, kind by kind
    for k in MOVE_KINDS:
        for g in range(G):  # one row per county and stage, not per school
            ii = row_vars[f"move_{k}"][group == g]
            m.add_rows(np.zeros(1), np.zeros(1), ii[None, :], np.ones((1, len(ii))))

    if costs.max_per_school > 0:
        _cap_per_school(m, school, S, row_vars, school_vars, costs.max_per_school)

    # 6 of 7 met, the rest at least 85%: v ≥ thr·(0.85·pass + 0.15·met)
    passes = m.add_vars(np.zeros(R) if closest else np.ones(R), np.ones(R), zero, True)
    nk = len(RESOURCE_KEYS)
    # an indicator already met stays met (a school giving teachers keeps what it has): only
    # the indicators below the standard need a choice, which keeps the binaries few
    already = base >= thr * (1 + 1e-9)
    met = np.stack(
        [m.add_vars(np.where(already[:, j], 1.0, 0.0), np.ones(R), zero, True) for j in range(nk)],
        axis=1,
    )
    eps = 1e-7
    for j, key in enumerate(RESOURCE_KEYS):
        idx = np.stack([i for i, _ in terms[key]] + [passes, met[:, j]], axis=1)
        val = np.stack(
            [c for _, c in terms[key]] + [-thr[:, j] * floor, -thr[:, j] * (1 - floor)], axis=1
        )
        m.add_rows(-base[:, j] + eps * thr[:, j], np.full(R, np.inf), idx, val)
    min_met = float(standard.settings["school_min_met"])
    m.add_rows(zero, np.full(R, np.inf), np.concatenate([met, passes[:, None]], axis=1),
               np.concatenate([np.ones((R, nk)), np.full((R, 1), -min_met)], axis=1))  # fmt: skip
    return Problem(
        rows, schools, P, group, group_keys, cv_max, thr, base, terms, row_vars, school_vars,
        m, passes, met,
    )  # fmt: skip
