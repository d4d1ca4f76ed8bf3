"""Survey results: the figures of 申报表 表Ⅵ, the rates by group, area, school and question, and
the warnings of the national design.

A questionnaire is valid when its 总体满意度 question is answered (not 不了解) and no more than
``max_blank`` other questions are left blank; it counts as satisfied by its overall answer (满意
or 比较满意; 一般 as the ``neutral_counts`` setting says). Question rates leave 不了解 out of the
denominator, so a question few people can judge is not read as disliked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from junheng.display import percent
from junheng.standard import Standard
from junheng.survey.questionnaire import GROUPS, Questionnaire

RESPONSE_SCHEMA: dict[str, Any] = {
    "questionnaire": pl.String,
    "group": pl.String,
    "area": pl.String,
    "school_code": pl.String,
    "question": pl.String,
    "answer": pl.String,
}
"""One row per answer; a questionnaire is the set of rows sharing its id."""


@dataclass(frozen=True, slots=True)
class Visits:
    visited: int = 0
    satisfied: int = 0
    parents_visited: int = 0
    parents_satisfied: int = 0


@dataclass(frozen=True, slots=True)
class Warning:
    type: str
    title: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"type": self.type, "title": self.title, "message": self.message}


@dataclass(frozen=True, slots=True)
class SurveyResult:
    collected: int
    valid: int
    satisfied: int
    scored: int
    parents: dict[str, int]
    visits: Visits
    by_group: pl.DataFrame
    by_area: pl.DataFrame
    by_school: pl.DataFrame
    questions: pl.DataFrame
    """Weakest first."""
    warnings: list[Warning] = field(default_factory=list)
    threshold: float = 0.85

    @property
    def rate(self) -> float | None:
        return self.satisfied / self.scored if self.scored else None

    @property
    def valid_rate(self) -> float | None:
        return self.valid / self.collected if self.collected else None

    @property
    def visit_rate(self) -> float | None:
        v = self.visits
        return v.satisfied / v.visited if v.visited else None

    @property
    def passes(self) -> bool:
        rate, visits = self.rate, self.visit_rate
        return (
            rate is not None
            and rate >= self.threshold
            and (visits is None or visits >= self.threshold)
        )

    def table6(self) -> dict[str, int]:
        """The 区县 sheet's recognition figures, as 表Ⅵ asks for them."""
        v = self.visits
        return {
            "survey_total": self.collected,
            "survey_valid": self.valid,
            "survey_satisfied": self.satisfied,
            "parent_survey_total": self.parents["collected"],
            "parent_survey_valid": self.parents["valid"],
            "parent_survey_satisfied": self.parents["satisfied"],
            "visits": v.visited,
            "visits_satisfied": v.satisfied,
            "parent_visits": v.parents_visited,
            "parent_visits_satisfied": v.parents_satisfied,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "table6": self.table6(),
            "rate": self.rate,
            "valid_rate": self.valid_rate,
            "visit_rate": self.visit_rate,
            "passes": self.passes,
            "by_group": self.by_group.to_dicts(),
            "by_area": self.by_area.to_dicts(),
            "by_school": self.by_school.to_dicts(),
            "questions": self.questions.to_dicts(),
            "warnings": [w.to_dict() for w in self.warnings],
        }


def _counts_of(answer: pl.Expr, questionnaire: Questionnaire) -> pl.Expr:
    mapping = {o.key: o.counts for o in questionnaire.options}
    mapping |= {o.label: o.counts for o in questionnaire.options}
    return answer.str.strip_chars().replace_strict(mapping, default=None, return_dtype=pl.String)


def _scored(counts: pl.Expr, neutral: str) -> tuple[pl.Expr, pl.Expr]:
    """(is in the denominator, is satisfied) for one answer."""
    in_denominator = counts.is_in(["satisfied", "unsatisfied"]) | (
        (counts == "neutral") & pl.lit(neutral != "excluded")
    )
    satisfied = (counts == "satisfied") | ((counts == "neutral") & pl.lit(neutral == "satisfied"))
    return in_denominator, satisfied


def _rates(frame: pl.DataFrame, by: str) -> pl.DataFrame:
    return (
        frame.group_by(by)
        .agg(
            collected=pl.len(),
            valid=pl.col("valid").sum(),
            satisfied=pl.col("satisfied").sum(),
            scored=pl.col("scored").sum(),
        )
        .with_columns(
            rate=pl.when(pl.col("scored") > 0).then(pl.col("satisfied") / pl.col("scored"))
        )
        .sort(by)
    )


def survey_result(
    responses: pl.DataFrame,
    questionnaire: Questionnaire,
    standard: Standard,
    visits: Visits | None = None,
    planned_total: int | None = None,
) -> SurveyResult:
    settings: dict[str, Any] = standard.settings["survey"]
    neutral = str(settings.get("neutral_counts", "unsatisfied"))
    max_blank = int(settings.get("max_blank", 0))
    overall_id = questionnaire.overall.id

    answers = responses.with_columns(counts=_counts_of(pl.col("answer"), questionnaire))
    asked = pl.DataFrame(
        {
            "group": list(GROUPS),
            "asked": [len(questionnaire.for_group(g)) for g in GROUPS],
        }
    )
    in_denominator, is_satisfied = _scored(pl.col("overall"), neutral)
    per_q = (
        answers.group_by("questionnaire")
        .agg(
            pl.col("group").first(),
            pl.col("area").first(),
            pl.col("school_code").first(),
            answered=pl.col("counts").is_not_null().sum(),
            overall=pl.col("counts").filter(pl.col("question") == overall_id).first(),
        )
        .join(asked, on="group", how="left")
        .with_columns(
            valid=(pl.col("asked") - pl.col("answered") <= max_blank)
            & pl.col("overall").is_in(["satisfied", "neutral", "unsatisfied"])
        )
        .with_columns(
            scored=pl.col("valid") & in_denominator,
            satisfied=pl.col("valid") & is_satisfied,
        )
        .with_columns(pl.col("scored", "satisfied").fill_null(False))
    )
    totals = per_q.select(
        collected=pl.len(),
        valid=pl.col("valid").sum(),
        satisfied=pl.col("satisfied").sum(),
        scored=pl.col("scored").sum(),
    ).row(0, named=True)
    parent_row = (
        per_q.filter(pl.col("group") == "parent")
        .select(
            collected=pl.len(), valid=pl.col("valid").sum(), satisfied=pl.col("satisfied").sum()
        )
        .row(0, named=True)
    )
    parents = {k: int(v or 0) for k, v in parent_row.items()}

    valid_ids = per_q.filter("valid").select("questionnaire")
    q_in, q_sat = _scored(pl.col("counts"), neutral)
    themes = pl.DataFrame(
        {
            "question": [q.id for q in questionnaire.questions],
            "theme": [q.theme for q in questionnaire.questions],
            "text": [q.text for q in questionnaire.questions],
        }
    )
    questions = (
        answers.join(valid_ids, on="questionnaire", how="semi")
        .group_by("question")
        .agg(scored=q_in.sum(), satisfied=(q_in & q_sat).sum())
        .join(themes, on="question", how="left")
        .with_columns(
            rate=pl.when(pl.col("scored") > 0).then(pl.col("satisfied") / pl.col("scored"))
        )
        .sort(["rate", "question"], nulls_last=True)
        .select("question", "theme", "text", "scored", "satisfied", "rate")
    )
    visits = visits or Visits()
    result = SurveyResult(
        collected=int(totals["collected"]),
        valid=int(totals["valid"] or 0),
        satisfied=int(totals["satisfied"] or 0),
        scored=int(totals["scored"] or 0),
        parents=parents,
        visits=visits,
        by_group=_rates(per_q, "group"),
        by_area=_rates(per_q, "area"),
        by_school=_rates(per_q.filter(pl.col("school_code").is_not_null()), "school_code"),
        questions=questions,
        threshold=standard.param("social_recognition", "min"),
    )
    result.warnings.extend(design_warnings(result, standard, planned_total))
    return result


def design_warnings(
    result: SurveyResult, standard: Standard, planned_total: int | None
) -> list[Warning]:
    """Shortfalls against the national design: shown beside the rate, binding nowhere by default."""
    out: list[Warning] = []
    minimum = int(standard.param("social_recognition", "sample_min"))
    valid_min = standard.param("social_recognition", "valid_min")
    parent_min = float(standard.settings["survey"].get("parent_share_min", 0.5))
    target = max(planned_total or 0, minimum)
    if result.collected < target:
        out.append(
            Warning(
                "sample_short",
                "样本量不足",
                f"回收问卷 {result.collected} 份，少于应抽样本 {target} 份",
            )
        )
    if result.valid and result.parents["valid"] / result.valid < parent_min:
        share = result.parents["valid"] / result.valid
        out.append(
            Warning(
                "parents_short",
                "家长比例不足",
                f"家长有效问卷占 {percent(share)}，低于 {percent(parent_min)}",
            )
        )
    rate = result.valid_rate
    if rate is not None and rate < valid_min:
        out.append(
            Warning(
                "valid_low",
                "有效率偏低",
                f"有效问卷率 {percent(rate)}，低于 {percent(valid_min)}",
            )
        )
    return out
