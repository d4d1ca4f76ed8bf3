"""Report benchmark: a 300-school county's 自评报告 and a 100-county overview, against the engine.

    python bench/bench_report.py            # county report (docx, xlsx, pdf if LibreOffice) + overview
    python bench/bench_report.py --no-pdf

Each figure is the best of ``--repeats`` runs after one warm-up (imports and the font cache are
paid once per process, as in a web worker); the cold first run is printed too. Ratios are to the
engine's evaluation of the same data in the same run. Exit status 2 with ``--strict`` when a
target is missed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from junheng.engine.api import evaluate
from junheng.process.monitoring import Alert, Level
from junheng.reports.county import ReportFormat, write_county_report
from junheng.reports.overview import write_overview
from junheng.reports.progress import OpenItem, Progress, Watch
from junheng.standard import load_standard
from synthetic import generate, scaled

TARGET_REPORT_S = 5.0
TARGET_OVERVIEW_S = 20.0


def best(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(cold first run, best of *repeats* further runs) in seconds."""
    t0 = time.perf_counter()
    fn()
    cold = time.perf_counter() - t0
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return cold, min(times)


def progress_of(codes: list[str]) -> Progress:
    """A busy province: 12 open ledger items per county (a third overdue), every county
    monitored with one warning of each level."""
    items = [OpenItem(f"第{n}小学骨干教师未达标，差{n}人", due="2026-06-30", status="整改中",
                      overdue=n % 3 == 0) for n in range(1, 13)]  # fmt: skip
    alerts = tuple(Alert(lv, f"k{lv}", f"{lv}事项", f"{lv}：差异系数0.480（上限 0.50）")
                   for lv in Level)  # fmt: skip
    return Progress(ledger={c: items for c in codes},
                    monitoring={c: Watch(2026, alerts) for c in codes})  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-pdf", action="store_true")
    ap.add_argument("--strict", action="store_true")
    args = ap.parse_args()
    std = load_standard()
    missed = False
    with tempfile.TemporaryDirectory() as tmp:
        county = generate(1, 300).dataset()
        code = str(county.schools["county_code"][0])
        _, engine = best(lambda: evaluate(county, std), args.repeats)
        print(
            f"300-school county ({county.schools.height} schools), engine evaluation: {engine:.3f} s"
        )
        formats = [ReportFormat.docx, ReportFormat.xlsx]
        if not args.no_pdf and shutil.which("soffice"):
            formats.append(ReportFormat.pdf)
        for fmt in formats:
            out = Path(tmp, f"r.{fmt.value}")
            cold, warm = best(lambda f=fmt, o=out: write_county_report(county, std, code, f, o),
                              1 if fmt is ReportFormat.pdf else args.repeats)  # fmt: skip
            verdict = "met" if warm <= TARGET_REPORT_S else "MISSED"
            target = (f"  target ≤ {TARGET_REPORT_S:g} s {verdict}"
                      if fmt is ReportFormat.docx else "")  # fmt: skip
            print(f"  report {fmt.value:4}: {warm:6.2f} s (cold {cold:.2f} s), "
                  f"{warm / engine:7.1f}× the engine{target}")  # fmt: skip
            if fmt is ReportFormat.docx and warm > TARGET_REPORT_S:
                missed = True

        province = scaled(100).dataset()
        progress = progress_of(province.schools["county_code"].unique().to_list())
        _, engine = best(lambda: evaluate(province, std), args.repeats)
        print(f"100-county province ({province.schools.height:,} schools), engine: {engine:.3f} s")
        for suffix in ("docx", "xlsx"):
            out = Path(tmp, f"o.{suffix}")
            cold, warm = best(
                lambda o=out: write_overview(evaluate(province, std), o, progress=progress),
                args.repeats,
            )
            print(f"  overview {suffix} (evaluation included): {warm:6.2f} s (cold {cold:.2f} s), "
                  f"{warm / engine:6.1f}× the engine  target ≤ {TARGET_OVERVIEW_S:g} s "
                  f"{'met' if warm <= TARGET_OVERVIEW_S else 'MISSED'}")  # fmt: skip
            missed |= warm > TARGET_OVERVIEW_S
    print("Times are on a shared 2-core machine and vary by tens of percent between runs.")
    return 2 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
