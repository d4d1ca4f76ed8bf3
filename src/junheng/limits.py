"""Bounds on what a workbook may hold, so that no file can exhaust time or memory.

Each limit is a setting: ``JUNHENG_<NAME>`` in the environment overrides the default
(e.g. ``JUNHENG_MAX_ROWS=300000``). The defaults let a province of 20,000 schools through
with room to spare and refuse a million-row sheet or gigabytes of unpacked XML.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from .contract import Column

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_mb: int = 100
    """Size of the file as uploaded or stored (compressed)."""
    max_unpacked_mb: int = 1_000
    """Sum of the unpacked parts of an .xlsx/.ods package."""
    max_ratio: int = 200
    """Unpacked / packed size of any one part larger than 10 MB: more is a zip bomb."""
    max_rows: int = 200_000
    max_columns: int = 1_000
    max_cells: int = 5_000_000
    """Rows × columns of a sheet's used area, which the parser allocates densely."""
    max_pupils: int = 30_000
    """Pupils of one stage in one school."""
    max_classes: int = 1_000
    max_teachers: int = 3_000
    max_area: int = 2_000_000
    """m² of one school."""
    max_money: int = 1_000_000
    """万元 of one school."""
    max_rooms: int = 2_000
    parse_memory_mb: int = 2_048
    """Memory a web upload's parse may take in its worker process, beyond the loaded worker."""
    parse_seconds: int = 120
    """Wall time a web upload's parse may take before it is stopped and refused."""

    @classmethod
    def from_env(cls) -> Limits:
        values: dict[str, int] = {}
        for f in fields(cls):
            raw = os.environ.get(f"JUNHENG_{f.name.upper()}", "").strip()
            if raw:
                try:
                    value = int(raw)
                except ValueError:
                    continue  # a malformed setting keeps the default rather than failing reads
                if value > 0:
                    values[f.name] = value
        return cls(**values)

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * MIB

    @property
    def max_unpacked_bytes(self) -> int:
        return self.max_unpacked_mb * MIB


_TEACHER_KEYS = ("teachers", "qualified", "backbone", "pe_art", "certified", "trained")


def plausibility(col: Column, limits: Limits) -> tuple[int, str] | None:
    """Largest plausible value of a school column and the setting that holds it."""
    key = col.key.split("_", 1)[-1] if col.key[:2] in ("p_", "j_", "s_") else col.key
    if key == "students":
        return limits.max_pupils, "MAX_PUPILS"
    if key in _TEACHER_KEYS:
        return limits.max_teachers, "MAX_TEACHERS"
    if key in ("classes", "oversized"):
        return limits.max_classes, "MAX_CLASSES"
    if col.unit == "㎡":
        return limits.max_area, "MAX_AREA"
    if col.unit == "万元":
        return limits.max_money, "MAX_MONEY"
    if col.unit == "间":
        return limits.max_rooms, "MAX_ROOMS"
    return None
