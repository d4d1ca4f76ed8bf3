"""Twenty people editing the same records at once, through the school form and the JSON API
of a running server: no update is lost (each saved +1 is in the final figure and in the
version), every refused save shows the Chinese conflict message, and an import confirmed
while others edit is refused whole rather than overwriting them. On SQLite (WAL) and, with
``JUNHENG_DATABASE_URL``, on PostgreSQL."""

from __future__ import annotations

import html
import io
import re
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from junheng import read_workbook, write_workbook
from junheng.web.info.services.records import TYPE_NAMES
from livesite import Browser, Site, running

YEAR = 2026
EDITORS = 20
SAVES = 2
"""Successful saves each editor makes (retrying after each conflict)."""
CONFLICT = "请刷新后在最新数据上修改"

_INPUT = re.compile(r"<input\b[^>]*>")
_SELECT = re.compile(r'<select\b[^>]*name="(\w+)"[^>]*>(.*?)</select>', re.S)
_ATTR = re.compile(r'(\w+)(?:="([^"]*)")?')


def _form(page: str) -> dict[str, str]:
    """The values a browser would send for the school form as the page shows it."""
    start = page.index('action="/school/')
    form = page[start : page.index("</form>", start)]
    out: dict[str, str] = {}
    for tag in _INPUT.findall(form):
        attrs = {k: html.unescape(v or "") for k, v in _ATTR.findall(tag[6:])}
        name = attrs.get("name")
        if not name or name == "csrfmiddlewaretoken":
            continue
        if attrs.get("type") == "checkbox":
            if "checked" in attrs:
                out[name] = "on"
        elif attrs.get("type") not in ("submit", "button", "file"):
            out.setdefault(name, attrs.get("value", ""))
    for name, body in _SELECT.findall(form):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        out[name] = html.unescape(chosen.group(1)) if chosen else ""
    return out


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.saved: Counter[str] = Counter()
        self.conflicts = 0
        self.errors: list[str] = []
        self.first = threading.Event()

    def note(self, *, saved: str | None = None, conflict: bool = False, error: str = "") -> None:
        with self.lock:
            if saved:
                self.saved[saved] += 1
                self.first.set()
            self.conflicts += conflict
            if error:
                self.errors.append(error)


def _page_editor(b: Browser, code: str, tally: Tally) -> None:
    done = attempts = 0
    while done < SAVES and attempts < 200:
        attempts += 1
        status, page, _ = b.get(f"/school/{code}/{YEAR}/")
        assert status == 200, status
        fields = _form(page)
        fields["p_students"] = str(int(fields["p_students"]) + 1)
        status, page, _ = b.post(f"/school/{code}/{YEAR}/", fields)
        if status == 302:
            done += 1
            tally.note(saved=code)
        elif status == 200 and CONFLICT in page:
            tally.note(conflict=True)
        else:
            tally.note(error=f"page {status}: {re.sub(r'<[^>]+>', ' ', page)[-500:]}")
            return


def _api_editor(b: Browser, code: str, tally: Tally) -> None:
    done = attempts = 0
    while done < SAVES and attempts < 200:
        attempts += 1
        status, rec = b.json("GET", f"/api/schools/{code}/records/{YEAR}")
        assert status == 200, rec
        body = {"version": rec["version"], "values": {"p_students": rec["values"]["p_students"] + 1}}  # fmt: skip
        status, doc = b.json("PUT", f"/api/schools/{code}/records/{YEAR}", body)
        if status == 200:
            done += 1
            tally.note(saved=code)
        elif status == 409 and CONFLICT in str(doc):
            tally.note(conflict=True)
        else:
            tally.note(error=f"api {status}: {doc}")
            return


def _run_all(jobs: list[tuple[Any, ...]]) -> None:
    threads = [threading.Thread(target=f, args=a) for f, *a in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    assert not any(t.is_alive() for t in threads)


def _record(b: Browser, code: str) -> dict[str, Any]:
    status, rec = b.json("GET", f"/api/schools/{code}/records/{YEAR}")
    assert status == 200
    return rec  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with running(tmp_path_factory.mktemp("live")) as s:
        yield s


def test_twenty_editors_on_two_records_lose_no_update(site: Site):
    admin = Browser(site, "county")
    codes = [s["code"] for s in admin.json("GET", "/api/schools")[1]][:2]
    before = {c: _record(admin, c) for c in codes}
    editors = [Browser(site, "county") for _ in range(EDITORS)]
    tally = Tally()
    jobs = [(_page_editor if i % 2 else _api_editor, b, codes[i % 4 // 2], tally)
            for i, b in enumerate(editors)]  # fmt: skip
    _run_all(jobs)
    assert tally.errors == []
    assert sum(tally.saved.values()) == EDITORS * SAVES
    for c in codes:
        after = _record(admin, c)
        n = tally.saved[c]
        assert n == EDITORS * SAVES // 2
        assert after["values"]["p_students"] == before[c]["values"]["p_students"] + n
        assert after["version"] == before[c]["version"] + n
    assert tally.conflicts > 0, "twenty editors on two records must have collided"


def _confirm(b: Browser, token: str, late: bool, tally: Tally, result: dict[str, tuple[int, str]]) -> None:  # fmt: skip
    if late:
        assert tally.first.wait(120)
    status, page, _ = b.post("/import/confirm/", {"token": token, "year": str(YEAR)})
    result["confirm"] = (status, page)


def _book_from_export(b: Browser, folder: Path, bump: int) -> Path:
    req = b.opener.open(b.site.url + f"/county/370830/{YEAR}/export/")
    src = folder / "导出.xlsx"
    src.write_bytes(req.read())
    data = read_workbook(src)
    rows = data.schools.drop("_row", strict=False).to_dicts()
    for r in rows:
        r["equipment"] = (r["equipment"] or 0) + bump
        r["type"] = TYPE_NAMES.get(r["type"], r["type"])  # the reader's code, the file's name
    counties = data.counties.drop("_row", strict=False).to_dicts() if data.counties is not None else []  # fmt: skip
    return write_workbook(folder / f"改{bump}.xlsx", rows, counties)


def _preview(b: Browser, path: Path) -> str:
    boundary = "----junheng"
    body = io.BytesIO()
    for name, value in (("year", str(YEAR)), ("csrfmiddlewaretoken", b.csrf())):
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())  # fmt: skip
    body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
               "Content-Type: application/octet-stream\r\n\r\n".encode())  # fmt: skip
    body.write(path.read_bytes() + f"\r\n--{boundary}--\r\n".encode())
    status, page, _ = b.request("POST", "/import/", body.getvalue(),
                                {"Content-Type": f"multipart/form-data; boundary={boundary}"})  # fmt: skip
    assert status == 200
    token = re.search(r'name="token" value="(\w+)"', page)
    assert token, re.sub(r"<[^>]+>", " ", page)[-800:]
    return token.group(1)


def test_an_import_confirmed_while_others_edit_is_refused_and_overwrites_nothing(site: Site, tmp_path):  # fmt: skip
    importer = Browser(site, "county")
    codes = [s["code"] for s in importer.json("GET", "/api/schools")[1]][:2]
    editors = [Browser(site, "county") for _ in range(6)]
    outcomes: list[str] = []
    for attempt in range(1, 5):
        before = {c: _record(importer, c) for c in codes}
        token = _preview(importer, _book_from_export(importer, tmp_path, attempt))
        tally = Tally()
        result: dict[str, tuple[int, str]] = {}

        late = attempt % 2 == 0  # confirm only once an edit has landed since the preview

        jobs: list[tuple[Any, ...]] = [(_api_editor, b, codes[i % 2], tally) for i, b in enumerate(editors)]  # fmt: skip
        jobs.insert(attempt % len(jobs), (_confirm, importer, token, late, tally, result))
        _run_all(jobs)
        assert tally.errors == []
        status, page = result["confirm"]
        after = {c: _record(importer, c) for c in codes}
        for c in codes:  # every edit is there, whatever happened to the import
            assert after[c]["values"]["p_students"] == before[c]["values"]["p_students"] + tally.saved[c]  # fmt: skip
        if status == 302:  # confirmed before any edit reached the records
            assert not late, "an edit landed after the preview: the import must be refused"
            outcomes.append("imported")
            for c in codes:
                assert after[c]["values"]["equipment"] == pytest.approx(before[c]["values"]["equipment"] + attempt)  # fmt: skip
        else:
            outcomes.append("refused")
            text = re.sub(r"<[^>]+>", " ", page)
            assert status == 200 and "整个文件不会导入" in text, text[-1000:]
            assert re.search(r"预览后county于[\d-]+ [\d:]+修改了该记录.*确认导入会覆盖这些修改", text) or "导入期间有人新建了" in text, text[-1000:]  # fmt: skip
            for c in codes:
                assert after[c]["values"]["equipment"] == before[c]["values"]["equipment"]
    assert outcomes.count("refused") >= 2
