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


def _latin1(text: str) -> str:
    # The PDF core fonts cover Latin-1; anything else prints as '?'.
    return str(text).encode("latin-1", "replace").decode("latin-1")


def _page(title: str, rows: list[tuple[str, str]]) -> Any:
    """An A4 page with the title and the label/value rows (the layout every
    printed paper of SIMI shares)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(title))
    pdf.set_creator("SIMI Lampung Barat")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 9, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 11)
    for label, value in rows:
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(70, 7, _latin1(label))
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 7, _latin1(value), new_x="LMARGIN", new_y="NEXT")
    return pdf


def letter_pdf(
    *,
    title: str,
    rows: list[tuple[str, str]],
    sections: list[tuple[str, str]],
    footer: str,
) -> bytes:
    """A letter without a seal: the facts, then headed paragraphs (a decision
    and what to do about it). Only documents in the register carry a seal."""
    pdf = _page(title, rows)
    for heading, text in sections:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 7, _latin1(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 6, _latin1(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(0, 5, _latin1(footer), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def document_pdf(
    document: IssuedDocument,
    *,
    title: str,
    rows: list[tuple[str, str]],
    verify_url: str,
    footer: str,
    include_mrz: bool = False,
) -> bytes:
    """A one-page A4 receipt: the facts, the QR seal and how to check it."""
    import io

    text = document_seal_text(document)
    qr_png = io.BytesIO()
    segno.make(text, error="m", micro=False).save(qr_png, kind="png", scale=6, border=4)
    qr_png.seek(0)

    pdf = _page(title, rows)
    # A receipt travels separately from the document: no MRZ (number, birth date) on it.
    if include_mrz and document.mrz_line1 and document.mrz_line2:
        pdf.ln(4)
        pdf.set_font("Courier", "", 10)
        pdf.multi_cell(
            0, 6, f"{document.mrz_line1}\n{document.mrz_line2}", new_x="LMARGIN", new_y="NEXT"
        )
    pdf.ln(6)
    pdf.image(qr_png, w=70)
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(0, 5, _latin1(f"{footer}\n{verify_url}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
