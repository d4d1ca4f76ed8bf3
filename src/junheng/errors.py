"""The one exception hierarchy of junheng, and findings as data.

Every front end (CLI, web, reports) renders a :class:`Finding` the same way, so
errors carry structured fields rather than only a formatted string.

    JunhengError
    ├── InputError      a workbook was refused; ``findings`` lists every problem
    └── StandardError   a standard or overlay file is unknown or malformed
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in the input: what kind, where, and what was found."""

    type: str
    title: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        return self.message


class JunhengError(Exception):
    """Base class of every error junheng raises on purpose."""


class InputError(JunhengError):
    """The input workbook was refused as a whole; nothing of it was used."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        head = f"输入文件有 {len(findings)} 处错误，整个文件未导入"
        body = "\n".join(f.message for f in findings[:20])
        more = f"\n……另有 {len(findings) - 20} 处" if len(findings) > 20 else ""
        super().__init__(f"{head}：\n{body}{more}")


class StandardError(JunhengError):
    """A standard (or local overlay) could not be found or read."""
