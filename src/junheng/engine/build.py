"""Turning the engine's frames into typed, per-county results with Chinese reasons."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import polars as pl

from ..contract import SCHOOL_TYPES, STAGE_NAMES
from ..results import (
    CountyResult,
    Driver,
    Evaluation,
    Gap,
    ItemResult,
    PartResult,
    ResourceResult,
    SchoolResult,
    StageResult,
)
from ..standard import RESOURCE_KEYS, Standard
from .evaluation import FAILING_SHOWN, CountyFrames, Lazy, LazyCounties
from .frames import Frames, item_column, rules_by_part
from .quality import VETO_TITLES, vetoes
from .rules import Row, Rule, is_missing, label, num

_TYPE_TITLES = {code: name for name, code in SCHOOL_TYPES.items()}


SCHOOL_COLS = ("code", "name", "stage", "type", "sponsor", "students", "classes", "met", "passed",
               *RESOURCE_KEYS, *(f"{p}_{k}" for p in ("met", "floor", "gap", "gap85")
                                 for k in RESOURCE_KEYS))  # fmt: skip
"""Columns of the long frame a typed school is built from, in the order _schools reads them."""


def _schools(frame: pl.DataFrame, standard: Standard) -> list[SchoolResult]:
    """Typed schools from rows of the long frame (tuples by position, not a dict per row:
    this runs for every school a caller reads)."""
    n = len(RESOURCE_KEYS)
    units = [standard.indicator(k).gap_unit for k in RESOURCE_KEYS]
    out = []
    for r in frame.select(SCHOOL_COLS).iter_rows():
        values, met, floor = r[9 : 9 + n], r[9 + n : 9 + 2 * n], r[9 + 2 * n : 9 + 3 * n]
        gap, gap85 = r[9 + 3 * n : 9 + 4 * n], r[9 + 4 * n :]
        below = [i for i in range(n) if not met[i]]
        out.append(SchoolResult(
            code=r[0], name=r[1], stage=r[2], type=r[3], sponsor=r[4], students=r[5],
            classes=r[6], values=dict(zip(RESOURCE_KEYS, values, strict=True)), met=r[7],
            passed=bool(r[8]), below_standard=[RESOURCE_KEYS[i] for i in below],
            below_floor=[k for k, ok in zip(RESOURCE_KEYS, floor, strict=True) if not ok],
            gaps=[Gap(RESOURCE_KEYS[i], units[i], gap[i], gap85[i]) for i in below],
        ))  # fmt: skip
    return out


def _stage(row: Row, drivers: list[dict[str, Any]]) -> StageResult:
    by_ind: dict[str, list[Driver]] = defaultdict(list)
    for d in drivers:
        if d["stage"] == row["stage"] and not row[f"cv_pass_{d['indicator']}"]:
            by_ind[d["indicator"]].append(
                Driver(d["code"], d["name"], d["students"], d["value"], d["contribution"])
            )
    return StageResult(
        stage=row["stage"],
        schools=row["schools"],
        schools_passing=row["schools_passing"],
        students=row["students"],
        mean={k: row[f"mean_{k}"] for k in RESOURCE_KEYS},
        cv={k: row[f"cv_{k}"] for k in RESOURCE_KEYS},
        cv_pass={k: bool(row[f"cv_pass_{k}"]) for k in RESOURCE_KEYS},
        schools_meeting={k: row[f"met_count_{k}"] for k in RESOURCE_KEYS},
        drivers=dict(by_ind),
    )


def _items(part: str, rules: tuple[Rule, ...], row: Row, standard: Standard) -> list[ItemResult]:
    items = []
    for i, rule in enumerate(rules, start=1):
        if part == "local":
            target = next(t for t in standard.local_targets if t.key == rule.key)
            no, title = i, target.title
            labels = {f"local_{t.key}": f"区县表“{t.column}”未填报" for t in standard.local_targets}
        else:
            ind = standard.indicator(rule.key)
            no, title, labels = ind.no, ind.title, {}
        verdict = row[item_column(part, rule.key)]
        missing = []
        if verdict is None:
            missing = [labels.get(n, label(n)) for n in rule.needs if is_missing(n, row.get(n))]
        items.append(
            ItemResult(part, no, rule.key, title, verdict, rule.detail(row, standard), missing)
        )
    return items


def _resource_reasons(res: ResourceResult, standard: Standard) -> list[str]:
    if res.passed is None:
        return ["资源配置未评估：没有参与资源配置评估的学校数据"]
    out = []
    cv_max = standard.settings["cv_max"]
    for stage, st in res.stages.items():
        sname = STAGE_NAMES[stage]
        n_failing, first = res.failing(stage, FAILING_SHOWN)
        if n_failing:
            shown = "、".join(_why_school(s, standard) for s in first)
            more = f"等{n_failing}所" if n_failing > FAILING_SHOWN else ""
            out.append(
                f"{sname}有{n_failing}所学校资源配置未达到“至少6项达标、其余不低于85%”：{shown}{more}"
            )
        for k in RESOURCE_KEYS:
            if not st.cv_pass[k]:
                title = standard.indicator(k).title
                cv = st.cv[k]
                shown = "无法计算（全县均值为0）" if cv is None else f"{cv:.3f}"
                out.append(f"{sname}“{title}”校际差异系数{shown}，未达到≤{cv_max[stage]:.2f}的要求")
    return out


def _why_school(s: SchoolResult, standard: Standard) -> str:
    """A failing school and what keeps it from passing, e.g.
    某小学（5项达标；未达标：骨干教师、仪器设备，其中低于85%：仪器设备）."""
    short = standard.indicator
    below = "、".join(short(k).short for k in s.below_standard)
    low = "、".join(short(k).short for k in s.below_floor)
    return (
        f"{s.name}（{s.met}项达标；未达标：{below}"
        + (f"，其中低于85%：{low}" if low else "")
        + "）"
    )


def _part_reasons(part: PartResult) -> list[str]:
    out = []
    for it in part.items:
        where = f"{part.title}第{it.no}项“{it.title}”"
        if it.passed is False:
            out.append(f"{where}未达标：{it.detail}")
        elif it.passed is None:
            out.append(f"{where}未评估：{'；'.join(it.missing) or '数据不全'}")
    return out


def _excluded(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"code": e["code"], "name": e["name"], "type": _TYPE_TITLES[e["type"]]} for e in rows]


def _county(row: Row, std: Standard, stages: list[dict[str, Any]],
            drivers: list[dict[str, Any]], schools: Sequence[SchoolResult],
            checks: Sequence[dict[str, Any]], excluded: Sequence[dict[str, Any]],
            parts: dict[str, tuple[Rule, ...]],
            failing: Callable[[str, int], tuple[int, list[SchoolResult]]] | None = None,
            ) -> CountyResult:  # fmt: skip
    res_pass = row["resource_pass"]
    resource = ResourceResult(
        passed=None if res_pass is None else bool(res_pass),
        stages={s["stage"]: _stage(s, drivers) for s in stages},
        schools=schools,
        excluded=excluded,
        failing_first=failing,
    )
    built = {
        p: PartResult(p, row[f"{p}_pass"], _items(p, rules, row, std)) for p, rules in parts.items()
    }
    rec = built["recognition"]
    p = std.indicator("social_recognition").params
    rec.figures.update(
        questionnaire_rate=_rate(row.get("survey_satisfied"), row.get("survey_valid")),
        visit_rate=_rate(row.get("visits_satisfied"), row.get("visits")),
        sample_needed=row.get("sample_needed"),
        threshold=p["min"],
        # the raw counts, so 申报表 表Ⅵ can show them beside the rates
        survey_total=row.get("survey_total"),
        survey_valid=row.get("survey_valid"),
        survey_satisfied=row.get("survey_satisfied"),
        visits=row.get("visits"),
        visits_satisfied=row.get("visits_satisfied"),
    )
    elig_detail = (
        f"基本均衡认定年份{num(row.get('basic_year'))}年，评估年度{num(row.get('year'))}年"
        f"（须满{num(std.settings['basic_balance_years'])}年）"
    )
    eligible = row["eligible"]
    years = num(std.settings["basic_balance_years"])
    eligibility = ItemResult("eligibility", 1, "basic_balance", f"通过基本均衡认定满{years}年", eligible,
                             elig_detail, [] if eligible is not None else ["区县表“基本均衡认定年份”或“评估年度”未填报"])  # fmt: skip
    veto = vetoes(row)
    reasons = _resource_reasons(resource, std)
    for part in ("guarantee", "quality", "recognition"):
        reasons += _part_reasons(built[part])
    binding = {t.key for t in std.local_targets if t.binding}
    reasons += [r for it in built["local"].items if it.key in binding
                for r in _part_reasons(PartResult("local", None, [it]))]  # fmt: skip
    reasons += [f"存在一票否决情形：{v}" for v in veto]
    unreported = [title for key, title in VETO_TITLES.items() if row.get(key) is None]
    if unreported:
        reasons.append(f"一票否决事项未填报（须逐项填“是”或“否”）：{'、'.join(unreported)}")
    notes: list[str] = []
    if eligible is False:
        reasons.append(f"不具备申报资格：{elig_detail}")
    elif eligible is None:
        reasons.append("申报资格未审查：区县表“基本均衡认定年份”或“评估年度”未填报")
    notes += [f"本地目标（不作认定依据）{it.title}：{it.detail}" for it in built["local"].items
              if it.key not in binding]  # fmt: skip
    return CountyResult(
        code=row["county_code"], name=row["county_name"], city=row.get("city"),
        province=row.get("province"), year=row.get("year"), recognised=bool(row["recognised"]),
        reasons=reasons, notes=notes, resource=resource, guarantee=built["guarantee"],
        quality=built["quality"], recognition=rec, local=built["local"], eligibility=eligibility,
        vetoes=veto, vetoes_unreported=unreported, school_checks=checks,
    )  # fmt: skip


def _rate(a: object, b: object) -> float | None:
    if isinstance(a, int | float) and isinstance(b, int | float) and b:
        return float(a) / float(b)
    return None


def build_evaluation(fr: Frames, source: str = "") -> Evaluation:
    """The typed results of every county, each built when first read; the JSON straight from
    the frames."""
    std = fr.standard
    parts = rules_by_part(std)
    split = CountyFrames(fr, lambda frame: _schools(frame, std))

    def county(i: int) -> CountyResult:
        row = split.rows[i]
        code = row["county_code"]
        return _county(
            row, std, split.stages.get(code, []), split.drivers.get(code, []),
            Lazy(lambda: split.schools(code)), Lazy(lambda: split.checks(code)),
            Lazy(lambda: _excluded(split.excluded(code))), parts, split.failing(code),
        )  # fmt: skip

    counties = LazyCounties(split, county)

    def chunks() -> Iterator[bytes]:
        from .jsonout import evaluation_json

        return evaluation_json(fr, counties, source)

    return Evaluation(std, counties, source, chunks)
