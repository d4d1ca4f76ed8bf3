"""Cost of parsing a web upload in the capped worker process rather than in the server.

    python bench/bench_parse_worker.py [--schools 300] [--repeats 15]

Baseline: ``read_workbook`` in this process, measured in the same run with runs
interleaved. Printed: the first parse (which starts the worker), the median of the warm
parses both ways and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench_reader import county_records, school_records
from junheng.parseworker import read_workbook_isolated, shutdown
from junheng.reader import read_workbook
from junheng.workbook import write_workbook
from synthetic import generate

TARGET_RATIO = 1.5


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--schools", type=int, default=300)
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args(argv)
    syn = generate(1, args.schools, seed=7)
    with tempfile.TemporaryDirectory(prefix="junheng-bench-") as tmp:
        path = write_workbook(Path(tmp) / "填报.xlsx", school_records(syn), county_records(syn))
        t0 = time.perf_counter()
        read_workbook_isolated(path)
        first = time.perf_counter() - t0
        inproc: list[float] = []
        worker: list[float] = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            a = read_workbook(path)
            inproc.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            b = read_workbook_isolated(path)
            worker.append(time.perf_counter() - t0)
        assert a.schools.equals(b.schools)
        shutdown()
    base, iso = statistics.median(inproc), statistics.median(worker)
    print(
        f"{args.schools} 所学校的工作簿（{args.repeats} 次取中位数；机器与其他进程共用，时间有波动）"
    )
    print(f"  首次（含启动读取进程）：{first * 1000:.0f} ms")
    print(f"  本进程读取（基线）：    {base * 1000:.0f} ms")
    print(f"  读取进程中读取：        {iso * 1000:.0f} ms")
    ratio = iso / base
    print(f"  比值：{ratio:.2f}（目标 ≤ {TARGET_RATIO}）")
    return 0 if ratio <= TARGET_RATIO else 2


if __name__ == "__main__":
    sys.exit(main())
