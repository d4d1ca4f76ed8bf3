"""End-to-end benchmark: Parquet → JSON file, and the 申报表 workbooks, against baselines
measured in the same run on the same data.

    python bench/bench_end_to_end.py            # national scale, 2,900 counties
    python bench/bench_end_to_end.py --quick    # 290 counties, a smoke run

(a) ``evaluate_frames`` in memory is the baseline of the JSON path: the whole evaluation JSON
from Parquet should cost at most 10× it (and 3 s at national scale). (b) The 申报表 of a
province (100 counties, one workbook per county, zipped) and of one county, against bare
XlsxWriter writing the same schools' figures without any layout. Timings are the best of
several runs taken in turns, so that load from other processes hits all alike; the machine
this is written on has 2 cores shared with other work, so absolute times are noisy: read the
ratios. Peak memory is VmHWM of a freshly started interpreter (ru_maxrss would carry over the
peak of the process that started it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl
import xlsxwriter

from junheng.engine.api import evaluate
from junheng.engine.build import build_evaluation
from junheng.engine.frames import evaluate_frames
from junheng.reader import Dataset
from junheng.reports.tables import write_tables
from junheng.results import Evaluation
from junheng.standard import RESOURCE_KEYS, load_standard
from synthetic import N_COUNTIES, generate, scaled

QUICK_COUNTIES = 290
PROVINCE = 100
TARGET_JSON_S = 3.0
TARGET_JSON_RATIO = 10.0
TARGET_COUNTY_S = 0.3
TARGET_PROVINCE_S = 5.0


CPU: dict[int, float] = {}
"""Best CPU time (all threads of this process) of each function of the last interleaved run:
less disturbed than wall time when other processes crowd the cores."""


def interleaved(fns: Sequence[Callable[[], object]], repeats: int) -> list[float]:
    """Best wall time of each of *fns*, run in turns *repeats* times."""
    times: list[list[float]] = [[] for _ in fns]
    cpu: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            times[i].append(time.perf_counter() - t0)
            cpu[i].append(time.process_time() - c0)
    CPU.clear()
    CPU.update({i: min(c) for i, c in enumerate(cpu)})
    return [min(t) for t in times]


def read_parquet(folder: Path) -> Dataset:
    return Dataset(
        pl.read_parquet(folder / "schools.parquet"),
        pl.read_parquet(folder / "counties.parquet"),
        source=str(folder),
    )


def parquet_to_json(folder: Path, out: Path) -> None:
    """What ``junheng evaluate -f json -o`` does after reading, from Parquet instead of xlsx."""
    standard = load_standard()
    ev = evaluate(read_parquet(folder), standard)
    with out.open("wb") as f:
        ev.write_json(f)


def bare_xlsx(ev: Evaluation, path: Path) -> None:
    """Baseline: every school's figures of every county, one bare sheet per county, no
    formats, no layout: what writing the same numbers costs in XlsxWriter at the least."""
    with xlsxwriter.Workbook(str(path), {"constant_memory": True}) as book:
        for c in ev.counties:
            ws = book.add_worksheet(c.code)
            for r, s in enumerate(c.resource.schools):
                ws.write_row(r, 0, [s.code, s.name, s.students, s.classes or 0,
                                    *(s.values[k] or 0.0 for k in RESOURCE_KEYS),
                                    "是" if s.passed else "否"])  # fmt: skip


def child(folder: Path, out: Path) -> None:
    parquet_to_json(folder, out)
    status = Path("/proc/self/status").read_text()
    hwm = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    print(json.dumps({"peak_kib": int(hwm.split()[1])}))


def fresh_peak(folder: Path, out: Path) -> int:
    """Peak resident memory of a new interpreter doing Parquet → JSON, in bytes."""
    run = subprocess.run(
        [sys.executable, __file__, "--child", str(folder), str(out)],
        check=True, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )  # fmt: skip
    return int(json.loads(run.stdout.strip().splitlines()[-1])["peak_kib"]) * 1024


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--quick", action="store_true", help=f"{QUICK_COUNTIES} counties")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--strict", action="store_true", help="exit 2 if a target is missed")
    ap.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    n = QUICK_COUNTIES if args.quick else N_COUNTIES
    syn = generate() if n == N_COUNTIES else scaled(n)
    standard = load_standard()
    data = syn.dataset()
    print(f"synthetic: {syn.schools.height:,} schools in {n:,} counties; polars {pl.__version__}, "
          f"xlsxwriter {xlsxwriter.__version__}, {os.cpu_count()} CPUs; best of {args.repeats}")  # fmt: skip
    missed: list[str] = []

    with tempfile.TemporaryDirectory(prefix="junheng-e2e-") as tmp:
        folder = Path(tmp)
        syn.schools.write_parquet(folder / "schools.parquet")
        syn.counties.write_parquet(folder / "counties.parquet")
        out = folder / "result.json"
        frames = evaluate_frames(data, standard)
        t_frames, t_read, t_json, t_e2e = interleaved(
            [
                lambda: evaluate_frames(data, standard),
                lambda: read_parquet(folder),
                lambda: build_evaluation(frames).to_json(),
                lambda: parquet_to_json(folder, out),
            ],
            args.repeats,
        )
        size = out.stat().st_size
        peak = fresh_peak(folder, folder / "child.json")
    ratio = t_e2e / t_frames
    cpu_frames, cpu_e2e = CPU[0], CPU[3]
    print("\n(a) evaluation JSON for every county")
    print(f"  evaluate_frames in memory (baseline)       {t_frames:7.3f} s")
    print(f"  read_parquet                               {t_read:7.3f} s")
    print(f"  JSON from the frames (to_json)             {t_json:7.3f} s")
    print(f"  Parquet → JSON file, end to end            {t_e2e:7.3f} s   ≤ {TARGET_JSON_S:g} s  "
          f"{verdict(t_e2e <= TARGET_JSON_S)}")  # fmt: skip
    print(f"  end to end / evaluate_frames               {ratio:7.1f} ×   ≤ {TARGET_JSON_RATIO:g} ×  "
          f"{verdict(ratio <= TARGET_JSON_RATIO)}")  # fmt: skip
    print(f"  CPU seconds (all threads): evaluate_frames {cpu_frames:.2f}, end to end "
          f"{cpu_e2e:.2f}, ratio {cpu_e2e / cpu_frames:.1f} ×")  # fmt: skip
    print(
        f"  JSON size {size / 1e6:.0f} MB; peak RSS of a fresh process doing it {peak / 2**20:.0f} MiB"
    )
    if n != N_COUNTIES:
        print(f"  (targets are for {N_COUNTIES:,} counties)")
    if t_e2e > TARGET_JSON_S:
        missed.append("JSON end to end")
    if ratio > TARGET_JSON_RATIO:
        missed.append("JSON / evaluate_frames")

    province = evaluate(scaled(PROVINCE).dataset(), standard)
    sizes = sorted(province.counties, key=lambda c: len(c.resource.schools))
    county = Evaluation(standard, [sizes[len(sizes) // 2]])  # the median county by schools
    with tempfile.TemporaryDirectory(prefix="junheng-xlsx-") as tmp:
        folder = Path(tmp)
        t_bare, t_prov, t_one, t_bare_one = interleaved(
            [
                lambda: bare_xlsx(province, folder / "bare.xlsx"),
                lambda: write_tables(province, folder / "province.zip"),
                lambda: write_tables(county, folder / "county.xlsx"),
                lambda: bare_xlsx(county, folder / "bare1.xlsx"),
            ],
            args.repeats,
        )
    cpu_bare, cpu_prov, cpu_one = CPU[0], CPU[1], CPU[2]
    n_schools = sum(len(c.resource.schools) for c in province.counties)
    print(f"\n(b) 申报表: a province of {PROVINCE} counties ({n_schools:,} school stages), zipped")
    print(f"  bare XlsxWriter, same schools (baseline)   {t_bare:7.3f} s")
    print(f"  province, one workbook per county, zipped  {t_prov:7.3f} s   ≤ {TARGET_PROVINCE_S:g} s  "
          f"{verdict(t_prov <= TARGET_PROVINCE_S)}   {t_prov / t_bare:.1f} × baseline")  # fmt: skip
    print(f"  one county ({len(county.counties[0].resource.schools)} school stages)"
          f"              {t_one:7.3f} s   ≤ {TARGET_COUNTY_S:g} s  "
          f"{verdict(t_one <= TARGET_COUNTY_S)}   {t_one / t_bare_one:.1f} × baseline")  # fmt: skip
    print(
        f"  CPU seconds: baseline {cpu_bare:.2f}, province {cpu_prov:.2f}, one county {cpu_one:.3f}"
    )
    if t_prov > TARGET_PROVINCE_S:
        missed.append("province tables")
    if t_one > TARGET_COUNTY_S:
        missed.append("county tables")
    if missed:
        print(f"\nmissed: {', '.join(missed)}")
        return 2 if args.strict else 0
    print("\nall targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
