"""What a PDF would do when it is opened, read from its parsed objects.

The bytes are never searched: ``/Java#53cript`` is ``/JavaScript`` to every
viewer, and an object packed in a compressed object stream (PDF 1.5) shows
no names at all. pypdf parses the file (names arrive with their ``#xx``
escapes decoded, object streams unpacked) and every object is visited: each
one the cross-reference tables or object streams list, whether or not the
catalog points at it, and everything it contains. Only stream dictionaries
are read, never stream data, so images and page content are not decoded.

A dictionary is *active* when it has

1. a key in ``ACTIVE_KEYS``: scripts, additional actions (on the catalog,
   pages, annotations and form fields), XFA forms, embedded files, rich media;
2. an annotation ``/Subtype`` in ``ACTIVE_ANNOTATIONS``, which play, show or
   carry something of their own;
3. a ``/Type`` in ``ACTIVE_TYPES`` (an embedded file stream, wherever it hangs);
4. an ``/S`` in ``ACTIVE_ACTIONS``, whatever key it hangs from (no other PDF
   dictionary uses these names there); or
5. an action that is not a plain jump inside the file: the value of ``/A``,
   ``/PA``, ``/OpenAction`` or ``/Next``, or a ``/Type /Action`` dictionary,
   must be a ``/GoTo`` carrying only its destination. So web addresses,
   programs, form posts, outside data, other or embedded files, media and
   named menu commands are all refused, and a second ``/S`` hidden in the
   same dictionary brings its own payload key and is refused for it.
   ``/OpenAction`` as a destination array (LibreOffice and fpdf2 open their
   files at page one this way) and ``/A`` holding structure attributes
   (tagged PDFs: a dictionary with ``/O``, no ``/S``) are not actions.

A key given twice in one dictionary makes the file *ambiguous*: pypdf keeps
the first value, PDF.js, pdfium and MuPDF the last, so what was checked
would not be what the officer's viewer shows. pypdf reports it only as a
warning, which ``_DuplicateKeyWatch`` collects for the inspection running in
the current context.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

# A 50-page scan has a few hundred objects, a long word-processor export a few
# thousand. Walking 10,000 takes about a second; more would let one small
# upload keep a worker busy.
MAX_PDF_OBJECTS = 10_000

ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/AA", "/XFA", "/EmbeddedFiles", "/EF"}
    | {"/RichMediaContent", "/RichMediaSettings"}
)
ACTIVE_ANNOTATIONS = frozenset(
    {"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}
)
ACTIVE_TYPES = frozenset({"/EmbeddedFile"})
ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/URI", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE"}
    | {"/GoTo3DView", "/RichMediaExecute", "/Rendition", "/Movie", "/Sound", "/Thread"}
)
SAFE_ACTION = "/GoTo"
JUMP_KEYS = frozenset({"/Type", "/S", "/D", "/SD", "/Next"})
ACTION_KEYS = ("/A", "/PA", "/OpenAction", "/Next")


class PdfTooComplex(Exception):
    """More than MAX_PDF_OBJECTS objects."""


@dataclass(frozen=True)
class PdfReport:
    encrypted: bool
    pages: int = 0
    active: str | None = None  # the first active feature found, e.g. "/OpenAction"
    ambiguous: bool = False  # a key given twice in one dictionary


_DUPLICATE_KEY = "Multiple definitions in dictionary"
_duplicates: ContextVar[list[str] | None] = ContextVar("pdf_duplicate_keys", default=None)


class _DuplicateKeyWatch(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        found = _duplicates.get()
        if found is None or not str(record.msg).startswith(_DUPLICATE_KEY):
            return True
        found.append(record.getMessage())
        return False  # a finding of the check now, not noise in the log


_pypdf_dictionaries = logging.getLogger("pypdf.generic._data_structures")
if not any(isinstance(f, _DuplicateKeyWatch) for f in _pypdf_dictionaries.filters):
    _pypdf_dictionaries.addFilter(_DuplicateKeyWatch())
# The warning must be emitted even when the deployment logs only errors.
_pypdf_dictionaries.setLevel(logging.WARNING)


@contextmanager
def _watching_duplicate_keys() -> Iterator[list[str]]:
    found: list[str] = []
    token = _duplicates.set(found)
    try:
        yield found
    finally:
        _duplicates.reset(token)


def _name(value: Any) -> str:
    # A type written as a string, (JavaScript), is read by lenient viewers too.
    text = str(value)
    return text if text.startswith("/") else f"/{text}"


def _entry(dictionary: Any, key: str) -> str | None:
    return _name(dictionary[key]) if key in dictionary else None  # [] resolves references


def _is_harmful_action(action: Any) -> bool:
    from pypdf.generic import ArrayObject, DictionaryObject

    if isinstance(action, ArrayObject):  # /Next may list several actions
        return any(_is_harmful_action(item.get_object()) for item in action)
    if not isinstance(action, DictionaryObject) or "/S" not in action:
        return False  # a destination, or structure attributes
    return _name(action["/S"]) != SAFE_ACTION or not set(action) <= JUMP_KEYS


def _active_feature(dictionary: Any) -> str | None:
    """What in this one dictionary would act when the file is opened, or None."""
    if found := set(dictionary) & ACTIVE_KEYS:
        return min(found)
    kind, subtype, action = (_entry(dictionary, key) for key in ("/Type", "/Subtype", "/S"))
    if kind in ACTIVE_TYPES:
        return kind
    if subtype in ACTIVE_ANNOTATIONS:
        return subtype
    if action in ACTIVE_ACTIONS:
        return action
    if kind == "/Action" and _is_harmful_action(dictionary):
        return kind
    for key in ACTION_KEYS:
        if key in dictionary and _is_harmful_action(dictionary[key]):
            return key
    return None


def _first_active_feature(reader: Any) -> str | None:
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    listed = {(number, generation) for generation, table in reader.xref.items() for number in table}
    listed |= {(number, 0) for number in reader.xref_objStm}
    if len(listed) > MAX_PDF_OBJECTS:
        raise PdfTooComplex
    # Iterative, so deep nesting cannot overflow the stack.
    pending: list[Any] = [reader.trailer]
    pending += [IndirectObject(number, generation, reader) for number, generation in listed]
    seen: set[tuple[int, int]] = set()
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            if len(seen) > MAX_PDF_OBJECTS:
                raise PdfTooComplex
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # a stream is its dictionary here
            if feature := _active_feature(item):
                return feature
            pending.extend(item.values())  # unresolved: references go through `seen`
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return None


def inspect_pdf(content: bytes) -> PdfReport:
    """Parse ``content`` and report what matters for accepting it.

    Raises PdfTooComplex, or whatever pypdf raises for a file it cannot read.
    """
    from pypdf import PdfReader

    with _watching_duplicate_keys() as duplicates:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            return PdfReport(encrypted=True)
        pages = len(reader.pages)
        active = _first_active_feature(reader)
    return PdfReport(encrypted=False, pages=pages, active=active, ambiguous=bool(duplicates))
