"""Several worker processes for production: gunicorn (Linux, macOS), each worker with threads.

The CLI has already brought the schema up to date; gunicorn then replaces this process, so
its master gets the signals of the process manager (systemd, supervisor) directly.
"""

from __future__ import annotations

import importlib.util
import os
import sys


def gunicorn_args(host: str, port: int, workers: int, threads: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "junheng.web.wsgi:application",
        "--bind", f"{host}:{port}", "--workers", str(workers),
        "--worker-class", "gthread", "--threads", str(threads),
        # the application is loaded once in the master and shared by the forked workers
        "--preload",
        # long reports (PDF through LibreOffice) may take a minute
        "--timeout", "180", "--graceful-timeout", "30",
        # a worker is renewed now and then, so memory cannot creep up for ever
        "--max-requests", "5000", "--max-requests-jitter", "500",
        "--name", "junheng",
    ]  # fmt: skip


def has_gunicorn() -> bool:
    return os.name == "posix" and importlib.util.find_spec("gunicorn") is not None


def exec_gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    """Replace this process by a gunicorn master with ``workers`` processes."""
    sys.stdout.flush()
    sys.stderr.flush()
    args = gunicorn_args(host, port, workers, threads)
    os.execv(args[0], args)
