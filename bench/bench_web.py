"""County page under load: 50 concurrent signed-in users on loopback, p95 latency.

Each simulated user requests the page, then "reads" it for 1–2 s (uniform, as locust's
``between(1, 2)``) before the next request: 50 users make about 33 requests a second.

Starts ``junheng serve`` (waitress) on a fresh data directory with the demo province, signs
in as the county user, and hammers the county page. As a baseline measured in the same run,
the same load fetches a static file from the same server. Runs on SQLite, and on PostgreSQL
too when JUNHENG_DATABASE_URL is set. Target: county page p95 ≤ 150 ms.

    python bench/bench_web.py [--users 50] [--requests 20]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TARGET_MS = 150.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(data_dir: Path, env: dict[str, str]) -> None:
    code = (
        "from junheng.web.cli import setup; setup();"
        "from junheng.web.info.services.demo import load_demo; load_demo();"
        "from django.contrib.auth import get_user_model;"
        "from junheng.web.info.models import County;"
        "from junheng.web.info.services.workflow import evaluate_county;"
        "a = get_user_model().objects.get(username='admin');"
        "[evaluate_county(a, c, 2026) for c in County.objects.all()]"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def _opener(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the login page"
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": "county", "password": "junheng-demo"}
    ).encode()
    req = urllib.request.Request(f"{base}/login/", body, headers={"Referer": f"{base}/login/"})
    opener.open(req).read()
    return opener


def _load(base: str, path: str, users: int, per_user: int, think: bool = True) -> list[float]:
    openers = [_opener(base) for _ in range(users)]

    def user(op: urllib.request.OpenerDirector) -> list[float]:
        rng = random.Random(id(op))
        times = []
        for _ in range(per_user):
            if think:
                time.sleep(rng.uniform(1.0, 2.0))
            t = time.perf_counter()
            with op.open(base + path) as resp:
                resp.read()
                assert resp.status == 200
            times.append((time.perf_counter() - t) * 1000)
        return times

    with ThreadPoolExecutor(users) as pool:
        return [t for ts in pool.map(user, openers) for t in ts]


def _p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[18]


def run(label: str, extra_env: dict[str, str], users: int, per_user: int) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "JUNHENG_DATA_DIR": tmp, **extra_env}
        _prepare(Path(tmp), env)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "junheng.cli", "serve", "--port", str(port), "--threads", "16"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/login/").read()
                    break
                except OSError:
                    time.sleep(0.2)
            county = re.search(r"/county/(\d{6})/", _opener(base).open(base + "/").geturl())
            assert county, "the county user did not land on a county page"
            page = f"/county/{county.group(1)}/2026/"
            _load(base, page, 5, 2, think=False)  # warm-up
            static = _load(base, "/static/junheng/app.css", users, per_user)
            pages = _load(base, page, users, per_user)
        finally:
            server.terminate()
            server.wait(10)
    p95, s95 = _p95(pages), _p95(static)
    ok = p95 <= TARGET_MS
    print(f"{label:<11} county page: n={len(pages)} median {statistics.median(pages):6.1f} ms  "
          f"p95 {p95:6.1f} ms  (target ≤ {TARGET_MS:.0f} ms: {'PASS' if ok else 'FAIL'})")  # fmt: skip
    print(f"{'':<11} static file: median {statistics.median(static):6.1f} ms  p95 {s95:6.1f} ms  "
          f"→ page/static p95 ratio {p95 / s95:.1f}×")  # fmt: skip
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--requests", type=int, default=20, help="requests per user")
    args = ap.parse_args()
    print(
        f"{args.users} concurrent users × {args.requests} requests, loopback, waitress 16 threads"
    )
    ok = run("SQLite", {"JUNHENG_DATABASE_URL": ""}, args.users, args.requests)
    url = os.environ.get("JUNHENG_DATABASE_URL", "")
    if url.startswith("postgres"):
        ok &= run("PostgreSQL", {"JUNHENG_DATABASE_URL": url}, args.users, args.requests)
    else:
        print("PostgreSQL  skipped (set JUNHENG_DATABASE_URL=postgres://… to include it)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
