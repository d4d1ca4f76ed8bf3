"""The evaluation standard as data: indicators, thresholds and settings.

Standards live in TOML files: the bundled ones in ``junheng/standards`` and any in
the directory named by ``JUNHENG_STANDARDS_DIR``. An overlay names ``extends`` and
overrides settings, indicator fields (``[indicator_overrides.KEY]``) or adds
``[[local_targets]]``; overlays may extend overlays.
"""

from __future__ import annotations

import functools
import os
import tomllib
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import StandardError

DEFAULT_STANDARD = "national-2017"
PARTS = ("resource", "guarantee", "quality", "recognition")
PART_TITLES = {
    "resource": "资源配置",
    "guarantee": "政府保障程度",
    "quality": "教育质量",
    "recognition": "社会认可度",
}
RESOURCE_KEYS = (
    "qualified_teachers",
    "backbone_teachers",
    "pe_art_teachers",
    "teaching_area",
    "sports_area",
    "equipment_value",
    "multimedia_rooms",
)


@dataclass(frozen=True, slots=True)
class Indicator:
    """One of the 32 indicators, with its thresholds."""

    key: str
    no: int
    part: str
    title: str
    short: str = ""
    unit: str = ""
    comparison: str = ">="
    per_stage: dict[str, float] = field(default_factory=dict)
    params: dict[str, float] = field(default_factory=dict)
    computed: str = ""
    evidence: bool = False
    column: str = ""
    gap_unit: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class LocalTarget:
    """A stricter local target read from a column of the 区县 sheet."""

    key: str
    title: str
    column: str
    threshold: float
    unit: str = ""
    comparison: str = ">="
    binding: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Standard:
    id: str
    title: str
    version: str
    source: str
    extends: str | None
    settings: dict[str, Any]
    indicators: tuple[Indicator, ...]
    local_targets: tuple[LocalTarget, ...] = ()
    _by_key: dict[str, Indicator] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        # looked up hundreds of thousands of times when a nation's results are built
        object.__setattr__(self, "_by_key", {i.key: i for i in self.indicators})

    def indicator(self, key: str) -> Indicator:
        return self._by_key[key]

    def part(self, part: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.part == part)

    def threshold(self, key: str, stage: str) -> float:
        return float(self.indicator(key).per_stage[stage])

    def param(self, key: str, name: str) -> float:
        return float(self.indicator(key).params[name])

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "source": self.source,
            "extends": self.extends,
            "settings": self.settings,
            "indicators": [i.to_dict() for i in self.indicators],
            "local_targets": [t.to_dict() for t in self.local_targets],
        }


def _search_dirs() -> list[Path]:
    dirs: list[Path] = []
    extra = os.environ.get("JUNHENG_STANDARDS_DIR")
    if extra:
        dirs.extend(Path(p) for p in extra.split(os.pathsep) if p)
    dirs.append(Path(str(resources.files("junheng") / "standards")))
    return dirs


def _raw_files() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for d in reversed(_search_dirs()):  # later (user) dirs win over bundled ones
        if d.is_dir():
            for p in sorted(d.glob("*.toml")):
                found[p.stem] = p
    return found


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise StandardError(f"无法读取评估标准文件 {path}：{exc}") from exc
    data.setdefault("id", path.stem)
    return data


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def _resolve(ref: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    if ref in seen:
        raise StandardError(f"评估标准循环继承：{' → '.join((*seen, ref))}")
    path = Path(ref)
    if path.suffix == ".toml" and path.exists():
        data = _read(path)
    else:
        files = _raw_files()
        if ref not in files:
            raise StandardError(
                f"未找到评估标准“{ref}”。可用的标准：{'、'.join(sorted(files)) or '无'}"
            )
        data = _read(files[ref])
    parent = data.get("extends")
    if not parent:
        return data
    base = _resolve(str(parent), (*seen, ref))
    merged = dict(base)
    for k in ("id", "title", "version", "source", "extends"):
        if k in data:
            merged[k] = data[k]
    merged["settings"] = _deep_merge(base.get("settings", {}), data.get("settings", {}))
    overrides: dict[str, Any] = data.get("indicator_overrides", {})
    known = {i["key"] for i in base["indicators"]}
    unknown = set(overrides) - known
    if unknown:
        raise StandardError(f"评估标准“{ref}”覆盖了不存在的指标：{'、'.join(sorted(unknown))}")
    merged["indicators"] = [_deep_merge(i, overrides.get(i["key"], {})) for i in base["indicators"]]
    merged["local_targets"] = [*base.get("local_targets", []), *data.get("local_targets", [])]
    return merged


def _build(data: dict[str, Any]) -> Standard:
    try:
        indicators = tuple(
            Indicator(
                **{
                    **i,
                    "per_stage": {k: float(v) for k, v in i.get("per_stage", {}).items()},
                    "params": {k: float(v) for k, v in i.get("params", {}).items()},
                }
            )
            for i in data["indicators"]
        )
        targets = tuple(
            LocalTarget(**{**t, "threshold": float(t["threshold"])})
            for t in data.get("local_targets", [])
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise StandardError(f"评估标准“{data.get('id')}”格式有误：{exc}") from exc
    bad = [t.key for t in targets if t.comparison not in (">=", "<=", ">", "<")]
    if bad:
        raise StandardError(f"评估标准“{data.get('id')}”的本地目标比较符无效：{'、'.join(bad)}")
    _check_settings(dict(data.get("settings", {})), str(data.get("id")))
    counts = {p: sum(1 for i in indicators if i.part == p) for p in PARTS}
    if counts != {"resource": 7, "guarantee": 15, "quality": 9, "recognition": 1}:
        raise StandardError(f"评估标准“{data.get('id')}”应有 7+15+9+1 项指标，实为 {counts}")
    return Standard(
        id=str(data["id"]),
        title=str(data.get("title", data["id"])),
        version=str(data.get("version", "")),
        source=str(data.get("source", "")),
        extends=data.get("extends"),
        settings=dict(data.get("settings", {})),
        indicators=indicators,
        local_targets=targets,
    )


_CHOICES: dict[str, tuple[str, ...]] = {
    "compare_at": ("exact", "displayed"),
}
_SUBSETS: dict[str, tuple[str, ...]] = {
    "recognition_binding": ("sample", "parents", "valid"),
    "quota_rural_classes": ("城区", "镇区", "乡村"),
}


def _check_settings(settings: dict[str, Any], sid: str) -> None:
    for key, allowed in _CHOICES.items():
        if key in settings and settings[key] not in allowed:
            raise StandardError(
                f"评估标准“{sid}”的设置 {key} 应为 {'、'.join(allowed)} 之一，实为“{settings[key]}”"
            )
    for key, allowed in _SUBSETS.items():
        value = settings.get(key, [])
        if not isinstance(value, list) or any(v not in allowed for v in value):
            raise StandardError(
                f"评估标准“{sid}”的设置 {key} 应为由 {'、'.join(allowed)} 组成的列表，实为 {value!r}"
            )


def load_standard(ref: str = DEFAULT_STANDARD) -> Standard:
    """Load a standard by id (bundled or in ``JUNHENG_STANDARDS_DIR``) or by TOML path.

    Parsed files are cached by path and modification time, so a page that needs the
    standard on every request does not re-read TOML, yet an edited overlay is picked up.
    """
    files = _raw_files()
    stamp = tuple(sorted((str(p), p.stat().st_mtime) for p in files.values()))
    if ref.endswith(".toml") and Path(ref).exists():
        stamp += ((ref, Path(ref).stat().st_mtime),)
    return _cached(ref, stamp)


@functools.lru_cache(maxsize=64)
def _cached(ref: str, _stamp: tuple[tuple[str, float], ...]) -> Standard:
    return _build(_resolve(ref))


def list_standards() -> list[Standard]:
    """All standards that can be loaded, bundled and local."""
    return [load_standard(name) for name in sorted(_raw_files())]
