"""Evidence files: type-checked by content, size-limited, stored outside the web root."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings

from ..models import County, Evidence
from ..scoping import Actor, scope_of, scoped
from .errors import NotAllowed, ServiceError, signed_in

# suffix → (content type, accepted leading bytes); Office files are ZIP (new) or OLE2 (old)
_KINDS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (b"PK\x03\x04",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    ".xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
}  # fmt: skip


def check_file(name: str, content: bytes) -> str:
    """The content type of an acceptable evidence file, or a :class:`ServiceError`."""
    suffix = Path(name).suffix.lower()
    if suffix not in _KINDS:
        raise ServiceError(f"“{name}”的文件类型不允许：只接受 PDF、图片（PNG/JPG）和 Office 文件")
    limit = int(settings.EVIDENCE_MAX_BYTES)
    if len(content) > limit:
        raise ServiceError(
            f"“{name}”大小为{len(content) / 1048576:.1f}MB，超过上限{limit // 1048576}MB"
        )
    if not content:
        raise ServiceError(f"“{name}”是空文件")
    ctype, magics = _KINDS[suffix]
    if not any(content.startswith(m) for m in magics):
        raise ServiceError(f"“{name}”的内容与扩展名{suffix}不符，可能不是真正的{suffix}文件")
    return ctype


def upload(user: Actor, county: County, year: int, item: str, title: str,
           name: str, content: bytes) -> Evidence:  # fmt: skip
    if (
        not scope_of(user).may("evidence")
        or not scoped(user, County.objects.filter(pk=county.pk)).exists()
    ):
        raise NotAllowed("无权为该区县上传佐证材料")
    ctype = check_file(name, content)
    digest = hashlib.sha256(content).hexdigest()
    folder = Path(settings.EVIDENCE_ROOT) / county.code / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{digest}{Path(name).suffix.lower()}"
    if not target.exists():
        target.write_bytes(content)
    return Evidence.objects.create(
        county=county, year=year, item=item, title=title or name, original_name=Path(name).name[:200],
        stored_path=str(target.relative_to(Path(settings.EVIDENCE_ROOT))), content_type=ctype,
        size=len(content), sha256=digest, uploaded_by=signed_in(user),
    )  # fmt: skip


def open_evidence(ev: Evidence) -> Path:
    path = (Path(settings.EVIDENCE_ROOT) / ev.stored_path).resolve()
    if not path.is_relative_to(Path(settings.EVIDENCE_ROOT).resolve()) or not path.exists():
        raise ServiceError("佐证材料文件不存在")
    return path
