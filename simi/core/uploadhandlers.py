"""Where an uploaded file's bytes wait while the request is read: in memory.

Django writes a file over ``FILE_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB) to a
temporary file. SIMI's uploads are identity papers, evidence and photos of
seals, and at rest they must be encrypted or not kept at all, so no plain copy
may land on disk, not even for the length of a request. Every file is kept in
memory up to one byte past the upload limit (``simi.core.uploads``); the rest
is counted, not kept, so ``size`` still tells the truth and the usual refusal
("The file is 12 MB; the limit is 5 MB") follows. One request keeps at most
``FILES_PER_REQUEST`` files' worth; past that the upload stops.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers, StopUpload

from simi.core.uploads import max_upload_bytes

FILES_PER_REQUEST = 4


class BoundedMemoryUploadHandler(FileUploadHandler):
    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.keep = max_upload_bytes() + 1
        self.budget = self.keep * FILES_PER_REQUEST
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
