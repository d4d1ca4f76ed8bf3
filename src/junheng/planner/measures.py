"""The plan as 整改措施: one measure text per ledger item, in the ledger's own keys.

The ledger (:mod:`junheng.process.ledger`) keys a school's shortfall ``school:<code>:<indicator>``
and a stage's CV above its limit ``cv:<stage>:<indicator>``. A school item gets what the plan does
at that school for that indicator; a CV item the plan's measures for that indicator at the
stage's schools, cheapest school first.
"""

from __future__ import annotations

from ..display import fmt
from .report import Action, actions, money
from .solve import Plan

PREFIX = "【达标测算】"
"""Marks the part of a measure the plan wrote, so a new plan replaces it and nothing else."""
SHOWN = 8
"""Schools named in a CV item's measure; the rest are counted."""


def _line(a: Action) -> str:
    stage = a.stage if a.stage != "全校" else ""
    return stage + a.text()


def measures(plan: Plan) -> dict[tuple[str, str], str]:
    """(county code, ledger key) → the measure text, for every item the plan acts on."""
    acts = [a for a in actions(plan) if a.indicators]
    out: dict[tuple[str, str], str] = {}
    by_school: dict[tuple[str, str, str], list[Action]] = {}
    for a in acts:
        for ind in a.indicators:
            by_school.setdefault((a.county_code, a.code, ind), []).append(a)
    for (county, code, ind), items in by_school.items():
        total = f"（本项合计{money(sum(a.cost for a in items))}）" if len(items) > 1 else ""
        out[(county, f"school:{code}:{ind}")] = (
            f"{PREFIX}{'；'.join(_line(a) for a in items)}{total}"
        )
    # the schools in each stage: a whole-school measure counts for both of its stages
    in_stage = plan.rows_before.select("county_code", "code", "stage").unique()
    stages: dict[tuple[str, str], set[str]] = {}
    for r in in_stage.iter_rows(named=True):
        stages.setdefault((r["county_code"], r["stage"]), set()).add(r["code"])
    for (county, stage), codes in sorted(stages.items()):
        for ind in sorted({i for a in acts for i in a.indicators}):
            found = sorted(
                ((code, got) for (c, code, i), got in by_school.items()
                 if c == county and i == ind and code in codes),
                key=lambda x: (sum(a.cost for a in x[1]), x[0]),
            )  # fmt: skip
            if not found:
                continue
            shown = [
                f"{got[0].name}：{'、'.join(_line(a) for a in got)}" for _, got in found[:SHOWN]
            ]
            more = f"等{fmt(len(found), 0)}所学校" if len(found) > SHOWN else ""
            cost = sum(a.cost for _, got in found for a in got)
            out[(county, f"cv:{stage}:{ind}")] = (
                f"{PREFIX}{'；'.join(shown)}{more}（本项合计{money(cost)}）"
            )
    return out


def merged(old: str, new: str) -> str:
    """*old* measure text with its plan part replaced by *new* (what a person wrote stays)."""
    kept = "\n".join(line for line in old.splitlines() if not line.startswith(PREFIX)).strip()
    return f"{kept}\n{new}" if kept else new
