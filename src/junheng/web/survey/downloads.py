"""Workbooks a county prints: invitation codes with their QR codes, the plan, the paper sheet."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import segno
import xlsxwriter

from junheng.survey import write_paper_template
from junheng.survey.exports import write_sampling_plan

from . import services
from .models import Invitation, Survey


def invitations_workbook(survey: Survey, base_url: str) -> bytes:
    """One row per unused code: group, area, school, link and a QR code to cut out and hand on."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("问卷邀请码")
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    cell = book.add_format({"border": 1, "valign": "vcenter", "text_wrap": True})
    sheet.write_row(0, 0, ["调查对象", "城乡", "学校", "邀请码", "填写网址", "二维码"], head)
    sheet.set_column(0, 3, 12)
    sheet.set_column(4, 4, 40)
    sheet.set_column(5, 5, 16)
    invitations = (
        Invitation.objects.filter(survey=survey, used=False)
        .select_related("school")
        .order_by("group", "school__code", "pk")
    )
    for r, inv in enumerate(invitations, start=1):
        url = f"{base_url}{inv.code}/"
        sheet.set_row(r, 90)
        school = inv.school.name if inv.school else ""
        sheet.write_row(r, 0, [inv.get_group_display(), inv.area, school, inv.code, url], cell)
        png = io.BytesIO()
        segno.make(url, error="m").save(png, kind="png", scale=3, border=2)
        sheet.insert_image(r, 5, f"{inv.code}.png", {"image_data": png, "object_position": 1})
    book.close()
    return out.getvalue()


def plan_workbook(survey: Survey) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.xlsx"
        write_sampling_plan(path, services.sampling_plan(survey), survey.county.name)
        return path.read_bytes()


def paper_template(survey: Survey) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "paper.xlsx"
        write_paper_template(path, services.questionnaire(survey))
        return path.read_bytes()
