"""政府保障程度: the 15 guarantee items, numbered as in 申报表 表Ⅳ."""

from __future__ import annotations

import polars as pl

from ..display import quoted
from ..standard import Standard
from .guarantee_texts import (
    class_text,
    migrant_text,
    nearby_text,
    pay_text,
    quota_text,
    rooms_head,
    rooms_text,
    rotation_text,
    rural_classes,
    share_text,
    size_text,
    small_text,
    special_text,
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
    yes_no,
)

c = pl.col


def _rooms(s: Standard) -> pl.Expr:
    return ~c("room_fail_any")


def _rooms_detail(r: Row, s: Standard) -> str:
    head = rooms_head(s)
    if r.get("room_fail_count"):
        return f"{head}，未达到的学校{r['room_fail_count']}所：{names(r.get('room_fail_names'))}"
    if r.get("room_missing"):
        return f"{head}，{r['room_missing']}所学校未填报达标专用教室数"
    return f"{head}，所有学校均达到"


def _size_detail(r: Row, s: Standard) -> str:
    p = s.indicator("school_size").params
    text = (
        f"超过{num(p['primary'])}人的小学{num(r.get('over_primary_n'))}所，"
        f"初中{num(r.get('over_junior_n'))}所，"
        f"超过{num(p['through'])}人的一贯制学校{num(r.get('over_through_n'))}所"
    )
    if r.get("oversize_names"):
        text += f"（{names(r.get('oversize_names'))}）"
    return text


def _class_detail(r: Row, s: Standard) -> str:
    p = s.indicator("class_size").params
    return (
        f"超过{num(p['primary'])}人的小学班级{num(r.get('p_oversized_sum'))}个，"
        f"超过{num(p['junior'])}人的初中班级{num(r.get('j_oversized_sum'))}个"
    )


def _small(s: Standard) -> pl.Expr:
    # each small school's own budget decides; only when some did not report one does the
    # county's total for all small schools stand in
    return (
        pl.when((c("small_n") == 0) & (c("small_students").fill_null(0) > 0))
        .then(None)  # the 区县 sheet reports small schools the school rows do not show
        .when(c("small_n") == 0)
        .then(True)
        .when(c("small_fail_any").is_not_null())
        .then(~c("small_fail_any"))
        .otherwise(ge(c("small_funds") * 10_000, c("small_funds_required")))
    )


def _small_detail(r: Row, s: Standard) -> str:
    n = r.get("small_n") or 0
    if n == 0 and (r.get("small_students") or 0) > 0:
        return (f"区县表填报不足100人学校在校生数{num(r.get('small_students'))}人，"
                "学校表中却没有不足100人的学校，无法逐校核定")  # fmt: skip
    if n == 0:
        return "县域内无不足100人的学校"
    funds = r.get("small_funds_all")
    yuan = num(funds * 10_000 if isinstance(funds, float | int) else None)
    text = (
        f"不足100人的规模较小学校{n}所，学生数{num(r.get('small_students_all'))}人，"
        f"公用经费{yuan}元；按每校100人核定合计应不低于{num(r.get('small_funds_required'))}元"
    )
    if r.get("small_fail_names"):
        text += f"；未按100人核定的学校：{names(r.get('small_fail_names'))}"
    elif r.get("small_fail_any") is False:
        text += "；逐校核定，均不低于100人的标准"
    elif r.get("small_funds") is not None:
        text += "（部分学校未填报公用经费预算，按区县表合计核定）"
    return text


def _special(s: Standard) -> pl.Expr:
    per = s.param("special_funds", "per_pupil")
    return (
        pl.when(c("special_students_all") == 0)
        .then(True)
        .otherwise(ge(shown_at(c("special_funds") * 10_000 / c("special_students_all"), 0, s), per))
    )


def _special_detail(r: Row, s: Standard) -> str:
    pupils, funds = r.get("special_students_all"), r.get("special_funds")
    if pupils == 0:
        return "县域内无特殊教育学校学生"
    per = funds * 10_000 / pupils if isinstance(funds, int | float) and pupils else None
    need = s.param("special_funds", "per_pupil")
    shown = (
        BLANK if per is None
        else quoted(per, ">=", need, 0, exact_digits=2, judged_exact=exact_verdicts(s))
    )  # fmt: skip
    return (
        f"特殊教育学校公用经费为{num(funds, 2)}万元，特殊教育学生数为{num(pupils)}人，"
        f"特殊教育学校生均公用经费为{shown}元（标准{num(need)}元）"
    )


def _pay_detail(r: Row, s: Standard) -> str:
    merit = yes_no(r.get("merit_pay_full"), "已足额核定", "未足额核定")
    pay, civil = r.get("teacher_pay"), r.get("civil_pay")
    shown = num(pay)
    if isinstance(pay, int | float) and isinstance(civil, int | float):
        shown = quoted(float(pay), ">=", float(civil), 0, exact_digits=2)
    return (
        f"全县义务教育学校教师年平均工资收入为{shown}元，"
        f"当地公务员年平均工资收入{num(r.get('civil_pay'))}元；绩效工资总量{merit}"
    )


def _rotation(s: Standard) -> pl.Expr:
    p = s.indicator("rotation").params
    return share_ge(c("rotated"), c("rotation_eligible"), p["min"], s) & share_ge(
        c("rotated_backbone"), c("rotated"), p["backbone_min"], s
    )


def _rotation_detail(r: Row, s: Standard) -> str:
    p = s.indicator("rotation").params
    return (
        f"全县符合交流轮岗条件教师总数{num(r.get('rotation_eligible'))}名，上一年度交流轮岗教师"
        f"{num(r.get('rotated'))}名，交流轮岗教师占符合交流轮岗条件教师总数的比例"
        f"{rate(r.get('rotated'), r.get('rotation_eligible'), p['min'], s)}；交流轮岗的骨干教师"
        f"{num(r.get('rotated_backbone'))}名，占交流轮岗教师总数的比例"
        f"{rate(r.get('rotated_backbone'), r.get('rotated'), p['backbone_min'], s)}"
    )


def _nearby(s: Standard) -> pl.Expr:
    p = s.indicator("nearby_enrolment").params
    return ge(shown_at(c("nearby_primary"), 1, s), p["primary"]) & ge(
        shown_at(c("nearby_junior"), 1, s), p["junior"]
    )


def _nearby_detail(r: Row, s: Standard) -> str:
    p = s.indicator("nearby_enrolment").params
    shown = [
        quoted(r.get(f"nearby_{k}"), ">=", p[k], 1, unit="%", judged_exact=exact_verdicts(s))
        if isinstance(r.get(f"nearby_{k}"), float | int) else BLANK + "%"
        for k in ("primary", "junior")
    ]  # fmt: skip
    return f"城区和镇区公办小学、初中（均不含寄宿制学校）就近划片入学比例分别{shown[0]}、{shown[1]}"


def _quota(s: Standard) -> pl.Expr:
    p = s.indicator("quota_allocation").params
    lean = pl.lit(True)
    if p.get("rural_lean"):
        # the rural schools' share of allocated places ≥ their share of junior pupils
        places = shown_at(c("quota_rural") / c("quota_allocated") * 100.0, 1, s)
        pupils = shown_at(c("rural_junior_students") / c("junior_students") * 100.0, 1, s)
        lean = (
            pl.when(~c("urban_rural_known") | (c("junior_students") == 0))
            .then(True)
            .when(c("quota_allocated") == 0)
            .then(c("rural_junior_students") == 0)
            .otherwise(ge(places, pupils))
        )
    return share_ge(c("quota_allocated"), c("quota_total"), p["min"], s) & lean


def _quota_detail(r: Row, s: Standard) -> str:
    p = s.indicator("quota_allocation").params
    rural, allocated = r.get("quota_rural"), r.get("quota_allocated")
    pupils, juniors = r.get("rural_junior_students"), r.get("junior_students")
    lean = None
    if (
        r.get("urban_rural_known")
        and isinstance(juniors, int)
        and juniors
        and isinstance(pupils, int)
    ):
        lean = pupils / juniors
    text = (
        f"全县优质高中招生名额总数{num(r.get('quota_total'))}人，分配名额"
        f"{num(allocated)}人，占比{rate(allocated, r.get('quota_total'), p['min'], s)}。"
        f"其中分配农村学校的名额{num(rural)}人，占分配名额总数的"
        f"{rate(rural, allocated, lean if p.get('rural_lean') else None, s)}"
    )
    if lean is not None:
        where = "、".join(rural_classes(s))
        text += f"（农村（{where}）初中在校生占全县初中在校生的{rate(pupils, juniors)}）"
    return text


def _migrant(s: Standard) -> pl.Expr:
    m = s.param("migrant_children", "min")
    return c("left_behind_care") & share_ge(
        c("migrant_public") + c("migrant_funded"), c("migrant_eligible"), m, s
    )


def _migrant_detail(r: Row, s: Standard) -> str:
    pub, fund = r.get("migrant_public"), r.get("migrant_funded")
    total = pub + fund if isinstance(pub, int) and isinstance(fund, int) else None
    care = yes_no(r.get("left_behind_care"), "健全", "不健全")
    return (
        f"留守儿童关爱体系{care}；全县符合条件的随迁子女数{num(r.get('migrant_eligible'))}人，"
        f"在公办学校就读{num(pub)}人，在政府购买服务的民办学校就读{num(fund)}人，"
        f"合计{num(total)}人，占比{rate(total, r.get('migrant_eligible'), s.param('migrant_children', 'min'), s)}"
    )


GUARANTEE: tuple[Rule, ...] = (
    flag("layout", "layout_ok"),
    flag("four_unified", "four_unified"),
    Rule("music_art_rooms", _rooms, _rooms_detail, ("room_missing",), rooms_text),
    Rule("school_size", lambda s: (c("over_primary_n") + c("over_junior_n") + c("over_through_n")) == 0, _size_detail,
         text=size_text),
    Rule("class_size", lambda s: (c("p_oversized_sum") == 0) & (c("j_oversized_sum") == 0), _class_detail,
         ("p_oversized_sum", "j_oversized_sum"), class_text),
    Rule("small_school_funds", _small, _small_detail, ("small_funds_all",), small_text),
    Rule("special_funds", _special, _special_detail, ("special_funds", "special_students_all"), special_text),
    Rule("teacher_pay", lambda s: ge(c("teacher_pay"), c("civil_pay")) & c("merit_pay_full"), _pay_detail,
         ("teacher_pay", "civil_pay", "merit_pay_full"), pay_text),
    Rule("training_360", lambda s: share_ge(c("trained_sum"), c("teachers_sum"), s.param("training_360", "min"), s),
         lambda r, s: f"完成360学时培训的教师{num(r.get('trained_sum'))}人，全县教师{num(r.get('teachers_sum'))}人，"
         f"教师培训完成率{rate(r.get('trained_sum'), r.get('teachers_sum'), s.param('training_360', 'min'), s)}", ("trained_sum",),
         lambda s: share_text(s, "training_360", "trained_sum", "teachers_sum",
                               ("完成360学时培训的教师", "人，全县教师", "人，教师培训完成率"))),
    flag("staffing", "staffing_pooled"),
    Rule("rotation", _rotation, _rotation_detail, ("rotation_eligible", "rotated", "rotated_backbone"), rotation_text),
    Rule("certification", lambda s: share_ge(c("certified_sum"), c("teachers_sum"), s.param("certification", "min"), s),
         lambda r, s: f"全县在岗专任教师{num(r.get('teachers_sum'))}人，其中持有教师资格证的专任教师"
         f"{num(r.get('certified_sum'))}人，占比{rate(r.get('certified_sum'), r.get('teachers_sum'), s.param('certification', 'min'), s)}",
         ("certified_sum",),
         lambda s: share_text(s, "certification", "certified_sum", "teachers_sum",
                               ("全县在岗专任教师", "人，其中持有教师资格证的专任教师", "人，占比"))),
    Rule("nearby_enrolment", _nearby, _nearby_detail, ("nearby_primary", "nearby_junior"), nearby_text),
    Rule("quota_allocation", _quota, _quota_detail, ("quota_total", "quota_allocated", "quota_rural"), quota_text),
    Rule("migrant_children", _migrant, _migrant_detail,
         ("left_behind_care", "migrant_eligible", "migrant_public", "migrant_funded"), migrant_text),
)  # fmt: skip
