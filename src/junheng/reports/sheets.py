"""XlsxWriter building blocks of the 申报表 workbook, and its 差距明细 (per-school gap) sheet."""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Any, NamedTuple

from ..contract import SCHOOL_TYPES
from ..display import (
    EXACT_DIGITS,
    Comparison,
    contradicts,
    exact_for,
    rounded,
)
from ..display import fmt as shown
from ..engine.resource import FACILITY_KEYS
from ..results import STAGE_TITLES, Evaluation, SchoolResult
from ..standard import Standard

Sheet = Any
"""An XlsxWriter worksheet; the package ships no type information."""

NUM_FORMATS = {
    "0": 0,
    "0.0": 1,
    "0.00": 2,
    "0.000": 3,
    "0.00#": 3,
    "0.0000": 4,
    "0.00000": 5,
    "0.000000": 6,
}
"""Number format → the decimals a value is rounded to before writing (the form's 保留 rule)."""

STAGES = ("primary", "junior")
THROUGH = ("nine_year", "twelve_year")
VERDICT = {True: "是", False: "否", None: "未评估"}
_TYPE_TITLES = {code: name for name, code in SCHOOL_TYPES.items()}
_SHARED = (*THROUGH, "complete_middle")
_GAP_DECIMALS = {"teaching_area": 2, "sports_area": 2}
_SIZE_LIMIT = {"nine_year": "through", "twelve_year": "through", "junior": "junior",
               "complete_middle": "junior"}  # fmt: skip
_FONT: dict[str, object] = {"font_name": "宋体", "font_size": 10, "valign": "vcenter"}
_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_LINE_PT = 13.5


class Styles:
    """Every format the tables use, made once per workbook (each add_format is a new style)."""

    def __init__(self, book: Any) -> None:
        def fmt(**props: object) -> Any:
            return book.add_format({**_FONT, **props})

        self.title = fmt(bold=True, font_size=14, align="center")
        self.head = fmt(bold=True, border=1, align="center", text_wrap=True)
        self.code = fmt(border=1, align="center")
        self.text = fmt(border=1, text_wrap=True)
        self.centre = fmt(border=1, align="center", text_wrap=True)
        self.bad_centre = fmt(border=1, align="center", text_wrap=True, font_color="#C00000")
        self.note = fmt(text_wrap=True, valign="top")
        self.section = fmt(bold=True, border=1, bg_color="#F2F2F2")
        self.num = {f: fmt(border=1, num_format=f) for f in NUM_FORMATS}
        self.code_num = fmt(border=1, align="center", num_format="0")
        # red marks a value that misses its threshold and still reads in a black-and-white print
        self.bad_num = {f: fmt(border=1, num_format=f, font_color="#C00000") for f in NUM_FORMATS}


def number(ws: Sheet, row: int, col: int, value: float | None, fmt: str, st: Styles,
           bad: bool = False) -> None:  # fmt: skip
    """A rounded number with its display format, or a bordered blank when there is none."""
    cell = (st.bad_num if bad else st.num)[fmt]
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        ws.write_blank(row, col, None, cell)
    else:
        ws.write_number(row, col, rounded(float(value), NUM_FORMATS[fmt]), cell)


def judged(ws: Sheet, row: int, col: int, value: float | None, fmt: str, st: Styles, *,
           bad: bool, op: Comparison, threshold: float, judged_exact: bool = True) -> None:  # fmt: skip
    """A judged figure, red where its verdict (*bad*) says it misses *threshold*. Where the
    form's digits would print it on the other side of the threshold than that verdict (a CV
    of 0.5004 as 0.500), it gets as many more decimals as it takes to read the way it is
    judged (0.5004)."""
    if value is not None and math.isfinite(value) and judged_exact:
        digits = NUM_FORMATS[fmt]
        if contradicts(value, op, threshold, digits):
            shown = exact_for(value, op, threshold, max(digits + 1, EXACT_DIGITS))
            fmt = "0." + "0" * min(len(shown.split(".")[1]), 6)
    number(ws, row, col, value, fmt, st, bad=bad)


class _WideChars(dict[int, str | None]):
    """str.translate table keeping wide characters and deleting the rest, filled per character
    on first sight: a province's tables measure some 80,000 texts, most of them Chinese."""

    def __missing__(self, code: int) -> str | None:
        keep = chr(code) if unicodedata.east_asian_width(chr(code)) in "WF" else None
        self[code] = keep
        return keep


_WIDE = _WideChars()


def text_width(text: str) -> int:
    """Width in Excel's character units: CJK and full-width characters take two."""
    if text.isascii():
        return len(text)
    return len(text) + len(text.translate(_WIDE))


def row_height(texts: Sequence[tuple[str, float]], minimum: float = 18.0) -> float:
    """A row height that shows wrapped text in full, for (text, column width) pairs.

    Excel does not re-measure wrapped rows of a written file, so the height is set here.
    """
    lines = max((_lines(text, width) for text, width in texts), default=1)
    return max(minimum, max(lines, 1) * _LINE_PT + 4)


@functools.lru_cache(maxsize=8192)
def _lines(text: str, width: float) -> int:
    # indicator names, notes and units repeat on every row of the gap sheet
    usable = max(width - 1.5, 1.0)
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in text.split("\n"))


def ordered(schools: Sequence[SchoolResult]) -> list[SchoolResult]:
    """Primary schools first, then junior, each by school code (the form's order)."""
    return sorted(schools, key=lambda s: (STAGES.index(s.stage), s.code))


def floor_pct(std: Standard) -> str:
    return f"{float(std.settings['floor_share']) * 100:g}%"


def sheet_name(base: str, county_code: str, several: bool) -> str:
    name = f"{county_code} {base}" if several else base
    return _INVALID_SHEET_CHARS.sub("_", name)[:31]


def title(ws: Sheet, text: str, last_col: int, st: Styles) -> None:
    ws.merge_range(0, 0, 0, last_col, text, st.title)
    ws.set_row(0, 30)


def codes(ws: Sheet, row: int, first_col: int, count: int, st: Styles) -> None:
    """The L1…Ln row under a form header: the columns' numbers in the declaration form."""
    for i in range(count):
        ws.write_string(row, first_col + i, f"L{i + 1}", st.code)


def footnote(ws: Sheet, row: int, last_col: int, text: str, widths: Sequence[float],
             st: Styles) -> None:  # fmt: skip
    ws.merge_range(row, 0, row, last_col, text, st.note)
    ws.set_row(row, row_height([(text, sum(widths[: last_col + 1]))]))


def setup(ws: Sheet, widths: Sequence[float], header_rows: int) -> None:
    """Column widths and an A4 landscape print, one page wide, headers on every page."""
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.repeat_rows(0, header_rows - 1)
    ws.set_footer("&C第 &P 页，共 &N 页")


class _Gap(NamedTuple):
    code: str
    name: str
    stage: str
    indicator: str
    value: float | None
    target: float | None
    floor: float | None
    gap: float | None
    gap_floor: float | None
    unit: str
    note: str
    fmts: tuple[str, str, str] = ("0", "0", "0")
    """Formats of 现值, 标准值 and 85%底线, and the two shortfalls."""


def _ceil_to(x: float, places: int) -> float:
    # rounded up, so that adding the amount shown closes the gap; 1e-6 absorbs float noise
    scale = 10.0**places
    return math.ceil(x * scale - 1e-6) / scale


def _resource_gaps(s: SchoolResult, std: Standard) -> list[_Gap]:
    out = []
    for g in s.gaps:
        k, places = g.indicator, _GAP_DECIMALS.get(g.indicator, 0)
        target = std.threshold(k, s.stage)
        note = f"{'低于' if k in s.below_floor else '已达'}{floor_pct(std)}底线"
        if k in FACILITY_KEYS and s.type in _SHARED:
            note += "；校舍设备按学段分摊，差距为全校应增加量"
        out.append(_Gap(s.code, s.name, STAGE_TITLES[s.stage], std.indicator(k).title,
                        s.values.get(k), rounded(target, 4),
                        rounded(target * float(std.settings["floor_share"]), 4),
                        _ceil_to(g.to_standard, places), _ceil_to(g.to_floor, places), g.unit, note,
                        ("0.00", "0.00#", "0.00" if places else "0")))  # fmt: skip
    return out


def _check_gaps(chk: dict[str, Any], std: Standard) -> list[_Gap]:
    """Shortfalls on the school-level parts of guarantee items 3 and 4 and quality item 4."""
    rooms = std.indicator("music_art_rooms").params
    size = std.indicator("school_size").params
    funds_min = std.param("training_funds", "min")
    school = (chk["code"], chk["name"], _TYPE_TITLES.get(chk["type"], chk["type"]))
    out = []
    for kind, key in (("音乐", "music"), ("美术", "art")):
        if chk.get(f"{key}_short"):
            out.append(_Gap(*school, f"{kind}专用教室（达标间数）", chk[f"{key}_ok"],
                            chk["rooms_needed"], None, chk[f"{key}_short"], None, "间",
                            f"全校{chk['classes_total']}个班，每{rooms['classes_per_room']:g}个班应配1间，"
                            f"单间不小于{rooms[f'{key}_min_area']:g}㎡"))  # fmt: skip
    if chk.get("oversize"):
        limit = size[_SIZE_LIMIT.get(chk["type"], "primary")]
        out.append(_Gap(*school, "学校规模（义务教育阶段在校生数）", chk["compulsory"], limit, None,
                        chk["compulsory"] - limit, None, "人", "超出规模上限，须分流的在校生数"))  # fmt: skip
    short = chk.get("training_short")
    if short and short > 1e-6:
        budget = chk["public_funds"] * 10_000
        out.append(_Gap(*school, f"教师培训经费（不低于公用经费预算的{funds_min * 100:g}%）",
                        chk["training_funds"] * 10_000, budget * funds_min, None, _ceil_to(short, 0),
                        None, "元", f"上年度公用经费预算{shown(budget, 0)}元"))  # fmt: skip
    return out


_GAP_HEADS = ("区县", "学校标识码", "学校名称", "学段", "指标", "现值", "标准值", "85%底线",
              "距标准还差", "距85%底线还差", "单位", "说明")  # fmt: skip


def gap_sheet(ws: Sheet, ev: Evaluation, st: Styles) -> None:
    widths = [10, 12, 22, 9, 30, 10, 9, 9, 10, 10, 6, 34]
    setup(ws, widths, 2)
    ws.freeze_panes(2, 3)
    where = ev.counties[0].name if len(ev.counties) == 1 else f"{len(ev.counties)}个区县"
    title(ws, f"学校资源配置及保障指标差距明细（{where}）", len(widths) - 1, st)
    heads = [h.replace("85%", floor_pct(ev.standard)) for h in _GAP_HEADS]
    ws.write_row(1, 0, heads, st.head)
    ws.set_row(1, row_height(list(zip(heads, widths, strict=True))))
    r = 2
    for c in ev.counties:
        rows = [g for s in ordered(c.resource.schools) for g in _resource_gaps(s, ev.standard)]
        rows += [g for chk in sorted(c.school_checks, key=lambda d: str(d["code"]))
                 for g in _check_gaps(chk, ev.standard)]  # fmt: skip
        for g in rows:
            for j, text in enumerate((c.name, g.code, g.name, g.stage, g.indicator)):
                ws.write_string(r, j, text, st.text)
            vf, tf, gf = g.fmts
            # 现值 misses 标准值 on every row: it must not print as if it reached it (4.196 → 4.196,
            # not 4.20 beside a standard of 4.2)
            if g.target is not None and g.value is not None:
                judged(ws, r, 5, g.value, vf, st, bad=False, op=">=", threshold=g.target,
                       judged_exact=ev.standard.settings.get("compare_at", "exact") != "displayed")  # fmt: skip
            else:
                number(ws, r, 5, g.value, vf, st)
            for j, (v, f) in enumerate(((g.target, tf), (g.floor, tf), (g.gap, gf),
                                        (g.gap_floor, gf)), start=6):  # fmt: skip
                number(ws, r, j, v, f, st)
            ws.write_string(r, 10, g.unit, st.centre)
            ws.write_string(r, 11, g.note, st.text)
            texts = [(g.name, widths[2]), (g.indicator, widths[4]), (g.note, widths[11])]
            ws.set_row(r, row_height(texts))
            r += 1
    last = len(widths) - 1
    if r == 2:
        ws.merge_range(2, 0, 2, last, "所有参评学校各项指标均达到标准，无差距。", st.centre)
    else:
        ws.autofilter(1, 0, r - 1, last)
