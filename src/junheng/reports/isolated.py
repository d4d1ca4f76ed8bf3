"""A county report written in a worker process of its own, below the pages' priority.

A report is the heaviest thing the web app does (a 申报表 costs a third of a second of CPU,
a Word report with charts several seconds). Written in a server thread, it holds the
interpreter lock of a process whose other threads serve pages; written in a worker (see
:mod:`junheng.parseworker`), it waits while pages are served and stalls none of them. The
server reads the records; the worker validates them, evaluates and writes the file.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError, JunhengError
from ..standard import Standard
from .context import LedgerItem
from .county import ReportFormat

REPORT_SECONDS = 600.0
"""Wall time a report may take in its worker (a PDF waits for LibreOffice)."""

REPORT_NICE = 19
"""The lowest priority: a report takes the CPU the pages leave; with none left it waits."""

Rows = Sequence[dict[str, object]]
_ONE_AT_A_TIME = threading.Semaphore(1)


def write_in_worker(schools: Rows, counties: Rows | None, std: Standard, source: str,
                    county: str, fmt: str, path: str, year: int | None,
                    ledger: list[LedgerItem] | None,
                    history: dict[int, dict[str, float | None]] | None) -> str:  # fmt: skip
    """The worker's side: *schools* and *counties* are contract rows read from the database."""
    from ..reader import dataset_from_records
    from .county import write_county_report

    data = dataset_from_records(schools, counties, std, source)
    done, _ = write_county_report(data, std, county, ReportFormat(fmt), path, year=year,
                                  ledger=ledger, history=history)  # fmt: skip
    return str(done)


@contextmanager
def report_slot() -> Iterator[None]:
    """One report at a time per server process. On a small machine a second report process
    would only share the same cores, and each costs its start-up and memory; a request that
    waited may then find the same report made by the one before it (the caller checks)."""
    if not _ONE_AT_A_TIME.acquire(timeout=REPORT_SECONDS):
        raise JunhengError("服务器正忙于生成其他报告，请稍后再试")
    try:
        yield
    finally:
        _ONE_AT_A_TIME.release()


def write_county_report_isolated(schools: Rows, counties: Rows | None, std: Standard,
                                 source: str, county: str, fmt: ReportFormat, path: Path, *,
                                 year: int | None = None, ledger: list[LedgerItem] | None = None,
                                 history: dict[int, dict[str, float | None]] | None = None) -> Path:  # fmt: skip
    """:func:`junheng.reports.county.write_county_report` for contract rows, in a worker:
    the same file, the same :class:`InputError` or :class:`JunhengError`."""
    from .. import parseworker

    args = (list(schools), list(counties) if counties is not None else None, std, source,
            county, fmt.value, str(path), year, ledger, history)  # fmt: skip
    try:
        kind, payload = parseworker.call("report", args, 0, REPORT_SECONDS, REPORT_NICE)
    except TimeoutError as exc:
        raise JunhengError(f"生成报告超过 {REPORT_SECONDS:.0f} 秒仍未完成，已停止，请稍后再试") from exc  # fmt: skip
    except EOFError as exc:
        raise JunhengError("生成报告的进程异常退出，请稍后再试；如仍失败请联系管理员") from exc
    if kind == "refused":
        raise InputError(payload)
    if kind == "error":
        raise JunhengError(payload)
    if kind != "ok":
        raise JunhengError("生成报告的进程异常退出，请稍后再试；如仍失败请联系管理员")
    return Path(payload)


__all__ = ["REPORT_SECONDS", "report_slot", "write_county_report_isolated", "write_in_worker"]
