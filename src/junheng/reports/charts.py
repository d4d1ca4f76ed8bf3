"""Report charts as PNG bytes: CVs against their limit, and each indicator's school distribution.

Drawn with matplotlib's Agg canvas directly (no pyplot state, safe in a web worker) in the CJK
font :mod:`.fonts` found and checked; labels print through :mod:`junheng.display`.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .. import display
from ..results import STAGE_TITLES, CountyResult
from ..standard import RESOURCE_KEYS, Standard
from .fonts import checked_font

STAGES = ("primary", "junior")
PASS_COLOUR, FAIL_COLOUR, LIMIT_COLOUR = "#2E75B6", "#C00000", "#404040"
_DPI = 130
# fixed margins instead of tight_layout, which measures every label twice (half the drawing time)
_BARS_LAYOUT = {"left": 0.09, "right": 0.98, "top": 0.9, "bottom": 0.1}
_GRID_LAYOUT = {
    "left": 0.08,
    "right": 0.98,
    "top": 0.93,
    "bottom": 0.04,
    "hspace": 0.5,
    "wspace": 0.25,
}


@contextmanager
def _font(texts: Sequence[str]) -> Iterator[None]:
    path = checked_font("".join(texts) + "0123456789.%")
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    with rc_context({"font.family": [name], "axes.unicode_minus": False}):
        yield


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=_DPI)
    return buf.getvalue()


def _short(std: Standard, key: str) -> str:
    ind = std.indicator(key)
    return ind.short or ind.title


def cv_chart(county: CountyResult, std: Standard, stage: str) -> bytes | None:
    """Bars of the seven CVs of one stage with the stage's limit; None when the stage is absent."""
    s = county.resource.stages.get(stage)
    if s is None:
        return None
    limit = float(std.settings["cv_max"][stage])
    names = [_short(std, k) for k in RESOURCE_KEYS]
    values = [s.cv[k] for k in RESOURCE_KEYS]
    title = f"{county.name}{STAGE_TITLES[stage]}各指标校际差异系数"
    limit_label = f"上限 {display.fmt(limit)}"
    with _font([*names, title, limit_label, "差异系数", "无法计算"]):
        fig = Figure(figsize=(7.0, 3.4))
        ax = fig.add_subplot()
        heights = [v if v is not None else 0.0 for v in values]
        colours = [
            PASS_COLOUR if v is not None and s.cv_pass[k] else FAIL_COLOUR
            for k, v in zip(RESOURCE_KEYS, values, strict=True)
        ]
        bars = ax.bar(names, heights, color=colours, width=0.6)
        for bar, v in zip(bars, values, strict=True):
            label = display.cv(v) if v is not None else "无法计算"
            ax.annotate(label, (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center", va="bottom", fontsize=8, xytext=(0, 2),
                        textcoords="offset points")  # fmt: skip
        ax.axhline(limit, color=LIMIT_COLOUR, linestyle="--", linewidth=1.2, label=limit_label)
        ax.set_ylim(0, max([limit, *heights]) * 1.2)
        ax.set_ylabel("差异系数")
        ax.set_title(title, fontsize=11)
        ax.legend(loc="upper right", fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
        fig.subplots_adjust(**_BARS_LAYOUT)
        return _png(fig)


def distribution_chart(county: CountyResult, std: Standard, stage: str) -> bytes | None:
    """For each indicator, a histogram of the stage's school values with the standard and floor."""
    schools = [s for s in county.resource.schools if s.stage == stage]
    if not schools:
        return None
    share = float(std.settings["floor_share"])
    floor_word = f"{display.fmt(share * 100, 0)}%"
    title = f"{county.name}{STAGE_TITLES[stage]}各校指标分布"
    names = [_short(std, k) for k in RESOURCE_KEYS]
    legend = ["标准", f"标准的{floor_word}", "学校数"]
    subtitles = [
        f"{n}（标准 {display.fmt(std.threshold(k, stage))}）"
        for n, k in zip(names, RESOURCE_KEYS, strict=True)
    ]
    with _font([title, *subtitles, *legend]):
        fig = Figure(figsize=(7.0, 8.2))
        fig.suptitle(title, fontsize=11)
        for i, key in enumerate(RESOURCE_KEYS):
            ax = fig.add_subplot(4, 2, i + 1)
            values = [s.values[key] for s in schools if key in s.values]
            standard = std.threshold(key, stage)
            ax.hist(values, bins=min(20, max(5, len(values) // 3)), color=PASS_COLOUR, alpha=0.8)
            ax.axvline(standard, color="#2E7D32", linewidth=1.4, label=legend[0])
            ax.axvline(standard * share, color=FAIL_COLOUR, linestyle="--", linewidth=1.2,
                       label=legend[1])  # fmt: skip
            ax.set_title(subtitles[i], fontsize=9)
            ax.set_ylabel(legend[2], fontsize=8)
            ax.tick_params(labelsize=7)
            ax.xaxis.set_major_locator(MaxNLocator(5))
            ax.yaxis.set_major_locator(MaxNLocator(4, integer=True))
            if i == 0:
                ax.legend(fontsize=7)
        fig.subplots_adjust(**_GRID_LAYOUT)
        return _png(fig)


def trend_chart(county: CountyResult, std: Standard,
                history: dict[int, dict[str, float | None]]) -> bytes | None:  # fmt: skip
    """Each stage's largest CV by year with its limit; None with fewer than two years."""
    years = sorted(history)
    if len(years) < 2:
        return None
    title = f"{county.name}历年最大校际差异系数"
    labels = [
        f"{STAGE_TITLES[s]}（上限 {display.fmt(float(std.settings['cv_max'][s]))}）" for s in STAGES
    ]
    with _font([title, *labels, "年度", "差异系数"]):
        fig = Figure(figsize=(7.0, 3.0))
        ax = fig.add_subplot()
        for stage, label, colour in zip(STAGES, labels, (PASS_COLOUR, "#ED7D31"), strict=True):
            points = [(y, v) for y in years if (v := history[y].get(stage)) is not None]
            if points:
                ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", color=colour,
                        label=label)  # fmt: skip
            ax.axhline(float(std.settings["cv_max"][stage]), color=colour, linestyle="--",
                       linewidth=1)  # fmt: skip
        ax.set_xticks(years, [str(y) for y in years])
        ax.set_ylim(bottom=0)
        ax.set_ylabel("差异系数")
        ax.set_title(title, fontsize=11)
        ax.legend(fontsize=8)
        fig.subplots_adjust(**_BARS_LAYOUT)
        return _png(fig)


__all__ = ["cv_chart", "distribution_chart", "trend_chart"]
