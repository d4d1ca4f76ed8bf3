"""Evidence files: type-checked by content, size-limited, stored outside the web root."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from django.conf import settings

from junheng.standard import load_standard

from ..models import County, CountyRecord, Evidence, RecordStatus
from ..scoping import Actor, scope_of, scoped
from .errors import NotAllowed, ServiceError, WorkflowError, signed_in
from .workflow import data_locked

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


PART_NAMES = {"guarantee": "政府保障程度", "quality": "教育质量", "recognition": "社会认可度"}


@functools.lru_cache(maxsize=1)
def evidence_items() -> tuple[tuple[str, str], ...]:
    """The items evidence can support, as (key, label): 政府保障程度第1项 … and 申报资格."""
    std = load_standard()
    items = [("eligibility", "申报资格：通过基本均衡认定满3年")]
    for part, name in PART_NAMES.items():
        items += [(i.key, f"{name}第{i.no}项：{i.title}") for i in std.part(part)]
    items.append(("veto", "一票否决情形说明"))
    return tuple(items)


LEDGER_PREFIX = "ledger:"
"""Evidence of a rectification item (整改台账) is filed under ``ledger:<item id>``."""


def item_label(key: str) -> str:
    if key.startswith(LEDGER_PREFIX):
        return f"整改事项 #{key.removeprefix(LEDGER_PREFIX)}"
    return dict(evidence_items()).get(key, key or "未注明")


def _county_locked(county: County, year: int) -> bool:
    county_locked = CountyRecord.objects.filter(
        county=county, year=year, status=RecordStatus.LOCKED
    )
    return county_locked.exists() or data_locked(county, year)


def upload(user: Actor, county: County, year: int, item: str, title: str,
           name: str, content: bytes) -> Evidence:  # fmt: skip
    if (
        not scope_of(user).may("evidence")
        or not scoped(user, County.objects.filter(pk=county.pk)).exists()
    ):
        raise NotAllowed("无权为该区县上传佐证材料")
    # rectification evidence comes after the evaluation locked the year's data, by design
    rectification = item.startswith(LEDGER_PREFIX)
    if not rectification and _county_locked(county, year):
        raise WorkflowError(f"{county.name}{year}年的数据已锁定，不能再上传佐证材料")
    ctype = check_file(name, content)
    if not rectification and item not in dict(evidence_items()):
        raise ServiceError("请选择佐证材料对应的指标")
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


def delete(user: Actor, ev: Evidence) -> None:
    """Remove a wrong upload while the year is still open; the file goes when unused."""
    if (
        not scope_of(user).may("evidence")
        or not scoped(user, Evidence.objects.filter(pk=ev.pk)).exists()
    ):
        raise NotAllowed("无权删除该佐证材料")
    if _county_locked(ev.county, ev.year):
        raise WorkflowError(f"{ev.county.name}{ev.year}年的数据已锁定，佐证材料不能再删除")
    path = Path(settings.EVIDENCE_ROOT) / ev.stored_path
    ev.delete()
    if not Evidence.objects.filter(stored_path=ev.stored_path).exists():
        path.unlink(missing_ok=True)


def open_evidence(ev: Evidence) -> Path:
    path = (Path(settings.EVIDENCE_ROOT) / ev.stored_path).resolve()
    if not path.is_relative_to(Path(settings.EVIDENCE_ROOT).resolve()) or not path.exists():
        raise ServiceError("佐证材料文件不存在")
    return path
