"""What a printed document carries: the seal's text and its QR code."""

from __future__ import annotations

import json
from typing import Any

import segno

from simi.issuance import seal
from simi.issuance.models import IssuedDocument


def document_seal(document: IssuedDocument) -> dict[str, Any]:
    """The seal exactly as signed at issuance (rebuilt from the stored bytes)."""
    return {
        "data": json.loads(document.seal_payload),
        "sig": {"alg": seal.ALGORITHM, "kid": document.seal_kid, "sigvl": document.seal_signature},
    }


def document_seal_text(document: IssuedDocument) -> str:
    return seal.seal_text(document_seal(document))


def seal_qr_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI (the CSP allows img-src data:).

    Error correction M (15 %) survives a crease or a stamp on paper while
    keeping the code small enough for phone cameras at arm's length.
    """
    return segno.make(text, error="m", micro=False).svg_data_uri(scale=4, border=4)
