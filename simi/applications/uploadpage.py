"""What the documents part of an application page says about an upload: the
refusal beside the document it concerns, naming the file, and the same words
for the page's script to show before anything is sent."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from simi.core.uploads import ACCEPTED_TYPES, max_upload_bytes, too_large_message

# A photo's long side after the phone makes it smaller: a KTP or a passport
# page stays legible at this size, and it is well under the limit as JPEG.
PHOTO_LONG_SIDE = 2000
PHOTO_QUALITY = 0.85


def _named(name: str, problem: str) -> str:
    return _("%(name)s: %(problem)s") % {"name": name, "problem": problem}


def upload_problem(form: forms.Form | None, codes: set[str]) -> dict[str, Any] | None:
    """The refused upload's document (None when the code is not one of the
    page's documents) and its messages, each naming the file."""
    if form is None or not form.is_bound or not form.errors:
        return None
    code = str(form.data.get("requirement_code", ""))
    upload = form.files.get("file")
    name = PurePath(getattr(upload, "name", "") or "").name[:80]
    problems = [str(message) for messages in form.errors.values() for message in messages]
    if name:
        problems = [_named(name, problem) for problem in problems]
    return {"code": code if code in codes else None, "messages": problems}


def upload_texts() -> dict[str, Any]:
    """Settings and translated messages for the upload script, with
    ``{name}``, ``{size}``, ``{before}`` and ``{after}`` for it to fill."""
    limit = max_upload_bytes()
    return {
        "limit": limit,
        "accept": ",".join(ACCEPTED_TYPES),
        "long_side": PHOTO_LONG_SIDE,
        "quality": PHOTO_QUALITY,
        "decimal": get_format("DECIMAL_SEPARATOR"),
        "too_large": _named("{name}", too_large_message("{size}", limit)),
        "wrong_type": _named(
            "{name}", _("Upload a PDF, JPEG or PNG file. This file is none of these.")
        ),
        "reduced": _("{name}: reduced from {before} to {after} so that it uploads quickly."),
        "reducing": _("Making the photo smaller…"),
        "unreadable": _named(
            "{name}",
            _("The picture cannot be opened; it may be damaged. Scan or photograph it again."),
        ),
        "choose": _("Choose a file or take a photo first."),
    }
