"""A signed-in browser-like session for the load benchmark: cookies, CSRF, forms, uploads.

Every request returns (milliseconds, ok, note[, body]); a request is ok when it answers 200
(after redirects) with the text or content type expected.
"""

from __future__ import annotations

import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from html.parser import HTMLParser
from pathlib import Path

Result = tuple[float, bool, str]
PageResult = tuple[float, bool, str, str]


class _Form(HTMLParser):
    """Name → value of a POST form's fields, as a browser would send them: the first form
    whose action holds *action* (the page's menu has a POST form of its own, 退出)."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.values: dict[str, str] = {}
        self.depth = 0
        self.done = False
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if (tag == "form" and not self.done and a.get("method", "").lower() == "post"
                and self.action in a.get("action", "")):  # fmt: skip
            self.depth = 1
        if not self.depth:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.values[name] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select" and name:
            self.select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self.select and "selected" in a:
            self.values[self.select] = a.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.values[name] = ""

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.values[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.depth:
            self.depth, self.done = 0, True


def form_values(page: str, action: str = "") -> dict[str, str]:
    parser = _Form(action)
    parser.feed(page)
    return parser.values


class Session:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.url = ""

    @staticmethod
    def wait_for(base: str, seconds: float = 120.0) -> None:
        end = time.monotonic() + seconds
        while True:
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=10).read()
                return
            except OSError:
                if time.monotonic() > end:
                    raise
                time.sleep(0.5)

    @classmethod
    def login(cls, base: str, username: str, password: str) -> Session:
        s = cls(base)
        _, ok, note, page = s.get_page("/login/")
        assert ok, note
        values = form_values(page)
        values.update(username=username, password=password)
        _, ok, note, _ = s.post_form("/login/", values)
        assert ok and "/login/" not in s.url, f"{username} could not sign in: {note}"
        return s

    @staticmethod
    def find_value(page: str, name: str) -> str:
        m = re.search(rf'name="{name}" value="([^"]*)"', page)
        return m.group(1) if m else ""

    def _csrf(self) -> str:
        return next((c.value or "" for c in self.jar if c.name == "csrftoken"), "")

    def _send(self, req: urllib.request.Request, expect: str | None,
              expect_type: str | None) -> PageResult:  # fmt: skip
        t = time.perf_counter()
        try:
            with self.opener.open(req, timeout=120) as resp:
                body = resp.read()
                status, ctype, self.url = (
                    resp.status,
                    resp.headers.get("Content-Type", ""),
                    resp.url,
                )
        except urllib.error.HTTPError as exc:
            exc.read()
            return (time.perf_counter() - t) * 1000, False, f"HTTP {exc.code} {req.full_url}", ""
        except OSError as exc:
            return (time.perf_counter() - t) * 1000, False, f"{exc} {req.full_url}", ""
        ms = (time.perf_counter() - t) * 1000
        text = body.decode("utf-8", "replace") if "text" in ctype else ""
        if status != 200:
            return ms, False, f"HTTP {status}", text
        if expect_type and expect_type not in ctype:
            return ms, False, f"content type {ctype}", text
        if expect and expect not in text:
            return ms, False, f"no “{expect}” in the answer of {req.full_url}", text
        return ms, True, "", text

    def get_page(self, path: str, expect: str | None = None,
                 expect_type: str | None = None) -> PageResult:  # fmt: skip
        return self._send(urllib.request.Request(self.base + path), expect, expect_type)

    def get(self, path: str, expect: str | None = None, expect_type: str | None = None) -> Result:
        ms, ok, note, _ = self.get_page(path, expect, expect_type)
        return ms, ok, note

    def post_form(self, path: str, values: dict[str, str], page: str = "", htmx: bool = False,
                  expect: str | None = None) -> PageResult:  # fmt: skip
        headers = {"X-CSRFToken": self._csrf(), "Referer": self.base + path}
        if htmx:
            headers["HX-Request"] = "true"
        body = urllib.parse.urlencode(values).encode()
        req = urllib.request.Request(self.base + path, body, headers=headers)
        return self._send(req, expect, None)

    def post_file(self, path: str, fields: dict[str, str], field: str, file: Path) -> PageResult:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + file.read_bytes()
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {"X-CSRFToken": self._csrf(), "Referer": self.base + path,
                   "Content-Type": f"multipart/form-data; boundary={boundary}"}  # fmt: skip
        req = urllib.request.Request(self.base + path, b"".join(parts), headers=headers)
        return self._send(req, None, None)
