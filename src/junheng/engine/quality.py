"""教育质量 (9 items, 表Ⅴ), 社会认可度 (表Ⅵ), eligibility, vetoes and local targets."""

from __future__ import annotations

import polars as pl

from ..contract import COUNTY_BY_KEY, VETO_KEYS
from ..standard import LocalTarget, Standard
from .rules import Row, Rule, flag, ge, names, num, pct

c = pl.col

_SUBJECTS = "语文、数学、科学、体育、艺术、德育"
_LEVEL = {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ", 4: "Ⅳ"}


def _retention_parts() -> tuple[pl.Expr, pl.Expr]:
    return (
        c("graduates") - c("transfers_in") + c("transfers_out"),
        c("entrants") - c("deaths"),
    )


def _retention(s: Standard) -> pl.Expr:
    num_, den = _retention_parts()
    return ge(num_, den * s.param("retention", "min"))


def _retention_detail(r: Row, s: Standard) -> str:
    vals = [r.get(k) for k in ("graduates", "entrants", "transfers_in", "deaths", "transfers_out")]
    rate = "＿＿"
    if all(isinstance(v, int) for v in vals):
        g, e, ti, d, to = vals
        rate = pct(g - ti + to, e - d)  # type: ignore[operator]
    return (
        f"全县初中毕业班学生数为{num(vals[0])}人，三年前该年级入学学生数为{num(vals[1])}人，"
        f"毕业年级三年转入学生数为{num(vals[2])}人，死亡学生数为{num(vals[3])}人，"
        f"转出学生数为{num(vals[4])}人，全县初中三年巩固率为{rate}%"
    )


def _disabled_detail(r: Row, s: Standard) -> str:
    enrolled, special = r.get("disabled_enrolled"), r.get("special_students_all")
    return (
        f"全县残疾儿童少年为{num(r.get('disabled_children'))}人，入学{num(enrolled)}人，"
        f"入学率为{pct(enrolled, r.get('disabled_children'))}%。其中，在特殊教育学校就读"
        f"{num(special)}人，占比{pct(special, enrolled)}%"
    )


def _training_funds_detail(r: Row, s: Standard) -> str:
    share = num(s.param("training_funds", "min") * 100)
    if r.get("training_fail_count"):
        return (
            f"教师培训经费低于公用经费预算{share}%的学校{r['training_fail_count']}所："
            f"{names(r.get('training_fail_names'))}；合计差额{num(r.get('training_short_sum'))}元"
        )
    if r.get("training_fund_missing"):
        return f"{r['training_fund_missing']}所学校未填报公用经费预算或教师培训经费预算"
    return f"所有学校教师培训经费均不低于公用经费预算的{share}%"


def _monitor(s: Standard) -> pl.Expr:
    p = s.indicator("quality_monitoring").params
    return ge(c("monitor_level"), p["min_level"]) & (c("monitor_diff") < p["diff_max"])


def _monitor_detail(r: Row, s: Standard) -> str:
    level = _LEVEL.get(r.get("monitor_level") or 0, "＿＿")
    return f"{_SUBJECTS}各科目最低等级{level}级，最大校际差异率{num(r.get('monitor_diff'), 3)}"


QUALITY: tuple[Rule, ...] = (
    Rule("retention", _retention, _retention_detail,
         ("graduates", "entrants", "transfers_in", "transfers_out", "deaths")),
    Rule("disabled_enrolment",
         lambda s: ge(c("disabled_enrolled"), c("disabled_children") * s.param("disabled_enrolment", "min")),
         _disabled_detail, ("disabled_children", "disabled_enrolled")),
    flag("charter_it", "charter_it"),
    Rule("training_funds", lambda s: ~c("training_fail_any"), _training_funds_detail,
         ("training_fund_missing",)),
    flag("it_teaching", "it_teaching"),
    flag("moral_culture", "moral_culture"),
    flag("curriculum", "curriculum"),
    flag("no_overload", "no_overload"),
    Rule("quality_monitoring", _monitor, _monitor_detail, ("monitor_level", "monitor_diff")),
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


def _recognition(s: Standard) -> pl.Expr:
    p = s.indicator("social_recognition").params
    rates = ge(c("survey_satisfied"), c("survey_valid") * p["min"]) & ge(
        c("visits_satisfied"), c("visits") * p["min"]
    )
    valid = ge(c("survey_valid"), c("survey_total") * p["valid_min"])
    sample = ge(c("survey_total"), sample_needed(s)).fill_null(True)
    return rates & valid & sample


def _recognition_detail(r: Row, s: Standard) -> str:
    p = s.indicator("social_recognition").params
    text = (
        f"问卷总数{num(r.get('survey_total'))}份，回收有效问卷{num(r.get('survey_valid'))}份，"
        f"其中满意{num(r.get('survey_satisfied'))}份，问卷调查综合满意度"
        f"{pct(r.get('survey_satisfied'), r.get('survey_valid'))}%；实地走访{num(r.get('visits'))}人，"
        f"满意{num(r.get('visits_satisfied'))}人，实地走访满意度"
        f"{pct(r.get('visits_satisfied'), r.get('visits'))}%"
    )
    need, total, valid = r.get("sample_needed"), r.get("survey_total"), r.get("survey_valid")
    if isinstance(need, float | int) and isinstance(total, int) and total < need:
        text += f"；样本量不足（按常住人口应不少于{num(need)}份）"
    if (
        isinstance(total, int)
        and isinstance(valid, int)
        and total
        and valid < total * p["valid_min"]
    ):
        text += f"；有效回收率{pct(valid, total)}%，低于{num(p['valid_min'] * 100)}%"
    return text


RECOGNITION = Rule(
    "social_recognition", _recognition, _recognition_detail,
    ("survey_total", "survey_valid", "survey_satisfied", "visits", "visits_satisfied"),
)  # fmt: skip


def eligibility(s: Standard) -> pl.Expr:
    return ge(c("year") - c("basic_year"), float(s.settings["basic_balance_years"]))


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

    def expr(_s: Standard) -> pl.Expr:
        return _compare(c(col), t.comparison, t.threshold)

    def detail(r: Row, _s: Standard) -> str:
        value, thr = num(r.get(col), 2), num(t.threshold, 1)
        sign = {">=": "≥", "<=": "≤"}.get(t.comparison, t.comparison)
        return f"{t.title}{value}{t.unit}（本地目标{sign}{thr}{t.unit}）"

    return Rule(t.key, expr, detail, (col,))


def local_rules(s: Standard) -> tuple[Rule, ...]:
    return tuple(_local_rule(t) for t in s.local_targets)
