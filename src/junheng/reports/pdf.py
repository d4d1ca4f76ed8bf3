"""Word → PDF through LibreOffice headless, which embeds the fonts it lays the text out with."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import JunhengError

INSTALL_HINT = (
    "未找到 LibreOffice，无法生成 PDF。请安装（Debian/Ubuntu：sudo apt-get install "
    "libreoffice-writer-nogui fonts-noto-cjk），或先生成 Word 报告（--format docx）再自行转换。"
)
TIMEOUT_S = 180


class ConverterMissing(JunhengError):
    """No LibreOffice on this machine."""


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def docx_to_pdf(docx: str | Path, pdf: str | Path) -> Path:
    """Convert *docx* to *pdf*; a Chinese error if LibreOffice is missing or fails."""
    soffice = find_soffice()
    if soffice is None:
        raise ConverterMissing(INSTALL_HINT)
    docx, pdf = Path(docx), Path(pdf)
    # a private profile: a second LibreOffice (or a user's open one) would otherwise block this
    with tempfile.TemporaryDirectory(prefix="junheng-pdf-") as tmp:
        profile = Path(tmp, "profile").as_uri()
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", tmp, str(docx)]  # fmt: skip
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S,
                                  env={**os.environ, "HOME": tmp}, check=False)  # fmt: skip
        except subprocess.TimeoutExpired as exc:
            raise JunhengError(f"LibreOffice 转换 PDF 超过 {TIMEOUT_S} 秒未完成。") from exc
        made = Path(tmp, docx.with_suffix(".pdf").name)
        if done.returncode != 0 or not made.is_file():
            detail = (done.stderr or done.stdout).strip()[-300:]
            raise JunhengError(f"LibreOffice 未能把 {docx.name} 转换为 PDF：{detail}")
        try:
            pdf.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(made), pdf)
        except OSError as exc:
            raise JunhengError(f"无法写入 PDF {pdf}：{exc}") from exc
    return pdf


__all__ = ["INSTALL_HINT", "ConverterMissing", "docx_to_pdf", "find_soffice"]
