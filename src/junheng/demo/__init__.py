"""A demo province for trying the tool: Faker names, figures around the national thresholds,
and counties built to pass or to fail for one clear reason each (see :data:`SCENARIOS`).

The same seed always gives the same province; the designed outcomes hold for any seed.
"""

from __future__ import annotations

import random
from pathlib import Path

from ..workbook import write_workbook
from .counties import county_record
from .names import PROVINCE, Namer
from .scenarios import SCENARIO_TITLES, SCENARIOS, apply_scenario, scenario_for
from .schools import Record, plan_county


def demo_records(counties: int = 8, seed: int = 2026) -> tuple[list[Record], list[Record]]:
    """School and county records, keyed by the contract keys, for *counties* counties."""
    rng = random.Random(seed)
    namer = Namer(seed, rng)
    schools: list[Record] = []
    rows: list[Record] = []
    for i, county in enumerate(namer.counties(counties)):
        scenario = scenario_for(i)
        # the first county is the showcase: it has a school of every 办学类型
        plans = plan_county(rng, namer, county, all_types=i == 0)
        records = apply_scenario(plans, county, scenario)
        schools += records
        rows.append(county_record(rng, county, records, scenario))
    return schools, rows


def write_demo(path: str | Path, counties: int = 8, seed: int = 2026) -> Path:
    """Write the demo workbook (学校 and 区县 sheets) to *path*."""
    schools, rows = demo_records(counties, seed)
    return write_workbook(path, schools, rows)


__all__ = ["PROVINCE", "SCENARIOS", "SCENARIO_TITLES", "demo_records", "scenario_for", "write_demo"]
