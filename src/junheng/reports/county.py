"""One county's hand-in files from a validated dataset: 自评报告 (.docx/.pdf) or 申报表 (.xlsx)."""

from __future__ import annotations

import tempfile
from enum import StrEnum
from pathlib import Path

import polars as pl

from ..engine.api import evaluate
from ..errors import JunhengError
from ..reader import Dataset
from ..results import Evaluation
from ..standard import Standard
from .basic import basic_facts
from .context import LedgerItem, ReportInput


class ReportFormat(StrEnum):
    docx = "docx"
    pdf = "pdf"
    xlsx = "xlsx"


def county_only(data: Dataset, county: str) -> Dataset:
    """*data* cut to the county whose code or name is *county*; a Chinese error if absent."""
    match = (pl.col("county_code") == county) | (pl.col("county_name") == county)
    schools = data.schools.filter(match)
    if schools.is_empty():
        known = data.schools.select("county_code", "county_name").unique().sort("county_code")
        listed = "、".join(f"{c} {n}" for c, n in known.head(20).iter_rows())
        more = f"等{known.height}个" if known.height > 20 else ""
        raise JunhengError(
            f"数据中没有区县“{county}”（按区县代码或名称查找）。可选的区县：{listed}{more}。"
        )
    code = str(schools["county_code"][0])
    counties = (
        data.counties.filter(pl.col("county_code") == code) if data.counties is not None else None
    )
    return Dataset(schools, counties, data.source)


def check_year(data: Dataset, year: int | None) -> int | None:
    """The year a report covers: what the 区县 sheet's 评估年度 states, which *year* (``--year``)
    must match, since a workbook holds one year; where the sheet states none, *year* itself."""
    if data.counties is None or "year" not in data.counties.columns:
        return year
    stated = data.counties.filter(pl.col("year").is_not_null())
    rows = stated["_row"].to_list() if "_row" in stated.columns else [None] * stated.height
    pairs = list(zip(rows, stated["year"].to_list(), strict=True))
    if not pairs:
        return year
    if year is None:
        years = {y for _, y in pairs}
        return years.pop() if len(years) == 1 else None
    for row, stated_year in pairs:
        if stated_year != year:
            where = f"第{row}行" if row is not None else ""
            raise JunhengError(
                f"工作表“区县”{where}“评估年度”为{stated_year}年，与 --year {year} 不符："
                f"一个填报工作簿只含一个年度的数据。请改用 --year {stated_year}，"
                f"或换用{year}年的填报工作簿。"
            )
    return year


def write_county_report(
    data: Dataset,
    std: Standard,
    county: str,
    fmt: ReportFormat,
    path: str | Path,
    *,
    year: int | None = None,
    ledger: list[LedgerItem] | None = None,
    template: str | Path | None = None,
    history: dict[int, dict[str, float | None]] | None = None,
) -> tuple[Path, Evaluation]:
    """Evaluate *county* in *data* and write its report in *fmt* to *path*."""
    from .declaration import write_declaration
    from .pdf import INSTALL_HINT as PDF_HINT
    from .pdf import docx_to_pdf, find_soffice
    from .word import write_report

    one = county_only(data, county)
    year = check_year(one, year)
    if fmt is ReportFormat.pdf and find_soffice() is None:
        raise JunhengError(PDF_HINT)  # before the evaluation and charts, not after
    ev = evaluate(one, std)
    c = ev.counties[0]
    facts = basic_facts(one, std)
    path = Path(path)
    if fmt is ReportFormat.xlsx:
        return write_declaration(ev, facts, c.code, path), ev
    if history is not None and year is not None:
        # this year's figures from this evaluation, earlier years as stored
        history = {y: v for y, v in history.items() if y < year} | {year: _max_cvs(ev)}
    extra = ReportInput(history=history or {}, basic=facts.get(c.code), ledger=ledger or [],
                        sources=[f"数据来源：{data.source}"] if data.source else [],
                        year=year)  # fmt: skip
    if fmt is ReportFormat.docx:
        return write_report(ev, c.code, path, extra, template), ev
    with tempfile.TemporaryDirectory(prefix="junheng-report-") as tmp:
        docx = write_report(ev, c.code, Path(tmp, f"{c.code}.docx"), extra, template)
        return docx_to_pdf(docx, path), ev


def _max_cvs(ev: Evaluation) -> dict[str, float | None]:
    stages = ev.counties[0].resource.stages
    return {
        s: max((v for v in st.cv.values() if v is not None), default=None)
        for s, st in stages.items()
    }


def default_name(county: str, fmt: ReportFormat) -> Path:
    title = "申报表" if fmt is ReportFormat.xlsx else "自评报告"
    return Path(f"{county}{title}.{fmt.value}")


__all__ = ["ReportFormat", "check_year", "county_only", "default_name", "write_county_report"]
