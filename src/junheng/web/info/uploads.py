"""Uploads are counted as they stream in and cut off at a cap, so an oversized file is
never written whole to disk or memory before it is refused."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from junheng.limits import Limits


def upload_cap() -> int:
    """Largest accepted upload: a workbook within the reader's limits, or an evidence file."""
    return max(Limits.from_env().max_file_bytes, int(getattr(settings, "EVIDENCE_MAX_BYTES", 0)))


class CappedUploadHandler(FileUploadHandler):
    """First in the chain: passes chunks on until the cap, then stops reading the body."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.cap = upload_cap()
        self.seen = 0
        self.declared_over = False

    def handle_raw_input(self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: Any = None) -> None:  # fmt: skip
        # the declared length already says too much: stop at the first chunk
        self.declared_over = bool(content_length and content_length > self.cap + 64 * 1024)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.seen += len(raw_data)
        if self.declared_over or self.seen > self.cap:
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _refuse(self) -> None:
        if self.request is not None:
            self.request.upload_too_large = True  # type: ignore[attr-defined]
        raise StopUpload(connection_reset=False)
