"""What an uploaded document really is, decided from its bytes.

The file name and the browser's content type are ignored: a JPEG renamed
``.pdf`` is a JPEG, and a script renamed ``.png`` is refused. Each accepted
kind must also *open*: images decode completely (with a pixel limit against
decompression bombs) and PDFs parse, are not encrypted, say one thing to
every viewer and do nothing when opened: no scripts, actions, links,
attachments or forms that post (judged on the parsed objects, see
``simi.core.pdfinspect``).
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.core.codes import CommonCode, ErrorCode
from simi.core.errors import ValidationFailed
from simi.core.pdfinspect import PdfTooComplex, inspect_pdf

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
ACCEPTED_TYPES = (PDF, JPEG, PNG)
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}

_SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)
# A scanned A4 page at 600 dpi is about 35 million pixels.
MAX_IMAGE_PIXELS = 40_000_000
MAX_PDF_PAGES = 50
_DAMAGED = _("The PDF cannot be opened; it may be damaged. Save or scan it again.")


def max_upload_bytes() -> int:
    return int(getattr(settings, "SIMI_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    sha256: str
    size: int
    pages: int  # 1 for images


def too_large_message(size: int | str, limit: int | str) -> str:
    """The refusal of an oversized file, naming both sizes; a page's script
    shows the same words before sending (``size`` may be its placeholder)."""
    size = filesizeformat(size) if isinstance(size, int) else size
    limit = filesizeformat(limit) if isinstance(limit, int) else limit
    return _(
        "The file is %(size)s; the limit is %(limit)s. Scan at a lower resolution or compress it."
    ) % {"size": size, "limit": limit}


def _too_large(size: int, limit: int) -> ValidationFailed:
    return _refuse(too_large_message(size, limit), CommonCode.FILE_TOO_LARGE)


def sniff(head: bytes) -> str | None:
    """The accepted type whose signature starts ``head``, or None."""
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def _refuse(message: str | Promise, code: ErrorCode) -> ValidationFailed:
    return ValidationFailed.for_field("file", message, code=code)


def _check_image(content: bytes, content_type: str) -> int:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.format not in ({"JPEG"} if content_type == JPEG else {"PNG"}):
                    raise ValueError("format differs from signature")
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise OverflowError
                image.load()  # decodes every pixel: a truncated file fails here
    except (OverflowError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _refuse(
            _("The picture is too large (over 40 megapixels). Scan at a lower resolution."),
            CommonCode.IMAGE_TOO_LARGE,
        ) from None
    except Exception:  # Pillow raises many types for broken files
        raise _refuse(
            _("The picture cannot be opened; it may be damaged. Scan or photograph it again."),
            CommonCode.IMAGE_DAMAGED,
        ) from None
    return 1


def _check_pdf(content: bytes) -> int:
    """Refuse a PDF that is locked, ambiguous or would act when opened.

    Active content is refused, never stripped: a rewritten immigration
    document is no longer the one the applicant signed, and a cleaned copy
    could still differ from what the next viewer reads. The rules are in
    ``simi.core.pdfinspect``.
    """
    try:
        report = inspect_pdf(content)
    except PdfTooComplex:
        raise _refuse(
            _("The PDF is too complex to check. Print it to a new PDF or scan it."),
            CommonCode.PDF_TOO_COMPLEX,
        ) from None
    except Exception:  # pypdf raises many types (and asserts) for broken files
        raise _refuse(_DAMAGED, CommonCode.PDF_DAMAGED) from None
    if report.encrypted:
        raise _refuse(
            _("The PDF is password-protected. Upload it without a password."),
            CommonCode.PDF_ENCRYPTED,
        )
    if report.active is not None:
        raise _refuse(
            _(
                "The PDF contains scripts, attachments, links or actions. "
                "Print it to a new PDF or scan it, then upload that file."
            ),
            CommonCode.PDF_ACTIVE_CONTENT,
        )
    if report.ambiguous:  # the viewer may read another file than the one checked
        raise _refuse(_DAMAGED, CommonCode.PDF_DAMAGED)
    if report.pages < 1:
        raise _refuse(_("The PDF has no pages."), CommonCode.PDF_EMPTY)
    if report.pages > MAX_PDF_PAGES:
        raise _refuse(
            _("The PDF has more than %(max)d pages. Upload only the pages asked for.")
            % {"max": MAX_PDF_PAGES},
            CommonCode.PDF_TOO_MANY_PAGES,
        )
    return report.pages


def check_upload(content: bytes) -> CheckedFile:
    """Accept a PDF, JPEG or PNG by its content, or raise a field error on ``file``."""
    limit = max_upload_bytes()
    if not content:
        raise _refuse(_("The file is empty."), CommonCode.FILE_EMPTY)
    if len(content) > limit:
        raise _too_large(len(content), limit)
    content_type = sniff(content[:16])
    if content_type is None:
        raise _refuse(
            _("Upload a PDF, JPEG or PNG file. This file is none of these."),
            CommonCode.FILE_TYPE_NOT_ACCEPTED,
        )
    pages = _check_pdf(content) if content_type == PDF else _check_image(content, content_type)
    return CheckedFile(
        content=content,
        content_type=content_type,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        pages=pages,
    )


def read_limited(stream: Any, *, declared_size: int | None = None) -> bytes:
    """Read at most one byte past the limit, so a huge upload is refused early."""
    limit = max_upload_bytes()
    if declared_size is not None and declared_size > limit:
        raise _too_large(declared_size, limit)
    data = stream.read(limit + 1)
    return bytes(data or b"")


# Served bytes of an upload never act in SIMI's origin: no sniffing into
# HTML, no script, no form, no plug-in, and no copy kept by a cache.
STORED_FILE_POLICY = "default-src 'none'; sandbox"


def stored_file_response(
    content: bytes, content_type: str, *, name: str, disposition: str = "inline"
) -> HttpResponse:
    """An uploaded file (document, photo, evidence) served back to a reader:
    ``name`` without extension, the extension from the checked type."""
    response = HttpResponse(content, content_type=content_type)
    extension = EXTENSIONS.get(content_type, "bin")
    response["Content-Disposition"] = f'{disposition}; filename="{name}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = STORED_FILE_POLICY
    response["Cache-Control"] = "private, no-store"
    return response
