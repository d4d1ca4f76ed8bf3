"""The production way to serve: ``junheng serve --workers N`` runs N gunicorn worker processes
that answer pages and static files; ``check --deploy`` reports what production settings fix."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import psutil
import pytest

from junheng.web.production import has_gunicorn


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.skipif(not has_gunicorn(), reason="gunicorn runs on Linux and macOS only")
def test_serve_with_workers_answers_pages_and_static_files_from_several_processes(tmp_path):
    port = _free_port()
    env = {**os.environ, "JUNHENG_DATA_DIR": str(tmp_path), "JUNHENG_DATABASE_URL": ""}
    server = subprocess.Popen(
        [sys.executable, "-m", "junheng.cli", "serve", "--port", str(port), "--workers", "2",
         "--threads", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                login = urllib.request.urlopen(f"{base}/login/", timeout=10)
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()  # type: ignore[union-attr]
                time.sleep(0.2)
        else:
            pytest.fail("the server did not answer within a minute")
        assert login.status == 200 and "密码" in login.read().decode()
        css = urllib.request.urlopen(f"{base}/static/junheng/app.css", timeout=10)
        assert css.status == 200 and css.headers["Content-Type"].startswith("text/css")
        missing = urllib.request.Request(f"{base}/static/junheng/none.css")
        with pytest.raises(urllib.error.HTTPError) as exc:
            urllib.request.urlopen(missing, timeout=10)
        assert exc.value.code == 404
        # exec'd into the gunicorn master: the same process, with two workers under it
        master = psutil.Process(server.pid)
        assert "gunicorn" in " ".join(master.cmdline())
        assert len(master.children()) == 2
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)


def test_deploy_check_warns_without_the_production_settings(tmp_path):
    env = {**os.environ, "JUNHENG_DATA_DIR": str(tmp_path), "JUNHENG_PRODUCTION": "",
           "DJANGO_SETTINGS_MODULE": "junheng.web.settings"}  # fmt: skip
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests set it in this process
    out = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                         env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.returncode == 1
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in out.stderr, warning


def test_deploy_check_is_clean_with_the_documented_environment(tmp_path):
    env = {**os.environ, "JUNHENG_DATA_DIR": str(tmp_path), "JUNHENG_PRODUCTION": "1",
           "JUNHENG_SECRET_KEY": "k" * 10 + "9f8e7d6c5b4a39281706f5e4d3c2b1a0ZYXWVUTSRQPONMLKJ",
           "JUNHENG_ALLOWED_HOSTS": "junheng.example.cn",
           "JUNHENG_CSRF_TRUSTED_ORIGINS": "https://junheng.example.cn",
           "DJANGO_SETTINGS_MODULE": "junheng.web.settings"}  # fmt: skip
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests set it in this process
    out = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                         env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_a_served_process_keeps_its_long_lived_objects_out_of_full_collections(tmp_path):
    """A full collection stops every thread of a worker. The objects the server loads once
    (Django, Polars, the engine, the report writers) are frozen before the workers fork, so
    a full collection walks what requests made, not the 200,000 objects loaded at start."""
    env = {**os.environ, "JUNHENG_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "junheng.web.settings"}  # fmt: skip
    code = ("import gc, junheng.web.wsgi; "
            "print(gc.get_freeze_count(), len(gc.get_objects()))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=120, check=True)  # fmt: skip
    frozen, walked = map(int, out.stdout.split()[-2:])
    assert frozen > 100_000
    assert walked < frozen / 10


def test_a_served_process_hands_the_interpreter_lock_on_within_a_millisecond(tmp_path):
    """A thread back from the database waits for a computing thread of the same worker to
    hand over the interpreter lock. By default that takes up to 5 ms, once per query; the
    served process asks for 1 ms (a county page makes 15 queries)."""
    env = {**os.environ, "JUNHENG_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "junheng.web.settings"}  # fmt: skip
    code = "import sys, junheng.web.wsgi; print(sys.getswitchinterval())"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=120, check=True)  # fmt: skip
    assert float(out.stdout.split()[-1]) == 0.001
