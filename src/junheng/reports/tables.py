"""The national declaration form (申报表) tables Ⅱ-1 to Ⅵ per county, as one .xlsx file.

Layout and wording follow the form as the reference workbook gives it. Numbers are written as
numbers with a display format, rounded where the form's notes say 保留; JSON stays unrounded.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from ..display import fmt, quoted_percent
from ..errors import JunhengError
from ..results import STAGE_TITLES, CountyResult, Evaluation, PartResult, SchoolResult
from ..standard import RESOURCE_KEYS, Standard
from .sheets import (
    STAGES,
    THROUGH,
    VERDICT,
    Sheet,
    Styles,
    codes,
    floor_pct,
    footnote,
    gap_sheet,  # fmt: skip
    judged,
    number,
    ordered,
    row_height,
    setup,
    sheet_name,
    title,
)

HEADS = {
    "qualified_teachers": "每百名学生拥有高于规定学历教师数",
    "backbone_teachers": "每百名学生拥有县级及以上骨干教师数",
    "pe_art_teachers": "每百名学生拥有体育、艺术（美术、音乐）专任教师数",
    "teaching_area": "生均教学及辅助用房面积（㎡）",
    "sports_area": "生均体育运动场馆面积（㎡）",
    "equipment_value": "生均教学仪器设备值（元）",
    "multimedia_rooms": "每百名学生拥有网络多媒体教室数",
}
"""Column heads of 表Ⅱ-1, Ⅱ-2 and Ⅲ as the form words them (not the standard's titles)."""

_GRADES = {"primary": 6, "junior": 3}
# a school with more than one stage appears once per stage in 表Ⅱ-2, each row named by its part
_PARTS = (*THROUGH, "complete_middle")
_PART_LABELS = {"primary": "（小学部）", "junior": "（初中部）"}
_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
# form codes: 7 = 县级教育部门, 10 = 民办; a blank 举办者 means 公办 by the data contract
_SPONSOR_CODES = {"公办": 7, "民办": 10}


def _indicator_heads(ws: Sheet, widths: list[int], text: str, last: str, st: Styles) -> None:
    """Title, the 7 indicator heads plus *last*, and the L-code row shared by 表Ⅱ-1 and 表Ⅲ."""
    setup(ws, widths, 3)
    title(ws, text, 9, st)
    heads = [HEADS[k] for k in RESOURCE_KEYS] + [last]
    ws.merge_range(1, 0, 2, 1, "", st.head)
    ws.write_row(1, 2, heads, st.head)
    ws.set_row(1, row_height(list(zip(heads, widths[2:], strict=True))))
    codes(ws, 2, 2, 8, st)


def _table_2_1(ws: Sheet, c: CountyResult, std: Standard, st: Styles) -> None:
    widths = [6, 14, *[14] * 7, 9]
    _indicator_heads(ws, widths, f"表Ⅱ-1  小学、初中资源配置基本情况（{c.name}）", "综合评估", st)
    for i, stage in enumerate(STAGES):
        r = 3 + 2 * i
        ws.merge_range(r, 0, r + 1, 0, STAGE_TITLES[stage], st.centre)
        ws.write_string(r, 1, "达标学校总数", st.text)
        ws.write_string(r + 1, 1, "达标学校比例（%）", st.text)
        s = c.resource.stages.get(stage)
        counts: list[int | None] = [None] * 8
        if s:
            counts = [*(s.schools_meeting[k] for k in RESOURCE_KEYS), s.schools_passing]
        for j, met in enumerate(counts):
            number(ws, r, 2 + j, met, "0", st)
            pct = None if s is None or met is None else 100.0 * met / s.schools
            number(ws, r + 1, 2 + j, pct, "0.0", st)
    n = {k: c.resource.stages[k].schools if k in c.resource.stages else 0 for k in STAGES}
    footnote(ws, 7, 9, (
        f"注：达标学校比例＝达标学校数÷该学段参评学校总数（小学{n['primary']}所，初中{n['junior']}所），"
        f"保留一位小数。“综合评估”为至少{std.settings['school_min_met']}项指标达到标准、"
        f"其余指标不低于标准{floor_pct(std)}的学校数。"
    ), widths, st)  # fmt: skip


def _remark(s: SchoolResult, std: Standard) -> str:
    """备注: which indicators meet the standard and which only reach the 85% floor."""
    if not s.below_standard:
        return f"{len(RESOURCE_KEYS)}项指标均达标"

    def names(keys: list[str]) -> str:
        return "、".join(std.indicator(k).short or std.indicator(k).title for k in keys)

    met = [k for k in RESOURCE_KEYS if k not in s.below_standard]
    at_floor = [k for k in s.below_standard if k not in s.below_floor]
    parts = [f"{len(met)}项达标：{names(met)}" if met else "各项均未达标"]
    if at_floor:
        parts.append(f"达到{floor_pct(std)}：{names(at_floor)}")
    if s.below_floor:
        parts.append(f"低于{floor_pct(std)}：{names(s.below_floor)}")
    return "；".join(parts)


def _table_2_2(ws: Sheet, c: CountyResult, std: Standard, st: Styles) -> None:
    widths = [5, 22, 7, 8, 6, 6, *[11] * 7, 9, 40]
    setup(ws, widths, 3)
    ws.freeze_panes(3, 2)
    title(ws, f"表Ⅱ-2  小学、初中资源配置基本情况（分学校）（{c.name}）", 14, st)
    heads = ["序号", "学校名称", "举办者类型", "在校生数", "年级数", "班级数",
             *[HEADS[k] for k in RESOURCE_KEYS], "该校综合评估是否达标",
             f"备注（注明有哪几项指标达标，哪几项指标达到{floor_pct(std)}）"]  # fmt: skip
    ws.write_row(1, 0, heads, st.head)
    ws.set_row(1, row_height(list(zip(heads, widths, strict=True))))
    codes(ws, 2, 0, 14, st)
    ws.write_blank(2, 14, None, st.code)
    schools = ordered(c.resource.schools)
    exact = std.settings.get("compare_at", "exact") != "displayed"
    r = 3
    for stage in STAGES:
        rows = [s for s in schools if s.stage == stage]
        if not rows:
            continue
        ws.merge_range(r, 0, r, 14, f"{STAGE_TITLES[stage]}（{len(rows)}所）", st.section)
        r += 1
        for i, s in enumerate(rows, start=1):
            remark = _remark(s, std)
            name = s.name + (_PART_LABELS[stage] if s.type in _PARTS else "")
            ws.write_number(r, 0, i, st.code_num)
            ws.write_string(r, 1, name, st.text)
            ws.write_number(r, 2, _SPONSOR_CODES.get(s.sponsor or "公办", 7), st.code_num)
            number(ws, r, 3, s.students, "0", st)
            ws.write_number(r, 4, _GRADES[stage], st.code_num)
            number(ws, r, 5, s.classes, "0", st)
            for j, k in enumerate(RESOURCE_KEYS):
                judged(ws, r, 6 + j, s.values.get(k), "0.00", st, bad=k in s.below_standard, op=">=",
                       threshold=std.threshold(k, stage), judged_exact=exact)  # fmt: skip
            ws.write_string(r, 13, VERDICT[s.passed], st.centre if s.passed else st.bad_centre)
            ws.write_string(r, 14, remark, st.text)
            ws.set_row(r, row_height([(name, widths[1]), (remark, widths[14])]))
            r += 1
    prim = [s for s in schools if s.stage == "primary"]
    jun = [s for s in schools if s.stage == "junior"]
    footnote(ws, r, 14, (
        f"注：1.小学学校总数{len(prim)}所（其中：一贯制学校的小学部有"
        f"{sum(s.type in THROUGH for s in prim)}所，{std.settings['teaching_point_min_students']}"
        f"人及以上教学点有{sum(s.type == 'teaching_point' for s in prim)}个），初中学校总数"
        f"{len(jun)}所（其中：一贯制学校的初中部{sum(s.type in THROUGH for s in jun)}所，"
        f"完全中学的初中部{sum(s.type == 'complete_middle' for s in jun)}所）。"
        "2.举办者类型处填写代码：中央教育部门代码为1、中央其他部门为2、省级教育部门为3、省级其他部门为4、"
        "地级教育部门为5、地级其他部门为6、县级教育部门为7、县级其他部门为8、地方企业为9、民办为10"
        "（填报数据只区分公办、民办，公办学校按县级教育部门7填写，举办者不同的请核改）。"
        "3.L7-L13数值均保留两位小数；红色为未达到标准的数值。"
    ), widths, st)  # fmt: skip


def _table_3(ws: Sheet, c: CountyResult, std: Standard, st: Styles) -> None:
    widths = [6, 12, *[14] * 7, 10]
    _indicator_heads(
        ws, widths, f"表Ⅲ  县域义务教育校际均衡情况（{c.name}）", "综合（仅供参考）", st
    )
    for i, stage in enumerate(STAGES):
        r = 3 + 2 * i
        s = c.resource.stages.get(stage)
        ws.merge_range(r, 0, r + 1, 0, STAGE_TITLES[stage], st.centre)
        ws.write_string(r, 1, "全县平均值", st.text)
        ws.write_string(r + 1, 1, "差异系数", st.text)
        for j, k in enumerate(RESOURCE_KEYS):
            number(ws, r, 2 + j, s.mean[k] if s else None, "0.00", st)
            cv = s.cv[k] if s else None
            if s and cv is None:  # a county mean of 0 leaves the CV undefined
                ws.write_string(r + 1, 2 + j, "——", st.bad_centre)
            else:
                judged(ws, r + 1, 2 + j, cv, "0.000", st, bad=s is not None and not s.cv_pass[k], op="<=",
                       threshold=float(std.settings["cv_max"][stage]),
                       judged_exact=std.settings.get("compare_at", "exact") != "displayed")  # fmt: skip
        # the 综合差异系数 some forms print (the mean of the seven) decides nothing: shown for
        # reference only, and only where all seven are defined
        ws.write_string(r, 9, "——", st.centre)
        cvs = [s.cv[k] for k in RESOURCE_KEYS] if s else []
        if cvs and all(v is not None for v in cvs):
            number(ws, r + 1, 9, sum(v for v in cvs if v is not None) / len(cvs), "0.000", st)
        else:
            ws.write_string(r + 1, 9, "——", st.centre)
    cv_max = std.settings["cv_max"]
    footnote(ws, 7, 9, (
        "注：全县平均值保留两位小数，差异系数保留三位小数。全县平均值和差异系数均按各校学段在校生数加权计算；"
        f"每项指标的差异系数小学不大于{fmt(float(cv_max['primary']))}、初中不大于"
        f"{fmt(float(cv_max['junior']))}为达标，红色为未达标。“综合（仅供参考）”为7项指标差异系数的算术平均值，"
        "仅供参考，不作为评估依据：7项指标须分别达标。"
    ), widths, st)  # fmt: skip


def _items_table(ws: Sheet, heading: str, part: PartResult, note: str, tall: bool,
                 st: Styles) -> None:  # fmt: skip
    widths = [50, 72, 10]
    first = 3 if tall else 2
    setup(ws, widths, first)
    title(ws, heading, 2, st)
    for j, head in enumerate(("名称", "指标值或简要结论", "是否达标")):
        if tall:
            ws.merge_range(1, j, 2, j, head, st.head)
        else:
            ws.write_string(1, j, head, st.head)
    r = first
    for it in sorted(part.items, key=lambda i: i.no):
        name = f"{it.no}. {it.title}"
        ws.write_string(r, 0, name, st.text)
        ws.write_string(r, 1, it.detail, st.text)
        ws.write_string(
            r, 2, VERDICT[it.passed], st.bad_centre if it.passed is False else st.centre
        )
        ws.set_row(r, row_height([(name, widths[0]), (it.detail, widths[1])]))
        r += 1
    if note:
        footnote(ws, r, 2, note, widths, st)


def _table_4(ws: Sheet, c: CountyResult, std: Standard, st: Styles) -> None:
    _items_table(ws, f"表Ⅳ  政府保障程度评估指标（{c.name}）", c.guarantee,
                 "注：表中所有比例数值保留一位小数，其余保留整数。", False, st)  # fmt: skip


def _table_5(ws: Sheet, c: CountyResult, std: Standard, st: Styles) -> None:
    _items_table(ws, f"表Ⅴ  教育质量评估指标（{c.name}）", c.quality, "", True, st)


def _table_6(ws: Sheet, c: CountyResult, std: Standard, st: Styles) -> None:
    widths = [12, 11, 13, 13, 14, 12, 12, 14]
    setup(ws, widths, 5)
    title(ws, f"表Ⅵ  社会认可度调查情况（{c.name}）", 7, st)
    ws.merge_range(1, 0, 3, 0, "", st.head)
    ws.merge_range(1, 1, 1, 3, "问卷总数", st.head)
    ws.merge_range(2, 1, 3, 1, "计", st.head)
    ws.merge_range(2, 2, 2, 3, "其中：回收有效问卷数", st.head)
    ws.write_string(3, 2, "计", st.head)
    ws.write_string(3, 3, "其中：满意问卷数", st.head)
    ws.merge_range(1, 4, 3, 4, "问卷调查综合满意度（%）", st.head)
    ws.merge_range(1, 5, 1, 6, "实地走访人数", st.head)
    ws.merge_range(2, 5, 3, 5, "计", st.head)
    ws.merge_range(2, 6, 3, 6, "其中：满意人数", st.head)
    ws.merge_range(1, 7, 3, 7, "实地走访满意度（%）", st.head)
    ws.set_row(3, 30)
    ws.write_blank(4, 0, None, st.code)
    codes(ws, 4, 1, 7, st)
    f = c.recognition.figures
    need = float(f.get("threshold", 0.85))
    judged_exact = std.settings.get("compare_at", "exact") != "displayed"
    notes: list[str] = []

    def rate_cell(row: int, col: int, key: str, what: str) -> None:
        rate = f.get(key)
        if rate is None:
            number(ws, row, col, None, "0.0", st)
            return
        text = quoted_percent(rate, ">=", need, judged_exact=judged_exact)
        if "精确值" in text:
            # 85.0 beside 否 would contradict the verdict: two more decimals, in red, and a note
            number(ws, row, col, 100.0 * rate, "0.00#", st, bad=True)
            notes.append(f"{what}{text}")
        else:
            number(ws, row, col, 100.0 * rate, "0.0", st)

    for r, (label, prefix, visit) in enumerate(
        (("计", "survey_", "visits"), ("其中：家长", "parent_survey_", "parent_visits")), start=5
    ):
        ws.write_string(r, 0, label, st.centre)
        for j, key in enumerate(
            (f"{prefix}total", f"{prefix}valid", f"{prefix}satisfied"), start=1
        ):
            number(ws, r, j, f.get(key), "0", st)
        number(ws, r, 5, f.get(visit), "0", st)
        number(ws, r, 6, f.get(f"{visit}_satisfied"), "0", st)
        who = "家长" if prefix == "parent_survey_" else ""
        rate_cell(r, 4, "questionnaire_rate" if not who else "parents_questionnaire_rate",
                  f"{who}问卷调查综合满意度")  # fmt: skip
        rate_cell(r, 7, "visit_rate" if not who else "parents_visit_rate", f"{who}实地走访满意度")
    text = (
        "注：问卷调查综合满意度＝满意问卷数÷回收有效问卷数，实地走访满意度＝满意人数÷实地走访人数，"
        "比例保留一位小数，其余保留整数。"
    )
    if notes:
        text += "按精确值判断：" + "，".join(notes) + "（红色）。"
    warnings = f.get("warnings") or []
    if warnings:
        text += "调查设计提示：" + "；".join(warnings) + "。"
    text += f"社会认可度须达到{fmt(need * 100, 0)}%以上，本县是否达标：{VERDICT[c.recognition.passed]}。"
    footnote(ws, 7, 7, text, widths, st)


Writer = Callable[[Sheet, CountyResult, Standard, Styles], None]
TABLES: tuple[tuple[str, Writer], ...] = (
    ("表Ⅱ-1", _table_2_1), ("表Ⅱ-2", _table_2_2), ("表Ⅲ", _table_3),
    ("表Ⅳ", _table_4), ("表Ⅴ", _table_5), ("表Ⅵ", _table_6),
)  # fmt: skip
GAP_SHEET = "差距明细"


def _book(target: str | IO[bytes], ev: Evaluation) -> None:
    several = len(ev.counties) > 1
    # in memory: no temporary file per sheet
    with xlsxwriter.Workbook(target, {"in_memory": True}) as book:
        st = Styles(book)
        for c in ev.counties:
            for base, write in TABLES:
                write(book.add_worksheet(sheet_name(base, c.code, several)), c, ev.standard, st)
        gap_sheet(book.add_worksheet(GAP_SHEET), ev, st)


def county_book_name(c: CountyResult) -> str:
    """A county's workbook inside the zip: code and name, safe as a file name."""
    return _UNSAFE_FILE_CHARS.sub("_", f"{c.code} {c.name}申报表.xlsx")


def write_tables(ev: Evaluation, path: str | Path) -> Path:
    """Write 表Ⅱ-1 … 表Ⅵ and a 差距明细 sheet for every county to *path*; return the path.

    To a ``.zip``: one workbook per county, each laid out as for a single county (what a
    province or the nation hands on county by county). Otherwise one workbook: for one county
    sheets named as in the form; for several each prefixed with the county code.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix.lower() == ".zip":
            # xlsx files are zips already: stored, not compressed again
            with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
                for c in ev.counties:
                    buf = io.BytesIO()
                    _book(buf, Evaluation(ev.standard, [c], ev.source))
                    zf.writestr(county_book_name(c), buf.getvalue())
        else:
            _book(str(path), ev)
    except (OSError, XlsxWriterException) as exc:
        raise JunhengError(f"无法写入申报表 {path}：{exc}") from exc
    return path


__all__ = ["GAP_SHEET", "HEADS", "TABLES", "county_book_name", "write_tables"]
