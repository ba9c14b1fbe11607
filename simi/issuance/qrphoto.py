"""Reading a document's QR seal from a photo that anyone uploads.

The photo is hostile until proven otherwise, and it is only ever a means to
the seal's text: it is judged by its bytes (JPEG, PNG or WebP; the name and
the browser's content type are ignored), refused past the upload limit and
past ``MAX_IMAGE_PIXELS`` before a pixel is decoded (a decompression bomb
costs nothing), turned upright by its EXIF orientation, reduced to at most
``MAX_SIDE`` pixels a side in grey, and handed to zxing-cpp. Nothing of it is
kept: no file, no row, no log line with its content.

Errors are field errors on ``photo`` in the reader's language, each with
advice a person holding a phone can follow.
"""

from __future__ import annotations

import io
import warnings

import zxingcpp
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from simi.core.codes import CommonCode, ErrorCode
from simi.core.errors import ValidationFailed
from simi.core.uploads import MAX_IMAGE_PIXELS, max_upload_bytes, too_large_message
from simi.issuance import seal
from simi.issuance.codes import Code

FIELD = "photo"
# A QR seal is version 16 (81 modules a side); at 2,000 pixels it keeps 5 or
# more pixels a module while it fills a quarter of the photo's width, and a
# 12-megapixel phone photo decodes in a fraction of a second.
MAX_SIDE = 2000
# Pillow's decoder names, found by content: what phones and scanners send.
_FORMATS = ("JPEG", "PNG", "WEBP")
_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
# Seals are printed as QR codes (model 2); nothing else is looked for.
_QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


def _refuse(message: str | Promise, code: ErrorCode) -> ValidationFailed:
    return ValidationFailed.for_field(FIELD, message, code=code)


def _looks_like_an_image(head: bytes) -> bool:
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return True
    return any(head.startswith(signature) for signature in _SIGNATURES)


def _not_an_image() -> ValidationFailed:
    return _refuse(
        _("This file is not a photo. Upload a JPEG, PNG or WebP picture of the QR code."),
        Code.PHOTO_NOT_AN_IMAGE,
    )


def _upright_grey(content: bytes) -> Image.Image:
    """The photo, decoded at most ``MAX_SIDE`` a side, upright and grey."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=_FORMATS) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise OverflowError
                # A JPEG decodes at 1/2, 1/4 or 1/8 scale at once: a huge photo
                # never takes its full size in memory.
                image.draft("L", (MAX_SIDE, MAX_SIDE))
                upright = ImageOps.exif_transpose(image)
                grey = upright.convert("L")
                grey.thumbnail((MAX_SIDE, MAX_SIDE))
                return grey
    except (OverflowError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _refuse(
            _("The photo is too large (over 40 megapixels). Take it again at a lower resolution."),
            CommonCode.IMAGE_TOO_LARGE,
        ) from None
    except Image.UnidentifiedImageError:
        raise _not_an_image() from None
    except Exception:  # Pillow raises many types for broken files
        raise _refuse(
            _("The photo cannot be opened; it may be damaged. Take the photo again."),
            CommonCode.IMAGE_DAMAGED,
        ) from None


def seal_text_from_photo(content: bytes) -> str:
    """The text of the SIMI seal in ``content`` (a photo's bytes), or a field error."""
    limit = max_upload_bytes()
    if not content:
        raise _refuse(_("The file is empty."), CommonCode.FILE_EMPTY)
    if len(content) > limit:
        raise _refuse(too_large_message(len(content), limit), CommonCode.FILE_TOO_LARGE)
    if not _looks_like_an_image(content[:16]):
        raise _not_an_image()
    picture = _upright_grey(content)
    found = zxingcpp.read_barcodes(picture, formats=_QR_ONLY)
    texts = [barcode.text for barcode in found if barcode.valid and barcode.text]
    if not texts:
        raise _refuse(
            _(
                "No QR code could be read in this photo. Hold the phone steady, let the QR "
                "code fill most of the picture, use good light without glare, and try again."
            ),
            Code.PHOTO_NO_QR,
        )
    for text in texts:
        try:
            seal.parse_seal(text)
        except seal.SealError:
            continue
        return text
    raise _refuse(
        _(
            "The QR code in this photo is not a SIMI seal. If it is the only QR code on the "
            "document, do not accept the document as checked: contact the office."
        ),
        Code.PHOTO_NOT_A_SEAL,
    )
