"""From the solver's values to the plan's figures: rounded to whole units, and per school what
is added to each input column of the data contract."""

from __future__ import annotations

import numpy as np
import polars as pl

from .apply import ADD_COLUMNS
from .model import _ADDS, F, Problem


def _round(prob: Problem, x: F) -> F:
    integer = np.concatenate(prob.model.integer)
    step = np.ones(len(x))
    step[prob.school_vars["equipment"]] = 1e-4  # whole 元 of 万元
    # whole ㎡ and 元, rounded up: a plan never falls short by a fraction
    up = np.ceil(np.maximum(x, 0) / step - 1e-6) * step
    out = np.where(integer, np.round(x), up)
    return np.asarray(np.where(np.abs(out) < 1e-9, 0.0, out), dtype=float)


def additions_frame(prob: Problem, x: F) -> pl.DataFrame:
    """Per school: what the plan adds to each input column (teachers by stage, areas, 万元, rooms)."""
    rows = prob.rows
    stage_p = np.array([s == "primary" for s in rows["stage"].to_list()])
    counts = {}
    for kind in ("teachers", "qualified", "backbone", "pe_art"):
        total = np.zeros(rows.height)
        for a, adds in _ADDS.items():
            total += adds.get(kind, 0) * x[prob.row_vars[a]]
        counts[kind] = total
    per_row = (
        pl.DataFrame(
            {"code": rows["code"]}
            | {f"p_{k}": np.where(stage_p, v, 0.0) for k, v in counts.items()}
            | {f"j_{k}": np.where(~stage_p, v, 0.0) for k, v in counts.items()}
        )
        .group_by("code", maintain_order=True)
        .sum()
    )
    sv = prob.school_vars
    per_school = pl.DataFrame({
        "code": prob.schools,
        "teach_area": x[sv["teaching_area"]],
        # a leased venue has no column of its own in the data contract: it is counted in the
        # school's sports ground, as the evaluation counts it (evidence: the lease contract)
        "sports_ground": x[sv["sports_area"]] + x[sv["lease_sports"]],
        "equipment": x[sv["equipment"]],
        "mm_rooms": x[sv["multimedia_room"]],
    })  # fmt: skip
    out = per_row.join(per_school, on="code", how="left")
    return out.select("code", *ADD_COLUMNS)
