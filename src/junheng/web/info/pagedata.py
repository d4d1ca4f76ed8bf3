"""What the county page and the rankings show of one evaluation, prepared once per run.

The engine's result is large (every school, every indicator); formatting it on each page
view made a 300-school county slow. :func:`build_display` formats it once, when the run is
made, and :func:`build_summary` keeps the few figures the trend and rankings need.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import escape

from junheng.display import CV_DIGITS, cv, fmt, rounded
from junheng.errors import StandardError
from junheng.standard import RESOURCE_KEYS, Standard, load_standard

STAGES = {"primary": "小学", "junior": "初中"}
PARTS = (
    ("resource", "资源配置"),
    ("guarantee", "政府保障程度"),
    ("quality", "教育质量"),
    ("recognition", "社会认可度"),
)
DISPLAY_VERSION = 1
"""Raised when the prepared layout changes, so older runs are prepared again on view."""


def standard_title(standard_id: str) -> str:
    """The standard's title, or its id when it can no longer be loaded."""
    try:
        return load_standard(standard_id).title
    except (StandardError, KeyError, OSError):
        return standard_id


def _state(value: bool | None) -> tuple[str, str]:
    if value is None:
        return "na", "未评估"
    return ("ok", "达标") if value else ("bad", "未达标")


def _parts(result: dict[str, Any]) -> list[dict[str, str]]:
    """申报资格, the four parts and 一票否决: a vetoed or ineligible county shows why."""
    elig = result.get("eligibility") or {}
    state, text = _state(elig.get("pass"))
    boxes = [{"label": "申报资格", "state": state, "text": text, "detail": elig.get("detail", "")}]
    for key, label in PARTS:
        state, text = _state((result.get(key) or {}).get("pass"))
        boxes.append({"label": label, "state": state, "text": text, "detail": ""})
    vetoes, unreported = result.get("vetoes") or [], result.get("vetoes_unreported") or []
    if vetoes:
        veto = {"state": "bad", "text": "存在", "detail": "、".join(vetoes)}
    elif unreported:
        veto = {"state": "na", "text": "未评估", "detail": "未填报：" + "、".join(unreported)}
    else:
        veto = {"state": "ok", "text": "无", "detail": ""}
    boxes.append({"label": "一票否决", **veto})
    return boxes


def _amount(value: float | None) -> str:
    """A gap: whole teachers or rooms without decimals, areas and money with two."""
    if value is not None and float(value).is_integer():
        return fmt(value, 0)
    return fmt(value)


def _row_html(s: dict[str, Any], std: Standard) -> str:
    below, floor = set(s["below_standard"]), set(s["below_floor"])
    cells = "".join(
        f'<td class="num{" floor" if k in floor else " below" if k in below else ""}">'
        f"{fmt(s['values'].get(k))}</td>"
        for k in RESOURCE_KEYS
    )
    gaps = "".join(
        f"<div>{escape(std.indicator(g['indicator']).short)}差{_amount(g['to_standard'])}"
        f"{escape(g['unit'])}（距85%底线差{_amount(g['to_floor'])}）</div>"
        for g in s["gaps"]
    )
    return (
        f'<tr class="{"ok" if s["pass"] else "fail"}"><td>{escape(s["name"])}</td>'
        f'<td>{STAGES.get(s["stage"], "")}</td><td class="num">{s["students"]}</td>{cells}'
        f'<td class="num">{s["met"]}/7</td><td>{"达标" if s["pass"] else "未达标"}</td>'
        f'<td class="gaps">{gaps}</td></tr>'
    )


def cv_chart(result: dict[str, Any], std: Standard) -> dict[str, Any]:
    """ECharts data: per stage, each indicator's CV (as printed) against the stage limit."""
    series = []
    for stage, st in result["resource"]["stages"].items():
        values = [st["cv"].get(k) for k in RESOURCE_KEYS]
        series.append({
            "name": STAGES.get(stage, stage), "limit": std.settings["cv_max"][stage],
            "data": [None if v is None else rounded(v, CV_DIGITS) for v in values],
            "labels": [cv(v) for v in values],
            "fails": [st["cv_pass"].get(k) is False for k in RESOURCE_KEYS],
        })  # fmt: skip
    return {
        "indicators": [std.indicator(k).short or std.indicator(k).title for k in RESOURCE_KEYS],
        "series": series,
    }


def build_display(result: dict[str, Any], std: Standard) -> dict[str, Any]:
    """Everything the county page shows of *result*, formatted, failing schools first."""
    schools = sorted(result["resource"]["schools"], key=lambda s: (bool(s["pass"]), s["code"]))
    failing = [s for s in schools if not s["pass"]]
    return {
        "version": DISPLAY_VERSION,
        "standard_title": std.title,
        "parts": _parts(result),
        "reasons": list(result.get("reasons") or []),
        "chart": cv_chart(result, std),
        "failing_html": "".join(_row_html(s, std) for s in failing),
        "passing_html": "".join(_row_html(s, std) for s in schools[len(failing) :]),
        "failing": len(failing),
        "passing": len(schools) - len(failing),
    }


def build_summary(result: dict[str, Any], std: Standard) -> dict[str, Any]:
    """The figures of a run the trend and the rankings show."""
    return {
        "reasons": len(result.get("reasons") or []),
        "standard_title": std.title,
        "cv": {
            stage: max((v for v in st["cv"].values() if v is not None), default=None)
            for stage, st in result["resource"]["stages"].items()
        },
    }
