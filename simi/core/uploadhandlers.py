"""Where an uploaded file's bytes wait while the request is read: in memory.

Django writes a file over ``FILE_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB) to a
temporary file. SIMI's uploads are identity papers, evidence and photos of
seals, and at rest they must be encrypted or not kept at all, so no plain copy
may land on disk, not even for the length of a request. Every file is kept in
memory up to one byte past ``SIMI_UPLOAD_MEMORY_BYTES``, the largest limit any
form or API operation accepts (documents 5 MB, watchlist imports 50 MB); the
rest is counted, not kept, so ``size`` still tells the truth and each
operation's own refusal ("The file is 12 MB; the limit is 5 MB") follows. A
kept file is therefore never shorter than what an operation accepts: no
operation can read a cut file as whole. One request keeps at most that many
bytes in all; past that the upload stops. In production nginx caps a request
body at 16 MB first (deploy/nginx/simi.conf).
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers, StopUpload

from simi.core.uploads import max_upload_bytes


def memory_bytes() -> int:
    """The most one file (and one request) keeps: the largest accepted upload."""
    return max(int(getattr(settings, "SIMI_UPLOAD_MEMORY_BYTES", 0)), max_upload_bytes())


class BoundedMemoryUploadHandler(FileUploadHandler):
    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.keep = memory_bytes() + 1
        self.budget = self.keep
        self.buffer = io.BytesIO()

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        raise StopFutureHandlers

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        room = self.keep - self.buffer.tell()
        if room > 0:
            kept = raw_data[:room]
            if len(kept) > self.budget:
                raise StopUpload(connection_reset=False)
            self.budget -= len(kept)
            self.buffer.write(kept)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
