"""The CJK font the charts are drawn in, found on disk and checked to cover every character.

Matplotlib silently draws boxes for glyphs a font lacks, so the font file's character map is
read with fontTools and any text it cannot show is an error before a chart is drawn.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

from ..errors import JunhengError

FONT_ENV = "JUNHENG_CJK_FONT"
"""A font file to use instead of searching (e.g. a county's own 宋体)."""

_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
)
INSTALL_HINT = (
    "未找到可显示中文的字体，无法绘制图表。请安装 Noto Sans CJK（Debian/Ubuntu：sudo apt-get install "
    f"fonts-noto-cjk），或设置环境变量 {FONT_ENV} 指向一个中文字体文件（.ttf/.otf/.ttc）。"
)


class FontError(JunhengError):
    """No usable CJK font, or one that lacks characters a chart needs."""


@lru_cache(maxsize=8)
def _cmap(path: str) -> frozenset[int]:
    """Code points the first font in *path* maps (a .ttc holds several; they share the CJK set)."""
    try:
        if path.lower().endswith((".ttc", ".otc")):
            font = TTCollection(path, lazy=True).fonts[0]
        else:
            font = TTFont(path, lazy=True, fontNumber=0)
        cmap = font.getBestCmap() or {}
    except Exception as exc:  # fontTools raises many kinds on a damaged file
        raise FontError(f"字体文件 {path} 无法读取：{exc}") from exc
    return frozenset(cmap)


def find_cjk_font() -> Path:
    """The font file to draw with: ``JUNHENG_CJK_FONT`` if set, else the first installed one."""
    chosen = os.environ.get(FONT_ENV)
    if chosen:
        path = Path(chosen)
        if not path.is_file():
            raise FontError(f"环境变量 {FONT_ENV} 指向的字体文件 {chosen} 不存在。")
        return path
    for candidate in _CANDIDATES:
        path = Path(candidate)
        if path.is_file():
            return path
    raise FontError(INSTALL_HINT)


def missing_glyphs(path: Path, text: str) -> str:
    """The characters of *text* (other than whitespace) that the font at *path* cannot draw."""
    cmap = _cmap(str(path))
    return "".join(sorted({ch for ch in text if not ch.isspace() and ord(ch) not in cmap}))


def checked_font(text: str) -> Path:
    """The CJK font file, after checking it covers every character of *text*."""
    path = find_cjk_font()
    lacking = missing_glyphs(path, text)
    if lacking:
        raise FontError(
            f"字体 {path.name} 缺少这些字符，图表会显示为方框：{lacking}。{INSTALL_HINT}"
        )
    return path


__all__ = [
    "FONT_ENV",
    "INSTALL_HINT",
    "FontError",
    "checked_font",
    "find_cjk_font",
    "missing_glyphs",
]
