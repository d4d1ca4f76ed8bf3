"""Unit costs and limits of the plan: packaged defaults overlaid by a county's own TOML file."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import JunhengError

_NUMBERS = {
    "teachers": ("hire_qualified", "upgrade_degree", "train_backbone", "hire_backbone",
                 "hire_pe_art", "move"),
    "facilities": ("teaching_area", "sports_area", "equipment", "multimedia_room", "lease_sports"),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Costs:
    """Unit costs in 元 and what the plan may not do."""

    hire_qualified: float
    upgrade_degree: float
    train_backbone: float
    hire_backbone: float
    hire_pe_art: float
    move: float
    teaching_area: float
    sports_area: float
    equipment: float
    multimedia_room: float
    lease_sports: float
    cannot_build: frozenset[str] = field(default_factory=frozenset)
    allow_moves: bool = True
    allow_lease: bool = False
    max_per_school: float = 0.0
    """The most one school's measures may cost (元); 0: no limit."""

    def with_changes(self, **changes: Any) -> Costs:
        return replace(self, **changes)


def _merge(base: dict[str, Any], over: dict[str, Any], source: str) -> dict[str, Any]:
    out = {k: dict(v) for k, v in base.items()}
    for section, values in over.items():
        if section not in out or not isinstance(values, dict):
            raise JunhengError(
                f"成本文件 {source}：未知的节 [{section}]（应为 teachers、facilities、limits）"
            )
        for key, value in values.items():
            if key not in out[section]:
                raise JunhengError(f"成本文件 {source}：[{section}] 中没有 {key} 这一项")
            out[section][key] = value
    return out


def _parse(raw: dict[str, Any], source: str) -> Costs:
    nums: dict[str, float] = {}
    for section, keys in _NUMBERS.items():
        for key in keys:
            value = raw[section][key]
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise JunhengError(
                    f"成本文件 {source}：[{section}] {key} 应为不小于 0 的数值（元），填写的是 {value!r}"
                )
            nums[key] = float(value)
    limits = raw["limits"]
    cannot = limits.get("cannot_build", [])
    if not isinstance(cannot, list) or not all(isinstance(c, str) for c in cannot):
        raise JunhengError(f"成本文件 {source}：[limits] cannot_build 应为学校标识码列表")
    moves = limits.get("allow_moves", True)
    if not isinstance(moves, bool):
        raise JunhengError(f"成本文件 {source}：[limits] allow_moves 应为 true 或 false")
    lease = limits.get("allow_lease", False)
    if not isinstance(lease, bool):
        raise JunhengError(f"成本文件 {source}：[limits] allow_lease 应为 true 或 false")
    cap = limits.get("max_per_school", 0)
    if isinstance(cap, bool) or not isinstance(cap, int | float) or not 0 <= cap < float("inf"):
        raise JunhengError(
            f"成本文件 {source}：[limits] max_per_school 应为不小于 0 的金额（元，0 表示不限），"
            f"填写的是 {cap!r}"
        )
    return Costs(**nums, cannot_build=frozenset(cannot), allow_moves=moves, allow_lease=lease,
                 max_per_school=float(cap))  # fmt: skip


def default_costs_text() -> str:
    return resources.files(__package__).joinpath("costs.toml").read_text(encoding="utf-8")


def _where(text: str, message: str) -> str:
    """The parser's position in Chinese, with the line as written (the parser speaks English)."""
    found = re.search(r"at line (\d+), column (\d+)", message)
    if found is None:
        return "格式有误（每项应写成“名称 = 数值”，节名写成“[teachers]”）"
    line = int(found.group(1))
    lines = text.splitlines()
    shown = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    said = f"“{shown}”" if shown else ""
    return (
        f"第{line}行第{found.group(2)}列{said}格式有误"
        "（每项应写成“名称 = 数值”，节名写成“[teachers]”，文字加英文引号）"
    )


def load_costs(path: str | Path | None = None) -> Costs:
    """The default costs, overlaid by the TOML file at *path* if given."""
    base = tomllib.loads(default_costs_text())
    if path is None:
        return _parse(base, "（默认）")
    p = Path(path)
    if not p.exists():
        raise JunhengError(f"找不到成本文件：{p}")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise JunhengError(f"成本文件 {p} 不是有效的 TOML：应以 UTF-8 编码保存") from exc
    try:
        over = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise JunhengError(f"成本文件 {p} 不是有效的 TOML：{_where(text, str(exc))}") from exc
    return _parse(_merge(base, over, str(p)), str(p))
