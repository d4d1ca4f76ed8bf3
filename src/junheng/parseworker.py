"""Reading an uploaded workbook in a separate process with a memory cap and a time limit,
so that a file that crashes the parser, exhausts memory or never finishes costs only the
request that sent it — never the server process that serves everyone else.

Workers are started once (``python -m junheng.parseworker``: a fresh interpreter, since
the parser's thread pool does not survive a fork) and reused while they stay healthy; a
worker that fails, runs out of memory or overruns its time is killed and replaced. The
cap (``JUNHENG_PARSE_MEMORY_MB``) is the address space the parse may add to a loaded
worker, the limit (``JUNHENG_PARSE_SECONDS``) its wall time.
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Finding, InputError, JunhengError
from .limits import MIB, Limits

if TYPE_CHECKING:
    from .reader import Dataset
    from .standard import Standard

_HEADER = struct.Struct("!Q")
_SPARE = 2
"""Idle workers kept per server process; more are started when requests overlap."""
_USES = 200
"""A worker is retired after this many files, so that fragmentation cannot build up."""
_NICE = 5
"""Scheduling priority below the server's: parsing a large upload slows, not the pages."""


class ParseRefused(Exception):
    """The worker failed: out of memory, out of time or crashed (message in Chinese)."""


def _refusal(kind: str, title: str, message: str) -> InputError:
    return InputError([Finding(kind, title, message)])


# -- the worker side ------------------------------------------------------------------


def _vm_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _send(fd: int, obj: object) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _recv_blocking(fd: int) -> Any:
    head = _read(fd, _HEADER.size, None)
    return pickle.loads(_read(fd, _HEADER.unpack(head)[0], None))  # our own parent's job


def _read(fd: int, n: int, deadline: float | None) -> bytes:
    parts: list[bytes] = []
    while n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise EOFError
        parts.append(chunk)
        n -= len(chunk)
    return b"".join(parts)


def _serve(cap_mb: int, nice: int = _NICE) -> None:
    # an upload's parse may wait; the pages everyone is using should not wait for it, nor
    # for this worker's start (a second of imports)
    os.nice(nice)
    import polars as pl
    import python_calamine  # noqa: F401 — imported lazily by the reader, mapped here

    from .reader import read_workbook  # loaded before the cap, so the cap counts the parse only

    # start the parser's thread pool now: its stacks are the worker's, not the parse's
    pl.DataFrame({"a": [" x "]}).select(pl.col("a").str.strip_chars().sort())

    out = os.dup(1)
    os.dup2(2, 1)  # stray prints of a library must not corrupt the replies
    if cap_mb > 0:
        limit = _vm_bytes() + cap_mb * MIB
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    _send(out, ("ready", os.getpid()))
    while True:
        try:
            job, args = _recv_blocking(0)
        except EOFError:
            return
        try:
            reply: tuple[str, object] = ("ok", read_workbook(*args) if job == "read" else _other_job(job, args))  # fmt: skip
        except InputError as exc:
            reply = ("refused", exc.findings)
        except JunhengError as exc:
            reply = ("error", str(exc))
        except MemoryError:
            _send(out, ("memory", None))
            return  # the heap may be in any state: let a fresh worker take over
        except BaseException as exc:  # a parser panic ends this worker only
            _send(out, ("failed", type(exc).__name__))
            return
        try:
            _send(out, reply)
        except MemoryError:
            _send(out, ("memory", None))
            return


def _other_job(job: str, args: tuple[Any, ...]) -> object:
    if job == "report":
        from .reports.isolated import write_in_worker

        return write_in_worker(*args)
    raise ValueError(job)


# -- the server side ------------------------------------------------------------------


@dataclass(slots=True)
class _Worker:
    proc: subprocess.Popen[bytes]
    cap_mb: int
    nice: int
    uses: int = 0

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()


_idle: list[_Worker] = []
_idle_lock = threading.Lock()


def _start(cap_mb: int, seconds: float, nice: int = _NICE) -> _Worker:
    # one thread per core for the parser, and few malloc arenas: the address-space cap
    # must not be spent on per-thread reservations of a many-core machine
    env = {**os.environ, "POLARS_MAX_THREADS": "2", "RAYON_NUM_THREADS": "2", "MALLOC_ARENA_MAX": "2",
           "_RJEM_MALLOC_CONF": "background_thread:false"}  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "junheng.parseworker", str(cap_mb), str(nice)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True,
    )  # fmt: skip
    worker = _Worker(proc, cap_mb, nice)
    assert proc.stdout is not None
    try:
        kind, _ = pickle.loads(_recv(worker, time.monotonic() + max(seconds, 60)))
    except (EOFError, TimeoutError) as exc:
        worker.kill()
        raise _refusal("parse-failed", "无法读取文件", "读取工作簿的进程未能启动，请稍后再试") from exc  # fmt: skip
    assert kind == "ready"
    return worker


def _recv(worker: _Worker, deadline: float) -> bytes:
    assert worker.proc.stdout is not None
    fd = worker.proc.stdout.fileno()
    head = _read(fd, _HEADER.size, deadline)
    return _read(fd, _HEADER.unpack(head)[0], deadline)


def _take(cap_mb: int, seconds: float, nice: int) -> _Worker:
    with _idle_lock:
        for worker in [w for w in _idle if w.proc.poll() is not None]:
            _idle.remove(worker)
            worker.kill()
        for worker in reversed(_idle):
            if (worker.cap_mb, worker.nice) == (cap_mb, nice):
                _idle.remove(worker)
                return worker
    return _start(cap_mb, seconds, nice)


def _give_back(worker: _Worker) -> None:
    with _idle_lock:
        same = sum((w.cap_mb, w.nice) == (worker.cap_mb, worker.nice) for w in _idle)
        if same < _SPARE and worker.uses < _USES:
            _idle.append(worker)
            return
    worker.kill()


def _crashed(name: str, limits: Limits) -> InputError:
    return _refusal("parse-failed", "无法读取文件",
                    f"读取“{name}”时读取进程异常退出（文件已损坏、过于复杂，或所需内存超过上限 "
                    f"{limits.parse_memory_mb} MB），已停止：请在 Excel 中打开并另存为 .xlsx 后再导入；"
                    "内存上限可用环境变量 JUNHENG_PARSE_MEMORY_MB 调整")  # fmt: skip


_warming = threading.Event()


def prewarm(limits: Limits | None = None) -> None:
    """Start a worker in the background when none is idle, so that the upload that follows
    (someone has just opened the import page) does not wait for it to start."""
    limits = limits or Limits.from_env()
    with _idle_lock:
        if (
            any((w.cap_mb, w.nice) == (limits.parse_memory_mb, _NICE) for w in _idle)
            or _warming.is_set()
        ):
            return
        _warming.set()

    def start() -> None:
        try:
            _give_back(_start(limits.parse_memory_mb, limits.parse_seconds))
        except InputError:
            pass  # the upload will try again and say so
        finally:
            _warming.clear()

    threading.Thread(target=start, daemon=True, name="junheng-parse-prewarm").start()


def worker_pids() -> list[int]:
    """Process ids of the idle workers (for operations and tests)."""
    with _idle_lock:
        return [w.proc.pid for w in _idle]


def shutdown() -> None:
    with _idle_lock:
        while _idle:
            _idle.pop().kill()


def read_workbook_isolated(
    path: str | Path, standard: Standard | None = None, limits: Limits | None = None
) -> Dataset:
    """:func:`junheng.reader.read_workbook` in a capped worker: the same dataset or the
    same :class:`InputError`; a worker that fails becomes an :class:`InputError` too."""
    limits = limits or Limits.from_env()
    name = Path(path).name
    try:
        kind, payload = call("read", (str(path), standard, limits), limits.parse_memory_mb, limits.parse_seconds)  # fmt: skip
    except TimeoutError as exc:
        raise _refusal("parse-timeout", "读取超时",
                       f"读取“{name}”超过 {limits.parse_seconds} 秒仍未完成，已停止：文件过大或表格范围异常。"
                       "请删除表格之外的内容后再导入；上限可用环境变量 JUNHENG_PARSE_SECONDS 调整") from exc  # fmt: skip
    except EOFError as exc:
        raise _crashed(name, limits) from exc
    if kind == "failed":
        raise _crashed(name, limits)
    if kind == "memory":
        raise _refusal("parse-memory", "工作簿过大",
                       f"读取“{name}”所需内存超过上限 {limits.parse_memory_mb} MB，已停止：表格中可能有大量"
                       "多余内容。请删除多余内容后再导入；上限可用环境变量 JUNHENG_PARSE_MEMORY_MB 调整")  # fmt: skip
    if kind == "refused":
        raise InputError(payload)
    return payload  # type: ignore[no-any-return]


def call(
    job: str, args: tuple[Any, ...], cap_mb: int, seconds: float, nice: int = _NICE
) -> tuple[str, Any]:
    """Run *job* in a worker with *cap_mb* of memory (0: no cap), *seconds* of wall time and
    the scheduling priority *nice* below the server's:
    ("ok", result), ("refused", findings), ("error", message), ("failed", exception name) or
    ("memory", None). Raises TimeoutError, or EOFError when the worker died; a worker that
    failed in any way is not used again."""
    worker = _take(cap_mb, seconds, nice)
    worker.uses += 1
    assert worker.proc.stdin is not None
    try:
        data = pickle.dumps((job, args), protocol=pickle.HIGHEST_PROTOCOL)
        worker.proc.stdin.write(_HEADER.pack(len(data)) + data)
        worker.proc.stdin.flush()
        kind, payload = pickle.loads(_recv(worker, time.monotonic() + seconds))
    except TimeoutError:
        worker.kill()
        raise
    except (EOFError, BrokenPipeError, pickle.UnpicklingError) as exc:
        worker.kill()
        raise EOFError from exc
    if kind in ("failed", "memory"):
        worker.kill()
    else:
        _give_back(worker)
    return kind, payload


if __name__ == "__main__":
    _serve(
        int(sys.argv[1]) if len(sys.argv) > 1 else 0,
        int(sys.argv[2]) if len(sys.argv) > 2 else _NICE,
    )
