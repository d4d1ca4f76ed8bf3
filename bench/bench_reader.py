"""Reader benchmark: read + validate a 20,000-school contract workbook (a province).

    python bench/bench_reader.py [--schools 20000] [--repeats 5]

The workbook is written with junheng's own writer from the synthetic generator, so it has
the header comments, drop-downs and number checks a real filled template has. Baselines:
openpyxl's read-only reader alone (the usual way to read such a file in Python) and
python-calamine alone (the parser junheng's reader uses), measured in the same run, runs
interleaved so that load from other processes hits both alike. Peak memory (VmHWM) is
measured in a fresh process for each, not inherited from this one.
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import openpyxl
import polars as pl
from polars.testing import assert_frame_equal
from python_calamine import CalamineWorkbook

from junheng.contract import LEVELS
from junheng.reader import read_workbook
from junheng.workbook import write_workbook
from synthetic import TYPE_NAMES, Synthetic, generate

T = TypeVar("T")
TARGET_READ_S = 2.0
TARGET_RATIO = 2.0
TARGET_PEAK_MB = 500
SCHOOLS_PER_COUNTY = 72  # the national average of the synthetic data


CPU: list[float] = []
"""Best CPU seconds (all threads of this process) of each function of the last interleaved
run: less disturbed than wall time when other processes crowd the cores."""


def interleaved(fns: Sequence[Callable[[], object]], repeats: int) -> list[float]:
    """Best time of each function, run in turns."""
    best = [math.inf] * len(fns)
    cpu = [math.inf] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            best[i] = min(best[i], time.perf_counter() - t0)
            cpu[i] = min(cpu[i], time.process_time() - c0)
    CPU[:] = cpu
    return best


_PEAK = """
import sys
from pathlib import Path
if sys.argv[1] == "junheng":
    from junheng.reader import read_workbook
    read_workbook(Path(sys.argv[2]))
else:
    from python_calamine import CalamineWorkbook
    book = CalamineWorkbook.from_path(sys.argv[2])
    rows = [book.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in book.sheet_names]
for line in open("/proc/self/status"):
    if line.startswith("VmHWM"):
        print(int(line.split()[1]) / 1024)
"""


def peak_mb(which: str, path: Path) -> float:
    """Peak resident memory of a fresh interpreter doing one read (imports included)."""
    done = subprocess.run([sys.executable, "-c", _PEAK, which, str(path)], capture_output=True,
                          text=True, check=True)  # fmt: skip
    return float(done.stdout.strip())


def best_of(fn: Callable[[], T], repeats: int) -> tuple[float, T]:
    times: list[float] = []
    result: T
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def school_records(syn: Synthetic) -> list[dict[str, Any]]:
    """Rows as a user fills them: Chinese 办学类型, 是/否 (the writer turns bools into those)."""
    frame = syn.schools.drop("_row").with_columns(
        pl.col("type").replace_strict(TYPE_NAMES, return_dtype=pl.String)
    )
    return frame.to_dicts()


def county_records(syn: Synthetic) -> list[dict[str, Any]]:
    """County rows; the quality-monitoring level written as Ⅰ–Ⅳ, as on the form."""
    levels = {i + 1: name for i, name in enumerate(LEVELS)}
    frame = syn.counties.drop("_row").with_columns(
        pl.col("monitor_level").replace_strict(levels, return_dtype=pl.String)
    )
    return frame.to_dicts()


def read_openpyxl(path: Path) -> int:
    """Every cell value of every sheet, read-only streaming: the plain-Python baseline."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    n = sum(1 for ws in book for _ in ws.iter_rows(values_only=True))
    book.close()
    return n


def read_calamine(path: Path) -> int:
    book = CalamineWorkbook.from_path(str(path))
    return sum(
        len(book.get_sheet_by_name(name).to_python(skip_empty_area=False))
        for name in book.sheet_names
    )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--schools", type=int, default=20_000)
    ap.add_argument("--repeats", type=int, default=5, help="runs per timing (≥3)")
    args = ap.parse_args(argv)
    repeats = max(3, args.repeats)
    n_counties = max(1, math.ceil(args.schools / SCHOOLS_PER_COUNTY))
    syn = generate(n_counties, args.schools, seed=7)
    schools, counties = school_records(syn), county_records(syn)

    with tempfile.TemporaryDirectory(prefix="junheng-bench-") as tmp:
        path = Path(tmp) / "填报.xlsx"
        t0 = time.perf_counter()
        write_workbook(path, schools, counties)
        t_write = time.perf_counter() - t0
        size_kb = path.stat().st_size / 1024

        data = read_workbook(path)
        t_read, t_cal = interleaved([lambda: read_workbook(path), lambda: read_calamine(path)], repeats)  # fmt: skip
        t_opx, _ = best_of(lambda: read_openpyxl(path), 1)
        peak, peak_cal = peak_mb("junheng", path), peak_mb("calamine", path)

    # the round trip must give back the generated frames exactly (_row included)
    assert data.counties is not None
    ok = True
    for label, got, want in (
        ("学校", data.schools, syn.schools),
        ("区县", data.counties, syn.counties),
    ):
        try:
            assert_frame_equal(got, want, check_exact=True)
        except AssertionError as exc:
            ok = False
            print(f"FAIL: {label} sheet read back differs: {exc}", file=sys.stderr)

    passed = t_read <= TARGET_READ_S
    ratio = t_read / t_cal
    print(
        f"workbook: {len(schools):,} schools, {len(counties):,} counties, {size_kb:,.0f} KiB, "
        f"written in {t_write:.2f} s; best of {repeats} runs each\n"
    )
    lines = [
        ("junheng read_workbook (read + validate)", f"{t_read:.3f} s",
         f"≤ {TARGET_READ_S:g} s  {'PASS' if passed else 'FAIL'}"),
        ("python-calamine parse alone, every sheet (baseline)", f"{t_cal:.3f} s", ""),
        ("  read_workbook / calamine", f"{ratio:.2f}×",
         f"≤ {TARGET_RATIO:g}×  {'PASS' if ratio <= TARGET_RATIO else 'FAIL'}"),
        ("  CPU seconds (all threads): read_workbook, calamine", f"{CPU[0]:.3f} s",
         f"{CPU[1]:.3f} s, ratio {CPU[0] / CPU[1]:.2f}×"),
        ("peak memory, fresh process, read_workbook", f"{peak:.0f} MiB",
         f"≤ {TARGET_PEAK_MB} MB  {'PASS' if peak <= TARGET_PEAK_MB else 'FAIL'}"),
        ("peak memory, fresh process, calamine alone", f"{peak_cal:.0f} MiB", ""),
        ("openpyxl read-only, values only (one run)", f"{t_opx:.3f} s", ""),
        ("  read_workbook / openpyxl", f"{t_read / t_opx:.2f}×", "lower is better"),
        ("round trip equals the generated frames", "yes" if ok else "NO", ""),
    ]  # fmt: skip
    w = max(len(a) for a, _, _ in lines)
    for a, b, c in lines:
        print(f"  {a:<{w}}  {b:>9}  {c}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
