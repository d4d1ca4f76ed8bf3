"""Paper questionnaires entered in bulk from a workbook: taken whole or refused whole.

One row per questionnaire; one column per question, headed by its theme, holding the option
letter (A–E) or its wording. Every bad cell is named with its row and column.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import xlsxwriter
from python_calamine import CalamineWorkbook

from junheng.contract import URBAN_RURAL
from junheng.errors import Finding, InputError
from junheng.survey.questionnaire import Questionnaire
from junheng.survey.rates import RESPONSE_SCHEMA

SHEET = "纸质问卷"
FIXED = ("问卷编号", "调查对象", "城乡", "学校代码")
MAX_ROWS = 100_000


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def write_paper_template(path: Path, questionnaire: Questionnaire) -> None:
    """The blank entry sheet, with drop-down lists so a clerk cannot type an unknown option."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet(SHEET)
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    headers = [*FIXED, *(q.theme for q in questionnaire.questions)]
    sheet.write_row(0, 0, headers, head)
    sheet.set_column(0, len(headers) - 1, 12)
    groups = list(questionnaire.groups.values())
    sheet.data_validation(1, 1, MAX_ROWS, 1, {"validate": "list", "source": groups})
    sheet.data_validation(1, 2, MAX_ROWS, 2, {"validate": "list", "source": list(URBAN_RURAL)})
    keys = [o.key for o in questionnaire.options]
    sheet.data_validation(1, 4, MAX_ROWS, len(headers) - 1, {"validate": "list", "source": keys})
    notes = book.add_worksheet("填写说明")
    notes.write(0, 0, f"{questionnaire.title}（版本 {questionnaire.version}）")
    for i, opt in enumerate(questionnaire.options, start=2):
        notes.write(i, 0, f"{opt.key}：{opt.label}")
    notes.write(
        len(questionnaire.options) + 3,
        0,
        "未向该类对象提问的题目留空；学生、家长、教师须填学校代码。",
    )
    book.close()


def read_paper(
    path: Path, questionnaire: Questionnaire, school_codes: set[str] | None = None
) -> pl.DataFrame:
    """Answers in the long form of :data:`RESPONSE_SCHEMA`, or InputError naming every bad cell."""
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception:  # calamine raises several unrelated types for a file that is not a workbook
        raise InputError(
            [Finding("not_workbook", "不是工作簿", f"{path.name} 不是可读取的 Excel 工作簿")]
        ) from None
    if SHEET not in book.sheet_names:
        raise InputError(
            [Finding("missing_sheet", "缺少工作表", f"工作簿中没有“{SHEET}”工作表", sheet=SHEET)]
        )
    rows = book.get_sheet_by_name(SHEET).to_python(skip_empty_area=False, nrows=MAX_ROWS + 2)
    if len(rows) > MAX_ROWS + 1:
        raise InputError(
            [Finding("too_many_rows", "行数过多", f"“{SHEET}”超过 {MAX_ROWS} 行", sheet=SHEET)]
        )
    header = [str(h).strip() for h in rows[0]] if rows else []
    by_theme = {q.theme: q for q in questionnaire.questions}
    findings: list[Finding] = []
    for name in (*FIXED, *by_theme):
        if name not in header:
            findings.append(
                Finding(
                    "missing_column", "缺少列", f"“{SHEET}”缺少“{name}”列", sheet=SHEET, column=name
                )
            )
    if findings:
        raise InputError(findings)
    col = {name: header.index(name) for name in header if name}
    group_of = {label: key for key, label in questionnaire.groups.items()}
    records: list[dict[str, str | None]] = []
    seen: set[str] = set()

    def bad(row: int, name: str, value: object, expected: str) -> None:
        cell = f"{_column_letter(col[name])}{row}"
        findings.append(
            Finding(
                "bad_value",
                "填写有误",
                f"“{SHEET}”第 {row} 行“{name}”列（{cell}）填写“{value}”，应为{expected}",
                sheet=SHEET,
                row=row,
                column=name,
                value=str(value),
            )
        )

    for number, raw in enumerate(rows[1:], start=2):
        cells = {name: str(raw[i]).strip() if i < len(raw) else "" for name, i in col.items()}
        if not any(cells.values()):
            continue
        qid = cells["问卷编号"]
        if not qid:
            bad(number, "问卷编号", "", "非空的问卷编号")
        elif qid in seen:
            bad(number, "问卷编号", qid, "不重复的问卷编号")
        seen.add(qid)
        group = group_of.get(cells["调查对象"])
        if group is None:
            bad(
                number,
                "调查对象",
                cells["调查对象"],
                "、".join(questionnaire.groups.values()) + "之一",
            )
        if cells["城乡"] not in URBAN_RURAL:
            bad(number, "城乡", cells["城乡"], "城区、镇区、乡村之一")
        school = cells["学校代码"] or None
        if group in ("student", "parent", "teacher") and not school:
            bad(number, "学校代码", "", "学生、家长、教师问卷所在学校的代码")
        elif school and school_codes is not None and school not in school_codes:
            bad(number, "学校代码", school, "本县学校的代码")
        asked = {q.id for q in questionnaire.for_group(group)} if group else set()
        for theme, q in by_theme.items():
            answer = cells[theme]
            if not answer:
                continue
            if group and q.id not in asked:
                bad(number, theme, answer, f"留空（该题不向{questionnaire.groups[group]}提问）")
            elif questionnaire.option(answer) is None:
                bad(number, theme, answer, "A–E 或选项文字")
            else:
                records.append(
                    {
                        "questionnaire": qid,
                        "group": group,
                        "area": cells["城乡"],
                        "school_code": school,
                        "question": q.id,
                        "answer": answer,
                    }
                )
    if findings:
        raise InputError(findings)
    return pl.DataFrame(records, schema=RESPONSE_SCHEMA)
