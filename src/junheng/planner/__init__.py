"""达标测算: the least-cost additions per school that make a county pass the resource part.

A mixed-integer programme (HiGHS) decides new teachers by kind, teachers moved between
schools, areas, equipment and rooms; the weighted CV limits are second-order cones handled by
outer-approximation cuts until the engine agrees; every plan is re-evaluated by the engine.
"""

from __future__ import annotations

from .costs import Costs, load_costs
from .solve import Plan, PlanError, plan

__all__ = ["Costs", "Plan", "PlanError", "load_costs", "plan"]
