"""The detail lines of the quality items (表Ⅴ), 社会认可度 and its survey warnings as Polars
expressions over the county frame: for every county at once, the same text as the one-row
Python details beside the rules in :mod:`junheng.engine.quality`."""

from __future__ import annotations

import polars as pl

from ..standard import Standard
from .rules import BLANK, exact_verdicts, num
from .texts import names_e, num_e, positive, quoted_e, rate_e

c = pl.col

L = pl.lit


def cat(*parts: str | pl.Expr) -> pl.Expr:
    return pl.concat_str([L(p) if isinstance(p, str) else p for p in parts])


SUBJECTS = "语文、数学、科学、体育、艺术、德育"

LEVEL_NAMES = {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ", 4: "Ⅳ"}

RECOGNITION_CHECKS = ("sample", "parents", "valid")
"""Shortfalls of the survey design: warnings, unless a standard lists them in
``recognition_binding``."""


def binding_checks(s: Standard) -> tuple[str, ...]:
    # checked against RECOGNITION_CHECKS when the standard is loaded
    return tuple(s.settings.get("recognition_binding", ()))


def parent_share_min(s: Standard) -> float:
    """Parents' share of valid questionnaires the survey design asks for (in principle)."""
    return float(s.settings.get("survey", {}).get("parent_share_min", 0.5))


def retention_text(s: Standard) -> pl.Expr:
    g, e, ti, d, to = (
        c(k) for k in ("graduates", "entrants", "transfers_in", "deaths", "transfers_out")
    )
    return cat(
        "全县初中毕业班学生数为", num_e(g), "人，三年前该年级入学学生数为", num_e(e), "人，毕业年级三年转入学生数为",
        num_e(ti), "人，死亡学生数为", num_e(d), "人，转出学生数为", num_e(to), "人，全县初中三年巩固率为",
        rate_e(g - ti + to, e - d, s.param("retention", "min"), exact_verdicts(s)),
    )  # fmt: skip


def disabled_text(s: Standard) -> pl.Expr:
    enrolled, special, children = (
        c("disabled_enrolled"),
        c("special_students_all"),
        c("disabled_children"),
    )
    return cat(
        "全县残疾儿童少年为", num_e(children), "人，入学", num_e(enrolled), "人，入学率为",
        rate_e(enrolled, children, s.param("disabled_enrolment", "min"), exact_verdicts(s)),
        "。其中，在特殊教育学校就读", num_e(special), "人，占比", rate_e(special, enrolled),
    )  # fmt: skip


def training_funds_text(s: Standard) -> pl.Expr:
    share = num(s.param("training_funds", "min") * 100)
    short = c("training_short_sum")
    up = pl.when(short.is_not_null()).then((short - 1e-6).ceil().cast(pl.Int64).cast(pl.String)).otherwise(pl.lit(BLANK))  # fmt: skip
    return (
        pl.when(positive(c("training_fail_count")))
        .then(cat(f"教师培训经费低于公用经费预算{share}%的学校", c("training_fail_count").cast(pl.String), "所：",
                   names_e(c("training_fail_names")), "；合计差额", up, "元"))
        .when(positive(c("training_fund_missing")))
        .then(cat(c("training_fund_missing").cast(pl.String), "所学校未填报公用经费预算或教师培训经费预算"))
        .otherwise(L(f"所有学校教师培训经费均不低于公用经费预算的{share}%"))
    )  # fmt: skip


def monitor_text(s: Standard) -> pl.Expr:
    p = s.indicator("quality_monitoring").params
    level = (
        c("monitor_level")
        .replace_strict(LEVEL_NAMES, default=None, return_dtype=pl.String)
        .fill_null(BLANK)
    )
    diff = c("monitor_diff")
    shown = pl.when(diff.is_not_null()).then(quoted_e(diff, "<", p["diff_max"], 3, judged_exact=exact_verdicts(s))).otherwise(pl.lit(BLANK))  # fmt: skip
    return cat(f"{SUBJECTS}各科目最低等级", level, "级，最大校际差异率", shown)


WARNINGS_COLUMN = "text__recognition_warnings"
"""County frame column of :func:`recognition_warnings` for every county, where written."""


def warnings_expr(s: Standard) -> pl.Expr:
    """:func:`recognition_warnings` of every county, as a list column."""
    p, judged, binding = (
        s.indicator("social_recognition").params,
        exact_verdicts(s),
        binding_checks(s),
    )
    total, valid, parents = c("survey_total"), c("survey_valid"), c("parent_survey_valid")
    texts = {
        "sample": cat("问卷总数", num_e(total), "份，少于按常住人口应抽取的", num_e(c("sample_needed")), "份"),
        "parents": cat("家长有效问卷", num_e(parents), "份，占有效问卷的",
                        rate_e(parents, valid, parent_share_min(s), judged), f"，低于{num(parent_share_min(s) * 100)}%"),
        "valid": cat("有效回收率", rate_e(valid, total, p["valid_min"], judged), f"，低于{num(p['valid_min'] * 100)}%"),
    }  # fmt: skip
    kind = "（按本标准为必须达到的要求）"
    return pl.concat_list(
        [pl.when(c(f"design_{k}").eq_missing(False)).then(cat(texts[k], kind if k in binding else ""))
         for k in RECOGNITION_CHECKS]
    ).list.drop_nulls()  # fmt: skip


def _warnings_text(s: Standard) -> pl.Expr:
    """:func:`recognition_warnings` joined with "；", "" where there is none."""
    return warnings_expr(s).list.join("；")


def recognition_text(s: Standard) -> pl.Expr:
    p, judged = s.indicator("social_recognition").params, exact_verdicts(s)
    warnings = _warnings_text(s)
    return cat(
        "问卷总数", num_e(c("survey_total")), "份，回收有效问卷", num_e(c("survey_valid")), "份，其中满意",
        num_e(c("survey_satisfied")), "份，问卷调查综合满意度",
        rate_e(c("survey_satisfied"), c("survey_valid"), p["min"], judged),
        pl.when(positive(c("visits"))).then(cat(
            "；实地走访", num_e(c("visits")), "人，满意", num_e(c("visits_satisfied")), "人，实地走访满意度",
            rate_e(c("visits_satisfied"), c("visits"), p["min"], judged))).otherwise(L("")),
        pl.when(warnings != "").then(cat("；提示：", warnings)).otherwise(L("")),
    )  # fmt: skip
