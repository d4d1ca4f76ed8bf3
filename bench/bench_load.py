"""Mixed load on the production setup: ``junheng serve --workers N`` (gunicorn) on PostgreSQL,
loopback only, for a bounded time.

50 signed-in users (each waits 1–2 s between requests, as locust's ``between(1, 2)``): county
inspectors open their county page and now and then download the 申报表 or import a workbook;
school clerks change a figure and save their form; province staff open the province and a city page. Every user
also fetches a static file now and then: the county page is reported as a ratio to it, measured
in the same run under the same load. Prints p50/p95/p99 per page, the error rate and the
memory of the worker processes over time. Data: ``loaddata.py`` (a 300-school county with 20
stored evaluations in a province of 100 counties and 10,000 schools).

A client of threads and ``http.client`` rather than locust: nothing to install, and the load
generator costs little CPU on a small machine (it shares the cores with the server).

    JUNHENG_DATABASE_URL=postgres://junheng:junheng@127.0.0.1/junheng_load \\
        python bench/bench_load.py [--users 50] [--duration 300] [--workers 4] [--threads 4] [--reuse DIR]

The database named in the URL is dropped and made anew unless ``--reuse`` names a data
directory built before with the same URL.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))
from loadclient import Session, form_values
from loaddata import CLERKS, COUNTY, IMPORT_FILE, PASSWORD, PROVINCE, YEAR

TARGETS_MS = {"county page": 150.0, "entry save": 200.0, "province page": 300.0}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _recreate(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


class Stats:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: list[str] = []
        self.lock = threading.Lock()
        self.t0 = time.monotonic()
        self.at: dict[str, list[tuple[float, float]]] = defaultdict(list)

    def add(self, label: str, ms: float, ok: bool, note: str = "") -> None:
        with self.lock:
            self.times[label].append(ms)
            self.at[label].append((time.monotonic() - self.t0, ms))
            if not ok:
                self.errors[label] += 1
                if len(self.samples) < 10:
                    self.samples.append(f"{label}: {note}")


def _county_user(s: Session, stats: Stats, rng: random.Random, stop: float, shop: Path) -> None:
    county = f"/county/{COUNTY}/{YEAR}/"
    while time.monotonic() < stop:
        time.sleep(rng.uniform(1.0, 2.0))
        r = rng.random()
        if r < 0.80:
            stats.add("county page", *s.get(county, expect="评估"))
        elif r < 0.92:
            stats.add("static file", *s.get("/static/junheng/app.css"))
        elif r < 0.97:
            stats.add("report xlsx", *s.get(f"{county}report/xlsx/", expect_type="spreadsheet"))
        else:
            ms, ok, note, page = s.post_file("/import/", {"year": str(YEAR)}, "file", shop)
            token = Session.find_value(page, "token")
            stats.add("import preview", ms, ok and bool(token), note or "no token")
            if token:
                ms, ok, note, _ = s.post_form(
                    "/import/confirm/", {"token": token, "year": str(YEAR)}, expect="导入完成"
                )
                stats.add("import confirm", ms, ok, note)


def _clerk(s: Session, stats: Stats, rng: random.Random, stop: float) -> None:
    time.sleep(rng.uniform(0.0, 2.0))  # clerks arrive over two seconds, not in one instant
    ms, ok, note, page = s.get_page("/")  # a clerk lands on the own school's form
    path = urllib.parse.urlsplit(s.url).path
    stats.add("entry form", ms, ok, note)
    values = form_values(page, path)
    # each save changes a figure, as a clerk's does: the count of 骨干教师 goes one down and back
    base = int(values.get("p_backbone") or 0)
    step = -1 if base > 0 else 1
    saves = 0
    while time.monotonic() < stop:
        time.sleep(rng.uniform(1.0, 2.0))
        if rng.random() < 0.15:
            stats.add("static file", *s.get("/static/junheng/app.css"))
            continue
        saves += 1
        values["p_backbone"] = str(base + step * (saves % 2))
        ms, ok, note, page = s.post_form(path, values, page, htmx=True, expect="已保存")
        stats.add("entry save", ms, ok, note)
        if ok:
            values = form_values(page, path)
        else:  # start again from the stored form
            _, _, _, page = s.get_page(path)
            values = form_values(page, path)


def _province_user(s: Session, stats: Stats, rng: random.Random, stop: float) -> None:
    while time.monotonic() < stop:
        time.sleep(rng.uniform(1.0, 2.0))
        r = rng.random()
        if r < 0.7:
            stats.add("province page", *s.get(f"/province/{PROVINCE}/{YEAR}/", expect="区县"))
        elif r < 0.9:
            stats.add("city page", *s.get(f"/city/{COUNTY[:4]}00/{YEAR}/", expect="区县"))
        else:
            stats.add("static file", *s.get("/static/junheng/app.css"))


Memory = list[tuple[float, list[float], list[float]]]
"""(seconds, RSS MB of each server worker, RSS MB of each parse/report worker they started)."""


def _rss(proc: psutil.Process) -> float:
    try:
        return float(proc.memory_info().rss) / 2**20
    except psutil.Error:
        return 0.0


def _memory(server: subprocess.Popen[bytes], stop: threading.Event, out: Memory, t0: float) -> None:  # fmt: skip
    master = psutil.Process(server.pid)
    while not stop.wait(5.0):
        try:
            workers = master.children()
            helpers = [h for w in workers for h in w.children()]
        except psutil.Error:
            continue
        out.append((time.monotonic() - t0, [_rss(w) for w in workers], [_rss(h) for h in helpers]))


def _pct(xs: list[float], p: int) -> float:
    return statistics.quantiles(xs, n=100, method="inclusive")[p - 1] if len(xs) > 1 else xs[0]


def _windows(stats: Stats, duration: float) -> None:
    """p95 of the targeted pages in each tenth of the run: a tail made at start-up (workers
    starting, caches filling) shows in the first windows, a steady one in all of them."""
    width = duration / 10
    print(f"p95 ms per {width:.0f}-second window:")
    for label in TARGETS_MS:
        cells = []
        for i in range(10):
            xs = [ms for t, ms in stats.at[label] if i * width <= t < (i + 1) * width]
            cells.append(f"{_pct(xs, 95):6.0f}" if xs else "     –")
        print(f"  {label:<14}" + "".join(cells))


def _report(stats: Stats, memory: Memory, duration: float) -> bool:
    total = sum(len(v) for v in stats.times.values())
    errors = sum(stats.errors.values())
    print(f"\n{total:,} requests in {duration:.0f} s ({total / duration:.1f}/s), "
          f"errors {errors} ({errors / max(total, 1):.2%})")  # fmt: skip
    print(f"{'page':<16}{'n':>7}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'max ms':>10}  target")
    ok = errors == 0
    for label in sorted(stats.times, key=lambda k: -len(stats.times[k])):
        xs = stats.times[label]
        p95 = _pct(xs, 95)
        target = TARGETS_MS.get(label)
        verdict = (
            "" if target is None else f"p95 ≤ {target:.0f}: {'PASS' if p95 <= target else 'FAIL'}"
        )
        ok &= target is None or p95 <= target
        print(f"{label:<16}{len(xs):>7}{_pct(xs, 50):>10.1f}{p95:>10.1f}{_pct(xs, 99):>10.1f}"
              f"{max(xs):>10.1f}  {verdict}")  # fmt: skip
    if stats.times["static file"] and stats.times["county page"]:
        page, static = stats.times["county page"], stats.times["static file"]
        print(f"county page / static file: p50 {_pct(page, 50) / _pct(static, 50):.1f}×, "
              f"p95 {_pct(page, 95) / _pct(static, 95):.1f}×")  # fmt: skip
    for s in stats.samples:
        print("  error:", s)
    _windows(stats, duration)
    if memory:
        print("memory (RSS MB) over time: each server worker; parse/report workers (count, sum)")
        step = max(1, len(memory) // 12)
        for t, rss, aux in memory[::step] + ([memory[-1]] if (len(memory) - 1) % step else []):
            print(
                f"  {t:6.0f} s  "
                + "  ".join(f"{x:6.0f}" for x in rss)
                + f"   helpers {len(aux):2d} {sum(aux):6.0f}   total {sum(rss) + sum(aux):6.0f}"
            )
        third = max(1, len(memory) // 3)
        first = statistics.mean(sum(r) + sum(a) for _, r, a in memory[:third])
        last = statistics.mean(sum(r) + sum(a) for _, r, a in memory[-third:])
        print(f"  total RSS first third {first:.0f} MB, last third {last:.0f} MB "
              f"({(last - first) / first:+.1%})")  # fmt: skip
        # the web workers themselves, apart from the parse/report workers started on demand
        # (their number is capped, so the total levels off once they are all running)
        web_first = statistics.mean(sum(r) for _, r, _ in memory[:third])
        web_last = statistics.mean(sum(r) for _, r, _ in memory[-third:])
        print(f"  web workers first third {web_first:.0f} MB, last third {web_last:.0f} MB "
              f"({(web_last - web_first) / web_first:+.1%}); parse/report workers at the end "
              f"{len(memory[-1][2])}, at most {max(len(a) for _, _, a in memory)}")  # fmt: skip
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--duration", type=float, default=300.0, help="seconds of load")
    ap.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    ap.add_argument("--threads", type=int, default=4, help="threads per worker")
    ap.add_argument("--reuse", type=Path, help="data directory built before (skips the build)")
    args = ap.parse_args()
    url = os.environ.get("JUNHENG_DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("set JUNHENG_DATABASE_URL=postgres://… (a database this benchmark may drop)")
        return 2
    data = args.reuse or Path(tempfile.mkdtemp(prefix="junheng-load-"))
    env = {**os.environ, "JUNHENG_DATA_DIR": str(data), "JUNHENG_DATABASE_URL": url}
    env.pop("JUNHENG_PRODUCTION", None)  # plain HTTP on loopback: no HTTPS redirect
    if args.reuse is None:
        print(f"building the data in {data} …")
        _recreate(url)
        subprocess.run(
            [sys.executable, str(Path(__file__).parent / "loaddata.py")], env=env, check=True
        )
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "junheng.cli", "serve", "--port", str(port),
         "--workers", str(args.workers), "--threads", str(args.threads)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        Session.wait_for(base)
        stats = Stats()
        n_clerks = min(CLERKS, round(args.users * 0.4))
        n_province = max(1, round(args.users * 0.1))
        roles = ["clerk"] * n_clerks + ["province"] * n_province
        roles += ["county"] * (args.users - len(roles))
        sessions = []
        for i, role in enumerate(roles):
            name = f"clerk{i + 1:02d}" if role == "clerk" else role
            sessions.append(Session.login(base, name, PASSWORD))
        warm = sessions[-1]
        for path in (f"/county/{COUNTY}/{YEAR}/", f"/province/{PROVINCE}/{YEAR}/"):
            for _ in range(2 * args.workers):
                warm.get(path)
        print(f"{args.users} users ({roles.count('county')} county, {n_clerks} clerks, "
              f"{n_province} province) for {args.duration:.0f} s against gunicorn "
              f"{args.workers}×{args.threads} on PostgreSQL, loopback")  # fmt: skip
        memory: Memory = []
        done = threading.Event()
        t0 = stats.t0 = time.monotonic()
        stop = t0 + args.duration
        threads = []
        for i, (role, s) in enumerate(zip(roles, sessions, strict=True)):
            rng = random.Random(i)
            if role == "county":
                target, extra = _county_user, (data / IMPORT_FILE,)
            elif role == "clerk":
                target, extra = _clerk, ()
            else:
                target, extra = _province_user, ()
            threads.append(threading.Thread(target=target, args=(s, stats, rng, stop, *extra)))
        mem = threading.Thread(target=_memory, args=(server, done, memory, t0))
        mem.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        done.set()
        mem.join()
        ok = _report(stats, memory, time.monotonic() - t0)
    finally:
        server.terminate()
        server.wait(30)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
