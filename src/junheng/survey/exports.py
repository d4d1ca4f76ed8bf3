"""The sampling plan as a workbook a county prints and hands to each school."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from junheng.contract import URBAN_RURAL
from junheng.survey.questionnaire import GROUPS
from junheng.survey.sampling import SamplingPlan


def write_sampling_plan(path: Path, plan: SamplingPlan, county: str) -> None:
    book = xlsxwriter.Workbook(str(path))
    title = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
    cell = book.add_format({"border": 1})
    total_fmt = book.add_format({"border": 1, "bold": True})

    sheet = book.add_worksheet("抽样方案")
    sheet.write(0, 0, f"{county}社会认可度调查抽样方案", title)
    sheet.write(
        1, 0, f"常住人口 {plan.population} 万人，样本总量 {plan.total} 份；{plan.area_basis}"
    )
    sheet.write_row(3, 0, ["调查对象", *URBAN_RURAL, "合计"], head)
    for r, (group, label) in enumerate(GROUPS.items(), start=4):
        areas = plan.by_area[group]
        sheet.write_row(r, 0, [label, *(areas[a] for a in URBAN_RURAL), plan.by_group[group]], cell)
    last = 4 + len(GROUPS)
    sums = [sum(plan.by_area[g][a] for g in GROUPS) for a in URBAN_RURAL]
    sheet.write_row(last, 0, ["合计", *sums, plan.total], total_fmt)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 4, 10)

    schools = book.add_worksheet("分校样本")
    groups = [g for g in GROUPS if g in plan.schools.columns]
    schools.write(0, 0, f"{county}各校问卷份数（学生、家长、教师）", title)
    schools.write_row(2, 0, ["学校代码", "学校名称", "城乡", *(GROUPS[g] for g in groups)], head)
    frame = plan.schools.select("school_code", "school_name", "area", *groups)
    for r, row in enumerate(frame.iter_rows(), start=3):
        schools.write_row(r, 0, row, cell)
    schools.set_column(0, 0, 14)
    schools.set_column(1, 1, 28)
    book.close()
