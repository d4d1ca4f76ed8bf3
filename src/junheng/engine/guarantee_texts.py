"""The detail lines of the guarantee items (表Ⅳ) as Polars expressions over the county
frame: for every county at once, the same text as the one-row Python details beside the rules
in :mod:`junheng.engine.guarantee`."""

from __future__ import annotations

import polars as pl

from ..standard import Standard
from .rules import BLANK, exact_verdicts, num
from .texts import names_e, num_e, positive, quoted_e, rate_e, yes_no_e

c = pl.col

L = pl.lit


def _cat(*parts: str | pl.Expr) -> pl.Expr:
    return pl.concat_str([L(p) if isinstance(p, str) else p for p in parts])


def rooms_head(s: Standard) -> str:
    p = s.indicator("music_art_rooms").params
    return (
        f"按每{num(p['classes_per_room'])}个班级配备音乐、美术专用教室各1间"
        f"（音乐≥{num(p['music_min_area'])}㎡、美术≥{num(p['art_min_area'])}㎡）"
    )


def rooms_text(s: Standard) -> pl.Expr:
    head = rooms_head(s)
    return (
        pl.when(positive(c("room_fail_count")))
        .then(_cat(f"{head}，未达到的学校", c("room_fail_count").cast(pl.String), "所：", names_e(c("room_fail_names"))))
        .when(positive(c("room_missing")))
        .then(_cat(f"{head}，", c("room_missing").cast(pl.String), "所学校未填报达标专用教室数"))
        .otherwise(L(f"{head}，所有学校均达到"))
    )  # fmt: skip


def size_text(s: Standard) -> pl.Expr:
    p = s.indicator("school_size").params
    listed = c("oversize_names").list.len().fill_null(0) > 0
    return _cat(
        f"超过{num(p['primary'])}人的小学", num_e(c("over_primary_n")), "所，初中", num_e(c("over_junior_n")),
        f"所，超过{num(p['through'])}人的一贯制学校", num_e(c("over_through_n")), "所",
        pl.when(listed).then(_cat("（", names_e(c("oversize_names")), "）")).otherwise(L("")),
    )  # fmt: skip


def class_text(s: Standard) -> pl.Expr:
    p = s.indicator("class_size").params
    return _cat(f"超过{num(p['primary'])}人的小学班级", num_e(c("p_oversized_sum")),
                f"个，超过{num(p['junior'])}人的初中班级", num_e(c("j_oversized_sum")), "个")  # fmt: skip


def small_text(s: Standard) -> pl.Expr:
    n = c("small_n").fill_null(0)
    text = _cat(
        "不足100人的规模较小学校",
        n.cast(pl.String),
        "所，学生数",
        num_e(c("small_students_all")),
        "人，公用经费",
        num_e(c("small_funds_all") * 10_000),
        "元；按每校100人核定合计应不低于",
        num_e(c("small_funds_required")),
        "元",
        pl.when(c("small_fail_names").list.len().fill_null(0) > 0)
        .then(_cat("；未按100人核定的学校：", names_e(c("small_fail_names"))))
        .when(c("small_fail_any").eq_missing(False))
        .then(L("；逐校核定，均不低于100人的标准"))
        .when(c("small_funds").is_not_null())
        .then(L("（部分学校未填报公用经费预算，按区县表合计核定）"))
        .otherwise(L("")),
    )
    return (
        pl.when((n == 0) & (c("small_students").fill_null(0) > 0))
        .then(_cat("区县表填报不足100人学校在校生数", num_e(c("small_students")),
                   "人，学校表中却没有不足100人的学校，无法逐校核定"))
        .when(n == 0).then(L("县域内无不足100人的学校"))
        .otherwise(text)
    )  # fmt: skip


def special_text(s: Standard) -> pl.Expr:
    pupils, funds = c("special_students_all"), c("special_funds")
    need = s.param("special_funds", "per_pupil")
    known = funds.is_not_null() & pupils.is_not_null() & (pupils != 0)
    per = quoted_e(
        funds * 10_000 / pupils, ">=", need, 0, exact_digits=2, judged_exact=exact_verdicts(s)
    )
    return pl.when(pupils.eq_missing(0)).then(L("县域内无特殊教育学校学生")).otherwise(_cat(
        "特殊教育学校公用经费为", num_e(funds, 2), "万元，特殊教育学生数为", num_e(pupils),
        "人，特殊教育学校生均公用经费为", pl.when(known).then(per).otherwise(L(BLANK)), f"元（标准{num(need)}元）",
    ))  # fmt: skip


def pay_text(s: Standard) -> pl.Expr:
    pay, civil = c("teacher_pay"), c("civil_pay")
    shown = pl.when(pay.is_not_null() & civil.is_not_null()).then(quoted_e(pay, ">=", civil.cast(pl.Float64), 0, exact_digits=2)).otherwise(num_e(pay))  # fmt: skip
    return _cat("全县义务教育学校教师年平均工资收入为", shown, "元，当地公务员年平均工资收入", num_e(civil),
                "元；绩效工资总量", yes_no_e(c("merit_pay_full"), "已足额核定", "未足额核定"))  # fmt: skip


def rotation_text(s: Standard) -> pl.Expr:
    p, judged = s.indicator("rotation").params, exact_verdicts(s)
    return _cat(
        "全县符合交流轮岗条件教师总数", num_e(c("rotation_eligible")), "名，上一年度交流轮岗教师",
        num_e(c("rotated")), "名，交流轮岗教师占符合交流轮岗条件教师总数的比例",
        rate_e(c("rotated"), c("rotation_eligible"), p["min"], judged), "；交流轮岗的骨干教师",
        num_e(c("rotated_backbone")), "名，占交流轮岗教师总数的比例",
        rate_e(c("rotated_backbone"), c("rotated"), p["backbone_min"], judged),
    )  # fmt: skip


def nearby_text(s: Standard) -> pl.Expr:
    p = s.indicator("nearby_enrolment").params
    shown = [
        pl.when(c(f"nearby_{k}").is_not_null())
        .then(quoted_e(c(f"nearby_{k}"), ">=", p[k], 1, unit="%", judged_exact=exact_verdicts(s)))
        .otherwise(L(BLANK + "%"))
        for k in ("primary", "junior")
    ]
    return _cat(
        "城区和镇区公办小学、初中（均不含寄宿制学校）就近划片入学比例分别", shown[0], "、", shown[1]
    )


def rural_classes(s: Standard) -> tuple[str, ...]:
    """The 城乡分类 whose junior schools count as rural for the lean of item 14."""
    return tuple(s.settings.get("quota_rural_classes", ("乡村",)))


def quota_text(s: Standard) -> pl.Expr:
    p, judged = s.indicator("quota_allocation").params, exact_verdicts(s)
    rural, allocated = c("quota_rural"), c("quota_allocated")
    pupils, juniors = c("rural_junior_students"), c("junior_students")
    known = c("urban_rural_known").fill_null(False) & positive(juniors) & pupils.is_not_null()
    lean = pupils.cast(pl.Float64) / juniors.cast(pl.Float64)
    of_allocated = rate_e(rural, allocated, None, judged)
    if p.get("rural_lean"):
        of_allocated = (
            pl.when(known).then(rate_e(rural, allocated, lean, judged)).otherwise(of_allocated)
        )
    where = "、".join(rural_classes(s))
    return _cat(
        "全县优质高中招生名额总数", num_e(c("quota_total")), "人，分配名额", num_e(allocated), "人，占比",
        rate_e(allocated, c("quota_total"), p["min"], judged), "。其中分配农村学校的名额", num_e(rural),
        "人，占分配名额总数的", of_allocated,
        pl.when(known).then(_cat(f"（农村（{where}）初中在校生占全县初中在校生的", rate_e(pupils, juniors), "）"))
        .otherwise(L("")),
    )  # fmt: skip


def migrant_text(s: Standard) -> pl.Expr:
    pub, fund = c("migrant_public"), c("migrant_funded")
    total = pub + fund
    return _cat(
        "留守儿童关爱体系", yes_no_e(c("left_behind_care"), "健全", "不健全"), "；全县符合条件的随迁子女数",
        num_e(c("migrant_eligible")), "人，在公办学校就读", num_e(pub), "人，在政府购买服务的民办学校就读",
        num_e(fund), "人，合计", num_e(total), "人，占比",
        rate_e(total, c("migrant_eligible"), s.param("migrant_children", "min"), exact_verdicts(s)),
    )  # fmt: skip


def share_text(
    s: Standard, key: str, part: str, whole: str, words: tuple[str, str, str]
) -> pl.Expr:
    first, second = (part, whole) if key == "training_360" else (whole, part)
    return _cat(words[0], num_e(c(first)), words[1], num_e(c(second)), words[2],
                rate_e(c(part), c(whole), s.param(key, "min"), exact_verdicts(s)))  # fmt: skip
