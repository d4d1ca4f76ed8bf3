"""A real site for fault and concurrency tests: its own data directory (SQLite in WAL mode)
or its own PostgreSQL database when ``JUNHENG_DATABASE_URL`` is set, seeded with the web
tests' small world, served by waitress in a separate process, and scripts run against the
same database in further processes (which a test may kill with SIGKILL).

Run as a script: ``python livesite.py seed`` (migrate and build the world) or
``python livesite.py run MODULE:FUNCTION`` (call a function of this folder after
``django.setup()``)."""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PASSWORD = "test-pass-123"


@dataclass
class Site:
    url: str
    env: dict[str, str]

    def script(self, target: str, *args: str, **popen: Any) -> subprocess.Popen[str]:
        """``target`` (``module:function``) in a new process on the site's database."""
        return subprocess.Popen(
            [sys.executable, str(HERE / "livesite.py"), "run", target, *args],
            env=self.env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen,
        )  # fmt: skip

    def outputs(self, target: str, *args: str) -> list[Any]:
        """Run ``target`` to the end; every line it printed, as JSON."""
        proc = self.script(target, *args)
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-3000:]
        return [json.loads(line) for line in out.strip().splitlines()]

    def call(self, target: str, *args: str) -> Any:
        """Run ``target`` to the end and return the JSON it printed last."""
        return self.outputs(target, *args)[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _database(env: dict[str, str]) -> Iterator[None]:
    url = os.environ.get("JUNHENG_DATABASE_URL")
    if not url:
        yield
        return
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"junheng_live_{uuid.uuid4().hex[:10]}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["JUNHENG_DATABASE_URL"] = parts._replace(path=f"/{name}").geturl()
    try:
        yield
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def database(tmp_path: Path) -> Iterator[Site]:
    """A seeded database (no server): for scripts alone."""
    env = {**os.environ, "JUNHENG_DATA_DIR": str(tmp_path / "data"),
           "DJANGO_SETTINGS_MODULE": "junheng.web.settings", "PYTHONPATH": str(HERE)}  # fmt: skip
    env.pop("JUNHENG_PRODUCTION", None)
    with _database(env):
        site = Site("", env)
        done = subprocess.run([sys.executable, str(HERE / "livesite.py"), "seed"], env=env,
                              capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        yield site


@contextlib.contextmanager
def running(tmp_path: Path, threads: int = 24) -> Iterator[Site]:
    """A seeded database served over HTTP on a free loopback port."""
    with database(tmp_path) as site:
        port = _free_port()
        code = ("from junheng.web.cli import setup, serve_forever; setup(); "
                f"serve_forever('127.0.0.1', {port}, {threads})")  # fmt: skip
        proc = subprocess.Popen([sys.executable, "-c", code], env=site.env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
        site.url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(site.url + "/login/", timeout=2).read()
                    break
                except OSError:  # not listening yet, or still starting up
                    assert proc.poll() is None, proc.stderr.read().decode()[-3000:] if proc.stderr else ""  # fmt: skip
                    assert time.monotonic() < deadline, "the site did not start"
                    time.sleep(0.2)
            yield site
        finally:
            proc.kill()
            proc.wait()


class Browser:
    """One signed-in user with its own cookies, as a browser would be."""

    def __init__(self, site: Site, username: str) -> None:
        self.site = site
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )
        self.get("/login/")
        status, _, _ = self.post("/login/", {"username": username, "password": PASSWORD})
        assert status == 302, f"login of {username} failed: {status}"

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:  # fmt: skip
        req = urllib.request.Request(self.site.url + path, data=body, method=method,
                                     headers={"X-CSRFToken": self.csrf() if method != "GET" else "",
                                              "Referer": self.site.url + "/", **(headers or {})})  # fmt: skip
        try:
            with self.opener.open(req, timeout=120) as resp:
                return resp.status, resp.read().decode(), dict(resp.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(), dict(exc.headers)

    def get(self, path: str) -> tuple[int, str, dict[str, str]]:
        return self.request("GET", path)

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, str, dict[str, str]]:
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self.csrf()}).encode()
        return self.request("POST", path, data, {"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip

    def json(self, method: str, path: str, doc: object = None) -> tuple[int, Any]:
        body = None if doc is None else json.dumps(doc).encode()
        status, text, _ = self.request(method, path, body, {"Content-Type": "application/json"})
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _seed() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from webfixtures import build_world

    build_world()


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(HERE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junheng.web.settings")
    import django

    django.setup()
    if argv[0] == "seed":
        _seed()
    elif argv[0] == "run":
        module, func = argv[1].split(":")
        getattr(__import__(module), func)(*argv[2:])


if __name__ == "__main__":
    main(sys.argv[1:])
