"""What a plan is: the solver's raw solution and the solved plan with the engine's verdict."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from ..errors import JunhengError
from ..standard import Standard
from .costs import Costs
from .model import F, Problem


class PlanError(JunhengError):
    """The plan could not be made (nothing to plan, or the data is incomplete)."""


@dataclass
class Solution:
    x: F
    status: str
    gap: float
    rounds: int
    bound: float = 0.0
    """The solver's lower bound on the cost (the dual bound)."""


@dataclass
class Plan:
    """The solved plan, with the engine's verdict before and after."""

    standard: Standard
    problem: Problem | None
    x: F
    additions: pl.DataFrame
    before: pl.DataFrame  # county_stages before (engine)
    after: pl.DataFrame  # county_stages after (engine)
    rows_before: pl.DataFrame
    rows_after: pl.DataFrame
    counties: list[str]
    blocked: dict[str, str]
    budget: float | None
    costs: Costs
    status: str = "最优"
    gap: float = 0.0
    rounds: int = 0
    seconds: float = 0.0
    closest: bool = False
    passing: dict[str, bool] = field(default_factory=dict)
    relaxed: list[tuple[str, Plan]] = field(default_factory=list)
    """When not reached: the plan with each limit in force lifted alone (:mod:`.why`)."""

    @property
    def reached(self) -> bool:
        return bool(self.passing) and all(self.passing.values()) and not self.blocked

    def total_cost(self) -> float:
        if self.problem is None:
            return 0.0
        return float(np.dot(np.concatenate(self.problem.model.cost), self.x))
