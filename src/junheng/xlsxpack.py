"""The package handed to the parser: the sheets already unpacked for the safety scan are
stored in it as they are, so the parser reads them without unpacking them a second time;
every other part is copied still compressed, and the sheets the contract does not read are
left out."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path
from typing import BinaryIO

_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
_END = struct.Struct("<4sHHHHIIH")
_UTF8 = 0x800
_DATE = (1 << 5) | 1  # 1980-01-01: the parser reads no dates of parts
_LIMIT = 0xFFFF_FFFF


def _raw(fh: BinaryIO, info: zipfile.ZipInfo) -> bytes:
    """The compressed bytes of *info* as they are in the file."""
    fh.seek(info.header_offset)
    head = fh.read(_LOCAL.size)
    if len(head) < _LOCAL.size or head[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header: {info.filename}")
    fields = _LOCAL.unpack(head)
    fh.seek(fields[9] + fields[10], 1)
    data: bytes = fh.read(info.compress_size)
    if len(data) != info.compress_size:
        raise zipfile.BadZipFile(f"truncated part: {info.filename}")
    return data


def repack(path: Path, zf: zipfile.ZipFile, unpacked: dict[str, bytes], drop: set[str]) -> bytes | None:  # fmt: skip
    """The package at *path* (open as *zf*) with the parts in *unpacked* stored as given and
    the parts in *drop* left out; None when it would need ZIP64 (then the file is used as is)."""
    infos = {i.filename: i for i in zf.infolist()}  # a repeated name: the last, as zipfile reads
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    with path.open("rb") as fh:
        for name, info in infos.items():
            if name in drop or name.endswith("/"):
                continue
            data = unpacked.get(name)
            method, size = (zipfile.ZIP_STORED, len(data)) if data is not None else (info.compress_type, info.file_size)  # fmt: skip
            if data is None:
                data = _raw(fh, info)
            if offset + len(data) >= _LIMIT or size >= _LIMIT:
                return None
            # an encrypted part stays one: the parser then refuses it
            flags = (info.flag_bits & 0x1) | _UTF8
            encoded = name.encode()
            head = (flags, method, 0, _DATE, info.CRC, len(data), size, len(encoded))
            chunks += [_LOCAL.pack(b"PK\x03\x04", 20, *head, 0), encoded, data]
            central.append(_CENTRAL.pack(b"PK\x01\x02", 20, 20, *head, 0, 0, 0, 0, 0, offset) + encoded)  # fmt: skip
            offset += _LOCAL.size + len(encoded) + len(data)
    if len(central) >= 0xFFFF:
        return None
    directory = b"".join(central)
    end = _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join([*chunks, directory, end])
