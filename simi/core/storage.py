"""The file store for uploaded documents, photos and evidence.

Django's FileSystemStorage, with one change: when the disk is full (or a
quota or file-size limit is reached) halfway through a file, the partial file
is removed and ``StorageFull`` (507, ``storage_full``) is raised, so a caller
that rolls back its rows leaves nothing half stored and the client is told
plainly. Other storage backends (S3-compatible, django-storages) report such
failures in their own way and are used as they are.
"""

from __future__ import annotations

import contextlib
import errno
import os
from typing import Any

from django.core.files.storage import FileSystemStorage as DjangoFileSystemStorage

from simi.core.errors import StorageFull

FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class FileSystemStorage(DjangoFileSystemStorage):
    def _save(self, name: str, content: Any) -> str:
        try:
            # django-stubs leave out the private _save that every storage implements
            return str(super()._save(name, content))  # type: ignore[misc]
        except OSError as error:
            if error.errno not in FULL:
                raise
            # SIMI's names are new UUIDs, so the file at this name is ours.
            with contextlib.suppress(OSError):
                os.remove(self.path(name))
            raise StorageFull() from error
