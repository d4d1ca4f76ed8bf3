"""The county 自评报告 as .docx: the editable template filled by docxtpl, charts included."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError

from ..errors import JunhengError
from ..results import CountyResult, Evaluation
from .charts import cv_chart, distribution_chart, trend_chart
from .context import ReportInput, report_context
from .template_build import TEMPLATE


def write_template(path: str | Path) -> Path:
    """Copy the default template to *path* for a county to reword in Word."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(TEMPLATE, path)
    except OSError as exc:
        raise JunhengError(f"无法写入模板 {path}：{exc}") from exc
    return path


def _charts(tpl: DocxTemplate, c: CountyResult, ev: Evaluation,
            history: dict[int, dict[str, float | None]]) -> dict[str, Any]:  # fmt: skip
    trend = trend_chart(c, ev.standard, history)
    out: dict[str, Any] = {
        "trend": InlineImage(tpl, io.BytesIO(trend), width=Cm(15.5)) if trend else None
    }
    for stage in ("primary", "junior"):
        for name, draw, width in (("cv", cv_chart, 15.5), ("dist", distribution_chart, 15.0)):
            png = draw(c, ev.standard, stage)
            out[f"{name}_{stage}"] = (
                InlineImage(tpl, io.BytesIO(png), width=Cm(width)) if png else None
            )
    return out


def write_report(ev: Evaluation, county: str, path: str | Path, extra: ReportInput | None = None,
                 template: str | Path | None = None) -> Path:  # fmt: skip
    """Write county *county*'s (code or name) self-evaluation report to *path*."""
    c = find_county(ev, county)
    path = Path(path)
    source = Path(template) if template else TEMPLATE
    if not source.is_file():
        raise JunhengError(f"报告模板 {source} 不存在。")
    try:
        tpl = DocxTemplate(str(source))
        ctx = report_context(ev, c, extra)
        ctx.update(_charts(tpl, c, ev, extra.history if extra else {}))
        tpl.render(ctx, autoescape=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        tpl.save(str(path))
    except TemplateError as exc:
        raise JunhengError(
            f"报告模板 {source} 有误（请检查 {{{{ }}}} 和 {{% %}} 标记）：{exc}"
        ) from exc
    except OSError as exc:
        raise JunhengError(f"无法写入报告 {path}：{exc}") from exc
    return path


def find_county(ev: Evaluation, county: str) -> CountyResult:
    """The county whose code or name is *county*; a Chinese error listing the choices if none."""
    for c in ev.counties:
        if county in (c.code, c.name):
            return c
    known = "、".join(f"{c.code} {c.name}" for c in ev.counties[:20])
    more = f"等{len(ev.counties)}个" if len(ev.counties) > 20 else ""
    raise JunhengError(f"数据中没有区县“{county}”。可选的区县：{known}{more}。")


__all__ = ["find_county", "write_report", "write_template"]
