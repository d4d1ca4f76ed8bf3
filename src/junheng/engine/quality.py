"""教育质量 (9 items, 表Ⅴ), 社会认可度 (表Ⅵ), eligibility, vetoes and local targets."""

from __future__ import annotations

import math

import polars as pl

from ..contract import COUNTY_BY_KEY, VETO_KEYS
from ..display import Comparison, quoted
from ..standard import LocalTarget, Standard
from .quality_texts import (
    LEVEL_NAMES,
    RECOGNITION_CHECKS,
    SUBJECTS,
    WARNINGS_COLUMN,
    binding_checks,
    cat,
    disabled_text,
    monitor_text,
    parent_share_min,
    recognition_text,
    retention_text,
    training_funds_text,
)
from .rules import (
    BLANK,
    Row,
    Rule,
    exact_verdicts,
    flag,
    ge,
    names,
    num,
    rate,
    share_ge,
    shown_at,
)
from .texts import quoted_e

c = pl.col


def _retention_parts() -> tuple[pl.Expr, pl.Expr]:
    return (
        c("graduates") - c("transfers_in") + c("transfers_out"),
        c("entrants") - c("deaths"),
    )


def _retention(s: Standard) -> pl.Expr:
    num_, den = _retention_parts()
    return share_ge(num_, den, s.param("retention", "min"), s)


def _retention_detail(r: Row, s: Standard) -> str:
    vals = [r.get(k) for k in ("graduates", "entrants", "transfers_in", "deaths", "transfers_out")]
    shown = BLANK + "%"
    if all(isinstance(v, int) for v in vals):
        g, e, ti, d, to = vals
        shown = rate(g - ti + to, e - d, s.param("retention", "min"), s)  # type: ignore[operator]
    return (
        f"全县初中毕业班学生数为{num(vals[0])}人，三年前该年级入学学生数为{num(vals[1])}人，"
        f"毕业年级三年转入学生数为{num(vals[2])}人，死亡学生数为{num(vals[3])}人，"
        f"转出学生数为{num(vals[4])}人，全县初中三年巩固率为{shown}"
    )


def _up(x: object) -> object:
    """A shortfall in whole 元, rounded up: 0.4 元 short still reads as 1 元, not 0."""
    return math.ceil(x - 1e-6) if isinstance(x, int | float) else x


def _disabled_detail(r: Row, s: Standard) -> str:
    enrolled, special = r.get("disabled_enrolled"), r.get("special_students_all")
    return (
        f"全县残疾儿童少年为{num(r.get('disabled_children'))}人，入学{num(enrolled)}人，"
        f"入学率为{rate(enrolled, r.get('disabled_children'), s.param('disabled_enrolment', 'min'), s)}。其中，在特殊教育学校就读"
        f"{num(special)}人，占比{rate(special, enrolled)}"
    )


def _training_funds_detail(r: Row, s: Standard) -> str:
    share = num(s.param("training_funds", "min") * 100)
    if r.get("training_fail_count"):
        return (
            f"教师培训经费低于公用经费预算{share}%的学校{r['training_fail_count']}所："
            f"{names(r.get('training_fail_names'))}；合计差额{num(_up(r.get('training_short_sum')))}元"
        )
    if r.get("training_fund_missing"):
        return f"{r['training_fund_missing']}所学校未填报公用经费预算或教师培训经费预算"
    return f"所有学校教师培训经费均不低于公用经费预算的{share}%"


def _monitor(s: Standard) -> pl.Expr:
    p = s.indicator("quality_monitoring").params
    diff = shown_at(c("monitor_diff"), 3, s)
    return ge(c("monitor_level"), p["min_level"]) & (diff < p["diff_max"])


def _monitor_detail(r: Row, s: Standard) -> str:
    level = LEVEL_NAMES.get(r.get("monitor_level") or 0, "＿＿")
    diff = r.get("monitor_diff")
    p = s.indicator("quality_monitoring").params
    shown = (
        quoted(diff, "<", p["diff_max"], 3, judged_exact=exact_verdicts(s))
        if isinstance(diff, float | int) else BLANK
    )  # fmt: skip
    return f"{SUBJECTS}各科目最低等级{level}级，最大校际差异率{shown}"


QUALITY: tuple[Rule, ...] = (
    Rule("retention", _retention, _retention_detail,
         ("graduates", "entrants", "transfers_in", "transfers_out", "deaths"), retention_text),
    Rule("disabled_enrolment",
         lambda s: share_ge(c("disabled_enrolled"), c("disabled_children"), s.param("disabled_enrolment", "min"), s),
         _disabled_detail, ("disabled_children", "disabled_enrolled"), disabled_text),
    flag("charter_it", "charter_it"),
    Rule("training_funds", lambda s: ~c("training_fail_any"), _training_funds_detail,
         ("training_fund_missing",), training_funds_text),
    flag("it_teaching", "it_teaching"),
    flag("moral_culture", "moral_culture"),
    flag("curriculum", "curriculum"),
    flag("no_overload", "no_overload"),
    Rule("quality_monitoring", _monitor, _monitor_detail, ("monitor_level", "monitor_diff"), monitor_text),
)  # fmt: skip


def sample_needed(s: Standard) -> pl.Expr:
    """Questionnaires the sampling rule asks for, from the resident population (万人)."""
    p = s.indicator("social_recognition").params
    by_share = c("population") * 10_000 * p["sample_per_mille"] / 1000
    return (
        pl.when(c("population") < p["small_population"])
        .then(pl.max_horizontal(by_share, pl.lit(p["sample_min"])))
        .otherwise(by_share)
        .ceil()
    )


def _design(s: Standard) -> dict[str, pl.Expr]:
    """Each design check: True met, False short, null unknown."""
    p = s.indicator("social_recognition").params
    return {
        "sample": ge(c("survey_total"), sample_needed(s)),
        "parents": ge(c("parent_survey_valid"), c("survey_valid") * parent_share_min(s)),
        "valid": ge(c("survey_valid"), c("survey_total") * p["valid_min"]),
    }


def _recognition(s: Standard) -> pl.Expr:
    p = s.indicator("social_recognition").params
    # the questionnaire rate decides; field visits, where reported, must reach it too
    visits = (
        pl.when(c("visits").fill_null(0) == 0)
        .then(True)
        .otherwise(share_ge(c("visits_satisfied"), c("visits"), p["min"], s))
    )
    verdict = share_ge(c("survey_satisfied"), c("survey_valid"), p["min"], s) & visits
    design = _design(s)
    for key in binding_checks(s):
        verdict = verdict & design[key]
    return verdict


def recognition_design(s: Standard) -> list[pl.Expr]:
    """Frame columns ``design_<check>`` the warnings are read from."""
    return [e.alias(f"design_{k}") for k, e in _design(s).items()]


def recognition_warnings(r: Row, s: Standard) -> list[str]:
    """Shortfalls in sample size, parent share and valid returns, shown beside the rate."""
    p = s.indicator("social_recognition").params
    binding = binding_checks(s)
    total, valid = r.get("survey_total"), r.get("survey_valid")
    parents = r.get("parent_survey_valid")
    texts = {
        "sample": f"问卷总数{num(total)}份，少于按常住人口应抽取的{num(r.get('sample_needed'))}份",
        "parents": f"家长有效问卷{num(parents)}份，占有效问卷的{rate(parents, valid, parent_share_min(s), s)}，"
        f"低于{num(parent_share_min(s) * 100)}%",
        "valid": f"有效回收率{rate(valid, total, p['valid_min'], s)}，低于{num(p['valid_min'] * 100)}%",
    }
    out = []
    for key in RECOGNITION_CHECKS:
        if r.get(f"design_{key}") is False:
            kind = "（按本标准为必须达到的要求）" if key in binding else ""
            out.append(texts[key] + kind)
    return out


def _rate(a: object, b: object) -> float | None:
    if isinstance(a, int | float) and isinstance(b, int | float) and b:
        return float(a) / float(b)
    return None


def recognition_figures(r: Row, s: Standard) -> dict[str, object]:
    """The JSON figures of 社会认可度 beside its verdict: the rates (unrounded), the design
    warnings, and the raw counts 申报表 表Ⅵ shows, for everyone and for parents alone."""
    counts = ("survey_total", "survey_valid", "survey_satisfied", "visits", "visits_satisfied",
              "parent_survey_total", "parent_survey_valid", "parent_survey_satisfied",
              "parent_visits", "parent_visits_satisfied")  # fmt: skip
    return {
        "questionnaire_rate": _rate(r.get("survey_satisfied"), r.get("survey_valid")),
        "visit_rate": _rate(r.get("visits_satisfied"), r.get("visits")),
        "sample_needed": r.get("sample_needed"),
        "threshold": s.param("social_recognition", "min"),
        "warnings": r[WARNINGS_COLUMN] if WARNINGS_COLUMN in r else recognition_warnings(r, s),
        "parents_questionnaire_rate": _rate(
            r.get("parent_survey_satisfied"), r.get("parent_survey_valid")
        ),
        "parents_visit_rate": _rate(r.get("parent_visits_satisfied"), r.get("parent_visits")),
        **{k: r.get(k) for k in counts},
    }


def _recognition_detail(r: Row, s: Standard) -> str:
    p = s.indicator("social_recognition").params
    text = (
        f"问卷总数{num(r.get('survey_total'))}份，回收有效问卷{num(r.get('survey_valid'))}份，"
        f"其中满意{num(r.get('survey_satisfied'))}份，问卷调查综合满意度"
        f"{rate(r.get('survey_satisfied'), r.get('survey_valid'), p['min'], s)}"
    )
    if r.get("visits"):
        text += (
            f"；实地走访{num(r.get('visits'))}人，满意{num(r.get('visits_satisfied'))}人，"
            f"实地走访满意度{rate(r.get('visits_satisfied'), r.get('visits'), p['min'], s)}"
        )
    warnings = recognition_warnings(r, s)
    if warnings:
        text += "；提示：" + "；".join(warnings)
    return text


RECOGNITION = Rule(
    "social_recognition", _recognition, _recognition_detail,
    ("survey_total", "survey_valid", "survey_satisfied"), recognition_text,
)  # fmt: skip


def eligibility(s: Standard) -> pl.Expr:
    """Basic balance recognised long enough before, and its annual monitoring kept good."""
    years = ge(c("year") - c("basic_year"), float(s.settings["basic_balance_years"]))
    return years & c("basic_monitoring_good")


VETO_TITLES = {k: COUNTY_BY_KEY[k].header for k in VETO_KEYS}


def vetoes(r: Row) -> list[str]:
    return [title for key, title in VETO_TITLES.items() if r.get(key) is True]


def _compare(e: pl.Expr, op: str, value: float) -> pl.Expr:
    if op == ">=":
        return ge(e, value)
    if op == "<=":
        return e <= value + 1e-9
    if op == ">":
        return e > value
    if op == "<":
        return e < value
    raise ValueError(f"本地目标的比较符“{op}”无效，应为 >=、<=、>、<")


def _local_rule(t: LocalTarget) -> Rule:
    col = f"local_{t.key}"

    def expr(s: Standard) -> pl.Expr:
        return _compare(shown_at(c(col), 2, s), t.comparison, t.threshold)

    def detail(r: Row, s: Standard) -> str:
        raw, thr = r.get(col), num(t.threshold, 1)
        value = BLANK
        if isinstance(raw, int | float):
            op: Comparison = t.comparison  # type: ignore[assignment]
            value = quoted(float(raw), op, t.threshold, 2, judged_exact=exact_verdicts(s))
        sign = {">=": "≥", "<=": "≤"}.get(t.comparison, t.comparison)
        return f"{t.title}{value}{t.unit}（本地目标{sign}{thr}{t.unit}）"

    def text(s: Standard) -> pl.Expr:
        op: Comparison = t.comparison  # type: ignore[assignment]
        value = pl.when(c(col).is_not_null()).then(quoted_e(c(col), op, t.threshold, 2, judged_exact=exact_verdicts(s))).otherwise(pl.lit(BLANK))  # fmt: skip
        sign = {">=": "≥", "<=": "≤"}.get(t.comparison, t.comparison)
        return cat(t.title, value, f"{t.unit}（本地目标{sign}{num(t.threshold, 1)}{t.unit}）")

    return Rule(t.key, expr, detail, (col,), text)


def local_rules(s: Standard) -> tuple[Rule, ...]:
    return tuple(_local_rule(t) for t in s.local_targets)
