"""A plan's additions put into the schools' own columns: in the frame, and in the workbook."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl

from ..contract import SCHOOL_BY_KEY, SCHOOL_SHEET, normalise_header
from ..errors import JunhengError
from ..reader import Dataset

INT_COLUMNS = ("p_teachers", "p_qualified", "p_backbone", "p_pe_art",
               "j_teachers", "j_qualified", "j_backbone", "j_pe_art", "mm_rooms")  # fmt: skip
NUM_COLUMNS = ("teach_area", "sports_ground", "equipment")
ADD_COLUMNS = (*INT_COLUMNS, *NUM_COLUMNS)


def apply_additions(data: Dataset, additions: pl.DataFrame) -> Dataset:
    """*data* with *additions* (code + the ADD_COLUMNS, zero where nothing is added) added."""
    if additions.height == 0:
        return data
    joined = data.schools.join(additions, on="code", how="left", suffix="__add")
    exprs = []
    for c in ADD_COLUMNS:
        add = pl.col(f"{c}__add").fill_null(0)
        # an addition to a blank cell stays blank: the engine reports it as not filled
        exprs.append(pl.when(pl.col(c).is_null()).then(None).otherwise(pl.col(c) + add).alias(c))
    out = joined.with_columns(exprs).drop([f"{c}__add" for c in ADD_COLUMNS])
    out = out.with_columns(
        [pl.col(c).cast(pl.Int64) for c in INT_COLUMNS]
        + [pl.col(c).cast(pl.Float64) for c in NUM_COLUMNS]
    )
    return Dataset(out, data.counties, data.source)


def write_applied(source: Path, target: Path, additions: pl.DataFrame) -> int:
    """Copy the workbook *source* to *target* with the additions added; returns cells changed."""
    from openpyxl import load_workbook

    if source.suffix.lower() != ".xlsx":
        raise JunhengError(f"--apply 只能用于 .xlsx 工作簿，输入文件是 {source.name}")
    if source.resolve() != target.resolve():
        shutil.copyfile(source, target)
    book = load_workbook(target)
    if SCHOOL_SHEET not in book.sheetnames:
        raise JunhengError(f"工作簿中没有“{SCHOOL_SHEET}”工作表")
    sheet = book[SCHOOL_SHEET]
    wanted = {normalise_header(SCHOOL_BY_KEY[c].header): c for c in (*ADD_COLUMNS, "code")}
    where: dict[str, int] = {}
    header_row = 0
    for r, row in enumerate(sheet.iter_rows(min_row=1, max_row=10, values_only=True), start=1):
        found = {wanted[h]: j for j, v in enumerate(row) if v is not None
                 and (h := normalise_header(v)) in wanted}  # fmt: skip
        if "code" in found and len(found) > len(where):
            where, header_row = found, r
    missing = [SCHOOL_BY_KEY[c].header for c in (*ADD_COLUMNS, "code") if c not in where]
    if missing:
        raise JunhengError(f"工作表“{SCHOOL_SHEET}”缺少列：{'、'.join(missing)}")
    adds = {r["code"]: r for r in additions.iter_rows(named=True)}
    changed = 0
    for row in sheet.iter_rows(min_row=header_row + 1):
        code = row[where["code"]].value
        rec = adds.get(str(code).strip()) if code is not None else None
        if rec is None:
            continue
        for c in ADD_COLUMNS:
            add = rec[c]
            cell = row[where[c]]
            if not add or cell.value in (None, ""):
                continue
            old = float(cell.value)
            new = old + add
            cell.value = round(new) if c in INT_COLUMNS else new
            changed += 1
    book.save(target)
    return changed
